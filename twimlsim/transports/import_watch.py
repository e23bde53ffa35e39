"""Run a function on a module the moment it is first imported.

A simulator patches a library it meets alongside the app (twilio's async client, a test's
``requests_mock``) only when that library is loaded: patched now when it already is, and
otherwise when the code under test first imports it while the simulator runs, so a suite
that never uses the library pays nothing.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any

__all__ = ["ImportWatcher"]


class ImportWatcher(importlib.abc.MetaPathFinder):
    """Calls ``on_import(module)`` right after the module ``name`` is first imported."""

    def __init__(self, name: str, on_import: Callable[[ModuleType], None]) -> None:
        self.name = name
        self.on_import = on_import

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != self.name:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None:
            return None
        spec.loader = _PatchingLoader(spec.loader, self.on_import)
        return spec


class _PatchingLoader(importlib.abc.Loader):
    def __init__(self, loader: importlib.abc.Loader, on_import: Callable[[ModuleType], None]):
        self._loader = loader
        self._on_import = on_import

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self._loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        self._loader.exec_module(module)
        self._on_import(module)

    def __getattr__(self, name: str) -> Any:
        # everything else a loader offers (get_source, is_package...) is the real one's
        return getattr(self._loader, name)

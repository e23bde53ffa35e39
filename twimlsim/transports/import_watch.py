"""Run a function on a module the moment it is first imported.

A simulator patches a library it meets alongside the app (twilio's async client, a test's
``requests_mock``) only when that library is loaded: patched now when it already is, and
otherwise when the code under test first imports it while the simulator runs, so a suite
that never uses the library pays nothing.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any

__all__ = ["ImportWatcher", "WhenImported"]


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
        # Only the first watcher is asked, so it runs every watcher's function: nested
        # simulators each patch the module, outermost first (the last started is first
        # on sys.meta_path), and the outer's patch stays once the inner one stops.
        watching = [
            finder.on_import
            for finder in reversed(sys.meta_path)
            if isinstance(finder, ImportWatcher) and finder.name == fullname
        ]
        spec.loader = _PatchingLoader(spec.loader, watching or [self.on_import])
        return spec


class WhenImported:
    """Runs a function on the module ``name``: at ``start`` when it is loaded already (and
    ``ready(module)`` says it is whole), otherwise the moment code first imports it, until
    ``stop``. The function is held only while watching, so that an interceptor keeping
    this object makes no reference cycle with it (its world is freed without the
    garbage collector)."""

    def __init__(self, name: str, ready: Callable[[ModuleType], bool] | None = None) -> None:
        self.name = name
        self._ready = ready
        self._watcher: ImportWatcher | None = None

    def start(self, on_import: Callable[[ModuleType], None], *, watch: bool = True) -> None:
        """Run ``on_import`` now if the module is loaded; else watch for its import (only
        when ``watch``: another ``WhenImported`` may be watching already)."""
        module = sys.modules.get(self.name)
        if module is not None and (self._ready is None or self._ready(module)):
            on_import(module)
        elif watch:
            self._watcher = ImportWatcher(self.name, on_import)
            sys.meta_path.insert(0, self._watcher)

    def stop(self) -> None:
        """Stop watching for the import."""
        if self._watcher is not None:
            if self._watcher in sys.meta_path:
                sys.meta_path.remove(self._watcher)
            self._watcher = None


class _PatchingLoader(importlib.abc.Loader):
    def __init__(
        self, loader: importlib.abc.Loader, on_import: Sequence[Callable[[ModuleType], None]]
    ) -> None:
        self._loader = loader
        self._on_import = on_import

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self._loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        self._loader.exec_module(module)
        for on_import in self._on_import:
            on_import(module)

    def __getattr__(self, name: str) -> Any:
        # everything else a loader offers (get_source, is_package...) is the real one's
        return getattr(self._loader, name)

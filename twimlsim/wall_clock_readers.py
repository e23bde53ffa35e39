"""Libraries that keep the wall clock while the app's time is frozen (``freeze.py``).

Modules that time a step, or wait, with the ``time`` or ``datetime`` module read through
its global, which no skipping of bindings keeps real: while time is frozen that global is
a view of the module whose clocks are the real ones (``WallClockView``). Test runners:
otherwise behave's step durations (summed in its "Took" line and its JUnit times) read
minus ten months for the step in which calls first ran, and Robot Framework's waits never
ended on the frozen clock: its Sleep keyword (slept in parts until time.time() passed the
end), Wait Until Keyword Succeeds and Repeat Keyword with a timeout hung for ever, and a
test's [Timeout] read virtual time (a start= in the future timed every test out). Retry
libraries that give up after a time: tenacity's ``stop_after_delay`` (and stamina's
``timeout``, through it), backoff's ``max_time``, retrying's ``stop_max_delay``, and waits
with a timeout (polling2's ``poll``, waiting's ``wait``): on the frozen clock their delay
never passed, and a webhook retrying a service that is down (run on the test's thread)
retried for ever (opnieuw's ``retry_window_after_first_call_in_seconds`` was never used
up, and all of its ``max_calls_total`` calls made). The app's code that a step, keyword or
retry calls is not theirs: it reads virtual time. A module by one of these names that is
the app's own is left alone.

A module loaded when time is frozen gets its view then; one first imported while time is
frozen (a webhook that imports tenacity where it retries) gets it as its import ends, by
a finder on ``sys.meta_path`` for the freeze's length only when one of them is not loaded.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
import types
from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["READERS", "WallClockReaders", "WallClockView"]

#: The modules that keep the wall clock, each with the global that holds its clock module.
READERS = {
    "behave.model": "time",
    "robot.libraries.BuiltIn": "time",
    "robot.running.bodyrunner": "time",
    "robot.running.timeouts.timeout": "time",
    "robot.running.timeouts.windows": "time",
    "tenacity": "time",
    "retrying": "time",
    "backoff._sync": "datetime",
    "backoff._async": "datetime",
    "polling2": "time",
    "waiting.deadlines": "time_module",
    "opnieuw.clock": "time",
}


class WallClockView(types.ModuleType):
    """The ``time`` or ``datetime`` module as a module of ``READERS`` sees it while time is
    frozen: every attribute the module's, its clocks the real ones (``real_for`` maps a
    fake's id to the real function)."""

    def __init__(self, module: types.ModuleType, real_for: dict[int, Any]) -> None:
        super().__init__(module.__name__)
        self._module = module
        self._real_for = real_for

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._module, name)
        return self._real_for.get(id(value), value)


class WallClockReaders:
    """The views one freeze put in place, undone when it ends.

    ``views`` maps a clock module's id to its view; ``apps_own(name)`` tells a module of
    the app's own by one of the names (left alone)."""

    def __init__(self, views: dict[int, WallClockView], apps_own: Callable[[str], bool]) -> None:
        self._views = views
        self._apps_own = apps_own
        #: (namespace, global, clock module) of each global set to a view.
        self._set: list[tuple[dict[str, Any], str, Any]] = []
        self._finder: _ReaderImports | None = None

    def apply(self) -> None:
        """Give each loaded module its view; watch for the import of the others."""
        modules = sys.modules
        missing = False
        for name in READERS:
            if name in modules:
                self.view(name)
            else:
                missing = True
        if missing:
            self._finder = _ReaderImports(self)
            sys.meta_path.insert(0, self._finder)

    def view(self, name: str) -> None:
        """Put the view in place of the clock module global of ``name``, if loaded."""
        attribute = READERS[name]
        namespace = getattr(sys.modules.get(name), "__dict__", None)
        if type(namespace) is not dict:
            return
        clock = namespace.get(attribute)
        view = self._views.get(id(clock))
        if view is not None and not self._apps_own(name):
            namespace[attribute] = view
            self._set.append((namespace, attribute, clock))

    def undo(self) -> None:
        """Stop watching imports and give each module its clock module back."""
        finder, self._finder = self._finder, None
        if finder is not None:
            finder.readers = None  # an import under way on another thread sets no view
            if finder in sys.meta_path:
                sys.meta_path.remove(finder)
        for namespace, attribute, clock in self._set:
            if namespace.get(attribute) is self._views[id(clock)]:
                namespace[attribute] = clock
        self._set = []


class _ReaderImports(importlib.abc.MetaPathFinder):
    """Finds a module of ``READERS`` as the finders after it do, its loader giving it its
    view once it has run."""

    def __init__(self, readers: WallClockReaders) -> None:
        self.readers: WallClockReaders | None = readers

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in READERS or self.readers is None:
            return None
        spec: importlib.machinery.ModuleSpec | None = None
        for finder in list(sys.meta_path):
            find = getattr(finder, "find_spec", None)
            if finder is self or find is None:
                continue
            found: importlib.machinery.ModuleSpec | None = find(fullname, path, target)
            if found is not None:
                spec = found
                break
        if spec is None or not hasattr(spec.loader, "exec_module"):
            # a loader with load_module() only (before PEP 451) is left to do as it does:
            # wrapped, the import that works unfrozen failed (no create_module)
            return None
        spec.loader = _ViewingLoader(spec.loader, self, fullname)
        return spec


class _ViewingLoader(importlib.abc.Loader):
    def __init__(self, loader: Any, finder: _ReaderImports, name: str) -> None:
        self._loader = loader
        self._finder = finder
        self._name = name

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType | None:
        module: types.ModuleType | None = self._loader.create_module(spec)
        return module

    def exec_module(self, module: types.ModuleType) -> None:
        self._loader.exec_module(module)
        readers = self._finder.readers
        if readers is not None:  # still frozen
            readers.view(self._name)

    def __getattr__(self, name: str) -> Any:
        # everything else a loader offers (get_source, is_package...) is the real one's
        return getattr(self._loader, name)

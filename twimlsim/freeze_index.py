"""Which attributes of the loaded modules hold a real time function: what a freeze of
``freeze.FreezeBridge`` patches, found without reading every module at every freeze (see
``freeze``'s docstring, "Finding the modules to patch"), and which modules are left alone
(test runners, twimlsim, freezegun, the libraries that keep the wall clock)."""

from __future__ import annotations

import datetime as datetime_module
import os
import sys
import sysconfig
import time
from typing import Any

from freezegun import api

from .wall_clock_readers import WallClockView

__all__ = [
    "FAKE_FOR",
    "FREEZEGUNS_PACKAGES",
    "OWN",
    "REAL_FOR",
    "TEST_RUNNERS",
    "TYPE_HINTS_ONLY",
    "WALL_CLOCK_LIBRARIES",
    "WALL_CLOCK_VIEWS",
    "Change",
    "ModuleIndex",
    "apps_own",
    "module_index",
    "namespace_to_patch",
]

#: Test runners' own modules keep the real clock: they time the tests and steps. pytest's,
#: and those of the runners that call a suite's steps (behave's summary and JUnit report,
#: Robot Framework's start and end times in output.xml, whose keywords' elapsed times read
#: virtual time at one end otherwise: minus ten months for the one where calls first ran).
#: Their modules' bindings (``from datetime import datetime``) are left alone; a runner's
#: ``time.time()``, read through the module as the app's, still reads virtual time.
TEST_RUNNERS = ("_pytest.", "pytest.", "pluggy.")
#: Packages freezegun's own ignore list names bare, read by freezegun as name prefixes: 'gi'
#: (PyGObject) took in an app's gift_line.py and github_hooks.py, 'queue' a call-queue
#: app's queues.py, which then read the wall clock. The bridge reads each as the package:
#: its modules by prefix ('queue.'), itself by its exact name (``_SKIPPED_PACKAGES``; it
#: binds its clock as it is imported). 'threading' stays a prefix: freezegun reads the
#: calling frames, and a worker thread's loop, right under threading.py's, keeps the wall
#: clock by it.
FREEZEGUNS_PACKAGES = frozenset({"gi", "multiprocessing", "prompt_toolkit", "queue", "selenium"})
#: Modules never patched, by their exact name: packages (their modules are skipped by
#: prefix) and ``subprocess`` (see ``WALL_CLOCK_LIBRARIES``).
_SKIPPED_PACKAGES = frozenset(
    {"_pytest", "pytest", "pluggy", "twimlsim", "subprocess", *FREEZEGUNS_PACKAGES}
)
#: Test runners skipped only when installed (behave, Robot Framework): a package of the
#: app's own by one of these names (a robocall app's ``robot/``) is the app's, and reads
#: virtual time.
_INSTALLED_RUNNERS = frozenset({"behave", "robot"})
_RUNNER_NAMES = tuple(_INSTALLED_RUNNERS)
#: Never patched: freezegun itself holds the real functions on purpose, and twimlsim's own
#: modules never read the wall clock (their datetimes stay plain ``datetime`` objects).
OWN = ("freezegun", "twimlsim.")
#: Message brokers' clients keep the wall clock, as freezegun's own list keeps threading
#: and queue: they read it only for their polling timeouts, and a worker thread the test
#: runs (Celery's ``start_worker``, its ``celery_worker`` fixture) would otherwise wait in
#: kombu's ``drain_events`` for a timeout that never comes, and never stop. (Listed in the
#: ignore list freezegun's fakes read, for ``time.monotonic()`` called through the module.)
#: So does ``subprocess``, for the same reason: its timeouts (``run(..., timeout=...)``,
#: ``wait``, ``communicate``) read the monotonic clock it bound at import (asyncio, imported
#: here, imports it before any freeze), and a webhook's child process that hangs was waited
#: for for ever. It is skipped by its exact name (``_SKIPPED_PACKAGES``), not listed here:
#: freezegun reads the list as name prefixes, and an app's ``subprocess_jobs.py`` read the
#: wall clock.
WALL_CLOCK_LIBRARIES = ("kombu.",)
#: Not patched: the twilio client's generated resources hold ``datetime`` and ``date`` for
#: type hints only. (One imported while time is frozen binds the fakes and, like any
#: module imported then, gets the real functions back when the freeze ends.)
TYPE_HINTS_ONLY = ("twilio.rest.",)


def _pairs() -> list[tuple[Any, Any]]:
    """(real, fake) for every time function freezegun fakes."""
    pairs: list[tuple[Any, Any]] = [
        (api.real_date, api.FakeDate),
        (api.real_datetime, api.FakeDatetime),
        (api.real_gmtime, api.fake_gmtime),
        (api.real_localtime, api.fake_localtime),
        (api.real_monotonic, api.fake_monotonic),
        (api.real_perf_counter, api.fake_perf_counter),
        (api.real_strftime, api.fake_strftime),
        (api.real_time, api.fake_time),
    ]
    for name in ("time_ns", "monotonic_ns", "perf_counter_ns"):
        if hasattr(api, f"real_{name}"):
            pairs.append((getattr(api, f"real_{name}"), getattr(api, f"fake_{name}")))
    return pairs


_PAIRS = _pairs()
FAKE_FOR = {id(real): fake for real, fake in _PAIRS}
REAL_FOR = {id(fake): real for real, fake in _PAIRS}

#: The view of the ``time`` and ``datetime`` modules the libraries that keep the wall clock
#: read them through while time is frozen (``wall_clock_readers``), by the module's id.
WALL_CLOCK_VIEWS = {
    id(module): WallClockView(module, REAL_FOR) for module in (time, datetime_module)
}


#: Where the standard library and installed packages live.
_LIBRARY_DIRS = tuple(
    {sysconfig.get_paths()[key] for key in ("stdlib", "platstdlib", "purelib", "platlib")}
)


def _watched(module: Any) -> bool:
    """Whether a freeze checks that this module is still in place with a namespace of the
    same size: it is not a module of the standard library (its built-in modules, such as
    ``sys`` and ``time``, included) or of an installed package."""
    file = getattr(module, "__file__", None)
    if isinstance(file, str):
        return not file.startswith(_LIBRARY_DIRS)
    origin = getattr(getattr(module, "__spec__", None), "origin", None)
    return origin not in ("built-in", "frozen")


#: Directories packages are installed in wherever they are: the user's site (``pip install
#: --user``), the system's (Debian's ``/usr/lib/python3/dist-packages``), the base
#: interpreter's under a virtual environment made with ``--system-site-packages``.
_INSTALLED_DIR_NAMES = frozenset({"site-packages", "dist-packages"})


def apps_own(package: str) -> bool:
    """Whether the loaded package or module ``package`` is the app's own: a file outside
    the standard library and the installed packages (not the library of that name).
    tenacity installed with ``pip install --user`` was taken for the app's, and a webhook's
    retry read the frozen clock and retried for ever."""
    file = getattr(sys.modules.get(package), "__file__", None)
    if not isinstance(file, str) or file.startswith(_LIBRARY_DIRS):
        return False
    return _INSTALLED_DIR_NAMES.isdisjoint(os.path.normpath(file).split(os.sep))


def _time_names(namespace: dict[str, Any]) -> tuple[str, ...]:
    fakes = FAKE_FOR
    # Most modules hold no time function: ruled out at C speed (the first freeze of a
    # process reads every loaded module, about 5 ms with a Python loop over each one).
    if FAKE_FOR.keys().isdisjoint(map(id, namespace.values())):
        return ()
    # a copy: a finalizer run meanwhile may set a global (see ModuleIndex._read)
    return tuple(name for name, value in namespace.copy().items() if id(value) in fakes)


def namespace_to_patch(name: str, module: Any, skip: tuple[str, ...]) -> dict[str, Any] | None:
    """The namespace of a loaded module the bridge may patch, or None."""
    if module is None or name.startswith(skip) or name in _SKIPPED_PACKAGES:
        return None
    if name.startswith(_RUNNER_NAMES):  # a C-level test first: read for every module
        package = name.partition(".")[0]
        if package in _INSTALLED_RUNNERS and not apps_own(package):
            return None
    if name.endswith(".six.moves"):  # lazy modules that import on attribute access
        return None
    try:
        namespace = module.__dict__
    except Exception:  # an odd object in sys.modules
        return None
    if type(namespace) is not dict:
        return None
    # C accelerators that call themselves datetime/time (_datetime) are left alone, as
    # freezegun leaves them; the datetime and time modules themselves are patched.
    if namespace.get("__name__") in ("datetime", "time") and name not in ("datetime", "time"):
        return None
    return namespace


#: One change a freeze makes: (module namespace, attribute, real function, its fake).
Change = tuple[dict[str, Any], str, Any, Any]


class ModuleIndex:
    """Which attributes of each loaded module hold a real time function.

    Kept for the whole process: a module is read again only when it is new, replaced, or
    its namespace changed size (for the modules watched, see the module's docstring).
    Modules skipped are remembered with no namespace. When no module came, went or changed
    size since the last freeze (the usual case from one test to the next), the last answer
    stands, checked in a few C-level passes, and so does the list of changes it makes (a
    freeze then allocates nothing to find what to patch).
    """

    def __init__(self) -> None:
        #: name -> (module, namespace or None when skipped, size when read, names, watched)
        self.entries: dict[str, tuple[Any, dict[str, Any] | None, int, tuple[str, ...], bool]] = {}
        self.skip: tuple[str, ...] = ()
        #: The modules of ``sys.modules`` when last read, in its order.
        self.modules: list[Any] = []
        self._count = 0
        self._newest: str | None = None
        self._watched_names: list[str] = []
        self._watched_modules: list[Any] = []
        self._namespaces: list[dict[str, Any]] = []
        self._sizes: list[int] = []
        self._changes: list[Change] = []

    def changes(self, skip: tuple[str, ...]) -> list[Change]:
        """Every (namespace, attribute, real, fake) of the loaded modules, as last read:
        the caller checks that each attribute still holds that real function."""
        # Unchanged: as many modules, the same one imported last, the watched ones still
        # in place with namespaces of the same size. (Comparing every loaded module
        # touches each of them, a cache miss apiece: about 30 us a test in a pytest run.)
        if (
            len(sys.modules) == self._count
            and next(reversed(sys.modules), None) == self._newest
            and skip == self.skip
            and list(map(sys.modules.get, self._watched_names)) == self._watched_modules
            and list(map(len, self._namespaces)) == self._sizes
        ):
            return self._changes
        modules = list(sys.modules.values())
        found = self._read(skip)
        self.modules = modules
        self._count, self._newest = len(sys.modules), next(reversed(sys.modules), None)
        watched = [(name, entry) for name, entry in self.entries.items() if entry[4]]
        self._watched_names = [name for name, _ in watched]
        self._watched_modules = [entry[0] for _, entry in watched]
        self._namespaces = [entry[1] for _, entry in watched if entry[1] is not None]
        self._sizes = list(map(len, self._namespaces))
        fakes = FAKE_FOR
        self._changes = [
            (namespace, name, namespace[name], fakes[id(namespace[name])])
            for namespace, attributes in found
            for name in attributes
        ]
        return self._changes

    def _read(self, skip: tuple[str, ...]) -> list[tuple[dict[str, Any], tuple[str, ...]]]:
        if skip != self.skip:
            self.entries.clear()
            self.skip = skip
        entries = self.entries
        found = []
        # Listing items makes a tuple apiece, and any allocation may run the garbage
        # collector, whose finalizers may import (an unclosed aiohttp session's
        # ResourceWarning, formatted) or set a global (warnings' __warningregistry__):
        # iterate copies, which dict.copy() makes without running Python code.
        modules = sys.modules.copy()
        for name, module in modules.items():
            entry = entries.get(name)
            if entry is not None and entry[0] is module:
                namespace = entry[1]
                if namespace is None:
                    continue
                if len(namespace) == entry[2]:
                    if entry[3]:
                        found.append((namespace, entry[3]))
                    continue
            namespace = namespace_to_patch(name, module, skip)
            if namespace is None:
                entries[name] = (module, None, 0, (), False)
                continue
            names = _time_names(namespace)
            entries[name] = (
                module,
                namespace,
                len(namespace),
                names,
                _watched(module),
            )
            if names:
                found.append((namespace, names))
        if len(entries) > len(modules):  # modules were removed: let them go
            loaded = sys.modules
            for name in [name for name in entries if name not in loaded]:
                del entries[name]
        return found


module_index = ModuleIndex()

"""The freezegun bridge: app code that reads the time sees the virtual clock.

While a simulator runs calls, ``datetime.now()``, ``time.time()`` and friends return the
virtual time and move whenever the virtual clock moves. The simulator itself never reads
the wall clock; this bridge only serves the app under test.

It freezes time the way ``freezegun.freeze_time`` does, with freezegun's own fake
``datetime``/``date``/``time`` functions and its stack of frozen times, so that a test's
own freezegun nests with it (the innermost freeze wins), and it honours freezegun's ignore
list (``freezegun.configure(extend_ignore_list=...)``). Two things differ:

- **Finding the modules to patch.** freezegun lists the attributes of every loaded module
  each time it freezes (milliseconds in a test process, paid by every test). The bridge
  keeps an index of which module attributes hold a real time function (``freeze_index``),
  shared by every freeze of the process: a module is read again when it is new, or, for
  the modules it watches (those not part of Python's standard library or of an installed
  package: the app, the tests, conftest files), when it is replaced in ``sys.modules`` or
  its namespace has grown or shrunk. So a freeze costs a look at the newest entry of
  ``sys.modules`` and a pass over the watched modules. A library module that gains a new
  global holding a time function at run time, long after it was imported, or that a test
  puts in place of another under the same name, is not seen (reading every loaded module
  cost about 0.1 ms a test in a pytest run). Like freezegun's own cache, which is keyed on
  a module's attribute names, a module that rebinds an existing name to a real time
  function after it was indexed is not seen either.
- **Test runners' own clocks are left alone.** pytest's modules (``_pytest``, ``pytest``,
  ``pluggy``) are not patched, so test durations (``--durations``, JUnit XML) stay real,
  nor are behave's and Robot Framework's (their reports' times); their modules that time
  or wait with ``time.time()`` read through the module (behave's step timer, Robot's
  Sleep, Wait Until Keyword Succeeds and test timeouts) see a view of it with the real
  clocks.
  Nor are twimlsim's own: the simulator never reads the wall clock, and the datetimes it
  makes stay plain ``datetime`` objects. Nor are the twilio client's generated resource
  modules (``twilio.rest.*``): they import ``datetime`` and ``date`` for type hints only
  and never read the clock (the clock they would read, through ``twilio.base`` or the
  ``time`` and ``datetime`` modules, is patched), yet they were 64 of the 109
  attributes a freeze patched and unpatched in a test process that uses the client.

Event loops keep real time for their own scheduling (freezegun's ``real_asyncio``), so an
ASGI app's awaits do not hang, and so does kombu, the message library under Celery, so a
worker thread the test runs stops when asked, and so do the retry libraries that give up
after a time (tenacity, stamina, backoff, retrying) and the waits with a timeout (polling2,
waiting), so a webhook's retry ends after its real delay, whether the library was imported
before time was frozen or while it is (``wall_clock_readers``).
"""

from __future__ import annotations

import asyncio
import copyreg
import functools
import sys
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import freezegun.config
from freezegun import api

from .errors import ConfigurationError
from .freeze_index import (
    FAKE_FOR,
    FREEZEGUNS_PACKAGES,
    OWN,
    REAL_FOR,
    TEST_RUNNERS,
    TYPE_HINTS_ONLY,
    WALL_CLOCK_LIBRARIES,
    WALL_CLOCK_VIEWS,
    Change,
    apps_own,
    module_index,
    namespace_to_patch,
)
from .wall_clock_readers import WallClockReaders

__all__ = ["FreezeBridge", "VirtualTimeFactory"]

_loop_classes: dict[int, type] = {}


def _default_loop() -> object:
    """The loop class asyncio's default policy makes (the platform's default loop)."""
    default = getattr(asyncio, "EventLoop", None)  # Python 3.13+
    if default is None:  # Python 3.11 and 3.12
        name = "ProactorEventLoop" if sys.platform == "win32" else "SelectorEventLoop"
        default = getattr(asyncio, name, None)
    return default


def _event_loop_class() -> type:
    """The class of the event loops asyncio makes now (the policy may change it)."""
    # Making a loop to see its class costs about 100 us: keep it per policy object.
    policy = getattr(asyncio.events, "_event_loop_policy", None)
    known = _loop_classes.get(id(policy)) if policy is not None else None
    if known is not None:
        return known
    # Named, not made, where asyncio names it: making a loop needs a socketpair, which a
    # suite that forbids sockets (pytest-socket's --disable-socket) refuses.
    factory = getattr(policy, "_loop_factory", None) if policy is not None else _default_loop()
    if isinstance(factory, type):
        loop_class: type = factory
    else:  # another policy (uvloop's): its loops tell
        loop = asyncio.new_event_loop()
        loop.close()
        loop_class = type(loop)
    if policy is not None:
        _loop_classes.clear()
        _loop_classes[id(policy)] = loop_class
    return loop_class


class VirtualTimeFactory(api.FrozenDateTimeFactory):
    """freezegun's frozen time, set by the virtual clock (naive UTC, as freezegun keeps it)."""

    #: Marks the bridge's own freezes (``twimlsim.outer_clock`` looks for the test's).
    virtual_clock = True
    #: The test's own freeze this one stands in for on freezegun's stacks, if any.
    stands_for: Any = None

    def set(self, now: datetime) -> None:
        """Move frozen time to ``now`` (aware)."""
        self.time_to_freeze = now.astimezone(UTC).replace(tzinfo=None)


class _Patch:
    """Every change one freeze made, to undo when it ends."""

    def __init__(self) -> None:
        self.changes: list[Change] = []
        self.modules_at_start: list[Any] = []
        #: How many modules were loaded when the freeze began, and the last one's name.
        self.loaded_at_start: tuple[int, str | None] = (0, None)
        self.loop_class: type | None = None
        self.loop_time: Any = None
        #: The views of the libraries that keep the wall clock (``wall_clock_readers``).
        self.wall_clock_readers = WallClockReaders(WALL_CLOCK_VIEWS, apps_own)

    def apply(self, skip: tuple[str, ...]) -> None:
        planned = module_index.changes(skip)
        self.modules_at_start = module_index.modules
        self.loaded_at_start = (len(sys.modules), next(reversed(sys.modules), None))
        applied = 0
        for namespace, attribute, real, fake in planned:
            if namespace.get(attribute) is not real:
                break  # rebound since it was read: look at each value left (below)
            namespace[attribute] = fake
            applied += 1
        else:
            self.changes = planned  # the usual case: every change as planned, none copied
            self._apply_rest()
            return
        fakes = FAKE_FOR
        changes = planned[:applied]
        for namespace, attribute, _, _ in planned[applied:]:
            value = namespace.get(attribute)
            fake = fakes.get(id(value))
            if fake is not None:
                namespace[attribute] = fake
                changes.append((namespace, attribute, value, fake))
        self.changes = changes
        self._apply_rest()

    def _apply_rest(self) -> None:
        if api.uuid_generate_time_attr:
            setattr(uuid, api.uuid_generate_time_attr, None)
        uuid._UuidCreate = None  # type: ignore[attr-defined]
        uuid._last_timestamp = None  # type: ignore[attr-defined]
        copyreg.dispatch_table[api.real_datetime] = api.pickle_fake_datetime
        copyreg.dispatch_table[api.real_date] = api.pickle_fake_date
        self.loop_class = _event_loop_class()
        self.loop_time = self.loop_class.__dict__.get("time")
        self.loop_class.time = _real_loop_time  # type: ignore[attr-defined]
        self.wall_clock_readers.apply()

    def undo(self, skip: tuple[str, ...]) -> None:
        for namespace, attribute, real, fake in self.changes:
            if namespace.get(attribute) is fake:  # the app may have rebound it since
                namespace[attribute] = real
        self.changes = []
        # modules imported while time was frozen bound the fakes: give them the reals
        # (Checked by count and newest name: a module imported is added last; one put in
        # place of another under the same name while frozen is not seen, as with
        # freezegun. Listing every module here cost as much as the rest of the undo.)
        reals = REAL_FOR
        if (len(sys.modules), next(reversed(sys.modules), None)) != self.loaded_at_start:
            known = set(map(id, self.modules_at_start))
            new = [
                (name, module)
                for name, module in sys.modules.copy().items()  # a copy: as in _read
                if id(module) not in known
            ]
            restored = tuple(prefix for prefix in skip if prefix not in TYPE_HINTS_ONLY)
            for name, module in new:
                imported = namespace_to_patch(name, module, restored)
                if imported is None:
                    continue
                for attribute, value in imported.copy().items():
                    real = reals.get(id(value))
                    if real is not None:
                        imported[attribute] = real
        if api.uuid_generate_time_attr:
            setattr(uuid, api.uuid_generate_time_attr, api.real_uuid_generate_time)
        uuid._UuidCreate = api.real_uuid_create  # type: ignore[attr-defined]
        uuid._last_timestamp = None  # type: ignore[attr-defined]
        copyreg.dispatch_table.pop(api.real_datetime, None)
        copyreg.dispatch_table.pop(api.real_date, None)
        if self.loop_class is not None:
            if self.loop_time is None:
                del self.loop_class.time  # type: ignore[attr-defined]
            else:
                self.loop_class.time = self.loop_time  # type: ignore[attr-defined]
            self.loop_class = None
        self.wall_clock_readers.undo()


@functools.cache
def _ignore_list(configured: tuple[str, ...]) -> tuple[str, ...]:
    """freezegun's ignore list as the bridge gives it to freezegun: its own bare package
    names made prefixes of their modules (``FREEZEGUNS_PACKAGES``), a test's entries as
    given, and the wall-clock libraries."""
    return (
        *(f"{name}." if name in FREEZEGUNS_PACKAGES else name for name in configured),
        *WALL_CLOCK_LIBRARIES,
    )


#: The bridges frozen now, in the order they started: the one that put the fakes in place
#: hands them on to the latest of the others when it stops first.
_FROZEN: list[FreezeBridge] = []


def _real_loop_time(loop: Any) -> float:
    """An event loop's clock while time is frozen: the real monotonic clock."""
    return float(api.real_monotonic())


class FreezeBridge:
    """Freezes the app's clock at the virtual clock's instant and follows it."""

    def __init__(self) -> None:
        self._factory: VirtualTimeFactory | None = None
        self._patch: _Patch | None = None
        self._skip: tuple[str, ...] = ()
        #: The test's own frozen time this freeze encloses, and where it stood when last seen.
        self._outer: Any = None
        self._outer_at: datetime | None = None
        #: The entries of the test's freeze this one took the place of on freezegun's stacks.
        self._stood_for: tuple[Any, ...] | None = None

    @property
    def active(self) -> bool:
        """True while time is frozen by this bridge (and the test's freeze it stands in for
        was not stopped, taking this one off freezegun's stacks)."""
        return self._factory is not None and _on_stacks(self._factory) is not None

    def start(self, now: datetime) -> None:
        """Freeze time at ``now`` (aware)."""
        if self._factory is not None:
            if _on_stacks(self._factory) is not None:
                return
            self.stop()  # the test's freeze it stood in for ended: freeze anew, on its own
        ignore = _ignore_list(tuple(freezegun.config.settings.default_ignore_list))
        factory = VirtualTimeFactory(now.astimezone(UTC).replace(tzinfo=None))
        # Inside a freeze of the test's own (freezegun), its fakes are in place already:
        # pushing onto freezegun's stack is all it takes, as a nested freeze_time does.
        patch = None if api.freeze_factories else _Patch()
        outer = next(
            (f for f in reversed(api.freeze_factories) if not getattr(f, "virtual_clock", False)),
            None,
        )
        if type(outer) is api.FrozenDateTimeFactory:  # a ticking one moves by itself
            self._outer, self._outer_at = outer, outer.time_to_freeze
        # and keeps its tz_offset: the app's datetime.now() stays the test's local time
        offset = api.tz_offsets[-1] if patch is None else timedelta(0)
        top = api.freeze_factories[-1] if patch is None else None
        if top is not None and not getattr(top, "virtual_clock", False):
            # In the test's freeze's place, not above it: freezegun's stop() takes the top
            # entries, so a test stopping its freeze first (a tearDown before cleanups)
            # ends it, rather than this one, leaving time frozen for the rest of the run.
            stacks = _stacks()
            self._stood_for = tuple(stack[-1] for stack in stacks)
            factory.stands_for = top
            for stack, entry in zip(stacks, (ignore, factory, False, offset), strict=True):
                stack[-1] = entry
        else:
            api.freeze_factories.append(factory)
            api.tz_offsets.append(offset)
            api.ignore_lists.append(ignore)
            api.tick_flags.append(False)
        self._factory = factory
        self._skip = (*ignore, *TEST_RUNNERS, *OWN, *TYPE_HINTS_ONLY)
        if patch is not None:
            patch.apply(self._skip)
            self._patch = patch
        _FROZEN.append(self)

    def move(self, now: datetime) -> None:
        """Move frozen time to ``now`` (the clock's listener)."""
        if self._factory is not None:
            self._factory.set(now)

    def check_outer_unmoved(self, now: datetime) -> None:
        """A ``ConfigurationError`` when the test moved its own freeze, which this one
        encloses, since calls first ran (freezegun's ``tick()`` or ``move_to()``,
        pytest-freezer's ``freezer``): the app reads virtual time, ``now``, so the move
        changed nothing it sees. Raised once for each move."""
        outer, seen = self._outer, self._outer_at
        if outer is None or seen is None or outer.time_to_freeze == seen:
            return
        self._outer_at = outer.time_to_freeze
        moved = (outer.time_to_freeze - seen).total_seconds()
        # every digit of the move (``:g`` wrote 1234567 s as 1.23457e+06)
        text = f"{moved:+.6f}".rstrip("0").rstrip(".")
        instead = (
            f"let virtual time pass with sim.advance({text[1:]}) instead"
            if moved > 0
            else "virtual time only moves forward: start the simulation there instead "
            "(Simulator(start=...), the marker's start=)"
        )
        raise ConfigurationError(
            f"the test's own frozen clock (freezegun's freeze_time, pytest-freezer's "
            f"freezer) was moved by {text} s (tick() or move_to()) after calls ran, "
            f"while the app reads the simulator's virtual time, {now.isoformat()}: neither "
            f"the app's clock nor the calls moved; {instead} (the test's own frozen time is "
            "back when the simulator stops)"
        )

    def stop(self) -> None:
        """Unfreeze time (a freeze of the test's own that encloses this one stays, and the
        freeze of another simulator started inside this one keeps the fakes in place).

        Another thread, or a garbage-collector callback (hypothesis has one), may read the
        clock at any moment of this, so every step leaves freezegun's fakes readable: the
        modules get the real functions back first, then the freeze leaves the stacks ignore
        list first (a fake called with no ignore list reads the real clock), its time before
        its offset (``datetime.now()`` adds the offset of the freeze on top). freezegun's
        own ``stop()`` pops the time first: a ``time.time()`` or ``datetime.now()`` read in
        between raised IndexError.
        """
        factory, self._factory = self._factory, None
        if factory is None:
            return
        self._outer = self._outer_at = None
        patch, self._patch = self._patch, None
        if self in _FROZEN:
            _FROZEN.remove(self)
        if patch is not None:
            # Another simulator's freeze started inside this one pushed its time only: it
            # keeps the fakes in place (given back here, its app read the wall clock).
            heir = next((bridge for bridge in reversed(_FROZEN) if bridge._is_heir()), None)
            if heir is None:
                patch.undo(self._skip)
            else:
                heir._patch, heir._skip = patch, self._skip
        stood_for, self._stood_for = self._stood_for, None
        position = _on_stacks(factory)
        if position is None:
            return  # the test's freeze it stood in for was stopped: freezegun took it off
        stacks = _stacks()
        if stood_for is not None:  # the test's freeze is back in its place
            for stack, entry in zip(stacks, stood_for, strict=True):
                stack[position] = entry
            return
        for stack in stacks:
            del stack[position]

    def _is_heir(self) -> bool:
        """Whether this freeze may take over the fakes another put in place: it has none
        of its own and is still on freezegun's stacks."""
        return self._patch is None and self._factory is not None and self.active


def _stacks() -> tuple[list[Any], ...]:
    """freezegun's stacks of freezes, in the order ``stop()`` leaves them readable."""
    return (api.ignore_lists, api.freeze_factories, api.tick_flags, api.tz_offsets)


def _on_stacks(factory: VirtualTimeFactory) -> int | None:
    """Where ``factory`` is on freezegun's stack of freezes (None: not there)."""
    for position in range(len(api.freeze_factories) - 1, -1, -1):
        if api.freeze_factories[position] is factory:
            return position
    return None

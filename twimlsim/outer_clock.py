"""The time a test has set for itself with freezegun or time-machine, if it has.

Read without importing either library: a library that is not imported has set nothing.
Freezes made by twimlsim's own bridge (``twimlsim.freeze``) do not count.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from typing import Any

__all__ = ["controlled_by_test", "frozen_still_by_test", "time_set_by_test"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _freezegun_factory() -> Any:
    api = sys.modules.get("freezegun.api")
    factories = getattr(api, "freeze_factories", None) or ()
    for factory in reversed(factories):
        if not getattr(factory, "virtual_clock", False):
            return factory
        stood_for = getattr(factory, "stands_for", None)  # a bridge's in the test's place
        if stood_for is not None:
            return stood_for
    return None


def _time_machine_traveller() -> Any:
    module = sys.modules.get("time_machine")
    # time-machine 3 keeps ``traveller_stack``; earlier versions ``coordinates_stack``
    stack = getattr(module, "traveller_stack", None) or getattr(module, "coordinates_stack", None)
    return stack[-1] if stack else None


def controlled_by_test() -> bool:
    """True while a test's own freezegun freeze or time-machine travel is in effect."""
    return _freezegun_factory() is not None or _time_machine_traveller() is not None


def time_set_by_test() -> datetime | None:
    """The time (aware UTC) a test has frozen (freezegun) or travelled to (time-machine),
    or None when the test has not set the clock.

    Read without the wall clock and without moving the test's clock: a clock that ticks
    (freezegun's ``tick=True``, time-machine's ``tick=True``) gives the time the test set
    (or last moved it to), not the wall clock's progress since, so that the simulation
    starts at the same instant every run; freezegun's ``auto_tick_seconds`` clock gives
    the time it shows, without the step it takes each time it is read."""
    factory = _freezegun_factory()
    if factory is not None:
        # every freezegun factory keeps it: the frozen, the ticking and the stepping one
        frozen = getattr(factory, "time_to_freeze", None)
        if not isinstance(frozen, datetime):
            frozen = factory()
        return frozen.replace(tzinfo=UTC)  # naive UTC, as freezegun keeps it
    traveller = _time_machine_traveller()
    if traveller is not None:
        nanoseconds = _travelled_to(traveller)
        return _EPOCH + timedelta(microseconds=nanoseconds // 1000)
    return None


def _travelled_to(traveller: Any) -> int:
    """Where time-machine's ``traveller`` set the clock, in nanoseconds since the epoch; for
    a ticking one, its destination (reading ``time_ns()`` would add the wall clock's time
    since it was first read, and start its ticking)."""
    destination = getattr(traveller, "_destination_timestamp_ns", None)
    if getattr(traveller, "_tick", False) and isinstance(destination, int):
        epoch = getattr(sys.modules.get("time_machine"), "SYSTEM_EPOCH_TIMESTAMP_NS", 0)
        return (epoch if isinstance(epoch, int) else 0) + destination
    nanoseconds: int = traveller.time_ns()
    return nanoseconds


def frozen_still_by_test() -> datetime | None:
    """The time (aware UTC) a test's own freezegun freeze holds when it does not tick (the
    default of freeze_time and of pytest-freezer's ``freezer``, moved only by ``tick()``
    and ``move_to()``), or None."""
    factory = _freezegun_factory()
    if type(factory).__name__ != "FrozenDateTimeFactory":
        return None
    frozen: datetime = factory.time_to_freeze  # naive UTC
    return frozen.replace(tzinfo=UTC)

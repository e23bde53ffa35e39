"""When a simulation starts, written as text: ``Simulator(start="2026-01-03T20:30")``, the
marker's ``start=`` and ``twimlsim call --start`` read it alike."""

from __future__ import annotations

from collections.abc import Callable, Sized
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, ParamSpec, TypeVar

if TYPE_CHECKING:
    from .clock import VirtualClock

__all__ = [
    "FIRST_START",
    "LAST_START",
    "check_start",
    "check_time_set_by_test",
    "following_test_freeze",
    "parse_start",
    "start_where_test_froze",
]

#: The range of a start: early enough for any test, late enough for a day's call.
FIRST_START = datetime(1900, 1, 1, tzinfo=UTC)
LAST_START = datetime(9998, 12, 31, 23, 59, 59, tzinfo=UTC)


def parse_start(text: str) -> datetime:
    """An ISO 8601 date and time (one without a UTC offset is read as UTC), in UTC;
    ``ValueError`` saying what to write for text that is none, or out of the range."""
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            f"{text!r} is not a date and time: give ISO 8601, such as 2026-01-03T20:30 (UTC) "
            "or 2026-01-03T20:30-05:00"
        ) from None
    return check_start(when if when.tzinfo is not None else when.replace(tzinfo=UTC), text)


def check_start(when: datetime, given: object) -> datetime:
    """``when`` (aware) in UTC; ``ValueError`` naming ``given`` when it is out of the
    range (a start at the end of year 9999 leaves no time for a call, and one before 1900
    gives dates the twilio client reads wrong: it takes year 1 for 2001)."""
    try:
        when = when.astimezone(UTC)
    except OverflowError:
        when = LAST_START + timedelta(days=1)
    if not FIRST_START <= when <= LAST_START:
        raise ValueError(
            f"{given!r} is out of the simulated clock's range: give a time from year 1900 to "
            "9998 (a call may run for a day; the clock stops at the end of year 9999)"
        )
    return when


def check_time_set_by_test(when: datetime) -> None:
    """A ``ValueError`` when the test froze time (or travelled) out of the simulated
    clock's range: the simulation would start there."""
    try:
        check_start(when, when)
    except ValueError:
        raise ValueError(
            f"Simulator(): the test set the clock (freezegun or time-machine) to "
            f"{when.isoformat()}, where the simulation would start, out of the simulated "
            "clock's range: give Simulator(start=...) a time from year 1900 to 9998, or set "
            "the test's clock inside it (a call may run for a day; the clock stops at the end "
            "of year 9999)"
        ) from None


def start_where_test_froze(clock: VirtualClock, calls: Sized, *, raising: bool) -> None:
    """Start ``clock`` again where the test's own still freezegun freeze now stands, when
    the test moved it after the simulator was made there (``freezer.move_to()`` at the
    top of a test using the ``twimlsim`` fixture) and no call exists yet: the app placing
    its calls and answering their webhooks then reads one clock. A freeze out of the
    clock's range is a ``ValueError`` when ``raising`` (a run), else left alone (a REST
    request, which Twilio's JSON answers)."""
    from .outer_clock import frozen_still_by_test

    at = frozen_still_by_test()
    if at is None or at == clock.now or clock.micros or len(calls):
        return
    try:
        check_time_set_by_test(at)
    except ValueError:
        if raising:
            raise
        return
    clock.restart(at)


_P = ParamSpec("_P")
_R = TypeVar("_R")


def following_test_freeze(
    answer: Callable[_P, _R], world: Callable[[], tuple[VirtualClock, Sized] | None]
) -> Callable[_P, _R]:
    """The fake API's ``answer``, after ``start_where_test_froze`` on the clock and calls
    ``world`` gives (None once the simulator is gone): until calls first run."""

    def follow(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        current = world()
        if current is not None:
            start_where_test_froze(*current, raising=False)
        return answer(*args, **kwargs)

    return follow

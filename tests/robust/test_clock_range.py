"""The virtual clock refuses instants it cannot hold, and stays usable afterwards."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from freezegun import freeze_time

from tests.support import CALLEE, CALLER_ID
from twimlsim import Simulator
from twimlsim.clock import MAX_MICROS, Scheduler, VirtualClock, to_micros

START = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)


def test_advance_far_beyond_the_clock_is_refused_and_changes_nothing() -> None:
    with Simulator(freeze_time=False) as sim:
        sim.number(CALLER_ID)
        with pytest.raises(ValueError) as refused:
            sim.advance(1e12)
        assert str(refused.value) == (
            "virtual time cannot reach 1,000,000,000,000 s after the start "
            "(2026-01-01T09:00:00+00:00): the clock runs at most 366,000 days from its start "
            "and up to year 9999; advance by a smaller number of seconds"
        )
        assert sim.now == START
        sim.advance(1)
        assert sim.now == datetime(2026, 1, 1, 9, 0, 1, tzinfo=UTC)
        call = sim.client().calls.create(to=CALLEE, from_=CALLER_ID, twiml="<Response/>")
        sim.run()
        assert sim.calls[call.sid].status == "completed"


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [(1e300, "about 1e300"), (1e308, "about 1e308"), (1.7976931348623157e308, "about 1e308")],
)
def test_advance_by_a_float_near_the_top_of_the_floats_is_refused_as_too_far(
    seconds: float, shown: str
) -> None:
    # seconds * 1e6 overflows to inf from about 1.8e302: it was an OverflowError
    with Simulator(freeze_time=False) as sim, pytest.raises(ValueError) as refused:
        sim.advance(seconds)
    assert str(refused.value) == (
        f"virtual time cannot reach {shown} s after the start (2026-01-01T09:00:00+00:00): "
        "the clock runs at most 366,000 days from its start and up to year 9999; advance by "
        "a smaller number of seconds"
    )
    assert sim.now == START


@pytest.mark.parametrize("seconds", [float("inf"), float("nan")])
def test_advance_by_a_number_that_is_not_finite_is_refused(seconds: float) -> None:
    with Simulator(freeze_time=False) as sim, pytest.raises(ValueError) as refused:
        sim.advance(seconds)
    assert str(refused.value) == (
        f"sim.advance(seconds): seconds must be a finite number such as 30 or 0.5; got {seconds!r}"
    )
    assert sim.now == START


def test_the_clock_stops_at_year_9999_when_it_starts_near_it() -> None:
    clock = VirtualClock(datetime(9999, 12, 31, 23, 59, 0, tzinfo=UTC))
    assert clock.limit == to_micros(59.999999)
    clock.move_to(clock.limit)
    assert clock.now == datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)
    with pytest.raises(ValueError, match="cannot reach 60 s after the start"):
        clock.move_to(clock.limit + 1)
    assert clock.micros == clock.limit


def test_run_until_out_of_range_runs_nothing() -> None:
    clock = VirtualClock(START)
    scheduler = Scheduler(clock)
    ran: list[int] = []
    scheduler.call_later(1, lambda: ran.append(clock.micros))
    with pytest.raises(ValueError):
        scheduler.run_until(MAX_MICROS + 1)
    assert (ran, clock.micros) == ([], 0)
    scheduler.run_until(MAX_MICROS)
    assert (ran, clock.micros) == ([1_000_000], MAX_MICROS)


def test_a_far_end_that_hangs_up_after_1e308_seconds_never_hangs_up() -> None:
    # the hang-up timer's instant overflowed (an OverflowError out of sim.run())
    with Simulator(freeze_time=False) as sim:
        sim.number(CALLER_ID)
        sim.phone(CALLEE).hangs_up(after=1e308)
        call = sim.client().calls.create(
            to=CALLEE, from_=CALLER_ID, twiml="<Response><Pause length='7'/></Response>"
        )
        sim.run()
        sim_call = sim.calls[call.sid]
        assert (sim_call.status, sim_call.duration, sim.failures) == ("completed", 7, [])


def test_a_simulator_made_in_time_frozen_at_the_end_of_year_9999_is_refused() -> None:
    # it started there, and its first call stopped sim.run() with a ValueError
    with freeze_time("9999-12-31 23:59:00"), pytest.raises(ValueError) as refused:
        Simulator()
    assert str(refused.value) == (
        "Simulator(): the test set the clock (freezegun or time-machine) to "
        "9999-12-31T23:59:00+00:00, where the simulation would start, out of the simulated "
        "clock's range: give Simulator(start=...) a time from year 1900 to 9998, or set the "
        "test's clock inside it (a call may run for a day; the clock stops at the end of year "
        "9999)"
    )
    with freeze_time("9999-12-31 23:59:00"), Simulator(start="2026-01-01T09:00") as sim:
        assert sim.now == START

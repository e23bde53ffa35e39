"""The virtual clock and scheduler."""

from __future__ import annotations

import weakref
from datetime import UTC, datetime, timedelta

import pytest

from twimlsim.clock import DEFAULT_START, Scheduler, VirtualClock, to_micros


def test_clock_starts_at_fixed_instant_and_moves_only_forward() -> None:
    clock = VirtualClock()
    assert clock.now == datetime(2026, 1, 1, 9, 0, tzinfo=UTC) == DEFAULT_START
    clock.shift(1.5)
    assert clock.now == DEFAULT_START + timedelta(seconds=1.5)
    with pytest.raises(ValueError) as refused:
        clock.move_to(0)
    assert str(refused.value) == (
        "virtual time cannot go backwards: at 1500000 us, asked for 0 us; move to an instant "
        "at or after now (shift(seconds) moves forward from it)"
    )


def test_clock_refuses_naive_start() -> None:
    with pytest.raises(ValueError, match="timezone-aware start, got naive"):
        VirtualClock(datetime(2026, 1, 1))


def test_to_micros_accepts_seconds_and_timedelta() -> None:
    assert to_micros(0.2) == 200_000
    assert to_micros(timedelta(days=1, seconds=2, microseconds=3)) == 86_402_000_003


def test_scheduler_runs_in_time_then_fifo_order() -> None:
    clock = VirtualClock()
    scheduler = Scheduler(clock)
    seen: list[tuple[str, int]] = []
    scheduler.call_later(2, lambda: seen.append(("b", clock.micros)))
    scheduler.call_later(1, lambda: seen.append(("a", clock.micros)))
    scheduler.call_later(2, lambda: seen.append(("c", clock.micros)))
    scheduler.run_until(1_500_000)
    assert seen == [("a", 1_000_000)]
    assert clock.micros == 1_500_000
    scheduler.run_until_idle()
    assert seen == [("a", 1_000_000), ("b", 2_000_000), ("c", 2_000_000)]
    assert scheduler.next_due() is None


class Action:
    """A scheduled action that can be watched for being let go."""

    def __call__(self) -> None:
        raise AssertionError("a cancelled timer ran")


def test_cancelled_timers_are_not_pending_and_let_their_action_go() -> None:
    scheduler = Scheduler(VirtualClock())
    action = Action()
    watch = weakref.ref(action)
    timer = scheduler.call_later(14_400, action)
    scheduler.call_later(1, lambda: None)
    assert len(scheduler) == 2
    timer.cancel()
    timer.cancel()  # twice changes nothing
    del action
    assert len(scheduler) == 1
    assert watch() is None
    scheduler.run_until_idle()
    assert len(scheduler) == 0 and scheduler.clock.micros == 1_000_000


def test_cancelling_a_timer_that_ran_changes_nothing() -> None:
    scheduler = Scheduler(VirtualClock())
    ran = scheduler.call_later(1, lambda: None)
    scheduler.call_later(2, lambda: None)
    scheduler.run_next()
    ran.cancel()
    assert len(scheduler) == 1

"""The failure log keeps the virtual time of each failure, in step with the failures."""

from __future__ import annotations

from datetime import UTC, datetime

from twimlsim.clock import VirtualClock
from twimlsim.engine.failure_log import FailureLog
from twimlsim.errors import CallFailure

START = datetime(2026, 1, 1, 9, tzinfo=UTC)


def test_each_failure_keeps_its_time_through_extend_and_keep_only() -> None:
    clock = VirtualClock(START)
    log = FailureLog(clock)
    first, second, third = (CallFailure(f"CA{n}", 11200, "m") for n in range(3))
    log.append(first)
    clock.move_to(2_000_000)
    log += [second, third]
    assert log.timed() == [
        (first, START),
        (second, clock.at(2_000_000)),
        (third, clock.at(2_000_000)),
    ]
    log.keep_only(lambda failure: failure is not second)
    assert log.timed() == [(first, START), (third, clock.at(2_000_000))]
    assert FailureLog().timed() == []

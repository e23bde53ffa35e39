"""A call problem, request blocked or unsimulated request recorded while a strict check
reports the ones before it (another thread's run lands then) is reported by the next
check, never skipped."""

from __future__ import annotations

from typing import Any

import pytest

from twimlsim import Simulator
from twimlsim.errors import NetworkEscapeError, SimulationError

BAD = "<Response><Say>one</Say></Response"  # not closed: 12100


class LandsWhileCounted(list[Any]):
    """A list whose first ``len()`` appends ``late`` first, as another thread's run would
    between a check reading the list and counting it."""

    def __init__(self, items: list[Any], late: Any) -> None:
        super().__init__(items)
        self.late: list[Any] = [late]

    def __len__(self) -> int:
        if self.late:
            self.append(self.late.pop())
        return super().__len__()


def test_a_failure_recorded_while_failures_are_reported_is_reported_next() -> None:
    sim = Simulator().start()
    try:
        sim.number("+15005550006")
        for _ in range(2):
            sim.client().calls.create(to="+15558675310", from_="+15005550006", twiml=BAD)
        with pytest.raises(SimulationError):
            sim.run()
        first, second = sim.engine.failures
        sim.engine.failures = LandsWhileCounted([first], second)
        sim._reported = 0
        reported: list[object] = []
        for _ in range(3):
            try:
                sim.check()
            except SimulationError as error:
                reported.extend(error.failures)
        assert reported == [first, second]
    finally:
        sim.stop()


def test_a_request_blocked_while_blocked_ones_are_reported_is_counted() -> None:
    sim = Simulator().start()
    try:
        sim._escapes = LandsWhileCounted(
            [NetworkEscapeError("first blocked")], NetworkEscapeError("second blocked")
        )
        said: list[str] = []
        for _ in range(2):
            try:
                sim.check()
            except NetworkEscapeError as error:
                said.append(str(error))
        assert said == ["first blocked (2 attempts)"]
    finally:
        sim.stop()

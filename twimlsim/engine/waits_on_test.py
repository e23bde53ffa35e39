"""Calls waiting for input nobody scripted: they wait on the test (``call.run()`` stops
there). A script the test writes meanwhile (``sim.phone(n).presses("1")``) is given at
that wait when the simulation runs again, as it would have been had it been written
first."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .caller import ScriptStep
    from .session import SimCall

__all__ = ["WaitsOnTest"]

#: How many entries the list may hold before the waits that are over are dropped.
_FIRST_COMPACTION = 64


class WaitsOnTest:
    """The calls that started waiting on the test, some of whose waits may be over."""

    def __init__(self) -> None:
        self._calls: list[SimCall] = []
        self._compact_at = _FIRST_COMPACTION

    def add(self, call: SimCall) -> None:
        """``call`` started waiting for input its far end has no script for."""
        calls = self._calls
        calls.append(call)
        if len(calls) > self._compact_at:  # a long serve whose waits time out one by one
            calls[:] = [c for c in calls if not c.ended and c.waiting_for is not None]
            self._compact_at = 2 * len(calls) + _FIRST_COMPACTION

    def give_scripted(self, give: Callable[[SimCall, ScriptStep], None]) -> None:
        """Give each call still waiting the input scripted for its far end since."""
        if not self._calls:
            return
        calls, self._calls = self._calls, []
        for call in calls:
            waiting = call.waiting_for
            if waiting is None or not waiting.input or waiting.prompting:
                continue  # that wait is over
            step = call.phone.take_input()
            if step is None:
                self._calls.append(call)  # still waiting on the test
                continue
            call.waiting_step = None
            give(call, step)

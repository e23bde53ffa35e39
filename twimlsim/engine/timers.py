"""A scheduler whose events can be cancelled without moving the clock to them.

A call arms timers it may never need (the far end's hang-up, the time limit, a Gather's
timeout). When the call ends first, the timer is cancelled; a cancelled event is dropped
from the heap without moving the virtual clock, so ``sim.run()`` leaves the clock at the
last thing that really happened rather than four hours later.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable

from twimlsim.clock import Scheduler

__all__ = ["CancellableScheduler", "Timer"]


class Timer:
    """A scheduled action that can be cancelled before it falls due."""

    __slots__ = ("_action", "cancelled")

    def __init__(self, action: Callable[[], None]) -> None:
        self._action = action
        self.cancelled = False

    def cancel(self) -> None:
        """Do not run the action; the clock will not move to its instant either."""
        self.cancelled = True

    def __call__(self) -> None:
        if not self.cancelled:
            self.cancelled = True
            self._action()


class CancellableScheduler(Scheduler):
    """``Scheduler`` plus ``timer(micros, action)``, which returns a cancellable ``Timer``."""

    def timer(self, micros: int, action: Callable[[], None]) -> Timer:
        """Run ``action`` at ``micros`` unless the returned timer is cancelled first."""
        timer = Timer(action)
        self.call_at(micros, timer)
        return timer

    def _drop_cancelled(self) -> None:
        heap = self._heap
        while heap:
            action = heap[0][2]
            if not (isinstance(action, Timer) and action.cancelled):
                return
            heapq.heappop(heap)

    def __len__(self) -> int:
        self._drop_cancelled()
        return len(self._heap)

    def next_due(self) -> int | None:
        """The instant of the next live event, or None."""
        self._drop_cancelled()
        return super().next_due()

    def run_next(self) -> bool:
        """Move the clock to the next live event and run it; False when there is none."""
        self._drop_cancelled()
        return super().run_next()

    def run_until(self, micros: int) -> None:
        """Run every live event due up to ``micros``, then leave the clock at ``micros``."""
        while True:
            due = self.next_due()
            if due is None or due > micros:
                break
            self.run_next()
        self.clock.move_to(max(micros, self.clock.micros))

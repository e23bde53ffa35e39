"""The virtual clock and the event scheduler every simulated call runs on.

Nothing here reads the wall clock or sleeps: time only moves when the scheduler runs the
next due event or when a test moves it by hand. Time is kept as whole microseconds since
the simulation's start so that pacing (1/CPS seconds) never accumulates float error.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

__all__ = ["DEFAULT_START", "Scheduler", "Timer", "VirtualClock", "to_micros"]

#: Where virtual time starts unless ``Simulator(start=...)`` says otherwise: a fixed instant,
#: so that every run of a test produces the same timestamps.
DEFAULT_START = datetime(2026, 1, 1, 9, 0, 0, tzinfo=UTC)

_MICROS = 1_000_000


def to_micros(seconds: float | timedelta) -> int:
    """Convert seconds (or a timedelta) to whole microseconds, rounding to the nearest."""
    if isinstance(seconds, timedelta):
        return (seconds.days * 86_400 + seconds.seconds) * _MICROS + seconds.microseconds
    return round(seconds * _MICROS)


class VirtualClock:
    """A clock that only moves when told to.

    ``now`` is an aware UTC datetime; ``micros`` is the same instant as microseconds since
    ``start``. Listeners (the freezegun bridge) are told of every move.
    """

    def __init__(self, start: datetime = DEFAULT_START) -> None:
        if start.tzinfo is None:
            raise ValueError(
                f"the virtual clock needs a timezone-aware start, got naive {start!r}; "
                "pass e.g. datetime(2026, 1, 1, tzinfo=timezone.utc)"
            )
        self.start = start.astimezone(UTC)
        self.micros = 0
        self._listeners: list[Callable[[datetime], None]] = []
        # ``now`` is read many times per instant (every webhook, every event): keep it.
        self._now = self.start
        self._now_micros = 0

    @property
    def now(self) -> datetime:
        """The current virtual time (aware, UTC)."""
        if self._now_micros != self.micros:
            self._now = self.at(self.micros)
            self._now_micros = self.micros
        return self._now

    def at(self, micros: int) -> datetime:
        """The aware UTC datetime of an instant given in microseconds since ``start``."""
        return self.start + timedelta(microseconds=micros)

    def subscribe(self, listener: Callable[[datetime], None]) -> None:
        """Call ``listener(now)`` after every move of the clock."""
        self._listeners.append(listener)

    def move_to(self, micros: int) -> None:
        """Move to an instant (microseconds since start); time never goes backwards."""
        if micros < self.micros:
            raise ValueError(
                f"virtual time cannot go backwards: at {self.micros} us, asked for {micros} us"
            )
        if micros == self.micros:
            return
        self.micros = micros
        now = self.now
        for listener in self._listeners:
            listener(now)

    def shift(self, delta: float | timedelta) -> None:
        """Move forward by ``delta`` seconds (or a timedelta)."""
        self.move_to(self.micros + to_micros(delta))


def _nothing() -> None:
    pass


class Timer:
    """A scheduled event; ``cancel()`` drops it without moving the clock to its instant."""

    __slots__ = ("_scheduler", "action", "cancelled", "due")

    def __init__(
        self, due: int, action: Callable[[], None], scheduler: Scheduler | None = None
    ) -> None:
        self.due = due
        self.action = action
        self.cancelled = False
        #: The scheduler whose heap holds this timer (None once it left the heap).
        self._scheduler = scheduler

    def cancel(self) -> None:
        """Never run this event (cancelling twice, or after it ran, does nothing)."""
        if self.cancelled:
            return
        self.cancelled = True
        self.action = _nothing  # what it would have run (a call's closures) is let go now
        scheduler, self._scheduler = self._scheduler, None
        if scheduler is not None:
            scheduler._cancelled_one()


class Scheduler:
    """A heap of callbacks due at virtual instants, run in time order then FIFO.

    Cancelled events never run and never move the clock (a timer that no longer matters
    must not make virtual time jump). They are not counted as pending, what they would
    have run is let go at once, and the heap sheds them whenever they outnumber the live
    events (a finished call's four-hour time limit does not stay behind).
    """

    def __init__(self, clock: VirtualClock) -> None:
        self.clock = clock
        self._heap: list[tuple[int, int, Timer]] = []
        self._order = itertools.count()
        self._cancelled = 0

    def __len__(self) -> int:
        """The events still to run (cancelled ones do not count)."""
        return len(self._heap) - self._cancelled

    def call_at(self, micros: int, action: Callable[[], None]) -> Timer:
        """Run ``action`` when the clock reaches ``micros`` (never earlier than now)."""
        timer = Timer(max(micros, self.clock.micros), action, self)
        heapq.heappush(self._heap, (timer.due, next(self._order), timer))
        return timer

    def _cancelled_one(self) -> None:
        self._cancelled += 1
        if self._cancelled * 2 > len(self._heap):
            self._heap = [entry for entry in self._heap if not entry[2].cancelled]
            heapq.heapify(self._heap)
            self._cancelled = 0

    def call_later(self, seconds: float, action: Callable[[], None]) -> Timer:
        """Run ``action`` ``seconds`` from now."""
        return self.call_at(self.clock.micros + to_micros(seconds), action)

    def _discard_cancelled(self) -> None:
        heap = self._heap
        while heap and heap[0][2].cancelled:
            heapq.heappop(heap)
            self._cancelled -= 1

    def next_due(self) -> int | None:
        """The instant of the next event, or None when nothing is scheduled."""
        self._discard_cancelled()
        return self._heap[0][0] if self._heap else None

    def run_next(self) -> bool:
        """Move the clock to the next event and run it; False when there is none."""
        self._discard_cancelled()
        if not self._heap:
            return False
        micros, _, timer = heapq.heappop(self._heap)
        timer._scheduler = None  # it left the heap: cancelling it now changes no count
        self.clock.move_to(micros)
        timer.cancelled = True
        action, timer.action = timer.action, _nothing
        action()
        return True

    def run_until_idle(self) -> None:
        """Run events until none is left."""
        while self.run_next():
            pass

    def run_until(self, micros: int) -> None:
        """Run every event due up to ``micros``, then leave the clock at ``micros``."""
        while (due := self.next_due()) is not None and due <= micros:
            self.run_next()
        self.clock.move_to(max(micros, self.clock.micros))

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

__all__ = ["DEFAULT_START", "Scheduler", "VirtualClock", "to_micros"]

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

    @property
    def now(self) -> datetime:
        """The current virtual time (aware, UTC)."""
        return self.at(self.micros)

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


class Scheduler:
    """A heap of callbacks due at virtual instants, run in time order then FIFO."""

    def __init__(self, clock: VirtualClock) -> None:
        self.clock = clock
        self._heap: list[tuple[int, int, Callable[[], None]]] = []
        self._order = itertools.count()

    def __len__(self) -> int:
        return len(self._heap)

    def call_at(self, micros: int, action: Callable[[], None]) -> None:
        """Run ``action`` when the clock reaches ``micros`` (never earlier than now)."""
        heapq.heappush(self._heap, (max(micros, self.clock.micros), next(self._order), action))

    def call_later(self, seconds: float, action: Callable[[], None]) -> None:
        """Run ``action`` ``seconds`` from now."""
        self.call_at(self.clock.micros + to_micros(seconds), action)

    def next_due(self) -> int | None:
        """The instant of the next event, or None when nothing is scheduled."""
        return self._heap[0][0] if self._heap else None

    def run_next(self) -> bool:
        """Move the clock to the next event and run it; False when there is none."""
        if not self._heap:
            return False
        micros, _, action = heapq.heappop(self._heap)
        self.clock.move_to(micros)
        action()
        return True

    def run_until_idle(self) -> None:
        """Run events until none is left."""
        while self.run_next():
            pass

    def run_until(self, micros: int) -> None:
        """Run every event due up to ``micros``, then leave the clock at ``micros``."""
        while self._heap and self._heap[0][0] <= micros:
            self.run_next()
        self.clock.move_to(max(micros, self.clock.micros))

"""The virtual clock and the event scheduler every simulated call runs on.

Nothing here reads the wall clock or sleeps: time only moves when the scheduler runs the
next due event or when a test moves it by hand. Time is kept as whole microseconds since
the simulation's start so that pacing (1/CPS seconds) never accumulates float error.
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

__all__ = [
    "DEFAULT_START",
    "MAX_MICROS",
    "Scheduler",
    "Timer",
    "VirtualClock",
    "advance_micros",
    "to_micros",
]

#: Where virtual time starts unless ``Simulator(start=...)`` says otherwise: a fixed instant,
#: so that every run of a test produces the same timestamps.
DEFAULT_START = datetime(2026, 1, 1, 9, 0, 0, tzinfo=UTC)

_MICROS = 1_000_000

#: The furthest the virtual clock may run from its start: 1,000 years. Far beyond any call
#: (a TimeLimit is at most 24 hours) and far inside what a ``datetime`` can hold, so that a
#: huge ``advance()`` is refused with a clear error instead of corrupting the clock.
MAX_MICROS = 1000 * 366 * 86_400 * _MICROS


def advance_micros(seconds: float, advance: str, advance_zero: str) -> int:
    """An advance's step in whole microseconds; a ``ValueError`` for a positive time too
    small to move the clock (a loop advancing by it would never end). ``advance`` names the
    advance as the caller wrote it, ``advance_zero`` the advance by 0, which runs what is
    due now."""
    micros = to_micros(seconds)
    if micros == 0 < seconds:
        raise ValueError(
            f"{advance}: virtual time counts whole microseconds, and {seconds!r} s rounds to "
            f"none, so the clock would not move; advance by 0.000001 s or more "
            f"({advance_zero} runs what is due now)"
        )
    return micros


def to_micros(seconds: float | timedelta) -> int:
    """Convert seconds (or a timedelta) to whole microseconds, rounding to the nearest.

    Raises ``ValueError`` for a number that is not finite (``inf``, ``nan``).
    """
    if isinstance(seconds, timedelta):
        return (seconds.days * 86_400 + seconds.seconds) * _MICROS + seconds.microseconds
    if not math.isfinite(seconds):
        raise ValueError(f"a time in seconds must be a finite number, got {seconds!r}")
    micros = seconds * _MICROS
    if math.isinf(micros):  # a float from about 1.8e302 up: exact, past any clock's reach
        return int(seconds) * _MICROS
    return round(micros)


def _seconds_text(seconds: int) -> str:
    """Whole seconds for a message: digits grouped, or the power of ten of a huge number
    (a float near the top of the floats would be written out in over 300 digits)."""
    if seconds < 10**18:
        return f"{seconds:,}"
    return f"about 1e{int(math.log10(seconds))}"


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
        #: The current virtual time (aware, UTC): ``micros`` as a datetime, kept by every
        #: move (it is read many times per instant: every webhook, every event).
        self.now = self.start
        #: The furthest instant the clock may reach (``check_reachable``).
        self.limit = min(MAX_MICROS, to_micros(datetime.max.replace(tzinfo=UTC) - self.start))

    def __repr__(self) -> str:
        # exact to the microsecond (a float's :g would cut 12 days to 1.0368e+06 s)
        whole, fraction = divmod(self.micros, _MICROS)
        elapsed = f"{whole}.{fraction:06d}".rstrip("0").rstrip(".")
        return f"<VirtualClock at {self.now}, {elapsed} s after {self.start}>"

    def at(self, micros: int) -> datetime:
        """The aware UTC datetime of an instant given in microseconds since ``start``."""
        return self.start + timedelta(microseconds=micros)

    def subscribe(self, listener: Callable[[datetime], None]) -> None:
        """Call ``listener(now)`` after every move of the clock."""
        self._listeners.append(listener)

    def check_reachable(self, micros: int) -> None:
        """Raise ``ValueError`` unless the clock may move to ``micros`` (at most
        ``MAX_MICROS`` after start, and a date a ``datetime`` can hold)."""
        if micros > self.limit:
            raise ValueError(
                f"virtual time cannot reach {_seconds_text(micros // _MICROS)} s after the start "
                f"({self.start.isoformat()}): the clock runs at most "
                f"{MAX_MICROS // _MICROS // 86_400:,} days from its start and up to year 9999; "
                "advance by a smaller number of seconds"
            )

    def move_to(self, micros: int) -> None:
        """Move to an instant (microseconds since start); time never goes backwards.

        Raises ``ValueError`` (and leaves the clock where it was) for an instant in the past
        or out of range (``check_reachable``).
        """
        if micros < self.micros:
            raise ValueError(
                f"virtual time cannot go backwards: at {self.micros} us, asked for {micros} us; "
                "move to an instant at or after now (shift(seconds) moves forward from it)"
            )
        if micros == self.micros:
            return
        if micros > self.limit:
            self.check_reachable(micros)
        self.micros = micros
        self.now = now = self.at(micros)
        for listener in self._listeners:
            listener(now)

    def restart(self, start: datetime) -> None:
        """Start again at ``start`` (aware), before the clock has moved: what is scheduled
        keeps its offset from the start. ``ValueError`` once it has moved."""
        if self.micros:
            raise ValueError("the virtual clock has moved: it can no longer start again")
        self.start = self.now = start.astimezone(UTC)
        self.limit = min(MAX_MICROS, to_micros(datetime.max.replace(tzinfo=UTC) - self.start))

    def shift(self, delta: float | timedelta) -> None:
        """Move forward by ``delta`` seconds (or a timedelta)."""
        self.move_to(self.micros + to_micros(delta))


class Timer:
    """A scheduled event; ``cancel()`` drops it without moving the clock to its instant."""

    __slots__ = ("action", "cancelled", "due", "owner")

    def __init__(
        self, due: int, action: Callable[[], None], owner: Scheduler | None = None
    ) -> None:
        self.due = due
        self.action = action
        self.cancelled = False
        self.owner = owner

    def cancel(self) -> None:
        """Never run this event (cancelling twice, or after it ran, does nothing)."""
        if self.cancelled:
            return
        self.cancelled = True
        self.action = _nothing  # whatever the action held (a call, its closures) is freed
        if self.owner is not None:
            self.owner.cancelled_one()


def _nothing() -> None:
    pass


class Scheduler:
    """A heap of callbacks due at virtual instants, run in time order then FIFO.

    Cancelled events are discarded when they reach the top of the heap, without moving the
    clock: a timer that no longer matters must not make virtual time jump. ``len()`` counts
    only the events still to run. Ended calls leave cancelled timers behind (a four-hour
    time limit) while other calls go on: the heap is rebuilt without them as soon as they
    are more than half of it, or ``COMPACT_AT`` or more and an eighth of it, so that no
    more of them stay than there are events still to run (fewer in a large heap), and
    memory stays flat under steady load. Each rebuild removes at least an eighth of the
    heap, so its cost per cancelled event stays constant.
    """

    #: Rebuild the heap when it holds at least this many cancelled events, and they are
    #: more than ``1 / COMPACT_SHARE`` of it. A rebuild goes through the whole heap: it
    #: costs at most ``COMPACT_SHARE`` entries for each event it removes (under 1 us).
    COMPACT_AT = 64
    COMPACT_SHARE = 8

    def __init__(self, clock: VirtualClock) -> None:
        self.clock = clock
        self._heap: list[tuple[int, int, Timer]] = []
        self._order = itertools.count()
        #: Cancelled events still in the heap.
        self.cancelled_in_heap = 0

    def __len__(self) -> int:
        return len(self._heap) - self.cancelled_in_heap

    def call_at(self, micros: int, action: Callable[[], None]) -> Timer:
        """Run ``action`` when the clock reaches ``micros`` (never earlier than now)."""
        timer = Timer(max(micros, self.clock.micros), action, self)
        heapq.heappush(self._heap, (timer.due, next(self._order), timer))
        return timer

    def cancelled_one(self) -> None:
        """Count one more cancelled event in the heap; shed them when they are many."""
        self.cancelled_in_heap = cancelled = self.cancelled_in_heap + 1
        size = len(self._heap)
        if 2 * cancelled > size or (
            cancelled >= self.COMPACT_AT and cancelled * self.COMPACT_SHARE > size
        ):
            self._compact()

    def _compact(self) -> None:
        self._heap = [entry for entry in self._heap if not entry[2].cancelled]
        heapq.heapify(self._heap)
        self.cancelled_in_heap = 0

    def call_later(self, seconds: float, action: Callable[[], None]) -> Timer:
        """Run ``action`` ``seconds`` from now."""
        return self.call_at(self.clock.micros + to_micros(seconds), action)

    def _discard_cancelled(self) -> None:
        heap = self._heap
        while heap and heap[0][2].cancelled:
            heapq.heappop(heap)
            self.cancelled_in_heap -= 1

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
        self.clock.move_to(micros)
        timer.cancelled = True  # popped: a later cancel() changes nothing
        timer.action()
        return True

    def run_until_idle(self) -> None:
        """Run events until none is left."""
        while self.run_next():
            pass

    def run_until(self, micros: int) -> None:
        """Run every event due up to ``micros``, then leave the clock at ``micros``.

        An instant the clock cannot reach raises ``ValueError`` before anything runs.
        """
        self.clock.check_reachable(micros)
        while (due := self.next_due()) is not None and due <= micros:
            self.run_next()
        self.clock.move_to(max(micros, self.clock.micros))

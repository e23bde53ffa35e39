"""The log of every problem of a simulation (``sim.failures``): a list the simulation
appends to and tests read, but cannot take from.

Strict mode reports the problems added since it last looked, by their position in the log:
a test that cleared it (``sim.failures.clear()`` after asserting the expected ones) would
silently hide every later problem. Removing or replacing entries is therefore refused with
a ``TypeError`` that says what to do instead; ``serve``'s retention forgets the failures of
forgotten calls through ``keep_only``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, NoReturn, SupportsIndex

from twimlsim.errors import CallFailure

if TYPE_CHECKING:
    from twimlsim.clock import VirtualClock

__all__ = ["FailureLog"]

_REFUSED = (
    "sim.failures is the log strict mode reports problems from, so it cannot be changed "
    "(a cleared log would hide every later problem). To accept chosen codes pass "
    "Simulator(allow_codes={...}); to look only at the problems since a point, keep "
    "n = len(sim.failures) then and read sim.failures[n:]; to start afresh, sim.reset()"
)


class FailureLog(list[CallFailure]):
    """``CallFailure``s in the order they happened; append-only for everyone but
    ``keep_only``. With a ``clock``, the virtual time each was added at is kept too
    (``times``: what the REST Notifications resource reports as its date)."""

    def __init__(self, clock: VirtualClock | None = None) -> None:
        super().__init__()
        self._clock = clock
        #: The virtual time of each failure, in the log's order (with a clock).
        self.times: list[datetime] = []

    def __reduce__(self) -> tuple[type[list[CallFailure]], tuple[list[CallFailure]]]:
        # a copy (copy, deepcopy, pickle) is a snapshot: a plain list of the failures, not
        # another log tied to the simulation's clock
        return list, (list(self),)

    def append(self, failure: CallFailure) -> None:
        """Add ``failure`` at the end, at the clock's time."""
        super().append(failure)
        if self._clock is not None:
            self.times.append(self._clock.now)

    def extend(self, failures: Iterable[CallFailure]) -> None:
        """Add each of ``failures`` at the end, at the clock's time."""
        for failure in failures:
            self.append(failure)

    def timed(self) -> list[tuple[CallFailure, datetime]]:
        """Each failure with the virtual time it was added at (empty without a clock)."""
        return list(zip(self, self.times, strict=False))

    def keep_only(self, keep: Callable[[CallFailure], bool]) -> None:
        """Forget the failures ``keep`` rejects (the retention of ``twimlsim serve``)."""
        kept = [(failure, index) for index, failure in enumerate(self) if keep(failure)]
        list.__setitem__(self, slice(None), [failure for failure, _ in kept])
        if self._clock is not None:
            self.times = [self.times[index] for _, index in kept]

    def _refuse(self) -> NoReturn:
        raise TypeError(_REFUSED)

    def clear(self) -> None:
        """Refused: see the module's docstring."""
        self._refuse()

    def pop(self, index: SupportsIndex = -1) -> CallFailure:
        """Refused: see the module's docstring."""
        self._refuse()

    def remove(self, value: CallFailure) -> None:
        """Refused: see the module's docstring."""
        self._refuse()

    def insert(self, index: SupportsIndex, value: CallFailure) -> None:
        """Refused: a failure goes at the end, when it happens."""
        self._refuse()

    def sort(self, *args: object, **kwargs: object) -> None:
        """Refused: the log keeps the order the problems happened in."""
        self._refuse()

    def reverse(self) -> None:
        """Refused: the log keeps the order the problems happened in."""
        self._refuse()

    def __delitem__(self, index: SupportsIndex | slice) -> None:
        self._refuse()

    def __setitem__(self, index: object, value: object) -> None:
        self._refuse()

    def __imul__(self, times: SupportsIndex) -> NoReturn:
        self._refuse()

    def __iadd__(self, values: Iterable[CallFailure]) -> FailureLog:  # type: ignore[override,misc]
        self.extend(values)
        return self

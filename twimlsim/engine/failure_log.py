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
from typing import NoReturn, SupportsIndex

from twimlsim.errors import CallFailure

__all__ = ["FailureLog"]

_REFUSED = (
    "sim.failures is the log strict mode reports problems from, so it cannot be changed "
    "(a cleared log would hide every later problem). To accept chosen codes pass "
    "Simulator(allow_codes={...}); to look only at the problems since a point, keep "
    "n = len(sim.failures) then and read sim.failures[n:]; to start afresh, sim.reset()"
)


class FailureLog(list[CallFailure]):
    """``CallFailure``s in the order they happened; append-only for everyone but
    ``keep_only``."""

    def keep_only(self, keep: Callable[[CallFailure], bool]) -> None:
        """Forget the failures ``keep`` rejects (the retention of ``twimlsim serve``)."""
        list.__setitem__(self, slice(None), [failure for failure in self if keep(failure)])

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

"""Who wants to know when a simulator starts (the pytest plugin collects each test's)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .simulator import Simulator

__all__ = ["ON_START", "started"]

#: Called with each ``Simulator`` as it starts.
ON_START: list[Callable[[Simulator], None]] = []


def started(simulator: Simulator) -> None:
    """Tell every watcher that ``simulator`` has started."""
    for watcher in ON_START:
        watcher(simulator)

"""The freezegun bridge: app code that reads the time sees the virtual clock.

While a simulator runs, ``datetime.now()``, ``time.time()`` and friends return the virtual
time (via freezegun), and move whenever the virtual clock moves. The simulator itself never
reads the wall clock; this bridge only serves the app under test.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import freezegun

__all__ = ["FreezeBridge"]


class FreezeBridge:
    """Freezes time at the virtual clock's instant and follows it."""

    def __init__(self) -> None:
        self._freezer: Any = None
        self._factory: Any = None

    @property
    def active(self) -> bool:
        """True while time is frozen by this bridge."""
        return self._factory is not None

    def start(self, now: datetime) -> None:
        """Freeze time at ``now``."""
        # real_asyncio: event loops (an ASGI app's) keep real time for their own scheduling
        self._freezer = freezegun.freeze_time(now, real_asyncio=True)
        self._factory = self._freezer.start()

    def move(self, now: datetime) -> None:
        """Move frozen time to ``now`` (the clock's listener)."""
        if self._factory is not None:
            self._factory.move_to(now)

    def stop(self) -> None:
        """Unfreeze time."""
        if self._freezer is not None:
            self._freezer.stop()
        self._freezer = self._factory = None

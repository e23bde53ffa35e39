"""Each call runs as a generator that yields how long it waits; this drives it on the clock.

A process can be interrupted (the far end hangs up, the time limit is reached, the REST API
redirects the call): the exception is thrown into the generator at the point where it
waits, and the wake-up it was waiting for is cancelled.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass

from twimlsim.clock import Scheduler, Timer

__all__ = ["Interrupt", "Process", "Sleep", "Steps"]


@dataclass(frozen=True, slots=True)
class Sleep:
    """Wait ``seconds`` of virtual time."""

    seconds: float


Steps = Generator[Sleep, None, None]


class Interrupt(Exception):
    """Thrown into a waiting process; ``reason`` names what cut it short."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Process:
    """Runs a generator of ``Sleep`` steps on the scheduler until it returns."""

    def __init__(self, scheduler: Scheduler, body: Steps) -> None:
        self._scheduler = scheduler
        self._body = body
        self._wake: Timer | None = None
        self._running = False
        self._pending: Interrupt | None = None
        self.done = False

    def start_at(self, micros: int) -> None:
        """Begin running the body at a virtual instant."""
        self._wake = self._scheduler.call_at(micros, self._resume)

    def interrupt(self, reason: Interrupt) -> None:
        """Throw ``reason`` into the body where it waits (or at its next wait)."""
        if self.done:
            return
        if self._running:
            self._pending = reason
            return
        if self._wake is not None:
            self._wake.cancel()
        self._advance(reason)

    def _resume(self) -> None:
        if not self.done:
            self._advance(None)

    def _advance(self, reason: Interrupt | None) -> None:
        self._running = True
        try:
            while True:
                try:
                    step = next(self._body) if reason is None else self._body.throw(reason)
                except StopIteration:
                    self.done = True
                    self._wake = None
                    return
                reason, self._pending = self._pending, None
                if reason is None:
                    break
        finally:
            self._running = False
        self._wake = self._scheduler.call_later(step.seconds, self._resume)

"""Each call leg runs as a generator of steps; this drives it on the virtual clock.

A body yields ``Sleep(seconds)`` to let time pass, or ``Listen(seconds, waiting)`` to wait
for something to be delivered to it: far-end input (``waiting`` describes what the call
waits for) or a signal from another leg (``waiting`` is None). ``Listen`` receives the
delivered value, or None when ``seconds`` pass first. The scripted far end and a test
driving the call by hand both answer through ``deliver``, so both run the same code.

A process can be interrupted (the far end hangs up, the time limit is reached...): the
exception is thrown into the generator where it waits, and its pending wake-up is cancelled.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import Any

from twimlsim.clock import Scheduler, Timer

__all__ = ["Interrupt", "Listen", "Process", "Sleep", "Step", "Steps", "Waiting"]


@dataclass(frozen=True, slots=True)
class Sleep:
    """Wait ``seconds`` of virtual time."""

    seconds: float


@dataclass(frozen=True, slots=True)
class Waiting:
    """What a call waits for from the far end (``SimCall.waiting_for``).

    ``verb`` is the TwiML verb (``"Gather"``, ``"Record"``, ``"Dial"``); ``input`` the kinds
    of input it takes (``"dtmf"``, ``"speech"``, ``"audio"``); ``timeout`` the seconds of
    silence after which it gives up (None: none); ``prompting`` is True while nested
    prompts still play (input then barges in); ``details`` what else shapes the input
    (a Gather's ``num_digits`` and ``finish_on_key``, a Record's ``finish_on_key`` and
    ``max_length``).
    """

    verb: str
    input: tuple[str, ...] = ("dtmf",)
    timeout: float | None = None
    prompting: bool = False
    details: dict[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True, slots=True)
class Listen:
    """Wait up to ``seconds`` (None: without limit) for a value to be delivered."""

    seconds: float | None
    waiting: Waiting | None = None


Step = Sleep | Listen
Steps = Generator[Step, Any, None]


class Interrupt(Exception):
    """Thrown into a waiting process; ``reason`` names what cut it short.

    A body that requests webhooks when cut short (a ``<Dial>``'s or ``<Record>``'s action,
    a room's callbacks) does so after its ``except Interrupt`` (or ``except
    GeneratorExit``) clause, never inside it: an exception the app raises while one is
    being handled gets it as its ``__context__``, and the app's own log of it (Flask's
    "Exception on /path") would show this class as the cause ("During handling of the
    above exception...") in a traceback through twimlsim's frames."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _finished_body() -> Generator[Step, Any, Any]:
    yield from ()


#: What a process holds once its body has ended (the body itself is let go).
_FINISHED = _finished_body()
_FINISHED.close()


class Process:
    """Runs a generator of steps on the scheduler until it returns."""

    __slots__ = (
        "_body",
        "_on_listen",
        "_pending",
        "_running",
        "_scheduler",
        "_started",
        "_timer",
        "done",
        "listening",
        "step_number",
    )

    def __init__(
        self,
        scheduler: Scheduler,
        body: Generator[Step, Any, Any],
        on_listen: Callable[[Listen], None] | None = None,
    ) -> None:
        self._scheduler = scheduler
        self._body = body
        self._on_listen = on_listen
        self._timer: Timer | None = None
        self._running = False
        self._pending: Interrupt | None = None
        self._started = False
        #: The ``Listen`` the body is parked on, if any.
        self.listening: Listen | None = None
        #: Bumped at every step, so a delivery meant for one wait never reaches the next.
        self.step_number = 0
        self.done = False

    def start_at(self, micros: int) -> None:
        """Begin running the body at a virtual instant."""
        self._timer = self._scheduler.call_at(micros, lambda: self._resume(None, None))

    def interrupt(self, reason: Interrupt) -> None:
        """Throw ``reason`` into the body where it waits (or at its next wait)."""
        if self.done:
            return
        if self._running:
            self._pending = reason
            return
        if not self._started and not self._begin():
            return
        self._resume(None, reason)

    def _begin(self) -> bool:
        """Run a body not begun yet up to its first wait; False if it ended there."""
        self._resume(None, None)
        return not self.done

    @property
    def running(self) -> bool:
        """True while the body itself is executing (a webhook of it is being answered)."""
        return self._running

    @property
    def interrupt_pending(self) -> bool:
        """True when an interruption arrived while the body was executing (the app updated
        the call while answering its webhook): it is thrown in at the body's next wait."""
        return self._pending is not None

    def stop(self) -> None:
        """End the body where it waits, running nothing more of it (a REST cancel)."""
        if self.done:
            return
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self.listening = None
        self._body.close()
        self._finish()

    def _finish(self) -> None:
        # An ended call stays in the log for the test to read: let go of what ran it.
        self.done = True
        self._body = _FINISHED
        self._on_listen = None

    def deliver(self, value: object, *, step: int | None = None) -> bool:
        """Hand ``value`` to the ``Listen`` the body waits on; False when it waits on none
        (or, with ``step``, when it has moved past that step)."""
        if self.done or self._running or self.listening is None:
            return False
        if step is not None and step != self.step_number:
            return False
        self._resume(value, None)
        return True

    def _resume(self, value: object, reason: Interrupt | None) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self.listening = None
        self._started = True
        self._running = True
        try:
            while True:
                try:
                    if reason is not None:
                        try:
                            step = self._body.throw(reason)
                        finally:
                            # Caught in the body or not, its traceback now holds the
                            # body's frames, and through them this one, which holds it:
                            # a cycle that would keep the whole simulation until a
                            # garbage collection (Python 3.13 keeps those frames)
                            reason.__traceback__ = None
                    else:
                        step = self._body.send(value)
                except StopIteration:
                    self._finish()
                    return
                except Interrupt as unhandled:
                    # A body that lets the interruption escape (or had not started yet)
                    # simply ends; anything else is a bug and propagates.
                    if unhandled is not reason:
                        raise
                    self._finish()
                    return
                value = None
                reason, self._pending = self._pending, None
                if reason is None:
                    break
        finally:
            self._running = False
        self.step_number += 1
        self._park(step)

    def _park(self, step: Step) -> None:
        seconds = step.seconds
        if seconds is not None:
            due = self._scheduler.clock.micros + round(seconds * 1_000_000)
            self._timer = self._scheduler.call_at(due, lambda: self._resume(None, None))
        if isinstance(step, Listen):
            self.listening = step
            if self._on_listen is not None:
                self._on_listen(step)

"""``SimCall``: one simulated call as a test sees it, and the engine's state for it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from twimlsim.clock import Timer
from twimlsim.model.call import Call

from .caller import Phone
from .events import Event, Said
from .fetch import CookieJar
from .process import Process
from .webhooks import WebhookRequest

if TYPE_CHECKING:
    from datetime import datetime

    from .engine import NewCall

__all__ = ["SimCall"]


class SimCall:
    """A simulated call: its Twilio record, what the far end heard, and every webhook.

    Read ``status``, ``duration``, ``said``, ``transcript`` and ``requests`` after
    ``sim.run()``; ``run()`` drives this call alone, step by step.
    """

    def __init__(
        self,
        record: Call,
        phone: Phone,
        runner: Callable[[SimCall], None],
        *,
        options: NewCall | None = None,
    ) -> None:
        self.record = record
        #: What the REST create asked for (None for inbound and dialled legs).
        self.options = options
        self.phone = phone
        self.transcript: list[Event] = []
        self.requests: list[WebhookRequest] = []
        self.cookies = CookieJar()
        self.process: Process | None = None
        self.document_url: str | None = None
        self.sequence_number = 0
        #: Timers armed for this call (hang-up, time limit), cancelled when it ends.
        self.timers: list[Timer] = []
        self._runner = runner

    def __repr__(self) -> str:
        return (
            f"<SimCall {self.sid} {self.record.direction.value} "
            f"{self.record.from_} -> {self.record.to} {self.status}>"
        )

    @property
    def sid(self) -> str:
        """The call SID (``CA...``)."""
        return self.record.sid

    @property
    def status(self) -> str:
        """Twilio's status string: ``queued``, ``ringing``, ``in-progress``, ``completed``..."""
        return self.record.status.value

    @property
    def ended(self) -> bool:
        """True once the call has reached a final status."""
        return self.record.status.is_terminal

    @property
    def duration(self) -> int | None:
        """Seconds from answer to hang-up (0 if never answered); None while the call lives."""
        return self.record.duration

    @property
    def answered_at(self) -> datetime | None:
        """The virtual time the far end answered, if it did."""
        return self.record.answered_at

    @property
    def said(self) -> list[str]:
        """The texts of every ``<Say>`` the far end heard, in order (loops not repeated)."""
        return [event.text for event in self.transcript if isinstance(event, Said)]

    def run(self) -> SimCall:
        """Advance virtual time until this call waits on the far end or ends."""
        self._runner(self)
        return self

"""The Call record: what Twilio knows about one call, and the moves its status may make."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

__all__ = [
    "Call",
    "CallStatus",
    "Direction",
    "InvalidTransition",
    "Location",
    "StatusCallbackConfig",
]


class CallStatus(StrEnum):
    """A call's status, as Twilio's REST API spells it."""

    QUEUED = "queued"
    RINGING = "ringing"
    IN_PROGRESS = "in-progress"
    COMPLETED = "completed"
    BUSY = "busy"
    FAILED = "failed"
    NO_ANSWER = "no-answer"
    CANCELED = "canceled"

    @property
    def is_terminal(self) -> bool:
        """True once the call has ended."""
        return self in _TERMINAL


_TERMINAL = frozenset(
    {
        CallStatus.COMPLETED,
        CallStatus.BUSY,
        CallStatus.FAILED,
        CallStatus.NO_ANSWER,
        CallStatus.CANCELED,
    }
)

#: The moves a call's status may make; anything else is a bug in the engine.
TRANSITIONS: dict[CallStatus, frozenset[CallStatus]] = {
    CallStatus.QUEUED: frozenset(
        {CallStatus.RINGING, CallStatus.CANCELED, CallStatus.FAILED, CallStatus.BUSY}
    ),
    CallStatus.RINGING: frozenset(
        {
            CallStatus.IN_PROGRESS,
            CallStatus.BUSY,
            CallStatus.NO_ANSWER,
            CallStatus.FAILED,
            CallStatus.CANCELED,
        }
    ),
    CallStatus.IN_PROGRESS: frozenset({CallStatus.COMPLETED}),
    CallStatus.COMPLETED: frozenset(),
    CallStatus.BUSY: frozenset(),
    CallStatus.FAILED: frozenset(),
    CallStatus.NO_ANSWER: frozenset(),
    CallStatus.CANCELED: frozenset(),
}


class Direction(StrEnum):
    """Who started the call, as Twilio spells it."""

    INBOUND = "inbound"
    OUTBOUND_API = "outbound-api"
    OUTBOUND_DIAL = "outbound-dial"


class InvalidTransition(RuntimeError):
    """The engine tried a status change Twilio never makes."""


@dataclass(slots=True)
class StatusCallbackConfig:
    """Where and for which events a call's progress is reported."""

    url: str | None = None
    method: str = "POST"
    events: frozenset[str] = frozenset({"completed"})


@dataclass(slots=True)
class Location:
    """Where a number is, as Twilio's geo parameters report it (``FromCity``,
    ``FromState``, ``FromZip``, ``FromCountry``...). ``country`` None: derived from the
    number's calling code; the rest is empty unless a test sets it."""

    city: str = ""
    state: str = ""
    zip: str = ""
    country: str | None = None


@dataclass(slots=True)
class Call:
    """One call leg, with the fields Twilio's Call resource reports.

    Times are aware UTC datetimes of the virtual clock. ``answered_at`` is not a Twilio
    field: durations count from it (ringing excluded).
    """

    sid: str
    account_sid: str
    to: str
    from_: str
    direction: Direction
    created_at: datetime
    status: CallStatus = CallStatus.QUEUED
    url: str | None = None
    method: str = "POST"
    twiml: str | None = None
    fallback_url: str | None = None
    fallback_method: str = "POST"
    status_callback: StatusCallbackConfig = field(default_factory=StatusCallbackConfig)
    timeout: int = 60
    time_limit: int = 14400
    parent_call_sid: str | None = None
    phone_number_sid: str | None = None
    queue_time_ms: int = 0
    updated_at: datetime | None = None
    start_time: datetime | None = None
    answered_at: datetime | None = None
    end_time: datetime | None = None
    answered_by: str | None = None
    #: What the carrier told of an inbound call (the ``ForwardedFrom`` and ``CallerName``
    #: its first request carried), reported as ``forwarded_from`` and ``caller_name``.
    forwarded_from: str | None = None
    caller_name: str | None = None
    #: Where the ``From`` and ``To`` numbers are (``sim.phone(number).located(...)``).
    from_location: Location | None = None
    to_location: Location | None = None
    #: The TwiML App whose voice URLs the call runs (``ApplicationSid`` on its requests).
    application_sid: str | None = None

    def move_to(self, status: CallStatus, at: datetime) -> None:
        """Change status along an allowed transition, stamping ``updated_at``."""
        if status not in TRANSITIONS[self.status]:
            raise InvalidTransition(f"call {self.sid}: {self.status} -> {status} is not allowed")
        self.status = status
        self.updated_at = at

    @property
    def duration(self) -> int | None:
        """Whole seconds from answer to end; 0 for a call that ended unanswered, None while live."""
        if self.end_time is None:
            return None
        if self.answered_at is None:
            return 0
        return round((self.end_time - self.answered_at).total_seconds())

"""What happened on a call, as typed transcript events, each stamped with virtual time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = [
    "Answered",
    "Event",
    "HungUp",
    "Paused",
    "Redirected",
    "Said",
    "WebhookFailed",
]


@dataclass(frozen=True, slots=True)
class Event:
    """Base of every transcript event: ``at`` is the virtual time it began."""

    at: datetime


@dataclass(frozen=True, slots=True)
class Answered(Event):
    """The far end picked up."""


@dataclass(frozen=True, slots=True)
class Said(Event):
    """A ``<Say>`` (or Twilio's own message) was spoken ``loop`` times."""

    text: str
    voice: str
    language: str
    loop: int = 1


@dataclass(frozen=True, slots=True)
class Paused(Event):
    """A ``<Pause>`` of ``seconds``."""

    seconds: int


@dataclass(frozen=True, slots=True)
class Redirected(Event):
    """Control moved to another document (``<Redirect>``)."""

    url: str
    method: str


@dataclass(frozen=True, slots=True)
class WebhookFailed(Event):
    """A request for TwiML failed with a Twilio error code."""

    url: str
    code: int
    message: str


@dataclass(frozen=True, slots=True)
class HungUp(Event):
    """The call ended; ``by`` is ``"twiml"``, ``"caller"``, ``"time-limit"`` or ``"api"``."""

    by: str
    status: str

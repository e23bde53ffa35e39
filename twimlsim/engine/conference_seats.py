"""What a room keeps of each participant: the seat, what a joining participant asks for,
where the room's callbacks go, and the signals thrown into a participant's leg.

The rooms themselves are ``conferences.py``.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from twimlsim.model.conference import MAX_PARTICIPANTS, Participant

from .conference_recording import RoomRecording
from .hosted import DEFAULT_WAIT_URL
from .process import Interrupt

if TYPE_CHECKING:
    from .session import SimCall

__all__ = [
    "DEFAULT_EVENTS",
    "Callbacks",
    "JoinRefused",
    "LeftRoom",
    "RoomEvent",
    "Seat",
    "SeatChanged",
    "Seating",
    "wait_music",
]

#: ``statusCallbackEvent`` when a ``statusCallback`` comes without it (the REST default).
DEFAULT_EVENTS = frozenset({"start", "end"})


def wait_music(
    url: str | None, method: str, resolve: Callable[[str], str] = str
) -> tuple[str | None, str]:
    """The wait document and method of a participant asking for ``url`` (a ``waitUrl``,
    resolved with ``resolve``, or a REST ``WaitUrl``): None (not given) is Twilio's
    default hold music, requested with GET (its ``<Conference>`` page and warning 13234:
    "If you do not specify waitUrl, Twilio requests the default hold music with GET");
    the empty string is silence (no document)."""
    if url is None:
        return DEFAULT_WAIT_URL, "GET"
    return (resolve(url) if url else None), method


class SeatChanged(Interrupt):
    """Thrown into a participant's leg: what it hears changed (the room started...)."""

    def __init__(self) -> None:
        super().__init__("conference-news")


class LeftRoom(Interrupt):
    """Thrown into a participant's leg: the room took it out (``ended`` or ``kicked``)."""


class JoinRefused(Exception):
    """A join Twilio refuses: its error ``code`` and a message."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class Callbacks:
    """Where a room's status callbacks go, and which events."""

    url: str | None
    method: str = "POST"
    events: frozenset[str] = DEFAULT_EVENTS


@dataclass(slots=True)
class Seating:
    """What a joining participant asks for (``<Conference>`` attributes, or a REST add)."""

    label: str | None = None
    muted: bool = False
    beep: str = "true"
    start_conference_on_enter: bool = True
    end_conference_on_exit: bool = False
    coach: str | None = None
    wait_url: str | None = None
    wait_method: str = "POST"
    max_participants: int = MAX_PARTICIPANTS
    region: str | None = None
    callbacks: Callbacks | None = None
    #: ``record="record-from-start"``: how to record the room (None: not recorded).
    recording: RoomRecording | None = None


@dataclass(frozen=True, slots=True)
class RoomEvent:
    """One thing that happened in a room (whether or not a callback was sent for it)."""

    at: datetime
    event: str
    call_sid: str | None = None


@dataclass(slots=True)
class Seat:
    """A participant's place in a room, as the engine keeps it."""

    call: SimCall
    participant: Participant
    joined_micros: int
    wait_url: str | None = None
    wait_method: str = "POST"
    left: bool = False
    #: Why the room took the participant out (``ended``, ``kicked``), if it did.
    left_reason: str | None = None
    #: The participant's leg is done with the room (signals to it are void).
    gone: bool = False
    #: What a held participant hears: its ``HoldUrl``, by default Twilio's hold music (the
    #: blog post that introduced hold: "If omitted, Twilio will play default hold music");
    #: the empty string is silence.
    hold_url: str = DEFAULT_WAIT_URL
    hold_method: str = "GET"
    #: Announcements to play to this participant: URL, method, and the number of a
    #: room-wide announcement (None for one to this participant only).
    announcements: deque[tuple[str, str, int | None]] = field(default_factory=deque)
    #: An announcement is playing to it now (news waits until it is over).
    announcing: bool = False
    #: A ``SeatChanged`` is on its way to the leg (one covers every change of an instant).
    news_due: bool = False

"""A conference room of an account (Twilio's Conference resource, ``CF`` SID) and the
participants in it (the Participant subresource).

Pure data: who is in, with which flags, and how the room ended. The engine's
``conferences.py`` owns the rules (start, end, events).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

__all__ = ["MAX_PARTICIPANTS", "Conference", "ConferenceStatus", "Participant"]

#: A room holds at most this many participants (``maxParticipants`` default and maximum).
MAX_PARTICIPANTS = 250


class ConferenceStatus(StrEnum):
    """A room's status as Twilio spells it."""

    INIT = "init"
    IN_PROGRESS = "in-progress"
    COMPLETED = "completed"


@dataclass(slots=True)
class Participant:
    """One call in a room, with the flags Twilio reports for it."""

    call_sid: str
    conference_sid: str
    account_sid: str
    created_at: datetime
    label: str | None = None
    muted: bool = False
    hold: bool = False
    coaching: bool = False
    call_sid_to_coach: str | None = None
    start_conference_on_enter: bool = True
    end_conference_on_exit: bool = False
    beep: str = "true"
    #: ``queued``, ``connecting``, ``ringing``, ``connected``, ``complete`` or ``failed``.
    status: str = "connected"
    updated_at: datetime | None = None


@dataclass(slots=True)
class Conference:
    """One room: created by its first participant, ``init`` until it starts,
    ``in-progress`` while mixing, ``completed`` for good (a new join by the same name
    creates a new room with a new SID)."""

    sid: str
    account_sid: str
    friendly_name: str
    created_at: datetime
    status: ConferenceStatus = ConferenceStatus.INIT
    updated_at: datetime | None = None
    #: Where the room is mixed: the first participant's ``region``, else chosen (``us1``)
    #: when the room starts; None until then (Twilio reports ``unknown``).
    region: str | None = None
    max_participants: int = MAX_PARTICIPANTS
    reason_conference_ended: str | None = None
    call_sid_ending_conference: str | None = None
    #: The participants present now, by call SID, in the order they joined.
    participants: dict[str, Participant] = field(default_factory=dict)

    @property
    def active(self) -> bool:
        """Whether the room has not ended."""
        return self.status is not ConferenceStatus.COMPLETED

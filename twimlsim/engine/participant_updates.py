"""A REST update of a conference participant (``POST .../Participants/{CallSid or label}``):
what it changes and the status callbacks it causes.

In the room, the changes are applied and their events sent in the order mute, hold,
modify (``participant-modify`` once for any of ``EndConferenceOnExit``, ``BeepOnExit``,
``Coaching``/``CallSidToCoach`` and ``WaitUrl``); an ``AnnounceUrl`` is queued for the
participant. A participant added by REST whose call is still being placed has no events:
its flags, coaching and wait music take effect when it joins; an announcement or hold
music for it is dropped, as it hears nothing yet (fidelity choice).

``Coaching`` follows Twilio's spec: when absent it "defaults to false unless
call_sid_to_coach is defined", so ``CallSidToCoach`` alone turns coaching on, and turning
coaching off forgets whom the participant coached.
"""

from __future__ import annotations

from dataclasses import dataclass

from twimlsim.model.conference import Participant

from .conference_events import send_event
from .conferences import Conferences, Seat, SeatChanged, SimConference

__all__ = ["ParticipantChange", "update_connecting", "update_seated"]


@dataclass(slots=True)
class ParticipantChange:
    """A REST update of a participant (None: not given)."""

    muted: bool | None = None
    hold: bool | None = None
    hold_url: str | None = None
    hold_method: str | None = None
    announce_url: str | None = None
    announce_method: str = "POST"
    wait_url: str | None = None
    wait_method: str | None = None
    beep_on_exit: bool | None = None
    end_conference_on_exit: bool | None = None
    coaching: bool | None = None
    call_sid_to_coach: str | None = None

    @property
    def coaching_changed(self) -> bool:
        """Whether the update says anything about coaching."""
        return self.coaching is not None or self.call_sid_to_coach is not None


def update_seated(
    conferences: Conferences, room: SimConference, seat: Seat, change: ParticipantChange
) -> None:
    """Apply ``change`` to a participant in the room; send the events it causes; wake its
    leg when what it hears changes."""
    participant = seat.participant
    host = conferences.host
    wake = False
    if change.muted is not None and change.muted != participant.muted:
        participant.muted = change.muted
        event = "participant-mute" if change.muted else "participant-unmute"
        send_event(host, room, event, participant)
    if change.hold_url is not None:
        seat.hold_url = change.hold_url  # the empty string: silence
    if change.hold_method is not None:
        seat.hold_method = change.hold_method
    if change.hold is not None and change.hold != participant.hold:
        participant.hold = change.hold
        event = "participant-hold" if change.hold else "participant-unhold"
        send_event(host, room, event, participant)
        wake = True
    modified = change.beep_on_exit is not None or change.coaching_changed
    if change.end_conference_on_exit is not None:
        participant.end_conference_on_exit = change.end_conference_on_exit
        modified = True
    _coach(participant, change)
    if change.wait_url is not None:
        seat.wait_url = change.wait_url or None
        seat.wait_method = change.wait_method or "POST"  # not the default music's GET
        modified = True
        # a participant waiting for the room hears the new wait document at once
        wake = wake or (conferences.waiting(room) and not participant.hold)
    if modified:
        send_event(host, room, "participant-modify", participant)
    if change.announce_url is not None:
        seat.announcements.append((change.announce_url, change.announce_method, None))
        wake = True
    participant.updated_at = host.clock.now
    if wake:
        conferences.tell(seat, SeatChanged())


def update_connecting(
    conferences: Conferences,
    room: SimConference,
    participant: Participant,
    change: ParticipantChange,
) -> None:
    """Apply ``change`` to a participant whose call is still being placed: it takes effect
    when the call joins the room."""
    if change.muted is not None:
        participant.muted = change.muted
    if change.hold is not None:
        participant.hold = change.hold
    if change.end_conference_on_exit is not None:
        participant.end_conference_on_exit = change.end_conference_on_exit
    _coach(participant, change)
    seating = room.pending.get(participant.call_sid)
    if seating is not None:
        seating.end_conference_on_exit = participant.end_conference_on_exit
        seating.coach = participant.call_sid_to_coach
        if change.wait_url is not None:
            seating.wait_url = change.wait_url or None
            seating.wait_method = change.wait_method or "POST"  # not the default music's GET
        elif change.wait_method is not None:
            seating.wait_method = change.wait_method
    participant.updated_at = conferences.host.clock.now


def _coach(participant: Participant, change: ParticipantChange) -> None:
    if not change.coaching_changed:
        return
    coach = change.call_sid_to_coach or participant.call_sid_to_coach
    coaching = change.coaching if change.coaching is not None else coach is not None
    participant.coaching = coaching
    participant.call_sid_to_coach = coach if coaching else None

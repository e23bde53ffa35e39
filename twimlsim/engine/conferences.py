"""Conference rooms: who joins, when a room starts and ends, and who is told.

This module owns the rooms. A participant's own leg (its ``<Dial><Conference>``) lives in
``verbs/conference.py``; the status callbacks are built and sent by
``conference_events.py``; a REST update of a participant is ``participant_updates.py``;
a participant's seat, what it asks for and the signals to its leg are ``conference_seats.py``.

Rules, as Twilio documents them:

- One active room per friendly name and account; a name used again after its room
  completed opens a new room with a new ``CF`` SID.
- A room starts (``in-progress``, ``conference-start``) once it holds two participants and
  one of them has ``startConferenceOnEnter``; until then everyone waits (wait music).
- It ends (``completed``, ``conference-end``) when a participant with
  ``endConferenceOnExit`` leaves (everyone else is taken out, ``ReasonParticipantLeft=
  moderator_ended_conference``), when its last participant leaves, or by REST.
- The first participant to join fixes the room's ``statusCallback``, its method, its event
  list and its region; later values are ignored.

Fidelity choices: events go ``participant-join`` then ``conference-start``; on an end,
the leaver's ``participant-leave``, the others' (in join order), then ``conference-end``;
a room that never started still sends ``conference-end``; a ``statusCallback`` without
``statusCallbackEvent`` subscribes to ``start end`` (the REST default). Every signal to a
participant's leg is scheduled at the current virtual instant, so one leg never runs inside
another.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, NoReturn, SupportsIndex

from twimlsim.arguments import literal
from twimlsim.errors import live_view_refused
from twimlsim.model.conference import Conference, ConferenceStatus, Participant
from twimlsim.model.recording import Recording

from .conference_events import REASONS, send_event
from .conference_recording import RoomRecording, finish_recording, start_recording
from .conference_seats import (
    Callbacks,
    JoinRefused,
    LeftRoom,
    RoomEvent,
    Seat,
    SeatChanged,
    Seating,
    wait_music,
)
from .process import Interrupt

if TYPE_CHECKING:
    from .flow import Loaded
    from .live_recordings import LiveRecording
    from .services import Host
    from .session import SimCall
    from .webhooks import WebhookRequest

__all__ = [
    "Callbacks",
    "Conferences",
    "JoinRefused",
    "LeftRoom",
    "RoomEvent",
    "Seat",
    "SeatChanged",
    "Seating",
    "SimConference",
    "wait_music",
]

#: The region a room is mixed in when no participant chose one (fidelity choice: Twilio
#: picks the region nearest most participants; its examples show ``us1``).
DEFAULT_REGION = "us1"


@dataclass(slots=True)
class SimConference:
    """A conference room as a test sees it (``sim.conferences["Support"]``).

    ``participants`` are every call that joined, in join order; ``present`` those in it
    now; ``requests`` its status callbacks in order; ``timeline`` every event, sent or not.
    """

    record: Conference
    callbacks: Callbacks | None = None
    seats: dict[str, Seat] = field(default_factory=dict)
    participants: list[SimCall] = field(default_factory=list)
    requests: list[WebhookRequest] = field(default_factory=list)
    timeline: list[RoomEvent] = field(default_factory=list)
    sequence_number: int = 0
    #: How the room is recorded (fixed by its first participant), the recording under way
    #: (REST-controllable, ``live_recordings.py``), and every recording made of it.
    recording_settings: RoomRecording | None = None
    recording: LiveRecording | None = None
    recordings: list[Recording] = field(default_factory=list)
    #: REST-added participants still being called: call SID -> what they asked for.
    pending: dict[str, Seating] = field(default_factory=dict)
    #: Room-wide announcements under way: their number -> seats still playing them.
    announcing: dict[int, set[str]] = field(default_factory=dict)
    #: Their documents, fetched once for the room: number -> (url, method) -> document.
    announcement_documents: dict[int, dict[tuple[str, str], Loaded | None]] = field(
        default_factory=dict
    )

    def __repr__(self) -> str:
        return f"<SimConference {self.sid} {self.friendly_name!r} {self.status}>"

    def __copy__(self) -> SimConference:
        return self  # a handle on the simulation's room: a copy is the same handle

    def __reduce_ex__(self, protocol: SupportsIndex) -> NoReturn:
        raise live_view_refused(
            f"SimConference {self.sid}",
            "room.status, [call.sid for call in room.participants], list(room.requests)",
        )

    @property
    def sid(self) -> str:
        """The conference SID (``CF...``)."""
        return self.record.sid

    @property
    def friendly_name(self) -> str:
        """The room's name (the ``<Conference>`` text)."""
        return self.record.friendly_name

    @property
    def status(self) -> str:
        """``init``, ``in-progress`` or ``completed``."""
        return self.record.status.value

    @property
    def present(self) -> list[SimCall]:
        """The calls in the room now, in join order."""
        return [seat.call for seat in self.seats.values()]

    @property
    def spoke(self) -> list[str]:
        """The call SIDs that spoke in the room, in order of first speech."""
        speakers: list[str] = []
        for item in self.timeline:
            if item.event == "participant-speech-start" and item.call_sid not in speakers:
                assert item.call_sid is not None
                speakers.append(item.call_sid)
        return speakers

    def note(self, at: datetime, event: str, call_sid: str | None) -> None:
        """Add an event to the timeline."""
        self.timeline.append(RoomEvent(at, event, call_sid))


class Conferences(Mapping[str, SimConference]):
    """The engine's rooms, by SID; ``rooms[name]`` gives the newest room of that name."""

    def __init__(self, host: Host) -> None:
        self.host = host
        self._rooms: dict[str, SimConference] = {}
        #: (account SID, name) -> its active room.
        self._active: dict[tuple[str, str], SimConference] = {}
        #: A REST-added participant's call still being placed -> the room it is for.
        self._connecting: dict[str, SimConference] = {}

    # -- the Mapping (sim.conferences) ---------------------------------------------------

    def __getitem__(self, key: str) -> SimConference:
        room = self._rooms.get(key)
        if room is not None:
            return room
        for room in reversed(self._rooms.values()):
            if room.friendly_name == key:
                return room
        known = ", ".join(repr(r.friendly_name) for r in self._rooms.values()) or "none"
        raise KeyError(f"no conference named or with SID {literal(key)} (rooms: {known})")

    def __iter__(self) -> Iterator[str]:
        # a snapshot: another thread's call may open a room while a test iterates
        return iter(self._rooms.copy())

    def __len__(self) -> int:
        return len(self._rooms)

    def __copy__(self) -> dict[str, SimConference]:
        return dict(self)  # the rooms by SID, as they are now

    def __reduce_ex__(self, protocol: SupportsIndex) -> NoReturn:
        raise live_view_refused(
            "sim.conferences", "{sid: room.status for sid, room in sim.conferences.items()}"
        )

    # -- rooms -----------------------------------------------------------------------------

    def active(self, account_sid: str, name: str) -> SimConference | None:
        """The account's room called ``name`` that has not ended, if any."""
        return self._active.get((account_sid, name))

    def open(self, account_sid: str, name: str) -> SimConference:
        """The account's active room called ``name``, created (``init``) if there is none."""
        room = self._active.get((account_sid, name))
        if room is not None:
            return room
        host = self.host
        record = Conference(host.sids.new("CF"), account_sid, name, host.clock.now)
        room = SimConference(record)
        self._rooms[record.sid] = room
        self._active[(account_sid, name)] = room
        host.store.accounts[account_sid].conferences[record.sid] = record
        return room

    def forget(self, room: SimConference) -> None:
        """Drop an ended room from ``sim.conferences`` and the REST API (``retention.py``)."""
        del self._rooms[room.sid]
        account = self.host.store.accounts.get(room.record.account_sid)
        if account is not None:
            account.conferences.pop(room.sid, None)

    # -- joining and leaving ---------------------------------------------------------------

    def join(self, room: SimConference, call: SimCall, seating: Seating) -> Seat:
        """Put ``call`` in ``room``; ``JoinRefused`` when Twilio would not (16020, 16023,
        16025, 13240, 16027). Sends ``participant-join`` (and ``conference-start`` if it
        starts now)."""
        record = room.record
        first = not room.participants
        if not first and len(room.seats) >= record.max_participants:
            most = record.max_participants
            raise JoinRefused(
                16020, f"Conference is full ({most} participant{'' if most == 1 else 's'})"
            )
        label = seating.label
        if label is not None and (
            len(label) > 128 or "/" in label or re.fullmatch(r"CA[0-9a-fA-F]{32}", label)
        ):
            raise JoinRefused(
                16023,
                f"participantLabel {label!r} is not valid: at most 128 characters, not shaped "
                "like a call SID, without '/'",
            )
        if seating.label is not None and any(  # a participant still being called counts
            other.label == seating.label and sid != call.sid
            for sid, other in record.participants.items()
        ):
            raise JoinRefused(
                16025, f"participantLabel {seating.label!r} is already used in the conference"
            )
        if seating.coach is not None and (
            seating.coach not in room.seats or record.status is not ConferenceStatus.IN_PROGRESS
        ):
            raise JoinRefused(13240, _coach_refused(seating.coach, room))
        if seating.coach is not None and room.seats[seating.coach].participant.hold:
            raise JoinRefused(16027, _coachee_held(seating.coach, room))
        host = self.host
        now = host.clock.now
        reserved = record.participants.pop(call.sid, None)
        room.pending.pop(call.sid, None)
        self._connecting.pop(call.sid, None)
        if first and room.callbacks is None:
            room.callbacks = seating.callbacks
        if first:
            room.recording_settings = seating.recording
            record.max_participants = seating.max_participants
            if seating.region is not None:
                record.region = seating.region
        participant = Participant(
            call_sid=call.sid,
            conference_sid=record.sid,
            account_sid=record.account_sid,
            created_at=reserved.created_at if reserved is not None else now,
            label=seating.label,
            muted=reserved.muted if reserved is not None else seating.muted,
            hold=reserved.hold if reserved is not None else False,
            coaching=seating.coach is not None,
            call_sid_to_coach=seating.coach,
            start_conference_on_enter=seating.start_conference_on_enter,
            end_conference_on_exit=seating.end_conference_on_exit,
            beep=seating.beep,
            # a REST-added participant listed since its create is updated by its joining
            updated_at=now if reserved is not None else None,
        )
        seat = Seat(call, participant, host.clock.micros, seating.wait_url, seating.wait_method)
        room.seats[call.sid] = seat
        record.participants[call.sid] = participant
        room.participants.append(call)
        record.updated_at = now
        send_event(host, room, "participant-join", participant)
        self._maybe_start(room, seat)
        return seat

    def reserve(self, room: SimConference, call: SimCall, seating: Seating) -> Participant:
        """A participant added by REST whose call is being placed: listed (``queued``),
        not in the room until it answers."""
        participant = Participant(
            call_sid=call.sid,
            conference_sid=room.sid,
            account_sid=room.record.account_sid,
            created_at=self.host.clock.now,
            label=seating.label,
            muted=seating.muted,
            coaching=seating.coach is not None,
            call_sid_to_coach=seating.coach,
            start_conference_on_enter=seating.start_conference_on_enter,
            end_conference_on_exit=seating.end_conference_on_exit,
            beep=seating.beep,
            status="queued",
        )
        room.record.participants[call.sid] = participant
        room.pending[call.sid] = seating
        self._connecting[call.sid] = room
        return participant

    def canceled(self, call: SimCall) -> None:
        """``call`` ended before it was answered (REST ``Status=canceled``, or its
        participant deleted): if it was a REST-added participant still being placed, its
        add failed (``participant-leave`` with ``ParticipantCallStatus=canceled``)."""
        room = self._connecting.get(call.sid)
        if room is not None:
            self.add_failed(room, call)

    def add_failed(
        self,
        room: SimConference,
        call: SimCall,
        reason: str = "participant_add_failed",
        *,
        may_end: bool = True,
    ) -> None:
        """A REST-added participant's call was not answered (or could not join, or its room
        ended while it was being called): ``participant-leave`` with ``reason``
        (``participant_add_failed``, or ``participant_updated_via_api`` for a call
        redirected before it answered) and the call's status; a room left with no one
        ends (fidelity choice), unless ``may_end`` is False (the room is ending)."""
        participant = room.record.participants.pop(call.sid, None)
        seating = room.pending.pop(call.sid, None)
        self._connecting.pop(call.sid, None)
        if participant is None:
            return
        if room.callbacks is None and seating is not None:  # no one joined: its own apply
            room.callbacks = seating.callbacks
        participant.status = "failed"
        extra = {
            "ParticipantCallStatus": call.status,
            "ReasonParticipantLeft": reason,
        }
        send_event(self.host, room, "participant-leave", participant, extra)
        if may_end and room.record.active and not room.seats and not room.pending:
            record = room.record
            record.status = ConferenceStatus.COMPLETED
            record.reason_conference_ended = "last-participant-left"
            record.call_sid_ending_conference = call.sid
            record.updated_at = self.host.clock.now
            self._active.pop((record.account_sid, record.friendly_name), None)
            end = {
                "CallSidEndingConference": call.sid,
                "ReasonConferenceEnded": "last-participant-left",
                "Reason": REASONS["last-participant-left"],
            }
            send_event(self.host, room, "conference-end", None, end)
            finish_recording(self.host, room)  # it may have recorded those who left

    def ringing(self, room: SimConference, call: SimCall) -> None:
        """A REST-added participant's call rings."""
        participant = room.record.participants.get(call.sid)
        if participant is not None and participant.status == "queued":
            participant.status = "ringing"
            participant.updated_at = self.host.clock.now

    def speech(self, room: SimConference, seat: Seat, event: str) -> None:
        """The participant starts or stops talking (``participant-speech-start``/``-stop``)."""
        send_event(self.host, room, event, seat.participant)

    def announced(self, room: SimConference, seat: Seat, url: str, number: int | None) -> None:
        """An announcement ended for this participant: ``announcement-end`` for it, or, for
        a room-wide one (``number``), once the last participant playing it is done. None
        once the room has ended: ``conference-end`` is its last event (fidelity choice)."""
        ended = not room.record.active
        if number is None:
            if not ended:
                participant = seat.participant if not seat.left else None
                extra = {"AnnounceUrl": url}
                send_event(self.host, room, "announcement-end", participant, extra)
            return
        playing = room.announcing.get(number)
        if playing is None:
            return
        playing.discard(seat.call.sid)
        if not playing:
            del room.announcing[number]
            room.announcement_documents.pop(number, None)
            if not ended:
                send_event(self.host, room, "announcement-end", None, {"AnnounceUrl": url})

    def announce(self, room: SimConference, url: str, method: str) -> None:
        """Play ``url`` to everyone in the room (REST ``AnnounceUrl`` on the conference):
        its document is requested once for the room (``conference_leg.play_document``)."""
        number = len(room.timeline)
        room.announcing[number] = set(room.seats)
        room.announcement_documents[number] = {}
        for seat in room.seats.values():
            seat.announcements.append((url, method, number))
            self.tell(seat, SeatChanged())

    def waiting(self, room: SimConference) -> bool:
        """Whether the room's participants still wait for it to start."""
        return room.record.status is ConferenceStatus.INIT

    def leave(self, room: SimConference, seat: Seat, reason: str, *, kicked: bool = False) -> None:
        """The participant leaves now (``reason``: its ``ReasonParticipantLeft``); the room
        ends if it was the last one or had ``endConferenceOnExit``. Once only."""
        if seat.left:
            return
        self._remove(room, seat, reason)
        for playing in room.announcing.values():
            if len(playing) > 1:  # the others still hearing it end it
                playing.discard(seat.call.sid)
        if not room.record.active:
            return
        if seat.participant.end_conference_on_exit:
            how = "kicked" if kicked else "left"
            self._end(
                room,
                f"participant-with-end-conference-on-exit-{how}",
                seat,
                "moderator_ended_conference",
            )
        elif not room.seats and not room.pending:  # one still being called keeps it open
            how = "kicked" if kicked else "left"
            self._end(room, f"last-participant-{how}", seat, "moderator_ended_conference")

    def kick(self, room: SimConference, seat: Seat) -> None:
        """Take a participant out (REST delete); its leg goes on after its ``<Dial>``."""
        seat.left_reason = "kicked"
        self.leave(room, seat, "participant_updated_via_api", kicked=True)
        self.tell(seat, LeftRoom("kicked"))

    def end(self, room: SimConference) -> None:
        """End the room now (REST ``Status=completed``)."""
        if room.record.active:
            self._end(room, "conference-ended-via-api", None, "conference_ended_via_api")

    # -- inside ----------------------------------------------------------------------------

    def _maybe_start(self, room: SimConference, joiner: Seat) -> None:
        record = room.record
        if record.status is not ConferenceStatus.INIT or len(room.seats) < 2:
            return
        if not any(seat.participant.start_conference_on_enter for seat in room.seats.values()):
            return
        record.status = ConferenceStatus.IN_PROGRESS
        if record.region is None:  # Twilio picks the mixing region as the room starts
            record.region = DEFAULT_REGION
        record.updated_at = self.host.clock.now
        send_event(self.host, room, "conference-start")
        start_recording(self.host, room)
        for seat in room.seats.values():
            # the joiner has not begun to wait: it finds the room started; one on hold goes
            # on hearing its hold music, which the start changes nothing of (UNCONFIRMED)
            if seat is not joiner and not seat.participant.hold:
                self.tell(seat, SeatChanged())

    def _remove(self, room: SimConference, seat: Seat, reason: str) -> None:
        seat.left = True
        del room.seats[seat.call.sid]
        participant = room.record.participants.pop(seat.call.sid)
        participant.status = "complete"
        status = seat.call.status if seat.call.ended else "in-progress"
        extra = {"ParticipantCallStatus": status, "ReasonParticipantLeft": reason}
        room.record.updated_at = self.host.clock.now
        send_event(self.host, room, "participant-leave", participant, extra)

    def _end(
        self, room: SimConference, reason: str, ending: Seat | None, others_reason: str
    ) -> None:
        for sid in list(room.pending):  # told before conference-end, which is the last event
            self.add_failed(room, self.host.calls[sid], may_end=False)
        for seat in list(room.seats.values()):
            seat.left_reason = "ended"
            self._remove(room, seat, others_reason)
            self.tell(seat, LeftRoom("ended"))
        record = room.record
        record.status = ConferenceStatus.COMPLETED
        record.reason_conference_ended = reason
        record.updated_at = self.host.clock.now
        extra = {"ReasonConferenceEnded": reason}
        if ending is not None:
            record.call_sid_ending_conference = ending.call.sid
            extra["CallSidEndingConference"] = ending.call.sid
            if ending.participant.label is not None:
                extra["ParticipantLabelEndingConference"] = ending.participant.label
        extra["Reason"] = REASONS[reason].format(call=ending.call.sid if ending else "")
        self._active.pop((record.account_sid, record.friendly_name), None)
        send_event(self.host, room, "conference-end", None, extra)
        finish_recording(self.host, room)

    def tell(self, seat: Seat, news: Interrupt) -> None:
        """Throw ``news`` into the participant's leg at the current instant.

        A ``SeatChanged`` only makes the leg look again at what it should hear: one is
        enough for every change made at an instant, and none is thrown while an
        announcement plays (the leg looks again when it is over), so an announcement is
        never cut off by a change of hold, another announcement or the room starting."""
        call = seat.call
        changed = isinstance(news, SeatChanged)
        if changed:
            if seat.news_due:
                return
            seat.news_due = True

        def tell() -> None:
            if changed:
                seat.news_due = False
                if seat.announcing:
                    return
            if call.process is not None and not call.ended and not seat.gone:
                call.process.interrupt(news)

        self.host.scheduler.call_at(self.host.clock.micros, tell)


def _coachee_held(coach: str, room: SimConference) -> str:
    """16027's message: the call to coach is on hold.

    Twilio's 16027 page: "The participant to be whispered is on hold, so the coach to the
    participant cannot be added to the conference", whether the coach joins by
    ``<Conference coach>`` or by a Participants create (checked again as the added call
    answers: its coached call may have been held while it rang)."""
    return (
        f"Participant to be whispered is on hold: the call to coach, {coach}, is on hold in "
        f"the conference {room.record.friendly_name!r}, and a coach cannot be added to a "
        "held participant; take it off hold (Hold=false) before adding its coach"
    )


def _coach_refused(coach: str, room: SimConference) -> str:
    """13240's message: the coached call is not in the room, or the room has not started.

    Twilio's ``coach`` takes a call "currently in the same in-progress conference"; a call
    that waits alone in a room that has not started (``init``: a conference starts with
    two participants) is in the room but not yet coachable, and saying only "not a
    participant" there would point at the wrong cause."""
    name = room.record.friendly_name
    if coach in room.seats:
        return (
            f"Invalid Whisper SID: the call to coach, {coach}, waits in the conference "
            f"{name!r}, which has not started (status init: a conference starts once two "
            "participants are in it, one with startConferenceOnEnter); the coached call must "
            "be in the in-progress conference: add the coach once the room has started (its "
            "conference-start event)"
        )
    return (
        f"Invalid Whisper SID: coach {coach} is not a participant of the in-progress "
        f"conference {name!r}"
    )

"""The Conferences resource and its Participants.

- Conferences: list (in ``conference_list.py``: newest first; ``FriendlyName``,
  ``Status``, ``DateCreated`` and ``DateUpdated`` with ``<``/``>``, ``YYYY-MM-DD`` only),
  fetch, update (``Status=completed`` ends the room; ``AnnounceUrl`` plays a document,
  requested once for the room, to everyone in it).
  There is no create: a room is made by its first participant.
- Participants: list (``Muted``, ``Hold``, ``Coaching`` filters; only those connecting or
  connected to a room that has not ended), fetch/update/delete by CallSid or label, and
  create: an outbound call into the room named by SID or friendly name (a name with no
  active room opens one), paced with the account's other REST calls.

A path segment that is not shaped like a SID where one is needed is 405/20004 "Method not
allowed", as observed on Twilio, followed by the reason and how to find the SID.

Fidelity choices (Twilio documents none of these): ending a room that has already ended,
or announcing to it, is 400/20409 (an invented code); a participant create on a ``CF``
SID that is not active is 400/16022 "Conference does not exist or is completed"; an
invalid label (shaped like a call SID, or with ``/``) is 400/16024; coaching someone not in
the room 400/16028, or on hold 400/16027 (Twilio's titles); ``Coaching=true`` with no one
to coach 400/20422; a participant who has left, or of an ended room, is 404/20404;
deleting a participant whose call is still queued or ringing cancels the call (a failed
add: ``participant-leave``, ``participant_add_failed``, ``ParticipantCallStatus=canceled``);
``From``/``To`` and the call options of a participant create are checked as on ``POST
/Calls``; on an update, ``Muted`` and ``Hold`` values other than ``true`` count as
``false``, as Twilio documents for the update's ``Muted`` (a create's ``Muted`` other than
``true``/``false`` is 400/20422).

A participant create honours what it mirrors: ``Record`` and the ``Recording*`` and
``Trim`` options record the participant's call from its answer to its end, every room it
is in included, exactly as ``Record=true`` on ``POST /Calls`` (source ``OutboundAPI``, its
callbacks with the call's ``CallSid`` and ``RecordingTrack``); ``Timeout`` (5 at least,
rung 5 s longer as Twilio's spec says), ``TimeLimit`` and ``CallerId`` are the call's as on
``POST /Calls``; the ``Conference*`` options,
``StartConferenceOnEnter``, ``EndConferenceOnExit``, ``Muted``, ``Beep``, ``Coaching``,
``WaitUrl``, ``MaxParticipants`` and ``Label`` are the ``<Conference>`` attributes of the
same names (the first participant fixes the room's callbacks and recording). Fidelity
choices: the recording's source is ``OutboundAPI`` (Twilio does not say); of the
``RecordingStatusCallbackEvent`` values only ``in-progress``, ``completed`` and ``absent``
are ever sent (``started``, ``paused``, ``resumed``, ``stopped`` and ``failed`` are accepted);
``EarlyMedia`` and ``ConferenceTrim`` change nothing (twimlsim models no audio).
``MachineDetection`` reports to ``AmdStatusCallback`` (``engine/participants.py``); the
``AsyncAmd*`` parameters of ``POST /Calls`` are ignored here, with Twilio's warning 21263.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from twimlsim.engine import control
from twimlsim.engine.conference_recording import RoomRecording
from twimlsim.engine.conferences import Callbacks, Seating, SimConference, wait_music
from twimlsim.engine.own_numbers import split_app_address
from twimlsim.engine.participant_updates import (
    ParticipantChange,
    update_connecting,
    update_seated,
)
from twimlsim.errors import TwilioApiError
from twimlsim.model.conference import Conference, Participant

from .calls import may_call_from, warn_of_calls_only_amd, warn_of_unnamed_machine_detection
from .limits import check_queue_room
from .paging import list_response
from .params import INVALID_PARAMETER, Param, apply_params, parse_create
from .render import json_response, no_content, not_a_conference_sid, not_found
from .serialize import account_path, date
from .sip_params import check_caller_display_name

if TYPE_CHECKING:
    from twimlsim.model.store import Account

    from .app import Context

__all__ = [
    "create_participant",
    "delete_participant",
    "fetch",
    "fetch_participant",
    "room_of",
    "list_participants",
    "update",
    "update_participant",
]

_CONFERENCE_SID = re.compile(r"^CF[0-9a-fA-F]{32}$")
_CALL_SID = re.compile(r"^CA[0-9a-fA-F]{32}$")
_EVENTS = ("start", "end", "join", "leave", "mute", "hold", "modify", "speaker", "announcement")

#: The participant recording's ``RecordingStatusCallbackEvent`` values Twilio accepts, and
#: those twimlsim sends (the others never happen to a recording no one can pause).
_RECORDING_EVENTS = (
    "started",
    "in-progress",
    "paused",
    "resumed",
    "stopped",
    "completed",
    "failed",
    "absent",
)
_SENT_RECORDING_EVENTS = frozenset({"in-progress", "completed", "absent"})
#: A participant's ``Timeout`` is "an integer between 5 and 600, inclusive" (Twilio's
#: spec); below 5 is raised to 5, as above 600 is lowered to 600 (UNCONFIRMED: chosen as
#: ``<Dial timeout>`` brings its value into 5-600).
_MIN_TIMEOUT = 5
#: Seconds the participant's call rings beyond its ``Timeout``: Twilio's spec says of a
#: participant's ``Timeout`` "We always add a 5-second timeout buffer to outgoing calls, so
#: value of 10 would result in an actual timeout that was closer to 15 seconds".
_TIMEOUT_BUFFER = 5
_COACHING_NEEDS_SID = "Coaching=true needs CallSidToCoach: the call SID of the participant to coach"

_CREATE_PARAMS = (
    Param("Label", "label", "text", 16024, high=128),
    Param("Muted", "muted", "bool"),
    Param("Beep", "beep", "enum", choices=("true", "false", "onEnter", "onExit")),
    Param("StartConferenceOnEnter", "start_conference_on_enter", "bool"),
    Param("EndConferenceOnExit", "end_conference_on_exit", "bool"),
    Param("WaitUrl", "wait_url", "url", 21205),
    Param("WaitMethod", "wait_method", "method", 21209),
    Param("MaxParticipants", "max_participants", "int", low=2, high=250),
    Param("ConferenceStatusCallback", "status_callback", "callback", 21609),
    Param("ConferenceStatusCallbackMethod", "status_callback_method", "method", 21209),
    Param("ConferenceStatusCallbackEvent", "status_callback_events", "events", choices=_EVENTS),
    Param("Coaching", "coaching", "bool"),
    Param("CallSidToCoach", "coach", "text"),
    Param("AmdStatusCallback", "amd_status_callback", "callback", 21609),
    Param("AmdStatusCallbackMethod", "amd_status_callback_method", "method", 21209),
    Param(
        "Region",
        "region",
        "enum",
        choices=("us1", "us2", "ie1", "de1", "sg1", "br1", "au1", "jp1"),
    ),
    Param("EarlyMedia", "early_media", "bool"),
    # checked as the spec enumerates them; they change nothing (twimlsim models no audio)
    Param("ConferenceTrim", "conference_trim", "enum", choices=("trim-silence", "do-not-trim")),
    Param(
        "JitterBufferSize",
        "jitter_buffer_size",
        "enum",
        choices=("off", "small", "medium", "large"),
    ),
    Param(
        "ConferenceRecord",
        "conference_record",
        "enum",
        choices=("true", "false", "record-from-start", "do-not-record"),
    ),
    Param("ConferenceRecordingStatusCallback", "recording_callback", "callback", 21609),
    Param("ConferenceRecordingStatusCallbackMethod", "recording_method", "method", 21209),
    Param(
        "ConferenceRecordingStatusCallbackEvent",
        "recording_events",
        "events",
        choices=("in-progress", "completed", "failed", "absent"),
    ),
    Param(
        "RecordingStatusCallbackEvent",
        "participant_recording_events",
        "events",
        choices=_RECORDING_EVENTS,
    ),
)
_UPDATE_PARAMS = (
    Param("HoldUrl", "hold_url", "url", 21205),
    Param("HoldMethod", "hold_method", "method", 21209),
    Param("AnnounceUrl", "announce_url", "url", 21205),
    Param("AnnounceMethod", "announce_method", "method", 21209),
    Param("WaitUrl", "wait_url", "url", 21205),
    Param("WaitMethod", "wait_method", "method", 21209),
    Param("BeepOnExit", "beep_on_exit", "bool"),
    Param("EndConferenceOnExit", "end_conference_on_exit", "bool"),
    Param("Coaching", "coaching", "bool"),
    Param("CallSidToCoach", "call_sid_to_coach", "text"),
)
_ROOM_UPDATE_PARAMS = (
    Param("Status", "status", "enum", choices=("completed",)),
    Param("AnnounceUrl", "announce_url", "url", 21205),
    Param("AnnounceMethod", "announce_method", "method", 21209),
)


# -- JSON ------------------------------------------------------------------------------------


def conference_json(record: Conference) -> dict[str, object]:
    """The Conference resource as Twilio returns it."""
    base = f"{account_path(record.account_sid)}/Conferences/{record.sid}"
    return {
        "account_sid": record.account_sid,
        "api_version": "2010-04-01",
        "call_sid_ending_conference": record.call_sid_ending_conference,
        "date_created": date(record.created_at),
        "date_updated": date(record.updated_at or record.created_at),
        "friendly_name": record.friendly_name,
        "reason_conference_ended": record.reason_conference_ended,
        "region": record.region or "unknown",
        "sid": record.sid,
        "status": record.status.value,
        "subresource_uris": {
            "participants": f"{base}/Participants.json",
            "recordings": f"{base}/Recordings.json",
        },
        "uri": f"{base}.json",
    }


def participant_json(
    participant: Participant, *, queue_time: str | None = None
) -> dict[str, object]:
    """The Participant resource as Twilio returns it (booleans as JSON booleans)."""
    path = f"{account_path(participant.account_sid)}/Conferences/{participant.conference_sid}"
    return {
        "account_sid": participant.account_sid,
        "call_sid": participant.call_sid,
        "label": participant.label,
        "conference_sid": participant.conference_sid,
        "date_created": date(participant.created_at),
        "date_updated": date(participant.updated_at or participant.created_at),
        "end_conference_on_exit": participant.end_conference_on_exit,
        "muted": participant.muted,
        "hold": participant.hold,
        "status": participant.status,
        "start_conference_on_enter": participant.start_conference_on_enter,
        "coaching": participant.coaching,
        "call_sid_to_coach": participant.call_sid_to_coach,
        "queue_time": queue_time,
        "uri": f"{path}/Participants/{participant.call_sid}.json",
    }


# -- Conferences -----------------------------------------------------------------------------


def room_of(ctx: Context, sid: str) -> SimConference:
    """The account's room ``sid``: 405/20004 when ``sid`` is not shaped like a SID,
    404/20404 when there is no such room."""
    if not _CONFERENCE_SID.match(sid):
        raise not_a_conference_sid(sid)
    room = ctx.engine.conferences.get(sid)
    if room is None or room.record.account_sid != ctx.account.sid:
        raise not_found(ctx.request.path)
    return room


def fetch(ctx: Context, args: dict[str, str]) -> Response:
    """``GET /Conferences/{Sid}.json``."""
    return json_response(conference_json(room_of(ctx, args["conference"]).record), 200)


def update(ctx: Context, args: dict[str, str]) -> Response:
    """``POST /Conferences/{Sid}.json``: ``Status=completed`` ends it; ``AnnounceUrl``
    plays a document to everyone in it."""
    room = room_of(ctx, args["conference"])
    change = apply_params(ctx.form, _ROOM_UPDATE_PARAMS)
    conferences = ctx.engine.conferences
    if ("status" in change or "announce_url" in change) and not room.record.active:
        what = "be ended" if "status" in change else "play an announcement"
        raise TwilioApiError(
            400,
            20409,
            f"Conference {room.sid} has already ended; only a conference in progress can {what}",
        )
    if "status" in change:
        conferences.end(room)
    elif "announce_url" in change:
        conferences.announce(
            room, str(change["announce_url"]), str(change.get("announce_method", "POST"))
        )
    return json_response(conference_json(room.record), 200)


# -- Participants ----------------------------------------------------------------------------


def _participant(ctx: Context, args: dict[str, str]) -> tuple[SimConference, Participant]:
    room = room_of(ctx, args["conference"])
    wanted = args["participant"]
    participants = room.record.participants
    participant = participants.get(wanted) or next(
        (p for p in participants.values() if p.label == wanted), None
    )
    if participant is None:
        raise not_found(ctx.request.path)
    return room, participant


def list_participants(ctx: Context, args: dict[str, str]) -> Response:
    """``GET /Conferences/{Sid}/Participants.json``: who is connecting or connected."""
    room = room_of(ctx, args["conference"])
    query = ctx.request.args
    wanted = {
        attribute: query[wire].lower() == "true"
        for wire, attribute in (("Muted", "muted"), ("Hold", "hold"), ("Coaching", "coaching"))
        if query.get(wire)
    }
    participants = [
        p
        for p in room.record.participants.values()
        if all(getattr(p, attribute) == value for attribute, value in wanted.items())
    ]
    return list_response(
        ctx,
        [_Paged(p) for p in participants],
        f"Conferences/{room.sid}/Participants.json",
        key="participants",
        render=lambda paged: participant_json(paged.participant),
    )


def fetch_participant(ctx: Context, args: dict[str, str]) -> Response:
    """``GET /Conferences/{Sid}/Participants/{CallSid or label}.json``."""
    _, participant = _participant(ctx, args)
    return json_response(participant_json(participant), 200)


def update_participant(ctx: Context, args: dict[str, str]) -> Response:
    """``POST /Conferences/{Sid}/Participants/{CallSid or label}.json``: mute, hold (with
    ``HoldUrl``), announce, coach, change ``EndConferenceOnExit``..."""
    room, participant = _participant(ctx, args)
    form = ctx.form
    fields = apply_params(form, _UPDATE_PARAMS)
    change = ParticipantChange(
        muted=_lenient(form, "Muted"),
        hold=_lenient(form, "Hold"),
        hold_url="" if form.get("HoldUrl") == "" else _text(fields, "hold_url"),
        hold_method=_text(fields, "hold_method"),
        announce_url=_text(fields, "announce_url"),
        announce_method=_text(fields, "announce_method") or "POST",
        wait_url=_wait_url(form, fields),
        wait_method=_text(fields, "wait_method"),
        beep_on_exit=_flag(fields, "beep_on_exit"),
        end_conference_on_exit=_flag(fields, "end_conference_on_exit"),
        coaching=_flag(fields, "coaching"),
        call_sid_to_coach=_text(fields, "call_sid_to_coach"),
    )
    if (
        change.coaching is True
        and (change.call_sid_to_coach or participant.call_sid_to_coach) is None
    ):
        raise TwilioApiError(400, INVALID_PARAMETER, _COACHING_NEEDS_SID)
    if change.call_sid_to_coach is not None:
        _check_coached(room, change.call_sid_to_coach)
    seat = room.seats.get(participant.call_sid)
    if seat is not None:
        update_seated(ctx.engine.conferences, room, seat, change)
    else:  # still being called: the flags apply when it joins
        update_connecting(ctx.engine.conferences, room, participant, change)
    return json_response(participant_json(participant), 200)


def delete_participant(ctx: Context, args: dict[str, str]) -> Response:
    """``DELETE /Conferences/{Sid}/Participants/{CallSid or label}.json``: take the
    participant out of the room (204); one added by REST and still being called has its
    call canceled (a failed add: ``participant-leave`` with ``ParticipantCallStatus=
    canceled`` and ``ReasonParticipantLeft=participant_add_failed``)."""
    room, participant = _participant(ctx, args)
    engine = ctx.engine
    seat = room.seats.get(participant.call_sid)
    if seat is not None:
        engine.conferences.kick(room, seat)
    else:
        control.cancel(engine, engine.calls[participant.call_sid])
    return no_content()


def create_participant(ctx: Context, args: dict[str, str]) -> Response:
    """``POST /Conferences/{Sid or FriendlyName}/Participants.json``: call ``To`` and put
    the call in the room when it answers (201, ``status: queued``)."""
    account = ctx.account
    key = args["conference"]
    conferences = ctx.engine.conferences
    if _CONFERENCE_SID.match(key):
        found = conferences.get(key)
        if found is None or found.record.account_sid != account.sid or not found.record.active:
            raise TwilioApiError(400, 16022, "Conference does not exist or is completed")
        room = found
    else:
        room = None
    form: MultiDict[str, str] = MultiDict(ctx.form)
    for name in (
        "Url",
        "ApplicationSid",
        "RecordingStatusCallbackEvent",
        "AsyncAmd",
        "AsyncAmdStatusCallback",
        "AsyncAmdStatusCallbackMethod",
    ):
        form.poplist(name)
    form.setlist("Twiml", ["<Response/>"])
    _check_app_destination(account, form.get("To"))
    created = parse_create(
        form,
        may_call_from(account, form),
        test_credentials=ctx.test_credentials,
        app_destination=True,
    )
    fields = apply_params(ctx.form, _CREATE_PARAMS)
    check_caller_display_name(ctx.form)
    # it has no TwiML: one given later is a REST redirect of its call
    changes: dict[str, Any] = {
        "twiml": None,
        "timeout": max(created.timeout, _MIN_TIMEOUT) + _TIMEOUT_BUFFER,
    }
    if created.machine_detection is not None:  # the participant's own AMD callback
        changes["async_amd"] = True
        changes["async_amd_status_callback"] = _text(fields, "amd_status_callback")
        changes["async_amd_status_callback_method"] = str(
            fields.get("amd_status_callback_method", "POST")
        )
    recording_events = fields.get("participant_recording_events")
    if isinstance(recording_events, frozenset):
        changes["recording_status_callback_events"] = recording_events & _SENT_RECORDING_EVENTS
    new = replace(created, **changes)
    coach = _text(fields, "coach")
    if fields.get("coaching") is True and coach is None:
        raise TwilioApiError(400, INVALID_PARAMETER, _COACHING_NEEDS_SID)
    callbacks = Callbacks(None)
    if "status_callback" in fields:
        events = fields.get("status_callback_events")
        callbacks = Callbacks(
            str(fields["status_callback"]),
            str(fields.get("status_callback_method", "POST")),
            events if isinstance(events, frozenset) else Callbacks(None).events,
        )
    wait_url, wait_method = wait_music(
        _wait_url(ctx.form, fields), str(fields.get("wait_method", "POST"))
    )
    seating = Seating(
        label=_text(fields, "label"),
        muted=fields.get("muted") is True,
        beep=str(fields.get("beep", "true")),
        start_conference_on_enter=fields.get("start_conference_on_enter", True) is True,
        end_conference_on_exit=fields.get("end_conference_on_exit") is True,
        coach=coach if fields.get("coaching", coach is not None) else None,
        wait_url=wait_url,
        wait_method=wait_method,
        max_participants=int(str(fields.get("max_participants", 250))),
        region=_text(fields, "region"),
        callbacks=callbacks,
        recording=_room_recording(fields),
    )
    if seating.label is not None and (
        _CALL_SID.match(seating.label) or "/" in seating.label or "%2F" in seating.label.upper()
    ):
        raise TwilioApiError(
            400,
            16024,
            f"Label {seating.label} is not valid: a label may not look like a call SID or "
            "contain '/'",
        )
    # Every check before a room is opened by name: a refused create leaves no room behind.
    if room is None:
        room = conferences.active(account.sid, key)
    if seating.coach is not None:
        _check_coached(room, seating.coach)
    if (
        room is not None
        and seating.label is not None
        and any(p.label == seating.label for p in room.record.participants.values())
    ):
        raise TwilioApiError(400, 16026, f"Label {seating.label} is already in use")
    check_queue_room(account, ctx.engine)
    if room is None:
        room = conferences.open(account.sid, key)
    call = ctx.engine.create_participant(account, new, room, seating)
    warn_of_unnamed_machine_detection(ctx.engine, call, ctx.form)
    warn_of_calls_only_amd(ctx.engine, call, ctx.form)
    participant = room.record.participants[call.sid]
    queue_time = str(call.record.queue_time_ms or 0)
    return json_response(participant_json(participant, queue_time=queue_time), 201)


def _check_app_destination(account: Account, to: str | None) -> None:
    """A ``To`` naming a TwiML App (``app:AP...``) must name one of the account's, with a
    voice URL to request (fidelity choice: Twilio's code for these is not documented; the
    ``To`` is what is wrong, so 21211)."""
    address = None if to is None else split_app_address(to)
    if address is None:
        return
    sid = address[0]
    application = account.applications.get(sid)
    if application is None:
        raise TwilioApiError(
            400,
            21211,
            f"The 'To' {to} names no TwiML App of account {account.sid}: expected "
            "app:<the SID of an application of the account>; create it with "
            "sim.application(...) or POST /Applications.json",
        )
    if application.voice_url is None:
        raise TwilioApiError(
            400,
            21211,
            f"The 'To' {to} names TwiML App {sid}, which has no VoiceUrl, so Twilio has "
            "nothing to request for the participant; give it one "
            f"(sim.application(voice_url=...) or POST /Applications/{sid}.json)",
        )


def _room_recording(fields: dict[str, object]) -> RoomRecording | None:
    if fields.get("conference_record") not in ("true", "record-from-start"):
        return None
    events = fields.get("recording_events")
    return RoomRecording(
        _text(fields, "recording_callback"),
        str(fields.get("recording_method", "POST")),
        events if isinstance(events, frozenset) else frozenset({"completed"}),
    )


def _check_coached(room: SimConference | None, call_sid: str) -> None:
    """A participant may coach only someone in the room who is not on hold."""
    seat = room.seats.get(call_sid) if room is not None else None
    if seat is None:
        raise TwilioApiError(
            400, 16028, "Participant to be whispered is not present in the conference"
        )
    if seat.participant.hold:
        raise TwilioApiError(400, 16027, "Participant to be whispered is on hold")


class _Paged:
    """A participant as the pager sees it: keyed by a ``CP`` SID made from its call SID,
    as Twilio's page tokens for participants carry one (``PageToken=PACP...``)."""

    __slots__ = ("participant",)

    def __init__(self, participant: Participant) -> None:
        self.participant = participant

    @property
    def sid(self) -> str:
        return "CP" + self.participant.call_sid[2:]


def _lenient(form: MultiDict[str, str], wire: str) -> bool | None:
    value = form.get(wire)
    if not value:
        return None
    return value.lower() == "true"


def _wait_url(form: MultiDict[str, str], fields: dict[str, object]) -> str | None:
    """``WaitUrl`` as sent: None when absent (Twilio's hold music), the empty string when
    sent empty (silence, as for ``<Conference waitUrl="">``), else the URL."""
    return "" if form.get("WaitUrl") == "" else _text(fields, "wait_url")


def _text(fields: dict[str, object], name: str) -> str | None:
    value = fields.get(name)
    return str(value) if value is not None else None


def _flag(fields: dict[str, object], name: str) -> bool | None:
    value = fields.get(name)
    return value if isinstance(value, bool) else None

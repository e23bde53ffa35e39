"""``<Dial><Conference>``: the call joins a conference room (``engine/conferences.py``),
stays until it leaves, then goes on after its ``<Dial>``.

- Joining: the room named by the element's text (trimmed) is opened if needed; a text
  that is a ``CF`` SID joins that room while it is active, else is warning 13236 and the
  call goes on with the next verb (``_CONFERENCE_SID``). A refused
  join is recorded with Twilio's code: a full room (16020), a ``coach`` that is not a
  participant of the in-progress room (13240) or is on hold there (16027, as its page
  says: "the coach to the participant cannot be added") complete the Dial (its action
  with ``DialCallStatus=failed``, else the next verb); a ``participantLabel`` already in use
  (16025) goes on with the next verb, as Twilio documents, and so does an invalid one
  (16023: over 128 characters, shaped like a call SID, or with ``/``; fidelity choice).
- Waiting: until the room starts the participant hears its ``waitUrl``: the document
  (Play, Say, Pause and Redirect only; any other verb is error 13238 and skipped) runs
  once, then silence (Twilio does not request it again; an ending ``<Redirect>`` loops).
  Without ``waitUrl`` it hears Twilio's default hold music (``wait_music``); with
  ``waitUrl=""`` it waits in silence. A wait document that cannot be had
  takes the participant out of the room and completes the Dial with ``failed``.
- Once the room has started the far end's scripted input is given: it may speak
  (``sim.phone(n).says(...)``: speaker events when neither muted nor held) or press keys;
  ``*`` with ``hangupOnStar`` leaves the room.
  The Dial's ``timeLimit`` counts from the join.
- ``record="record-from-start"`` records the room from its start to its end
  (``engine/conference_recording.py``).
- Leaving: the room ended, the participant was removed by REST, ``*``, or the Dial's
  ``timeLimit``: the Dial completes, its action is requested with
  ``DialCallStatus=answered`` and no ``DialCallSid``/``DialCallDuration``, else the next
  verb runs. A caller who hangs up in the room still has the action requested (with
  ``CallStatus=completed``; its TwiML is not run). A REST redirect of the call leaves the
  room without requesting the action.

Fidelity choices (Twilio documents none of these): ``ReasonParticipantLeft`` is
``participant_hung_up`` for a hang-up, ``*`` and the Dial's ``timeLimit``, and
``participant_updated_via_api`` for a REST redirect or removal; ``callerId`` and
``timeout`` of the ``<Dial>`` do nothing for a conference, its ``record`` records the
caller's time in the room (``engine/dial_recording.py``); the waitUrl
request carries the call's standard parameters.
"""

from __future__ import annotations

import re
from collections.abc import Generator
from contextlib import suppress
from typing import Any

from twimlsim.engine import dial_recording
from twimlsim.engine.conference_leg import DialTimeUp, stay
from twimlsim.engine.conference_recording import RoomRecording
from twimlsim.engine.conferences import (
    Callbacks,
    JoinRefused,
    Seat,
    Seating,
    SimConference,
    wait_music,
)
from twimlsim.engine.events import Dialed, JoinedConference, LeftConference
from twimlsim.engine.flow import Context, End, Outcome
from twimlsim.engine.process import Interrupt, Step
from twimlsim.engine.recordings import ActiveRecording
from twimlsim.engine.webhooks import call_params
from twimlsim.model.call import CallStatus
from twimlsim.twiml import nodes
from twimlsim.twiml.validate import CONFERENCE_NAME_MAX

__all__ = ["dial_conference"]

_MICROS = 1_000_000
#: A room's SID as a ``<Conference>``'s text joins that room: Twilio's 13236 ("Invalid
#: Conference Sid: You attempted to dial a Conference Sid that does not exist or has
#: already been completed") names dialling one (fidelity choice: the ``<Conference>`` page
#: speaks of room names only).
_CONFERENCE_SID = re.compile(r"CF[0-9a-fA-F]{32}")


def dial_conference(
    ctx: Context, verb: nodes.Dial, noun: nodes.Conference
) -> Generator[Step, Any, Outcome]:
    """Run ``<Dial><Conference>``."""
    engine, call = ctx.engine, ctx.call
    name = noun.text.strip()
    if not name or len(name) > CONFERENCE_NAME_MAX:  # 13237 was logged with the document
        return None
    conferences = engine.conferences
    if _CONFERENCE_SID.fullmatch(name):
        by_sid = conferences.get(name)
        if (
            by_sid is None
            or by_sid.record.account_sid != call.record.account_sid
            or not by_sid.record.active
        ):
            ctx.fail_at(
                noun,
                13236,
                f"{name} is no conference of this account still active (it does not exist "
                "or has already been completed), so the caller joins no room and the call "
                "goes on with the next verb; dial a room by its friendly name, or the SID "
                "of one in progress or waiting",
                level="warning",
            )
            return None
        room = by_sid
        name = room.friendly_name
    else:
        room = conferences.open(call.record.account_sid, name)
    if not call.answered:
        engine.answer(call)
    try:
        seat = conferences.join(room, call, _seating(ctx, noun))
    except JoinRefused as refused:
        code, message = refused.code, refused.message
    else:
        code, message = 0, ""
    if code:  # the Dial's action is requested outside the except (process.Interrupt says why)
        ctx.fail_at(noun, code, message)
        now = engine.clock.now
        call.transcript.append(LeftConference(now, name, room.sid, "refused", code))
        if code in (16023, 16025):
            return None
        return _after(ctx, verb, name, "failed", 0)
    call.transcript.append(JoinedConference(engine.clock.now, name, room.sid))
    recording = dial_recording.start(ctx, verb)
    deadline = seat.joined_micros + verb.time_limit * _MICROS
    process = call.process
    timer = engine.scheduler.call_at(
        deadline, lambda: process.interrupt(DialTimeUp()) if process is not None else None
    )
    # handled after the except clauses, not in them (process.Interrupt says why)
    cut: Interrupt | None = None
    closed = False
    try:
        try:
            how = yield from stay(ctx, room, seat, hangup_on_star=verb.hangup_on_star)
        except Interrupt as interrupted:  # a hang-up, the call's time limit, a REST hang-up
            cut = interrupted
        except GeneratorExit:  # a REST update redirected the call (engine/control.py)
            closed = True
        if cut is not None:
            engine.mark_ended(call, CallStatus.COMPLETED, by=cut.reason)
            _cut_short(ctx, verb, name, room, seat, recording, redirected=False)
            raise cut
        if closed:
            with suppress(ReferenceError):  # or the collector closed it, its simulator gone
                _cut_short(ctx, verb, name, room, seat, recording, redirected=True)
            raise GeneratorExit
    finally:
        timer.cancel()
        seat.gone = True
    conferences.leave(room, seat, "participant_hung_up")
    status = "failed" if how == "failed" else "answered"
    seconds = _left(ctx, room, seat, how)
    extra = dial_recording.close(ctx, recording)
    if how == "failed" and ctx.interpreter.loop_bound_met(call):
        # its wait music's <Redirect> loop: the bound's message says twimlsim ended the
        # call (the action, at the same instant, would only meet the bound again)
        dial_recording.report(ctx, recording)
        return End("stop")
    outcome = _after(ctx, verb, name, status, seconds, extra)
    dial_recording.report(ctx, recording)
    return outcome


def _cut_short(
    ctx: Context,
    verb: nodes.Dial,
    name: str,
    room: SimConference,
    seat: Seat,
    recording: ActiveRecording | None,
    *,
    redirected: bool,
) -> None:
    """The leg leaves the room as it is cut short: by a hang-up, or by a REST update
    (``redirected``), after which the Dial's action is requested but its TwiML not run
    (TwiML changelog, Dial 2021.05.13: "when the parent call is transferred to a new TwiML
    via call modification")."""
    reason = "participant_updated_via_api" if redirected else "participant_hung_up"
    ctx.engine.conferences.leave(room, seat, reason)
    seconds = _left(ctx, room, seat, "redirected" if redirected else "hangup")
    extra = dial_recording.close(ctx, recording)
    request = _action(ctx, verb, name, "answered", seconds, extra)
    if request is not None:
        ctx.engine.notify(ctx.call, *request, kind="dial", warning_code=11200)
    dial_recording.report(ctx, recording)


def _seating(ctx: Context, noun: nodes.Conference) -> Seating:
    callbacks = Callbacks(None)
    if noun.status_callback:
        events = frozenset(noun.status_callback_event) or Callbacks(None).events
        callbacks = Callbacks(
            ctx.resolve(noun.status_callback), noun.status_callback_method, events
        )
    wait_url, wait_method = wait_music(noun.wait_url, noun.wait_method, ctx.resolve)
    return Seating(
        label=noun.participant_label,
        muted=noun.muted,
        beep=noun.beep,
        start_conference_on_enter=noun.start_conference_on_enter,
        end_conference_on_exit=noun.end_conference_on_exit,
        coach=noun.coach,
        wait_url=wait_url,
        wait_method=wait_method,
        max_participants=noun.max_participants,
        region=noun.region,
        callbacks=callbacks,
        recording=_recording(ctx, noun),
    )


def _recording(ctx: Context, noun: nodes.Conference) -> RoomRecording | None:
    if noun.record != "record-from-start":
        return None
    url = noun.recording_status_callback
    return RoomRecording(
        ctx.resolve(url) if url else None,
        noun.recording_status_callback_method,
        frozenset(noun.recording_status_callback_event),
    )


def _left(ctx: Context, room: SimConference, seat: Seat, how: str) -> int:
    """Note the leave on the call; whole seconds the participant was in the room."""
    engine = ctx.engine
    ctx.call.transcript.append(LeftConference(engine.clock.now, room.friendly_name, room.sid, how))
    return (engine.clock.micros - seat.joined_micros) // _MICROS


def _action(
    ctx: Context,
    verb: nodes.Dial,
    name: str,
    status: str,
    seconds: int,
    extra: dict[str, str] | None = None,
) -> tuple[str, str, dict[str, str]] | None:
    call = ctx.call
    now = ctx.engine.clock.now
    call.transcript.append(Dialed(now, (name,), status, None, status == "answered", seconds))
    if verb.action is None:
        return None
    params = call_params(call.record, call.record.status.value)
    params["DialCallStatus"] = status
    params.update(extra or {})
    return ctx.resolve(verb.action), verb.method, params


def _after(
    ctx: Context,
    verb: nodes.Dial,
    name: str,
    status: str,
    seconds: int,
    extra: dict[str, str] | None = None,
) -> Outcome:
    request = _action(ctx, verb, name, status, seconds, extra)
    if request is None:
        return None
    url, method, params = request
    return ctx.goto(url, method, params, kind="dial")

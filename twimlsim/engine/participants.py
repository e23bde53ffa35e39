"""Participants added by REST (``POST /Conferences/{name or CF}/Participants``): an
outbound call, paced like any REST call, that goes straight into the room when answered.

The call sends its own call-progress callbacks (``StatusCallback``,
``StatusCallbackEvent``) as any REST call does; no voice URL is requested. Unanswered
(busy, no answer, failed), it leaves a ``participant-leave`` with
``ReasonParticipantLeft=participant_add_failed``. In the room it behaves as a TwiML
participant (``conference_leg.py``); when it leaves (the room ended, it was removed) its
call is hung up, as it has no TwiML to go on with (fidelity choice). A REST redirect of
its call takes it out of the room and runs the new TwiML; redirected while still ringing,
it runs the new TwiML when it answers and never joins (``participant-leave`` with
``participant_updated_via_api``; Twilio: such a participant is no longer listed).

With ``MachineDetection`` the participant still joins at once; three seconds after the
answer ``AmdStatusCallback`` (the participant's name for it) receives ``AccountSid``,
``AnsweredBy``, ``CallSid`` and ``MachineDetectionDuration``, as asynchronous detection on
``POST /Calls`` sends them (fidelity choice: Twilio documents the callback, not when the
participant joins). The ``AsyncAmd*`` parameters of ``POST /Calls`` are not participant
parameters: ignored, with Twilio's warning 21263 (``rest/calls.py``).
"""

from __future__ import annotations

from collections.abc import Generator
from contextlib import suppress
from typing import TYPE_CHECKING, Any

from twimlsim.model.call import CallStatus
from twimlsim.twiml import nodes

from .conference_leg import stay
from .conferences import JoinRefused, Seating, SimConference
from .events import JoinedConference, LeftConference
from .flow import Context, Loaded
from .machine_detection import report_later
from .params import detected_as
from .process import Interrupt, Step

if TYPE_CHECKING:
    from .services import Host
    from .session import SimCall

__all__ = ["participant_life"]


def participant_life(
    host: Host, call: SimCall, room: SimConference, seating: Seating
) -> Generator[Step, Any, str]:
    """The life of a REST-added participant's call; how its TwiML ended (``end``)."""
    conferences = host.conferences
    call.record.start_time = host.clock.now
    conferences.ringing(room, call)
    answered, step = yield from host.ring(call)
    if not answered:
        conferences.add_failed(room, call)
        return "end"
    host.answer(call)
    _detect_machine(
        host, call, step.value if step is not None and step.action == "machine" else None
    )
    record = call.record
    if record.url is not None or record.twiml is not None:  # redirected by REST while ringing
        conferences.add_failed(room, call, "participant_updated_via_api")
        return (yield from host.interpreter.run_call(call, kind="update"))
    if not room.record.active:
        conferences.add_failed(room, call)
        return "end"
    try:
        seat = conferences.join(room, call, seating)
    except JoinRefused as refused:
        code, message = refused.code, refused.message
    else:
        code, message = 0, ""
    if code:  # its participant-leave is sent outside the except (process.Interrupt says why)
        host.fail(call, code, message)
        call.transcript.append(
            LeftConference(host.clock.now, room.friendly_name, room.sid, "refused", code)
        )
        conferences.add_failed(room, call)
        return "end"
    call.transcript.append(JoinedConference(host.clock.now, room.friendly_name, room.sid))
    ctx = Context(host.interpreter, call, Loaded(nodes.Response(), None))
    # a cut short stay is handled after the except clauses (process.Interrupt says why)
    cut: Interrupt | None = None
    closed = False
    try:
        try:
            how = yield from stay(ctx, room, seat)
        except Interrupt as interrupted:
            cut = interrupted
        except GeneratorExit:  # a REST update redirected the call (engine/control.py)
            closed = True
        if cut is not None:
            host.mark_ended(call, CallStatus.COMPLETED, by=cut.reason)
            conferences.leave(room, seat, "participant_hung_up")
            _left(host, call, room, "hangup")
            raise cut
        if closed:
            with suppress(ReferenceError):  # or the collector closed it, its simulator gone
                conferences.leave(room, seat, "participant_updated_via_api")
                _left(host, call, room, "redirected")
            raise GeneratorExit
    finally:
        seat.gone = True
    conferences.leave(room, seat, "participant_hung_up")
    _left(host, call, room, how)
    return "end"


def _detect_machine(host: Host, call: SimCall, machine: str | None) -> None:
    """``MachineDetection``: the result (``AnsweredBy``) goes to ``AmdStatusCallback``
    ``AMD_SECONDS`` after the answer, as asynchronous detection on ``POST /Calls`` does;
    the participant is in the room meanwhile (it has no voice URL to hold back)."""
    options = call.options
    if options is None or options.machine_detection is None:
        return
    report_later(
        host,
        call,
        detected_as(machine or "human", options.machine_detection),
        options.async_amd_status_callback,
        options.async_amd_status_callback_method,
    )


def _left(host: Host, call: SimCall, room: SimConference, how: str) -> None:
    call.transcript.append(LeftConference(host.clock.now, room.friendly_name, room.sid, how))

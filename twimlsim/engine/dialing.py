"""The legs a ``<Dial>`` places, and how they report back to the dialling call.

Each target gets a child call (direction ``outbound-dial``, ``ParentCallSid``), placed at
once: never queued, not paced. Its far end is ``sim.phone(target)``. A child rings until
its phone answers or the Dial's ``timeout``; once answered it sends ``sendDigits``, runs the
noun's whisper ``url`` (its own document, on its own leg), then is bridged and stays until
someone hangs up: its far end (``hangs_up``), the Dial's ``timeLimit`` (the child's time
limit, counted from its answer), or the parent (its caller hangs up, ``hangupOnStar``).
A whisper document that hangs up (``<Hangup>``) leaves the legs unbridged. A whisper may
hold ``<Play>``, ``<Say>``, ``<Gather>`` and ``<Hangup>``: Twilio's ``<Number>`` page says
"The url attribute does not support any other TwiML verbs"; another verb is reported (no
code: Twilio documents none) and skipped, as in a queue's wait document, but ``<Pause>``
and ``<Redirect>``, which hold or pass on the whisper without a feature of their own and
which Twilio's other wait documents take, run (a choice), and ``<Dial>`` is its own 13201
(``verbs/dial.py``). The same holds for the documents a whisper's ``<Gather>`` or
``<Redirect>`` leads to. A ``<Dial><Application>`` leg runs the application's whole TwiML.

A REST update that redirects a bridged leg (``Url``/``Twiml`` on the child's SID) takes it
out of the bridge: the leg goes on with the new TwiML, as a call of its own (its requests
still carry ``ParentCallSid``), and the parent's ``<Dial>`` is over, with
``DialCallStatus=completed`` and no ``DialCallDuration`` (reference §5.6: "absent ... if
child was redirected"; the status is a choice, as for a parent redirected out of its
``<Dial>``). Apps turn a bridged call into a conference this way: the leg and the parent's
action both ``<Dial>`` the same room.
A leg redirected before its bridge (while it sends its ``sendDigits``, its machine
detection listens or its whisper runs) leaves for the new TwiML the same way, never
bridged (``DialBridged=false``; Twilio's ``<Number>`` page: "To modify the child call,
make a POST request to Calls/{CallSid} with a new TwiML URL").

Answering-machine detection on a ``<Number>`` or ``<Sip>`` (``machineDetection``) works as
on a REST-created call (fidelity choice, Twilio documents the same parameters for both):
with ``amdStatusCallback`` it runs asynchronously (the leg goes on; the result is posted
there ``AMD_SECONDS`` after the answer with ``AccountSid``, ``AnsweredBy``, ``CallSid``,
``MachineDetectionDuration``); without, the leg waits ``AMD_SECONDS`` and the whisper
request carries ``AnsweredBy`` and ``MachineDetectionDuration``. ``sendDigits`` turns it
off, as ``SendDigits`` does on create. The far end's ``machine()`` step gives the result,
else ``human``.

Children tell the parent what happened through a ``DialAttempt`` mailbox; the parent's
Dial verb wakes at the same virtual instant and reads it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from twimlsim.model.call import Call, CallStatus, Direction, StatusCallbackConfig
from twimlsim.model.recording import RecordingStatus
from twimlsim.twiml import nodes

from . import trial
from .bridge_speech import talk_in_bridge
from .events import Invited
from .flow import dtmf_seconds
from .machine_detection import detect_now, report_later
from .params import detected_as, recording_params
from .process import Process, Sleep, Step
from .redirects import RedirectCall, redirectable, run_target, until_redirected
from .redirects import Target as RedirectTarget
from .session import SimCall
from .webhooks import call_params

if TYPE_CHECKING:
    from twimlsim.model.application import Application

    from .recordings import ActiveRecording
    from .services import Host, Services

__all__ = [
    "DIAL_TIMEOUT_RANGE",
    "DialAttempt",
    "Target",
    "leave_for",
    "WAKE",
    "leg_recording_params",
    "ring_seconds",
    "sip_answer_params",
    "sip_call_id",
]

#: What the parent's Dial receives when its mailbox has news.
WAKE = "dial-news"


@dataclass(frozen=True, slots=True)
class Target:
    """One party a Dial calls: the ``to`` of the child leg and the noun (None for a bare
    number) whose attributes apply."""

    to: str
    noun: nodes.Node | None = None
    #: The noun's whisper ``url``, resolved against the Dial's document.
    url: str | None = None
    #: The noun's ``amdStatusCallback``, resolved.
    amd_callback: str | None = None
    #: A ``<Client>``'s ``<Parameter>``s; a ``<Sip>``'s ``X-`` headers and username.
    parameters: tuple[tuple[str, str], ...] = ()
    sip_headers: tuple[tuple[str, str], ...] = ()
    sip_username: str | None = None
    #: A number that cannot exist (13224): its leg fails at once, nobody is called.
    impossible: bool = False
    #: An ``<Application>``'s TwiML App (its voice URL answers the leg) and ``customerId``.
    application: Application | None = None
    customer_id: str | None = None

    @property
    def is_sip(self) -> bool:
        """Whether this target is a ``<Sip>`` noun's URI (text of a ``<Dial>`` or
        ``<Number>`` that reads ``sip:...`` is a phone number that is not one)."""
        return isinstance(self.noun, nodes.Sip)


class DialAttempt:
    """The children of one ``<Dial>`` and their news for the parent."""

    def __init__(self, engine: Services, parent: SimCall) -> None:
        self.engine = engine
        self.parent = parent
        self.legs: list[SimCall] = []
        self.news: deque[tuple[str, SimCall]] = deque()
        #: Each leg's target, and the ``X-`` headers of its far end's SIP answer.
        self.targets: dict[str, Target] = {}
        self.sip_answers: dict[str, tuple[tuple[str, str], ...]] = {}
        #: The Dial is over: news no longer wakes the parent, which has gone on to other
        #: verbs (a leg that ends later must not wake a ``<Gather>`` of the action).
        self.closed = False
        #: Legs a REST update took out of the bridge (they went on with new TwiML), with
        #: the seconds they were bridged.
        self.redirected: dict[str, int] = {}
        #: The Dial's recording (``record``) of the leg it bridges, by the leg's SID.
        self.recordings: dict[str, ActiveRecording] = {}
        #: The ``<Parameter>``s an ``<Application>`` leg's TwiML ended with (``<Hangup>``
        #: or ``<Reject>``), by the leg's SID: the Dial's action gets them back.
        self.returned: dict[str, tuple[tuple[str, str], ...]] = {}

    def post(self, what: str, child: SimCall) -> None:
        """A child ``answered``, was ``bridged`` or ``ended``; wake the parent."""
        self.news.append((what, child))
        process = self.parent.process

        def wake() -> None:
            # News posted at one instant (``answered`` then ``bridged``) is read by the
            # first wake: a later wake finding none would move the parent past the wait
            # it has just begun, losing the far end's input given to it (``hangupOnStar``).
            if process is not None and self.news and not self.closed:
                process.deliver(WAKE)

        self.engine.scheduler.call_at(self.engine.clock.micros, wake)

    def live(self) -> list[SimCall]:
        """Children not ended yet and still the Dial's: a leg a REST update took out of
        the bridge is a call of its own, even before the parent has read that news."""
        return [leg for leg in self.legs if not leg.ended and leg.sid not in self.redirected]


def sip_call_id(engine: Services, leg_sid: str) -> str:
    """The SIP Call-ID of the INVITE of a ``<Sip>`` leg (``<32 hex>@0.0.0.0``, the form of
    a captured ``DialSipCallId``), derived from the leg's SID."""
    return f"{engine.sids.hex(f'sip-call-id:{leg_sid}')}@0.0.0.0"


def sip_answer_params(engine: Services, attempt: DialAttempt, leg: SimCall) -> dict[str, str]:
    """What Twilio's ``<Sip>`` page adds to the request of an answered SIP leg's ``url``:
    ``SipCallId`` and a ``SipHeader_<name>`` for each X-header of the 200 response. The
    page also lists ``SipDomain``, ``SipDomainSid`` and ``SipSourceIp``, which describe a
    call to a Twilio SIP Domain: a ``<Sip>`` leg has none (twimlsim's choice)."""
    params = {"SipCallId": sip_call_id(engine, leg.sid)}
    for name, value in attempt.sip_answers.get(leg.sid, ()):
        params[f"SipHeader_{name}"] = value
    return params


def leg_recording_params(
    call: SimCall, seconds_so_far: Callable[[ActiveRecording], int]
) -> dict[str, str]:
    """The ``<Dial record>`` recording on a bridged leg's ``completed`` status callback:
    ``RecordingUrl``, ``RecordingSid``, ``RecordingDuration`` (Twilio's ``<Number>`` page:
    "included only if record is set on the <Dial>", in the completed event only). When the
    leg ends first the recording is still open: its duration is what ``seconds_so_far``
    says it has recorded, which the Dial then closes it with at this same instant."""
    attempt = call.leg
    if not isinstance(attempt, DialAttempt):
        return {}
    active = attempt.recordings.get(call.sid)
    if active is None:
        return {}
    recording = active.recording
    seconds = recording.duration
    if recording.status in (RecordingStatus.IN_PROGRESS, RecordingStatus.PAUSED):
        seconds = seconds_so_far(active)
    params = recording_params(recording)
    params["RecordingDuration"] = str(seconds)
    return params


def place_leg(
    engine: Host,
    attempt: DialAttempt,
    target: Target,
    *,
    caller_id: str | None,
    timeout: int,
    time_limit: int,
    status_callback: StatusCallbackConfig,
) -> SimCall:
    """Create the child leg for ``target`` and start it ringing now.

    Its ``From`` is the Dial's ``callerId``, else the parent's ``From`` (reference §5.9:
    "caller's number"; for an inbound parent that is the person calling in, for an
    outbound-API parent the number it was placed from; fidelity choice).
    """
    parent = attempt.parent
    now = engine.clock.now
    record = Call(
        sid=engine.sids.new("CA"),
        account_sid=parent.record.account_sid,
        to=target.to,
        from_=caller_id or parent.record.from_,
        direction=Direction.OUTBOUND_DIAL,
        created_at=now,
        status=CallStatus.RINGING,
        url=target.url,
        method=getattr(target.noun, "method", "POST"),
        status_callback=status_callback,
        timeout=timeout,
        time_limit=time_limit,
        parent_call_sid=parent.sid,
        start_time=now,
    )
    record.from_location = engine.phone(record.from_).location
    record.to_location = engine.phone(record.to).location
    engine.store.add_call(record)
    child = SimCall(record, engine.phone(target.to), engine, parent=parent)
    child.leg = attempt
    parent.children.append(child)
    attempt.legs.append(child)
    attempt.targets[record.sid] = target
    child.transcript.append(
        Invited(
            now,
            record.to,
            record.from_,
            target.parameters,
            target.sip_headers,
            target.sip_username,
        )
    )
    engine.calls[record.sid] = child
    # dialled legs count toward the run's bound: an application whose TwiML dials an
    # application dials without end at one instant
    engine.calls_created += 1
    if target.application is not None:
        from .dial_application import application_leg_life

        life = application_leg_life(engine, attempt, child, target)
    elif trial.dial_refused(engine.store, record):
        life = _refused_leg_life(engine, child)
    else:
        life = _leg_life(engine, attempt, child, target)
    body = engine.guarded(child, life)
    child.process = Process(engine.scheduler, body, engine.listener(child))
    child.process.start_at(engine.clock.micros)
    return child


def _leg_life(
    engine: Host, attempt: DialAttempt, child: SimCall, target: Target
) -> Generator[Step, Any, None]:
    record = child.record
    if target.impossible:
        engine.mark_ended(child, CallStatus.FAILED, by="network")
        return
    answered, step = yield from engine.ring(child)
    if not answered:
        return
    answered_by = step.value if step is not None and step.action == "machine" else None
    if step is not None and step.headers:
        attempt.sip_answers[record.sid] = step.headers
    engine.answer(child, answered_by=answered_by)
    attempt.post("answered", child)
    noun = target.noun
    how: str | RedirectTarget = "end"
    waits = getattr(noun, "send_digits", None) or getattr(noun, "machine_detection", None)
    if waits or record.url is not None:  # only then may a redirect come before the bridge
        before = _before_bridge(engine, attempt, child, target, answered_by)
        how = yield from until_redirected(before)
    if isinstance(how, RedirectTarget):
        new_target = how  # redirected before the bridge (sendDigits, AMD, whisper)
    elif how != "end":
        return
    else:
        attempt.post("bridged", child)
        try:
            yield from talk_in_bridge(engine, child, attempt.parent)
            return
        except RedirectCall as redirect:
            new_target = redirect.target
    # the leg's new TwiML runs outside the except clause (process.Interrupt says why)
    yield from leave_for(engine, attempt, child, new_target)


def _before_bridge(
    engine: Host, attempt: DialAttempt, child: SimCall, target: Target, answered_by: str | None
) -> Generator[Step, Any, str]:
    """An answered leg's ``sendDigits`` or machine detection, then its whisper: how that
    ended (``end``: bridge it)."""
    record = child.record
    noun = target.noun
    digits = getattr(noun, "send_digits", None)
    whisper_params = None
    if digits:
        engine.send_digits(child, digits)
        yield Sleep(dtmf_seconds(digits))
    elif mode := getattr(noun, "machine_detection", None):
        detected = detected_as(answered_by or "human", str(mode))
        whisper_params = yield from _detect_machine(engine, child, target, detected)
    if record.url is None:
        return "end"
    if target.is_sip:
        first = whisper_params or call_params(record, record.status.value)
        whisper_params = {**first, **sip_answer_params(engine, attempt, child)}
    return (
        yield from engine.interpreter.run_call(
            child, kind="whisper", params=whisper_params, only=WHISPER_VERBS, where=_WHISPER
        )
    )


def leave_for(
    engine: Host, attempt: DialAttempt, child: SimCall, new_target: RedirectTarget
) -> Generator[Step, Any, None]:
    """A leg redirected by REST leaves the parent's ``<Dial>`` (which is over now, without
    ``DialCallDuration``) and runs the new TwiML as a call of its own."""
    answered_at = child.answered_at
    seconds = 0 if answered_at is None else (engine.clock.now - answered_at).total_seconds()
    attempt.redirected[child.sid] = round(seconds)
    child.leg = None  # its end is no news for the parent's Dial, which is over now
    attempt.post("ended", child)
    yield from redirectable(engine, child, run_target(engine, child, new_target))


#: The verbs a dialled leg's whisper document may hold (see the module's docstring).
WHISPER_VERBS: tuple[type[nodes.Node], ...] = (
    nodes.Play,
    nodes.Say,
    nodes.Gather,
    nodes.Hangup,
    nodes.Pause,
    nodes.Redirect,
    nodes.Dial,
)
_WHISPER = "the whisper document of a dialled leg (the url of <Number>, <Client> or <Sip>)"


def _refused_leg_life(engine: Host, child: SimCall) -> Generator[Step, Any, None]:
    """A trial account's ``<Dial>`` to an unverified number: warning 14111, the leg fails."""
    engine.fail(
        child,
        14111,
        f"a trial account may <Dial> only its verified caller IDs; {child.record.to} is not "
        "one (add it with sim.verified_caller_id(...)): the leg failed",
        url=child.parent.document_url if child.parent is not None else None,
        level="warning",
    )
    yield from ()  # a generator, like every leg's life
    engine.mark_ended(child, CallStatus.FAILED, by="network")


def _detect_machine(
    engine: Services, child: SimCall, target: Target, answered_by: str
) -> Generator[Step, Any, dict[str, str] | None]:
    """Run the leg's machine detection; the whisper request's parameters when synchronous."""
    callback = target.amd_callback
    timeout = getattr(target.noun, "machine_detection_timeout", None)
    if callback is not None:
        method = getattr(target.noun, "amd_status_callback_method", "POST")
        report_later(engine, child, answered_by, callback, method, timeout)
        return None
    return (yield from detect_now(child, answered_by, timeout))


#: The ring times ``<Dial timeout>`` may set: Twilio's Dial page gives 5 to 600 seconds.
DIAL_TIMEOUT_RANGE = (5, 600)


def ring_seconds(timeout: int) -> int:
    """How long a ``<Dial timeout>`` rings: brought into ``DIAL_TIMEOUT_RANGE``.

    Twilio's Dial page gives the range (5 to 600 seconds) and says nothing of a value
    outside it beyond its bounds; raising one under 5 to 5 and lowering one over 600 to 600
    is twimlsim's choice, as the REST create's ``Timeout`` over 600 is lowered to 600.
    """
    low, high = DIAL_TIMEOUT_RANGE
    return min(max(timeout, low), high)


def cut_short_status(call: SimCall) -> CallStatus:
    """The final status of a leg cut short before it ended on its own.

    An answered leg ends ``completed``; an outgoing one not answered yet ends ``canceled``
    (Call resource status table: "The call was hung up while it was queued or ringing").
    An inbound call not answered yet (its caller hangs up during a first ``<Pause>`` or a
    ``<Dial answerOnBridge>`` still ringing) ends ``no-answer``, as Twilio's TwiML
    changelog says: "Inbound calls that end before moving to the in-progress state now
    result in the no-answer final call state. Previously these calls resulted in the
    canceled final call state."
    """
    if call.answered:
        return CallStatus.COMPLETED
    if call.record.direction is Direction.INBOUND:
        return CallStatus.NO_ANSWER
    return CallStatus.CANCELED

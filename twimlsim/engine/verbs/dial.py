"""``<Dial>``: call one or more parties and bridge the first that answers.

- Targets: the bare number, or ``<Number>``, ``<Client>`` (``client:identity``, its
  ``<Parameter>``s kept on the leg's ``Invited`` event), ``<Sip>`` (the URI without its
  ``?X-...`` headers is the leg's ``To``; headers and ``username`` kept on ``Invited``).
  At most 10: an 11th noun is reported as a problem (strict mode fails) and it and the
  rest are not dialled (fidelity choice; Twilio documents only the limit). A ``<Queue>``
  noun makes the Dial take a caller from that queue (``verbs/queue.py``), a
  ``<Conference>`` noun puts the caller in that room (``verbs/conference.py``); other nouns
  beside either are ignored. Other nouns (``<Application>``...) are not simulated and are
  reported. In parallel (the
  default) all ring at once and the first answer wins, the others are canceled;
  ``sequential="true"`` rings them one after another until one answers.
- Outcome (``DialCallStatus``): ``completed`` once a leg answered (``DialBridged`` says
  whether the whisper let it be bridged); ``canceled`` when the caller hung up first;
  otherwise the unanswered outcome, reported for the first leg that had it, preferring
  ``no-answer`` over ``busy`` over ``failed`` (fidelity choice for mixed outcomes).
  A reported ``<Sip>`` leg adds ``DialSipCallId``, ``DialSipResponseCode`` and
  ``DialSipHeader_X-...`` (see ``_Dial.sip_params``).
- ``hangupOnStar``: while bridged, the caller's ``*`` ends the child leg; the parent goes on.
- ``record``: ``record-from-answer`` records from the answer, ``record-from-ringing`` from
  the Dial's start, until the legs part; ``-dual`` gives two channels (one for a single
  ``recordingTrack``, as every recording of one track). The recording
  belongs to the parent call (``RecordingSource=DialVerb``); the action carries it even
  when absent. The REST API may pause, resume or stop it meanwhile
  (``engine/live_recordings.py``). ``trim`` is accepted and changes nothing: twimlsim
  models no silence in a bridged conversation. ``ringTone`` is accepted (only the caller hears it).
- ``answerOnBridge``: a parent still ringing is answered when a leg is bridged to it: at
  its answer, or after its whisper (the ``url`` document) when it has one, as Twilio's
  TwiML changelog says (2020.12.09: "parent call status will be ringing until the
  screening URL is complete", and "no-answer until and unless it is bridged"); when none
  is bridged, the action reports the parent ``CallStatus=ringing`` (fidelity choice).
- Checked before dialling: a ``callerId`` Twilio refuses (13214, see
  ``_caller_id_refused``) dials nobody; a number no call can reach (one rule,
  ``model/phone_numbers.dial_number_problem``: text that is not a phone number, 13223, or
  an E.164 number that cannot exist in its country, 13224) gets a leg that fails at once.
- With an ``action`` it is requested (also after the caller hung up, with
  ``CallStatus=completed``, and when a REST update redirects the call, its legs then hung
  up; the TwiML it returns is then not run); without one the next verb runs.
"""

from __future__ import annotations

import sys
from collections.abc import Generator
from contextlib import suppress
from dataclasses import replace
from typing import Any
from urllib.parse import unquote

from twimlsim.engine import dial_recording
from twimlsim.engine.bridge_speech import ParentTalk
from twimlsim.engine.caller import FarEndInput
from twimlsim.engine.delivery import SIP_RESPONSE_CODES
from twimlsim.engine.dial_application import application_target
from twimlsim.engine.dialing import (
    DialAttempt,
    Target,
    cut_short_status,
    ring_seconds,
    sip_call_id,
)
from twimlsim.engine.events import Dialed
from twimlsim.engine.flow import Context, Goto, Outcome
from twimlsim.engine.params import dial_action_params
from twimlsim.engine.payments import keys_in_room
from twimlsim.engine.process import Interrupt, Listen, Step, Waiting
from twimlsim.engine.recordings import ActiveRecording
from twimlsim.engine.session import SimCall
from twimlsim.engine.webhooks import call_params
from twimlsim.model.call import CallStatus, Direction, StatusCallbackConfig
from twimlsim.model.client_identity import identity_too_long
from twimlsim.model.phone_numbers import (
    dial_number_problem,
    normalize_number,
    without_formatting,
)
from twimlsim.model.sip_domain import dial_refusal
from twimlsim.twiml import nodes
from twimlsim.twiml.sip_headers import usable_sip_header
from twimlsim.twiml.validate import is_sip_uri, sip_scheme

from .conference import dial_conference
from .queue import dial_queue

__all__ = ["MAX_TARGETS", "dial"]

MAX_TARGETS = 10
_NOT_PHONES = ("client:", "sip:", "sips:")
#: Seconds Twilio adds to every ``<Dial timeout>`` (its Dial page: "Twilio always adds a
#: five-second timeout buffer to your <Dial>": ``timeout="10"`` rings about 15 s).
DIAL_TIMEOUT_BUFFER = 5
_UNANSWERED_ORDER = (CallStatus.NO_ANSWER, CallStatus.BUSY, CallStatus.FAILED, CallStatus.CANCELED)


class _Dial:
    """State of one running Dial."""

    def __init__(self, ctx: Context, verb: nodes.Dial, targets: list[Target]) -> None:
        self.ctx = ctx
        self.verb = verb
        self.pending = list(targets)
        self.attempt = DialAttempt(ctx.engine, ctx.call)
        self.winner: SimCall | None = None
        self.bridged = False
        #: The Dial's recording, under REST control while it lasts (``dial_recording``).
        self.recording: ActiveRecording | None = None

    def place_next(self) -> None:
        verb = self.verb
        batch = self.pending[:1] if verb.sequential else self.pending
        self.pending = self.pending[len(batch) :]
        for target in batch:
            self.ctx.engine.place_leg(
                self.attempt,
                target,
                caller_id=_shown_caller_id(verb.caller_id),
                timeout=ring_seconds(verb.timeout) + DIAL_TIMEOUT_BUFFER,
                time_limit=verb.time_limit,
                status_callback=_noun_callbacks(self.ctx, target.noun),
            )

    def start_recording(self) -> None:
        self.recording = dial_recording.start(self.ctx, self.verb)

    def handle(self, what: str, child: SimCall) -> bool:
        """Apply one piece of news; True when the Dial is over."""
        engine = self.ctx.engine
        if what == "answered" and self.winner is None:
            self.winner = child
            for other in self.attempt.live():
                if other is not child and other.process is not None:
                    other.process.interrupt(Interrupt("canceled"))
            self.pending = []
            if self.verb.record.startswith("record-from-answer"):
                self.start_recording()
            if self.recording is not None:  # on the bridged leg's completed callback too
                self.attempt.recordings[child.sid] = self.recording
        elif what == "bridged" and child is self.winner:
            self.bridged = True
            parent = self.ctx.call
            if not parent.answered:  # answerOnBridge: answered once bridged, its whisper over
                engine.answer(parent)
        elif what == "ended":
            if child is self.winner:
                return True
            if self.winner is None and not self.attempt.live():
                if not self.pending:
                    return True
                self.place_next()
        return False

    def outcome(self) -> tuple[str, SimCall | None, int]:
        """``DialCallStatus``, the child reported, ``DialCallDuration``."""
        if self.winner is not None:
            redirected = self.attempt.redirected.get(self.winner.sid)
            if redirected is not None:  # the leg went on with new TwiML (dialing.py)
                return "completed", self.winner, redirected
            return "completed", self.winner, self.winner.duration or 0
        legs = self.attempt.legs
        if self.ctx.call.ended:
            return "canceled", (legs[0] if legs else None), 0
        for status in _UNANSWERED_ORDER:
            for leg in legs:
                if leg.record.status == status:
                    return status.value, leg, 0
        return "failed", (legs[0] if legs else None), 0

    def close_recording(self) -> None:
        dial_recording.close(self.ctx, self.recording)

    def report_recording(self) -> None:
        dial_recording.report(self.ctx, self.recording)

    def action(self) -> tuple[str, dict[str, str]] | None:
        status, child, seconds = self.outcome()
        call = self.ctx.call
        self.ctx.call.transcript.append(
            Dialed(
                self.ctx.engine.clock.now,
                tuple(leg.record.to for leg in self.attempt.legs),
                status,
                child.sid if child is not None else None,
                self.bridged,
                seconds,
            )
        )
        if self.verb.action is None:
            return None
        params = dial_action_params(
            call_params(call.record, call.record.status.value),
            status=status,
            child_sid=child.sid if child is not None else None,
            seconds=seconds,
            bridged=self.bridged,
            recording=self.recording.recording if self.recording is not None else None,
            sip=self.sip_params(child),
        )
        if child is not None and child.sid in self.attempt.redirected:
            del params["DialCallDuration"]  # reference §5.6: absent if child was redirected
        if child is not None and child.sid in self.attempt.returned:
            params.update(
                (f"ReturnParam_{name}", value) for name, value in self.attempt.returned[child.sid]
            )
        return self.ctx.resolve(self.verb.action), params

    def sip_params(self, child: SimCall | None) -> dict[str, str] | None:
        """``DialSipCallId``, ``DialSipResponseCode`` and ``DialSipHeader_X-...`` when the
        reported leg dialled a ``<Sip>`` URI (reference §II.5.3).

        The Call-ID is derived from the leg's SID (``<32 hex>@0.0.0.0``, the form of the
        captured one); the response code is the leg's final SIP code (200 answered, 486
        busy, 487 no answer or canceled, 404 failed); the headers are those of the far
        end's answer (``answers(sip_headers=...)``).
        """
        if child is None:
            return None
        target = self.attempt.targets.get(child.sid)
        if target is None or not target.is_sip:
            return None
        engine = self.ctx.engine
        status = CallStatus.COMPLETED if child.answered else child.record.status
        params = {
            "DialSipCallId": sip_call_id(engine, child.sid),
            "DialSipResponseCode": SIP_RESPONSE_CODES.get(status, "487"),
        }
        for name, value in self.attempt.sip_answers.get(child.sid, ()):
            params[f"DialSipHeader_{name}"] = value
        return params


def _in_whisper(call: SimCall) -> bool:
    """Whether ``call`` is a leg a ``<Dial>`` placed to a number, client or SIP address: the
    only TwiML it runs is its whisper (an ``<Application>`` leg runs the application's)."""
    leg = call.leg
    if leg is None:
        return False
    target = leg.targets.get(call.sid)
    return target is not None and not isinstance(target.noun, nodes.Application)


def dial(ctx: Context, verb: nodes.Dial) -> Generator[Step, Any, Outcome]:
    """Run one ``<Dial>``.

    In a dialled leg's whisper document (the ``url`` of ``<Number>``, ``<Client>`` or
    ``<Sip>``, the only TwiML such a leg runs) it is Twilio's error 13201 ("Cannot Dial out
    from a Dial Call Segment") and is skipped (a choice: Twilio does not say what follows);
    a whisper that dialled would otherwise dial without end at one instant.
    """
    if _in_whisper(ctx.call):
        ctx.fail_at(
            verb,
            13201,
            "<Dial> cannot run in the whisper document of a dialled leg (the url of "
            "<Number>, <Client> or <Sip>): Twilio does not dial out from a Dial call "
            "segment; twimlsim skipped it",
        )
        return None
    engine = ctx.engine
    queue = next((noun for noun in verb.nouns if isinstance(noun, nodes.Queue)), None)
    if queue is not None and not verb.number:
        return (yield from dial_queue(ctx, verb, queue))
    room = next((noun for noun in verb.nouns if isinstance(noun, nodes.Conference)), None)
    if room is not None and not verb.number:
        return (yield from dial_conference(ctx, verb, room))
    state = _Dial(ctx, verb, _targets(ctx, verb))
    if not state.pending:
        return None
    refused = _caller_id_refused(ctx, verb, state.pending)
    if refused:
        state.pending = []
    else:
        if verb.record.startswith("record-from-ringing"):
            state.start_recording()
        state.place_next()
    star = Waiting("Dial", ("dtmf",), None)
    talk = ParentTalk(engine, ctx.call)
    # a cut short Dial is handled after the except clauses (process.Interrupt says why)
    cut: Interrupt | None = None
    closed = False
    try:
        try:
            over = refused
            while not over:
                listening = state.bridged and verb.hangup_on_star
                seconds, waiting = talk.wait(state.bridged, star if listening else None)
                woke = yield Listen(seconds, waiting)
                talk.woke(woke, state.bridged, state.winner)
                while state.attempt.news and not over:
                    what, child = state.attempt.news.popleft()
                    over = state.handle(what, child)
                if isinstance(woke, FarEndInput) and listening and "*" in woke.digits:
                    winner = state.winner
                    if winner is not None and winner.process is not None:
                        winner.process.interrupt(Interrupt("hangup-on-star"))
                elif isinstance(woke, FarEndInput) and woke.digits:  # kept for a payment capture
                    keys_in_room(engine, ctx.call, woke.digits)
        except Interrupt as interrupted:
            cut = interrupted
        except GeneratorExit:
            closed = True
        if cut is not None:
            # completed, or (answerOnBridge still ringing) as dialing.cut_short_status says
            engine.mark_ended(ctx.call, cut_short_status(ctx.call), by=cut.reason)
            _left(ctx, verb, state)
            raise cut
        if closed:
            # A REST update redirected the call (engine/control.py): its legs are hung up
            # and the action requested, its TwiML not run (TwiML changelog, Dial
            # 2021.05.13: "Twilio will make a request to the provided action callback when
            # the parent call is transferred to a new TwiML via call modification").
            # or the collector closed it, its simulator gone; or Python's exit did, a run
            # stopped having left it live, when nothing can be told (each try printed an
            # ImportError traceback as the exit ended, thousands after a RunawayCalls)
            if not sys.is_finalizing():
                with suppress(ReferenceError):
                    _left(ctx, verb, state)
            raise GeneratorExit
    finally:
        state.attempt.closed = True
    state.close_recording()
    request = state.action()
    loaded = None
    if request is not None:
        url, params = request
        loaded = ctx.interpreter.load(ctx.call, url, verb.method, kind="dial", params=params)
    state.report_recording()
    if request is None:
        return None
    return Goto(loaded)


def _targets(ctx: Context, verb: nodes.Dial) -> list[Target]:
    if verb.number or not verb.children:
        # an empty <Dial> dials the empty number (13223, reported by the TwiML checks):
        # its leg fails at once, as an empty <Number>'s does
        return [_checked(ctx, verb, Target((verb.number or "").strip()))]
    targets: list[Target] = []
    for noun in verb.nouns:
        if isinstance(noun, nodes.Number | nodes.Client | nodes.Sip):
            if len(targets) == MAX_TARGETS:
                ctx.engine.fail(
                    ctx.call,
                    None,
                    f"<Dial> has more than {MAX_TARGETS} <Number>/<Client>/<Sip> nouns; "
                    f"Twilio dials at most {MAX_TARGETS}: twimlsim dialled the first "
                    f"{MAX_TARGETS} and skipped this one and the rest",
                    url=ctx.loaded.url,
                    element=noun.tag,
                    line=noun.line,
                )
                break
            targets.append(_checked(ctx, noun, _target(ctx, noun)))
        elif isinstance(noun, nodes.Application):
            target = application_target(ctx, noun)
            if target is not None:
                targets.append(target)
        else:
            ctx.not_simulated(noun, f"<Dial><{noun.tag}>", skipped="noun")
    return targets


def _left(ctx: Context, verb: nodes.Dial, state: _Dial) -> None:
    """The call left the ``<Dial>`` (hung up, or redirected by REST): hang its legs up,
    request the action (its TwiML is not run) and report the Dial's recording."""
    engine = ctx.engine
    if state.winner is None:
        # a leg that answered just before the call left (the app redirected it from that
        # leg's answered callback) counts: DialCallStatus=completed, not failed
        state.winner = next((c for what, c in state.attempt.news if what == "answered"), None)
    for leg in state.attempt.live():
        if leg.process is not None:
            leg.process.interrupt(Interrupt("parent"))
    state.close_recording()
    request = state.action()
    if request is not None:
        url, params = request
        engine.notify(ctx.call, url, verb.method, params, kind="dial", warning_code=11200)
    state.report_recording()


def _shown_caller_id(caller_id: str | None) -> str | None:
    """The number a ``callerId`` shows, in E.164: written with formatting or nationally
    (``500-555-0006``, ``(500) 555-0006``) it is the NANP number ``+15005550006``, as the
    REST API reads a ``From`` so written (``normalize_number``). Fidelity choice: Twilio's
    ``<Dial>`` page does not say how it reads a callerId not in E.164; a ``client:`` or
    other identity is kept as written."""
    if caller_id is None:
        return None
    return normalize_number(caller_id) or caller_id


def _caller_id_refused(ctx: Context, verb: nodes.Dial, targets: list[Target]) -> bool:
    """Whether ``callerId`` may not be shown to the numbers dialled (13214, reported).

    Twilio's 13214 page: "callerId must be the calling number, called number, or a
    validated outgoing number"; a number the account owns is accepted too. "If the calling
    leg is a client leg, the caller ID is required and must be a validated outgoing
    number": a Voice SDK call dialling a phone number without one, or with its own
    ``client:`` identity or its ``To``, is refused too; so is an inbound SIP call's own
    ``From`` or ``To`` (Twilio's ``<Dial>`` page: "In the case of an inbound SIP call,
    callerId cannot be the To or From number"). Only checked when a phone number is
    dialled (a ``<Client>``, ``<Sip>`` or ``<Application>`` callee may see any caller
    ID). Fidelity choice (Twilio logs 13214 as a warning and does not
    say what the Dial does): nobody is called and the Dial reports
    ``DialCallStatus=failed``.
    """
    caller_id = verb.caller_id
    phones = [
        target
        for target in targets
        if target.application is None and not target.to.startswith(_NOT_PHONES)
    ]
    record = ctx.call.record
    from_client = record.from_.startswith("client:")
    if not phones or (caller_id is None and not from_client):
        return False
    if caller_id is None:
        message = (
            f"this call comes from a Voice SDK client ({record.from_}), which is no phone "
            "number to show: dialling a phone number from a client leg needs a callerId "
            "(Twilio's 13214: \"if the calling leg is a client leg, the caller ID is "
            'required"); twimlsim called nobody (DialCallStatus=failed). Give <Dial> '
            'callerId="..." with a number the account owns or a verified caller ID'
        )
    else:
        number = normalize_number(caller_id) or without_formatting(caller_id)
        sip_caller = record.direction == Direction.INBOUND and record.from_.startswith("sip:")
        own = set() if from_client or sip_caller else {record.from_, record.to}
        if number in own or ctx.engine.may_call_from(ctx.call, number):
            return False
        if from_client:
            whose = (
                "a number the account owns or a verified caller ID (a client leg may show no other)"
            )
        elif sip_caller:
            whose = (
                "a number the account owns or a verified caller ID (an inbound SIP call may "
                "not show its own From or To: Twilio's <Dial> page, for the risk of caller "
                "ID spoofing)"
            )
        else:
            whose = (
                f"this call's own number ({record.from_} or {record.to}), a number the "
                "account owns or a verified caller ID"
            )
        message = (
            f"callerId {caller_id!r} is not {whose}; twimlsim called nobody "
            "(DialCallStatus=failed). Use one of those numbers, or verify it with "
            "sim.verified_caller_id(...)"
        )
    ctx.engine.fail(
        ctx.call,
        13214,
        message,
        url=ctx.loaded.url,
        element=verb.tag,
        line=verb.line,
        level="warning",
    )
    return True


def _checked(ctx: Context, node: nodes.Node, target: Target) -> Target:
    """``target``, marked impossible when no call can reach the number
    (``dial_number_problem``): text that is not a phone number (13223, already reported
    by the TwiML checks) or an E.164 number that cannot exist in its country (13224,
    reported here). Its leg then fails at once; ``<Client>`` and ``<Sip>`` are not
    numbers: only a client without an identity or an invalid SIP URI fails so. A number
    written with formatting or nationally (``415-123-4567``, as Twilio's own ``<Dial>``
    examples write it) is dialled in E.164 (``+14151234567``: the leg's ``To``, the phone
    script that answers it), as the REST API normalises a ``To``; a number it cannot place
    in a country is dialled as written.
    A ``<Sip>`` URI naming a registered endpoint at one of its SIP Domain's edges
    (``alice@office.sip.ashburn.twilio.com``) fails its leg at once too, with Twilio's error
    32220; the global URI (``alice@office.sip.twilio.com``) and the deprecated ``us1`` and
    ``us1-ix`` forms ring (``model/sip_domain.undiallable_edge``); one naming a SIP Domain
    with no username (``sip:office.sip.twilio.com``) fails so with Twilio's error 32223
    ("Calling Twilio SIP domains such as yourdomain.sip.twilio.com is not allowed")."""
    named_party = isinstance(target.noun, nodes.Client | nodes.Sip)
    # Only those nouns name a client or a SIP URI: the text of a <Dial> or <Number> that
    # reads "client:joey" or "sip:..." is a phone number that is not one (13223), whose
    # leg fails at once, as the TwiML check says.
    if named_party and target.is_sip:
        outcome = "twimlsim failed its leg at once (DialCallStatus=failed)"
        refusal = dial_refusal(target.to, outcome)
        if refusal is not None:
            ctx.fail_at(node, *refusal)
            return replace(target, impossible=True)
    if named_party:
        # a <Client> with no identity or one too long, or an invalid <Sip> URI (12200,
        # 13243, reported by the TwiML checks) names nobody: its leg fails at once, as a
        # bad number's does
        if target.is_sip:
            named = is_sip_uri(target.to)
        else:
            identity = target.to.partition(":")[2]
            named = bool(identity) and not identity_too_long(identity)
        return target if named else replace(target, impossible=True)
    code = dial_number_problem(target.to)
    if code is None:
        number = normalize_number(target.to)
        return target if number is None or number == target.to else replace(target, to=number)
    if code == 13224:
        ctx.fail_at(
            node,
            13224,
            f"the number {target.to} cannot exist (wrong length for its country, or no "
            "such calling code); twimlsim failed its leg at once (DialCallStatus=failed). "
            "Dial a complete E.164 number",
            level="warning",
        )
    return replace(target, impossible=True)


def _target(ctx: Context, noun: nodes.Number | nodes.Client | nodes.Sip) -> Target:
    url = ctx.resolve(noun.url) if noun.url else None
    if isinstance(noun, nodes.Number):
        return Target(noun.text.strip(), noun, url, _amd_callback(ctx, noun))
    if isinstance(noun, nodes.Client):
        parameters = tuple(
            (child.name or "", child.value or "")
            for child in noun.children
            if isinstance(child, nodes.Parameter)
        )
        return Target(f"client:{noun.identity.strip()}", noun, url, parameters=parameters)
    uri, _, query = noun.uri.strip().partition("?")
    # Twilio's own examples leave the scheme out (<Sip>kate@example.com</Sip>): the leg's
    # To is the URI with it (choice: Twilio's To for such a noun is unpublished)
    scheme, rest = sip_scheme(uri)
    uri = f"{scheme or 'sip'}:{rest}"
    headers: list[tuple[str, str]] = []
    for pair in filter(None, query.split("&")):
        name, _, value = pair.partition("=")
        headers.append((name, value))
    for child in noun.children:
        if isinstance(child, nodes.Headers):
            headers.extend(
                (header.name or "", header.value or "")
                for header in child.children
                if isinstance(header, nodes.Header)
            )
    username = noun.username
    if username is None:
        username = next(
            (c.username for c in noun.children if isinstance(c, nodes.SipUri) and c.username),
            None,
        )
    return Target(
        uri,
        noun,
        url,
        _amd_callback(ctx, noun),
        sip_headers=tuple(
            (name, unquote(value)) for name, value in headers if usable_sip_header(name)
        ),
        sip_username=username,
    )


def _amd_callback(ctx: Context, noun: nodes.Number | nodes.Sip) -> str | None:
    return ctx.resolve(noun.amd_status_callback) if noun.amd_status_callback else None


def _noun_callbacks(ctx: Context, noun: nodes.Node | None) -> StatusCallbackConfig:
    url = getattr(noun, "status_callback", None)
    if url is None:
        return StatusCallbackConfig()
    events = frozenset(getattr(noun, "status_callback_event", ()) or ("completed",))
    method = getattr(noun, "status_callback_method", "POST")
    return StatusCallbackConfig(url=ctx.resolve(url), method=method, events=events)

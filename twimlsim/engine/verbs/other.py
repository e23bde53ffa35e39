"""``<Start>``, ``<Stop>`` and ``<Echo>``: the verbs twimlsim simulates simply.

- ``<Start>`` / ``<Stop>`` fork or stop media streams, SIPREC, real-time transcription or
  a recording alongside the call. The verb takes no time and the next verb runs at once,
  as on Twilio. A ``<Siprec>`` is kept on the call as a Siprec resource the REST API can
  stop, and reports ``siprec-started`` and ``siprec-stopped`` to its ``statusCallback``
  (``engine/siprec.py``); without ``track`` it carries ``both_tracks`` and without
  ``connectorName`` it goes through the connector named ``Default``, the defaults of
  Twilio's ``<Siprec>`` page.
  ``<Recording>`` records the call (``start_recording.py``); a ``<Stream>`` is kept on
  the call as a Stream resource the REST API can stop, and reports to its
  ``statusCallback`` (``engine/streams.py``); to an ASGI app routed in process it opens
  the app's WebSocket, which hears the call beside the TwiML (``engine/fork_socket.py``);
  a ``<Transcription>`` is kept as a real-time transcription and reports what it hears to
  its ``statusCallbackUrl`` (``engine/realtime_transcriptions.py``); a
  ``statusCallbackUrl`` that is not an http(s) URL is the schema's 12200 (dropped: the
  transcription runs, its events go nowhere).
- ``<Echo>`` plays the far end back to itself until the call ends (the far end hangs up,
  the time limit, a REST update); verbs after it are never reached.
- ``<Refer>`` transfers SIP legs only: on a call whose far end is a phone number or a
  Voice SDK client it is Twilio's error 13801 ("Refer not allowed on non-SIP call legs";
  its ``<Refer>`` page: such legs "are not supported and will result in an error"). What
  the call does next is not documented: twimlsim skips the verb, requests no ``action``
  and goes on with the next verb. On a SIP leg the transfer succeeds, as in the first
  scenario of Twilio's page: the endpoint accepts the REFER (202) and the new call it
  places is answered (NOTIFY 200) at once; the ``action`` is requested with
  ``ReferCallStatus=in-progress``, ``ReferSipResponseCode=202`` and
  ``NotifySipResponseCode=200`` while the leg is still up; then the endpoint, whose call
  the new one replaced, hangs up the Twilio leg (``completed``, by the far end) before any
  of the action's TwiML or the next verb is heard (twimlsim's choice: the page says the
  new call replaces the Twilio leg, not when the endpoint's BYE comes). A ``<Refer>``
  without a ``<Sip>`` URI has no REFER to send: warning 12200 (validation reports it),
  the verb is skipped and no ``action`` requested (twimlsim's choice: Twilio documents
  no code for it).

Every other verb twimlsim does not simulate (``<Connect>`` with a noun other than
``<Stream>``, a top-level ``<Prompt>``) is reported by the
interpreter as "not simulated by twimlsim yet" (a failure naming the element and line,
which strict mode raises) and skipped.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Any

from twimlsim.engine.events import Echoed, Referred
from twimlsim.engine.flow import Context, Outcome
from twimlsim.engine.params import refer_action_params
from twimlsim.engine.process import Interrupt, Listen, Step
from twimlsim.engine.realtime_transcriptions import start_transcription, stop_transcriptions
from twimlsim.engine.siprec import start_siprec, stop_siprecs
from twimlsim.engine.streams import start_stream, stop_streams
from twimlsim.engine.webhooks import call_params
from twimlsim.model.realtime_transcription import RealtimeTranscription
from twimlsim.twiml import nodes
from twimlsim.twiml.stream_urls import url_problem
from twimlsim.twiml.validate import refer_target

from .start_recording import start_recordings

if TYPE_CHECKING:
    from twimlsim.engine.fork_socket import Where

__all__ = ["echo", "fork", "refer"]

#: Twilio's code for a ``<Refer>`` on a leg that is not SIP.
REFER_ON_NON_SIP_LEG = 13801


def fork(ctx: Context, verb: nodes.Start | nodes.Stop) -> Generator[Step, Any, Outcome]:
    """``<Start>`` / ``<Stop>``: go on with the next verb at once (a ``<Start><Recording>``
    starts recording the call: ``start_recording.py``; a ``<Stream>`` is started or
    stopped: ``engine/streams.py``; a ``<Siprec>``: ``engine/siprec.py``)."""
    start_recordings(ctx, verb)
    for noun in verb.children:
        if isinstance(noun, nodes.Transcription):
            _fork_transcription(ctx, verb, noun)
            continue
        if isinstance(noun, nodes.Siprec):
            _fork_siprec(ctx, verb, noun)
            continue
        if not isinstance(noun, nodes.Stream):
            continue
        if isinstance(verb, nodes.Stop):
            stop_streams(ctx.engine, ctx.call, noun.name)
            continue
        problem = url_problem(noun)
        if problem is not None:
            ctx.fail_at(noun, problem[0], f"{problem[1]}; the stream did not start")
            continue
        parameters = tuple(
            (child.name or "", child.value or "")
            for child in noun.children
            if isinstance(child, nodes.Parameter)
        )
        callback = noun.status_callback
        start_stream(
            ctx.engine,
            ctx.call,
            url=noun.url or "",
            name=noun.name,
            track=noun.track,
            parameters=parameters,
            status_callback=ctx.resolve(callback) if callback else None,
            status_callback_method=noun.status_callback_method,
            where=_where(ctx, noun) if ctx.engine.app_sockets is not None else None,
        )
    yield from ()
    return None


def _where(ctx: Context, noun: nodes.Stream) -> Where:
    """Where the stream's socket problems are logged: this ``<Stream>`` of this document."""
    from twimlsim.engine.fork_socket import Where  # only where an app takes sockets

    return Where(ctx.loaded.url, noun.tag, noun.line)


def _fork_siprec(ctx: Context, verb: nodes.Start | nodes.Stop, noun: nodes.Siprec) -> None:
    """``<Start><Siprec>`` keeps a SIPREC session on the call; ``<Stop><Siprec>`` stops
    the one named (or all of them): ``engine/siprec.py``."""
    if isinstance(verb, nodes.Stop):
        stop_siprecs(ctx.engine, ctx.call, noun.name)
        return
    parameters = tuple(
        (child.name or "", child.value or "")
        for child in noun.children
        if isinstance(child, nodes.Parameter)
    )
    callback = noun.status_callback
    start_siprec(
        ctx.engine,
        ctx.call,
        name=noun.name,
        connector_name=noun.connector_name,
        track=noun.track,
        parameters=parameters,
        status_callback=ctx.resolve(callback) if callback else None,
        status_callback_method=noun.status_callback_method,
    )


def _fork_transcription(
    ctx: Context, verb: nodes.Start | nodes.Stop, noun: nodes.Transcription
) -> None:
    """Start or stop a real-time transcription of the call."""
    if isinstance(verb, nodes.Stop):
        stop_transcriptions(ctx.engine, ctx.call, noun.name)
        return
    url = ctx.resolve(noun.status_callback_url) if noun.status_callback_url else None
    now = ctx.engine.clock.now
    record = ctx.call.record
    start_transcription(
        ctx.engine,
        ctx.call,
        RealtimeTranscription(
            ctx.engine.sids.new("GT"),
            record.account_sid,
            record.sid,
            noun.name,
            noun.track,
            now,
            now,
            status_callback_url=url,
            status_callback_method=noun.status_callback_method,
            inbound_track_label=noun.inbound_track_label,
            outbound_track_label=noun.outbound_track_label,
            partial_results=noun.partial_results,
            language_code=noun.language_code,
            transcription_engine=noun.transcription_engine or "google",
            speech_model=noun.speech_model,
            profanity_filter=noun.profanity_filter,
            enable_automatic_punctuation=noun.enable_automatic_punctuation,
            hints=noun.hints,
        ),
    )


def echo(ctx: Context, verb: nodes.Echo) -> Generator[Step, Any, Outcome]:
    """``<Echo>``: wait, echoing, until the call is ended from outside."""
    ctx.call.transcript.append(Echoed(ctx.engine.clock.now))
    yield Listen(None)
    return None  # pragma: no cover - nothing is ever delivered to this wait


def refer(ctx: Context, verb: nodes.Refer) -> Generator[Step, Any, Outcome]:
    """``<Refer>``: 13801 on a leg that is not SIP; on a SIP leg the transfer succeeds, the
    action is requested and the endpoint hangs up the Twilio leg."""
    call = ctx.call
    far_end = call.phone.number
    if far_end.lower().startswith("sip:"):
        target = refer_target(verb)
        if not target:  # nothing to send: validation reported it (12200)
            yield from ()
            return None
        call.transcript.append(Referred(ctx.engine.clock.now, target))
        if verb.action is not None:
            params = refer_action_params(call_params(call.record, call.record.status.value))
            url = ctx.resolve(verb.action)
            ctx.interpreter.load(call, url, verb.method, kind="refer", params=params)
        raise Interrupt("caller")  # replaced by the endpoint's new call: it hangs up
    ctx.fail_at(
        verb,
        REFER_ON_NON_SIP_LEG,
        f"<Refer> on a call whose far end {far_end} is not a SIP leg (a phone number or a "
        "Voice SDK client): Twilio refers SIP legs only; twimlsim skipped the verb and went "
        "on with the next one. Transfer the call with <Dial> instead",
    )
    yield from ()
    return None

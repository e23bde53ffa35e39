"""``<Connect><Stream>`` and ``<Connect><ConversationRelay>``: the call talks to the app's
WebSocket server until it is over.

Twilio's ``<Stream>`` page: "When ``<Connect><Stream>`` is used, Twilio does not execute
the next set of TwiML instructions. The only way Twilio executes TwiML instructions after
``<Connect><Stream>`` is if your server closes the WebSocket connection." A
``<ConversationRelay>`` session (Twilio's speech-to-text and text-to-speech around the
app's WebSocket) likewise lasts until the app ends it with an ``end`` message. When the
app is reached in process with WebSocket support (an ASGI app routed with ``sim.route``),
the noun opens its socket and speaks Twilio's messages on it (``engine/relay.py``,
``engine/media_socket.py``): the far end's speech and keys go to the app, what it sends
is said or played, and its ``end`` (or its socket closing) ends it. Otherwise twimlsim
opens no WebSocket (media and messages are never exchanged); the call stays connected, its
far end talking with the app, until:

- the far end hangs up, the call reaches its time limit, or a REST update redirects or
  ends it (``calls(sid).update(twiml=...)``, how an AI agent hands the call on), as for
  every verb; a ``<Stream>`` stops then (``stream-stopped``), before the new TwiML runs;
- the test plays the app's server ending it: ``call.close_stream()`` (for a
  ``<ConversationRelay>``, with the ``end`` message's ``handoff_data``). The
  ``<Connect>`` then ends: its ``action`` is requested, or, without one, the next verb
  runs (Twilio's ``<Connect>`` page: "Twilio sends an HTTP request to this URL with
  Twilio's standard request parameters along with some parameters specific to the nested
  noun"). A ``<Stream>`` adds none (none is documented). A ``<ConversationRelay>`` adds
  ``SessionId`` (``VX``...), ``SessionStatus``, ``SessionDuration`` and, when the app gave
  it, ``HandoffData``, as the payloads of Twilio's ``<ConversationRelay>`` page:
  ``SessionStatus`` is ``ended`` when the app ended the session, ``failed`` when it failed
  (``engine/relay.py``) or its URL cannot be connected to (``twiml/stream_urls.py``), and
  ``completed`` when the call ended during it (the caller hung up, the time limit, a REST
  ``Status=completed``: the page's "Session completed normally (caller hung up)" payload,
  with ``CallStatus=completed``; its TwiML is not run); the duration is in whole seconds.
  A ``<Stream>``'s action is not requested when the call ends in it, nor a session's when
  a REST update redirects the call (choices: nothing is documented for those).

The transcript records the connection (``StreamConnected``: URL, name, ``<Parameter>``s)
and the end (``StreamClosed``); a ``<ConversationRelay>``'s ``welcomeGreeting`` is said to
the caller as the session starts (``Said``, taking no time of the call's: the session runs
meanwhile). A ``<Stream>`` is on ``SimCall.streams`` (bidirectional) and reports to its
``statusCallback`` as ``engine/streams.py`` says. Every other noun of ``<Connect>``
(``<Room>``, ``<VirtualAgent>``...) is reported as not simulated and the verb skipped.
"""

from __future__ import annotations

from collections.abc import Generator
from contextlib import suppress
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from twimlsim.engine.caller import FarEndInput
from twimlsim.engine.events import Said, StreamClosed, StreamConnected
from twimlsim.engine.flow import Context, Outcome, say_seconds
from twimlsim.engine.process import Interrupt, Listen, Sleep, Step, Waiting
from twimlsim.engine.streams import StreamAudio, StreamClose, start_stream, stop_stream
from twimlsim.engine.webhooks import call_params
from twimlsim.model.call import CallStatus
from twimlsim.model.stream import MediaStream
from twimlsim.twiml import nodes
from twimlsim.twiml.stream_tracks import connect_track_problem
from twimlsim.twiml.stream_urls import url_problem

if TYPE_CHECKING:
    from twimlsim.engine.app_sockets import AppSocket
    from twimlsim.engine.media_socket import MediaSocket
    from twimlsim.engine.relay import Relay

__all__ = ["connect"]


def connect(ctx: Context, verb: nodes.Connect) -> Generator[Step, Any, Outcome]:
    """``<Connect>``: a ``<Stream>`` or ``<ConversationRelay>`` holds the call until the
    app's server ends it (see above); any other noun is not simulated and the verb is
    skipped."""
    noun = next((child for child in verb.children if not isinstance(child, nodes.Unknown)), None)
    if noun is None:
        ctx.fail_at(
            verb,
            12200,
            "<Connect> has no noun, so nothing to connect the call to; nest one such as "
            '<Stream url="wss://..."/> or <ConversationRelay url="wss://..."/>; Twilio skips '
            "the verb",
            level="warning",
        )
        return None
    if not isinstance(noun, nodes.Stream | nodes.ConversationRelay):
        ctx.not_simulated(verb, f"<Connect><{noun.tag}>", skipped="verb")
        return None
    problem = url_problem(noun)
    if problem is None and isinstance(noun, nodes.Stream):
        problem = connect_track_problem(noun)
    if problem is not None:
        return (yield from _not_connected(ctx, verb, noun, problem))
    clock = ctx.engine.clock
    started = clock.now
    parameters = tuple(
        (child.name or "", child.value or "")
        for child in noun.children
        if isinstance(child, nodes.Parameter)
    )
    url = noun.url or ""
    name = noun.name if isinstance(noun, nodes.Stream) else None
    ctx.call.transcript.append(StreamConnected(started, url, name, parameters))
    stream: MediaStream | None = None
    session = None
    greeting_seconds = 0
    if isinstance(noun, nodes.Stream):
        callback = noun.status_callback
        stream = start_stream(
            ctx.engine,
            ctx.call,
            url=url,
            name=name,
            track=noun.track,
            parameters=parameters,
            status_callback=ctx.resolve(callback) if callback else None,
            status_callback_method=noun.status_callback_method,
            bidirectional=True,
        )
    else:
        session = ctx.engine.sids.new("VX")
        greeting = " ".join((noun.welcome_greeting or "").split())
        if greeting:
            language = noun.tts_language or noun.language or "en-US"
            ctx.call.transcript.append(Said(started, greeting, noun.voice or "", language))
            greeting_seconds = say_seconds(greeting)
    details = {"url": url, "name": name, "noun": noun.tag}
    relay = media = None
    live: Relay | MediaSocket | None = None
    if isinstance(noun, nodes.ConversationRelay) and session is not None:
        live = relay = _open_relay(ctx, noun, url, session)
    elif isinstance(noun, nodes.Stream) and stream is not None:
        live = media = _open_media_socket(ctx, noun, url, stream)
    # a socket open in process hears the far end (its speech and keys go to the app)
    heard = ("speech", "dtmf") if live is not None else ()
    waiting = Waiting("Connect", input=heard, details=details)
    if relay is not None:
        relay.waiting = waiting
        relay.greeting_seconds = greeting_seconds
    given: object = None
    # a cut short <Connect> is handled after the except clauses (process.Interrupt says why)
    cut: Interrupt | None = None
    closed = False
    try:
        if live is not None:
            yield from live.open()
        elif greeting_seconds:  # the greeting is heard before the caller's first words
            yield Sleep(greeting_seconds)
        while not isinstance(given, StreamClose):  # the test's close ends it, or the app
            if live is not None and live.over:
                break
            playing = media.playing_seconds if media is not None else None
            if playing is None:
                given = yield Listen(None, waiting=waiting)
            else:  # the app's audio plays: the far end may barge in (engine/media_socket.py)
                given = yield Listen(playing, replace(waiting, prompting=True))
                if given is None and media is not None:
                    media.play_due()
                    continue
            if live is not None and isinstance(given, FarEndInput):
                yield from live.hear(given)
            elif live is not None and isinstance(given, StreamAudio):
                ctx.call.pending_audio = None  # taken: audio given now starts afresh
                yield from live.send_audio(bytes(given.payload))
    except Interrupt as interrupted:  # a hang-up, the time limit: the stream stops now
        cut = interrupted
    except GeneratorExit:  # a REST update redirected the call (engine/redirects.py)
        closed = True
    if cut is not None:
        if live is not None:
            live.close()
        if stream is not None:
            stop_stream(ctx.engine, ctx.call, stream)
        if session is not None and verb.action is not None:
            _session_completed(ctx, verb, session, started, cut.reason)
        raise cut
    if closed:
        with suppress(ReferenceError):  # or the collector closed it, its simulator gone
            if live is not None:
                live.close()
            if stream is not None:
                stop_stream(ctx.engine, ctx.call, stream)
        raise GeneratorExit
    if live is not None:
        live.close()
    if stream is not None:
        stop_stream(ctx.engine, ctx.call, stream)
    seconds = int((clock.now - started).total_seconds())
    ctx.call.transcript.append(StreamClosed(clock.now, seconds))
    if verb.action is None:
        return None
    record = ctx.call.record
    params = call_params(record, record.status.value)
    if session is not None:
        status, handoff = ("ended", None) if relay is None else relay.ending or ("ended", None)
        if isinstance(given, StreamClose):
            handoff = given.handoff_data
        params["SessionId"] = session
        params["SessionStatus"] = status
        params["SessionDuration"] = str(seconds)
        if relay is not None and relay.error_code is not None:
            params["ErrorCode"] = str(relay.error_code)
        if handoff is not None:
            params["HandoffData"] = handoff
    return ctx.goto(ctx.resolve(verb.action), verb.method, params, kind="connect")


def _session_completed(
    ctx: Context, verb: nodes.Connect, session: str, started: datetime, by: str
) -> None:
    """The call ended during a ``<ConversationRelay>`` session (the caller hung up, the
    time limit, a REST ``Status=completed``): the ``<Connect>`` action is requested with
    ``SessionStatus=completed`` and ``CallStatus=completed``, as the payload Twilio's
    ``<ConversationRelay>`` page gives for "Session completed normally (caller hung up)";
    its TwiML is not run."""
    engine = ctx.engine
    seconds = int((engine.clock.now - started).total_seconds())
    engine.mark_ended(ctx.call, CallStatus.COMPLETED, by=by)
    record = ctx.call.record
    params = call_params(record, record.status.value)
    params["SessionId"] = session
    params["SessionStatus"] = "completed"
    params["SessionDuration"] = str(seconds)
    url = ctx.resolve(verb.action or "")
    engine.notify(ctx.call, url, verb.method, params, kind="connect", warning_code=11200)


def _app_socket(ctx: Context, url: str) -> AppSocket | None:
    """A socket to the app at ``url``, when the app is reached in process with WebSocket
    support; None holds the call as before (nothing is opened)."""
    if ctx.engine.app_sockets is None:
        return None
    from twimlsim.engine.app_sockets import open_app_socket  # only where an app takes one

    return open_app_socket(ctx.engine, ctx.call, url)


def _open_relay(
    ctx: Context, noun: nodes.ConversationRelay, url: str, session: str
) -> Relay | None:
    """The session's socket to the app (``engine/relay.py``), or None (``_app_socket``)."""
    socket = _app_socket(ctx, url)
    if socket is None:
        return None
    from twimlsim.engine.relay import Relay  # only where an app takes a socket

    heard = noun.transcription_language or noun.language or "en-US"
    spoken = noun.tts_language or noun.language or "en-US"
    return Relay(ctx, noun, socket, session, language=heard, tts_language=spoken)


def _open_media_socket(
    ctx: Context, noun: nodes.Stream, url: str, stream: MediaStream
) -> MediaSocket | None:
    """The stream's socket to the app (``engine/media_socket.py``), or None
    (``_app_socket``)."""
    socket = _app_socket(ctx, url)
    if socket is None:
        return None
    from twimlsim.engine.media_socket import MediaSocket  # as for a relay

    return MediaSocket(ctx, noun, socket, stream)


def _not_connected(
    ctx: Context,
    verb: nodes.Connect,
    noun: nodes.Stream | nodes.ConversationRelay,
    problem: tuple[int, str],
) -> Generator[Step, Any, Outcome]:
    """A ``<Connect>`` whose URL Twilio cannot connect to, or whose ``<Stream>`` asks for a
    track Twilio refuses there: its error, then it ends at once (``twiml/stream_urls.py``,
    ``twiml/stream_tracks.py``)."""
    code, message = problem
    after = "its action is requested" if verb.action is not None else "the next verb runs"
    ctx.fail_at(noun, code, f"{message}; the <Connect> ended at once and {after}")
    yield from ()
    if verb.action is None:
        return None
    record = ctx.call.record
    params = call_params(record, record.status.value)
    if isinstance(noun, nodes.ConversationRelay):
        params["SessionId"] = ctx.engine.sids.new("VX")
        params["SessionStatus"] = "failed"
        params["SessionDuration"] = "0"
    return ctx.goto(ctx.resolve(verb.action), verb.method, params, kind="connect")

"""``<Connect><Stream>``: the call talks to the app's WebSocket server until it is over.

Twilio's ``<Stream>`` page: "When ``<Connect><Stream>`` is used, Twilio does not execute
the next set of TwiML instructions. The only way Twilio executes TwiML instructions after
``<Connect><Stream>`` is if your server closes the WebSocket connection." twimlsim opens no
WebSocket (media is never exchanged); the call stays connected, its far end hearing the
app, until:

- the far end hangs up, the call reaches its time limit, or a REST update redirects or
  ends it (``calls(sid).update(twiml=...)``, how an AI agent hands the call on), as for
  every verb;
- the test plays the app's server closing the socket: ``call.close_stream()``. The
  ``<Connect>`` then ends: its ``action`` is requested with the standard parameters, or,
  without one, the next verb runs (Twilio's ``<Connect>`` page: "Twilio sends an HTTP
  request to this URL with Twilio's standard request parameters along with some
  parameters specific to the nested noun"; which parameters a ``<Stream>`` adds is not
  documented, so twimlsim adds none).

The transcript records the connection (``StreamConnected``: URL, name, ``<Parameter>``s)
and the close (``StreamClosed``); the stream is on ``SimCall.streams`` (bidirectional) and
reports to its ``statusCallback`` as ``engine/streams.py`` says. Every other noun of
``<Connect>`` (``<ConversationRelay>``, ``<Room>``, ``<VirtualAgent>``...) is reported as
not simulated and the verb skipped.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from twimlsim.engine.events import StreamClosed, StreamConnected
from twimlsim.engine.flow import Context, Outcome
from twimlsim.engine.process import Interrupt, Listen, Step, Waiting
from twimlsim.engine.streams import STREAM_CLOSED, start_stream, stop_stream
from twimlsim.engine.webhooks import call_params
from twimlsim.twiml import nodes

__all__ = ["connect"]


def connect(ctx: Context, verb: nodes.Connect) -> Generator[Step, Any, Outcome]:
    """``<Connect>``: a ``<Stream>`` holds the call until the stream closes (see above);
    any other noun is not simulated and the verb is skipped."""
    noun = next((child for child in verb.children if not isinstance(child, nodes.Unknown)), None)
    if not isinstance(noun, nodes.Stream):
        what = f"<Connect><{noun.tag}>" if noun is not None else "<Connect>"
        ctx.not_simulated(verb, what, skipped="verb")
        return None
    clock = ctx.engine.clock
    started = clock.now
    parameters = tuple(
        (child.name or "", child.value or "")
        for child in noun.children
        if isinstance(child, nodes.Parameter)
    )
    url = noun.url or ""
    ctx.call.transcript.append(StreamConnected(started, url, noun.name, parameters))
    callback = noun.status_callback
    stream = start_stream(
        ctx.engine,
        ctx.call,
        url=url,
        name=noun.name,
        track=noun.track,
        parameters=parameters,
        status_callback=ctx.resolve(callback) if callback else None,
        status_callback_method=noun.status_callback_method,
        bidirectional=True,
    )
    waiting = Waiting("Connect", input=(), details={"url": url, "name": noun.name})
    given = None
    try:
        while given != STREAM_CLOSED:  # only the test's close ends it
            given = yield Listen(None, waiting=waiting)
    except Interrupt:  # a hang-up, the time limit, a REST update: the stream stops now
        stop_stream(ctx.engine, ctx.call, stream)
        raise
    stop_stream(ctx.engine, ctx.call, stream)
    seconds = int((clock.now - started).total_seconds())
    ctx.call.transcript.append(StreamClosed(clock.now, seconds))
    if verb.action is None:
        return None
    record = ctx.call.record
    params = call_params(record, record.status.value)
    return ctx.goto(ctx.resolve(verb.action), verb.method, params, kind="connect")

"""A live call's media streams (``<Start><Stream>``, the REST Streams subresource,
``<Connect><Stream>``): started, found by SID or name, stopped, reported.

A stream is a record of what Twilio streams where, kept on the call (``SimCall.streams``)
for tests and for the REST API to stop; when its URL is an ASGI app's routed in process, a
unidirectional stream opens the app's WebSocket and speaks Twilio's messages on it
(``engine/fork_socket.py``; ``<Connect><Stream>``: ``engine/media_socket.py``). A stream with a
``statusCallback`` reports ``stream-started`` and ``stream-stopped`` there with
``AccountSid``, ``CallSid``, ``StreamSid``, ``StreamName`` (when it has one),
``StreamEvent`` and ``Timestamp`` (the events and ``StreamError`` are on Twilio's error
31921 page; the parameter set is the one Twilio-compatible APIs copy; ``Timestamp`` is
written as on call status callbacks: both choices, not documented by Twilio).

The call's transcript has a ``StreamStarted`` line for each unidirectional stream and a
``StreamStopped`` one when it stops while the call goes on (a ``<Connect><Stream>`` has
``StreamConnected`` and ``StreamClosed``, ``verbs/connect.py``).

Choices where Twilio documents nothing: a name may be reused (stopping by name stops the
newest stream in progress of that name); ``<Stop><Stream>`` without a name stops every
unidirectional stream of the call; ``<Stop>`` naming no stream of the call stops nothing
and is no error; the call's end stops them all, reported before the call's own
``completed`` callback.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from twimlsim.model.stream import MediaStream

from .events import StreamStarted, StreamStopped
from .fork_events import report_fork, stop_and_report
from .named import find_by_sid_or_name
from .started_at_once import past_the_bound

if TYPE_CHECKING:
    from .fork_socket import Where
    from .services import Services
    from .session import SimCall

__all__ = [
    "StreamAudio",
    "StreamClose",
    "stream_audio_payload",
    "find_stream",
    "start_stream",
    "stop_stream",
    "stop_streams",
]


@dataclass(frozen=True, slots=True)
class StreamClose:
    """What ``call.close_stream()`` delivers to the waiting ``<Connect>``: the app's
    WebSocket server ends the stream (for ``<ConversationRelay>``, with its ``end``
    message's ``handoffData``)."""

    handoff_data: str | None = None


@dataclass(frozen=True, slots=True)
class StreamAudio:
    """What ``call.stream_audio(...)`` delivers to a ``<Connect><Stream>`` whose socket is
    open: the caller's audio (mu-law bytes), sent to the app as ``media`` messages. It
    grows while undelivered: audio given again before the call runs goes on from its end,
    as the caller's audio is one stream."""

    payload: bytearray


#: The most seconds of silence ``call.stream_audio`` sends: a call's longest (four hours,
#: the default time limit); 8,000 bytes of it a second are made at once.
_MOST_SILENCE_SECONDS = 14_400


def stream_audio_payload(payload: bytes | bytearray | memoryview | None, seconds: float) -> bytes:
    """The audio ``call.stream_audio(payload, seconds=...)`` sends: ``payload`` (mu-law
    bytes), or ``seconds`` of mu-law silence; a ``TypeError`` for anything else."""
    if payload is None:
        # not (0 < seconds <= ...): NaN and infinity are refused too (round() raised on them)
        if (
            isinstance(seconds, bool)
            or not isinstance(seconds, int | float)
            or not 0 < seconds <= _MOST_SILENCE_SECONDS
        ):
            raise TypeError(
                "call.stream_audio(seconds=...) takes a positive number of seconds of "
                f"silence, at most {_MOST_SILENCE_SECONDS:,} (a call's longest, four hours); "
                f"got {seconds!r}"
            )
        return b"\xff" * round(seconds * 8000)  # 0xFF is mu-law's silence
    if not isinstance(payload, bytes | bytearray | memoryview):
        raise TypeError(
            "call.stream_audio(payload) takes the audio as mu-law bytes (8000 a second, no "
            f"file header); got {type(payload).__name__}"
        )
    audio = bytes(payload)
    if not audio:  # an audio file read as nothing would pass unnoticed: no frame is sent
        raise TypeError(
            "call.stream_audio(payload) takes at least one byte of mu-law audio (8000 a "
            f"second); got {payload!r}, which is empty: give the audio, or seconds= of silence"
        )
    return audio


def start_stream(
    engine: Services,
    call: SimCall,
    *,
    url: str,
    name: str | None,
    track: str,
    parameters: tuple[tuple[str, str], ...],
    status_callback: str | None = None,
    status_callback_method: str = "POST",
    bidirectional: bool = False,
    where: Where | None = None,
) -> MediaStream:
    """Start a stream of ``call`` now, keep it on the call and report it started; a
    unidirectional one opens the app's WebSocket when the app takes it in process
    (``engine/fork_socket.py``; ``where``: its ``<Start><Stream>``, for the errors)."""
    now = engine.clock.now
    stream = MediaStream(
        engine.sids.new("MZ"),
        call.record.account_sid,
        call.sid,
        name,
        url,
        track,
        parameters,
        now,
        now,
        status_callback=status_callback,
        status_callback_method=status_callback_method,
        bidirectional=bidirectional,
    )
    if call.streams is None:
        call.streams = []
    call.streams.append(stream)
    if not bidirectional:  # a <Connect><Stream> has StreamConnected
        call.transcript.append(StreamStarted(now, url, name, track, parameters))
        untold = "no stream-started callback, no socket opened"
        if past_the_bound(engine, call, call.streams, "streams", untold, where):
            stream.status_callback = None  # nor its stream-stopped
            return stream
    report_fork(engine, call, stream, "Stream", "stream-started")
    if not bidirectional and engine.app_sockets is not None:
        from .fork_socket import Where, open_fork_socket  # only where an app takes sockets

        open_fork_socket(engine, call, stream, where or Where())
    return stream


def find_stream(call: SimCall, sid_or_name: str) -> MediaStream | None:
    """The unidirectional stream of ``call`` with this SID, else the newest one in progress
    with this name (else the newest with it), else None."""
    streams = (stream for stream in call.streams or [] if not stream.bidirectional)
    return find_by_sid_or_name(streams, sid_or_name)


def stop_stream(engine: Services, call: SimCall, stream: MediaStream) -> None:
    """Stop ``stream`` now and report it (once: a stopped stream stays as it is); the
    app's WebSocket twimlsim opened for it gets ``stop`` and is closed."""
    if call.stream_sockets and stream.stopped_at is None:
        from .fork_socket import close_fork_socket  # imported once a socket was opened

        close_fork_socket(engine, call, stream)
    if stream.stopped_at is None and not stream.bidirectional and not call.ended:
        now = engine.clock.now
        seconds = int((now - stream.started_at).total_seconds())
        call.transcript.append(StreamStopped(now, stream.url, stream.name, seconds))
    stop_and_report(engine, call, stream, "Stream")


def stop_streams(
    engine: Services, call: SimCall, name: str | None = None, *, every: bool = False
) -> None:
    """Stop the unidirectional streams of ``call`` in progress (those named ``name``, or
    all of them); ``every`` stops the bidirectional one too (the call has ended)."""
    for stream in call.streams or []:
        if stream.bidirectional and not every:
            continue
        if name is None or stream.name == name:
            stop_stream(engine, call, stream)

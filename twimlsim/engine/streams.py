"""A live call's media streams (``<Start><Stream>``, the REST Streams subresource,
``<Connect><Stream>``): started, found by SID or name, stopped, reported.

twimlsim opens no WebSocket: a stream is a record of what Twilio would stream where, kept
on the call (``SimCall.streams``) for tests and for the REST API to stop. A stream with a
``statusCallback`` reports ``stream-started`` and ``stream-stopped`` there with
``AccountSid``, ``CallSid``, ``StreamSid``, ``StreamName`` (when it has one),
``StreamEvent`` and ``Timestamp`` (the events and ``StreamError`` are on Twilio's error
31921 page; the parameter set is the one Twilio-compatible APIs copy; ``Timestamp`` is
written as on call status callbacks: both choices, not documented by Twilio).

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

from .fork_events import report_fork, stop_and_report
from .named import find_by_sid_or_name

if TYPE_CHECKING:
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
    open: the caller's audio (mu-law bytes), sent to the app as ``media`` messages."""

    payload: bytes


def stream_audio_payload(payload: bytes | bytearray | None, seconds: float) -> bytes:
    """The audio ``call.stream_audio(payload, seconds=...)`` sends: ``payload`` (mu-law
    bytes), or ``seconds`` of mu-law silence; a ``TypeError`` for anything else."""
    if payload is None:
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds <= 0:
            raise TypeError(
                "call.stream_audio(seconds=...) takes a positive number of seconds of "
                f"silence; got {seconds!r}"
            )
        return b"\xff" * round(seconds * 8000)  # 0xFF is mu-law's silence
    if not isinstance(payload, bytes | bytearray):
        raise TypeError(
            "call.stream_audio(payload) takes the audio as mu-law bytes (8000 a second, no "
            f"file header); got {type(payload).__name__}"
        )
    return bytes(payload)


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
) -> MediaStream:
    """Start a stream of ``call`` now, keep it on the call and report it started."""
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
    report_fork(engine, call, stream, "Stream", "stream-started")
    return stream


def find_stream(call: SimCall, sid_or_name: str) -> MediaStream | None:
    """The unidirectional stream of ``call`` with this SID, else the newest one in progress
    with this name (else the newest with it), else None."""
    streams = (stream for stream in call.streams or [] if not stream.bidirectional)
    return find_by_sid_or_name(streams, sid_or_name)


def stop_stream(engine: Services, call: SimCall, stream: MediaStream) -> None:
    """Stop ``stream`` now and report it (once: a stopped stream stays as it is)."""
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

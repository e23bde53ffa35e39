"""A live call's unidirectional media streams (``<Start><Stream>`` and the REST Streams
subresource): started, found by SID or name, stopped.

twimlsim opens no WebSocket: a stream is a record of what Twilio would stream where, kept
on the call (``SimCall.streams``) for tests and for the REST API to stop. Choices where
Twilio documents nothing: a name may be reused (stopping by name stops the newest stream
in progress of that name); ``<Stop><Stream>`` without a name stops every stream of the
call; ``<Stop>`` naming no stream of the call stops nothing and is no error; the call's end
stops them all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from twimlsim.model.stream import MediaStream

if TYPE_CHECKING:
    from .services import Services
    from .session import SimCall

__all__ = [
    "STREAM_CLOSED",
    "find_stream",
    "start_stream",
    "stop_streams",
]

#: What ``call.close_stream()`` delivers to the waiting ``<Connect><Stream>``.
STREAM_CLOSED = "stream-closed"


def start_stream(
    engine: Services,
    call: SimCall,
    *,
    url: str,
    name: str | None,
    track: str,
    parameters: tuple[tuple[str, str], ...],
) -> MediaStream:
    """Start a stream of ``call`` now and keep it on the call."""
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
    )
    if call.streams is None:
        call.streams = []
    call.streams.append(stream)
    return stream


def find_stream(call: SimCall, sid_or_name: str) -> MediaStream | None:
    """The stream of ``call`` with this SID, else the newest one in progress with this
    name (else the newest with it), else None."""
    streams = call.streams or []
    for stream in streams:
        if stream.sid == sid_or_name:
            return stream
    named = [stream for stream in streams if stream.name == sid_or_name]
    live = [stream for stream in named if stream.stopped_at is None]
    chosen = live or named
    return chosen[-1] if chosen else None


def stop_streams(engine: Services, call: SimCall, name: str | None = None) -> None:
    """Stop the streams of ``call`` in progress: those named ``name``, or all of them."""
    now = engine.clock.now
    for stream in call.streams or []:
        if name is None or stream.name == name:
            stream.stop(now)

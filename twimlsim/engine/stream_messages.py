"""Twilio's messages to a Media Stream's WebSocket, for a ``<Connect><Stream>``
(``engine/media_socket.py``) and a ``<Start><Stream>`` or REST-started stream
(``engine/fork_socket.py``) alike, in the shapes of Twilio's "Media Streams - WebSocket
Messages" page, written as Twilio writes them (compact JSON, the keys in the order of
streams recorded from Twilio).

``connected`` (``protocol`` ``Call``, ``version`` ``1.0.0``) opens the socket; every later
message carries the stream's ``streamSid`` and a ``sequenceNumber`` counting from 1:
``start`` (``accountSid``, ``streamSid``, ``callSid``, ``tracks``, ``mediaFormat``
``audio/x-mulaw`` at 8000 Hz, one channel, ``customParameters``), ``media`` (20 ms of mu-law
audio of one track: ``track``, ``chunk``, ``timestamp``, base64 ``payload``), ``dtmf``,
``mark`` and ``stop`` (``accountSid``, ``callSid``).

A ``media`` message's ``timestamp`` is "Presentation Timestamp in Milliseconds from the
start of the stream" (Twilio's page): the caller's first frame of a stream recorded from
Twilio carries ``"155"``, not ``"0"``. The caller's audio is timed from the instant it is
given (or from the end of the audio given before, when that is later), counted from the
stream's start, for both kinds of stream.

``dtmf`` is written as Twilio's page shows it (``streamSid`` before ``sequenceNumber``;
no recorded ``dtmf`` was found), ``mark`` and ``stop`` with ``streamSid`` before their
body, as streams recorded from Twilio write them.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from .app_sockets import compact_json

if TYPE_CHECKING:
    from twimlsim.model.stream import MediaStream

__all__ = [
    "HANDSHAKE_ERROR",
    "MULAW_BYTES_PER_SECOND",
    "PROTOCOL_ERROR",
    "StreamMessages",
    "connected",
]

#: Twilio's error for a stream's handshake the app's server did not answer with 101.
HANDSHAKE_ERROR = 31920
#: Twilio's error for a message of the app's a stream cannot act on.
PROTOCOL_ERROR = 31924

#: 8000 one-byte mu-law samples a second.
MULAW_BYTES_PER_SECOND = 8000
#: One ``media`` message: 20 ms of audio.
_FRAME_BYTES = MULAW_BYTES_PER_SECOND // 50
_FRAME_MILLISECONDS = 20
#: One byte of mu-law audio: 8000 a second.
_SAMPLE = timedelta(microseconds=125)


def connected() -> str:
    """The first message on the socket (it has no ``sequenceNumber``)."""
    return compact_json({"event": "connected", "protocol": "Call", "version": "1.0.0"})


@dataclass
class StreamMessages:
    """The messages of one stream, numbered as Twilio numbers them."""

    stream: MediaStream
    sequence: int = 0
    #: The ``chunk`` of each track's last ``media`` message (none sent: absent).
    chunks: dict[str, int] = field(default_factory=dict)
    #: The caller's audio sent so far reaches this far from the stream's start (bytes).
    heard_until: int = 0

    def message(self, event: str, *, sid_first: bool = False, **body: Any) -> str:
        """The next message: ``event``, its ``sequenceNumber``, ``body`` and ``streamSid``
        (``sid_first``: before ``body``, as Twilio writes ``stop`` and ``mark``)."""
        self.sequence += 1
        message: dict[str, Any] = {"event": event, "sequenceNumber": str(self.sequence)}
        if sid_first:
            message["streamSid"] = self.stream.sid
        message.update(body)
        message["streamSid"] = self.stream.sid
        return compact_json(message)

    def start(self, tracks: list[str]) -> str:
        """``start``: the stream's metadata, its media of ``tracks`` to come."""
        stream = self.stream
        return self.message(
            "start",
            start={
                "accountSid": stream.account_sid,
                "streamSid": stream.sid,
                "callSid": stream.call_sid,
                "tracks": tracks,
                "mediaFormat": {
                    "encoding": "audio/x-mulaw",
                    "sampleRate": MULAW_BYTES_PER_SECOND,
                    "channels": 1,
                },
                "customParameters": dict(stream.parameters),
            },
        )

    def caller_audio(self, payload: bytes, now: datetime) -> list[str]:
        """The caller's audio ``payload`` (mu-law bytes) given at ``now``, as 20 ms
        ``media`` messages of the ``inbound`` track: their ``timestamp``s from ``now`` (or
        from where the audio given before ended, if later), in milliseconds from the
        stream's start."""
        elapsed = (now - self.stream.started_at) // _SAMPLE
        first = max(elapsed, self.heard_until)
        self.heard_until = first + len(payload)
        return self.media(payload, "inbound", first // 8)

    def dtmf(self, digit: str) -> str:
        """A key the caller pressed, as Twilio's page writes ``dtmf`` (its ``streamSid``
        before its ``sequenceNumber``)."""
        self.sequence += 1
        message = {
            "event": "dtmf",
            "streamSid": self.stream.sid,
            "sequenceNumber": str(self.sequence),
            "dtmf": {"track": "inbound_track", "digit": digit},
        }
        return compact_json(message)

    def mark(self, name: str) -> str:
        """The echo of the app's mark ``name``."""
        return self.message("mark", sid_first=True, mark={"name": name})

    def media(self, payload: bytes, track: str, first_timestamp: int) -> list[str]:
        """``payload`` (mu-law bytes) of ``track`` as 20 ms ``media`` messages, their
        ``chunk``s going on from the track's last, their ``timestamp``s from
        ``first_timestamp`` (milliseconds)."""
        frames: list[str] = []
        for number, offset in enumerate(range(0, len(payload), _FRAME_BYTES)):
            chunk = self.chunks.get(track, 0) + 1
            self.chunks[track] = chunk
            media = {
                "track": track,
                "chunk": str(chunk),
                "timestamp": str(first_timestamp + number * _FRAME_MILLISECONDS),
                "payload": base64.b64encode(payload[offset : offset + _FRAME_BYTES]).decode(),
            }
            frames.append(self.message("media", media=media))
        return frames

    def stop(self) -> str:
        """``stop``: the stream is over (Twilio closes the socket next)."""
        stream = self.stream
        stop = {"accountSid": stream.account_sid, "callSid": stream.call_sid}
        return self.message("stop", sid_first=True, stop=stop)

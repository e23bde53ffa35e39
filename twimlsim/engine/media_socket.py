"""A ``<Connect><Stream>`` (bidirectional Media Stream) with the app's WebSocket handler
open in process (``engine/app_sockets.py``): Twilio's messages to it, and what its
messages do.

Twilio's side, in the shapes of Twilio's "Media Streams - WebSocket Messages" page (built
by ``engine/stream_messages.py``, as for a ``<Start><Stream>``'s socket):
``connected`` (``protocol`` ``Call``, ``version`` ``1.0.0``) and ``start`` (``streamSid``,
``accountSid``, ``callSid``, ``tracks`` ``["inbound"]``, ``customParameters`` from the
``<Parameter>``s, ``mediaFormat`` ``audio/x-mulaw`` at 8000 Hz, one channel) as the socket
opens; a ``dtmf`` message for each key the far end presses (``track`` ``inbound_track``);
the caller's audio frames a test sends (``SimCall.stream_audio``); a ``mark`` for each of
the app's ``mark`` messages once the audio it sent before it has played (at once after a
``clear``); ``stop`` when the stream ends otherwise than by the app closing it. Every
message but ``connected`` carries ``streamSid`` and a ``sequenceNumber`` counting from 1.

The app's side (each naming the stream by its ``streamSid``): ``media`` (base64 mu-law
audio, played to the caller: 8000 bytes a second of virtual time), ``mark`` and ``clear``,
kept in order on the stream
(``MediaStream.app_messages``). Anything else is Twilio's 31924 (the message is dropped).
The app closing the socket ends the ``<Connect>``, as on Twilio.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Generator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from .app_sockets import handler_running, handshake, json_object
from .flow import dtmf_seconds, speech_seconds
from .process import Sleep, Step
from .stream_messages import HANDSHAKE_ERROR, MULAW_BYTES_PER_SECOND, StreamMessages, connected

if TYPE_CHECKING:
    from twimlsim.model.stream import MediaStream
    from twimlsim.twiml import nodes

    from .app_sockets import AppSocket, SocketTurn
    from .caller import FarEndInput
    from .flow import Context
    from .services import Host

__all__ = ["MediaSocket"]

#: Twilio's error for a message of the app's it cannot act on.
PROTOCOL_ERROR = 31924
#: Turns of mark echoes and the app's answers to them after one input, at most: an app
#: that answers each echo with another mark would otherwise run on without end.
_MAX_ECHO_TURNS = 1000


@dataclass
class MediaSocket:
    """One bidirectional stream's socket, and the app's messages on it so far."""

    ctx: Context
    noun: nodes.Stream
    socket: AppSocket
    stream: MediaStream
    #: Over: the app closed the socket, or the handshake failed.
    closed: bool = False
    #: Audio the app sent that has not played yet (seconds), and the marks after it.
    queued_seconds: float = 0.0
    marks: list[str] = field(default_factory=list)
    texts: StreamMessages = field(init=False)

    def __post_init__(self) -> None:
        self.texts = StreamMessages(self.stream)

    @property
    def over(self) -> bool:
        """Whether the app closed the socket (or never accepted it)."""
        return self.closed

    def open(self) -> Generator[Step, Any, None]:
        """Connect, then send ``connected`` and ``start``."""
        refused = handshake(cast("Host", self.ctx.engine), self.socket)
        if refused is not None:
            self._fail(
                HANDSHAKE_ERROR,
                f"the app's WebSocket at {self.socket.url} did not accept the stream: "
                f"{refused}; the stream ended at once",
            )
            self.closed = True
            return
        yield from self._exchange([connected(), self.texts.start(["inbound"])])

    def hear(self, given: FarEndInput) -> Generator[Step, Any, None]:
        """The far end's input: each key a ``dtmf`` message; speech passes its time (it is
        audio Twilio streams, which twimlsim does not make: see ``stream_audio``)."""
        if given.kind == "digits":
            for digit in given.digits:
                yield Sleep(dtmf_seconds(digit))
                dtmf = self.texts.message("dtmf", dtmf={"track": "inbound_track", "digit": digit})
                yield from self._exchange([dtmf])
                if self.closed:
                    return
        elif given.kind == "speech":
            yield Sleep(speech_seconds(given.text))

    def send_audio(self, payload: bytes) -> Generator[Step, Any, None]:
        """The caller's audio ``payload`` (mu-law bytes) as 20 ms ``media`` messages, their
        ``timestamp``s 20 ms a chunk from the first."""
        frames = self.texts.media(payload, "inbound", self.texts.chunks.get("inbound", 0) * 20)
        yield Sleep(len(payload) / MULAW_BYTES_PER_SECOND)
        yield from self._exchange(frames)

    def close(self) -> None:
        """The stream ends otherwise than by the app: ``stop``, then the socket closes."""
        if self.closed:
            return
        self.closed = True
        with self._running():
            self.socket.send([self.texts.stop()])
            self.socket.close()

    def _exchange(self, texts: list[str]) -> Generator[Step, Any, None]:
        """Send ``texts``, do what the app answers, and echo its marks as their audio
        ends (their echoes may bring more of its messages, done in turn)."""
        with self._running():
            turn = self.socket.send(texts)
        for _ in range(_MAX_ECHO_TURNS):
            self._heard(turn)
            if self.closed:
                return
            if self.queued_seconds:
                seconds, self.queued_seconds = self.queued_seconds, 0.0
                yield Sleep(seconds)
            if not self.marks:
                return
            echoes = [
                self.texts.message("mark", sid_first=True, mark={"name": name})
                for name in self.marks
            ]
            self.marks.clear()
            with self._running():
                turn = self.socket.send(echoes)

    def _heard(self, turn: SocketTurn) -> None:
        for frame in turn.frames:
            self._do(frame)
        if turn.timed_out:
            self._fail(None, f"the app did not handle Twilio's stream messages: {turn.failure}")
        if turn.closed is not None:
            if turn.failure is not None:
                self._fail(None, f"the app's WebSocket handler failed: {turn.failure}")
            self.closed = True

    def _do(self, frame: str | bytes) -> None:
        message = _checked(frame, self.stream.sid)
        if isinstance(message, str):
            shown = frame if isinstance(frame, str) else repr(frame)
            self._fail(
                PROTOCOL_ERROR,
                f"the app sent a message a bidirectional stream cannot act on ({message}): "
                f"{shown[:200]}; it was dropped. Send media, mark and clear messages",
            )
            return
        if self.stream.app_messages is None:
            self.stream.app_messages = []
        self.stream.app_messages.append(message)
        event = message["event"]
        if event == "media":
            audio = base64.b64decode(message["media"]["payload"])
            self.queued_seconds += len(audio) / MULAW_BYTES_PER_SECOND
        elif event == "mark":
            self.marks.append(message["mark"]["name"])
        else:  # clear: the audio not played yet is dropped, its marks come back at once
            self.queued_seconds = 0.0

    def _running(self) -> AbstractContextManager[None]:
        return handler_running(cast("Host", self.ctx.engine), self.socket.url)

    def _fail(self, code: int | None, message: str) -> None:
        self.ctx.fail_at(self.noun, code, message)


def _checked(frame: str | bytes, stream_sid: str) -> dict[str, Any] | str:
    """``frame`` as a message the bidirectional stream ``stream_sid`` acts on, or what is
    wrong with it."""
    message = json_object(frame)
    if isinstance(message, str):
        return message
    event = message.get("event")
    if event not in ("media", "mark", "clear"):
        return f"its event {event!r} is none of media, mark, clear"
    if message.get("streamSid") != stream_sid:
        given = message.get("streamSid")
        return (
            f"its streamSid is {given!r}, not the stream's {stream_sid!r}: take it from the "
            "start message"
        )
    if event in ("media", "mark") and not isinstance(message.get(event), dict):
        return f"a {event} message needs a {event!r} object"
    if event == "media":
        payload = message["media"].get("payload")
        if not isinstance(payload, str):
            return "a media message needs media.payload, base64 mu-law audio"
        try:
            base64.b64decode(payload, validate=True)
        except (binascii.Error, ValueError):
            return "its media.payload is not base64"
    if event == "mark" and not isinstance(message["mark"].get("name"), str):
        return "a mark message needs mark.name, a string"
    return message

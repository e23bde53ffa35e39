"""A ``<Connect><Stream>`` (bidirectional Media Stream) with the app's WebSocket handler
open in process (``engine/app_sockets.py``): Twilio's messages to it, and what its
messages do.

Twilio's side, in the shapes of Twilio's "Media Streams - WebSocket Messages" page (built
by ``engine/stream_messages.py``, as for a ``<Start><Stream>``'s socket):
``connected`` (``protocol`` ``Call``, ``version`` ``1.0.0``) and ``start`` (``streamSid``,
``accountSid``, ``callSid``, ``tracks`` ``["inbound"]``, ``customParameters`` from the
``<Parameter>``s, ``mediaFormat`` ``audio/x-mulaw`` at 8000 Hz, one channel) as the socket
opens; a ``dtmf`` message for each key the far end presses (``track`` ``inbound_track``);
the caller's audio frames a test sends (``SimCall.stream_audio``), timed from the stream's
start; a ``mark`` for each of the app's ``mark`` messages once the audio it sent before it
has played; ``stop`` when the stream ends otherwise than by the app closing it. Every
message but ``connected`` carries ``streamSid`` and a ``sequenceNumber`` counting from 1.

The app's side (each naming the stream by its ``streamSid``): ``media`` (base64 mu-law
audio, played to the caller: 8000 bytes a second of virtual time, queued after the audio
sent before it), ``mark`` and ``clear``, kept in order on the stream
(``MediaStream.app_messages``). Anything else is Twilio's 31924 (the message is dropped);
audio that would queue more than ten minutes not played yet is discarded with Twilio's
warning 31931 (once a stream).
The app closing the socket ends the ``<Connect>``, as on Twilio.

Playback, as Twilio's page describes it: "The media messages are buffered and played in
the order received"; a ``mark`` comes back "when the audio that you have sent has been
completed" (at once when none is queued); ``clear`` "empties all buffered audio and causes
any mark messages to be sent back". The audio plays while the call goes on: the far end's
input scripted with ``barge_in=True`` (and what a test gives by hand meanwhile:
``call.stream_audio``, ``call.press``) reaches the app as the audio plays, so an app can
``clear`` it; other scripted input comes once the queued audio has played, as a
``<Gather>``'s comes after its prompts.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Generator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, cast

from .app_sockets import handler_running, handshake, json_object
from .flow import dtmf_seconds, speech_seconds
from .process import Sleep, Step
from .stream_messages import (
    HANDSHAKE_ERROR,
    MULAW_BYTES_PER_SECOND,
    PROTOCOL_ERROR,
    StreamMessages,
    connected,
)

if TYPE_CHECKING:
    from twimlsim.model.stream import MediaStream
    from twimlsim.twiml import nodes

    from .app_sockets import AppSocket, SocketTurn
    from .caller import FarEndInput
    from .flow import Context
    from .services import Host

__all__ = ["MediaSocket"]

#: Turns of mark echoes and the app's answers to them at one instant, at most: an app
#: that answers each echo with another mark would otherwise run on without end.
_MAX_ECHO_TURNS = 1000
#: Twilio's warning for audio discarded because too much is queued, and that much: "More
#: than 10 minutes of audio is buffered by the Streamer. No more data is accepted."
MEDIA_DISCARDED = 31931
_MOST_QUEUED_MICROS = 600_000_000
#: Microseconds of one byte of mu-law audio (8000 a second).
_BYTE_MICROS = 1_000_000 // MULAW_BYTES_PER_SECOND


@dataclass
class MediaSocket:
    """One bidirectional stream's socket, and the app's messages on it so far."""

    ctx: Context
    noun: nodes.Stream
    socket: AppSocket
    stream: MediaStream
    #: Over: the app closed the socket, or the handshake failed.
    closed: bool = False
    #: When the app's audio queued so far ends playing (virtual microseconds).
    playing_until: int = 0
    #: The app's marks not echoed yet, with the instant their audio ends, in order.
    pending: list[tuple[int, str]] = field(default_factory=list)
    #: Marks to echo at once (nothing was queued before them, or a ``clear`` came).
    due_now: list[str] = field(default_factory=list)
    #: The app's audio overflowed Twilio's buffer once (31931 was logged).
    discarded: bool = False
    texts: StreamMessages = field(init=False)

    def __post_init__(self) -> None:
        self.texts = StreamMessages(self.stream)

    @property
    def over(self) -> bool:
        """Whether the app closed the socket (or never accepted it)."""
        return self.closed

    @property
    def playing_seconds(self) -> float | None:
        """Seconds until the next of the app's marks is due (its audio has played), or
        until the audio queued ends when no mark waits; None when nothing plays."""
        now = self._now()
        if self.closed or self.playing_until <= now and not self.pending:
            return None
        due = self.pending[0][0] if self.pending else self.playing_until
        return max(due - now, 0) / 1_000_000

    def open(self) -> Generator[Step, Any, None]:
        """Connect, then send ``connected`` and ``start``."""
        accepted = handshake(cast("Host", self.ctx.engine), self.socket)
        if isinstance(accepted, str):
            self._fail(
                HANDSHAKE_ERROR,
                f"the app's WebSocket at {self.socket.url} did not accept the stream: "
                f"{accepted}; the stream ended at once",
            )
            self.closed = True
            return
        if accepted.closed is not None:  # it closed, or raised, as it accepted
            self._heard(accepted)
            return
        self._exchange([connected(), self.texts.start(["inbound"])], accepted.frames)
        yield from ()

    def hear(self, given: FarEndInput) -> Generator[Step, Any, None]:
        """The far end's input: each key a ``dtmf`` message once pressed; speech passes
        its time (it is audio Twilio streams, which twimlsim does not make: see
        ``stream_audio``). The app's marks due meanwhile are echoed as their audio ends."""
        if given.kind == "digits":
            for digit in given.digits:
                yield from self._pass(dtmf_seconds(digit))
                if not self.closed:
                    self._exchange([self.texts.dtmf(digit)])
                if self.closed:
                    return
        elif given.kind == "speech":
            yield from self._pass(speech_seconds(given.text))

    def send_audio(self, payload: bytes) -> Generator[Step, Any, None]:
        """The caller's audio ``payload`` (mu-law bytes): its time passes, then it goes as
        20 ms ``media`` messages timed from the instant it began (milliseconds from the
        stream's start)."""
        frames = self.texts.caller_audio(payload, self.ctx.engine.clock.now)
        yield from self._pass(len(payload) / MULAW_BYTES_PER_SECOND)
        if not self.closed:
            self._exchange(frames)

    def play_due(self) -> None:
        """Echo the marks whose audio has played by now (the wait for them is over)."""
        self._echo_due()
        if self.due_now and not self.closed:
            self._exchange([])

    def close(self) -> None:
        """The stream ends otherwise than by the app: ``stop``, then the socket closes."""
        if self.closed:
            return
        self.closed = True
        with self._running():
            self.socket.send([self.texts.stop()], last=True)
            self.socket.close()

    def _pass(self, seconds: float) -> Generator[Step, Any, None]:
        """Let ``seconds`` pass, echoing each mark as its audio ends meanwhile."""
        end = self._now() + round(seconds * 1_000_000)
        while not self.closed and self.pending and self.pending[0][0] < end:
            wait = self.pending[0][0] - self._now()
            if wait > 0:
                yield Sleep(wait / 1_000_000)
            self.play_due()
        left = end - self._now()
        if left > 0:
            yield Sleep(left / 1_000_000)

    def _exchange(self, texts: list[str], sent_first: tuple[str | bytes, ...] = ()) -> None:
        """Send ``texts`` (after the echoes of marks due by now), do what the app answers
        (after ``sent_first``, what it sent as it accepted the socket), and echo at once
        the marks that answer makes due (their echoes may bring more of its messages, done
        in turn)."""
        self._echo_due()
        for _ in range(_MAX_ECHO_TURNS + 1):  # the texts' turn, then the echoes'
            echoes = [self.texts.mark(name) for name in self.due_now]
            self.due_now.clear()
            with self._running():
                turn = self.socket.send(echoes + texts)
            if sent_first:
                turn, sent_first = replace(turn, frames=sent_first + turn.frames), ()
            texts = []
            self._heard(turn)
            if self.closed or not self.due_now:
                return
        self.due_now.clear()
        self._fail(
            None,
            f"the app answered {_MAX_ECHO_TURNS} mark echoes in a row with another mark and "
            "no audio before it: on Twilio the two would trade marks without end, no time "
            "passing. Send a mark after the media it marks; twimlsim stopped echoing them "
            "and the stream went on",
        )

    def _echo_due(self) -> None:
        """Move the marks whose audio has played by now to ``due_now``."""
        now = self._now()
        while self.pending and self.pending[0][0] <= now:
            self.due_now.append(self.pending.pop(0)[1])

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
        now = self._now()
        if event == "media":
            audio = base64.b64decode(message["media"]["payload"])
            start = max(self.playing_until, now)
            if start - now + len(audio) * _BYTE_MICROS > _MOST_QUEUED_MICROS:
                self._discard(len(audio))
            else:
                self.playing_until = start + len(audio) * _BYTE_MICROS
        elif event == "mark":
            name = message["mark"]["name"]
            if self.playing_until > now:
                self.pending.append((self.playing_until, name))
            else:
                self.due_now.append(name)
        else:  # clear: the audio not played yet is dropped, its marks come back at once
            self.playing_until = now
            self.due_now.extend(name for _, name in self.pending)
            self.pending.clear()

    def _discard(self, size: int) -> None:
        """Twilio's 31931 (once a stream): the audio would queue past ten minutes."""
        if self.discarded:
            return
        self.discarded = True
        self._fail(
            MEDIA_DISCARDED,
            f"the app's media message of {size / MULAW_BYTES_PER_SECOND:g} s of audio was "
            "discarded: it would have queued more than 10 minutes of audio not played yet "
            "(Twilio accepts no more; said once a stream); send more audio once a mark "
            "says the audio before it has played",
            level="warning",
        )

    def _now(self) -> int:
        return self.ctx.engine.clock.micros

    def _running(self) -> AbstractContextManager[None]:
        return handler_running(cast("Host", self.ctx.engine), self.socket.url)

    def _fail(self, code: int | None, message: str, level: str = "error") -> None:
        self.ctx.fail_at(self.noun, code, message, level=level)


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

"""A unidirectional Media Stream (``<Start><Stream>``, the REST Streams subresource) with
the app's WebSocket handler open in process (``engine/app_sockets.py``), running beside the
call's TwiML.

As the stream starts, the socket opens (the handshake signed as ``<Connect><Stream>``'s)
and Twilio sends ``connected`` and ``start`` (``engine/stream_messages.py``), ``tracks``
after the stream's ``track``: ``["inbound"]`` (``inbound_track``), ``["outbound"]``
(``outbound_track``) or ``["inbound", "outbound"]`` (``both_tracks``). The caller's audio a
test sends (``SimCall.stream_audio``) goes as 20 ms ``media`` messages of the ``inbound``
track, to each of the call's streams that carries it; twimlsim makes no audio of its own,
so the ``outbound`` track sends none. When the stream stops (``<Stop><Stream>``, the REST
API, the call's end) Twilio sends ``stop`` and closes the socket. Meanwhile the TwiML runs
on: ``<Say>``, ``<Gather>`` and the rest take no notice of the stream.

Twilio's Media Streams overview: DTMF is not supported on a unidirectional stream (no
``dtmf`` message is sent), and only on a bidirectional one may the app send messages back.
What the app sends here is ignored, as Twilio does (apps that send ``media`` on a
``<Start><Stream>`` report silence and no error on the socket): it is kept on the stream
(``MediaStream.app_messages``, the JSON objects), and the first such message of a stream is
Twilio's 31924 (its error page: "If you started a unidirectional Stream with
``<Start><Stream>``, do not send audio or control messages back to Twilio"); the call and
the stream go on. The app closing the socket stops the
stream (``stream-stopped``; no ``stop`` is sent); the call goes on. A handshake the app
refuses is Twilio's 31920 and the stream stops at once.

A stream started, stopped or given audio while the app's own code runs (a webhook or a
socket handler under way, or the app's event loop calling the REST API) has its socket
opened, closed or sent to once that code has returned, at the same virtual instant: the
app's event loop is busy until then.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, cast

from .app_sockets import handler_running, handshake, json_object, open_app_socket
from .stream_messages import HANDSHAKE_ERROR, PROTOCOL_ERROR, StreamMessages, connected
from .streams import stop_stream

if TYPE_CHECKING:
    from twimlsim.model.stream import MediaStream

    from .app_sockets import AppSocket, SocketTurn
    from .services import Host, Services
    from .session import SimCall

__all__ = [
    "ForkSocket",
    "Where",
    "close_fork_socket",
    "open_fork_socket",
    "open_forks",
    "send_fork_audio",
]


#: The ``tracks`` of the ``start`` message, by the stream's ``track``.
_TRACKS = {
    "inbound_track": ["inbound"],
    "outbound_track": ["outbound"],
    "both_tracks": ["inbound", "outbound"],
}


@dataclass(frozen=True, slots=True)
class Where:
    """Where a stream's problems are logged: the TwiML document, element and line of its
    ``<Start><Stream>``; all None for one the REST API started."""

    url: str | None = None
    element: str | None = None
    line: int | None = None


@dataclass
class ForkSocket:
    """One unidirectional stream's socket (see the module)."""

    engine: Host
    call: SimCall
    stream: MediaStream
    socket: AppSocket
    where: Where
    closed: bool = False
    #: The app accepted the handshake (``connected`` and ``start`` were sent).
    opened: bool = False
    texts: StreamMessages = field(init=False)
    #: The app's first message was reported (31924 is said once a stream).
    _reported: bool = False

    def __post_init__(self) -> None:
        self.texts = StreamMessages(self.stream)

    @property
    def tracks(self) -> list[str]:
        """The media tracks the stream carries, as its ``start`` message names them."""
        return _TRACKS.get(self.stream.track, ["inbound"])

    def open(self) -> None:
        """Connect, then send ``connected`` and ``start``; a refused handshake is 31920
        and stops the stream."""
        if self.closed:  # stopped before its turn came
            return
        accepted = handshake(self.engine, self.socket)
        if isinstance(accepted, str):
            self.closed = True
            self._fail(
                HANDSHAKE_ERROR,
                f"the app's WebSocket at {self.socket.url} did not accept the stream "
                f"{self.stream.sid}: {accepted}; the stream stopped at once and the call went "
                "on",
            )
            self._stopped()
            return
        self.opened = True
        if accepted.closed is not None:  # it closed, or raised, as it accepted
            self._heard(accepted)
            return
        for frame in accepted.frames:  # sent as it accepted
            self._ignore(frame)
        self._exchange([connected(), self.texts.start(self.tracks)])

    def send_audio(self, payload: bytes) -> None:
        """The caller's audio ``payload`` (mu-law bytes) as 20 ms ``media`` messages of the
        ``inbound`` track, timed from now (or from where the audio sent before ended, if
        later) in milliseconds from the stream's start."""
        if self.closed or not self.opened or "inbound" not in self.tracks:
            return
        self._exchange(self.texts.caller_audio(payload, self.engine.clock.now))

    def close(self) -> None:
        """The stream stopped: ``stop``, then Twilio closes the socket."""
        if self.closed:
            return
        self.closed = True
        if not self.opened:
            return
        with self._running():
            self.socket.send([self.texts.stop()], last=True)
            self.socket.close()

    def _exchange(self, texts: list[str]) -> None:
        with self._running():
            turn = self.socket.send(texts)
        self._heard(turn)

    def _heard(self, turn: SocketTurn) -> None:
        for frame in turn.frames:
            self._ignore(frame)
        if turn.timed_out:
            self._fail(None, f"the app did not handle Twilio's stream messages: {turn.failure}")
        if turn.closed is not None and not self.closed:
            if turn.failure is not None:
                self._fail(
                    None,
                    f"the app's WebSocket handler for the stream {self.stream.sid} "
                    f"({self.socket.url}) failed: {turn.failure}; the stream stopped "
                    "(stream-stopped) and the call went on",
                )
            self.closed = True
            self._stopped()

    def _ignore(self, frame: str | bytes) -> None:
        message = json_object(frame)
        if isinstance(message, dict):
            if self.stream.app_messages is None:
                self.stream.app_messages = []
            self.stream.app_messages.append(message)
        if not self._reported:
            self._reported = True
            shown = frame if isinstance(frame, str) else repr(frame)
            self._fail(
                PROTOCOL_ERROR,
                f"the app sent a message on the unidirectional stream {self.stream.sid} "
                f"({self.stream.url}): {shown[:200]}; it was ignored, as are the ones after "
                "it (said once a stream): only a <Connect><Stream> takes the app's media, mark "
                "and clear messages, so send none on a <Start><Stream>",
            )

    def _stopped(self) -> None:
        """The socket is over before the stream: the stream stops now (once)."""
        sockets = self.call.stream_sockets
        if sockets is not None:
            sockets.pop(self.stream.sid, None)
        stop_stream(self.engine, self.call, self.stream)

    def _running(self) -> AbstractContextManager[None]:
        return handler_running(self.engine, self.socket.url)

    def _fail(self, code: int | None, message: str) -> None:
        where = self.where
        self.engine.fail(
            self.call, code, message, url=where.url, element=where.element, line=where.line
        )


def _soon(engine: Host, action: Callable[[], None], socket: AppSocket | None = None) -> None:
    """Run ``action`` now; while the app's code runs (its REST request or input got here:
    a webhook or socket handler under way, or the app's event loop calling), at this
    instant once it returns (see the module)."""
    if engine.answering or (socket is not None and socket.inside_app()):
        engine.scheduler.call_at(engine.clock.micros, action)
    else:
        action()


def open_fork_socket(services: Services, call: SimCall, stream: MediaStream, where: Where) -> None:
    """Open the app's WebSocket for the unidirectional ``stream`` just started, when the app
    is reached in process with WebSocket support (nothing is opened otherwise)."""
    engine = cast("Host", services)

    def open_now() -> None:
        if stream.stopped_at is not None or call.ended:
            return  # stopped before the app's code returned
        socket = open_app_socket(engine, call, stream.url)
        if socket is None:
            return
        fork = ForkSocket(engine, call, stream, socket, where)
        if call.stream_sockets is None:
            call.stream_sockets = {}
        call.stream_sockets[stream.sid] = fork
        _soon(engine, fork.open, socket)

    _soon(engine, open_now)


def close_fork_socket(services: Services, call: SimCall, stream: MediaStream) -> None:
    """Send ``stop`` on ``stream``'s socket and close it, if twimlsim opened one."""
    sockets = call.stream_sockets
    fork = sockets.pop(stream.sid, None) if sockets is not None else None
    if fork is not None:
        _soon(cast("Host", services), fork.close, fork.socket)


def open_forks(call: SimCall) -> Iterator[ForkSocket]:
    """The call's unidirectional streams whose sockets are open (the app accepted them, and
    they have not closed), oldest first."""
    for fork in list((call.stream_sockets or {}).values()):
        if fork.opened and not fork.closed:
            yield fork


def send_fork_audio(services: Services, call: SimCall, payload: bytes) -> None:
    """The caller's audio ``payload`` to each open stream of ``call`` that carries the
    inbound track (see ``ForkSocket.send_audio``)."""
    engine = cast("Host", services)
    for fork in open_forks(call):
        _soon(engine, partial(fork.send_audio, payload), fork.socket)

"""WebSockets from Twilio to ASGI apps routed in process (FastAPI's and Starlette's
``@app.websocket(...)`` routes): what ``<Connect><ConversationRelay>`` and
``<Connect><Stream>`` open (``engine/app_sockets.py`` is the engine's side).

The app's handler runs as a task on the app's own event loop (the one its webhooks and
lifespan run on), with a scope shaped as uvicorn's: ``type`` ``websocket``, the ``wss``
scheme, the path (the route's mount point as ``root_path``), the query string, and the
handshake's headers. Each turn puts Twilio's frames in the handler's ``receive`` and waits
(on the loop, never sleeping on the clock) until the engine's condition holds, or the
handler waits for the next frame with nothing left running, or it ends; a turn that
outlasts the webhook read timeout (``webhook_timeout``, wall time) ends there with
``timed_out``. The engine lock is let go of during a turn, as while the app answers a
webhook: the handler may call the REST API.

As uvicorn: a handler that returns before accepting refuses the handshake (HTTP 403), one
that raises before accepting answers 500; after accepting, returning closes the socket with
1000, raising with 1011 (and the error is logged). A frame sent after Twilio closed the
socket raises ``ClientDisconnected``, an ``OSError``, as ASGI 2.4 asks of a server and uvicorn
does (Starlette's ``send_text()`` raises ``WebSocketDisconnect`` for it).
"""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import hashlib
import logging
import weakref
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from twimlsim.arguments import raised_text
from twimlsim.engine.app_sockets import SocketTurn
from twimlsim.engine.urls import wire_url

from .asgi import ASGIApp, Message
from .base import WEBHOOK_PEER
from .mount import BehindProxy, PrefixMount
from .timing import LIFT_THE_LIMIT, WallTimeLimit

if TYPE_CHECKING:
    from twimlsim.engine.lock import EngineLock

    from .wsgi import WSGITransport

__all__ = ["ASGISocket", "ASGISockets", "ClientDisconnected"]

_log = logging.getLogger("twimlsim.asgi")

#: Turns of the event loop an app waiting for the next frame is given to send more (a
#: task it started answering the last one), before its turn is over.
_SETTLE_STEPS = 20
#: Turns of the loop a handler's other tasks are given while they have work ready to run
#: (a frame passed along a chain of tasks and queues, as Pipecat's pipeline does), at most.
_BUSY_STEPS = 5000
#: Frames a handler sends in a row before its send gives the loop a turn (as a server's
#: send waits for its buffer to drain): an endless sender neither blocks the loop nor
#: outlasts its turn's limit.
_SENDS_PER_YIELD = 64
#: The frames a handler may have sent that Twilio has not read (no turn took them yet): a
#: server's send buffer fills, and its next send waits until the other side reads. Without
#: it, a handler sending without end piled up frames between turns faster than they were
#: read, and the call's next turn waited behind them (about 50,000 frames: 1,000 s of 20 ms
#: audio, beyond any one answer).
_MOST_UNREAD = 50_000
#: Wall seconds past a turn's limit its wait lasts when the handler blocks the loop.
_BLOCKED_GRACE_SECONDS = 1.0
#: Wall seconds a handler is given to end after Twilio closed its socket, at most.
_CLOSE_SECONDS = 5.0
#: Wall seconds a handler that closed the socket itself is given to end, at most.
_AFTER_ITS_CLOSE_SECONDS = 1.0


class ClientDisconnected(OSError):  # noqa: N818 - named as uvicorn names its own
    """The app sent a frame after Twilio closed the socket (ASGI: an ``OSError``)."""


class ASGISockets:
    """Opens WebSockets to the ASGI apps routed with ``sim.route``."""

    def __init__(self, webhooks: WSGITransport, lock: EngineLock, timed: WallTimeLimit) -> None:
        self._webhooks = webhooks
        self._lock = lock
        #: Its ``limit`` (``webhook_timeout``) bounds each turn of a handler in wall time.
        self._timed = timed
        self._open: weakref.WeakSet[ASGISocket] = weakref.WeakSet()

    def close_all(self) -> None:
        """Close every socket still open (the simulator stops)."""
        for socket in list(self._open):
            socket.close()
        self._open.clear()

    def open(
        self, url: str, headers: Mapping[str, str], abandoned: Callable[[], bool]
    ) -> ASGISocket | None:
        """A connection to ``url``, or None when no ASGI app routed in process serves it
        (a WSGI app, which cannot take a WebSocket, or no app at all)."""
        # as a client sends it: an internationalised host IDNA-encoded, as webhooks' are
        wire = wire_url(url).url
        parts = urlsplit(wire)
        scheme = parts.scheme.lower()
        if scheme not in ("ws", "wss") or not parts.hostname:
            return None
        http_url = ("https" if scheme == "wss" else "http") + wire[len(scheme) :]
        app: Any = self._webhooks.socket_app_for(wire) or self._webhooks.app_for(http_url)
        behind_proxy = isinstance(app, BehindProxy)
        if behind_proxy:
            app = app.app
        root_path = ""
        if isinstance(app, PrefixMount):
            root_path = app.script_name
            app = app.app
        if not isinstance(app, ASGIApp):
            return None
        host = parts.netloc.rpartition("@")[2]
        port = parts.port or (443 if scheme == "wss" else 80)
        sent = [(b"host", host.encode("latin-1"))]
        sent += [
            (name.lower().encode("latin-1"), v.encode("latin-1")) for name, v in headers.items()
        ]
        key = base64.b64encode(hashlib.sha1(url.encode()).digest()[:16])
        sent += [
            (b"connection", b"Upgrade"),
            (b"upgrade", b"websocket"),
            (b"sec-websocket-version", b"13"),
            (b"sec-websocket-key", key),
        ]
        if behind_proxy:
            sent.append((b"x-forwarded-proto", scheme.encode()))
        scope: dict[str, Any] = {
            "type": "websocket",
            "asgi": {"version": "3.0", "spec_version": "2.4"},
            "http_version": "1.1",
            "scheme": "ws" if behind_proxy else scheme,
            "server": (parts.hostname, 80 if behind_proxy else port),
            "client": (WEBHOOK_PEER[0], int(WEBHOOK_PEER[1])),  # as a webhook's
            "root_path": root_path,
            "path": unquote(parts.path) or "/",  # decoded, as ASGI servers give it
            "raw_path": (parts.path or "/").encode("latin-1"),
            "query_string": parts.query.encode("latin-1"),
            "headers": sent,
            "subprotocols": [],
            "extensions": {},
        }
        if app.state:
            scope["state"] = dict(app.state)
        if _no_websocket_route(app.app, scope):
            return None  # its WebSocket server is elsewhere: the call is held, as before
        socket = ASGISocket(url, app, scope, self._lock, self._timed.limit, abandoned)
        self._open.add(socket)
        return socket


def _no_websocket_route(app: Any, scope: dict[str, Any]) -> bool:
    """Whether ``app`` is a Starlette app (FastAPI's too) none of whose routes takes the
    WebSocket ``scope``, or Django's own ASGI handler (``get_asgi_application()``, which
    takes HTTP only, as a WSGI app does): its tests routed it for its webhooks, with the
    WebSocket server served elsewhere, so nothing is opened. Other frameworks' apps are
    asked (they refuse a path they do not serve, which is Twilio's handshake error). An
    aiohttp.web app is served over HTTP alone, its WebSocket routes not in process."""
    from .aiohttp_web import AiohttpWebApp

    if isinstance(app, AiohttpWebApp):
        return True
    if any(
        kind.__name__ == "ASGIHandler" and kind.__module__ == "django.core.handlers.asgi"
        for kind in type(app).__mro__
    ):
        return True
    routes = getattr(getattr(app, "router", None), "routes", None)
    if not isinstance(routes, list):
        return False
    try:
        from starlette.routing import Match
    except ImportError:  # pragma: no cover - a router that is not Starlette's
        return False
    try:
        return all(route.matches(scope)[0] is Match.NONE for route in routes)
    except Exception:  # a route of its own kind that cannot tell: ask the app
        return False


class ASGISocket:
    """One connection to an ASGI app's WebSocket route (see the module)."""

    def __init__(
        self,
        url: str,
        app: ASGIApp,
        scope: dict[str, Any],
        lock: EngineLock,
        limit: float | None,
        abandoned: Callable[[], bool] = lambda: False,
    ) -> None:
        self.url = url
        self._abandoned = abandoned
        self._app = app
        self._scope = scope
        self._lock = lock
        self._limit = limit
        self._session: _Session | None = None
        #: Why the socket was given up: its handler held the loop past the time limit.
        self._blocked: str | None = None

    def _run(self, work: Callable[[_Session], Any], seconds: float | None) -> SocketTurn:
        async def turn() -> SocketTurn:
            if self._session is None:
                self._session = _Session(self._app.app, self._scope, self._abandoned)
            return await self._session.turn(work, seconds)

        if self._blocked is not None:  # its loop is still held: nothing more gets through
            return SocketTurn(closed=1006, failure=self._blocked)
        future = asyncio.run_coroutine_threadsafe(turn(), self._app.loop)
        if self._app.on_loop_thread():
            # the app's own code moved this call on (a REST hang-up from another call's
            # handler): waiting here would block the loop the turn runs on
            return SocketTurn()
        depth = self._lock.release_all()  # the handler may call the REST API meanwhile
        try:
            # the turn's own limit runs on the loop: a handler that blocks the loop (a
            # synchronous sleep or client) keeps it from firing, so the wait ends here too
            wait = None if seconds is None else seconds + _BLOCKED_GRACE_SECONDS
            return future.result(timeout=wait)
        except concurrent.futures.TimeoutError:
            future.cancel()
            self._blocked = (
                f"the app's WebSocket handler at {self.url} blocked its event loop for more "
                f"than {seconds:g} s of wall time (a synchronous call in an async handler: "
                "time.sleep, a blocking HTTP client); await instead, or run the blocking "
                "call with asyncio.to_thread; the socket is given up"
            )
            return SocketTurn(closed=1006, failure=self._blocked)
        finally:
            self._lock.restore(depth)

    def connect(self) -> SocketTurn:
        """Run the handshake (see ``AppSocket.connect``)."""
        turn = self._run(lambda session: session.start(), self._limit)
        if turn.timed_out:
            # Twilio gives the connection up: the handler hears the disconnect (and is
            # cancelled if it goes on), told here, not again as work left running when
            # the simulator stops
            session = self._session
            if session is not None:
                self._app.loop.call_soon_threadsafe(session.abandon)
            return SocketTurn(failure=f"{self._late('accept the connection')}", timed_out=True)
        return turn

    def send(
        self,
        texts: Sequence[str],
        until: Callable[[str | bytes], bool] | None = None,
        *,
        last: bool = False,
    ) -> SocketTurn:
        """Send ``texts`` and run the app's turn (see ``AppSocket.send``)."""

        def work(session: _Session) -> None:
            session.put(texts, until, last)

        turn = self._run(work, self._limit)
        if turn.timed_out:
            doing = "answer" if until is not None else "finish with the message"
            return SocketTurn(
                turn.frames, turn.accepted, turn.closed, self._late(doing), timed_out=True
            )
        return turn

    def close(self, code: int = 1000) -> SocketTurn:
        """Twilio closes the socket with ``code`` (see ``AppSocket.close``)."""
        if self._session is None or self._session.ended:
            return SocketTurn()
        if self._blocked is not None:  # its handler is told once its loop is free again
            self._app.loop.call_soon_threadsafe(self._session.abandon)
            return SocketTurn()
        seconds = _CLOSE_SECONDS if self._limit is None else min(self._limit, _CLOSE_SECONDS)
        turn = self._run(lambda session: session.disconnect(code), seconds)
        if turn.timed_out:
            _log.warning(
                "the app's WebSocket handler at %s was still running %g s (wall time) after "
                "Twilio closed the socket; twimlsim cancelled it (a server would leave it "
                "running). A task of its own still waits (a bridge's sender on its AI "
                "service's socket?): end it when the receive loop ends (iter_text() stops, "
                "receive_text() raises WebSocketDisconnect) and each hang-up costs the test "
                "no wait",
                self.url,
                seconds,
            )
        return turn

    def inside_app(self) -> bool:
        """Whether the caller runs on the app's event loop (see ``AppSocket``)."""
        return self._app.on_loop_thread()

    def _late(self, doing: str) -> str:
        limit = self._limit
        return (
            f"the app's WebSocket handler at {self.url} did not {doing} within {limit:g} s of "
            "wall time (the webhook read timeout); what it awaits never came, or it is slow: "
            f"{LIFT_THE_LIMIT}"
        )


class _Session:
    """The handler's task and its two directions, on the app's loop."""

    def __init__(self, app: Any, scope: dict[str, Any], abandoned: Callable[[], bool]) -> None:
        self._app = app
        self._abandoned = abandoned
        self._scope = scope
        self._inbox: asyncio.Queue[Message] = asyncio.Queue()
        self._changed = asyncio.Event()
        self._sent: list[str | bytes] = []
        self._until: Callable[[str | bytes], bool] | None = None
        self._answered = False
        self._connected = False
        self._waiting = False
        #: The frames put are Twilio's last before it closes (``AppSocket.send``'s ``last``).
        self._last = False
        self._disconnected = False
        #: The handler's receive gave it the disconnect that follows its own close.
        self._heard_disconnect = False
        #: The handler's send gave the loop a turn in a run of frames (``_SENDS_PER_YIELD``).
        self._bursting = False
        #: Set when the frames sent were read (a turn took them) or the socket closed: a
        #: handler past ``_MOST_UNREAD`` frames waits for it in its send.
        self._read = asyncio.Event()
        self.accepted = False
        self.closed: int | None = None
        self.refused: str | None = None
        self.failure: str | None = None
        self._task: asyncio.Task[None] | None = None
        self._handshake = False

    def start(self) -> None:
        self._handshake = True
        self._task = asyncio.get_running_loop().create_task(
            self._main(), name=f"its WebSocket handler at {self._scope['path']}"
        )

    async def _main(self) -> None:
        try:
            await self._app(self._scope, self._receive, self._send)
        except asyncio.CancelledError as error:
            task = asyncio.current_task()
            if task is not None and task.cancelling():  # twimlsim gave the socket up
                raise
            # the handler's own (a task it awaited was cancelled): uvicorn catches it as any
            # other; left to end the task, the stream stayed open until the call ended
            self._raised(error)
        except BaseException as error:
            # uvicorn catches them all. Not Exceptions, some would stop the app's loop
            # (every later turn and webhook waiting on it for ever); the others
            # (pytest.fail's) ended the task unseen, the socket left open until the call's
            # time limit
            self._raised(error)
        else:
            if self.accepted and self.closed is None and not self._disconnected:
                self.closed = 1000  # as uvicorn closes a handler that returned
            elif not self.accepted and self.refused is None:
                self.refused = (
                    "its handler returned without accepting the connection (a server "
                    "answers the handshake HTTP 403); call await websocket.accept() first"
                )
        finally:
            self._changed.set()

    def _raised(self, error: BaseException) -> None:
        """The handler raised ``error``: the socket closes 1011 after its accept, or its
        handshake is refused (HTTP 500) before."""
        if self._disconnected or self._heard_disconnect:
            return  # its receive raising the disconnect, uncaught: harmless
        _log.error(
            "the ASGI app raised in its WebSocket handler at %s",
            self._scope["path"],
            exc_info=error,
        )
        raised = raised_text(error)
        if self.accepted:
            self.failure = f"it raised {raised}"
            self.closed = self.closed or 1011
        else:
            self.refused = (
                f"it raised {raised} before accepting the connection (a server answers "
                "the handshake HTTP 500)"
            )

    async def _receive(self) -> Message:
        if not self._connected:
            self._connected = True
            return {"type": "websocket.connect"}
        if self._inbox.empty():
            self._waiting = True
            self._changed.set()
        message = await self._inbox.get()
        self._waiting = False
        if self._last and self._inbox.empty():
            self._changed.set()  # it took the last frames: it need not read again
        if message["type"] == "websocket.disconnect":
            self._heard_disconnect = True
        return message

    async def _send(self, message: Message) -> None:
        kind = message.get("type")
        if self._disconnected:
            if kind == "websocket.send":  # as ASGI servers (uvicorn) say a closed socket
                raise ClientDisconnected()
            return  # Twilio has closed its side: nothing reaches it any more
        if kind == "websocket.accept" and not self.accepted and self.closed is None:
            self.accepted = True
        elif kind == "websocket.send" and self.accepted and self.closed is None:
            text, data = message.get("text"), message.get("bytes")
            frame: str | bytes = text if text is not None else bytes(data or b"")
            self._sent.append(frame)
            if self._until is not None and self._until(frame):
                self._answered = True
            if len(self._sent) % _SENDS_PER_YIELD == 0:
                # a server's send waits for its buffer to drain now and then: a handler
                # sending without end lets the turn's limit fire, and is cancellable; the
                # turn does not end in the middle of such a run of frames (``_over``)
                self._changed.set()
                self._bursting = True
                try:
                    if len(self._sent) >= _MOST_UNREAD:
                        self._read.clear()
                        await self._read.wait()
                    else:
                        await asyncio.sleep(0)
                finally:
                    self._bursting = False
                return
        elif kind == "websocket.close" and self.closed is None:
            if not self.accepted:
                self.refused = "its handler closed the connection before accepting it (HTTP 403)"
            self.closed = int(message.get("code", 1000))
            # as a server, once the close is sent its next receive is the disconnect: a
            # handler that reads on until then (a Channels consumer) ends, not waits for ever
            self._inbox.put_nowait({"type": "websocket.disconnect", "code": self.closed})
        elif kind == "websocket.http.response.start" and not self.accepted:
            self.refused = f"its handler refused the handshake with HTTP {message.get('status')}"
            self.closed = 1006
        elif kind == "websocket.http.response.body":
            pass
        elif self.closed is not None:  # as uvicorn words it
            raise RuntimeError(
                f"Unexpected ASGI message '{kind}', after sending 'websocket.close' or "
                "response already completed."
            )
        else:
            raise RuntimeError(
                f"Unexpected ASGI message '{kind}', after sending 'websocket.accept'"
                if self.accepted
                else f"Expected ASGI message 'websocket.accept', 'websocket.close' or "
                f"'websocket.http.response.start' but got '{kind}'."
            )
        self._changed.set()

    def put(
        self, texts: Sequence[str], until: Callable[[str | bytes], bool] | None, last: bool
    ) -> None:
        self._handshake = False
        self._until = until
        self._last = last
        self._answered = False
        for text in texts:
            self._inbox.put_nowait({"type": "websocket.receive", "text": text})
        if texts:
            self._waiting = False

    @property
    def ended(self) -> bool:
        """Whether the handler's task is over (or Twilio closed its side)."""
        return self._disconnected or self._task is None or self._task.done()

    def abandon(self) -> None:
        """Twilio has given up the socket: the handler hears the disconnect, and is
        cancelled if it goes on."""
        self.disconnect()
        task = self._task
        if task is not None and not task.done():
            asyncio.get_running_loop().call_soon(task.cancel)

    def disconnect(self, code: int = 1000) -> None:
        self._handshake = False
        self._until = None
        self._last = False
        # the last prompt's answer is not this turn's: left set, the turn would end before
        # the handler heard the disconnect (Python 3.12 and later run ``wait_for``'s
        # coroutine at once, 3.11 in a task of its own, which let the handler go first)
        self._answered = False
        self._inbox.put_nowait({"type": "websocket.disconnect", "code": code})
        self._waiting = False
        self._disconnected = True
        self._read.set()  # a handler waiting in its send hears the close there

    def _over(self) -> bool:
        task = self._task
        return (
            task is None
            or task.done()
            or self.refused is not None
            or self.closed is not None
            or (not self._bursting and (self._answered or (self._handshake and self.accepted)))
            or (self._waiting and self._abandoned())
        )

    async def _settled(self) -> bool:
        """True when the handler waits for a frame (or has taken Twilio's last ones, which
        need no answer) and sends nothing more meanwhile."""
        if self._until is not None or not self._inbox.empty():
            return False
        if not self._waiting and not self._last:
            return False
        if not self.accepted:
            return False
        sent = len(self._sent)
        # callbacks the loop has ready to run: work of the app's still going on
        ready = getattr(asyncio.get_running_loop(), "_ready", None)
        quiet = steps = 0
        while quiet < _SETTLE_STEPS:
            await asyncio.sleep(0)  # a turn of the loop, not a wait on the clock
            steps += 1
            if len(self._sent) != sent or self._over():
                return False
            busy = bool(ready) and steps < _BUSY_STEPS
            quiet = 0 if busy else quiet + 1
        return self._waiting or self._last

    async def _wait(self) -> None:
        while not self._over():
            # cleared before settling: frames another task sends while the handler already
            # waits (a bridge's sender) leave it set, so the settling is tried again
            self._changed.clear()
            if await self._settled():
                return
            if self._over():
                return
            await self._changed.wait()

    async def turn(self, work: Callable[[_Session], Any], seconds: float | None) -> SocketTurn:
        work(self)
        timed_out = False
        try:
            if seconds is None:
                await self._wait()
            else:
                await asyncio.wait_for(self._wait(), seconds)
        except TimeoutError:
            timed_out = True
        task = self._task
        if self.closed is not None and not self._disconnected and task is not None:
            # the handler closed the socket and hears the disconnect next: let it end (a
            # Channels consumer unwinds in a few turns of the loop), not leave it to be
            # cancelled with a warning when the simulator stops
            await asyncio.wait({task}, timeout=_AFTER_ITS_CLOSE_SECONDS)
        if self._disconnected and task is not None and not task.done():
            task.cancel()  # a handler that does not end when Twilio hangs up
            await asyncio.gather(task, return_exceptions=True)
        frames, self._sent = tuple(self._sent), []
        self._read.set()
        self._until = None
        failure = self.refused or self.failure
        self.failure = None
        return SocketTurn(frames, self.accepted, self.closed, failure, timed_out)

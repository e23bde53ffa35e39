"""Serve an aiohttp.web ``Application`` in process, as an ASGI app.

aiohttp's apps speak neither WSGI nor ASGI: aiohttp serves them with its own HTTP server.
Here the app is set up by aiohttp's ``AppRunner`` (its ``on_startup``, ``cleanup_ctx`` and
``on_cleanup`` run as the lifespan's startup and shutdown), and each webhook is handed to
the request handler aiohttp's server makes for a connection, over an in-process connection
that takes the place of the socket: aiohttp parses the request and writes its answer as it
does on a server, and the answer is read back from the bytes it wrote. The connection is
TLS to the app where the webhook URL is ``https://`` (``request.scheme``, ``request.url``
and ``request.secure`` as on a server behind TLS), and comes from the scope's client
address (``request.remote``). Its WebSocket routes (``web.WebSocketResponse``) are not
served in process: a stream to one is held as for a WSGI app.
"""

from __future__ import annotations

import asyncio
import functools
import ssl
import weakref
from asyncio.constants import _SendfileMode
from asyncio.transports import _FlowControlMixin
from collections.abc import Collection
from typing import Any

from twimlsim.errors import ConfigurationError

from .answer import ANSWER_LIMIT
from .base import WebhookDeliveryError

__all__ = ["as_asgi"]

#: How long the app's shutdown waits for a handler still running (one whose webhook timed
#: out, 11200) before aiohttp cancels it: aiohttp's own 60 s would outlast the lifespan's
#: 15 s limit, and 0 is no limit at all to aiohttp.
_SHUTDOWN_SECONDS = 0.1

#: How much of an answer is kept before the connection is closed on it, as Twilio stops
#: reading past the most it reads (the body's, plus room for the head and chunk sizes):
#: a handler that streams for ever must not hold the calls (its writes never yield) nor
#: fill the memory.
_READ_LIMIT = ANSWER_LIMIT + 65536

#: One ASGI face per Application (by its id), so that routing one app at two bases runs it
#: once. The faces are held weakly, as long as a simulator holds them: a face holds its
#: Application, which a weak key would therefore never let go of.
_FACES: weakref.WeakValueDictionary[int, AiohttpWebApp] = weakref.WeakValueDictionary()


def as_asgi(
    application: Any, where: str, served: Collection[object] | None = None
) -> AiohttpWebApp:
    """The ASGI app serving the aiohttp.web ``application`` (the same one each time);
    ``ConfigurationError`` for one that already ran on another event loop, which aiohttp
    refuses to run again, or that another simulator serves still (``served``: the ASGI apps
    the simulator routing it serves; None to only look the face up)."""
    face = _FACES.get(id(application))
    if face is not None and served is not None and face.running and face not in served:
        raise ConfigurationError(
            f"{where}: {application!r} is served still by another simulator (an outer one, "
            "still running), on that simulator's event loop, and aiohttp runs an Application "
            "on one loop only ('web.Application instance initialized with different loop'); "
            "route a new app in this simulator (make_app() again), or route the app in one "
            "simulator only"
        )
    # aiohttp sets the app's loop when it first runs it, and refuses any other loop since
    ran_on: asyncio.AbstractEventLoop | None = getattr(application, "_loop", None)
    if ran_on is not None and (face is None or face.loop is not ran_on or ran_on.is_closed()):
        raise ConfigurationError(
            f"{where}: {application!r} already ran on another event loop (an earlier "
            "test's simulator, or the test's own aiohttp client), and aiohttp runs an "
            "Application on one loop only ('web.Application instance initialized with "
            "different loop'); route a new app in each test: make it in the fixture "
            "(return make_app() from twimlsim_app), as pytest-aiohttp's aiohttp_client is "
            "given a new one"
        )
    if face is None:
        face = _FACES[id(application)] = AiohttpWebApp(application)
    return face


class AiohttpWebApp:
    """An aiohttp.web ``Application`` as an ASGI app (HTTP and lifespan)."""

    def __init__(self, application: Any) -> None:
        self.application = application
        self._runner: Any = None
        #: The loop the app ran on, while a simulator serves it.
        self.loop: asyncio.AbstractEventLoop | None = None

    def __repr__(self) -> str:
        return repr(self.application)

    @property
    def running(self) -> bool:
        """Whether a simulator serves the app now (its startup done, its cleanup not)."""
        return self._runner is not None

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif scope["type"] == "http":
            await self._http(scope, receive, send)
        else:
            kind = scope["type"]
            raise RuntimeError(f"an aiohttp.web app is served in process over HTTP, not {kind}")

    async def _lifespan(self, receive: Any, send: Any) -> None:
        from aiohttp import web

        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                runner = web.AppRunner(
                    self.application,
                    handle_signals=False,
                    access_log=None,
                    shutdown_timeout=_SHUTDOWN_SECONDS,
                )
                try:
                    await runner.setup()
                except Exception as error:
                    await send({"type": "lifespan.startup.failed", "message": repr(error)})
                    continue
                self._runner, self.loop = runner, asyncio.get_running_loop()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                runner, self._runner = self._runner, None
                if runner is not None:
                    await runner.cleanup()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _http(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        body = bytearray()
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        if self._runner is None:
            raise RuntimeError("the aiohttp.web app was not started (its lifespan startup)")
        target = scope.get("raw_path") or scope["path"].encode()
        if scope.get("query_string"):
            target += b"?" + scope["query_string"]
        lines = [scope["method"].encode() + b" " + target + b" HTTP/1.1"]
        for name, value in scope["headers"]:
            if name.lower() not in (b"connection", b"content-length", b"transfer-encoding"):
                lines.append(name + b": " + value)
        lines += [b"Content-Length: " + str(len(body)).encode(), b"Connection: close"]
        loop = asyncio.get_running_loop()
        connection = _Connection(loop, scope)
        protocol = self._runner.server()
        connection.set_protocol(protocol)
        protocol.connection_made(connection)
        try:
            protocol.data_received(b"\r\n".join(lines) + b"\r\n\r\n" + bytes(body))
            await connection.answered
        finally:
            # as a socket's transport tells its protocol once closed (Twilio closes its end
            # once it has read the whole answer: its request says Connection: close), or
            # cancelled at the read deadline: aiohttp's server forgets the connection; a
            # handler still working after its answer (past write_eof()) goes on
            protocol.connection_lost(None)
        status, headers, content = _read_answer(bytes(connection.written), scope)
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": content})


class _Connection(_FlowControlMixin):
    """The server side of one webhook's connection: what aiohttp writes is kept.

    A flow-controlled transport whose ``sendfile`` is asyncio's fallback (read and written
    in pieces): aiohttp sends a ``web.FileResponse`` (``add_static`` too) with
    ``loop.sendfile``, which refuses any other transport with a ``RuntimeError``."""

    _sendfile_compatible = _SendfileMode.FALLBACK

    def __init__(self, loop: asyncio.AbstractEventLoop, scope: dict[str, Any]) -> None:
        super().__init__(loop=loop)
        self._protocol: asyncio.BaseProtocol | None = None
        self.written = bytearray()
        self.closed: asyncio.Future[None] = loop.create_future()
        #: Done once the answer is complete (by its Content-Length or last chunk) or the
        #: connection closed: what Twilio waits for before it reads on.
        self.answered: asyncio.Future[None] = loop.create_future()
        #: Where the answer's body starts, once its head is written, its framing, and where
        #: the next chunk's size line starts.
        self._body_at = -1
        self._length: int | None = None
        self._chunked = False
        self._chunk_at = 0
        client = scope.get("client") or ("127.0.0.1", 0)
        self._extra: dict[str, Any] = {"peername": tuple(client)}
        if scope.get("scheme") == "https":  # aiohttp reads https from the TLS context
            self._extra["sslcontext"] = _tls_context()

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if self.closed.done():  # read no further: Twilio had what it reads
            return
        self.written += data
        if len(self.written) > _READ_LIMIT:
            self.close()  # aiohttp's next write then raises in the handler, as on a hang-up
        elif self._complete():
            self.answered.set_result(None)

    def _complete(self) -> bool:
        """Whether what was written is a whole answer (an answer delimited by the
        connection's close only ends at the close)."""
        if self.answered.done():
            return False
        written = self.written
        if self._body_at < 0:
            end = written.find(b"\r\n\r\n")
            if end < 0:
                return False
            self._body_at = self._chunk_at = end + 4
            for line in bytes(written[:end]).split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                name = name.strip().lower()
                if name == b"transfer-encoding" and value.strip().lower() == b"chunked":
                    self._chunked = True
                elif name == b"content-length" and value.strip().isdigit():
                    self._length = int(value)
        if self._chunked:
            while (line_end := written.find(b"\r\n", self._chunk_at)) >= 0:
                try:
                    size = int(bytes(written[self._chunk_at : line_end]).split(b";")[0], 16)
                except ValueError:  # not chunks aiohttp writes: the close ends it
                    return False
                if size == 0:
                    return written.find(b"\r\n\r\n", self._chunk_at) >= 0
                following = line_end + 2 + size + 2
                if following > len(written):
                    return False
                self._chunk_at = following
            return False
        return self._length is not None and len(written) - self._body_at >= self._length

    def writelines(self, list_of_data: Any) -> None:
        for data in list_of_data:
            self.write(data)

    def close(self) -> None:
        if not self.closed.done():
            self.closed.set_result(None)
        if not self.answered.done():
            self.answered.set_result(None)

    def abort(self) -> None:
        self.close()

    def is_closing(self) -> bool:
        return self.closed.done()

    def set_protocol(self, protocol: asyncio.BaseProtocol) -> None:
        self._protocol = protocol

    def get_protocol(self) -> asyncio.BaseProtocol:
        assert self._protocol is not None
        return self._protocol

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return self._extra.get(name, default)

    def can_write_eof(self) -> bool:
        return False

    def get_write_buffer_size(self) -> int:
        return 0

    def set_write_buffer_limits(self, high: int | None = None, low: int | None = None) -> None:
        pass

    def is_reading(self) -> bool:
        return not self.closed.done()

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """The TLS context an https webhook's connection shows aiohttp: made once, as making
    one takes about 0.1 ms, which each webhook would pay (aiohttp only asks whether there
    is one)."""
    return ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)


def _read_answer(
    written: bytes, scope: dict[str, Any]
) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """The status, headers and body of the HTTP/1.1 answer aiohttp wrote for the request of
    ``scope``; ``WebhookDeliveryError`` where it closed the connection with none (11205),
    or in the middle of a chunked body (11200), as Twilio's client reads those."""
    request = f"{scope['method']} {scope['path']}"
    if not written:
        raise WebhookDeliveryError(
            11205,
            f"the aiohttp.web app closed the connection of {request} without answering (its "
            "handler closed request.transport, or was cancelled): Twilio's connection closed "
            "with no answer; return a web.Response, an error one if need be",
        )
    head, _, rest = written.partition(b"\r\n\r\n")
    status_line, *header_lines = head.split(b"\r\n")
    status = int(status_line.split(b" ", 2)[1])
    headers: list[tuple[bytes, bytes]] = []
    chunked = False
    for line in header_lines:
        name, _, value = line.partition(b":")
        name, value = name.strip().lower(), value.strip()
        if name == b"transfer-encoding" and value.lower() == b"chunked":
            chunked = True
            continue
        if name != b"connection":
            headers.append((name, value))
    if not chunked:
        return status, headers, rest
    body = bytearray()
    while rest:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line.split(b";", 1)[0], 16)
        if size == 0:
            return status, headers, bytes(body)
        body += rest[:size]
        rest = rest[size + 2 :]
    if len(written) > _READ_LIMIT:  # cut here, past what Twilio reads: read_answer says so
        return status, headers, bytes(body)
    raise WebhookDeliveryError(
        11200,
        f"the aiohttp.web app's answer to {request} ended after {len(body):,} bytes of its "
        "chunked body, without its last chunk: the app closed the connection mid-answer (its "
        "handler raised after StreamResponse.prepare(), the error is in its log); Twilio "
        "reads that as a failed request. Write the whole answer and end it with "
        "write_eof(), or answer an error before prepare()",
    )

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
from typing import Any

from twimlsim.errors import ConfigurationError

__all__ = ["as_asgi"]

#: How long the app's shutdown waits for a handler still running (one whose webhook timed
#: out, 11200) before aiohttp cancels it: aiohttp's own 60 s would outlast the lifespan's
#: 15 s limit, and 0 is no limit at all to aiohttp.
_SHUTDOWN_SECONDS = 0.1

#: One ASGI face per Application (by its id), so that routing one app at two bases runs it
#: once. The faces are held weakly, as long as a simulator holds them: a face holds its
#: Application, which a weak key would therefore never let go of.
_FACES: weakref.WeakValueDictionary[int, AiohttpWebApp] = weakref.WeakValueDictionary()


def as_asgi(application: Any, where: str) -> AiohttpWebApp:
    """The ASGI app serving the aiohttp.web ``application`` (the same one each time);
    ``ConfigurationError`` for one that already ran on another event loop, which aiohttp
    refuses to run again."""
    face = _FACES.get(id(application))
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
        protocol.connection_made(connection)
        try:
            protocol.data_received(b"\r\n".join(lines) + b"\r\n\r\n" + bytes(body))
            await connection.closed
        finally:
            # as a socket's transport tells its protocol once closed (or cancelled at the
            # read deadline): aiohttp's server forgets the connection and its handler
            protocol.connection_lost(None)
        status, headers, content = _read_answer(bytes(connection.written))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": content})


class _Connection(asyncio.Transport):
    """The server side of one webhook's connection: what aiohttp writes is kept."""

    def __init__(self, loop: asyncio.AbstractEventLoop, scope: dict[str, Any]) -> None:
        super().__init__()
        self.written = bytearray()
        self.closed: asyncio.Future[None] = loop.create_future()
        client = scope.get("client") or ("127.0.0.1", 0)
        self._extra: dict[str, Any] = {"peername": tuple(client)}
        if scope.get("scheme") == "https":  # aiohttp reads https from the TLS context
            self._extra["sslcontext"] = _tls_context()

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.written += data

    def writelines(self, list_of_data: Any) -> None:
        for data in list_of_data:
            self.written += data

    def close(self) -> None:
        if not self.closed.done():
            self.closed.set_result(None)

    def abort(self) -> None:
        self.close()

    def is_closing(self) -> bool:
        return self.closed.done()

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


def _read_answer(written: bytes) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """The status, headers and body of the HTTP/1.1 answer aiohttp wrote."""
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
            break
        body += rest[:size]
        rest = rest[size + 2 :]
    return status, headers, bytes(body)

"""Answer the app's own httpx (and httpx2) requests to Twilio's hosts, unless a test's
httpx mock is in place.

An async app (FastAPI, Starlette) downloads its ``RecordingUrl`` with ``httpx.AsyncClient``,
or calls the REST API with httpx to carry no twilio package. On Twilio those work; the
network guard would stop them. While a simulator runs, ``HTTPTransport.handle_request``
and ``AsyncHTTPTransport.handle_async_request`` (the transports every ``httpx.Client`` and
``AsyncClient`` uses unless given another) send a request for a ``*.twilio.com`` host to
the fake API in process, with its method, URL, headers and body, and return its answer as
an ``httpx.Response``; any other host goes on as before. httpx2, httpx's successor on
httpcore2 with the same transports (Starlette's test client asks for it in place of
httpx), is answered the same way by an interceptor of its own.

A test's own httpx mock keeps every request it would have had, Twilio's included, checked
on each request: pytest-httpx (its patch of these methods lies under this one, when its
fixture started first) and respx (its patch of httpcore's connection pools beneath them)
answer as they did; so does a transport the test gives the client (``MockTransport``),
which never reaches these methods, and mocket or httpretty, for a request it has a
registration for (``socket_mocks``).

Nothing is imported until it is needed: httpx is patched when it is already loaded, and
otherwise the moment it is first imported while the simulator runs.
"""

from __future__ import annotations

import functools
import io
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from types import ModuleType
from typing import Any

from .bodies import READ_CHUNK, AnswerBody
from .import_watch import WhenImported
from .method_patch import MethodPatches, PatchMaker
from .responses import Answer
from .socket_mocks import socket_mock_answers
from .stdlib_answers import is_twilio_host

__all__ = ["HTTPX2_MODULE", "HttpxInterceptor"]

HTTPX_MODULE = "httpx"
HTTPX2_MODULE = "httpx2"


def _loaded(module: ModuleType) -> bool:
    """Whether httpx is whole (not the module object of an import still under way)."""
    return hasattr(module, "HTTPTransport")


class HttpxInterceptor:
    """Routes httpx's requests for Twilio's hosts to ``answer`` when no mock is in place
    (``module`` ``"httpx2"`` for httpx2's)."""

    def __init__(self, answer: Answer, module: str = HTTPX_MODULE) -> None:
        self._answer = answer
        self._patches = MethodPatches()
        self._when_imported = WhenImported(module, ready=_loaded)

    def start(self) -> None:
        """Patch httpx now if it is loaded, else when it is first imported."""
        self._when_imported.start(self._patch)

    def stop(self) -> None:
        """Put httpx back and stop watching imports."""
        self._when_imported.stop()
        self._patches.stop()

    def _patch(self, module: ModuleType) -> None:
        answer = self._answer
        self._patches.start(
            [
                (module.HTTPTransport, "handle_request", _sync_handler(answer, module)),
                (
                    module.AsyncHTTPTransport,
                    "handle_async_request",
                    _async_handler(answer, module),
                ),
            ]
        )


def _mocked(original: Any, pool_method: str, module: ModuleType) -> bool:
    """Whether a test's mock would see the request: the method wrapped is not httpx's own
    (pytest-httpx), or httpcore's pool method is not httpcore's own (respx); httpx2's are
    httpx2's and httpcore2's."""
    # httpx's own transports are defined there: a handler from elsewhere is a test's mock
    transports = f"{module.__name__}._transports.default"
    if getattr(original, "__module__", None) not in (transports, __name__):
        return True  # (another simulator's patch, of this module, is no mock)
    httpcore = sys.modules.get("httpcore2" if module.__name__ == HTTPX2_MODULE else "httpcore")
    pool = getattr(
        httpcore, "AsyncConnectionPool" if "async" in pool_method else "ConnectionPool", None
    )
    handler = getattr(pool, pool_method, None)
    if handler is None:  # no httpcore pool to be mocked
        return False
    return not str(getattr(handler, "__module__", "")).startswith("httpcore")


def _wire(request: Any, body: bytes) -> tuple[str, str, dict[str, str], bytes]:
    headers = dict(request.headers.multi_items())
    return request.method, str(request.url), headers, body


def _response(
    module: ModuleType, request: Any, answer: tuple[int, list[tuple[str, str]], AnswerBody]
) -> Any:
    status, headers, content = answer
    if isinstance(content, bytes):
        return module.Response(status, headers=headers, content=content, request=request)
    # recording media: produced as the client reads it (its Content-Length is in headers)
    stream = _stream_class(module)(content)
    return module.Response(status, headers=headers, stream=stream, request=request)


@functools.cache
def _stream_class(module: ModuleType) -> type[Any]:
    """The byte stream of ``module`` (httpx or its fork) that reads an answer's stream,
    for a sync or an async client alike."""

    class ReaderStream(module.SyncByteStream, module.AsyncByteStream):  # type: ignore[misc,name-defined]
        def __init__(self, reader: io.BufferedReader) -> None:
            self._reader = reader

        def __iter__(self) -> Iterator[bytes]:
            while chunk := self._reader.read(READ_CHUNK):
                yield chunk

        async def __aiter__(self) -> AsyncIterator[bytes]:
            while chunk := self._reader.read(READ_CHUNK):
                yield chunk

        def close(self) -> None:
            self._reader.close()

        async def aclose(self) -> None:
            self._reader.close()

    return ReaderStream


def _sync_handler(answer: Answer, module: ModuleType) -> PatchMaker:
    def make(original: Any, passing_on: list[bool]) -> Callable[..., Any]:
        def handle_request(transport: Any, request: Any) -> Any:
            if (
                passing_on
                or not is_twilio_host(request.url.host)
                or _mocked(original, "handle_request", module)
                or socket_mock_answers(request.method, str(request.url))
            ):
                return original(transport, request)
            return _response(module, request, answer(*_wire(request, request.read())))

        return handle_request

    return make


def _async_handler(answer: Answer, module: ModuleType) -> PatchMaker:
    def make(original: Any, passing_on: list[bool]) -> Callable[..., Any]:
        async def handle_async_request(transport: Any, request: Any) -> Any:
            if (
                passing_on
                or not is_twilio_host(request.url.host)
                or _mocked(original, "handle_async_request", module)
                or socket_mock_answers(request.method, str(request.url))
            ):
                return await original(transport, request)
            body = await request.aread()
            return _response(module, request, answer(*_wire(request, body)))

        return handle_async_request

    return make

"""Answer the app's own aiohttp requests to Twilio's hosts with the fake API, in process.

Voice-AI servers (Pipecat's Twilio examples, LiveKit-style bots) place and hang up their
calls with an ``aiohttp.ClientSession`` of their own, at URLs they write themselves
(``https://api.twilio.com/2010-04-01/Accounts/{sid}/Calls.json``), and download recordings
the same way. On Twilio those work; the network guard would stop them. While a simulator
runs, ``TCPConnector._create_connection`` (where a connector, every ``ClientSession``'s
default included, opens a new connection) gives a request for a ``*.twilio.com`` host a
connection to the fake API in process instead of a socket: aiohttp writes its request
(method, URL, headers, ``BasicAuth``, form, JSON or multipart body, exactly as it would
put them on the wire) into it, the fake API answers, and aiohttp reads the answer as
HTTP/1.1 from it. Any other host is connected as before.

Why a connection and not a mock of ``ClientSession``: everything aiohttp does around the
socket still runs as it does against Twilio, so the app gets aiohttp's own
``ClientResponse`` (``raise_for_status``, ``json()``, ``content_type``, streaming,
decompression), and the session's own settings apply unchanged (``base_url``, default
headers, session ``auth``, ``raise_for_status=True``, trace configs, client middlewares,
the cookie jar, timeouts, connection limits). A patch of ``ClientSession._request`` that
builds the response as aiohttp's tests do (and as ``aioresponses`` does) must re-implement
each of those and replaces aiohttp's request building with its own guess, and it builds
``ClientResponse`` from its private constructor, which changes between aiohttp releases
(``aioresponses`` 0.7.9, the latest, fails on aiohttp 3.14: ``ClientResponse.__init__()
missing 1 required keyword-only argument: 'stream_writer'``), so it is no extra worth
adding. This seam asks of aiohttp only what every connector subclass implements (the
``_create_connection`` of ``BaseConnector``, the same since aiohttp 3.0) and
``ResponseHandler(loop)``, fed bytes through the ``asyncio.Transport`` interface. A test's
own mock of the session (``aioresponses``, vcrpy's aiohttp stubs: they patch
``ClientSession._request``) answers every request it would have had, Twilio's included,
whichever started first: it answers above the connector, and what it passes through
(``aioresponses(passthrough=[...])``) reaches the fake API.

A connection to the fake API is kept alive in the connector's pool like a real one while
the simulator that made it runs (a session's next request reuses it, as it would reuse
Twilio's; the innermost simulator running answers each request on it), and is closed when
that simulator stops, so that a session still open afterwards connects afresh (to whatever
answers Twilio's hosts then: another simulator's fake API, or the network). A connection
holds no simulation. A
session through a proxy reaches the fake API directly: the proxy is never asked, as no
proxy is asked for Twilio's hosts by the other in-process transports either. ``Expect:
100-continue`` is answered with ``100 Continue`` first, as a server would.

Nothing is imported until it is needed: aiohttp is patched when it is already loaded, and
otherwise the moment it is first imported while the simulator runs. Users who never use
aiohttp pay nothing, and nothing is added to the way of a webhook.
"""

from __future__ import annotations

import asyncio
import contextlib
import weakref
from collections.abc import Callable
from types import ModuleType
from typing import Any

from .bodies import answer_bytes
from .import_watch import WhenImported
from .method_patch import MethodPatches, PatchMaker
from .responses import Answer
from .stdlib_answers import is_twilio_host, phrase

__all__ = ["AIOHTTP_MODULE", "AiohttpInterceptor"]

AIOHTTP_MODULE = "aiohttp"

#: Headers of the fake API's answer that describe a body as sent: the body is sent whole.
_FRAMING = frozenset({"content-length", "transfer-encoding"})

#: The fake APIs of the simulators running now, innermost last: the innermost answers
#: every request, whichever simulator's connection it comes on (as with the other
#: clients, whose innermost patch answers).
_ANSWERING: list[Answer] = []


def _loaded(module: ModuleType) -> bool:
    """Whether aiohttp is whole (not the module object of an import still under way)."""
    return hasattr(module, "TCPConnector")


class AiohttpInterceptor:
    """Connects aiohttp's requests for Twilio's hosts to ``answer`` while started."""

    def __init__(self, answer: Answer) -> None:
        self._answer = answer
        self._patches = MethodPatches()
        self._when_imported = WhenImported(AIOHTTP_MODULE, ready=_loaded)
        #: The connections to the fake API made while started, closed when it stops (a list
        #: of weak references: a WeakSet would cost each simulator's start more than all
        #: the rest of this interceptor).
        self._opened: list[weakref.ref[_FakeApiTransport]] = []

    def start(self) -> None:
        """Patch aiohttp now if it is loaded, else when it is first imported."""
        _ANSWERING.append(self._answer)
        self._when_imported.start(self._patch)

    def stop(self) -> None:
        """Put aiohttp back, stop watching imports and close the connections left open."""
        self._when_imported.stop()
        self._patches.stop()
        with contextlib.suppress(ValueError):  # never started
            _ANSWERING.remove(self._answer)
        opened, self._opened = self._opened, []
        for reference in opened:
            transport = reference()
            if transport is not None:
                transport.close()

    def _patch(self, module: ModuleType) -> None:
        self._patches.start([(module.TCPConnector, "_create_connection", _connector(self._opened))])


def _connector(opened: list[weakref.ref[_FakeApiTransport]]) -> PatchMaker:
    def make(original: Any, passing_on: list[bool]) -> Callable[..., Any]:
        async def _create_connection(connector: Any, req: Any, traces: Any, timeout: Any) -> Any:
            if passing_on or not is_twilio_host(req.url.raw_host):
                return await original(connector, req, traces, timeout)
            from aiohttp.client_proto import ResponseHandler

            loop = asyncio.get_running_loop()
            protocol = ResponseHandler(loop)
            transport = _FakeApiTransport(protocol, str(req.url.origin()), loop)
            protocol.connection_made(transport)
            opened.append(weakref.ref(transport))
            return protocol

        return _create_connection

    return make


class _FakeApiTransport(asyncio.Transport):
    """A connection to the fake API: reads HTTP/1.1 requests as aiohttp writes them and
    has the innermost simulator's fake API answer each, as a server would over a socket.
    It holds no simulation (a session may keep it after its simulator is gone)."""

    def __init__(self, protocol: Any, origin: str, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__()
        self._protocol = protocol
        self._origin = origin
        self._loop = loop
        self._received = bytearray()
        self._continued = False
        self._closing = False

    # -- what aiohttp asks of a transport ---------------------------------------------------

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if self._closing:
            return
        self._received += data
        request = _complete_request(self._received)
        if request is None:
            if not self._continued and _expects_continue(self._received):
                self._continued = True
                self._loop.call_soon(self._deliver, b"HTTP/1.1 100 Continue\r\n\r\n")
            return
        size, method, target, headers, body = request
        del self._received[:size]
        self._continued = False
        self._loop.call_soon(self._respond, method, target, headers, body)

    def is_closing(self) -> bool:
        return self._closing

    def close(self) -> None:
        if self._closing:
            return
        self._closing = True
        # the simulator stops on its own thread, perhaps after the session's loop closed
        with contextlib.suppress(RuntimeError):  # a closed loop: nobody is left to tell
            self._loop.call_soon_threadsafe(self._protocol.connection_lost, None)

    def abort(self) -> None:
        self.close()

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return default

    def can_write_eof(self) -> bool:
        return False

    def get_write_buffer_size(self) -> int:
        return 0

    def set_write_buffer_limits(self, high: int | None = None, low: int | None = None) -> None:
        return None

    def is_reading(self) -> bool:
        return not self._closing

    def pause_reading(self) -> None:
        return None

    def resume_reading(self) -> None:
        return None

    # -- the fake API's side ----------------------------------------------------------------

    def _respond(self, method: str, target: str, headers: dict[str, str], body: bytes) -> None:
        if self._closing or not _ANSWERING:  # closed since (its simulator stopped)
            return
        answer = _ANSWERING[-1]
        url = target if target.startswith(("http://", "https://")) else self._origin + target
        try:
            status, pairs, streamed = answer(method, url, headers, body)
            content = answer_bytes(streamed)  # delivered whole, as every answer here
        except Exception as error:  # the request fails with it, rather than wait for ever
            self._protocol.set_exception(error)
            return
        head = [f"HTTP/1.1 {status} {phrase(status)}"]
        head += [f"{name}: {value}" for name, value in pairs if name.lower() not in _FRAMING]
        # the body is sent whole; a HEAD's answer tells the length of what GET would send
        length = next((v for n, v in pairs if n.lower() == "content-length"), len(content))
        head.append(f"Content-Length: {length if method == 'HEAD' else len(content)}")
        payload = content if method != "HEAD" else b""
        self._deliver("\r\n".join(head).encode("utf-8") + b"\r\n\r\n" + payload)

    def _deliver(self, data: bytes) -> None:
        if not self._closing:
            self._protocol.data_received(data)


def _expects_continue(received: bytearray) -> bool:
    end = received.find(b"\r\n\r\n")
    return end >= 0 and b"\r\nexpect: 100-continue" in bytes(received[:end]).lower()


def _complete_request(
    received: bytearray,
) -> tuple[int, str, str, dict[str, str], bytes] | None:
    """The first request in ``received`` once all of it is there: its size in bytes, method,
    target, headers and body (a chunked body joined); None while more is to come."""
    end = received.find(b"\r\n\r\n")
    if end < 0:
        return None
    lines = bytes(received[:end]).decode("latin-1").split("\r\n")
    method, target, _version = lines[0].split(" ", 2)
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip()] = value.strip()
    lowered = {name.lower(): value for name, value in headers.items()}
    start = end + 4
    if "chunked" in lowered.get("transfer-encoding", "").lower():
        chunked = _dechunk(received, start)
        if chunked is None:
            return None
        size, body = chunked
        return size, method, target, headers, body
    length = int(lowered.get("content-length", "0") or 0)
    if len(received) < start + length:
        return None
    return start + length, method, target, headers, bytes(received[start : start + length])


def _dechunk(received: bytearray, at: int) -> tuple[int, bytes] | None:
    """A chunked body from ``at``: where it ends and its bytes joined, once all of it is
    there (trailers are read and left out)."""
    body = bytearray()
    while True:
        line_end = received.find(b"\r\n", at)
        if line_end < 0:
            return None
        size = int(bytes(received[at:line_end]).split(b";", 1)[0] or b"0", 16)
        at = line_end + 2
        if size == 0:
            trailers_end = received.find(b"\r\n", at)
            while trailers_end > at:  # a trailer line
                at = trailers_end + 2
                trailers_end = received.find(b"\r\n", at)
            return (trailers_end + 2, bytes(body)) if trailers_end >= 0 else None
        if len(received) < at + size + 2:
            return None
        body += received[at : at + size]
        at += size + 2

"""Answer the app's own requests to Twilio's hosts made with urllib or urllib3.

The twilio client sends through ``requests``, which ``responses`` intercepts. An app may
also reach Twilio on its own: a webhook that downloads its ``RecordingUrl`` with
``urllib.request.urlretrieve`` or a ``urllib3.PoolManager``, a function that calls the
REST API with ``urllib.request`` to carry no dependency. On Twilio those work; without
this module the network guard stops them (``NetworkEscapeError``), so such an app could
not be tested. While a simulator runs, those requests for a ``*.twilio.com`` host are
answered by the fake API in process, with the method, URL, headers and body the library
would have sent:

- ``urllib.request``: the ``http_open`` and ``https_open`` of its ``HTTPHandler`` and
  ``HTTPSHandler`` classes, which every opener uses (``urlopen``, ``urlretrieve``,
  ``build_opener``). The answer is the ``addinfourl`` urllib makes of a response, so its
  processors run as usual: a status of 400 or more raises ``HTTPError``.
- ``urllib3``: ``HTTPConnectionPool.urlopen`` (what ``PoolManager`` and a pool's own
  ``request`` use) returns an ``HTTPResponse`` of the answer, read as urllib3 reads one
  (``preload_content``, ``decode_content``). ``requests`` never gets there for a Twilio
  URL while a simulator runs (``responses`` answers it first); a vcrpy cassette in use
  (set on the pool's connection class) is left to answer what it recorded.

Either way, a request mocket or httpretty has a registration for is left to it
(``socket_mocks``).

Requests for any other host go on as before. httpx and aiohttp have their own modules
(``httpx_answers``, ``aiohttp_answers``); anything else (``http.client``, a raw socket)
still meets the guard.
"""

from __future__ import annotations

import http.client
import io
import urllib.request
import urllib.response
from collections.abc import Callable
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

import urllib3
import urllib3.connectionpool

# urllib3 1.26 (which celery[pytest] pins) exports it from here only; 2.x from here too
from urllib3._collections import HTTPHeaderDict

from .bodies import answer_stream, body_bytes
from .guard import TWILIO_HOST
from .method_patch import MethodPatches, PatchMaker
from .responses import Answer
from .socket_mocks import socket_mock_answers

__all__ = ["StdlibInterceptor", "is_twilio_host", "phrase"]


class StdlibInterceptor:
    """Routes urllib's and urllib3's requests for Twilio's hosts to ``answer``."""

    def __init__(self, answer: Answer) -> None:
        self._answer = answer
        self._patches = MethodPatches()

    def start(self) -> None:
        """Patch urllib's handlers and urllib3's pool."""
        answer = self._answer
        self._patches.start(
            [
                (urllib.request.HTTPHandler, "http_open", _urllib_open(answer)),
                (urllib.request.HTTPSHandler, "https_open", _urllib_open(answer)),
                (urllib3.connectionpool.HTTPConnectionPool, "urlopen", _urllib3_urlopen(answer)),
            ]
        )

    def stop(self) -> None:
        """Put back what was patched."""
        self._patches.stop()


def is_twilio_host(host: str | None) -> bool:
    """Whether ``host`` (a name, perhaps with its port) is one of Twilio's."""
    return bool(host) and bool(TWILIO_HOST.match(str(host).rsplit(":", 1)[0].strip("[]")))


def phrase(status: int) -> str:
    """The reason phrase of an HTTP status, or empty for a code HTTP does not name."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _urllib_open(answer: Answer) -> PatchMaker:
    return lambda original, passing_on: _urllib_opener(original, answer, passing_on)


def _urllib_opener(original: Any, answer: Answer, passing_on: list[bool]) -> Callable[..., Any]:
    def opened(handler: Any, request: urllib.request.Request) -> Any:
        url = request.get_full_url()
        # the URL's own host: through a proxy, request.host is the proxy's
        if (
            passing_on
            or not is_twilio_host(urlsplit(url).hostname)
            or socket_mock_answers(request.get_method(), url)
        ):
            return original(handler, request)
        # header_items() holds the unredirected ones too (Authorization, Content-Type)
        headers = {name.title(): value for name, value in request.header_items()}
        status, answer_headers, content = answer(
            request.get_method(), url, headers, body_bytes(request.data)
        )
        head = "".join(f"{name}: {value}\r\n" for name, value in answer_headers)
        message = http.client.parse_headers(io.BytesIO(f"{head}\r\n".encode("latin-1")))
        response = urllib.response.addinfourl(answer_stream(content), message, url, status)
        response.msg = phrase(status)  # type: ignore[attr-defined]  # as do_open sets it
        return response

    return opened


def _urllib3_urlopen(answer: Answer) -> PatchMaker:
    return lambda original, passing_on: _urllib3_opener(original, answer, passing_on)


def _urllib3_opener(original: Any, answer: Answer, passing_on: list[bool]) -> Callable[..., Any]:
    def urlopen(
        pool: Any, method: str, url: str, body: object = None, headers: Any = None, **kw: Any
    ) -> Any:
        # an absolute URL (sent through a proxy) names its host; else the pool's
        host = urlsplit(url).hostname if urlsplit(url).scheme else pool.host
        if (
            passing_on
            or not is_twilio_host(host)
            or getattr(pool.ConnectionCls, "cassette", None) is not None  # vcrpy's
        ):
            return original(pool, method, url, body, headers, **kw)
        full_url = url
        if not urlsplit(url).scheme:
            default = 443 if pool.scheme == "https" else 80
            port = f":{pool.port}" if pool.port not in (None, default) else ""
            full_url = f"{pool.scheme}://{pool.host}{port}{url}"
        if socket_mock_answers(method.upper(), full_url):
            return original(pool, method, url, body, headers, **kw)
        sent = dict(pool.headers if headers is None else headers)
        status, answer_headers, content = answer(method.upper(), full_url, sent, body_bytes(body))
        return urllib3.HTTPResponse(
            body=answer_stream(content),
            headers=HTTPHeaderDict(answer_headers),
            status=status,
            reason=phrase(status),
            preload_content=kw.get("preload_content", True),
            decode_content=kw.get("decode_content", True),
            request_method=method.upper(),
            request_url=full_url,
        )

    return urlopen

"""Calling a WSGI app in process: its environ built directly, its answer read.

``build_environ`` makes, key for key, the environ werkzeug's ``EnvironBuilder`` makes (at a
fraction of its cost); ``run_app`` and ``run_app_unbuffered`` call the app as werkzeug's
``run_wsgi_app`` does, refusing what a WSGI server refuses (headers that are no pairs of
str, a body that is no iterable of bytes) with the 11200 Twilio would log for its 500.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from io import BytesIO
from itertools import chain
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from werkzeug.test import EnvironBuilder

from twimlsim.arguments import describe, shown

from .base import WebhookDeliveryError

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

__all__ = ["build_environ", "call_wsgi", "run_app", "run_app_unbuffered"]

#: The environ keys that depend only on a URL's scheme, host and path, in werkzeug's order.
_URL_KEYS = (
    "SCRIPT_NAME",
    "PATH_INFO",
    "REQUEST_URI",
    "RAW_URI",
    "SERVER_NAME",
    "SERVER_PORT",
    "HTTP_HOST",
    "SERVER_PROTOCOL",
    "wsgi.version",
    "wsgi.url_scheme",
)
_FORM = "application/x-www-form-urlencoded"


@functools.lru_cache(maxsize=512)
def _url_environ(scheme: str, netloc: str, path: str) -> tuple[tuple[str, Any], ...]:
    """What werkzeug's ``EnvironBuilder`` makes of a URL without its query (the same
    code, run once per distinct URL: webhook URLs repeat)."""
    # base_url carries scheme and host: without it werkzeug serves "http://localhost"
    base_url = f"{scheme}://{netloc}" if netloc else None
    # werkzeug's builder reads a path starting with "//" as a host and a path (PATH_INFO
    # "/Accounts/..." for "//2010-04-01/Accounts/..."); servers (gunicorn, uvicorn) pass the
    # path on as sent, so the slashes beyond the first are added back
    doubled = len(path) - len(path.lstrip("/")) - 1 if path.startswith("//") else 0
    builder = EnvironBuilder(path=path[doubled:] or "/", base_url=base_url)
    try:
        environ = builder.get_environ()
    finally:
        builder.close()
    if doubled:
        for key in ("PATH_INFO", "REQUEST_URI", "RAW_URI"):
            environ[key] = "/" * doubled + environ[key]
    return tuple((key, environ[key]) for key in _URL_KEYS)


@functools.lru_cache(maxsize=256)
def _environ_name(header: str) -> str | None:
    """The environ key of a request header; None for the two werkzeug moves out of
    the headers (``Content-Type``, ``Content-Length``)."""
    if header.lower() in ("content-type", "content-length"):
        return None
    return f"HTTP_{header.upper().replace('-', '_')}"


def build_environ(
    method: str, url: str, headers: Mapping[str, str], body: bytes | None
) -> dict[str, Any]:
    """The WSGI environ of a request, key for key what werkzeug's ``EnvironBuilder`` gives
    for ``EnvironBuilder(path, base_url, query_string, method, headers, data=body)``,
    built directly (werkzeug's builder costs tens of microseconds a request)."""
    parts = urlsplit(url)
    url_keys = _url_environ(parts.scheme, parts.netloc, parts.path)
    content_type: str | None = None
    combined: dict[str, str] = {}
    for key, raw in headers.items():
        value = raw if type(raw) is str else str(raw)
        if "\n" in value or "\r" in value:  # werkzeug's Headers refuses them the same way
            raise ValueError("Header values must not contain newline characters.")
        name = _environ_name(key)
        if name is None:
            if content_type is None and key.lower() == "content-type":
                content_type = value
        elif name in combined:
            combined[name] = f"{combined[name]}, {value}"
        else:
            combined[name] = value
    if body:
        stream = BytesIO(body)
        content_length: int | None = len(body)
    elif content_type is not None and content_type.partition(";")[0].strip() == _FORM:
        stream, content_length = BytesIO(b""), 0
    else:  # a Content-Length header the request had is dropped, as werkzeug drops it
        stream, content_length = BytesIO(), None
    environ: dict[str, Any] = {"REQUEST_METHOD": method}
    environ.update(url_keys[:2])
    environ["QUERY_STRING"] = parts.query.encode().decode("latin1")
    environ.update(url_keys[2:])
    environ["wsgi.input"] = stream
    environ["wsgi.errors"] = sys.stderr
    environ["wsgi.multithread"] = False
    environ["wsgi.multiprocess"] = False
    environ["wsgi.run_once"] = False
    if content_type is not None:
        environ["CONTENT_TYPE"] = content_type
    if content_length is not None:
        environ["CONTENT_LENGTH"] = str(content_length)
    environ.update(combined)
    return environ


def run_app(
    app: WSGIApplication, environ: dict[str, Any]
) -> tuple[list[bytes], str, list[tuple[str, str]]]:
    """Call a WSGI app and read its whole answer, as werkzeug's ``run_wsgi_app(...,
    buffered=True)`` does: the body as a list, the app's ``close()`` called."""
    response: list[Any] = []

    def start_response(status: str, headers: Any, exc_info: Any = None) -> Any:
        if exc_info:
            try:
                raise exc_info[1].with_traceback(exc_info[2])
            finally:
                exc_info = None
        response[:] = [status, headers]
        return written.append

    # what the app passes to write() is dropped, as run_wsgi_app(buffered=True) drops it
    written: list[bytes] = []
    app_rv = app(environ, start_response)
    close = getattr(app_rv, "close", None)
    try:
        chunks = list(app_rv)
    finally:
        if close is not None:
            close()
    status, raw_headers = response
    return chunks, status, _header_list(raw_headers)


def _header_list(raw_headers: Any) -> list[tuple[str, str]]:
    """The app's headers as (name, text) pairs, refused as werkzeug's ``Headers`` refuses
    them (a value with a newline)."""
    headers = []
    try:
        for key, value in raw_headers:
            if not isinstance(key, str) or isinstance(value, bytes):
                raise _header_in_bytes(raw_headers, key, value)
            text = value if isinstance(value, str) else str(value)
            if "\n" in text or "\r" in text:  # as werkzeug's Headers refuses them
                raise ValueError("Header values must not contain newline characters.")
            pair = (key, text)
            # one copy of each pair kept (up to a bound): answers repeat their headers
            shared = _shared_pairs.setdefault(pair, pair) if len(_shared_pairs) < 4096 else pair
            headers.append(shared)
    except (TypeError, ValueError):
        if not _are_pairs(raw_headers):  # None, a dict (its names), a str, a triple
            raise _not_header_pairs(raw_headers) from None
        raise
    return headers


def _are_pairs(raw_headers: object) -> bool:
    """Whether ``raw_headers`` is what WSGI passes: a list of (name, value) pairs."""
    return (
        isinstance(raw_headers, Iterable)
        and not isinstance(raw_headers, str | bytes | Mapping)
        and all(isinstance(pair, tuple | list) and len(pair) == 2 for pair in raw_headers)
    )


def _header_in_bytes(raw_headers: object, key: object, value: object) -> WebhookDeliveryError:
    """The 11200 of a header name or value in bytes (read as ``str()`` it would be a header
    no one asked for), or of a name that is no text at all."""
    if not isinstance(key, bytes | str):
        return _not_header_pairs(raw_headers)
    return WebhookDeliveryError(
        11200,
        f"the app passed start_response() the header {(key, value)!r}, with "
        f"{key if isinstance(key, bytes) else value!r} in bytes: WSGI headers are str "
        "(a WSGI server answers it with HTTP 500); write ('Content-Type', 'text/xml')",
    )


def _not_header_pairs(raw_headers: object) -> WebhookDeliveryError:
    """The 11200 of headers that are no list of (name, value) pairs (a dict, None), which a
    WSGI server (werkzeug's, gunicorn's) answers with a 500."""
    return WebhookDeliveryError(
        11200,
        f"the app passed start_response() the headers {shown(raw_headers)} "
        f"({type(raw_headers).__name__}), not a list of (name, value) pairs of str (a WSGI "
        "server answers it with HTTP 500); write [('Content-Type', 'text/xml')]",
    )


def run_app_unbuffered(
    app: WSGIApplication, environ: dict[str, Any]
) -> tuple[Iterator[bytes], str, list[tuple[str, str]], Callable[[], Any] | None]:
    """Call a WSGI app as werkzeug's ``run_wsgi_app(..., buffered=False)`` does: the body
    is read only until the app has started its answer; the rest is left to the caller,
    who calls the returned ``close`` (the app's, or None) when done."""
    response: tuple[str, Any] | None = None
    buffer: list[bytes] = []

    def start_response(status: str, headers: Any, exc_info: Any = None) -> Any:
        nonlocal response
        if exc_info:  # an error page in place of the answer: the app's error, told as such
            try:
                raise exc_info[1].with_traceback(exc_info[2])
            finally:
                exc_info = None
        if response is not None:  # as a WSGI server refuses it (PEP 3333)
            raise AssertionError(
                f"start_response() was called again (with {status!r}) after "
                f"{response[0]!r} without exc_info: a WSGI server refuses it as Headers "
                "already set (PEP 3333); call it once"
            )
        response = (status, headers)
        return buffer.append

    app_rv = app(environ, start_response)
    returned: object = app_rv  # typed an iterable of bytes, which an app may not keep to
    if isinstance(returned, bytes | bytearray | str):
        raise _body_not_in_a_list(returned)
    close = getattr(app_rv, "close", None)
    try:
        try:
            chunks: Iterator[bytes] = iter(app_rv)  # closed even when this fails (PEP 3333)
        except TypeError:  # None (a forgotten return), a number: no body to iterate
            if hasattr(returned, "__iter__") or hasattr(returned, "__getitem__"):
                raise  # the app's own __iter__ failed
            raise _no_body(returned) from None
        for item in chunks:
            buffer.append(item)
            if response is not None:
                break
        if buffer:
            chunks = chain(buffer, chunks)
        if response is None:
            name = getattr(app, "__qualname__", type(app).__qualname__)
            raise TypeError(
                f"the WSGI app {name} returned without calling start_response; a WSGI app "
                "calls start_response(status, headers) before its body ends (PEP 3333)"
            )
        status, raw_headers = response
        return chunks, status, _header_list(raw_headers), close
    except BaseException:
        if close is not None:
            close()
        raise


def _no_body(returned: object) -> WebhookDeliveryError:
    """The 11200 of an app that returned no iterable at all (None, a number)."""
    return WebhookDeliveryError(
        11200,
        f"the app returned {describe(returned)}, not an iterable of "
        "bytes (a WSGI server answers it with HTTP 500); return the body in a list: "
        "[body.encode()] for a str, [body] for bytes",
    )


def _body_not_in_a_list(body: bytes | bytearray | str) -> WebhookDeliveryError:
    """The 11200 of an app that returned its body itself (``return b"<Response/>"``), which
    a WSGI server iterates piece by piece, ints or characters, and answers with a 500."""
    quoted = repr(body if len(body) <= 40 else body[:37]) + ("..." if len(body) > 40 else "")
    pieces = "one-character strs" if isinstance(body, str) else "ints"
    return WebhookDeliveryError(
        11200,
        f"the app returned its body itself, {quoted} ({type(body).__name__}), not an "
        f"iterable of bytes: a WSGI server iterates it as {pieces} and answers HTTP 500; "
        "return it in a list of bytes ([body.encode()] for a str, [body] for bytes)",
    )


#: Answers repeat the same headers (``Content-Type: text/xml``...): the request log keeps
#: one copy of each (up to a bound).
_shared_pairs: dict[tuple[str, str], tuple[str, str]] = {}


def call_wsgi(
    app: WSGIApplication,
    method: str,
    url: str,
    headers: Mapping[str, str],
    body: bytes | None,
) -> tuple[int, list[tuple[str, str]], bytes]:
    """Run one request through a WSGI app; return status, headers and the whole body."""
    environ = build_environ(method, url, headers, body)
    app_iter, status, response_headers = run_app(app, environ)
    content = b"".join(app_iter)
    return int(status.split(" ", 1)[0]), response_headers, content

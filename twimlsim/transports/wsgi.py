"""Deliver webhooks to WSGI apps in process, without a socket, by base URL."""

from __future__ import annotations

import functools
import logging
import os
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from io import BytesIO
from itertools import chain
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from werkzeug.test import EnvironBuilder

from twimlsim.arguments import describe, shown

from .answer import read_answer
from .base import WEBHOOK_PEER, WebhookDeliveryError, WebhookRequest, WebhookResponse
from .django_connections import django_connections_kept
from .mount import mounted
from .outside_loop import OutsideTheLoop
from .timing import after_answer, read_deadline, wall_seconds
from .unrouted import unrouted_message, unusable

_log = logging.getLogger("twimlsim.wsgi")

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

__all__ = ["WSGITransport", "build_environ", "call_wsgi", "run_app", "run_app_unbuffered"]

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
            headers.append(_shared_pairs.setdefault(pair, pair) if _has_room() else pair)
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


def _has_room() -> bool:
    return len(_shared_pairs) < 4096


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


def as_served(environ: dict[str, Any]) -> None:
    """Give a webhook's environ what a server (werkzeug's, gunicorn, uWSGI) adds to
    ``build_environ``'s test environ: the peer's address and port (Flask's
    ``request.remote_addr``, Django's ``REMOTE_ADDR``, an ASGI scope's ``client``) and the
    request target as sent, query included, in ``REQUEST_URI`` and ``RAW_URI``."""
    environ["REMOTE_ADDR"], environ["REMOTE_PORT"] = WEBHOOK_PEER
    query = environ["QUERY_STRING"]
    if query:
        environ["REQUEST_URI"] = environ["RAW_URI"] = f"{environ['RAW_URI']}?{query}"


#: Bytes past the answer read to let the app finish (an answer's end, not a stream).
_DRAIN_LIMIT = 65536


_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}


def _matching(routes: list[tuple[str, WSGIApplication]], url: str) -> WSGIApplication | None:
    """The app of the longest base in ``routes`` that ``url`` is under, or None; a
    scheme's default port, written or not, is the same server."""
    for base, app in routes:
        if url == base or url.startswith((base + "/", base + "?")):
            return app
    bare = _without_default_port(url)
    return _matching(routes, bare) if bare != url else None


def _without_default_port(url: str) -> str:
    """``url`` without its scheme's default port (``:443`` for https, ``:80`` for http)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:  # not a URL with a usable port: matched as it is
        return url
    if port is None or _DEFAULT_PORTS.get(parts.scheme) != port:
        return url
    host = parts.netloc.rpartition(":")[0]
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


def _drain(chunks: Iterator[bytes], limit: int) -> None:
    """Read what is left of an answer, up to ``limit`` bytes (an empty piece counts as
    one) and no later than the read deadline: the answer is complete, a stream is not
    waited for."""
    deadline = read_deadline()
    for chunk in chunks:
        limit -= len(chunk) or 1
        if limit <= 0 or (deadline is not None and wall_seconds() > deadline):
            return


class _Caught:
    """The first exception logged during one delivery (compared by identity)."""

    __slots__ = ("error",)

    def __init__(self) -> None:
        self.error: BaseException | None = None


class _LoggedErrors(logging.Handler):
    """Keeps the first exception logged while the app answers: Flask, Django and the ASGI
    adapter log the exception behind a 500 rather than raise it.

    One handler serves every delivery (building a handler costs a lock and a weak
    reference): it sits on the root logger only while some app is answering, and gives
    each exception logged to every delivery under way that has none yet."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self._open: list[_Caught] = []
        self._guard = threading.Lock()

    def begin(self) -> _Caught:
        """Start catching for one delivery: where its exception will land."""
        slot = _Caught()
        with self._guard:
            self._open.append(slot)
            if len(self._open) == 1:
                logging.getLogger().addHandler(self)
        return slot

    def end(self, slot: _Caught) -> None:
        """Stop catching for the delivery of ``slot``."""
        with self._guard:
            self._open.remove(slot)
            if not self._open:
                logging.getLogger().removeHandler(self)

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.exc_info[1] is not None:
            for slot in self._open:
                if slot.error is None:
                    slot.error = record.exc_info[1]


_LOGGED_ERRORS = _LoggedErrors()


class WSGITransport:
    """Routes each webhook to the WSGI app mounted on the longest matching base URL."""

    def __init__(self) -> None:
        self._routes: list[tuple[str, WSGIApplication]] = []
        #: Routes of ``ws://`` and ``wss://`` base URLs: an ASGI app's WebSocket routes
        #: alone (webhooks to that host go to its ``https://`` route).
        self._socket_routes: list[tuple[str, WSGIApplication]] = []

    def mount(self, base_url: str, app: WSGIApplication, *, behind_proxy: bool = False) -> None:
        """Serve every URL under ``base_url`` (scheme, host, optional path) by ``app``; a
        path is the app's mount point (``SCRIPT_NAME``, see ``transports/mount.py``);
        ``behind_proxy`` puts the app behind a TLS-terminating proxy (``BehindProxy``).
        A ``ws://`` or ``wss://`` base serves WebSockets only (``socket_app_for``)."""
        parts = urlsplit(base_url)
        if parts.scheme not in {"http", "https", "ws", "wss"} or not parts.netloc:
            raise ValueError(
                f"a route needs an absolute http(s) or ws(s) base URL such as 'https://app.test', "
                f"got {base_url!r}"
            )
        base = _without_default_port(base_url).rstrip("/")
        sockets = parts.scheme in {"ws", "wss"}
        routes = [
            (b, a) for b, a in (self._socket_routes if sockets else self._routes) if b != base
        ]
        # a path prefix is the app's SCRIPT_NAME, as DispatcherMiddleware mounts it
        routes.append((base, mounted(parts.path, app, behind_proxy=behind_proxy)))
        routes.sort(key=lambda route: len(route[0]), reverse=True)
        if sockets:
            self._socket_routes = routes
        else:
            self._routes = routes

    def socket_app_for(self, url: str) -> WSGIApplication | None:
        """The app a ``ws://`` or ``wss://`` route serves ``url`` (a WebSocket URL) by, or
        None (the ``https://`` route of its host then serves it, if any)."""
        return _matching(self._socket_routes, url)

    @property
    def bases(self) -> list[str]:
        """The base URLs with an app, longest first."""
        return [base for base, _ in self._routes]

    def app_for(self, url: str) -> WSGIApplication | None:
        """The app serving ``url``, or None. A scheme's default port, written or not, is
        the same server (``https://host:443/x`` is ``https://host/x``)."""
        return _matching(self._routes, url)

    def send(self, request: WebhookRequest) -> WebhookResponse:
        """Call the app for ``request.url``; an exception in the app becomes 11200."""
        app = self.app_for(request.url)
        if app is None:
            reason = unusable(request.url)
            if reason is not None:
                raise WebhookDeliveryError(11100, reason)
            raise WebhookDeliveryError(11205, unrouted_message(request.url, self.bases))
        try:
            environ = build_environ(request.method, request.url, request.headers, request.body)
            as_served(environ)
        except UnicodeError:  # werkzeug IDNA-encodes the host: a label over 63 characters...
            raise WebhookDeliveryError(
                11100,
                f"{request.url} is not a usable URL: its host is no DNS name (a label empty or "
                "longer than 63 characters)",
            ) from None
        logged = _LOGGED_ERRORS.begin()
        try:
            # as Django's test client; and off an async test's running loop, as a server
            with django_connections_kept(), OutsideTheLoop():
                # unbuffered: the body is read only as far as Twilio would read it
                chunks, status, headers, close = run_app_unbuffered(app, environ)
                answer = None
                try:
                    answer = read_answer(request.url, headers, chunks)
                    if not answer.truncated:
                        # let the app finish: an ASGI app raises (and logs) after its answer
                        _drain(chunks, _DRAIN_LIMIT)
                finally:
                    if close is not None:
                        closing = wall_seconds()
                        try:
                            close()  # after the answer: Twilio does not wait for it
                        except Exception:  # the answer, or the failure to read it, stands
                            _closing_failed(request.url, answered=answer is not None)
                        after_answer(wall_seconds() - closing)
        except WebhookDeliveryError:
            raise
        except Exception as exc:
            error = WebhookDeliveryError(
                11200,
                f"the app raised {type(exc).__name__}: {exc} (Twilio sees HTTP 500)"
                + _settings_hint(exc),
            )
            error.__cause__ = exc
            raise error from exc
        except (SystemExit, GeneratorExit) as exc:
            # not an Exception: a WSGI server lets it end the thread or worker answering,
            # and the client's connection closes unanswered (as HTTPTransport reports it)
            if isinstance(exc, SystemExit):
                raised, instead = f"SystemExit({exc.code!r})", "return an error response"
                instead += " instead of exiting"
            else:
                raised, instead = "GeneratorExit", "raise an Exception, or return an error response"
            error = WebhookDeliveryError(
                11205,
                f"the app raised {raised} while answering: a WSGI server (werkzeug's, "
                "gunicorn's) ends the thread or worker answering the request, so Twilio's "
                f"connection closed without an answer; {instead}",
            )
            raise error from exc
        finally:
            _LOGGED_ERRORS.end(logged)
        code = _status_code(status)
        return WebhookResponse(
            status=code,
            headers=tuple(answer.headers),
            # no body follows a 204 or 304 on the wire (RFC 9110): an HTTP client, Twilio's
            # or twimlsim's over HTTP, reads none, whatever the app wrote after it
            body=b"" if code == 204 or code == 304 else answer.body,
            app_error=logged.error if not 200 <= code < 300 else None,
        )


def _closing_failed(url: str, *, answered: bool) -> None:
    """The app's ``close()`` raised. After its whole answer was read, a WSGI server has sent
    the answer and only logs the error (werkzeug's, gunicorn's): the call goes on with the
    answer, as on Twilio. When the answer itself failed, that failure is the one reported.
    Either way the error is logged here, to ``twimlsim.wsgi``."""
    if answered:
        message = (
            "the app's answer to %s was sent, then its close() raised: a WSGI server logs it "
            "and Twilio still has the answer, so the call went on with it"
        )
    else:
        message = "the app's answer to %s failed, and then its close() raised too"
    _log.warning(message, url, exc_info=True)


def _status_code(status: object) -> int:
    """The code of a WSGI status line; one that is not ``"NNN reason"`` is what a WSGI
    server answers with a 500 for, so Twilio sees a retrieval failure (11200)."""
    if not isinstance(status, str):
        raise WebhookDeliveryError(
            11200,
            f"the app passed start_response() the status {status!r} ({type(status).__name__}), "
            "not a WSGI status line (a str such as '200 OK'; a WSGI server answers it with "
            "HTTP 500)",
        )
    head = status.split(" ", 1)[0]
    if len(head) != 3 or not head.isascii() or not head.isdigit():
        raise WebhookDeliveryError(
            11200,
            f"the app passed start_response() the status {status!r}, not a WSGI status "
            "line such as '200 OK' (a WSGI server answers it with HTTP 500)",
        )
    return int(head)


def _settings_hint(exc: Exception) -> str:
    """Why Django has no setting it needs for every request (ROOT_URLCONF): its settings
    module is not the project's. A sample's wsgi.py may set DJANGO_SETTINGS_MODULE to the
    package whose ``__init__`` is empty (``project.settings``) while manage.py names
    ``project.settings.local``; "" for any other exception."""
    if not (isinstance(exc, AttributeError) and "'Settings' object has no attribute" in str(exc)):
        return ""
    module = os.environ.get("DJANGO_SETTINGS_MODULE", "")
    return (
        f"; Django's settings module, DJANGO_SETTINGS_MODULE={module!r}, does not have it: "
        "it names a module without the project's settings (a settings package's empty "
        "__init__, as a wsgi.py's os.environ.setdefault may name); set "
        "DJANGO_SETTINGS_MODULE to the module manage.py uses before the app is loaded"
    )

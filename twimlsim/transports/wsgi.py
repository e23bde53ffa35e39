"""Deliver webhooks to WSGI apps in process, without a socket, by base URL."""

from __future__ import annotations

import logging
import os
import sys
import threading
from asyncio.events import _get_running_loop as _running_loop
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from twimlsim.arguments import raised_text

from . import overdue
from .answer import Answer, read_answer
from .base import WEBHOOK_PEER, WebhookDeliveryError, WebhookRequest, WebhookResponse
from .django_connections import django_connections_kept
from .mount import mounted
from .outside_loop import OutsideTheLoop
from .timing import read_deadline, swap_read_deadline, too_late, wall_seconds
from .unrouted import unrouted_message, unusable
from .wsgi_calls import build_environ, call_wsgi, run_app, run_app_unbuffered

_log = logging.getLogger("twimlsim.wsgi")

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

__all__ = ["WSGITransport", "build_environ", "call_wsgi", "run_app", "run_app_unbuffered"]


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


_Factory = Callable[..., logging.LogRecord]


class _LoggedErrors:
    """Keeps the first exception logged while the app answers: Flask, Django and the ASGI
    adapter log the exception behind a 500 rather than raise it.

    It watches the log records made, not the ones handled: while some app is answering,
    its factory is logging's record factory (``logging.setLogRecordFactory``), wrapping
    the one in place, and gives each exception logged to every delivery under way that has
    none yet. Not a handler on the root logger: logging hands a record no handler takes to
    its last resort (standard error, in a program with no logging set up), and Flask and
    werkzeug add their own default handler only where none is found; a handler of ours
    there while the first request runs changed both, for the rest of the process. One
    object serves every delivery."""

    def __init__(self) -> None:
        self._open: list[_Caught] = []
        self._guard = threading.Lock()
        #: The factory installed for the deliveries under way, and the one it wraps.
        self._installed: tuple[_Factory, _Factory] | None = None

    def begin(self) -> _Caught:
        """Start catching for one delivery: where its exception will land."""
        slot = _Caught()
        with self._guard:
            self._open.append(slot)
            if len(self._open) == 1:
                outer = logging.getLogRecordFactory()
                factory = self._wrapping(outer)
                self._installed = (factory, outer)
                logging.setLogRecordFactory(factory)
        return slot

    def end(self, slot: _Caught) -> None:
        """Stop catching for the delivery of ``slot``."""
        with self._guard:
            self._open.remove(slot)
            if self._open or self._installed is None:
                return
            factory, outer = self._installed
            self._installed = None
            # one the app (or a library) set meanwhile stays: ours, inside it, then
            # catches nothing, as no delivery is open
            if logging.getLogRecordFactory() is factory:
                logging.setLogRecordFactory(outer)

    def _wrapping(self, outer: _Factory) -> _Factory:
        """A factory making its records with ``outer``. A new one each time: one left
        inside a factory the app set stays in that chain, and the next delivery's wraps
        the app's; one shared factory with a settable inner one would call itself through
        the app's without end (RecursionError at every record)."""
        open_slots = self._open

        def make(*args: Any, **kwargs: Any) -> logging.LogRecord:
            record = outer(*args, **kwargs)
            if (
                record.levelno >= logging.ERROR
                and record.exc_info
                and record.exc_info[1] is not None
            ):
                for slot in open_slots:
                    if slot.error is None:
                        slot.error = record.exc_info[1]
            return record

        return make


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
        return self.send_within(request, None, wall_seconds)

    def send_within(
        self, request: WebhookRequest, limit: float | None, clock: Callable[[], float]
    ) -> WebhookResponse:
        """``send``, failing with 11200 when the answer took more than ``limit`` seconds of
        ``clock`` (``WallTimeLimit``'s check, made here in one step with the delivery:
        every webhook of a run takes this way, and each layer costs it a little). The
        app's work after its answer was complete (its ``close()``) does not count: Twilio
        does not wait for it."""
        url = request.url
        app = _matching(self._routes, url)
        if app is None:
            reason = unusable(url)
            if reason is not None:
                raise WebhookDeliveryError(11100, reason)
            raise WebhookDeliveryError(11205, unrouted_message(url, self.bases))
        started = clock() if limit is not None else 0.0
        outer_deadline = swap_read_deadline(started + limit if limit is not None else None)
        watch = limit is not None and clock is wall_seconds
        watched = None
        if watch and limit is not None:
            watched = overdue.answering(url, limit, started + limit)
        after_answer = 0.0
        try:
            try:
                environ = build_environ(request.method, url, request.headers, request.body)
            except UnicodeError:  # werkzeug IDNA-encodes the host: a label over 63 characters
                raise WebhookDeliveryError(
                    11100,
                    f"{url} is not a usable URL: its host is no DNS name (a label empty or "
                    "longer than 63 characters)",
                ) from None
            # what a server adds to the test environ: the peer, and the target as sent
            environ["REMOTE_ADDR"], environ["REMOTE_PORT"] = WEBHOOK_PEER
            query = environ["QUERY_STRING"]
            if query:
                environ["REQUEST_URI"] = environ["RAW_URI"] = f"{environ['RAW_URI']}?{query}"
            logged = _LOGGED_ERRORS.begin()
            try:
                if "django.db" in sys.modules or _running_loop() is not None:
                    # as Django's test client; off an async test's running loop, as a server
                    with django_connections_kept(), OutsideTheLoop():
                        status, answer, after_answer = _answered(app, environ, url, clock)
                else:
                    status, answer, after_answer = _answered(app, environ, url, clock)
            except WebhookDeliveryError:
                raise
            except Exception as exc:
                if getattr(exc, "read_timeout_ran_out", False):  # an ASGI app's answer cut
                    raise WebhookDeliveryError(11200, str(exc), read_timeout=limit) from None
                error = WebhookDeliveryError(
                    11200,
                    f"the app raised {raised_text(exc)} (Twilio sees HTTP 500)"
                    + _settings_hint(exc),
                )
                error.__cause__ = exc
                raise error from exc
            except (SystemExit, GeneratorExit) as exc:
                raise _ended_the_worker(exc) from exc
            finally:
                _LOGGED_ERRORS.end(logged)
        finally:
            swap_read_deadline(outer_deadline)
            if watch:
                overdue.answered(watched)
        if limit is not None:
            elapsed = clock() - started - after_answer
            if elapsed > limit:
                raise too_late(url, elapsed, limit)
        code = _status_code(status)
        return WebhookResponse(
            status=code,
            headers=tuple(answer.headers),
            # no body follows a 204 or 304 on the wire (RFC 9110): an HTTP client, Twilio's
            # or twimlsim's over HTTP, reads none, whatever the app wrote after it
            body=b"" if code == 204 or code == 304 else answer.body,
            app_error=logged.error if not 200 <= code < 300 else None,
        )


def _answered(
    app: WSGIApplication, environ: dict[str, Any], url: str, clock: Callable[[], float]
) -> tuple[str, Answer, float]:
    """The app's status line and answer, read as Twilio reads it (unbuffered: the body only
    as far as Twilio would read it), and the seconds of ``clock`` its ``close()`` took."""
    chunks, status, headers, close = run_app_unbuffered(app, environ)
    answer = None
    spent = 0.0
    try:
        answer = read_answer(url, headers, chunks)
        if not answer.truncated:
            # let the app finish: an ASGI app raises (and logs) after its answer
            _drain(chunks, _DRAIN_LIMIT)
    finally:
        if close is not None:
            closing = clock()
            try:
                close()  # after the answer: Twilio does not wait for it
            except Exception:  # the answer, or the failure to read it, stands
                _closing_failed(url, answered=answer is not None)
            spent = clock() - closing
    return status, answer, spent


def _ended_the_worker(exc: SystemExit | GeneratorExit) -> WebhookDeliveryError:
    """The 11205 of an app that raised what is not an ``Exception``: a WSGI server lets it
    end the thread or worker answering, and the client's connection closes unanswered (as
    ``HTTPTransport`` reports it)."""
    if isinstance(exc, SystemExit):
        raised, instead = f"SystemExit({exc.code!r})", "return an error response"
        instead += " instead of exiting"
    else:
        raised, instead = "GeneratorExit", "raise an Exception, or return an error response"
    return WebhookDeliveryError(
        11205,
        f"the app raised {raised} while answering: a WSGI server (werkzeug's, "
        "gunicorn's) ends the thread or worker answering the request, so Twilio's "
        f"connection closed without an answer; {instead}",
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

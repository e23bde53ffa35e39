"""Deliver webhooks to WSGI apps in process, without a socket, by base URL."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from werkzeug.test import EnvironBuilder, run_wsgi_app

from .answer import read_answer
from .base import WebhookDeliveryError, WebhookRequest, WebhookResponse
from .mount import mounted

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication, WSGIEnvironment

__all__ = ["WSGITransport", "call_wsgi"]


def call_wsgi(
    app: WSGIApplication,
    method: str,
    url: str,
    headers: Mapping[str, str],
    body: bytes | None,
) -> tuple[int, list[tuple[str, str]], bytes]:
    """Run one request through a WSGI app; return status, headers and the whole body."""
    environ = _environ(method, url, headers, body)
    # buffered: werkzeug reads the whole body into a list and calls the app's close()
    app_iter, status, response_headers = run_wsgi_app(app, environ, buffered=True)
    content = b"".join(app_iter)
    return int(status.split(" ", 1)[0]), response_headers.to_wsgi_list(), content


def _environ(
    method: str, url: str, headers: Mapping[str, str], body: bytes | None
) -> WSGIEnvironment:
    # base_url carries scheme and host: without it werkzeug serves "http://localhost"
    parts = urlsplit(url)
    builder = EnvironBuilder(
        path=parts.path or "/",
        base_url=f"{parts.scheme}://{parts.netloc}" if parts.netloc else None,
        query_string=parts.query,
        method=method,
        headers=list(headers.items()),
        data=body or b"",
    )
    try:
        return builder.get_environ()
    finally:
        builder.close()


#: Bytes past the answer read to let the app finish (an answer's end, not a stream).
_DRAIN_LIMIT = 65536


def _drain(chunks: Iterator[bytes], limit: int) -> None:
    """Read what is left of an answer, up to ``limit`` bytes."""
    for chunk in chunks:
        limit -= len(chunk)
        if limit <= 0:
            return


class _LoggedErrors(logging.Handler):
    """Keeps the first exception logged while the app answers: Flask, Django and the ASGI
    adapter log the exception behind a 500 rather than raise it."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.error: BaseException | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if self.error is None and record.exc_info and record.exc_info[1] is not None:
            self.error = record.exc_info[1]


class WSGITransport:
    """Routes each webhook to the WSGI app mounted on the longest matching base URL."""

    def __init__(self) -> None:
        self._routes: list[tuple[str, WSGIApplication]] = []

    def mount(self, base_url: str, app: WSGIApplication) -> None:
        """Serve every URL under ``base_url`` (scheme, host, optional path) by ``app``; a
        path is the app's mount point (``SCRIPT_NAME``, see ``transports/mount.py``)."""
        parts = urlsplit(base_url)
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise ValueError(
                f"a route needs an absolute http(s) base URL such as 'https://app.test', "
                f"got {base_url!r}"
            )
        base = base_url.rstrip("/")
        self._routes = [(b, a) for b, a in self._routes if b != base]
        # a path prefix is the app's SCRIPT_NAME, as DispatcherMiddleware mounts it
        self._routes.append((base, mounted(parts.path, app)))
        self._routes.sort(key=lambda route: len(route[0]), reverse=True)

    @property
    def bases(self) -> list[str]:
        """The base URLs with an app, longest first."""
        return [base for base, _ in self._routes]

    def app_for(self, url: str) -> WSGIApplication | None:
        """The app serving ``url``, or None."""
        for base, app in self._routes:
            if url == base or url.startswith((base + "/", base + "?")):
                return app
        return None

    def send(self, request: WebhookRequest) -> WebhookResponse:
        """Call the app for ``request.url``; an exception in the app becomes 11200."""
        app = self.app_for(request.url)
        if app is None:
            routed = ", ".join(self.bases) or "none"
            raise WebhookDeliveryError(
                11205,
                f"no app is routed for {request.url} (routed: {routed}); "
                "call sim.route(base_url, wsgi_app) for it",
            )
        environ = _environ(request.method, request.url, request.headers, request.body)
        logged = _LoggedErrors()
        root = logging.getLogger()
        root.addHandler(logged)
        try:
            # unbuffered: the body is read only as far as Twilio would read it
            app_iter, status, headers = run_wsgi_app(app, environ, buffered=False)
            chunks = iter(app_iter)
            try:
                answer = read_answer(request.url, headers.to_wsgi_list(), chunks)
                if not answer.truncated:
                    # let the app finish: an ASGI app raises (and logs) after its answer
                    _drain(chunks, _DRAIN_LIMIT)
            finally:
                close = getattr(app_iter, "close", None)
                if close is not None:
                    close()
        except WebhookDeliveryError:
            raise
        except Exception as exc:
            error = WebhookDeliveryError(
                11200, f"the app raised {type(exc).__name__}: {exc} (Twilio sees HTTP 500)"
            )
            error.__cause__ = exc
            raise error from exc
        finally:
            root.removeHandler(logged)
        code = int(status.split(" ", 1)[0])
        return WebhookResponse(
            status=code,
            headers=tuple(answer.headers),
            body=answer.body,
            app_error=logged.error if not 200 <= code < 300 else None,
        )

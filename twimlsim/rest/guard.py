"""The gate in front of the fake REST API: bounded request bodies and JSON for every failure.

``RequestGuard`` wraps any WSGI app (the REST API in process, ``twimlsim serve``'s whole
server) so that

- a request body larger than ``MAX_REQUEST_BYTES`` is refused with 413 in Twilio's error
  shape before any of it is parsed (Twilio's own limit is undocumented; its largest form
  fields, ``Twiml`` and the URLs, are 4,000 characters, so 1 MiB refuses nothing real);
- any exception escaping the app becomes Twilio's 20500 JSON body (HTTP 500) and is kept
  in ``internal_errors``, so no request ever gets werkzeug's HTML error page and the next
  request is answered as usual.

Fidelity choice (the reference has no Twilio code for an oversized body): 413 with code
20413, following Twilio's pattern of ``20`` + the HTTP status (20403, 20404, 20429, 20500).
"""

from __future__ import annotations

import io
import logging
import sys
from collections import deque
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from twimlsim.errors import TwilioApiError
from twimlsim.integers import SATURATED, saturated_int
from twimlsim.transports.bodies import AnswerBody
from twimlsim.transports.wsgi import build_environ, call_wsgi, run_app

from .render import error_response, internal_error

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment
    from werkzeug.wrappers import Request

__all__ = ["MAX_REQUEST_BYTES", "TOO_LARGE", "RequestGuard", "whole_form"]

#: The largest request body the fake API reads (1 MiB).
MAX_REQUEST_BYTES = 1 << 20
#: The code of a 413 answer (see the module's fidelity note).
TOO_LARGE = 20413
#: How many unexpected exceptions ``internal_errors`` keeps (the latest ones).
_KEPT_ERRORS = 100

_log = logging.getLogger("twimlsim.rest")


def whole_form(request: Request) -> Request:
    """``request`` with werkzeug's own bounds on a multipart form lifted (1,000 parts, 500
    kB of fields): the guard bounds the whole body already, and a multipart form of many
    fields is read as a urlencoded one of as many is. werkzeug's ``RequestEntityTooLarge``
    was answered as a 20500 failure of twimlsim."""
    request.max_form_parts = MAX_REQUEST_BYTES  # each part takes more than a byte
    request.max_form_memory_size = MAX_REQUEST_BYTES
    return request


class RequestGuard:
    """WSGI middleware: 413 for oversized bodies, Twilio's 20500 JSON for any exception."""

    def __init__(self, app: WSGIApplication, *, max_body: int = MAX_REQUEST_BYTES) -> None:
        self.app = app
        self.max_body = max_body
        #: The latest unexpected exceptions turned into 20500 answers: bugs of twimlsim.
        self.internal_errors: deque[BaseException] = deque(maxlen=_KEPT_ERRORS)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        started: list[bool] = []

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            started.append(True)
            return start_response(status, headers, exc_info)

        try:
            refusal = self._bound_body(environ)
            if refusal is not None:
                refused = error_response(refusal)
                log_refused = getattr(self.app, "log_refused", None)
                if log_refused is not None:  # the app's request log keeps it too
                    log_refused(environ, refused)
                return refused(environ, _closing(start_response))
            return self.app(environ, start)
        except Exception as exc:  # last resort: whatever failed, the answer is Twilio's JSON
            error = self._internal_error(
                exc, environ.get("REQUEST_METHOD", "?"), environ.get("PATH_INFO", "?")
            )
            again = _after_error(start_response) if started else start_response
            return error_response(error)(environ, again)

    def answer(
        self, method: str, url: str, headers: Mapping[str, str], body: bytes | None
    ) -> tuple[int, list[tuple[str, str]], AnswerBody]:
        """The guarded answer to a request given by its parts (the in-process way in): the
        app's own ``answer`` (``RestApi.answer``) when it has one and the body is within
        the bound, else the WSGI way; the same status, headers and body either way."""
        own = getattr(self.app, "answer", None)
        if own is None or (body is not None and len(body) > self.max_body):
            return call_wsgi(self, method, url, headers, body)
        try:
            answer: tuple[int, list[tuple[str, str]], AnswerBody] = own(method, url, headers, body)
        except Exception as exc:  # last resort, as in __call__
            environ = build_environ(method, url, headers, body)
            error = self._internal_error(exc, method, environ["PATH_INFO"])
            chunks, status, pairs = run_app(error_response(error), environ)
            return int(status.split(" ", 1)[0]), pairs, b"".join(chunks)
        return answer

    def _internal_error(self, exc: Exception, method: str, path: str) -> TwilioApiError:
        """Record and log a failure of the simulator itself; Twilio's 20500 to answer with.
        Called from an ``except`` block (the log carries its traceback)."""
        self.internal_errors.append(exc)
        _log.exception("twimlsim failed on %s %s", method, path)
        return internal_error(exc, method, path)

    def _bound_body(self, environ: WSGIEnvironment) -> TwilioApiError | None:
        """Refuse a body over the limit; read a chunked one (no Content-Length) into memory
        up to the limit so that the app never reads more."""
        declared = environ.get("CONTENT_LENGTH") or ""
        if declared.strip().isdigit():
            length = saturated_int(declared)
            if length <= self.max_body:
                return None
            # beyond 18 digits the length is saturated: give the one the client wrote
            digits = len(declared.strip().lstrip("+0"))
            size = f"{length:,}" if length < SATURATED else f"a {digits:,}-digit number of"
            return self._too_large(f"{size} bytes")
        if declared.strip():
            return TwilioApiError(
                400,
                20400,
                f"Bad Request: Content-Length {declared!r} is not a number of bytes; send the "
                "body's length in bytes, or a chunked body without Content-Length",
            )
        if environ.get("wsgi.input_terminated"):
            try:
                body = environ["wsgi.input"].read(self.max_body + 1)
            except (OSError, ValueError) as exc:  # werkzeug: "Invalid chunk header"
                return TwilioApiError(
                    400,
                    20400,
                    f"Bad Request: the chunked request body cannot be read ({exc}); send "
                    "each chunk as its size in hexadecimal, CRLF, the bytes, CRLF, and end "
                    "with a chunk of size 0",
                )
            if len(body) > self.max_body:
                return self._too_large(f"more than {self.max_body:,} bytes")
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
        return None

    def _too_large(self, size: str) -> TwilioApiError:
        return TwilioApiError(
            413,
            TOO_LARGE,
            f"Request Entity Too Large: the request body is {size}; the API accepts at "
            f"most {self.max_body:,} bytes. Send the parameters as a form of ordinary size.",
        )


def _closing(start_response: StartResponse) -> StartResponse:
    """Answer with ``Connection: close``: the unread body must not be taken for the next
    request on a kept-alive connection."""

    def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        return start_response(status, [*headers, ("Connection", "close")])

    return start


def _after_error(start_response: StartResponse) -> StartResponse:
    """Start the error answer, replacing headers the failed app may have started (PEP 3333)."""

    def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        return start_response(status, headers, sys.exc_info())

    return start

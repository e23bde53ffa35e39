"""Answer twilio-python's requests in ``requests.Session.send``, when nothing else would see it.

The twilio client sends every request through a ``requests`` session; the simulator's
``responses`` mock answers them from inside requests' adapter. On the way, requests and
``responses`` build two urllib3 responses, match routes, read the body as a stream, copy
cookies twice and look for a redirect: more than half of what a ``calls.create`` costs in
a test, for answers that have no cookies, no redirect, no encoding and no stream.

While a simulator runs, ``Session.send`` answers a request of twilio-python (its
``User-Agent``) for a Twilio host directly, with the very answer the ``responses`` route
gives (the same fake API, behind the same guard), as the ``requests.Response`` requests
would have built for it: the same status, reason, headers (``responses``' default
``Content-Type`` included), body, encoding, URL, request and elapsed time. Only when
nothing else is in the way, checked on every request; otherwise the request takes the
usual way through requests' adapter and ``responses``:

- ``Session.send`` was requests' own when the simulator started (not a test's mock, not a
  tracing library's wrapper);
- the session's adapter for the URL is a plain ``HTTPAdapter`` (not a subclass of the
  app's, not a test's ``requests_mock`` adapter) whose retries are not asked to retry on
  a status;
- the request has no response hooks and is not streamed (``stream=True`` on the call or
  the session: its reader expects the urllib3 response in ``raw``);
- the innermost simulator's ``responses`` mock is the one patched into requests (no
  mock started since), and neither a registration of a test's own mock nor a vcrpy
  cassette answers the request (``TwilioInterceptor.answer_alone``).

What differs is invisible to the twilio client, which reads a response's status, text
and headers: the response's ``raw`` is None (there is no urllib3 response to read; the
body is already read, as requests reads it when not streaming), and twimlsim's own
``responses`` mock does not list the request in its ``calls`` (the simulator keeps its
own log). The fake API sets no cookie and sends no redirect, so the session's cookie jar
and the redirect handling have nothing to do either way. A request not made by
twilio-python (an app's own ``requests.post`` to Twilio's API) always takes the usual way.
"""

from __future__ import annotations

import http.client
from collections.abc import Callable
from datetime import timedelta
from time import perf_counter
from typing import TYPE_CHECKING, Any

import requests
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers

# urllib3 1.26 (which celery[pytest] pins) exports it from here only; 2.x from here too
from urllib3._collections import HTTPHeaderDict

from .bodies import AnswerBody, answer_bytes
from .session_methods import TWILIO_PYTHON, SessionMethodSwap

if TYPE_CHECKING:
    from .responses import TwilioInterceptor

__all__ = ["DirectAnswers"]

_Send = Callable[..., requests.Response]


class DirectAnswers(SessionMethodSwap):
    """Puts the direct answer in place of ``requests.Session.send`` while any simulator
    runs (the first to start puts it there, the last to stop takes it away).

    ``running`` is the interceptors running now, innermost last: the list
    ``transports/responses.py`` keeps (and changes) for its own hand-over."""

    def __init__(self, running: list[TwilioInterceptor]) -> None:
        super().__init__("send", running)

    def replacement(self, original: _Send) -> _Send:
        """The direct answer, around requests' own ``send``."""
        running = self._running

        def send(session: requests.Session, request: Any, **kwargs: Any) -> requests.Response:
            try:
                innermost = running[-1]
            except IndexError:  # no simulator runs (a stopped one's send, left in a mock)
                return original(session, request, **kwargs)
            if (
                type(request) is not requests.PreparedRequest
                or not request.headers.get("User-Agent", "").startswith(TWILIO_PYTHON)
                or request.hooks.get("response")
                or kwargs.get("stream", session.stream)
            ):
                return original(session, request, **kwargs)
            adapter = session.get_adapter(url=str(request.url))
            if type(adapter) is not HTTPAdapter or adapter.max_retries.status_forcelist:
                return original(session, request, **kwargs)
            start = perf_counter()
            answer = innermost.answer_alone(request)
            if answer is None:
                return original(session, request, **kwargs)
            response = _response(request, adapter, *answer)
            response.elapsed = timedelta(seconds=perf_counter() - start)
            return response

        return send


def _response(
    request: requests.PreparedRequest,
    adapter: HTTPAdapter,
    status: int,
    headers: dict[str, str],
    body: AnswerBody,
) -> requests.Response:
    """The ``requests.Response`` requests builds for the ``responses`` route's answer."""
    response = requests.Response()
    response.status_code = status
    # responses' CallbackResponse: its default Content-Type unless the answer has one
    merged = HTTPHeaderDict()
    if "Content-Type" not in headers:
        merged["Content-Type"] = "text/plain"
    merged.extend(headers)
    response.headers = CaseInsensitiveDict(merged)
    response.encoding = get_encoding_from_headers(response.headers)
    response.reason = http.client.responses.get(status)  # type: ignore[assignment]
    response.url = request.url  # type: ignore[assignment]
    response.request = request
    response.connection = adapter
    response._content = answer_bytes(body)  # not streamed: requests reads it whole anyway
    response._content_consumed = True  # type: ignore[attr-defined]
    return response

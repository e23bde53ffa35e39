"""Mount the fake REST API into ``responses`` so the unmodified twilio client reaches it.

Every ``*.twilio.com`` URL is answered by the fake API (hosts it does not simulate get a
Twilio-shaped 404); every other URL passes through to the network untouched.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import responses
from requests import PreparedRequest

from .wsgi import call_wsgi

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

__all__ = ["TWILIO_URL", "TwilioInterceptor"]

#: Any URL on a Twilio host, including edge/region hosts such as api.dublin.us1.twilio.com.
TWILIO_URL = re.compile(r"^https?://([a-z0-9-]+\.)*twilio\.com(:\d+)?(/|$)", re.IGNORECASE)
_NOT_TWILIO = re.compile(r"^(?!https?://([a-z0-9-]+\.)*twilio\.com(:\d+)?(/|$))", re.IGNORECASE)
_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")


class TwilioInterceptor:
    """Answers requests to Twilio's hosts with a WSGI app, through a ``RequestsMock``."""

    def __init__(self, app: WSGIApplication) -> None:
        self.app = app
        self.mock = responses.RequestsMock(assert_all_requests_are_fired=False)
        self._routes: list[responses.BaseResponse] = []

    def start(self) -> None:
        """Begin intercepting (patches requests' adapter, like ``responses.start()``)."""
        self._routes = [
            self.mock.add_callback(method, TWILIO_URL, callback=self._answer) for method in _METHODS
        ]
        self.mock.add_passthru(_NOT_TWILIO)
        self.mock.start()

    def stop(self) -> None:
        """Stop intercepting."""
        self.mock.stop()
        self.mock.reset()

    def _answer(self, request: PreparedRequest) -> tuple[int, dict[str, str], bytes]:
        # responses logs every request and response it answers (``mock.calls`` and each
        # route's ``calls``); the simulator keeps its own log, so only the latest exchange
        # is kept, which keeps memory flat however many requests a test makes.
        self.mock.calls.reset()
        for route in self._routes:
            route.calls.reset()
        body = request.body
        if isinstance(body, str):
            body = body.encode("utf-8")
        status, headers, content = call_wsgi(
            self.app, request.method or "GET", request.url or "", dict(request.headers), body
        )
        return status, dict(headers), content

"""The Calls resource: create and fetch."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from werkzeug.wrappers import Response

from twimlsim.engine.engine import NewCall
from twimlsim.errors import TwilioApiError

from .render import json_response, not_found
from .serialize import call_json

if TYPE_CHECKING:
    from .app import Context

__all__ = ["create", "fetch"]

_STATUS_CALLBACK_EVENTS = frozenset({"initiated", "ringing", "answered", "completed"})
_METHODS = frozenset({"GET", "POST"})


def _valid_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in {"http", "https"} and bool(parts.netloc)


def create(ctx: Context, args: dict[str, str]) -> Response:
    """``POST /Calls.json``: accept a call; it waits ``queued`` for its slot."""
    form = ctx.request.form
    to = form.get("To", "")
    from_ = form.get("From", "")
    url = form.get("Url")
    twiml = form.get("Twiml")
    if not to:
        raise TwilioApiError(400, 21201, "No 'To' number is specified")
    if not from_:
        raise TwilioApiError(400, 21213, "No 'From' number is specified")
    if url is None and twiml is None and form.get("ApplicationSid") is None:
        raise TwilioApiError(
            400,
            21205,
            "Url parameter is required. For more information, see "
            "http://www.twilio.com/docs/api/twiml",
        )
    if url is not None and not _valid_url(url):
        raise TwilioApiError(400, 21205, f"Url is not a valid URL: {url}")
    method = form.get("Method", "POST").upper()
    events = _status_callback_events(form.getlist("StatusCallbackEvent"))
    new = NewCall(
        to=to,
        from_=from_,
        url=url,
        method=method,
        twiml=twiml if url is None else None,
        fallback_url=form.get("FallbackUrl"),
        fallback_method=form.get("FallbackMethod", "POST").upper(),
        status_callback=form.get("StatusCallback"),
        status_callback_method=form.get("StatusCallbackMethod", "POST").upper(),
        status_callback_events=events,
        timeout=int(form.get("Timeout", "60")),
        time_limit=int(form.get("TimeLimit", "14400")),
    )
    call = ctx.engine.create_call(ctx.account, new)
    return json_response(call_json(call.record), 201)


def _status_callback_events(values: list[str]) -> frozenset[str]:
    events = {event for value in values for event in value.split()}
    if not events:
        return frozenset({"completed"})
    unknown = events - _STATUS_CALLBACK_EVENTS
    if unknown:
        raise TwilioApiError(
            400,
            21626,
            "One or more of the StatusCallbackEvents provided were invalid: "
            + ", ".join(sorted(unknown)),
        )
    return frozenset(events)


def fetch(ctx: Context, args: dict[str, str]) -> Response:
    """``GET /Calls/{Sid}.json``: the call as it is now."""
    call = ctx.account.calls.get(args["call_sid"])
    if call is None:
        raise not_found(ctx.request.path)
    return json_response(call_json(call), 200)

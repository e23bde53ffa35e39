"""The Events subresource of a call: ``GET /Calls/{CallSid}/Events.json``.

Twilio's Call Event resource "shows all the requests Twilio sent to your application and
how your application responded for a specific call": each event is a ``request`` (``url``,
``method``, ``parameters`` with snake_case keys, as its page says) and a ``response``
(``date_created``, ``request_duration``, ``response_code``, ``content_type``,
``response_body``), paged in Twilio's list envelope under ``events``. The spec's example
event is the REST create of the call, so the app's requests that act on the call are
events too.

Fidelity choices where the page is silent:

- The events are the call's webhooks (voice URL, actions, fallbacks, status and recording
  callbacks, in the order sent) and the app's REST requests that act on it (``POST`` and
  ``DELETE`` about the call: its create, updates, recordings, streams...; reads are
  not events), merged by time, a REST request first at one instant. Each is listed at
  once, while the call is live too (Twilio's page says the resource can be read 15
  minutes after the call ends; a simulation's test reads it as soon as the call ends).
- A REST request's ``parameters`` are those sent, plus ``account_sid`` (as the spec's
  example has); a parameter sent more than once (``StatusCallbackEvent``) is a list.
- ``request_duration`` is the milliseconds of virtual time the request took: ``0``, as
  every webhook and REST answer takes no virtual time. A webhook that got no answer (the
  app could not be reached) has ``response`` null.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from werkzeug.wrappers import Response

from .paging import list_response
from .render import found
from .serialize import date

if TYPE_CHECKING:
    from twimlsim.engine.session import SimCall
    from twimlsim.engine.webhooks import WebhookRequest
    from twimlsim.model.api_log import ApiRequest

    from .app import Context

__all__ = ["list_events", "snake_case"]

_WORD_START = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
#: The REST methods that act on a call (a ``GET`` only reads it).
_ACTING = frozenset({"POST", "DELETE"})


def snake_case(name: str) -> str:
    """A parameter name as the Events resource writes it: ``CallSid`` -> ``call_sid``,
    ``AddOns`` -> ``add_ons``, ``msg`` -> ``msg`` (lower case, words split by ``_``)."""
    return _WORD_START.sub("_", name).replace(".", "_").lower()


@dataclass(frozen=True, slots=True)
class _Event:
    """One event, with the position-based SID its page token names."""

    sid: str
    at: datetime
    json: dict[str, object]


def list_events(ctx: Context, args: dict[str, str]) -> Response:
    """``GET /Calls/{CallSid}/Events.json``: the call's requests and answers, oldest first."""
    record = found(ctx.account.calls, args["call_sid"], ctx.request.path)
    call = ctx.engine.calls.get(record.sid)
    events = _events(call) if call is not None else []
    return list_response(
        ctx,
        events,
        f"Calls/{record.sid}/Events.json",
        key="events",
        render=lambda event: event.json,
    )


def _events(call: SimCall) -> list[_Event]:
    timed: list[tuple[datetime, int, int, dict[str, object]]] = []
    for position, sent in enumerate(call.api_requests):
        if sent.method in _ACTING:
            timed.append((sent.at, 0, position, _api_event(sent)))
    for position, request in enumerate(call.requests):
        timed.append((request.at, 1, position, _webhook_event(request)))
    timed.sort(key=lambda item: item[:3])
    return [_Event(f"EV{index:032x}", at, event) for index, (at, _, _, event) in enumerate(timed)]


def _webhook_event(request: WebhookRequest) -> dict[str, object]:
    answer = request.response
    response: dict[str, object] | None = None
    if answer is not None:
        response = {
            "date_created": date(request.at),
            "request_duration": 0,
            "response_code": answer.status,
            "content_type": answer.content_type,
            "response_body": answer.text,
        }
    return {
        "request": {
            "method": request.method,
            "url": request.url,
            "parameters": {snake_case(name): value for name, value in request.params.items()},
        },
        "response": response,
    }


def _api_event(sent: ApiRequest) -> dict[str, object]:
    parameters: dict[str, object] = {}
    for name, value in sent.pairs:
        key = snake_case(name)
        earlier = parameters.get(key)
        if earlier is None:
            parameters[key] = value
        elif isinstance(earlier, list):
            earlier.append(value)
        else:
            parameters[key] = [earlier, value]
    account_sid = _account_sid(sent.url)
    if account_sid is not None:
        parameters.setdefault("account_sid", account_sid)
    return {
        "request": {"method": sent.method, "url": sent.url, "parameters": parameters},
        "response": {
            "date_created": date(sent.at),
            "request_duration": 0,
            "response_code": sent.status,
            "content_type": "application/json" if sent.body else None,
            "response_body": sent.body.decode("utf-8", "replace"),
        },
    }


_ACCOUNT_IN_URL = re.compile(r"/Accounts/(AC[0-9a-fA-F]{32})/")


def _account_sid(url: str) -> str | None:
    match = _ACCOUNT_IN_URL.search(url)
    return match.group(1) if match is not None else None

"""Simulated calls as JSON-ready values: the shapes ``twimlsim serve``'s control API returns
and ``twimlsim call --json`` prints.

The names are the Python API's (``SimCall.transcript``, ``SimCall.requests``,
``WebhookRequest.params``...), so a test written in another language reads what a Python
test reads. Times are ISO 8601 in UTC; ``from_`` is spelt ``from``; a transcript event
carries its class name as ``type``; tuples become lists.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

from .engine.conferences import SimConference
from .engine.events import Event
from .engine.process import Waiting
from .engine.session import SimCall
from .engine.webhooks import WebhookRequest, WebhookResponse
from .errors import CallFailure
from .model.api_log import REBUILT, ApiRequest, Template

__all__ = [
    "api_request_json",
    "call_json",
    "call_summary_json",
    "event_json",
    "failure_json",
    "request_json",
    "waiting_json",
]


def _time(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _plain(value: object) -> object:
    """A dataclass field's value as JSON: datetimes as ISO text, tuples as lists."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    return value


def event_json(event: Event) -> dict[str, object]:
    """A transcript event: ``{"type": "Said", "at": ..., "text": ..., ...}``."""
    shown: dict[str, object] = {"type": type(event).__name__}
    for field in dataclasses.fields(event):
        shown[field.name] = _plain(getattr(event, field.name))
    return shown


def _response_json(response: WebhookResponse | None) -> dict[str, object] | None:
    if response is None:
        return None
    return {
        "status": response.status,
        "headers": [[name, value] for name, value in response.headers],
        "body": response.text,
    }


def request_json(request: WebhookRequest) -> dict[str, object]:
    """A webhook request as the app received it, with the app's ``response`` (None when
    the app never answered)."""
    return {
        "method": request.method,
        "url": request.url,
        "params": dict(request.params),
        "headers": dict(request.headers),
        "kind": request.kind,
        "call_sid": request.call_sid,
        "at": request.at.isoformat(),
        "response": _response_json(request.response),
    }


def api_request_json(request: ApiRequest) -> dict[str, object]:
    """A request the app made to the fake REST API, with the API's answer (``status``, and
    ``body`` as text; recording media's as a note of its length)."""
    return {
        "method": request.method,
        "url": request.url,
        "params": dict(request.params),
        "pairs": [[name, value] for name, value in request.pairs],
        "kind": request.kind,
        "call_sid": request.call_sid,
        "at": request.at.isoformat(),
        "status": request.status,
        "body": _body_text(request),
    }


def _body_text(request: ApiRequest) -> str:
    """The answer's body as text; recording media (kept as ``REBUILT``: megabytes of audio,
    no text) as a note of its length instead."""
    reference = request.dictionary
    if request.packed_body == REBUILT and not isinstance(reference, bytes | Template):
        return f"({reference.size:,} bytes of recording media, not shown as text)"
    return request.body.decode("utf-8", "replace")


def waiting_json(waiting: Waiting | None) -> dict[str, object] | None:
    """What a call waits for from the far end (``SimCall.waiting_for``), or None."""
    if waiting is None:
        return None
    return {
        "verb": waiting.verb,
        "input": list(waiting.input),
        "timeout": waiting.timeout,
        "prompting": waiting.prompting,
    }


def call_summary_json(call: SimCall) -> dict[str, object]:
    """A call's own facts, without its transcript and requests."""
    record = call.record
    return {
        "sid": call.sid,
        "status": call.status,
        "direction": record.direction.value,
        "from": record.from_,
        "to": record.to,
        "duration": call.duration,
        "answered_by": record.answered_by,
        "start_time": _time(record.start_time),
        "end_time": _time(record.end_time),
        "parent_call_sid": record.parent_call_sid,
        "children": [child.sid for child in call.children],
        "recordings": [recording.sid for recording in call.recordings],
        "said": call.said,
        "waiting_for": waiting_json(call.waiting_for),
    }


def call_json(call: SimCall) -> dict[str, Any]:
    """Everything about a call: its facts, ``transcript``, ``requests`` (webhooks) and
    ``api_requests`` (the app's REST requests about it)."""
    shown: dict[str, Any] = call_summary_json(call)
    shown["transcript"] = [event_json(event) for event in call.transcript]
    shown["requests"] = [request_json(request) for request in call.requests]
    shown["api_requests"] = [api_request_json(request) for request in call.api_requests]
    return shown


def conference_json(room: SimConference) -> dict[str, object]:
    """A conference room: ``sid``, ``friendly_name``, ``status`` and ``requests``, its
    status callbacks (sent about the room, not logged on any call)."""
    return {
        "sid": room.sid,
        "friendly_name": room.friendly_name,
        "status": room.status,
        "requests": [request_json(request) for request in room.requests],
    }


def failure_json(failure: CallFailure) -> dict[str, object]:
    """A problem Twilio's debugger would log; ``text`` is how twimlsim prints it."""
    return {
        "call_sid": failure.call_sid,
        "code": failure.code,
        "message": failure.message,
        "url": failure.url,
        "element": failure.element,
        "line": failure.line,
        "text": str(failure),
    }

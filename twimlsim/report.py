"""Plain-text reports of simulated calls: the transcript and the webhooks, for people."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from .engine import events
from .engine.session import SimCall

__all__ = ["format_call", "transcript_line"]


def _describe(event: events.Event) -> str:
    match event:
        case events.Answered():
            return "answered"
        case events.Said(text=text, loop=loop):
            return f"said {text!r}" + (f" x{loop}" if loop != 1 else "")
        case events.Paused(seconds=seconds):
            return f"paused {seconds}s"
        case events.Redirected(url=url, method=method):
            return f"redirected to {method} {url}"
        case events.WebhookFailed(url=url, code=code, message=message):
            return f"webhook failed ({code}) {url}: {message}"
        case events.HungUp(by=by, status=status):
            return f"hung up by {by}: {status}"
    # Every other event: its name and the fields it carries.
    details = ", ".join(
        f"{field.name}={getattr(event, field.name)!r}"
        for field in dataclasses.fields(event)
        if field.name != "at"
    )
    return f"{type(event).__name__.lower()} {details}".rstrip()


def transcript_line(event: events.Event) -> str:
    """One transcript event as ``format_call`` prints it: ``  09:00:03  said 'Hi'``."""
    return f"  {event.at:%H:%M:%S}  {_describe(event)}"


#: Parameters every request about a call carries; the report shows only the others.
_COMMON = frozenset(
    {"AccountSid", "ApiVersion", "CallSid", "Called", "Caller", "Direction", "From", "To"}
    | {
        f"{side}{part}"
        for side in ("From", "To", "Called", "Caller")
        for part in ("City", "State", "Zip", "Country")
    }
)


def format_call(call: SimCall, *, params: bool = True) -> str:
    """A readable account of one call: what the far end heard, then every webhook with the
    parameters that are particular to it (the identity and geo ones are left out)."""
    record = call.record
    lines = [
        f"Call {call.sid} {record.direction.value} {record.from_} -> {record.to}: "
        f"{call.status}, {call.duration if call.duration is not None else '-'}s",
        "",
        "Transcript:",
    ]
    lines += [f"  {event.at:%H:%M:%S}  {_describe(event)}" for event in call.transcript]
    lines += ["", f"Webhooks ({len(call.requests)}):"]
    for request in call.requests:
        status = request.response.status if request.response is not None else "no answer"
        lines.append(
            f"  {request.at:%H:%M:%S}  {request.kind:<9} {request.method} {request.url} -> {status}"
        )
        if params:
            lines += _params(request.params.items())
    return "\n".join(lines)


def _params(items: Iterable[tuple[str, str]]) -> list[str]:
    shown = [f"{name}={value}" for name, value in items if name not in _COMMON]
    return [f"      {', '.join(shown)}"] if shown else []

"""Answering machine detection's result, told as Twilio tells it.

Asynchronously (``AsyncAmd`` on a create, a ``<Number amdStatusCallback>``, a
participant's ``MachineDetection``), the call goes on at once and ``AnsweredBy`` is known
``AMD_SECONDS`` after the answer, when the status callback gets it. Synchronously, the
call waits ``AMD_SECONDS`` before its TwiML is requested, with ``AnsweredBy`` and
``MachineDetectionDuration`` among the request's parameters.

Asynchronous detection without a status callback URL is Twilio's warning 21262 ("No AMD
status callback URL provided"), logged when the result is known; the result is still the
call's ``answered_by``, as the error page says ("AMD results will still be available in
the /Calls resource").

A call that ends before asynchronous detection decides reports no result: its timer ends
with the call, so no AMD callback, no ``AnsweredBy`` and no 21262 (a choice: Twilio does
not say what it reports then; README's Fidelity notes).
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Any

from .flow import AMD_SECONDS
from .params import amd_params
from .process import Sleep, Step
from .webhooks import call_params

if TYPE_CHECKING:
    from .services import Services
    from .session import SimCall

__all__ = ["detect_now", "report_later"]

_DURATION_MS = AMD_SECONDS * 1000

#: Twilio's warning for asynchronous detection with nowhere to send the result.
NO_AMD_CALLBACK = 21262


def report_later(
    engine: Services, call: SimCall, answered_by: str, url: str | None, method: str
) -> None:
    """Asynchronous detection: ``answered_by`` is the call's ``AMD_SECONDS`` from now, and
    goes to ``url`` then (without one, warning 21262)."""
    record = call.record

    def report() -> None:
        record.answered_by = answered_by
        if url is None:
            engine.fail(
                call,
                NO_AMD_CALLBACK,
                f"asynchronous answering machine detection found {answered_by!r} but the "
                "call has no AMD status callback URL to send it to (the result is only in "
                "the call's answered_by); give AsyncAmdStatusCallback (amdStatusCallback on "
                f"<Number>/<Sip>, AmdStatusCallback on a participant), or allow code "
                f"{NO_AMD_CALLBACK}",
                level="warning",
            )
            return
        params = amd_params(record.account_sid, record.sid, answered_by, _DURATION_MS)
        engine.notify(call, url, method, params, kind="amd")

    due = engine.clock.micros + AMD_SECONDS * 1_000_000
    call.timers.append(engine.scheduler.call_at(due, report))


def detect_now(call: SimCall, answered_by: str) -> Generator[Step, Any, dict[str, str]]:
    """Synchronous detection: the call waits ``AMD_SECONDS``; the parameters of its next
    request, with the result."""
    yield Sleep(AMD_SECONDS)
    record = call.record
    record.answered_by = answered_by
    params = call_params(record, record.status.value)
    params["AnsweredBy"] = answered_by
    params["MachineDetectionDuration"] = str(_DURATION_MS)
    return params

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

Detection takes ``AMD_SECONDS``, but an ``unknown`` result (``sim.phone(n).machine(
"unknown")``) comes when ``MachineDetectionTimeout`` runs out (30 s by default), as
Twilio's Call resource says: "the number of seconds that we should attempt to detect an
answering machine before timing out and sending a voice request with AnsweredBy of
unknown"; ``MachineDetectionDuration`` is then that timeout in milliseconds.

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


#: Twilio's warning for asynchronous detection with nowhere to send the result.
NO_AMD_CALLBACK = 21262


#: Twilio's default ``MachineDetectionTimeout``, in seconds.
DEFAULT_TIMEOUT = 30


def detection_seconds(call: SimCall, answered_by: str, timeout: int | None = None) -> int:
    """How long detection takes: ``AMD_SECONDS``, or for ``unknown`` the detection's
    ``MachineDetectionTimeout`` (``timeout``, else the call's create option, else 30)."""
    if answered_by != "unknown":
        return AMD_SECONDS
    if timeout is None:
        options = call.options
        timeout = DEFAULT_TIMEOUT if options is None else options.machine_detection_timeout
    return timeout


def report_later(
    engine: Services,
    call: SimCall,
    answered_by: str,
    url: str | None,
    method: str,
    timeout: int | None = None,
) -> None:
    """Asynchronous detection: ``answered_by`` is the call's ``detection_seconds`` from
    now, and goes to ``url`` then (without one, warning 21262)."""
    record = call.record
    seconds = detection_seconds(call, answered_by, timeout)

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
        params = amd_params(record.account_sid, record.sid, answered_by, seconds * 1000)
        engine.notify(call, url, method, params, kind="amd")

    due = engine.clock.micros + seconds * 1_000_000
    call.timers.append(engine.scheduler.call_at(due, report))


def detect_now(
    call: SimCall, answered_by: str, timeout: int | None = None
) -> Generator[Step, Any, dict[str, str]]:
    """Synchronous detection: the call waits ``detection_seconds``; the parameters of its
    next request, with the result."""
    seconds = detection_seconds(call, answered_by, timeout)
    yield Sleep(seconds)
    record = call.record
    record.answered_by = answered_by
    params = call_params(record, record.status.value)
    params["AnsweredBy"] = answered_by
    params["MachineDetectionDuration"] = str(seconds * 1000)
    return params

"""The status callback of a caller ID's verification (``POST /OutgoingCallerIds.json``
with ``StatusCallback``).

Twilio's "Verifying Caller IDs at Scale" guide: once the verification call is over, "a
separate status callback request is made" to ``StatusCallback`` "that contains the
verification result for that phone number - either success or failure". Twilio's
announcement of the callback names its parameters: those of the verification call, with
``CallStatus=completed`` and ``VerificationStatus=success`` and ``OutgoingCallerIdSid``
(the new caller ID), or ``VerificationStatus=failed`` without it.

twimlsim places no verification call and verifies the number at once, as if the code had
been typed, unless the test scripted the number's far end to refuse the call: its next
answer step (``sim.phone(number)``) is the verification call's, and ``busy()``,
``no_answer()`` and ``fails()`` end it ``busy``, ``no-answer`` and ``failed``, a
``machine()`` ``completed`` with nobody to type the code; then the number is not verified
and the callback says ``failed``. An ``answers()`` step is taken too (the person who
answered typed the code).

Fidelity choices, as no capture of one was found: the callback is sent ``CallDelay``
seconds after the request (the verification call takes no virtual time), its
``CallStatus`` the verification call's end (``completed`` on success, as Twilio's example
shows); it carries the parameters of a call ``To`` the number (``Called``, ``To`` and their
geo keys, ``Direction=outbound-api``, the ``CallSid`` of the answer) but no ``From`` or
``Caller`` (the number Twilio calls from is not documented); it is signed, sent with the
``StatusCallbackMethod`` and no cookies; a non-2xx answer is logged as the warning 15003,
as a call's status callback's is.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from twimlsim.errors import CallFailure

from .call_params import API_VERSION, country_of
from .fetch import FetchResult, NoCookies, fetch
from .webhooks import hop_signer

if TYPE_CHECKING:
    from .engine import Engine

__all__ = [
    "Verification",
    "schedule_verification_callback",
    "verification_outcome",
    "verification_params",
]

#: How the verification call ends for the far end's next answer step.
_REFUSALS = {"busy": "busy", "no_answer": "no-answer", "fails": "failed", "machine": "completed"}


@dataclass(frozen=True, slots=True)
class Verification:
    """One caller ID's verification: its account, call, number, how the call ended, and
    the new caller ID (``None``: the number was not verified)."""

    account_sid: str
    call_sid: str
    phone_number: str
    call_status: str
    caller_id_sid: str | None


def verification_outcome(host: Engine, number: str) -> tuple[str, bool]:
    """How the verification call to ``number`` ends, and whether the code was typed:
    ``("completed", True)`` unless its scripted far end's next answer step refuses the
    call (that step is taken)."""
    phone = host.phones.get(number)
    step = phone.take_answer() if phone is not None else None
    if step is None or step.action not in _REFUSALS:
        return "completed", True
    return _REFUSALS[step.action], False


def verification_params(verification: Verification) -> dict[str, str]:
    """The parameters of a verification's status callback."""
    country = country_of(verification.phone_number)
    number = verification.phone_number
    params = {
        "AccountSid": verification.account_sid,
        "ApiVersion": API_VERSION,
        "CallSid": verification.call_sid,
        "CallStatus": verification.call_status,
        "Called": number,
        "CalledCity": "",
        "CalledCountry": country,
        "CalledState": "",
        "CalledZip": "",
        "Direction": "outbound-api",
        "To": number,
        "ToCity": "",
        "ToCountry": country,
        "ToState": "",
        "ToZip": "",
        "VerificationStatus": "failed",
    }
    if verification.caller_id_sid is not None:
        params["OutgoingCallerIdSid"] = verification.caller_id_sid
        params["VerificationStatus"] = "success"
    return params


def schedule_verification_callback(
    host: Engine, verification: Verification, url: str, method: str, delay: int
) -> None:
    """Send the verification's status callback ``delay`` seconds from now."""
    host.scheduler.call_later(delay, lambda: _send(host, verification, url, method))


def _send(host: Engine, verification: Verification, url: str, method: str) -> None:
    if host.answering:  # due inside another webhook: sent after the event under way, now
        host.scheduler.call_at(host.clock.micros, lambda: _send(host, verification, url, method))
        return
    account = host.store.accounts[verification.account_sid]
    build = hop_signer(
        params=verification_params(verification),
        auth_token=account.auth_token,
        kind="verification",
        call_sid=verification.call_sid,
        at=host.clock.now,
        idempotency_hex=lambda hop_url: host.sids.hex(
            f"verification-idempotency:{verification.call_sid}:{hop_url}"
        ),
    )
    host.answering_thread = threading.get_ident()
    host.answering.append(url)
    result = FetchResult(requests=[])
    try:
        fetch(host.transport, build, url, method, NoCookies(), result=result)
    finally:
        host.answering.pop()
        host.requests.extend(result.requests)
    if result.error is not None:
        error = result.error
        host.failures.append(
            CallFailure(
                verification.call_sid,
                error.code,
                error.message,
                result.final_url,
                cause=error.__cause__,
            )
        )
    elif result.response is not None and not 200 <= result.response.status < 300:
        host.failures.append(
            CallFailure(
                verification.call_sid,
                15003,
                f"the status callback of the verification of the caller ID "
                f"{verification.phone_number} answered HTTP {result.response.status}; "
                "Twilio logs it and nothing changes; the callback needs no "
                "body: answer 204, or 200 with an empty <Response/>",
                result.final_url,
                cause=result.response.app_error,
                level="warning",
            )
        )

"""The status callback of a caller ID's verification (``POST /OutgoingCallerIds.json``
with ``StatusCallback``).

Twilio's "Verifying Caller IDs at Scale" guide: once the verification call is over, "a
separate status callback request is made" to ``StatusCallback`` "that contains the
verification result for that phone number - either success or failure". Twilio's
announcement of the callback names its parameters: those of the verification call, with
``CallStatus=completed`` and ``VerificationStatus=success`` and ``OutgoingCallerIdSid``
(the new caller ID), or ``VerificationStatus=failed`` without it.

twimlsim verifies the number at once (nobody types the code), so the callback always says
``success``. Fidelity choices, as no capture of one was found: it is sent ``CallDelay``
seconds after the request (the verification call itself takes no virtual time); it
carries the parameters of a call ``To`` the verified number (``Called``, ``To`` and their
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
from .fetch import CookieJar, FetchResult, fetch
from .webhooks import WebhookResponse, hop_signer

if TYPE_CHECKING:
    from datetime import datetime

    from .services import Host

__all__ = ["Verification", "schedule_verification_callback", "verification_params"]


@dataclass(frozen=True, slots=True)
class Verification:
    """One caller ID's verification: its account, call, number and new caller ID."""

    account_sid: str
    call_sid: str
    phone_number: str
    caller_id_sid: str


def verification_params(verification: Verification) -> dict[str, str]:
    """The parameters of a successful verification's status callback."""
    country = country_of(verification.phone_number)
    number = verification.phone_number
    return {
        "AccountSid": verification.account_sid,
        "ApiVersion": API_VERSION,
        "CallSid": verification.call_sid,
        "CallStatus": "completed",
        "Called": number,
        "CalledCity": "",
        "CalledCountry": country,
        "CalledState": "",
        "CalledZip": "",
        "Direction": "outbound-api",
        "OutgoingCallerIdSid": verification.caller_id_sid,
        "To": number,
        "ToCity": "",
        "ToCountry": country,
        "ToState": "",
        "ToZip": "",
        "VerificationStatus": "success",
    }


def schedule_verification_callback(
    host: Host, verification: Verification, url: str, method: str, delay: int
) -> None:
    """Send the verification's status callback ``delay`` seconds from now."""
    host.scheduler.call_later(delay, lambda: _send(host, verification, url, method))


def _send(host: Host, verification: Verification, url: str, method: str) -> None:
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
        fetch(host.transport, build, url, method, _NoCookies(), result=result)
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
                "Twilio logs it and the caller ID stays verified; the callback needs no "
                "body: answer 204, or 200 with an empty <Response/>",
                result.final_url,
                cause=result.response.app_error,
                level="warning",
            )
        )


class _NoCookies(CookieJar):
    """The verification call is none of the app's calls: its callback carries and keeps
    no cookies."""

    def header_for(self, url: str) -> str | None:
        return None

    def store(self, url: str, response: WebhookResponse, at: datetime | None = None) -> None:
        return None

"""ValidationRequests: ``POST /OutgoingCallerIds.json`` verifies a caller ID.

On Twilio the create places a call to ``PhoneNumber`` on which someone types the
``validation_code`` of the answer; the number then becomes an OutgoingCallerId of the
account. twimlsim places no validation call (nobody could type the code): the number is
verified at once, as if the code had been typed, so calls may come ``From`` it (and, on a
trial account, go ``To`` it), unless the test scripted its far end to refuse the call
(``sim.phone(number).busy()``, ``no_answer()``, ``fails()``, ``machine()``). The answer
is Twilio's ``200`` with ``account_sid``, ``call_sid`` (a SID of no simulated call),
``friendly_name``, ``phone_number`` and ``validation_code`` (six digits, made from the
seeded SIDs). With ``StatusCallback``, the verification's result
(``VerificationStatus=success`` and ``OutgoingCallerIdSid``, or ``failed``) is sent to it
``CallDelay`` seconds later, as ``engine.caller_id_verification`` tells.

Refusals: no ``PhoneNumber`` is 20001; one that is not a possible E.164 number 21401
(Twilio's "Invalid Phone Number"); one the account has verified already 21450 (Twilio's
"Phone number already verified for your account"); ``CallDelay`` outside 0-60, a
``FriendlyName`` over 64 characters and an invalid ``Extension``, ``StatusCallback`` or
``StatusCallbackMethod`` are Twilio's parameter errors.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from werkzeug.wrappers import Response

from twimlsim.errors import TwilioApiError
from twimlsim.model.phone_numbers import is_possible_number

from .params import Param, apply_params, normalize_number
from .render import json_response, missing_parameter
from .serialize import format_number

if TYPE_CHECKING:
    from .app import Context

__all__ = ["create_validation_request"]

_PARAMS: tuple[Param, ...] = (
    Param("FriendlyName", "friendly_name", "text", high=64),
    Param("CallDelay", "call_delay", "int", low=0, high=60),
    Param("Extension", "extension", "digits"),
    Param("StatusCallback", "status_callback", "callback", 21609),
    Param("StatusCallbackMethod", "status_callback_method", "method", 21209),
)
#: Twilio's "Invalid Phone Number".
INVALID_PHONE_NUMBER = 21401
#: Twilio's "Phone number already verified for your account".
ALREADY_VERIFIED = 21450


def create_validation_request(ctx: Context, args: dict[str, str]) -> Response:
    """``POST /OutgoingCallerIds.json``: verify ``PhoneNumber`` as a caller ID at once
    (unless its scripted far end refuses the verification call)."""
    raw = ctx.form.get("PhoneNumber") or ""
    if not raw:
        raise missing_parameter("PhoneNumber")
    number = normalize_number(raw)
    if number is None or not is_possible_number(number):
        raise TwilioApiError(
            400,
            INVALID_PHONE_NUMBER,
            f"PhoneNumber {raw} is not a valid phone number: expected an E.164 number such "
            "as +14155550100",
        )
    fields = apply_params(ctx.form, _PARAMS)  # every check before any change
    account = ctx.account
    if any(caller.phone_number == number for caller in account.caller_ids.values()):
        raise TwilioApiError(
            400,
            ALREADY_VERIFIED,
            f"Phone number {number} already verified for your account: list them with GET "
            "/OutgoingCallerIds.json",
        )
    name = str(fields.get("friendly_name") or format_number(number))
    from twimlsim.engine.caller_id_verification import (  # only apps that verify
        Verification,
        schedule_verification_callback,
        verification_outcome,
    )

    call_status, verified = verification_outcome(ctx.engine, number)
    caller_sid = None
    if verified:
        caller_sid = ctx.store.create_caller_id(account, number, name, at=ctx.now).sid
    call_sid = ctx.store.sids.new("CA")
    callback = fields.get("status_callback")
    if callback:
        schedule_verification_callback(
            ctx.engine,
            Verification(account.sid, call_sid, number, call_status, caller_sid),
            str(callback),
            str(fields.get("status_callback_method") or "POST"),
            int(str(fields.get("call_delay") or 0)),
        )
    body = {
        "account_sid": account.sid,
        "call_sid": call_sid,
        "friendly_name": name,
        "phone_number": number,
        "validation_code": f"{int(call_sid[2:], 16) % 1_000_000:06d}",
    }
    return json_response(body, 200)

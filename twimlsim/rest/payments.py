"""The Payments subresource of a live call (agent-assisted payments): ``POST
/Calls/{Sid}/Payments.json`` opens a payment session (201), ``POST
/Calls/{Sid}/Payments/{Sid}.json`` asks the caller for one piece (``Capture``) or ends the
session (``Status=complete`` or ``cancel``) (202). Both answer the spec's Payments resource;
Twilio has no list or fetch. What a session does: ``engine/payments.py``.

Errors: a call that is not ``in-progress`` is 21220, as for the other live-call
subresources; a missing ``IdempotencyKey`` or ``StatusCallback`` is 20001 (Twilio's
"Missing required parameter"); an invalid ``ChargeAmount`` is 64003 ("Pay: Invalid charge
amount"); an invalid ``PaymentMethod``, ``TokenType``, ``BankAccountType``, ``Capture``,
``Status``, ``ValidCardTypes``, ``Input`` (only ``dtmf``), ``SecurityCode``,
``PostalCode``, ``MinPostalCodeLength`` or ``Timeout`` is 64020 ("Pay: Invalid Parameter Value");
opening a session while one is open, or updating a session already completed or cancelled,
is 64021 ("Pay: Invalid Operation"); an update with neither or both of ``Capture`` and
``Status`` is 64018 ("Pay: Value needed for either Capture or Status parameters", whose
causes name both cases); ``Status=complete`` before every required piece is
captured is 64019 ("Pay: Required payment information incomplete"); an unknown payment SID
is 20404. A request repeating an ``IdempotencyKey`` already used (on the call for an open,
on the session for an update) is answered as the first was and does nothing again.
Fidelity choices where Twilio documents none: the codes of a missing parameter and of an
invalid ``Timeout`` or ``Capture``; a ``Capture`` with a ``-matcher`` suffix
(``RequireMatchingInputs``) is refused (64020, not simulated); ``Parameter``,
``Description``, ``Currency``, ``TokenType`` and ``PaymentConnector`` are
kept and have no effect but the callback's ``PaymentConnector``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from werkzeug.wrappers import Response

from twimlsim.engine.payment_rules import CARD_TYPES, charge_cents
from twimlsim.engine.payments import (
    CAPTURES,
    PaymentSession,
    cancel_payment,
    complete_payment,
    open_payment,
    open_session,
    start_capture,
)
from twimlsim.engine.urls import is_absolute_url, join_url
from twimlsim.errors import TwilioApiError

from .params import check_status_callback
from .render import in_progress, json_response, missing_parameter, not_found
from .serialize import account_path, date

if TYPE_CHECKING:
    from twimlsim.engine.session import SimCall

    from .app import Context

__all__ = ["create", "payment_json", "update"]

INVALID_CHARGE_AMOUNT = 64003
INCOMPLETE = 64019
INVALID_VALUE = 64020
INVALID_OPERATION = 64021
_CHOICES = {
    "PaymentMethod": ("credit-card", "ach-debit"),
    "TokenType": ("one-time", "reusable", "payment-method"),
    "BankAccountType": ("consumer-checking", "consumer-savings", "commercial-checking"),
}


def payment_json(session: PaymentSession) -> dict[str, object]:
    """The Payments resource as Twilio's JSON has it."""
    call = f"{account_path(session.account_sid)}/Calls/{session.call_sid}"
    return {
        "account_sid": session.account_sid,
        "call_sid": session.call_sid,
        "sid": session.sid,
        "date_created": date(session.created_at),
        "date_updated": date(session.updated_at),
        "uri": f"{call}/Payments/{session.sid}.json",
    }


def _value(ctx: Context, name: str) -> str | None:
    value = ctx.form.get(name)
    return value if value else None


def _required(ctx: Context, name: str) -> str:
    value = _value(ctx, name)
    if value is None:
        raise missing_parameter(name, f": give {name} with every Payments request")
    return value


def _invalid(name: str, value: str, expected: str) -> TwilioApiError:
    return TwilioApiError(
        400, INVALID_VALUE, f"Invalid value {value!r} for {name}: expected {expected}"
    )


def _choice(ctx: Context, name: str, default: str) -> str:
    value = _value(ctx, name)
    if value is None:
        return default
    if value not in _CHOICES[name]:
        raise _invalid(name, value, "one of " + ", ".join(_CHOICES[name]))
    return value


def _flag(ctx: Context, name: str) -> bool:
    value = _value(ctx, name)
    if value is None:
        return True
    if value.lower() not in ("true", "false"):
        raise _invalid(name, value, "true or false")
    return value.lower() == "true"


def _integer(ctx: Context, name: str, low: int, high: int) -> int | None:
    value = _value(ctx, name)
    if value is None:
        return None
    if not value.isascii() or not value.isdigit() or not low <= int(value) <= high:
        raise _invalid(name, value, f"a whole number from {low} to {high}")
    return int(value)


def _charge(ctx: Context) -> tuple[str | None, int]:
    raw = _value(ctx, "ChargeAmount")
    if raw is None:
        return None, 0
    cents = charge_cents(raw)
    if cents is None:
        raise TwilioApiError(
            400,
            INVALID_CHARGE_AMOUNT,
            f"ChargeAmount {raw!r} is not an amount between 0.00 and 1,000,000.00 with at "
            "most two decimals: give e.g. ChargeAmount=20.45 (or none, or 0, to tokenize)",
        )
    return raw, cents


def _card_types(ctx: Context) -> tuple[str, ...]:
    raw = _value(ctx, "ValidCardTypes")
    if raw is None:
        return ("visa", "mastercard", "amex")
    types = tuple(raw.split())
    unknown = [kind for kind in types if kind not in CARD_TYPES]
    if unknown or not types:
        raise _invalid("ValidCardTypes", raw, "card types among " + " ".join(CARD_TYPES))
    return types


def _callback(call: SimCall, url: str) -> str:
    if not is_absolute_url(url) and call.document_url is not None:
        url = join_url(call.document_url, url)
    check_status_callback(url)
    return url


def create(ctx: Context, args: dict[str, str]) -> Response:
    """``POST /Calls/{CallSid}/Payments.json``: open a payment session on the live call."""
    record = in_progress(
        ctx.account.calls, args["call_sid"], ctx.request.path, "asked for a payment", "payments"
    )
    call = ctx.engine.calls[record.sid]
    key = _required(ctx, "IdempotencyKey")
    callback = _callback(call, _required(ctx, "StatusCallback"))
    for earlier in call.payments or ():
        if key in earlier.idempotency_keys and earlier.idempotency_keys[key] == "create":
            return json_response(payment_json(earlier), 201)
    if open_session(call) is not None:
        raise TwilioApiError(
            400,
            INVALID_OPERATION,
            f"Call {record.sid} already has an open payment session: complete or cancel it "
            "(Status=complete or Status=cancel) before starting another",
        )
    charge_amount, cents = _charge(ctx)
    entry = _value(ctx, "Input")
    if entry is not None and entry != "dtmf":
        raise _invalid("Input", entry, "dtmf (the only input Twilio's payments take)")
    now = ctx.engine.clock.now
    session = PaymentSession(
        ctx.engine.sids.new("PK"),
        record.account_sid,
        record.sid,
        now,
        now,
        callback,
        payment_method=_choice(ctx, "PaymentMethod", "credit-card"),
        charge_cents=cents,
        charge_amount=charge_amount,
        currency=_value(ctx, "Currency") or "usd",
        token_type=_choice(ctx, "TokenType", "reusable"),
        payment_connector=_value(ctx, "PaymentConnector") or "Default",
        security_code=_flag(ctx, "SecurityCode"),
        postal_code=_flag(ctx, "PostalCode"),
        min_postal_code_length=_integer(ctx, "MinPostalCodeLength", 1, 10),
        valid_card_types=_card_types(ctx),
        bank_account_type=_choice(ctx, "BankAccountType", "consumer-checking"),
        timeout=_integer(ctx, "Timeout", 1, 600) or 5,
        description=_value(ctx, "Description"),
    )
    session.idempotency_keys[key] = "create"
    open_payment(ctx.engine, call, session)
    return json_response(payment_json(session), 201)


def update(ctx: Context, args: dict[str, str]) -> Response:
    """``POST /Calls/{CallSid}/Payments/{Sid}.json``: capture one piece, or complete or
    cancel the session."""
    record = in_progress(
        ctx.account.calls, args["call_sid"], ctx.request.path, "asked for a payment", "payments"
    )
    call = ctx.engine.calls[record.sid]
    session = next((s for s in call.payments or () if s.sid == args["sid"]), None)
    if session is None:
        raise not_found(ctx.request.path)
    key = _required(ctx, "IdempotencyKey")
    callback = _callback(call, _required(ctx, "StatusCallback"))
    capture, status = _value(ctx, "Capture"), _value(ctx, "Status")
    if (capture is None) == (status is None):
        given = "neither" if capture is None else f"both (Capture={capture}, Status={status})"
        raise TwilioApiError(
            400,
            64018,
            f"Pay: Value needed for either Capture or Status parameters: the update gave "
            f"{given}; give exactly one: Capture (the piece to ask for) or Status (complete "
            "or cancel)",
        )
    if key in session.idempotency_keys:
        return json_response(payment_json(session), 202)
    if session.status != "open":
        ended = "completed" if session.status == "complete" else "cancelled"
        raise TwilioApiError(
            400,
            INVALID_OPERATION,
            f"Payment session {session.sid} is already {ended}: start a new one "
            "(POST .../Payments.json) to take another payment",
        )
    session.status_callback = callback
    if status is not None:
        _end(ctx, call, session, status)
    else:
        assert capture is not None
        _capture(ctx, call, session, capture)
    session.idempotency_keys[key] = f"{capture or status}"
    return json_response(payment_json(session), 202)


def _capture(ctx: Context, call: SimCall, session: PaymentSession, capture: str) -> None:
    if capture not in CAPTURES:
        raise _invalid(
            "Capture", capture, "one of " + ", ".join(CAPTURES) + " (-matcher is not simulated)"
        )
    if capture not in session.required():
        raise _invalid(
            "Capture",
            capture,
            f"a piece this {session.payment_method} session requires: "
            + ", ".join(session.required()),
        )
    start_capture(ctx.engine, call, session, capture)


def _end(ctx: Context, call: SimCall, session: PaymentSession, status: str) -> None:
    if status == "cancel":
        cancel_payment(ctx.engine, call, session)
        return
    if status != "complete":
        raise _invalid("Status", status, "complete or cancel")
    missing = session.missing()
    if missing:
        raise TwilioApiError(
            400,
            INCOMPLETE,
            f"Payment session {session.sid} is missing {', '.join(missing)}: capture every "
            "required piece (Capture=...) before Status=complete",
        )
    complete_payment(ctx.engine, call, session)

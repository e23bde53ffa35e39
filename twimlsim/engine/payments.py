"""Agent-assisted payments: the Payments subresource of a live call (``Pay via REST``).

``POST /Calls/{Sid}/Payments.json`` opens a payment session on the call whose far end
keys the payment details; each ``POST .../Payments/{Sid}.json`` with ``Capture=<step>``
asks that far end for one piece (``payment-card-number``, ``expiration-date``,
``security-code``, ``postal-code``, ``bank-routing-number``, ``bank-account-number``), and
``Status=complete`` hands what was captured to the simulated connector (``Status=cancel``
drops it). The far end keys its entry from its script: while a capture waits, the call's
next scripted input, if it is ``presses(...)``, is taken for it (whatever TwiML the call is
in: typically a bridged ``<Dial>`` to the agent, or a conference). ``#`` ends the entry
after its keys' time; without ``#`` it ends ``Timeout`` seconds after the last key; keys
after the ``#`` are typed ahead and answer the next capture. With no keys scripted, the
entry times out after ``Timeout`` seconds. A conference room and a ``hangupOnStar`` bridge
take the far end's keys themselves (scripted ones as soon as they wait): keys they do not
use are kept for the call's next capture (``keys_in_room``). Keys pressed by hand
(``call.press``) while a capture waits for keys are its entry, wherever the call is. Calls
without a payment session are untouched.

Each entry is checked as ``<Pay>`` checks it (``engine/payment_rules.py``: card type and
Luhn, expiry on the virtual clock, security code length by card type, postal code length,
ABA routing checksum, account number length), and the session's ``StatusCallback`` is
requested with ``AccountSid``, ``CallSid``, ``Sid``, ``Capture``, ``PartialResult``,
``Required`` (the pieces still missing, comma-separated), ``ErrorType`` of a refused entry,
and what was captured so far masked as a status callback of ``<Pay>`` masks it. On
``complete`` the simulated connector answers as it does for ``<Pay>`` (a charge's
``PaymentConfirmationCode``, a tokenization's ``PaymentToken`` and ``ProfileId``; the card
``4000000000000002`` is declined with ``PayErrorCode`` 64012).

Choices where Twilio's page is silent (also in the README's Fidelity notes): the callback
on opening carries ``AccountSid``, ``CallSid``, ``Sid``, ``DateCreated``,
``PaymentConnector``, ``PaymentMethod`` (and ``ChargeAmount`` when given); one callback an
entry, sent when the entry ends, with ``PartialResult=false`` (twimlsim sends no
key-by-key partial results); a timed-out entry has ``ErrorType=input-timeout``; a
cancelled session's callback has ``Result=cancelled``; a ``<Gather>`` or ``<Pay>`` running
on the call keeps its keys; the call ending closes its session without a callback.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from twimlsim.clock import Timer

from .events import PaymentInput
from .flow import dtmf_seconds
from .payment_rules import StepCheck, check_entry, mask_step_entry

if TYPE_CHECKING:
    from .services import Services
    from .session import SimCall

__all__ = [
    "CARD_REJECTED",
    "CAPTURES",
    "DECLINED_CARD",
    "PaymentSession",
    "cancel_payment",
    "complete_payment",
    "open_payment",
    "capture_waits_for_keys",
    "keys_in_room",
    "open_session",
    "start_capture",
]

#: The pieces a ``Capture`` may ask for.
CAPTURES = (
    "payment-card-number",
    "expiration-date",
    "security-code",
    "postal-code",
    "bank-routing-number",
    "bank-account-number",
)
#: The card number the simulated connector declines (as for ``<Pay>``).
DECLINED_CARD = "4000000000000002"
#: Twilio's "Pay: Payment Gateway rejected the card".
CARD_REJECTED = 64012


@dataclass(slots=True)
class PaymentSession:
    """One payment session of a call; ``status`` is ``open``, ``complete`` or ``cancel``.

    ``captured`` maps each piece captured to its masked form (``xxxxxxxxxxxx1111``,
    ``xxx``, ``*******89``; an expiry date, a postal code and a routing number in the
    clear, as Twilio reports them): the full card number, security code and account
    number are kept nowhere."""

    sid: str
    account_sid: str
    call_sid: str
    created_at: datetime
    updated_at: datetime
    status_callback: str
    payment_method: str = "credit-card"
    charge_cents: int = 0
    charge_amount: str | None = None
    currency: str = "usd"
    token_type: str = "reusable"
    payment_connector: str = "Default"
    security_code: bool = True
    postal_code: bool = True
    min_postal_code_length: int | None = None
    valid_card_types: tuple[str, ...] = ("visa", "mastercard", "amex")
    bank_account_type: str = "consumer-checking"
    timeout: int = 5
    description: str | None = None
    status: str = "open"
    captured: dict[str, str] = field(default_factory=dict)
    card_type: str | None = None
    capturing: str | None = None
    #: The capture under way got no keys yet (keys a room takes then answer it).
    keyless: bool = False
    #: The card captured is the one the simulated connector declines.
    declined: bool = False
    attempts: dict[str, int] = field(default_factory=dict)
    typed_ahead: str = ""
    #: IdempotencyKey -> what the request with it did (replayed, not repeated).
    idempotency_keys: dict[str, str] = field(default_factory=dict)
    timer: Timer | None = None
    #: The connector's answer once completed (``Result`` and what goes with it).
    outcome: dict[str, str] = field(default_factory=dict)

    @property
    def ach(self) -> bool:
        """An ACH debit (bank account) rather than a card."""
        return self.payment_method == "ach-debit"

    def required(self) -> list[str]:
        """The pieces the payment method needs, in Twilio's order."""
        if self.ach:
            return ["bank-routing-number", "bank-account-number"]
        steps = ["payment-card-number", "expiration-date"]
        if self.security_code:
            steps.append("security-code")
        if self.postal_code:
            steps.append("postal-code")
        return steps

    def missing(self) -> list[str]:
        """The required pieces not captured yet."""
        return [step for step in self.required() if step not in self.captured]

    def masked(self) -> dict[str, str]:
        """What was captured, as a status callback carries it (``captured`` holds only
        the masked forms)."""
        got = self.captured
        params: dict[str, str] = {}
        if self.ach:
            if "bank-routing-number" in got:
                params["BankRoutingNumber"] = got["bank-routing-number"]
            if "bank-account-number" in got:
                params["BankAccountNumber"] = got["bank-account-number"]
            params["BankAccountType"] = self.bank_account_type
            return params
        if "payment-card-number" in got:
            params["PaymentCardNumber"] = got["payment-card-number"]
            params["PaymentCardType"] = self.card_type or ""
        if "expiration-date" in got:
            params["ExpirationDate"] = got["expiration-date"]
        if "security-code" in got:
            params["SecurityCode"] = got["security-code"]
        if "postal-code" in got:
            params["PaymentCardPostalCode"] = got["postal-code"]
        return params


def _base(session: PaymentSession) -> dict[str, str]:
    return {
        "AccountSid": session.account_sid,
        "CallSid": session.call_sid,
        "Sid": session.sid,
        "PaymentConnector": session.payment_connector,
        "PaymentMethod": session.payment_method,
    }


def _notify(
    engine: Services, call: SimCall, session: PaymentSession, params: dict[str, str]
) -> None:
    engine.notify(call, session.status_callback, "POST", params, kind="payment-status")


def open_payment(engine: Services, call: SimCall, session: PaymentSession) -> None:
    """Attach ``session`` to ``call`` and request its ``StatusCallback``."""
    if call.payments is None:
        call.payments = []
    call.payments.append(session)
    params = _base(session)
    params["DateCreated"] = session.created_at.isoformat(timespec="milliseconds").replace(
        "+00:00", "Z"
    )
    if session.charge_amount is not None:
        params["ChargeAmount"] = session.charge_amount
    _notify(engine, call, session, params)


def start_capture(engine: Services, call: SimCall, session: PaymentSession, step: str) -> None:
    """Ask the far end for ``step``: take its next scripted keys, or time out."""
    if session.timer is not None:
        session.timer.cancel()
    session.capturing = step
    session.updated_at = engine.clock.now
    keys = session.typed_ahead or call.payment_keys or ""
    session.typed_ahead, call.payment_keys = "", None
    if not keys:
        upcoming = call.phone.next_input()
        if upcoming is not None and upcoming.action == "presses":
            taken = call.phone.take_input()
            keys = taken.value or "" if taken is not None else ""
    entered, seconds = "", float(session.timeout)
    if keys:
        ended_at = keys.find("#")
        if ended_at >= 0:
            session.typed_ahead = keys[ended_at + 1 :]
            keys = keys[: ended_at + 1]
            seconds = dtmf_seconds(keys)
        else:
            seconds = dtmf_seconds(keys) + session.timeout
        entered = "".join(key for key in keys if key.isdigit())
    due = engine.clock.micros + round(seconds * 1_000_000)
    session.keyless = not keys

    def end_entry() -> None:
        session.timer = None
        if not call.ended and session.status == "open" and session.capturing == step:
            _entered(engine, call, session, step, entered)

    session.timer = engine.scheduler.call_at(due, end_entry)


def _check(engine: Services, session: PaymentSession, step: str, entered: str) -> StepCheck:
    return check_entry(
        step,
        entered,
        now=engine.clock.now,
        valid_card_types=session.valid_card_types,
        card_type=session.card_type,
        min_postal_code_length=session.min_postal_code_length,
    )


def _entered(
    engine: Services, call: SimCall, session: PaymentSession, step: str, entered: str
) -> None:
    """An entry ended: check it, keep it when valid, request the ``StatusCallback``."""
    check = _check(engine, session, step, entered)
    attempt = session.attempts.get(step, 0) + 1
    session.attempts[step] = attempt
    now = engine.clock.now
    shown = mask_step_entry(step, entered)
    call.transcript.append(PaymentInput(now, step, attempt, shown, check.error))
    if check.value is not None:
        session.captured[step] = mask_step_entry(step, check.value)
        if step == "payment-card-number":
            session.declined = check.value == DECLINED_CARD
        if check.card_type is not None:
            session.card_type = check.card_type
    session.capturing = None
    session.updated_at = now
    params = _base(session)
    params["Capture"] = step
    params["PartialResult"] = "false"
    params["Required"] = ",".join(session.missing())
    if check.error is not None:
        params["ErrorType"] = "input-timeout" if check.error == "timeout" else check.error
    params.update(session.masked())
    _notify(engine, call, session, params)


def _close(engine: Services, session: PaymentSession, status: str) -> None:
    if session.timer is not None:
        session.timer.cancel()
        session.timer = None
    session.status = status
    session.capturing = None
    session.updated_at = engine.clock.now


def complete_payment(engine: Services, call: SimCall, session: PaymentSession) -> None:
    """Hand what was captured to the simulated connector and report its answer."""
    _close(engine, session, "complete")
    outcome = {"Result": "success"}
    if session.declined:
        outcome = {
            "Result": "payment-connector-error",
            "PaymentError": "card is declined",
            "PayErrorCode": str(CARD_REJECTED),
        }
    elif session.charge_cents > 0:
        outcome["PaymentConfirmationCode"] = "ch_" + engine.sids.hex(f"{session.sid}:charge", 24)
    else:
        outcome["PaymentToken"] = "tok_" + engine.sids.hex(f"{session.sid}:token", 24)
        outcome["ProfileId"] = "cus_" + engine.sids.hex(f"{session.sid}:profile", 14)
    session.outcome = outcome
    params = _base(session)
    params.update(outcome)
    params.update(session.masked())
    _notify(engine, call, session, params)


def cancel_payment(engine: Services, call: SimCall, session: PaymentSession) -> None:
    """Drop the session and what it captured; report ``Result=cancelled``."""
    _close(engine, session, "cancel")
    session.captured.clear()
    session.card_type = None
    session.outcome = {"Result": "cancelled"}
    params = _base(session)
    params["Result"] = "cancelled"
    _notify(engine, call, session, params)


def open_session(call: SimCall) -> PaymentSession | None:
    """The call's open payment session, if any."""
    for session in call.payments or ():
        if session.status == "open":
            return session
    return None


def keys_in_room(engine: Services, call: SimCall, digits: str) -> None:
    """Keys the far end pressed where its TwiML takes keys without using them (a
    conference room, a ``hangupOnStar`` bridge): they answer a capture waiting for keys,
    else they are kept for the call's next capture. Nothing else sees them."""
    session = open_session(call)
    if session is not None and session.capturing is not None and session.keyless:
        session.typed_ahead = digits
        start_capture(engine, call, session, session.capturing)
        return
    call.payment_keys = (call.payment_keys or "") + digits


def capture_waits_for_keys(call: SimCall) -> bool:
    """A capture of the call's payment session waits for keys not yet pressed."""
    if call.payments is None:  # the usual case: no payment session ever
        return False
    session = open_session(call)
    return session is not None and session.capturing is not None and session.keyless

"""``<Pay>``: capture a card or bank account over DTMF, process it, request the action.

The steps, as Twilio's ``<Pay>`` page lists them: ``paymentMethod="credit-card"`` (the
default) asks for the card number, the expiration date (``MMYY``), then the security code
(``securityCode="true"``, the default) and the postal code (``postalCode="true"``, the
default; a ``postalCode`` holding a value is passed on as the postal code without asking,
``false`` skips it); ``ach-debit`` asks for the routing number, then the account number.
The card's order is that of Twilio's full ``<Prompt>`` example; a Twilio Labs pay sample's
comment puts the postal code before the security code, so it is a choice (unconfirmed).

Each step plays its ``<Prompt for=...>`` (the one matching the step's ``attempt``, the
previous entry's ``errorType`` and, for the security code, the card's ``cardType``; the
most specific wins, first in the document on a tie) or a default prompt, then takes the
far end's keys: one scripted input a step (``sim.phone(n).presses("4111111111111111#")``).
``#`` ends an entry; without it the entry ends ``timeout`` seconds after the last key. A
key pressed during the prompt cuts it short (as in a ``<Gather>``), and keys pressed after
an entry's ``#`` are typed ahead: they cut the next step's prompt short as it starts and
are its entry (``presses("4111111111111111#1230#123#94105#")`` answers every step).
``*`` at any point ends the ``<Pay>`` (``Result=caller-interrupted-with-star``). Each
entry is checked (``engine/payment_rules.py``); a refused or missing one is asked again with the
``<Prompt errorType>`` of its error, up to ``maxAttempts`` entries a step, then the
``<Pay>`` ends with ``too-many-failed-attempts``. A ``<Prompt requireMatchingInputs="true">``
of an ACH step asks for the entry a second time; two entries that differ are the error
``input-matching-failed``.

Once everything is captured the ``payment-processing`` prompt plays and the simulated
connector answers: a ``chargeAmount`` over 0 is a charge (``PaymentConfirmationCode``),
none or 0 a tokenization (``PaymentToken`` and ``ProfileId``), each made from the
simulation's seeded SIDs. The card number ``4000000000000002`` is declined
(``Result=payment-connector-error``, ``PaymentError="card is declined"``,
``PayErrorCode=64012``). The ``action`` (default: the document's URL; always ``POST``) is
requested with the call's standard parameters and the result, and its TwiML runs, whatever
the result. The call ending during the ``<Pay>`` (the far end hanging up, and also the
time limit or a REST ``Status=completed``) requests the action with
``Result=caller-hung-up`` (its TwiML is not run); a REST redirect requests none.

``statusCallback`` is requested as each entry is asked for (``For``, ``Attempt``,
``ErrorType`` on a retry) and once for ``payment-processing``, with ``AccountSid``,
``CallSid`` and what was captured so far, masked.

An invalid ``chargeAmount`` (not a number, negative, over 1,000,000 or with more than two
decimals) is Twilio's 64003, an invalid ``maxAttempts`` (Twilio allows 1, 2 or 3) its
64020: nothing is asked and the action gets ``Result=validation-error`` with a
``PaymentError`` in the page's form (``paymentAmount='-0.5' (not a number between 0.00 -
1,000,000.00)``).

Choices where Twilio is silent or contradicts itself (also in the README's Fidelity notes):
the default prompts' wording is twimlsim's (Twilio documents none) and is said with
``<Say>``'s default voice in the ``<Pay>``'s ``language``; ``maxAttempts`` is the number of
entries a step takes (the page says both "the default of 1 means <Pay> retries once" and
that ``Attempt`` is 1, 2 or 3); the action is requested after too many failed attempts
(the page says both that every ending requests it and that execution goes on with the next
verb); the simulated connector's codes, the declined card, and the digits-only
``PaymentCardNumber`` of a status callback. twimlsim logs no debugger entry for a decline.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import Any

from twimlsim.engine.caller import FarEndInput
from twimlsim.engine.events import Event, PaymentEnded, PaymentInput, Said
from twimlsim.engine.flow import Context, Goto, Outcome, say_seconds
from twimlsim.engine.payment_rules import (
    StepCheck,
    charge_cents,
    check_entry,
    mask_account_number,
    mask_card_number,
    mask_security_code,
    mask_step_entry,
)
from twimlsim.engine.process import Interrupt, Listen, Sleep, Step, Waiting
from twimlsim.engine.realtime_transcriptions import transcribe_said
from twimlsim.engine.webhooks import call_params
from twimlsim.model.call import CallStatus
from twimlsim.twiml import nodes

from .basic import prompt

__all__ = ["DECLINED_CARD", "DEFAULT_PROMPTS", "INVALID_CHARGE_AMOUNT", "pay"]

#: Twilio's "Pay: Invalid charge amount".
INVALID_CHARGE_AMOUNT = 64003
#: Twilio's "Pay: Invalid Parameter Value" (a ``maxAttempts`` other than 1, 2 or 3).
INVALID_PARAMETER_VALUE = 64020
#: Twilio's "Pay: Payment Gateway rejected the card" (``PayErrorCode`` of a decline).
CARD_REJECTED = 64012
#: The card number the simulated connector declines.
DECLINED_CARD = "4000000000000002"
#: The voice of the default prompts (``<Say>``'s default).
DEFAULT_PROMPT_VOICE = "man"

#: What the caller hears at each step without a ``<Prompt>`` (twimlsim's wording).
DEFAULT_PROMPTS = {
    "payment-card-number": "Please enter your credit card number, followed by the pound key.",
    "expiration-date": (
        "Please enter the expiration date, two digits for the month and two digits for the year."
    ),
    "security-code": "Please enter the security code, followed by the pound key.",
    "postal-code": "Please enter the billing postal code, followed by the pound key.",
    "bank-routing-number": "Please enter your bank routing number, followed by the pound key.",
    "bank-account-number": "Please enter your bank account number, followed by the pound key.",
    "payment-processing": "Thank you. Please wait while we process your payment.",
}
#: What the caller hears before the step's prompt again after an error.
_DEFAULT_ERRORS = {
    "timeout": "Sorry, we did not receive your entry.",
    "invalid-card-number": "That card number is not valid.",
    "invalid-card-type": "That card type is not accepted.",
    "invalid-date": "That expiration date is not valid.",
    "invalid-security-code": "That security code is not valid.",
    "invalid-postal-code": "That postal code is not valid.",
    "invalid-bank-routing-number": "That routing number is not valid.",
    "invalid-bank-account-number": "That account number is not valid.",
    "input-matching-failed": "The two entries did not match.",
}
_STAR = "*"


@dataclass(slots=True)
class _Session:
    """One ``<Pay>`` under way: what it captured (in the clear, never logged)."""

    verb: nodes.Pay
    captured: dict[str, str] = field(default_factory=dict)
    card_type: str | None = None
    #: Keys pressed after an entry's ``#``: typed ahead, they answer the next prompt.
    typed_ahead: str = ""

    @property
    def ach(self) -> bool:
        return self.verb.payment_method == "ach-debit"

    def steps(self) -> list[str]:
        if self.ach:
            return ["bank-routing-number", "bank-account-number"]
        steps = ["payment-card-number", "expiration-date"]
        if self.verb.security_code:
            steps.append("security-code")
        if self.verb.postal_code.lower() == "true":
            steps.append("postal-code")
        return steps

    def masked(self, *, action: bool) -> dict[str, str]:
        """What was captured, as Twilio reports it (the action's or a status callback's
        masks)."""
        got = self.captured
        params: dict[str, str] = {}
        if self.ach:
            if "bank-routing-number" in got:
                params["BankRoutingNumber"] = got["bank-routing-number"]
            if "bank-account-number" in got:
                params["BankAccountNumber"] = mask_account_number(got["bank-account-number"])
            params["BankAccountType"] = self.verb.bank_account_type
            return params
        if "payment-card-number" in got:
            number = got["payment-card-number"]
            params["PaymentCardNumber"] = mask_card_number(number, self.card_type, grouped=action)
            params["PaymentCardType"] = self.card_type or ""
        if "expiration-date" in got:
            params["ExpirationDate"] = got["expiration-date"]
        if "security-code" in got:
            mark = "*" if action else "x"
            params["SecurityCode"] = mask_security_code(got["security-code"], mark=mark)
        postal = self.postal_code()
        if postal is not None:
            params["PaymentCardPostalCode"] = postal
        return params

    def postal_code(self) -> str | None:
        given = self.verb.postal_code
        if given.lower() == "false":
            return None
        if given.lower() == "true":
            return self.captured.get("postal-code")
        return given


def pay(ctx: Context, verb: nodes.Pay) -> Generator[Step, Any, Outcome]:
    """Run one ``<Pay>``."""
    session = _Session(verb)
    problem = _attribute_problem(verb)
    if problem is not None:
        code, message, payment_error = problem
        ctx.fail_at(verb, code, message)
        _ended(ctx, session, "validation-error")
        return _request_action(ctx, session, "validation-error", {"PaymentError": payment_error})
    try:
        result, details = yield from _capture(ctx, session)
        if result is None:
            result, details = yield from _process(ctx, session)
    except Interrupt as interrupted:
        cut = interrupted  # handled below, outside the except (process.Interrupt says why)
    else:
        _ended(ctx, session, result)
        return _request_action(ctx, session, result, details)
    engine = ctx.engine
    engine.mark_ended(ctx.call, CallStatus.COMPLETED, by=cut.reason)
    _ended(ctx, session, "caller-hung-up")
    url = ctx.action_url(verb)
    if url is not None:
        params = _action_params(ctx, session, "caller-hung-up", {})
        engine.notify(ctx.call, url, "POST", params, kind="pay", warning_code=11200)
    raise cut


def _attribute_problem(verb: nodes.Pay) -> tuple[int, str, str] | None:
    """Twilio's code, a failure message and the action's ``PaymentError`` for an
    attribute ``<Pay>`` refuses, or None."""
    if verb.max_attempts not in (1, 2, 3):
        return (
            INVALID_PARAMETER_VALUE,
            f"<Pay maxAttempts={str(verb.max_attempts)!r}> is not 1, 2 or 3: Twilio "
            "refuses the <Pay>; twimlsim asked for nothing and requested the action with "
            "Result=validation-error. Give maxAttempts 1, 2 or 3",
            f"maxAttempts='{verb.max_attempts}' (not a number between 1 - 3)",
        )
    raw = verb.charge_amount
    if raw is None or charge_cents(raw) is not None:
        return None
    return (
        INVALID_CHARGE_AMOUNT,
        f"<Pay chargeAmount={raw!r}> is not an amount between 0.00 and 1,000,000.00 with "
        "at most two decimals: Twilio refuses the <Pay>; twimlsim asked for nothing and "
        'requested the action with Result=validation-error. Give e.g. chargeAmount="20.45"'
        ' (or none, or "0", to tokenize)',
        f"paymentAmount='{raw}' (not a number between 0.00 - 1,000,000.00)",
    )


def _capture(
    ctx: Context, session: _Session
) -> Generator[Step, Any, tuple[str | None, dict[str, str]]]:
    """Every step in turn; returns (None, {}) once all are captured, else the ``Result``
    that ended the ``<Pay>`` and what the action adds."""
    verb = session.verb
    for step in session.steps():
        error: str | None = None
        attempt = 1
        while True:
            _status(ctx, session, step, attempt, error)
            chosen = _prompt_for(verb, step, attempt, error, session.card_type)
            entered = yield from _entry(ctx, session, step, chosen, error)
            if entered == _STAR:
                return "caller-interrupted-with-star", {}
            check = _check(ctx, session, step, entered)
            if check.value is not None:
                confirm = _prompt_for(verb, step, attempt, None, None, confirming=True)
                if confirm is not None and session.ach:
                    again = yield from _entry(ctx, session, step, confirm)
                    if again == _STAR:
                        return "caller-interrupted-with-star", {}
                    if again != entered:
                        check = StepCheck(None, "input-matching-failed")
            shown = mask_step_entry(step, entered)
            now = ctx.engine.clock.now
            ctx.call.transcript.append(PaymentInput(now, step, attempt, shown, check.error))
            if check.value is not None:
                session.captured[step] = check.value
                if check.card_type is not None:
                    session.card_type = check.card_type
                break
            error = check.error
            if attempt >= verb.max_attempts:
                return "too-many-failed-attempts", {"PaymentError": _status_error(error)}
            attempt += 1
    return None, {}


def _check(ctx: Context, session: _Session, step: str, entered: str) -> StepCheck:
    """Check one entry (an empty one is a timeout)."""
    verb = session.verb
    return check_entry(
        step,
        entered,
        now=ctx.engine.clock.now,
        valid_card_types=verb.valid_card_types,
        card_type=session.card_type,
        min_postal_code_length=verb.min_postal_code_length,
    )


def _status_error(error: str | None) -> str:
    """A Prompt ``errorType`` as a status callback's ``ErrorType`` says it."""
    return "input-timeout" if error == "timeout" else error or ""


def _prompt_for(
    verb: nodes.Pay,
    step: str,
    attempt: int,
    error: str | None,
    card_type: str | None,
    *,
    confirming: bool = False,
) -> nodes.Prompt | None:
    """The ``<Prompt>`` for this step, attempt, error and card type: of those whose every
    given attribute matches, the most specific (errorType, then attempt, then cardType)."""
    best: nodes.Prompt | None = None
    best_score = -1
    for child in verb.children:
        if not isinstance(child, nodes.Prompt) or child.for_ != step:
            continue
        if child.require_matching_inputs != confirming:
            continue
        score = 0
        if child.error_type:
            if error is None or error not in child.error_type:
                continue
            score += 4
        if child.attempt:
            if str(attempt) not in child.attempt:
                continue
            score += 2
        if child.card_type:
            if card_type is None or card_type not in child.card_type:
                continue
            score += 1
        if score > best_score:
            best, best_score = child, score
    return best


_Timed = tuple[float, Callable[[Any, bool], Event]]


def _pieces(
    ctx: Context, session: _Session, step: str, chosen: nodes.Prompt | None, error: str | None
) -> list[_Timed]:
    """What the caller hears: the ``<Prompt>``'s Say/Play/Pause, else the default prompt."""
    if chosen is not None:
        return [timed for child in chosen.children if (timed := prompt(ctx, child)) is not None]
    text = DEFAULT_PROMPTS[step]
    if error is not None:
        text = f"{_DEFAULT_ERRORS[error]} {text}"
    language = session.verb.language or "en-US"

    def said(at: Any, interrupted: bool) -> Said:
        return Said(at, text, DEFAULT_PROMPT_VOICE, language, 1, interrupted)

    return [(float(say_seconds(text)), said)]


def _entry(
    ctx: Context,
    session: _Session,
    step: str,
    chosen: nodes.Prompt | None,
    error: str | None = None,
) -> Generator[Step, Any, str]:
    """Play the step's prompt, then take one entry: its digits (empty when nothing was
    entered), or ``*``."""
    timeout = float(session.verb.timeout)
    details = {"for": step}
    waiting = Waiting("Pay", ("dtmf",), timeout, details=details)
    prompting = Waiting("Pay", ("dtmf",), timeout, prompting=True, details=details)
    given: FarEndInput | None = None
    pieces = _pieces(ctx, session, step, chosen, error)
    if session.typed_ahead:  # keys already pressed cut the prompt short as it starts
        given = FarEndInput("digits", digits=session.typed_ahead)
        session.typed_ahead = ""
        if pieces:
            ctx.call.transcript.append(pieces[0][1](ctx.engine.clock.now, True))
        pieces = []
    for seconds, make in pieces:
        given = yield from _play(ctx, seconds, make, prompting)
        if given is not None:
            break
    if given is None:
        given = yield Listen(timeout, waiting)
        if given is None:
            return ""
    if given.kind != "digits":
        yield Sleep(timeout)  # speech or silence: <Pay> takes keys only
        return ""
    digits = ""
    for index, key in enumerate(given.digits):
        if key == _STAR:
            return _STAR
        if key == "#":
            session.typed_ahead = given.digits[index + 1 :]
            return digits
        if key.isdigit():
            digits += key
    yield Sleep(timeout)  # no "#": the entry ends when the caller stops pressing
    return digits


def _play(
    ctx: Context, seconds: float, make: Callable[[Any, bool], Event], listening: Waiting | None
) -> Generator[Step, Any, FarEndInput | None]:
    """One piece of a prompt; with ``listening`` a key cuts it short (returned)."""
    at = ctx.engine.clock.now
    try:
        if listening is None:
            yield Sleep(seconds)
            got = None
        else:
            got = yield Listen(seconds, listening)
    except (Interrupt, GeneratorExit):
        ctx.call.transcript.append(make(at, True))
        raise
    ctx.call.transcript.append(make(at, got is not None))
    if ctx.call.realtime_transcriptions or ctx.call.app_peer is not None:
        transcribe_said(ctx.engine, ctx.call, ctx.call.transcript[-1])
    return got


def _process(ctx: Context, session: _Session) -> Generator[Step, Any, tuple[str, dict[str, str]]]:
    """The ``payment-processing`` prompt, then the simulated connector's answer."""
    _status(ctx, session, "payment-processing", 1, None)
    chosen = _prompt_for(session.verb, "payment-processing", 1, None, session.card_type)
    for seconds, make in _pieces(ctx, session, "payment-processing", chosen, None):
        yield from _play(ctx, seconds, make, None)
    if session.captured.get("payment-card-number") == DECLINED_CARD:
        return "payment-connector-error", {
            "PaymentError": "card is declined",
            "PayErrorCode": str(CARD_REJECTED),
        }
    sids = ctx.engine.sids
    payment = sids.new("PK")
    amount = session.verb.charge_amount
    if amount is not None and (charge_cents(amount) or 0) > 0:
        return "success", {"PaymentConfirmationCode": "ch_" + sids.hex(f"{payment}:charge", 24)}
    return "success", {
        "PaymentToken": "tok_" + sids.hex(f"{payment}:token", 24),
        "ProfileId": "cus_" + sids.hex(f"{payment}:profile", 14),
    }


def _status(ctx: Context, session: _Session, step: str, attempt: int, error: str | None) -> None:
    """The ``statusCallback`` request as a step is asked for."""
    callback = session.verb.status_callback
    if callback is None:
        return
    record = ctx.call.record
    params = {"AccountSid": record.account_sid, "CallSid": record.sid, "For": step}
    params["Attempt"] = str(attempt)
    if error is not None:
        params["ErrorType"] = _status_error(error)
    params.update(session.masked(action=False))
    ctx.engine.notify(
        ctx.call,
        ctx.resolve(callback),
        session.verb.status_callback_method,
        params,
        kind="pay-status",
    )


def _action_params(
    ctx: Context, session: _Session, result: str, details: dict[str, str]
) -> dict[str, str]:
    record = ctx.call.record
    params = call_params(record, record.status.value)
    params["Result"] = result
    params["PaymentMethod"] = session.verb.payment_method
    params.update(session.masked(action=True))
    params.update(details)
    return params


def _request_action(
    ctx: Context, session: _Session, result: str, details: dict[str, str]
) -> Outcome:
    """Request the action (``POST``, the document's URL by default) and run its TwiML."""
    url = ctx.action_url(session.verb)
    if url is None:
        return None
    params = _action_params(ctx, session, result, details)
    return Goto(ctx.interpreter.load(ctx.call, url, "POST", kind="pay", params=params))


def _ended(ctx: Context, session: _Session, result: str) -> None:
    now = ctx.engine.clock.now
    ctx.call.transcript.append(PaymentEnded(now, session.verb.payment_method, result))

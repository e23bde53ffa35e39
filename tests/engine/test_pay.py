"""<Pay>: card and ACH capture step by step, retries with <Prompt errorType>, ``*``, a
hang-up, the simulated connector, the action and statusCallback requests, and masking."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from fixtures.twiml_app import Handler, TwimlApp
from tests.engine.helpers import base, place, response, simulator
from tests.support import APP_URL, CALLEE
from twimlsim import Simulator
from twimlsim.engine.events import Answered, HungUp, PaymentEnded, PaymentInput, Played, Said
from twimlsim.engine.session import SimCall
from twimlsim.errors import CallFailure
from twimlsim.report import format_call
from twimlsim.timeline import render_svg

CARD = "4111111111111111"
THANKS = response("<Say>Thanks</Say>")
ASK_CARD = "Please enter your credit card number, followed by the pound key."
ASK_EXPIRY = (
    "Please enter the expiration date, two digits for the month and two digits for the year."
)
ASK_CODE = "Please enter the security code, followed by the pound key."
ASK_POSTAL = "Please enter the billing postal code, followed by the pound key."
PROCESSING = "Thank you. Please wait while we process your payment."


def status(
    sim: Simulator, call: SimCall, step: str, attempt: int = 1, **got: str
) -> dict[str, str]:
    """A statusCallback request's exact parameters."""
    params = {"AccountSid": sim.account_sid, "CallSid": call.sid, "For": step}
    params["Attempt"] = str(attempt)
    params.update(got)
    return params


def action(
    sim: Simulator, call: SimCall, result: str, method: str = "credit-card", **got: str
) -> dict[str, str]:
    """The action request's exact parameters: the call's standard ones, then the result."""
    params = base(sim, call, "in-progress" if result != "caller-hung-up" else "completed")
    params.update(Result=result, PaymentMethod=method)
    params.update(got)
    return params


def pay_requests(call: SimCall, kind: str) -> list[dict[str, str]]:
    return [r.params for r in call.requests if r.kind == kind]


def said(text: str, at: datetime, interrupted: bool = False) -> Said:
    return Said(at, text, "man", "en-US", 1, interrupted)


def run(
    body: str, *presses: str, routes: dict[str, Handler | str] | None = None, strict: bool = True
) -> tuple[Simulator, SimCall]:
    """Run one call of ``body``; each of ``presses`` is one step's keys ("" stays silent)."""
    app_routes: dict[str, Handler | str] = {"/voice": response(body), "/paid": THANKS}
    app_routes.update(routes or {})
    with simulator(app_routes, strict=strict) as (sim, _):
        phone = sim.phone(CALLEE)
        for keys in presses:
            if keys:
                phone.presses(keys)
            else:
                phone.silence()
        call = place(sim)
        sim.run()
    return sim, call


def test_a_card_charge_reports_every_step_and_the_result() -> None:
    body = '<Pay chargeAmount="20.45" action="/paid" statusCallback="/paystatus"/>'
    sim, call = run(body, f"{CARD}#", "1228", "123#", "94109#")
    t = sim.clock.at
    second = 1_000_000
    assert call.transcript == [
        Answered(t(0)),
        said(ASK_CARD, t(0)),
        PaymentInput(t(5 * second), "payment-card-number", 1, "xxxxxxxxxxxx1111"),
        said(ASK_EXPIRY, t(5 * second)),
        # no "#": the entry ends 5 s (the timeout) after the keys
        PaymentInput(t(17 * second), "expiration-date", 1, "1228"),
        said(ASK_CODE, t(17 * second)),
        PaymentInput(t(21 * second), "security-code", 1, "xxx"),
        said(ASK_POSTAL, t(21 * second)),
        PaymentInput(t(26 * second), "postal-code", 1, "94109"),
        said(PROCESSING, t(26 * second)),
        PaymentEnded(t(30 * second), "credit-card", "success"),
        said("Thanks", t(30 * second)),
        HungUp(t(31 * second), by="twiml", status="completed"),
    ]
    card = {"PaymentCardNumber": "xxxxxxxxxxxx1111", "PaymentCardType": "visa"}
    assert pay_requests(call, "pay-status") == [
        status(sim, call, "payment-card-number"),
        status(sim, call, "expiration-date", **card),
        status(sim, call, "security-code", **card, ExpirationDate="1228"),
        status(sim, call, "postal-code", **card, ExpirationDate="1228", SecurityCode="xxx"),
        status(
            sim,
            call,
            "payment-processing",
            **card,
            ExpirationDate="1228",
            SecurityCode="xxx",
            PaymentCardPostalCode="94109",
        ),
    ]
    assert [(r.kind, r.method, r.url) for r in call.requests][-1] == (
        "pay",
        "POST",
        f"{APP_URL}/paid",
    )
    assert pay_requests(call, "pay") == [
        action(
            sim,
            call,
            "success",
            PaymentCardNumber="xxxx-xxxx-xxxx-1111",
            PaymentCardType="visa",
            ExpirationDate="1228",
            SecurityCode="***",
            PaymentCardPostalCode="94109",
            PaymentConfirmationCode="ch_515c2b164eac0fa464ce59ba",
        )
    ]
    assert sim.failures == []


def test_no_charge_amount_tokenizes_and_the_action_defaults_to_the_document() -> None:
    body = '<Pay securityCode="false" postalCode="false"/>'

    def voice(form: dict[str, str]) -> tuple[int, list[tuple[str, str]], str]:
        twiml = THANKS if "Result" in form else response(body)
        return 200, [("Content-Type", "text/xml")], twiml

    sim, call = run(body, "378282246310005#", "0130#", routes={"/voice": voice})
    (request,) = pay_requests(call, "pay")
    assert call.requests[-1].url == f"{APP_URL}/voice"
    assert request == action(
        sim,
        call,
        "success",
        PaymentCardNumber="xxxx-xxxxxx-x0005",  # American Express's 4-6-5 grouping
        PaymentCardType="amex",
        ExpirationDate="0130",
        PaymentToken="tok_6dce4032b4ad1a6f6c217068",
        ProfileId="cus_11c9eb08bd51db",
    )


def test_a_postal_code_given_in_the_verb_is_passed_on_without_asking() -> None:
    body = '<Pay action="/paid" postalCode="94105" securityCode="false"/>'
    sim, call = run(body, f"{CARD}#", "1228#")
    assert [e.for_ for e in call.transcript if isinstance(e, PaymentInput)] == [
        "payment-card-number",
        "expiration-date",
    ]
    (request,) = pay_requests(call, "pay")
    assert request["PaymentCardPostalCode"] == "94105"


def test_a_luhn_failure_is_asked_again_with_its_error_prompt() -> None:
    body = (
        '<Pay action="/paid" maxAttempts="2" statusCallback="/paystatus" securityCode="false"'
        ' postalCode="false">'
        '<Prompt for="payment-card-number"><Say>Card number please.</Say></Prompt>'
        '<Prompt for="payment-card-number" errorType="invalid-card-number">'
        "<Say>That card number was wrong. Card number please.</Say></Prompt>"
        '<Prompt for="payment-card-number" errorType="timeout">'
        "<Say>We heard nothing.</Say></Prompt>"
        "</Pay>"
    )
    sim, call = run(body, "4111111111111112#", f"{CARD}#", "1228#")
    t = sim.clock.at
    second = 1_000_000
    assert call.transcript[1:5] == [
        said("Card number please.", t(0)),
        PaymentInput(
            t(2 * second), "payment-card-number", 1, "xxxxxxxxxxxx1112", "invalid-card-number"
        ),
        said("That card number was wrong. Card number please.", t(2 * second)),
        PaymentInput(t(6 * second), "payment-card-number", 2, "xxxxxxxxxxxx1111"),
    ]
    assert pay_requests(call, "pay-status")[:3] == [
        status(sim, call, "payment-card-number"),
        status(sim, call, "payment-card-number", 2, ErrorType="invalid-card-number"),
        status(
            sim,
            call,
            "expiration-date",
            PaymentCardNumber="xxxxxxxxxxxx1111",
            PaymentCardType="visa",
        ),
    ]
    assert pay_requests(call, "pay")[0]["Result"] == "success"


@pytest.mark.parametrize(
    ("attrs", "presses", "error", "entered"),
    [
        ("", ["", ""], "input-timeout", ["", ""]),  # silence twice: maxAttempts="2"
        (
            'validCardTypes="visa"',
            ["5555555555554444#", "5105105105105100#"],
            "invalid-card-type",
            ["xxxxxxxxxxxx4444", "xxxxxxxxxxxx5100"],
        ),
        ("", ["4111#", "#"], "input-timeout", ["4111", ""]),
    ],
)
def test_too_many_failed_attempts_ends_the_pay(
    attrs: str, presses: list[str], error: str, entered: list[str]
) -> None:
    body = f'<Pay action="/paid" maxAttempts="2" {attrs}/><Say>Not reached</Say>'
    with simulator({"/voice": response(body), "/paid": THANKS}) as (sim, _):
        phone = sim.phone(CALLEE)
        for keys in presses:
            if keys:
                phone.presses(keys)
            else:
                phone.silence()
        call = place(sim)
        sim.run()
    inputs = [e for e in call.transcript if isinstance(e, PaymentInput)]
    assert [e.entered for e in inputs] == entered
    assert [e.attempt for e in inputs] == [1, 2]
    (request,) = pay_requests(call, "pay")
    assert request == action(sim, call, "too-many-failed-attempts", PaymentError=error)
    assert call.said[-1] == "Thanks"


def test_the_default_maxattempts_takes_one_entry_a_step() -> None:
    sim, call = run('<Pay action="/paid"/>', "4111111111111112#")
    (request,) = pay_requests(call, "pay")
    assert request == action(
        sim, call, "too-many-failed-attempts", PaymentError="invalid-card-number"
    )


def test_expired_dates_and_short_security_codes_are_refused() -> None:
    body = '<Pay action="/paid" maxAttempts="3" postalCode="false"/>'
    presses = ["371449635398431#", "1325#", "1225#", "0126#", "123#", "1234#"]
    sim, call = run(body, *presses)
    inputs = [
        (e.for_, e.attempt, e.entered, e.error)
        for e in call.transcript
        if isinstance(e, PaymentInput)
    ]
    assert inputs == [
        ("payment-card-number", 1, "xxxxxxxxxxx8431", None),
        ("expiration-date", 1, "1325", "invalid-date"),  # month 13
        ("expiration-date", 2, "1225", "invalid-date"),  # December 2025 is past
        ("expiration-date", 3, "0126", None),  # January 2026, this month
        ("security-code", 1, "xxx", "invalid-security-code"),  # amex has 4 digits
        ("security-code", 2, "xxxx", None),
    ]
    assert pay_requests(call, "pay")[0]["SecurityCode"] == "****"


def test_prompts_are_chosen_by_attempt_and_card_type() -> None:
    body = (
        '<Pay action="/paid" maxAttempts="2" postalCode="false">'
        '<Prompt for="expiration-date" attempt="1"><Say>Expiry.</Say></Prompt>'
        '<Prompt for="expiration-date" attempt="2 3"><Say>Expiry, as in 0 3 2 2.</Say></Prompt>'
        '<Prompt for="security-code" cardType="visa mastercard"><Say>Three digits.</Say></Prompt>'
        '<Prompt for="security-code" cardType="amex"><Say>Four digits.</Say></Prompt>'
        '<Prompt for="payment-processing"><Play>https://media.test/wait.mp3</Play></Prompt>'
        "</Pay>"
    )
    sim, call = run(body, "371449635398431#", "", "0130#", "1234#")
    assert call.said == [ASK_CARD, "Expiry.", "Expiry, as in 0 3 2 2.", "Four digits.", "Thanks"]
    assert [e.url for e in call.transcript if isinstance(e, Played)] == [
        "https://media.test/wait.mp3"
    ]


def test_star_ends_the_pay_and_runs_the_action() -> None:
    body = '<Pay action="/paid" statusCallback="/paystatus"/><Say>Not reached</Say>'
    sim, call = run(body, f"{CARD}#", "12*")
    (request,) = pay_requests(call, "pay")
    assert request == action(
        sim,
        call,
        "caller-interrupted-with-star",
        PaymentCardNumber="xxxx-xxxx-xxxx-1111",
        PaymentCardType="visa",
    )
    assert call.transcript[-3] == PaymentEnded(
        sim.clock.at(12_000_000), "credit-card", "caller-interrupted-with-star"
    )
    assert call.said[-1] == "Thanks"
    assert len(pay_requests(call, "pay-status")) == 2


def test_a_hang_up_mid_capture_requests_the_action_and_ends_the_call() -> None:
    body = '<Pay action="/paid"/><Say>Not reached</Say>'
    with simulator({"/voice": response(body), "/paid": THANKS}) as (sim, _):
        sim.phone(CALLEE).presses(f"{CARD}#").hangs_up(after=8)
        call = place(sim)
        sim.run()
    t = sim.clock.at
    assert call.transcript[-4:] == [
        PaymentInput(t(5_000_000), "payment-card-number", 1, "xxxxxxxxxxxx1111"),
        said(ASK_EXPIRY, t(5_000_000), interrupted=True),
        HungUp(t(8_000_000), by="caller", status="completed"),
        PaymentEnded(t(8_000_000), "credit-card", "caller-hung-up"),
    ]
    (request,) = pay_requests(call, "pay")
    assert request == action(
        sim,
        call,
        "caller-hung-up",
        PaymentCardNumber="xxxx-xxxx-xxxx-1111",
        PaymentCardType="visa",
    )
    assert "Thanks" not in call.said


def test_an_ach_debit_captures_the_routing_and_account_numbers() -> None:
    body = (
        '<Pay action="/paid" paymentMethod="ach-debit" chargeAmount="13.22" maxAttempts="2"'
        ' bankAccountType="consumer-savings" statusCallback="/paystatus">'
        '<Prompt for="bank-routing-number"><Say>Routing number.</Say></Prompt>'
        '<Prompt for="bank-routing-number" errorType="invalid-bank-routing-number">'
        "<Say>Bad routing number.</Say></Prompt>"
        '<Prompt for="bank-account-number"><Say>Account number.</Say></Prompt>'
        "</Pay>"
    )
    sim, call = run(body, "121181977#", "121181976#", "508862392#")
    assert call.said == [
        "Routing number.",
        "Bad routing number.",
        "Account number.",
        PROCESSING,
        "Thanks",
    ]
    assert pay_requests(call, "pay-status") == [
        status(sim, call, "bank-routing-number", BankAccountType="consumer-savings"),
        status(
            sim,
            call,
            "bank-routing-number",
            2,
            ErrorType="invalid-bank-routing-number",
            BankAccountType="consumer-savings",
        ),
        status(
            sim,
            call,
            "bank-account-number",
            BankRoutingNumber="121181976",
            BankAccountType="consumer-savings",
        ),
        status(
            sim,
            call,
            "payment-processing",
            BankRoutingNumber="121181976",
            BankAccountNumber="*******92",
            BankAccountType="consumer-savings",
        ),
    ]
    (request,) = pay_requests(call, "pay")
    assert request == action(
        sim,
        call,
        "success",
        "ach-debit",
        BankRoutingNumber="121181976",
        BankAccountNumber="*******92",
        BankAccountType="consumer-savings",
        PaymentConfirmationCode="ch_515c2b164eac0fa464ce59ba",
    )


def test_matching_inputs_that_differ_are_asked_again() -> None:
    body = (
        '<Pay action="/paid" paymentMethod="ach-debit" maxAttempts="2">'
        '<Prompt for="bank-account-number"><Say>Account number.</Say></Prompt>'
        '<Prompt for="bank-account-number" requireMatchingInputs="true">'
        "<Say>Again please.</Say></Prompt>"
        '<Prompt for="bank-account-number" errorType="input-matching-failed">'
        "<Say>They did not match. Account number.</Say></Prompt>"
        "</Pay>"
    )
    presses = ["121181976#", "508862392#", "508862393#", "508862392#", "508862392#"]
    sim, call = run(body, *presses)
    inputs = [
        (e.for_, e.attempt, e.entered, e.error)
        for e in call.transcript
        if isinstance(e, PaymentInput)
    ]
    assert inputs == [
        ("bank-routing-number", 1, "121181976", None),
        ("bank-account-number", 1, "*******92", "input-matching-failed"),
        ("bank-account-number", 2, "*******92", None),
    ]
    assert call.said[1:6] == [
        "Account number.",
        "Again please.",
        "They did not match. Account number.",
        "Again please.",
        PROCESSING,
    ]
    assert pay_requests(call, "pay")[0]["Result"] == "success"


def test_the_declined_test_card_is_a_connector_error() -> None:
    body = '<Pay action="/paid" chargeAmount="5" securityCode="false" postalCode="false"/>'
    sim, call = run(body, "4000000000000002#", "1228#")
    (request,) = pay_requests(call, "pay")
    assert request == action(
        sim,
        call,
        "payment-connector-error",
        PaymentCardNumber="xxxx-xxxx-xxxx-0002",
        PaymentCardType="visa",
        ExpirationDate="1228",
        PaymentError="card is declined",
        PayErrorCode="64012",
    )


@pytest.mark.parametrize(
    ("attrs", "code", "message", "payment_error"),
    [
        (
            'chargeAmount="-0.5"',
            64003,
            "<Pay chargeAmount='-0.5'> is not an amount between 0.00 and 1,000,000.00 with at "
            "most two decimals: Twilio refuses the <Pay>; twimlsim asked for nothing and "
            'requested the action with Result=validation-error. Give e.g. chargeAmount="20.45" '
            '(or none, or "0", to tokenize)',
            "paymentAmount='-0.5' (not a number between 0.00 - 1,000,000.00)",
        ),
        (
            'chargeAmount="10.999"',
            64003,
            None,
            "paymentAmount='10.999' (not a number between 0.00 - 1,000,000.00)",
        ),
        (
            'chargeAmount="1000000.01"',
            64003,
            None,
            "paymentAmount='1000000.01' (not a number between 0.00 - 1,000,000.00)",
        ),
        (
            'chargeAmount="ten"',
            64003,
            None,
            "paymentAmount='ten' (not a number between 0.00 - 1,000,000.00)",
        ),
        (
            'maxAttempts="5"',
            64020,
            "<Pay maxAttempts='5'> is not 1, 2 or 3: Twilio refuses the <Pay>; twimlsim asked "
            "for nothing and requested the action with Result=validation-error. Give "
            "maxAttempts 1, 2 or 3",
            "maxAttempts='5' (not a number between 1 - 3)",
        ),
    ],
)
def test_an_invalid_attribute_is_a_validation_error(
    attrs: str, code: int, message: str | None, payment_error: str
) -> None:
    sim, call = run(f'<Pay action="/paid" {attrs}/>', strict=False)
    (failure,) = sim.failures
    assert (failure.code, failure.url, failure.element, failure.line) == (
        code,
        f"{APP_URL}/voice",
        "Pay",
        1,
    )
    if message is not None:
        assert failure == CallFailure(call.sid, code, message, f"{APP_URL}/voice", "Pay", 1)
    (request,) = pay_requests(call, "pay")
    assert request == action(sim, call, "validation-error", PaymentError=payment_error)
    assert call.said == ["Thanks"]


def test_the_full_card_number_and_security_code_are_kept_nowhere() -> None:
    body = '<Pay chargeAmount="20.45" action="/paid" statusCallback="/paystatus" maxAttempts="2"/>'
    sim, call = run(body, "4111111111111112#", f"{CARD}#", "1228", "987#", "94109#", strict=False)
    shown = format_call(call) + repr(call.transcript) + repr(sim.failures)
    shown += "".join(repr(r.params) + r.url for r in sim.requests)
    assert CARD not in shown
    assert "4111111111111112" not in shown
    assert "987" not in shown
    assert "xxxx-xxxx-xxxx-1111" in shown


def test_a_test_drives_a_pay_by_hand() -> None:
    body = '<Pay action="/paid" securityCode="false" postalCode="false"/>'
    with simulator({"/voice": response(body), "/paid": THANKS}) as (sim, _):
        call = place(sim)
        call.run()
        assert call.waiting_for is not None
        assert (call.waiting_for.verb, call.waiting_for.details) == (
            "Pay",
            {"for": "payment-card-number"},
        )
        call.press(f"{CARD}#")
        call.run()
        assert call.waiting_for is not None
        assert call.waiting_for.details == {"for": "expiration-date"}
        call.press("1230#")
        call.run()
    assert pay_requests(call, "pay")[0]["Result"] == "success"
    assert call.said[-1] == "Thanks"


def test_a_relative_action_in_inline_twiml_is_15004() -> None:
    twiml = '<Response><Pay action="/paid" chargeAmount="-1"/><Say>Next</Say></Response>'
    with simulator({}, strict=False) as (sim, _):
        call = place(sim, url=None, twiml=twiml)
        sim.run()
    assert [f.code for f in sim.failures] == [64003, 15004]
    assert pay_requests(call, "pay") == []
    assert call.said == ["Next"]


def test_a_validation_error_looping_on_its_own_document_names_the_pay() -> None:
    sim, call = run('<Pay chargeAmount="-1"/>', strict=False)
    assert sim.failures[-1].message == (
        "100 documents fetched without virtual time passing (a loop: the last request was a "
        "<Pay> action, which took no time and led back to a document that runs it again (an "
        "empty action= is the document's own URL)); twimlsim ended the call"
    )


def test_a_rest_redirect_mid_capture_requests_no_action() -> None:
    body = '<Pay action="/paid"/>'
    with simulator(
        {"/voice": response(body), "/paid": THANKS, "/next": response("<Say>Moved</Say>")}
    ) as (sim, _):
        call = place(sim)
        call.run()
        sim.client().calls(call.sid).update(url=f"{APP_URL}/next")
        sim.run()
    assert pay_requests(call, "pay") == []
    assert call.said == [ASK_CARD, "Moved"]
    assert not any(isinstance(e, PaymentEnded) for e in call.transcript)


@pytest.mark.parametrize(
    ("amount", "keys"),
    [
        ("0", ["PaymentToken", "ProfileId"]),
        ("0.00", ["PaymentToken", "ProfileId"]),
        ("0.01", ["PaymentConfirmationCode"]),
        ("1000000", ["PaymentConfirmationCode"]),
    ],
)
def test_a_charge_amount_over_zero_charges_else_tokenizes(amount: str, keys: list[str]) -> None:
    body = f'<Pay action="/paid" chargeAmount="{amount}" securityCode="false" postalCode="false"/>'
    sim, call = run(body, f"{CARD}#", "1230#")
    (request,) = pay_requests(call, "pay")
    assert [key for key in request if key.startswith(("Payment", "Profile"))] == [
        "PaymentMethod",
        "PaymentCardNumber",
        "PaymentCardType",
    ] + keys


def test_a_pay_reads_well_in_the_call_report() -> None:
    body = '<Pay action="/paid" maxAttempts="2" securityCode="false" postalCode="false"/>'
    sim, call = run(body, "", f"{CARD}#", "1230#")
    lines = format_call(call, params=False).splitlines()
    assert [line for line in lines if " pay " in line] == [
        "  09:00:10  pay payment-card-number (attempt 1): nothing, timeout",  # 5 s prompt, 5 s
        "  09:00:18  pay payment-card-number (attempt 2): 'xxxxxxxxxxxx1111'",  # 18 words
        "  09:00:25  pay expiration-date (attempt 1): '1230'",
        "  09:00:29  pay ended (credit-card): success",
        "  09:00:29  pay       POST https://app.test/paid -> 200",
    ]


def test_the_timeline_marks_each_entry_masked() -> None:
    sim, call = run(
        '<Pay action="/paid" securityCode="false" postalCode="false"/>', f"{CARD}#", "1230#"
    )
    svg = render_svg([call])
    assert "pay payment-card-number: xxxxxxxxxxxx1111" in svg
    assert "pay: success" in svg
    assert CARD not in svg


def test_a_live_transcription_hears_the_prompts_and_no_keys() -> None:
    body = (
        '<Start><Transcription statusCallbackUrl="/live"/></Start>'
        '<Pay action="/paid" securityCode="false" postalCode="false"/>'
    )
    sim, call = run(body, f"{CARD}#", "1230#")
    heard = [
        json.loads(r.params["TranscriptionData"])["transcript"]
        for r in call.requests
        if r.kind == "realtime-transcription" and "TranscriptionData" in r.params
    ]
    assert heard == [ASK_CARD, ASK_EXPIRY, PROCESSING, "Thanks"]


#: Twilio's own TwiML examples, third-party data kept in ``../shared`` beside the repository.
EXAMPLES = Path(__file__).resolve().parents[3] / "shared" / "data" / "twiml-examples"
PAY_EXAMPLES = sorted(EXAMPLES.glob("pay__*")) if EXAMPLES.is_dir() else []


@pytest.mark.skipif(not PAY_EXAMPLES, reason="../shared/data/twiml-examples is not there")
@pytest.mark.parametrize("example", PAY_EXAMPLES, ids=lambda path: path.name)
def test_twilios_pay_examples_take_a_payment(example: Path) -> None:
    twiml = example.read_text(encoding="utf-8")

    def voice(form: dict[str, str]) -> tuple[int, list[tuple[str, str]], str]:
        body = "<Response/>" if "Result" in form else twiml
        return 200, [("Content-Type", "text/xml")], body

    done = TwimlApp({"/pay": "<Response/>"})
    with simulator({"/voice": voice}) as (sim, _):
        sim.route("https://your-callback-function-url.com", done)  # type: ignore[arg-type]
        sim.route("https://enter-your-callback-function-url.twil.io", done)  # type: ignore[arg-type]
        phone = sim.phone(CALLEE)
        if 'paymentMethod="ach-debit"' in twiml:
            matching = "requireMatchingInputs" in twiml
            keys = ["121181976#", "508862392#"] + (["508862392#"] if matching else [])
        else:
            keys = [f"{CARD}#", "1230#", "123#", "94105#"]
        for step in keys:
            phone.presses(step)
        call = place(sim)
        sim.run()
    (paid,) = [r for r in call.requests if r.kind == "pay"]
    assert paid.params["Result"] == "success"
    assert sim.failures == []

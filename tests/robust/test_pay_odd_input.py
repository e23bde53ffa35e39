"""<Pay> with odd input: a card number keyed at a step Twilio reports in the clear is never
kept or sent in the clear; a ``validCardTypes`` naming no card type Twilio knows is
reported instead of silently refusing every card; keys typed after a ``#`` answer the next
steps; a looping default action says what to do; an amount in non-ASCII digits and
``maxAttempts="0"`` are validation errors."""

from __future__ import annotations

import pytest

from tests.engine.helpers import place, response, simulator
from tests.support import CALLEE
from twimlsim.engine.events import PaymentEnded, PaymentInput
from twimlsim.errors import ConfigurationError
from twimlsim.report import format_call

CARD = "4111111111111111"


def test_a_card_number_keyed_at_the_expiry_and_postal_steps_is_masked() -> None:
    routes = {
        "/voice": response('<Pay action="/paid" maxAttempts="2"/>'),
        "/paid": response("<Hangup/>"),
    }
    with simulator(routes) as (sim, _):
        phone = sim.phone(CALLEE).presses(CARD + "#")
        phone.presses(CARD + "#").presses("1230#").presses("123#")
        phone.presses(CARD + "#").presses("94105#")
        call = place(sim)
        sim.run()
    entries = [e for e in call.transcript if isinstance(e, PaymentInput)]
    inputs = [(e.for_, e.attempt, e.entered, e.error) for e in entries]
    assert inputs == [
        ("payment-card-number", 1, "xxxxxxxxxxxx1111", None),
        ("expiration-date", 1, "xxxxxxxxxxxx1111", "invalid-date"),
        ("expiration-date", 2, "1230", None),
        ("security-code", 1, "xxx", None),
        ("postal-code", 1, "xxxxxxxxxxxx1111", "invalid-postal-code"),
        ("postal-code", 2, "94105", None),
    ]
    [paid] = [r.params for r in call.requests if r.kind == "pay"]
    assert (paid["Result"], paid["PaymentCardPostalCode"]) == ("success", "94105")
    assert CARD not in format_call(call, params=True)
    assert all(CARD not in str(failure) for failure in sim.failures)


def test_a_postal_code_longer_than_ten_characters_is_refused() -> None:
    routes = {
        "/voice": response('<Pay action="/paid" securityCode="false" maxAttempts="1"/>'),
        "/paid": response("<Hangup/>"),
    }
    with simulator(routes) as (sim, _):
        sim.phone(CALLEE).presses(CARD + "#").presses("1230#").presses("12345678901#")
        call = place(sim)
        sim.run()
    [paid] = [r.params for r in call.requests if r.kind == "pay"]
    assert (paid["Result"], paid["PaymentError"]) == (
        "too-many-failed-attempts",
        "invalid-postal-code",
    )
    assert "PaymentCardPostalCode" not in paid


def test_valid_card_types_naming_no_known_type_is_12200_and_the_default_is_used() -> None:
    routes = {
        "/voice": response('<Pay action="/paid" validCardTypes="VISA master-card"/>'),
        "/paid": response("<Hangup/>"),
    }
    with simulator(routes, strict=False) as (sim, _):
        sim.phone(CALLEE).presses(CARD + "#").presses("*")
        call = place(sim)
        sim.run()
    [warning] = sim.failures
    assert (warning.code, warning.element, warning.line) == (12200, "Pay", 1)
    assert warning.message == (
        "<Pay> validCardTypes='VISA master-card' is invalid: expected space-separated "
        "values from: visa, mastercard, amex, maestro, discover, optima, jcb, diners-club, "
        "enroute; using 'visa mastercard amex'"
    )
    inputs = [e for e in call.transcript if isinstance(e, PaymentInput)]
    assert [(e.for_, e.error) for e in inputs] == [("payment-card-number", None)]
    [ended] = [e for e in call.transcript if isinstance(e, PaymentEnded)]
    assert ended.result == "caller-interrupted-with-star"


def test_a_pay_without_an_action_that_loops_says_so() -> None:
    with simulator({"/voice": response("<Pay/>")}, strict=False) as (sim, _):
        sim.phone(CALLEE).presses("*")
        call = place(sim)
        sim.run()
    assert [f.message for f in sim.failures] == [
        "1000 documents fetched on one call (the last one a <Pay> action: a <Pay> without an "
        "action requests its own document again, which asks for the payment again, whatever "
        'its Result; give the <Pay> an action (<Pay action="/paid">) whose TwiML goes on); '
        "twimlsim ended the call"
    ]
    assert call.status == "completed"


def test_keys_typed_after_a_hash_answer_the_next_steps() -> None:
    routes = {"/voice": response('<Pay action="/paid"/>'), "/paid": response("<Hangup/>")}
    with simulator(routes) as (sim, _):
        sim.phone(CALLEE).presses(CARD + "#1230#123#94105#")
        call = place(sim)
        sim.run()
    entries = [e for e in call.transcript if isinstance(e, PaymentInput)]
    assert [(e.for_, e.entered, e.error, e.at.second) for e in entries] == [
        ("payment-card-number", "xxxxxxxxxxxx1111", None, 5),
        ("expiration-date", "1230", None, 5),
        ("security-code", "xxx", None, 5),
        ("postal-code", "94105", None, 5),
    ]
    # each later prompt is cut short as it starts
    assert [(str(s), s.interrupted) for s in call.said] == [
        ("Please enter your credit card number, followed by the pound key.", False),
        (
            "Please enter the expiration date, two digits for the month and two digits for "
            "the year.",
            True,
        ),
        ("Please enter the security code, followed by the pound key.", True),
        ("Please enter the billing postal code, followed by the pound key.", True),
        ("Thank you. Please wait while we process your payment.", False),
    ]
    [paid] = [r.params for r in call.requests if r.kind == "pay"]
    assert (paid["Result"], paid["PaymentCardNumber"], paid["PaymentCardPostalCode"]) == (
        "success",
        "xxxx-xxxx-xxxx-1111",
        "94105",
    )


@pytest.mark.parametrize(
    ("attribute", "code", "payment_error"),
    [
        (
            'chargeAmount="١٢"',
            64003,
            "paymentAmount='١٢' (not a number between 0.00 - 1,000,000.00)",
        ),
        ('maxAttempts="0"', 64020, "maxAttempts='0' (not a number between 1 - 3)"),
    ],
)
def test_amounts_in_other_scripts_and_zero_attempts_are_validation_errors(
    attribute: str, code: int, payment_error: str
) -> None:
    routes = {"/voice": response(f'<Pay action="/paid" {attribute}/>'), "/paid": response("")}
    with simulator(routes, strict=False) as (sim, _):
        call = place(sim)
        sim.run()
    assert [(f.code, f.element) for f in sim.failures] == [(code, "Pay")]
    [paid] = [r.params for r in call.requests if r.kind == "pay"]
    assert (paid["Result"], paid["PaymentError"]) == ("validation-error", payment_error)


def test_speech_given_by_hand_at_a_pay_step_is_refused_with_what_to_do() -> None:
    routes = {
        "/voice": response('<Pay action="/paid" securityCode="false" postalCode="false"/>'),
        "/paid": response("<Say>Done</Say>"),
    }
    with simulator(routes) as (sim, _):
        call = place(sim)
        call.run()
        with pytest.raises(ConfigurationError) as refused:
            call.say("four one one one")
        assert str(refused.value) == (
            f"call.say('four one one one'): call {call.sid} waits at a <Pay> step "
            "(payment-card-number), which takes keys only: Twilio would ignore anything else "
            "and the step would time out; give keys (call.press('4111111111111111#'): '#' "
            "ends the entry), or call.silence() to let it time out"
        )
        call.press(CARD + "#")  # the wait was not used up by the refused input
        call.run()
        call.press("1230#")
        call.run()
    [paid] = [r.params for r in call.requests if r.kind == "pay"]
    assert (paid["Result"], paid["ExpirationDate"]) == ("success", "1230")
    assert call.said[-1] == "Done"

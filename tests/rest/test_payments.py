"""Agent-assisted payments through the Payments subresource of a live call: ``POST
/Calls/{Sid}/Payments.json`` opens a session, ``POST .../Payments/{Sid}.json`` captures one
piece from the caller's keys or completes / cancels it (``engine/payments.py``)."""

from __future__ import annotations

import pytest
import requests
from twilio.base.exceptions import TwilioRestException

from tests.rest.test_edges import api, assert_error
from tests.rest.test_streams import live_call
from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim import Simulator
from twimlsim.engine.payment_rules import CARD_TYPES

STATUS = f"{APP_URL}/status"
AGENT = "+15551230000"
CARD = "4111111111111111"


def open_session(
    sim: Simulator, call_sid: str, key: str = "open", **form: str
) -> requests.Response:
    path = f"/2010-04-01/Accounts/{{ac}}/Calls/{call_sid}/Payments.json"
    return api(sim, "POST", path, {"IdempotencyKey": key, "StatusCallback": STATUS, **form})


def update(sim: Simulator, call_sid: str, sid: str, key: str, **form: str) -> requests.Response:
    path = f"/2010-04-01/Accounts/{{ac}}/Calls/{call_sid}/Payments/{sid}.json"
    return api(sim, "POST", path, {"IdempotencyKey": key, "StatusCallback": STATUS, **form})


def callbacks(sim: Simulator, call_sid: str) -> list[dict[str, str]]:
    return [dict(r.params) for r in sim.calls[call_sid].requests if r.kind == "payment-status"]


def common(sim: Simulator, call_sid: str, sid: str, method: str = "credit-card") -> dict[str, str]:
    return {
        "AccountSid": sim.account_sid,
        "CallSid": call_sid,
        "Sid": sid,
        "PaymentConnector": "Default",
        "PaymentMethod": method,
    }


def resource(sim: Simulator, call_sid: str, sid: str, updated: str) -> dict[str, object]:
    """The resource as answered: opened at 09:00:01, last updated at 09:00:``updated``."""
    return {
        "account_sid": sim.account_sid,
        "call_sid": call_sid,
        "sid": sid,
        "date_created": "Thu, 01 Jan 2026 09:00:01 +0000",
        "date_updated": f"Thu, 01 Jan 2026 09:00:{updated} +0000",
        "uri": f"/2010-04-01/Accounts/{sim.account_sid}/Calls/{call_sid}/Payments/{sid}.json",
    }


def test_an_agent_captures_a_card_from_a_bridged_caller_and_charges_it(sim: Simulator) -> None:
    sim.phone(CALLEE).presses(f"{CARD}#1230#").presses("123#94105#")
    call_sid = live_call(sim, f"<Response><Dial>{AGENT}</Dial></Response>")
    sim.advance(1)
    opened = open_session(sim, call_sid, ChargeAmount="10.00")
    sid = opened.json()["sid"]
    assert (opened.status_code, opened.json()) == (201, resource(sim, call_sid, sid, "01"))
    steps = ("payment-card-number", "expiration-date", "security-code", "postal-code")
    for number, step in enumerate(steps):
        captured = update(sim, call_sid, sid, f"capture-{number}", Capture=step)
        assert captured.status_code == 202
        sim.advance(10)
    done = update(sim, call_sid, sid, "complete", Status="complete")
    assert (done.status_code, done.json()) == (202, resource(sim, call_sid, sid, "41"))
    base = common(sim, call_sid, sid)
    card = {"PaymentCardNumber": "xxxxxxxxxxxx1111", "PaymentCardType": "visa"}
    assert callbacks(sim, call_sid) == [
        {**base, "DateCreated": "2026-01-01T09:00:01.000Z", "ChargeAmount": "10.00"},
        {
            **base,
            "Capture": "payment-card-number",
            "PartialResult": "false",
            "Required": "expiration-date,security-code,postal-code",
            **card,
        },
        {
            **base,
            "Capture": "expiration-date",
            "PartialResult": "false",
            "Required": "security-code,postal-code",
            **card,
            "ExpirationDate": "1230",
        },
        {
            **base,
            "Capture": "security-code",
            "PartialResult": "false",
            "Required": "postal-code",
            **card,
            "ExpirationDate": "1230",
            "SecurityCode": "xxx",
        },
        {
            **base,
            "Capture": "postal-code",
            "PartialResult": "false",
            "Required": "",
            **card,
            "ExpirationDate": "1230",
            "SecurityCode": "xxx",
            "PaymentCardPostalCode": "94105",
        },
        {
            **base,
            "Result": "success",
            "PaymentConfirmationCode": "ch_515c2b164eac0fa464ce59ba",
            **card,
            "ExpirationDate": "1230",
            "SecurityCode": "xxx",
            "PaymentCardPostalCode": "94105",
        },
    ]
    # the card number's "#" at 1 + 16 x 0.5 + 0.5 s; "1230#" typed ahead, taken at 11 s
    sent = [r.at.strftime("%S.%f")[:4] for r in sim.calls[call_sid].requests[-6:]]
    assert sent == ["01.0", "09.5", "13.5", "23.0", "34.0", "41.0"]
    assert sim.calls[call_sid].status == "in-progress"  # the bridge to the agent goes on


def test_the_twilio_client_tokenizes_a_bank_account(sim: Simulator) -> None:
    sim.phone(CALLEE).presses("121000358#").presses("123456789#")
    call_sid = live_call(sim)
    client = sim.client()
    session = client.calls(call_sid).payments.create(
        idempotency_key="open", status_callback=STATUS, payment_method="ach-debit"
    )
    assert (session.sid[:2], session.call_sid, session.account_sid) == (
        "PK",
        call_sid,
        sim.account_sid,
    )
    for number, step in enumerate(("bank-routing-number", "bank-account-number")):
        client.calls(call_sid).payments(session.sid).update(
            idempotency_key=f"capture-{number}", status_callback=STATUS, capture=step
        )
        sim.advance(10)
    client.calls(call_sid).payments(session.sid).update(
        idempotency_key="complete", status_callback=STATUS, status="complete"
    )
    assert callbacks(sim, call_sid)[-1] == {
        **common(sim, call_sid, session.sid, "ach-debit"),
        "Result": "success",
        "PaymentToken": "tok_6dce4032b4ad1a6f6c217068",
        "ProfileId": "cus_11c9eb08bd51db",
        "BankRoutingNumber": "121000358",
        "BankAccountNumber": "*******89",
        "BankAccountType": "consumer-checking",
    }


def test_a_refused_entry_and_a_timeout_report_their_error_and_keep_it_required(
    sim: Simulator,
) -> None:
    sim.phone(CALLEE).presses("4111111111111112#")
    call_sid = live_call(sim)
    sid = open_session(sim, call_sid, SecurityCode="false", PostalCode="false").json()["sid"]
    update(sim, call_sid, sid, "first", Capture="payment-card-number")
    sim.advance(10)
    update(sim, call_sid, sid, "second", Capture="payment-card-number")
    sim.advance(10)
    base = {**common(sim, call_sid, sid), "Capture": "payment-card-number"}
    required = "payment-card-number,expiration-date"
    assert callbacks(sim, call_sid)[1:] == [
        {
            **base,
            "PartialResult": "false",
            "Required": required,
            "ErrorType": "invalid-card-number",
        },
        {**base, "PartialResult": "false", "Required": required, "ErrorType": "input-timeout"},
    ]
    [first, second] = [r.at.second for r in sim.calls[call_sid].requests[-2:]]
    assert (first, second) == (8, 15)  # 17 keys; then the session's Timeout of 5 s


def test_a_declined_card_and_a_cancel_report_their_result(sim: Simulator) -> None:
    sim.phone(CALLEE).presses("4000000000000002#1230#")
    call_sid = live_call(sim)
    sid = open_session(sim, call_sid, SecurityCode="false", PostalCode="false").json()["sid"]
    update(sim, call_sid, sid, "card", Capture="payment-card-number")
    sim.advance(10)
    update(sim, call_sid, sid, "date", Capture="expiration-date")
    sim.advance(5)
    update(sim, call_sid, sid, "complete", Status="complete")
    assert callbacks(sim, call_sid)[-1] == {
        **common(sim, call_sid, sid),
        "Result": "payment-connector-error",
        "PaymentError": "card is declined",
        "PayErrorCode": "64012",
        "PaymentCardNumber": "xxxxxxxxxxxx0002",
        "PaymentCardType": "visa",
        "ExpirationDate": "1230",
    }
    second = open_session(sim, call_sid, "again").json()["sid"]
    assert second != sid
    cancelled = update(sim, call_sid, second, "cancel", Status="cancel")
    assert cancelled.status_code == 202
    assert callbacks(sim, call_sid)[-1] == {**common(sim, call_sid, second), "Result": "cancelled"}


def test_a_repeated_idempotency_key_is_answered_again_and_does_nothing_more(
    sim: Simulator,
) -> None:
    sim.phone(CALLEE).presses(f"{CARD}#")
    call_sid = live_call(sim)
    first = open_session(sim, call_sid, "same")
    again = open_session(sim, call_sid, "same")
    assert (again.status_code, again.json()) == (201, first.json())
    sid = first.json()["sid"]
    update(sim, call_sid, sid, "capture", Capture="payment-card-number")
    repeated = update(sim, call_sid, sid, "capture", Capture="payment-card-number")
    assert repeated.status_code == 202
    sim.advance(10)
    assert [params.get("Capture") for params in callbacks(sim, call_sid)] == [
        None,
        "payment-card-number",
    ]


def test_errors_use_twilios_codes(sim: Simulator) -> None:
    call_sid = live_call(sim)
    path = f"/2010-04-01/Accounts/{{ac}}/Calls/{call_sid}/Payments.json"
    missing = api(sim, "POST", path, {"StatusCallback": STATUS})
    assert_error(
        missing,
        400,
        20001,
        "Missing required parameter IdempotencyKey in the post body: give IdempotencyKey "
        "with every Payments request",
    )
    assert_error(
        open_session(sim, call_sid, ChargeAmount="-1"),
        400,
        64003,
        "ChargeAmount '-1' is not an amount between 0.00 and 1,000,000.00 with at most two "
        "decimals: give e.g. ChargeAmount=20.45 (or none, or 0, to tokenize)",
    )
    assert_error(
        open_session(sim, call_sid, PaymentMethod="cash"),
        400,
        64020,
        "Invalid value 'cash' for PaymentMethod: expected one of credit-card, ach-debit",
    )
    sid = open_session(sim, call_sid).json()["sid"]
    assert_error(
        open_session(sim, call_sid, "other"),
        400,
        64021,
        f"Call {call_sid} already has an open payment session: complete or cancel it "
        "(Status=complete or Status=cancel) before starting another",
    )
    assert_error(
        update(sim, call_sid, sid, "complete", Status="complete"),
        400,
        64019,
        f"Payment session {sid} is missing payment-card-number, expiration-date, "
        "security-code, postal-code: capture every required piece (Capture=...) before "
        "Status=complete",
    )
    assert_error(
        update(sim, call_sid, sid, "bank", Capture="bank-account-number"),
        400,
        64020,
        "Invalid value 'bank-account-number' for Capture: expected a piece this credit-card "
        "session requires: payment-card-number, expiration-date, security-code, postal-code",
    )
    # Twilio's 64018 page: "Parameter value not provided for both Capture and Status",
    # "Parameter value provided for both Capture and Status"
    assert_error(
        update(sim, call_sid, sid, "neither"),
        400,
        64018,
        "Pay: Value needed for either Capture or Status parameters: the update gave neither; "
        "give exactly one: Capture (the piece to ask for) or Status (complete or cancel)",
    )
    assert_error(
        update(sim, call_sid, sid, "both", Capture="payment-card-number", Status="cancel"),
        400,
        64018,
        "Pay: Value needed for either Capture or Status parameters: the update gave both "
        "(Capture=payment-card-number, Status=cancel); give exactly one: Capture (the piece "
        "to ask for) or Status (complete or cancel)",
    )
    update(sim, call_sid, sid, "cancel", Status="cancel")
    assert_error(
        update(sim, call_sid, sid, "late", Capture="payment-card-number"),
        400,
        64021,
        f"Payment session {sid} is already cancelled: start a new one (POST "
        ".../Payments.json) to take another payment",
    )
    unknown = update(sim, call_sid, "PK" + "0" * 32, "x", Status="cancel")
    assert (unknown.status_code, unknown.json()["code"]) == (404, 20404)


def test_a_call_not_in_progress_cannot_take_a_payment(sim: Simulator) -> None:
    call_sid = live_call(sim, "<Response><Hangup/></Response>")
    sim.run()
    assert_error(
        open_session(sim, call_sid),
        400,
        21220,
        f"Call {call_sid} is completed; only an in-progress call can be asked for a "
        "payment. Start payments once the call is answered",
    )


def test_the_client_raises_twilios_error(sim: Simulator) -> None:
    call_sid = live_call(sim)
    with pytest.raises(TwilioRestException) as raised:
        sim.client().calls(call_sid).payments.create(
            idempotency_key="k", status_callback=STATUS, charge_amount=2_000_000
        )
    assert (raised.value.status, raised.value.code) == (400, 64003)


def test_the_full_card_number_and_security_code_are_kept_nowhere(sim: Simulator) -> None:
    sim.phone(CALLEE).presses(f"{CARD}#1230#737#")
    call_sid = live_call(sim)
    sid = open_session(sim, call_sid, PostalCode="false").json()["sid"]
    for step in ("payment-card-number", "expiration-date", "security-code"):
        update(sim, call_sid, sid, step, Capture=step)
        sim.advance(10)
    call = sim.calls[call_sid]
    [session] = call.payments or []
    assert (session.captured, session.card_type) == (
        {
            "payment-card-number": "xxxxxxxxxxxx1111",
            "expiration-date": "1230",
            "security-code": "xxx",
        },
        "visa",
    )
    seen = repr((call.transcript, [r.params for r in call.requests], call.api_requests))
    assert (CARD in seen, "737" in seen) == (False, False)


def test_a_capture_cut_short_by_the_call_ending_reports_nothing(sim: Simulator) -> None:
    call_sid = live_call(sim)
    sid = open_session(sim, call_sid).json()["sid"]
    update(sim, call_sid, sid, "card", Capture="payment-card-number")
    sim.advance(2)
    sim.client().calls(call_sid).update(status="completed")
    sim.advance(10)
    assert [params.get("Capture") for params in callbacks(sim, call_sid)] == [None]
    assert_error(
        update(sim, call_sid, sid, "late", Status="cancel"),
        400,
        21220,
        f"Call {call_sid} is completed; only an in-progress call can be asked for a "
        "payment. Start payments once the call is answered",
    )


def test_only_dtmf_input_is_taken(sim: Simulator) -> None:
    call_sid = live_call(sim)
    assert_error(
        open_session(sim, call_sid, Input="speech"),
        400,
        64020,
        "Invalid value 'speech' for Input: expected dtmf (the only input Twilio's payments take)",
    )


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"PostalCode": "maybe"}, "Invalid value 'maybe' for PostalCode: expected true or false"),
        (
            {"Timeout": "601"},
            "Invalid value '601' for Timeout: expected a whole number from 1 to 600",
        ),
        (
            {"MinPostalCodeLength": "five"},
            "Invalid value 'five' for MinPostalCodeLength: expected a whole number from 1 to 10",
        ),
        (
            {"ValidCardTypes": "visa cash"},
            "Invalid value 'visa cash' for ValidCardTypes: expected card types among "
            + " ".join(CARD_TYPES),
        ),
    ],
)
def test_a_session_option_out_of_its_range_is_64020(
    sim: Simulator, form: dict[str, str], message: str
) -> None:
    call_sid = live_call(sim)
    assert_error(open_session(sim, call_sid, **form), 400, 64020, message)
    # the refused request kept nothing: its key opens a session now
    assert open_session(sim, call_sid).status_code == 201


ROOM = "<Response><Dial><Conference>payments</Conference></Dial></Response>"


def in_started_room(sim: Simulator) -> str:
    """The caller's call in the room ``payments``, started once the agent joined."""
    call_sid = live_call(sim, ROOM)
    sim.client().conferences("payments").participants.create(from_=CALLER_ID, to=AGENT)
    sim.advance(5)
    [room] = sim.client().conferences.list(friendly_name="payments")
    assert (room.status, len(room.participants.list())) == ("in-progress", 2)
    return call_sid


@pytest.mark.parametrize("where", ["conference", "hangup-on-star-bridge"])
def test_keys_a_room_or_a_hangup_on_star_bridge_takes_answer_the_capture(
    sim: Simulator, where: str
) -> None:
    sim.phone(CALLEE).presses(f"{CARD}#1230#")
    if where == "conference":
        call_sid = in_started_room(sim)
    else:
        call_sid = live_call(sim, f'<Response><Dial hangupOnStar="true">{AGENT}</Dial></Response>')
        sim.advance(5)
    assert sim.calls[call_sid].phone.next_input() is None  # the room or bridge took the keys
    sid = open_session(sim, call_sid, SecurityCode="false", PostalCode="false").json()["sid"]
    for step in ("payment-card-number", "expiration-date"):
        update(sim, call_sid, sid, step, Capture=step)
        sim.advance(10)
    last = callbacks(sim, call_sid)[-1]
    assert (last["Capture"], last["Required"], last["PaymentCardNumber"]) == (
        "expiration-date",
        "",
        "xxxxxxxxxxxx1111",
    )
    assert sim.calls[call_sid].status == "in-progress"


def test_keys_pressed_in_a_room_while_a_capture_waits_answer_it(sim: Simulator) -> None:
    call_sid = in_started_room(sim)
    sid = open_session(sim, call_sid).json()["sid"]
    update(sim, call_sid, sid, "card", Capture="payment-card-number")
    sim.advance(2)
    sim.calls[call_sid].press(f"{CARD}#")
    sim.advance(20)
    [_, entry] = callbacks(sim, call_sid)
    assert (entry["PaymentCardNumber"], entry["Required"]) == (
        "xxxxxxxxxxxx1111",
        "expiration-date,security-code,postal-code",
    )
    assert sim.calls[call_sid].requests[-1].at.strftime("%S.%f")[:4] == "15.5"


def test_keys_pressed_by_hand_in_a_bridge_answer_a_waiting_capture(sim: Simulator) -> None:
    call_sid = live_call(sim, f"<Response><Dial>{AGENT}</Dial></Response>")
    sim.advance(1)
    sid = open_session(sim, call_sid).json()["sid"]
    update(sim, call_sid, sid, "card", Capture="payment-card-number")
    sim.calls[call_sid].press(f"{CARD}#")
    sim.advance(20)
    [_, entry] = callbacks(sim, call_sid)
    assert (entry["PaymentCardNumber"], sim.calls[call_sid].requests[-1].at.second) == (
        "xxxxxxxxxxxx1111",
        9,
    )


def test_a_session_reads_its_status_and_outcome(sim: Simulator) -> None:
    sim.phone(CALLEE).presses("121000358#123456789#")
    call_sid = live_call(sim)
    sid = open_session(sim, call_sid, PaymentMethod="ach-debit", ChargeAmount="5").json()["sid"]
    for step in ("bank-routing-number", "bank-account-number"):
        update(sim, call_sid, sid, step, Capture=step)
        sim.advance(10)
    update(sim, call_sid, sid, "complete", Status="complete")
    [session] = sim.calls[call_sid].payments or []
    assert (session.sid, session.status, session.captured, session.outcome) == (
        sid,
        "complete",
        {"bank-routing-number": "121000358", "bank-account-number": "*******89"},
        {"Result": "success", "PaymentConfirmationCode": "ch_515c2b164eac0fa464ce59ba"},
    )

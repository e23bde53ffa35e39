"""``<Sms>`` (Twilio's legacy verb): the message is kept with the account's messages, from
and to the call's parties by default; an attribute that cannot be used is its warning; the
action gets ``SmsStatus`` and ``SmsSid``."""

from __future__ import annotations

import pytest

from tests.engine.helpers import base, place, response, simulator
from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim import CallFailure

CUSTOMER = "+15557770001"


def test_an_inbound_call_texts_its_caller_from_the_number_called() -> None:
    routes = {
        "/voice": response('<Sms action="/sent">Thanks for calling!</Sms><Say>never</Say>'),
        "/sent": response("<Say>Check your phone.</Say>"),
    }
    with simulator(routes) as (sim, _):
        call = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.run()
        (message,) = sim.client().messages.list()
    assert (message.to, message.from_, message.body, message.direction, message.status) == (
        CUSTOMER,
        CALLER_ID,
        "Thanks for calling!",
        "outbound-call",
        "queued",
    )
    (action,) = [r for r in call.requests if r.kind == "sms"]
    assert (action.url, action.params) == (
        f"{APP_URL}/sent",
        dict(
            base(sim, call, "in-progress", from_=CUSTOMER, to=CALLER_ID),
            SmsSid=message.sid,
            SmsStatus="sending",
        ),
    )
    assert (call.said, call.duration) == (["Check your phone."], 2)


def test_an_outbound_call_texts_the_called_party_and_goes_on_without_an_action() -> None:
    body = '<Sms to="(555) 777-0002">Your code is 1234</Sms><Say>Bye</Say>'
    with simulator({"/voice": response(body)}) as (sim, _):
        call = place(sim)
        sim.run()
        (message,) = sim.client().messages.list()
    assert (message.to, message.from_) == ("+15557770002", CALLER_ID)
    assert (call.said, [r.kind for r in call.requests]) == (["Bye"], ["voice"])


@pytest.mark.parametrize(
    ("attributes", "text", "code", "why"),
    [
        ('to="call me"', "Hi", 14101, "to 'call me' is not a phone number"),
        ('from="nobody"', "Hi", 14102, "from 'nobody' is not a phone number"),
        (
            'from="+15557779999"',
            "Hi",
            14108,
            "from +15557779999 is not an SMS-capable number of the account (give it the "
            "number with sim.number(...); a verified caller ID cannot text)",
        ),
        ("", "  ", 14103, "the body has 0 characters: give 1 to 1600"),
        ("", "x" * 1601, 14103, "the body has 1601 characters: give 1 to 1600"),
    ],
)
def test_an_sms_that_cannot_be_sent_is_its_warning_and_invalid(
    attributes: str, text: str, code: int, why: str
) -> None:
    routes = {
        "/voice": response(f'<Sms action="/sent" {attributes}>{text}</Sms>'),
        "/sent": response(""),
    }
    with simulator(routes, strict=False) as (sim, _):
        call = place(sim)
        sim.run()
        assert sim.client().messages.list() == []
    assert sim.failures == [
        CallFailure(
            call.sid,
            code,
            f"<Sms> sent nothing: {why} (SmsStatus=invalid)",
            f"{APP_URL}/voice",
            "Sms",
            1,
            level="warning",
        )
    ]
    (action,) = [r for r in call.requests if r.kind == "sms"]
    assert action.params == dict(base(sim, call, "in-progress"), SmsStatus="invalid")


def test_a_trial_account_texts_the_caller_but_not_an_unverified_number() -> None:
    body = f'<Sms>To you</Sms><Sms to="{CUSTOMER}">To them</Sms>'
    with simulator({"/voice": response(body)}, strict=False, trial=True) as (sim, _):
        sim.verified_caller_id(CALLEE)
        call = place(sim)
        sim.run()
        assert [m.body for m in sim.client().messages.list()] == ["To you"]
    assert [(f.code, f.message) for f in sim.failures] == [
        (
            14111,
            f"<Sms> sent nothing: a trial account texts only its verified caller IDs, and "
            f"{CUSTOMER} is not one (SmsStatus=invalid)",
        )
    ]
    assert call.status == "completed"


def test_an_sms_action_leading_back_to_itself_is_named_as_the_loop() -> None:
    routes = {"/voice": response('<Sms action="">Hi</Sms><Say>Not reached</Say>')}
    with simulator(routes, strict=False) as (sim, _):
        call = place(sim)
        sim.run()
    assert sim.failures == [
        CallFailure(
            call.sid,
            None,
            "100 documents fetched without virtual time passing (a loop: the last request "
            "was a <Sms> action, which took no time and led back to a document that runs it "
            "again (an empty action= is the document's own URL)); twimlsim ended the call",
            f"{APP_URL}/voice",
            "Sms",
            1,
        )
    ]
    assert (len(call.requests), call.said) == (100, [])

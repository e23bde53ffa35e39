"""ValidationRequests (``POST /OutgoingCallerIds.json``): the spec's answer, the caller ID
verified at once, and the refusals."""

from __future__ import annotations

import pytest
from twilio.base.exceptions import TwilioRestException

from tests.rest.test_edges import api
from tests.support import APP_URL, CALLEE
from twimlsim import Simulator


def test_a_validation_request_answers_the_code_and_verifies_the_number(sim: Simulator) -> None:
    client = sim.client()
    made = client.validation_requests.create(phone_number="+15551230000")
    raw = api(
        sim,
        "POST",
        "/2010-04-01/Accounts/{ac}/OutgoingCallerIds.json",
        {"PhoneNumber": "+15551230001"},
    )  # the spec's answer: 200 (checked against the spec by conftest), in its key order
    assert raw.status_code == 200
    assert list(raw.json()) == [
        "account_sid",
        "call_sid",
        "friendly_name",
        "phone_number",
        "validation_code",
    ]
    assert (made.account_sid, made.phone_number, made.friendly_name) == (
        sim.account_sid,
        "+15551230000",
        "(555) 123-0000",  # Twilio's default: the number, formatted
    )
    assert made.call_sid.startswith("CA") and len(made.call_sid) == 34
    assert len(made.validation_code) == 6 and made.validation_code.isdigit()
    verified = client.outgoing_caller_ids.list(phone_number="+15551230000")
    assert [(v.phone_number, v.friendly_name) for v in verified] == [
        ("+15551230000", "(555) 123-0000")
    ]
    call = client.calls.create(to=CALLEE, from_="+15551230000", url=f"{APP_URL}/voice")
    assert call._from == "+15551230000"
    sim.run()


def test_a_validation_request_keeps_its_friendly_name(sim: Simulator) -> None:
    made = sim.client().validation_requests.create(
        phone_number="+442071838750", friendly_name="London", call_delay=5, extension="12w3"
    )
    assert made.friendly_name == "London"
    assert [c.friendly_name for c in sim.client().outgoing_caller_ids.list()] == ["London"]


@pytest.mark.parametrize(
    ("options", "code", "message"),
    [
        ({"phone_number": ""}, 20001, "Missing required parameter PhoneNumber in the post body"),
        (
            {"phone_number": "12"},
            21401,
            "PhoneNumber 12 is not a valid phone number: expected an E.164 number such as "
            "+14155550100",
        ),
        (
            {"phone_number": "+15551230000"},
            21450,
            "Phone number +15551230000 already verified for your account: list them with GET "
            "/OutgoingCallerIds.json",
        ),
        (
            {"phone_number": "+15551230001", "extension": "12x"},
            20422,
            "Extension is not valid: 12x. Use up to 32 of 0-9, A-D, #, *, w and W",
        ),
    ],
)
def test_validation_request_refusals(
    sim: Simulator, options: dict[str, str], code: int, message: str
) -> None:
    sim.verified_caller_id("+15551230000")
    with pytest.raises(TwilioRestException) as raised:
        sim.client().validation_requests.create(**options)
    assert (raised.value.status, raised.value.code) == (400, code)
    assert raised.value.msg == f"Unable to create record: {message}"
    assert len(sim.client().outgoing_caller_ids.list()) == 1


def test_a_call_delay_over_a_minute_is_refused(sim: Simulator) -> None:
    with pytest.raises(TwilioRestException) as raised:
        sim.client().validation_requests.create(phone_number="+15551230001", call_delay=61)
    assert (raised.value.status, raised.value.code) == (400, 20422)
    assert sim.client().outgoing_caller_ids.list() == []


def test_a_caller_id_verified_by_hand_is_named_by_its_formatted_number(sim: Simulator) -> None:
    sim.verified_caller_id("+15551230000")
    sim.verified_caller_id("+442071838750")
    listed = sim.client().outgoing_caller_ids.list()
    assert [(c.phone_number, c.friendly_name) for c in listed] == [
        ("+15551230000", "(555) 123-0000"),
        ("+442071838750", "+442071838750"),
    ]

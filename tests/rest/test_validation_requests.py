"""ValidationRequests (``POST /OutgoingCallerIds.json``): the spec's answer, the caller ID
verified at once, and the refusals."""

from __future__ import annotations

import pytest
from twilio.base.exceptions import TwilioRestException
from twilio.request_validator import RequestValidator

from fixtures import flask_app
from tests.rest.test_edges import api
from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim import Simulator
from twimlsim.errors import SimulationError
from twimlsim.report import format_simulator


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


def test_a_validation_request_sends_its_result_to_its_status_callback(sim: Simulator) -> None:
    made = sim.client().validation_requests.create(
        phone_number="+442071838750",
        call_delay=5,
        status_callback=f"{APP_URL}/status",
    )
    received = flask_app.STATUS_LOG  # emptied by the example_app fixture
    assert received == []  # not before the verification call is over
    start = sim.now
    sim.run()
    caller = sim.client().outgoing_caller_ids.list()[0]
    assert received == [
        {
            "AccountSid": sim.account_sid,
            "ApiVersion": "2010-04-01",
            "CallSid": made.call_sid,
            "CallStatus": "completed",
            "Called": "+442071838750",
            "CalledCity": "",
            "CalledCountry": "GB",
            "CalledState": "",
            "CalledZip": "",
            "Direction": "outbound-api",
            "OutgoingCallerIdSid": caller.sid,
            "To": "+442071838750",
            "ToCity": "",
            "ToCountry": "GB",
            "ToState": "",
            "ToZip": "",
            "VerificationStatus": "success",
        }
    ]
    [sent] = sim.requests
    assert (sent.method, sent.url, sent.kind, sent.call_sid) == (
        "POST",
        f"{APP_URL}/status",
        "verification",
        made.call_sid,
    )
    assert (sent.at - start).total_seconds() == 5  # CallDelay
    assert RequestValidator(sim.auth_token).validate(
        sent.url, sent.params, sent.headers["X-Twilio-Signature"]
    )
    assert sim.failures == []


def test_a_validation_status_callback_goes_with_its_method(sim: Simulator) -> None:
    sim.client().validation_requests.create(
        phone_number="+15551230000",
        status_callback=f"{APP_URL}/verified",
        status_callback_method="GET",
    )
    with pytest.raises(SimulationError):  # strict: the app's 404 is a problem
        sim.run()
    [sent] = sim.requests
    assert sent.method == "GET"
    assert sent.url.startswith(f"{APP_URL}/verified?AccountSid=")
    assert sent.params["VerificationStatus"] == "success"
    assert [(f.code, f.level) for f in sim.failures] == [(15003, "warning")]  # a 404
    assert sim.failures[0].message == (
        "the status callback of the verification of the caller ID +15551230000 answered "
        "HTTP 404; Twilio logs it and nothing changes; the callback needs no body: answer "
        "204, or 200 with an empty <Response/>"
    )


def test_a_validation_request_without_a_status_callback_sends_nothing(sim: Simulator) -> None:
    sim.client().validation_requests.create(phone_number="+15551230000", call_delay=3)
    start = sim.now
    sim.run()
    assert sim.requests == []
    assert sim.now == start


@pytest.mark.parametrize(
    ("script", "call_status"),
    [
        ("busy", "busy"),
        ("no_answer", "no-answer"),
        ("fails", "failed"),
        ("machine", "completed"),  # answered, but nobody typed the code
    ],
)
def test_a_verification_call_the_far_end_refuses_verifies_nothing(
    sim: Simulator, script: str, call_status: str
) -> None:
    getattr(sim.phone("+15551230000"), script)()
    made = sim.client().validation_requests.create(
        phone_number="+15551230000", status_callback=f"{APP_URL}/status"
    )
    assert made.validation_code is not None  # the code is answered before the call
    assert sim.client().outgoing_caller_ids.list() == []
    sim.run()
    assert [
        {
            "AccountSid": sim.account_sid,
            "ApiVersion": "2010-04-01",
            "CallSid": made.call_sid,
            "CallStatus": call_status,
            "Called": "+15551230000",
            "CalledCity": "",
            "CalledCountry": "US",
            "CalledState": "",
            "CalledZip": "",
            "Direction": "outbound-api",
            "To": "+15551230000",
            "ToCity": "",
            "ToCountry": "US",
            "ToState": "",
            "ToZip": "",
            "VerificationStatus": "failed",
        }
    ] == flask_app.STATUS_LOG
    with pytest.raises(TwilioRestException) as raised:  # not a caller ID of the account
        sim.client().calls.create(to=CALLEE, from_="+15551230000", url=f"{APP_URL}/voice")
    assert raised.value.code == 21210


def test_a_verification_call_takes_the_far_ends_next_answer(sim: Simulator) -> None:
    sim.phone("+15551230000").answers(after=1).busy()
    sim.client().validation_requests.create(phone_number="+15551230000")
    assert [c.phone_number for c in sim.client().outgoing_caller_ids.list()] == ["+15551230000"]
    call = sim.client().calls.create(to="+15551230000", from_=CALLER_ID, url=f"{APP_URL}/voice")
    sim.run()
    assert sim.client().calls(call.sid).fetch().status == "busy"  # the step left for it


def test_the_report_shows_a_verification_callback_as_a_webhook_of_no_call(sim: Simulator) -> None:
    sim.client().validation_requests.create(
        phone_number="+15551230000", status_callback=f"{APP_URL}/status"
    )
    sim.run()
    caller = sim.client().outgoing_caller_ids.list()[0]
    report = format_simulator(sim)
    assert report.split("\n\n")[0] == (
        "Webhooks about no call (1):\n"
        f"  09:00:00  verification POST {APP_URL}/status -> 204\n"
        "      CallStatus=completed, VerificationStatus=success, "
        f"OutgoingCallerIdSid={caller.sid}"
    )

"""Messages: voice apps that also text (an appointment reminder, a missed-call note) send
with ``client.messages.create``; twimlsim checks and keeps the message, queued."""

from __future__ import annotations

import pytest
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from tests.rest.test_edges import api, assert_error
from tests.support import CALLEE, CALLER_ID
from twimlsim import Simulator
from twimlsim.model.messages import segments


def test_a_reminder_is_created_queued_listed_fetched_and_deleted(sim: Simulator) -> None:
    client = sim.client()
    sent = client.messages.create(CALLEE, from_=CALLER_ID, body="Reminder: dentist at 3pm.")
    assert (sent.to, sent.from_, sent.body, sent.status, sent.direction) == (
        CALLEE,
        CALLER_ID,
        "Reminder: dentist at 3pm.",
        "queued",
        "outbound-api",
    )
    assert (sent.num_segments, sent.num_media, sent.error_code, sent.price) == (
        "1",
        "0",
        None,
        None,
    )
    assert sent.sid.startswith("SM") and sent.date_created == sim.now == sent.date_sent
    assert sent.uri == f"/2010-04-01/Accounts/{sim.account_sid}/Messages/{sent.sid}.json"
    second = client.messages.create("+15558675311", from_=CALLER_ID, body="Second")
    assert [m.sid for m in client.messages.list()] == [second.sid, sent.sid]  # newest first
    assert [m.sid for m in client.messages.list(to=CALLEE)] == [sent.sid]
    assert client.messages(sent.sid).fetch().body == "Reminder: dentist at 3pm."
    assert client.messages(sent.sid).delete() is True
    assert [m.sid for m in client.messages.list()] == [second.sid]
    assert [request.kind for request in sim.api_requests] == [
        "messages.create",
        "messages.create",
        "messages.list",
        "messages.list",
        "messages.fetch",
        "messages.delete",
        "messages.list",
    ]


def test_a_messaging_service_sends_without_a_from(sim: Simulator) -> None:
    service = "MG" + "1" * 32
    sent = sim.client().messages.create(CALLEE, messaging_service_sid=service, body="Hi")
    assert (sent.from_, sent.messaging_service_sid) == (None, service)


def test_media_without_a_body_is_a_message(sim: Simulator) -> None:
    sent = sim.client().messages.create(
        CALLEE, from_=CALLER_ID, media_url=["https://app.test/a.png", "https://app.test/b.png"]
    )
    assert (sent.body, sent.num_media) == ("", "2")


@pytest.mark.parametrize(
    ("form", "status", "code", "message"),
    [
        ({"From": CALLER_ID, "Body": "x"}, 400, 21604, "A 'To' phone number is required."),
        ({"To": CALLEE, "Body": "x"}, 400, 21603, "A 'From' phone number is required."),
        ({"To": CALLEE, "From": CALLER_ID}, 400, 21602, "Message body is required."),
        (
            {"To": "+1555", "From": CALLER_ID, "Body": "x"},
            400,
            21211,
            "The 'To' number +1555 is not a valid phone number.",
        ),
        (
            {"To": CALLEE, "From": "+15551230000", "Body": "x"},
            400,
            21606,
            "The From phone number +15551230000 is not a valid, SMS-capable inbound phone number "
            "or short code for your account. Give the account the number with sim.number(...); "
            "a verified caller ID cannot send messages.",
        ),
        (
            {"To": CALLEE, "From": "0123456789", "Body": "x"},
            400,
            21212,
            "The 'From' number 0123456789 is not a valid phone number, shortcode, or "
            "alphanumeric sender ID.",
        ),
        (
            {"To": CALLEE, "From": "+1234567890", "Body": "x"},
            400,
            21212,
            "The 'From' number +1234567890 is not a valid phone number, shortcode, or "
            "alphanumeric sender ID.",
        ),
        (
            {"To": CALLEE, "From": "Zeus The Mighty", "Body": "x"},
            400,
            21212,
            "The 'From' number Zeus The Mighty is not a valid phone number, shortcode, or "
            "alphanumeric sender ID.",
        ),
        (
            {"To": CALLEE, "From": "MyClinic", "Body": "x"},
            400,
            21606,
            "The From phone number MyClinic is not a valid, SMS-capable inbound phone number "
            "or short code for your account. Give the account the number with sim.number(...); "
            "a verified caller ID cannot send messages.",
        ),
        (
            {"To": CALLEE, "From": CALLER_ID, "Body": "x" * 1601},
            400,
            21617,
            "The concatenated message body exceeds the 1600 character limit.",
        ),
        (
            {"To": "messenger:1234567890", "From": "messenger:2345678901", "Body": "x"},
            501,
            20500,
            "messenger:1234567890 is a messenger address: twimlsim simulates SMS and WhatsApp "
            "messages between phone numbers only",
        ),
        (
            {"To": "whatsapp:+15558675310", "From": CALLER_ID, "Body": "x"},
            400,
            21910,
            "Invalid 'From' and 'To' pair. 'From' and 'To' should be of the same channel: To "
            f"whatsapp:+15558675310 and From {CALLER_ID}; write both as whatsapp:+E.164 for "
            "WhatsApp, or both as phone numbers for SMS",
        ),
        (
            {"To": CALLEE, "From": "whatsapp:+14155238886", "Body": "x"},
            400,
            21910,
            "Invalid 'From' and 'To' pair. 'From' and 'To' should be of the same channel: To "
            f"{CALLEE} and From whatsapp:+14155238886; write both as whatsapp:+E.164 for "
            "WhatsApp, or both as phone numbers for SMS",
        ),
        (
            {"To": "whatsapp:+1555", "From": "whatsapp:+14155238886", "Body": "x"},
            400,
            21211,
            "The 'To' number whatsapp:+1555 is not a valid phone number.",
        ),
        (
            {"To": "whatsapp:+15558675310", "From": "whatsapp:+15551230000", "Body": "x"},
            400,
            63007,
            "Twilio could not find a Channel with the specified 'From' address: "
            "whatsapp:+15551230000. Send from the Sandbox for WhatsApp "
            "(whatsapp:+14155238886) or from whatsapp: and a number the account owns "
            "(sim.number(...))",
        ),
        (
            {"To": "whatsapp:+14155238886", "From": "whatsapp:+14155238886", "Body": "x"},
            400,
            63031,
            "Channels message cannot have same 'From' and 'To': whatsapp:+14155238886",
        ),
    ],
)
@pytest.mark.usefixtures("asks_unsimulated")
def test_create_refuses(
    sim: Simulator, form: dict[str, str], status: int, code: int, message: str
) -> None:
    response = api(sim, "POST", "/2010-04-01/Accounts/{ac}/Messages.json", form)
    assert_error(response, status, code, message)
    assert sim.client().messages.list() == []


def test_an_account_sending_from_any_number_is_still_refused_a_from_of_no_kind() -> None:
    # pytest --twimlsim's account opened from a suite's placeholders sends from any number,
    # but not from a national number (a sample's TWILIO_NUMBER placeholder "0123456789")
    with Simulator() as sim:
        sim.account.any_caller_id = True
        client = sim.client()
        assert client.messages.create(CALLEE, from_="+15551230000", body="Hi").from_ == (
            "+15551230000"
        )
        with pytest.raises(TwilioRestException) as refused:
            client.messages.create(CALLEE, from_="0123456789", body="Hi")
        assert (refused.value.status, refused.value.code, refused.value.msg) == (
            400,
            21212,
            "Unable to create record: The 'From' number 0123456789 is not a valid phone "
            "number, shortcode, or alphanumeric sender ID.",
        )
        assert sim.failures == []


def test_a_voice_app_notifies_staff_on_whatsapp_from_the_sandbox(sim: Simulator) -> None:
    client = sim.client()
    long_body = "Order: " + "2 x baguette, " * 20
    sent = client.messages.create(
        "whatsapp:+44 7400 123456", from_="whatsapp:+14155238886", body=long_body
    )
    assert (sent.to, sent.from_, sent.status, sent.num_segments) == (
        "whatsapp:+447400123456",
        "whatsapp:+14155238886",
        "queued",
        "1",
    )
    owned = client.messages.create(
        "whatsapp:+15558675310", from_=f"whatsapp:{CALLER_ID}", body="Your table is ready."
    )
    assert owned.from_ == f"whatsapp:{CALLER_ID}"
    assert [m.sid for m in client.messages.list(to="whatsapp:+447400123456")] == [sent.sid]
    assert [m.sid for m in client.messages.list(from_=f"whatsapp:{CALLER_ID}")] == [owned.sid]


def test_a_trial_account_sends_on_whatsapp_to_an_unverified_number() -> None:
    with Simulator(trial=True) as sim:
        sent = sim.client().messages.create(
            "whatsapp:+15558675310", from_="whatsapp:+14155238886", body="Hi"
        )
        assert sent.status == "queued"


def test_a_verified_caller_id_cannot_send(sim: Simulator) -> None:
    sim.verified_caller_id("+15551230000")
    response = api(
        sim,
        "POST",
        "/2010-04-01/Accounts/{ac}/Messages.json",
        {"To": CALLEE, "From": "+15551230000", "Body": "x"},
    )
    assert (response.status_code, response.json()["code"]) == (400, 21606)


@pytest.mark.usefixtures("asks_unsimulated")
def test_updating_a_message_is_501_and_an_unknown_one_404(sim: Simulator) -> None:
    sent = sim.client().messages.create(CALLEE, from_=CALLER_ID, body="x")
    path = f"/2010-04-01/Accounts/{sim.account_sid}/Messages/{sent.sid}.json"
    assert_error(
        api(sim, "POST", path, {"Body": ""}),
        501,
        20500,
        f"POST {path} is a Twilio API endpoint that twimlsim does not simulate (messages are "
        "kept as created)",
    )
    unknown = f"/2010-04-01/Accounts/{sim.account_sid}/Messages/SM{'0' * 32}.json"
    assert_error(
        api(sim, "GET", unknown), 404, 20404, f"The requested resource {unknown} was not found"
    )


@pytest.mark.parametrize(
    ("body", "count"),
    [
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("[" * 80, 1),  # extension characters take two septets
        ("[" * 81, 2),
        ("é" * 160, 1),  # in GSM-7
        ("ê" * 70, 1),  # not in GSM-7: UCS-2
        ("ê" * 71, 2),
        ("👍" * 35, 1),  # two UTF-16 code units each
        ("👍" * 36, 2),
    ],
)
def test_segments(body: str, count: int) -> None:
    assert segments(body) == count


def test_test_credentials_send_from_the_magic_number_and_keep_nothing(sim: Simulator) -> None:
    client = Client(sim.account_sid, sim.test_auth_token)
    sent = client.messages.create(CALLEE, from_="+15005550006", body="Test")
    assert (sent.status, sent.from_) == ("queued", "+15005550006")
    assert sim.client().messages.list() == []


@pytest.mark.parametrize(
    ("from_", "to", "code", "message"),
    [
        (
            "+15005550001",
            CALLEE,
            21212,
            "The 'From' number +15005550001 is not a valid phone number",
        ),
        (
            "+15551230000",
            CALLEE,
            21606,
            "The From phone number +15551230000 is not a valid, SMS-capable inbound phone number "
            "or short code for your account.",
        ),
        (
            "+15005550008",
            CALLEE,
            21611,
            "This 'From' number has exceeded the maximum number of queued messages",
        ),
        (
            "+15005550006",
            "+15005550001",
            21211,
            "The 'To' number +15005550001 is not a valid phone number.",
        ),
        (
            "+15005550006",
            "+15005550002",
            21612,
            "The 'To' phone number: +15005550002, is not currently reachable.",
        ),
        ("+15005550006", "+15005550004", 21610, "Attempt to send to unsubscribed recipient"),
        ("+15005550006", "+15005550009", 21614, "'To' number is not a valid mobile number"),
    ],
)
def test_test_credentials_magic_numbers(
    sim: Simulator, from_: str, to: str, code: int, message: str
) -> None:
    client = Client(sim.account_sid, sim.test_auth_token)
    with pytest.raises(TwilioRestException) as raised:
        client.messages.create(to, from_=from_, body="Test")
    assert (raised.value.status, raised.value.code, raised.value.msg) == (
        400,
        code,
        f"Unable to create record: {message}",
    )

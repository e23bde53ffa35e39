"""Odd list filters and message parameters: each gets Twilio's JSON error naming the
parameter that was sent, or is honoured; none is silently ignored or misnamed."""

from __future__ import annotations

import requests

from tests.rest.test_edges import api, assert_error
from tests.support import CALLEE, CALLER_ID
from twimlsim import Simulator


def test_a_bad_conference_date_filter_names_the_parameter_sent(sim: Simulator) -> None:
    response = api(
        sim, "GET", "/2010-04-01/Accounts/{ac}/Conferences.json?DateCreated%3E=2026-13-45"
    )
    assert_error(
        response, 400, 20422, "DateCreated> is not a valid date: 2026-13-45. Use YYYY-MM-DD (UTC)"
    )
    response = api(sim, "GET", "/2010-04-01/Accounts/{ac}/Conferences.json?DateUpdated=junk")
    assert_error(
        response, 400, 20422, "DateUpdated is not a valid date: junk. Use YYYY-MM-DD (UTC)"
    )


def test_a_bad_recording_date_filter_names_the_parameter_sent(sim: Simulator) -> None:
    response = api(sim, "GET", "/2010-04-01/Accounts/{ac}/Recordings.json?DateCreated%3C=yesterday")
    assert_error(
        response, 400, 20422, "DateCreated< is not a valid date: yesterday. Use YYYY-MM-DD (UTC)"
    )


def test_messages_are_filtered_by_date_sent(sim: Simulator) -> None:
    client = sim.client()
    first = client.messages.create(CALLEE, from_=CALLER_ID, body="First")
    sim.advance(86_400)
    second = client.messages.create(CALLEE, from_=CALLER_ID, body="Second")
    listed = {
        query: [
            m["sid"]
            for m in api(sim, "GET", f"/2010-04-01/Accounts/{{ac}}/Messages.json?{query}").json()[
                "messages"
            ]
        ]
        for query in ("DateSent=2026-01-01", "DateSent%3E=2026-01-02", "DateSent%3C=2026-01-02")
    }
    assert listed == {
        "DateSent=2026-01-01": [first.sid],
        "DateSent%3E=2026-01-02": [second.sid],
        "DateSent%3C=2026-01-02": [first.sid],
    }
    response = api(sim, "GET", "/2010-04-01/Accounts/{ac}/Messages.json?DateSent=abc")
    assert_error(response, 400, 20422, "DateSent is not a valid date: abc. Use YYYY-MM-DD (UTC)")


def send(sim: Simulator, **extra: str | list[str]) -> object:
    data = {"To": CALLEE, "From": CALLER_ID, "Body": "Hi", **extra}
    return api(sim, "POST", "/2010-04-01/Accounts/{ac}/Messages.json", data)  # type: ignore[arg-type]


def test_a_message_with_more_than_ten_media_urls_is_21623(sim: Simulator) -> None:
    urls = [f"https://app.test/{n}.jpg" for n in range(11)]
    assert_error(
        send(sim, MediaUrl=urls),  # type: ignore[arg-type]
        400,
        21623,
        "Number of media files exceeds allowed limit: 11 MediaUrl values were given; a "
        "message takes at most 10",
    )
    assert sim.client().messages.list() == []


def test_a_media_url_without_its_scheme_is_21620(sim: Simulator) -> None:
    assert_error(
        send(sim, MediaUrl="app.test/cat.jpg"),  # type: ignore[arg-type]
        400,
        21620,
        "Invalid media URL(s): MediaUrl app.test/cat.jpg is not an absolute http(s) URL",
    )


def test_a_message_status_callback_that_is_not_a_url_is_21609(sim: Simulator) -> None:
    assert_error(
        send(sim, StatusCallback="ftp://app.test/status"),  # type: ignore[arg-type]
        400,
        21609,
        "The StatusCallback URL ftp://app.test/status is not a valid URL.",
    )


def test_a_recording_transcriptions_path_with_a_malformed_sid_is_20404_not_501(
    sim: Simulator,
) -> None:
    path = f"/2010-04-01/Accounts/{sim.account_sid}/Recordings/junk/Transcriptions.json"
    response = api(sim, "GET", "/2010-04-01/Accounts/{ac}/Recordings/junk/Transcriptions.json")
    assert_error(response, 404, 20404, f"The requested resource {path} was not found")


def test_paging_integers_take_ascii_digits_only(sim: Simulator) -> None:
    for raw, shown in (("%EF%BC%91", "１"), ("1_0", "1_0"), ("1.0", "1.0")):
        response = api(sim, "GET", f"/2010-04-01/Accounts/{{ac}}/Calls.json?PageSize={raw}")
        assert_error(response, 400, 20422, f"PageSize is not a valid integer: {shown}")
    response = api(sim, "GET", "/2010-04-01/Accounts/{ac}/Calls.json?Page=%D9%A3")
    assert_error(response, 400, 20422, "Page is not a valid integer: ٣")


def test_a_messaging_service_sid_of_the_wrong_shape_is_21705(sim: Simulator) -> None:
    data = {"To": CALLEE, "MessagingServiceSid": "junk", "Body": "Hi"}
    response = api(sim, "POST", "/2010-04-01/Accounts/{ac}/Messages.json", data)
    assert_error(
        response,
        400,
        21705,
        "The Messaging Service is invalid: MessagingServiceSid junk is not MG followed by 32 "
        "hexadecimal digits",
    )
    data["MessagingServiceSid"] = "MG" + "0" * 32
    created = api(sim, "POST", "/2010-04-01/Accounts/{ac}/Messages.json", data)
    assert (created.status_code, created.json()["messaging_service_sid"]) == (201, "MG" + "0" * 32)


HUGE = "9" * 5000  # more digits than Python's int() reads (4,300)


def test_an_integer_of_thousands_of_digits_is_out_of_range_not_a_20500(sim: Simulator) -> None:
    def create(**extra: str) -> object:
        data = {"To": CALLEE, "From": CALLER_ID, "Url": "https://app.test/voice", **extra}
        return api(sim, "POST", "/2010-04-01/Accounts/{ac}/Calls.json", data)

    assert_error(
        create(TimeLimit=HUGE),  # type: ignore[arg-type]
        400,
        20422,
        f"TimeLimit is not a valid integer between 1 and 86400: {HUGE}",
    )
    clamped = create(Timeout=HUGE)
    assert (clamped.status_code, clamped.json()["status"]) == (201, "queued")  # type: ignore[attr-defined]
    assert sim.calls[clamped.json()["sid"]].record.timeout == 600  # type: ignore[attr-defined]
    response = api(sim, "GET", f"/2010-04-01/Accounts/{{ac}}/Calls.json?PageSize={HUGE}")
    assert_error(
        response,
        400,
        20007,
        f"Page size too large: PageSize {HUGE} is more than the maximum of 1000",
    )


def test_a_body_refused_as_too_large_is_still_in_the_request_log(sim: Simulator) -> None:
    big = {"To": CALLEE, "From": CALLER_ID, "Twiml": "x" * (2 << 20)}
    response = api(sim, "POST", "/2010-04-01/Accounts/{ac}/Calls.json", big)
    assert (response.status_code, response.json()["code"]) == (413, 20413)
    logged = sim.api_requests[-1]
    assert (
        logged.method,
        logged.url,
        logged.kind,
        logged.status,
        logged.params,
        logged.call_sid,
    ) == (
        "POST",
        f"https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}/Calls.json",
        "calls.create",
        413,
        {},
        None,
    )
    assert logged.body == response.content


def test_a_body_too_large_gets_the_kind_and_call_its_path_names(sim: Simulator) -> None:
    sid = sim.client().calls.create(to=CALLEE, from_=CALLER_ID, twiml="<Response/>").sid
    big = {"Twiml": "x" * (2 << 20)}
    update = api(sim, "POST", f"/2010-04-01/Accounts/{{ac}}/Calls/{sid}.json", big)
    assert_error(
        update,
        413,
        20413,
        "Request Entity Too Large: the request body is 2,097,158 bytes; the API accepts at "
        "most 1,048,576 bytes. Send the parameters as a form of ordinary size.",
    )
    nowhere = api(sim, "POST", "/2010-04-01/Accounts/{ac}/Nowhere.json", big)
    wrong_method = api(sim, "PUT", f"/2010-04-01/Accounts/{{ac}}/Calls/{sid}.json", big)
    assert (nowhere.status_code, wrong_method.status_code) == (413, 413)
    assert [(r.kind, r.status, r.call_sid) for r in sim.api_requests[-3:]] == [
        ("calls.update", 413, sid),
        ("unknown", 413, None),
        ("unknown", 413, sid),
    ]
    assert [r.kind for r in sim.calls[sid].api_requests] == [
        "calls.create",
        "calls.update",
        "unknown",
    ]


def test_a_status_callback_over_4000_characters_is_21609(sim: Simulator) -> None:
    url = "https://app.test/" + "s" * 4000
    data = {"To": CALLEE, "From": CALLER_ID, "Url": "https://app.test/voice", "StatusCallback": url}
    message = (
        "The StatusCallback URL is 4,017 characters long; the maximum length of the "
        "StatusCallback is 4,000 characters."
    )
    for path in ("Calls.json", "Messages.json"):
        data["Body"] = "Hi"
        response = api(sim, "POST", f"/2010-04-01/Accounts/{{ac}}/{path}", data)
        assert_error(response, 400, 21609, message)
    data["StatusCallback"] = url[:4000]
    assert api(sim, "POST", "/2010-04-01/Accounts/{ac}/Calls.json", data).status_code == 201


def test_a_status_filter_outside_the_enumeration_is_refused_naming_the_values(
    sim: Simulator,
) -> None:
    sim.client().calls.create(to=CALLEE, from_=CALLER_ID, twiml="<Response/>")
    listed = api(sim, "GET", "/2010-04-01/Accounts/{ac}/Calls.json?Status=queued").json()
    assert [call["status"] for call in listed["calls"]] == ["queued"]
    for value in ("Completed", "in_progress", "initiated", "done"):
        assert_error(
            api(sim, "GET", f"/2010-04-01/Accounts/{{ac}}/Calls.json?Status={value}"),
            400,
            20422,
            f"Status is not valid: {value}. Use one of queued, ringing, in-progress, "
            "completed, busy, failed, no-answer, canceled (as written, lower-case)",
        )
    assert_error(
        api(sim, "GET", "/2010-04-01/Accounts/{ac}/Conferences.json?Status=ended"),
        400,
        20422,
        "Status is not valid: ended. Use one of init, in-progress, completed (as written, "
        "lower-case)",
    )
    assert_error(
        api(sim, "GET", "/2010-04-01/Accounts.json?Status=open"),
        400,
        20422,
        "Status is not valid: open. Use one of active, suspended, closed (as written, lower-case)",
    )
    empty = api(sim, "GET", "/2010-04-01/Accounts/{ac}/Calls.json?Status=").json()
    assert len(empty["calls"]) == 1  # an empty value filters nothing, as before
    sim.run()


def test_a_multipart_form_of_many_parts_is_read_as_a_form_of_many_fields(sim: Simulator) -> None:
    """werkzeug stops a multipart form at 1,000 parts (or 500 kB of fields) with its own
    413, which the API answered as a 20500 'twimlsim failed'; the 1 MiB bound on the body
    is the API's only bound, as for a urlencoded form of as many fields."""
    sim.number(CALLER_ID, voice_url="https://app.test/voice")
    fields = {"To": CALLEE, "From": CALLER_ID, "Url": "https://app.test/voice"}
    files = {name: (None, value) for name, value in fields.items()}
    files.update({f"Padding{i}": (None, "") for i in range(1500)})
    response = requests.post(
        f"https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}/Calls.json",
        files=files,
        auth=(sim.account_sid, sim.auth_token),
        timeout=5,
    )
    assert response.status_code == 201
    assert (response.json()["to"], response.json()["from"]) == (CALLEE, CALLER_ID)
    assert sim.rest.internal_errors == []

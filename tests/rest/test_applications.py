"""The Applications resource (TwiML Apps) and their use by calls and numbers: exact JSON,
paging, errors, the ``ApplicationSid`` ignore rule and ``VoiceApplicationSid``."""

from __future__ import annotations

import pytest
import requests
from twilio.base.exceptions import TwilioRestException

from tests.rest.test_edges import api, assert_error
from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim import Simulator
from twimlsim.errors import ConfigurationError

DATE = "Thu, 01 Jan 2026 09:00:00 +0000"


def expected_json(sim: Simulator, sid: str, **fields: object) -> dict[str, object]:
    body: dict[str, object] = {
        "account_sid": sim.account_sid,
        "api_version": "2010-04-01",
        "date_created": DATE,
        "date_updated": DATE,
        "friendly_name": None,
        "message_status_callback": None,
        "sid": sid,
        "sms_fallback_method": "POST",
        "sms_fallback_url": None,
        "sms_method": "POST",
        "sms_status_callback": None,
        "sms_url": None,
        "status_callback": None,
        "status_callback_method": "POST",
        "uri": f"/2010-04-01/Accounts/{sim.account_sid}/Applications/{sid}.json",
        "voice_caller_id_lookup": False,
        "voice_fallback_method": "POST",
        "voice_fallback_url": None,
        "voice_method": "POST",
        "voice_url": None,
        "public_application_connect_enabled": False,
    }
    body.update(fields)
    return body


def test_create_fetch_update_delete_exact_json(sim: Simulator) -> None:
    created = api(
        sim,
        "POST",
        "/2010-04-01/Accounts/{ac}/Applications.json",
        {
            "FriendlyName": "Phone Me",
            "VoiceUrl": f"{APP_URL}/voice",
            "VoiceMethod": "get",
            "StatusCallback": f"{APP_URL}/status",
        },
    )
    assert created.status_code == 201
    sid = created.json()["sid"]
    assert sid.startswith("AP") and len(sid) == 34
    expected = expected_json(
        sim,
        sid,
        friendly_name="Phone Me",
        voice_url=f"{APP_URL}/voice",
        voice_method="GET",
        status_callback=f"{APP_URL}/status",
    )
    assert created.json() == expected
    fetched = api(sim, "GET", f"/2010-04-01/Accounts/{{ac}}/Applications/{sid}.json")
    assert (fetched.status_code, fetched.json()) == (200, expected)
    sim.advance(5)
    updated = api(
        sim,
        "POST",
        f"/2010-04-01/Accounts/{{ac}}/Applications/{sid}.json",
        {"VoiceFallbackUrl": f"{APP_URL}/fallback", "VoiceCallerIdLookup": "true"},
    )
    assert updated.json() == {
        **expected,
        "date_updated": "Thu, 01 Jan 2026 09:00:05 +0000",
        "voice_fallback_url": f"{APP_URL}/fallback",
        "voice_caller_id_lookup": True,
    }
    deleted = api(sim, "DELETE", f"/2010-04-01/Accounts/{{ac}}/Applications/{sid}.json")
    assert (deleted.status_code, deleted.content) == (204, b"")
    gone = api(sim, "GET", f"/2010-04-01/Accounts/{{ac}}/Applications/{sid}.json")
    assert_error(
        gone,
        404,
        20404,
        f"The requested resource /2010-04-01/Accounts/{sim.account_sid}/Applications/{sid}.json "
        "was not found",
    )


def test_list_filters_by_friendly_name_and_pages(sim: Simulator) -> None:
    client = sim.client()
    first = client.applications.create(friendly_name="Sales", voice_url=f"{APP_URL}/a")
    second = client.applications.create(friendly_name="Support", voice_url=f"{APP_URL}/b")
    third = client.applications.create(friendly_name="Sales", voice_url=f"{APP_URL}/c")
    assert [app.sid for app in client.applications.list()] == [first.sid, second.sid, third.sid]
    assert [app.sid for app in client.applications.list(friendly_name="Sales")] == [
        first.sid,
        third.sid,
    ]
    page = api(sim, "GET", "/2010-04-01/Accounts/{ac}/Applications.json?PageSize=2").json()
    assert [app["sid"] for app in page["applications"]] == [first.sid, second.sid]
    base = f"/2010-04-01/Accounts/{sim.account_sid}/Applications.json"
    assert (page["page"], page["page_size"], page["first_page_uri"]) == (
        0,
        2,
        f"{base}?PageSize=2&Page=0",
    )
    assert page["next_page_uri"] == f"{base}?PageSize=2&Page=1&PageToken=PA{second.sid}"
    following = api(sim, "GET", page["next_page_uri"])
    assert [app["sid"] for app in following.json()["applications"]] == [third.sid]
    assert following.json()["next_page_uri"] is None


@pytest.mark.parametrize(
    ("form", "code", "message"),
    [
        (
            {"VoiceUrl": "https://bad_host.test/v"},
            21402,
            "VoiceUrl is not a valid URL: https://bad_host.test/v",
        ),
        (
            {"VoiceMethod": "PUT"},
            21403,
            "VoiceMethod is not a valid HTTP method: PUT. Use GET or POST",
        ),
        ({"StatusCallback": "/status"}, 21402, "StatusCallback is not a valid URL: /status"),
        (
            {"FriendlyName": "x" * 65},
            20422,
            f"FriendlyName is longer than 64 characters: {'x' * 65}",
        ),
        (
            {"VoiceCallerIdLookup": "yes"},
            20422,
            "VoiceCallerIdLookup is not a valid boolean: yes. Use true or false",
        ),
    ],
)
def test_create_refuses_bad_values(
    sim: Simulator, form: dict[str, str], code: int, message: str
) -> None:
    response = api(sim, "POST", "/2010-04-01/Accounts/{ac}/Applications.json", form)
    assert_error(response, 400, code, message)
    assert sim.account.applications == {}


def test_a_call_with_application_sid_runs_the_applications_voice_url(sim: Simulator) -> None:
    app = sim.application(
        voice_url=f"{APP_URL}/voice", status_callback=f"{APP_URL}/status", friendly_name="IVR"
    )
    call = sim.client().calls.create(
        to=CALLEE,
        from_=CALLER_ID,
        application_sid=app.sid,
        url=f"{APP_URL}/crash",  # ignored, as are the five below
        method="GET",
        fallback_url=f"{APP_URL}/crash",
        fallback_method="GET",
        status_callback=f"{APP_URL}/elsewhere",
        status_callback_method="GET",
        status_callback_event=["initiated", "ringing"],
    )
    sim.run()
    requests_ = sim.calls[call.sid].requests
    assert [(r.kind, r.method, r.url) for r in requests_] == [
        ("voice", "POST", f"{APP_URL}/voice"),
        ("redirect", "POST", f"{APP_URL}/goodbye"),
        ("status", "POST", f"{APP_URL}/status"),
    ]
    assert requests_[0].params["ApplicationSid"] == app.sid
    assert requests_[-1].params["ApplicationSid"] == app.sid
    assert requests_[-1].params["CallStatus"] == "completed"
    assert sim.calls[call.sid].said == [
        "Hello from the twimlsim example app.",
        "Thanks for calling. Goodbye!",
    ]


def test_ignored_parameters_are_not_even_checked(sim: Simulator) -> None:
    app = sim.application(voice_url=f"{APP_URL}/voice")
    response = api(
        sim,
        "POST",
        "/2010-04-01/Accounts/{ac}/Calls.json",
        {
            "To": CALLEE,
            "From": CALLER_ID,
            "ApplicationSid": app.sid,
            "Url": "not a url",
            "Method": "PUT",
            "StatusCallback": "https://bad_host.test/s",
            "StatusCallbackEvent": "nonsense",
        },
    )
    assert response.status_code == 201
    sim.run()


def test_the_other_create_parameters_still_apply_and_are_checked(sim: Simulator) -> None:
    app = sim.application(voice_url=f"{APP_URL}/voice")
    form = {"To": CALLEE, "From": CALLER_ID, "ApplicationSid": app.sid, "Timeout": "abc"}
    response = api(sim, "POST", "/2010-04-01/Accounts/{ac}/Calls.json", form)
    assert_error(response, 400, 21208, "Timeout is not a valid integer between 1 and 600: abc")


def test_an_application_of_another_account_is_unknown(sim: Simulator) -> None:
    other = sim.subaccount()
    app = sim.application(voice_url=f"{APP_URL}/voice", account=other)
    with pytest.raises(TwilioRestException) as raised:
        sim.client().calls.create(to=CALLEE, from_=CALLER_ID, application_sid=app.sid)
    assert (raised.value.status, raised.value.code, raised.value.msg) == (
        400,
        21218,
        f"Unable to create record: ApplicationSid {app.sid} is not an application of this "
        f"account ({sim.account_sid}) but of account {other.sid}; a TwiML App serves only "
        "its own account: send the request with that account's credentials (an app whose "
        "client was made with other credentials, such as a suite's placeholders, takes the "
        "simulator's: sim.account_sid and sim.auth_token, or sim.client())",
    )


def test_a_number_with_a_voice_application_answers_with_it(sim: Simulator) -> None:
    """Twilio's Applications page: "You can assign an ApplicationSid to an
    IncomingPhoneNumber to tell Twilio to use the application's URLs instead of the ones set
    directly on the IncomingPhoneNumber." """
    app = sim.application(voice_url=f"{APP_URL}/voice", status_callback=f"{APP_URL}/status")
    owned = sim.number("+15005550009", voice_url=f"{APP_URL}/crash", voice_application_sid=app.sid)
    fetched = sim.client().incoming_phone_numbers(owned.sid).fetch()
    assert (fetched.voice_application_sid, fetched.voice_url) == (app.sid, f"{APP_URL}/crash")
    call = sim.incoming_call(from_=CALLEE, to="+15005550009")
    sim.run()
    assert [(r.kind, r.url, r.params.get("ApplicationSid")) for r in call.requests] == [
        ("voice", f"{APP_URL}/voice", app.sid),
        ("redirect", f"{APP_URL}/goodbye", app.sid),
        ("status", f"{APP_URL}/status", app.sid),
    ]


def test_voice_application_sid_by_rest_update_and_delete(sim: Simulator) -> None:
    client = sim.client()
    app = client.applications.create(voice_url=f"{APP_URL}/voice")
    owned = sim.number("+15005550009", voice_url=f"{APP_URL}/goodbye")
    updated = client.incoming_phone_numbers(owned.sid).update(voice_application_sid=app.sid)
    assert updated.voice_application_sid == app.sid
    unknown = api(
        sim,
        "POST",
        f"/2010-04-01/Accounts/{{ac}}/IncomingPhoneNumbers/{owned.sid}.json",
        {"VoiceApplicationSid": "AP" + "0" * 32},
    )
    assert_error(
        unknown,
        400,
        21218,
        f"VoiceApplicationSid AP{'0' * 32} is not an application of this account; create it "
        "first (POST /Applications.json, or sim.application(...))",
    )
    client.applications(app.sid).delete()
    assert client.incoming_phone_numbers(owned.sid).fetch().voice_application_sid == ""
    call = sim.incoming_call(from_=CALLEE, to="+15005550009")
    sim.run()
    assert call.said == ["Thanks for calling. Goodbye!"]


def test_sim_number_refuses_an_unknown_application(sim: Simulator) -> None:
    with pytest.raises(ConfigurationError, match="not an application of the account"):
        sim.number("+15005550009", voice_application_sid="AP" + "0" * 32)


def test_applications_are_listed_in_the_account_subresources(sim: Simulator) -> None:
    body = requests.get(
        f"https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}.json",
        auth=(sim.account_sid, sim.auth_token),
        timeout=5,
    ).json()
    assert body["subresource_uris"]["applications"] == (
        f"/2010-04-01/Accounts/{sim.account_sid}/Applications.json"
    )

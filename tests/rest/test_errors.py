"""Every invalid input, through the real twilio client: exact status, code and message."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from typing import Any

import pytest
import requests
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from tests.support import APP_URL, CALLEE, CALLER_ID, SIMULATED_RESOURCES
from twimlsim import Simulator

URL = f"{APP_URL}/voice"
BASE: dict[str, Any] = {"to": CALLEE, "from_": CALLER_ID, "url": URL}
NOT_VERIFIED = (
    "The source phone number provided, {}, is not yet verified for your account. You may "
    "only make calls from phone numbers that you've verified or purchased from Twilio."
)


def without(*keys: str, **extra: Any) -> dict[str, Any]:
    return {**{k: v for k, v in BASE.items() if k not in keys}, **extra}


CREATE_ERRORS = [
    pytest.param(
        without("url"),
        400,
        21205,
        "Url parameter is required. For more information, see http://www.twilio.com/docs/api/twiml",
        id="no-url",
    ),
    pytest.param(
        without("to", "url", to=""),
        400,
        21205,
        "Url parameter is required. For more information, see http://www.twilio.com/docs/api/twiml",
        id="url-checked-before-to",
    ),
    pytest.param(without("to", to=""), 400, 21201, "No 'To' number is specified", id="no-to"),
    pytest.param(
        without("from_", from_=""), 400, 21213, "No 'From' number is specified", id="no-from"
    ),
    pytest.param(
        without(from_="not-a-number"),
        400,
        21212,
        "From is not a valid phone number: not-a-number",
        id="bad-from",
    ),
    pytest.param(
        without(from_="+15551112222"),
        400,
        21210,
        NOT_VERIFIED.format("+15551112222"),
        id="from-not-verified",
    ),
    pytest.param(
        without(to="12"), 400, 21211, "The 'To' number 12 is not a valid phone number.", id="bad-to"
    ),
    # an address naming nobody was a call that rang and was answered
    pytest.param(
        without(to="client:"), 400, 21211, "Called is not valid: client:", id="client-nobody"
    ),
    pytest.param(
        without(to="client: "), 400, 21211, "Called is not valid: client: ", id="client-blank"
    ),
    pytest.param(without(to="sip:"), 400, 21211, "Called is not valid: sip:", id="sip-nobody"),
    pytest.param(
        without(to="SIP:alice@"), 400, 21211, "Called is not valid: SIP:alice@", id="sip-no-host"
    ),
    pytest.param(without(to="sim:"), 400, 21211, "Called is not valid: sim:", id="sim-nobody"),
    pytest.param(
        without(to="client:" + "a" * 257 + "?ticket=42"),
        400,
        21211,
        "Called is not valid: the client identity aaaaaaaaaaaaaaaaaaaa... has 257 characters "
        "and Twilio dials identities of at most 256; use a shorter identity in the Access "
        "Token and To",
        id="client-identity-over-256",
    ),
    pytest.param(
        without(to="+18667786"),
        400,
        21211,
        "The phone number you are attempting to call, +18667786, is not valid.",
        id="to-too-short-for-its-country",
    ),
    pytest.param(
        without(to="+1584143861603"),
        400,
        21211,
        "The phone number you are attempting to call, +1584143861603, is not valid.",
        id="to-too-long-for-its-country",
    ),
    pytest.param(
        without(to="+6931234567"),
        400,
        21211,
        "The phone number you are attempting to call, +6931234567, is not valid.",
        id="to-unknown-calling-code",
    ),
    pytest.param(
        without(from_="+18667786"),
        400,
        21212,
        "From is not a valid phone number: +18667786",
        id="from-impossible-for-its-country",
    ),
    pytest.param(
        without(url="ftp://app.test/voice"),
        400,
        21205,
        "Url is not a valid URL: ftp://app.test/voice",
        id="bad-url",
    ),
    pytest.param(
        without(url="/voice"), 400, 21205, "Url is not a valid URL: /voice", id="relative-url"
    ),
    pytest.param(
        without(application_sid="AP" + "a" * 32),
        400,
        21218,
        f"ApplicationSid AP{'a' * 32} is not an application of this account; create it "
        "first (POST /Applications.json, or sim.application(...))",
        id="url-and-unknown-application",
    ),
    pytest.param(
        without("url", application_sid="AP123"),
        400,
        21218,
        "ApplicationSid is not valid: AP123",
        id="bad-application-sid",
    ),
    pytest.param(
        without(method="PUT"),
        400,
        21209,
        "Method is not a valid HTTP method: PUT. Use GET or POST",
        id="bad-method",
    ),
    pytest.param(
        without(fallback_method="DELETE"),
        400,
        21209,
        "FallbackMethod is not a valid HTTP method: DELETE. Use GET or POST",
        id="bad-fallback-method",
    ),
    pytest.param(
        without(timeout="soon"),
        400,
        21208,
        "Timeout is not a valid integer between 1 and 600: soon",
        id="bad-timeout",
    ),
    pytest.param(
        without(timeout=0),
        400,
        21208,
        "Timeout is not a valid integer between 1 and 600: 0",
        id="zero-timeout",
    ),
    pytest.param(
        without(send_digits="12x"),
        400,
        21206,
        "SendDigits is not valid: 12x. Use up to 32 of 0-9, A-D, #, *, w and W",
        id="bad-send-digits",
    ),
    pytest.param(
        without(send_digits="12a#"),  # Twilio's 21206 page: 0123456789ABCD*#wW, A-D upper case
        400,
        21206,
        "SendDigits is not valid: 12a#. Use up to 32 of 0-9, A-D, #, *, w and W",
        id="lower-case-send-digits",
    ),
    pytest.param(
        without(send_digits="1" * 33),
        400,
        21206,
        f"SendDigits is not valid: {'1' * 33}. Use up to 32 of 0-9, A-D, #, *, w and W",
        id="long-send-digits",
    ),
    pytest.param(
        without(status_callback=f"{APP_URL}/s", status_callback_event=["answered", "hungup"]),
        400,
        21626,
        "One or more of the StatusCallbackEvents provided were invalid: hungup",
        id="bad-status-callback-event",
    ),
    pytest.param(
        without(status_callback="https://bad_host.test/status"),
        400,
        21609,
        "The StatusCallback URL https://bad_host.test/status is not a valid URL.",
        id="bad-status-callback",
    ),
    pytest.param(
        without("url", twiml="<Response>" + "<Pause/>" * 500 + "</Response>"),
        400,
        32018,
        "Twiml size exceeded maximum allowed value of 4000 characters (got 4021)",
        id="twiml-too-long",
    ),
    pytest.param(
        without(machine_detection_timeout=1),
        400,
        21234,
        "MachineDetectionTimeout is not a valid integer between 3 and 60: 1",
        id="bad-amd-timeout",
    ),
    pytest.param(
        without(machine_detection="Enable", async_amd="yes"),
        400,
        21234,
        "AsyncAmd is not a valid boolean: yes. Use true or false",
        id="bad-async-amd",
    ),
    pytest.param(
        without(record="maybe"),
        400,
        20422,
        "Record is not a valid boolean: maybe. Use true or false",
        id="bad-record",
    ),
    pytest.param(
        without(recording_channels="stereo"),
        400,
        20422,
        "RecordingChannels is not valid: stereo. Use one of mono, dual",
        id="bad-recording-channels",
    ),
    pytest.param(
        without(time_limit=-1),
        400,
        20422,
        "TimeLimit is not a valid integer between 1 and 86400: -1",
        id="bad-time-limit",
    ),
    pytest.param(
        without(sip_auth_username="alice"),  # Twilio's 21225 page, word for word
        400,
        21225,
        "SipAuthPassword is required when providing SipAuthUsername: give the password of "
        "SIP user 'alice' too",
        id="username-without-password",
    ),
    pytest.param(
        without(sip_auth_password="secret"),
        400,
        21225,
        "SipAuthUsername is required when providing SipAuthPassword: give the SIP user the "
        "password belongs to",
        id="password-without-username",
    ),
    pytest.param(
        without(sip_auth_username="ali\nce", sip_auth_password="secret"),
        400,
        21222,
        "Invalid SipAuthUsername. Illegal chars: it holds the control character U+000A, "
        "which SIP does not allow; use printable characters only",
        id="username-control-character",
    ),
    pytest.param(
        without(sip_auth_username="alice", sip_auth_password="se\tcret"),
        400,
        21224,
        "Invalid SipAuthPassword. Illegal chars: it holds the control character U+0009, "
        "which SIP does not allow; use printable characters only",
        id="password-control-character",
    ),
    pytest.param(
        without(sip_auth_username="alice", sip_auth_password="p" * 256),
        400,
        21223,
        "Invalid SipAuthPassword. Must be fewer than 256 chars (got 256)",  # not echoed
        id="password-too-long",
    ),
    pytest.param(
        without(sip_auth_username="u" * 300, sip_auth_password="secret"),
        400,
        21221,
        "Invalid SipAuthUsername. Must be fewer than 256 chars (got 300)",
        id="username-too-long",
    ),
    pytest.param(
        without(to="sip:" + "a" * 239 + "@example.com?x-h=1"),  # a URI of 255 characters
        400,
        21211,
        f"Called is not valid: sip:{'a' * 36}... is 255 characters long; Twilio's Making SIP "
        "Calls page asks for a SIP URI under 255 characters (headers after ? not counted)",
        id="sip-uri-too-long",
    ),
    pytest.param(
        without(to="sip:alice@example.com?x-note=" + "n" * 1017),  # headers of 1024 chars
        400,
        21227,
        "Headers portion of SIP URI must be fewer than 1024 chars: the headers of To are "
        "1,024 characters long; send fewer or shorter headers",
        id="sip-headers-too-long",
    ),
    pytest.param(
        without(to="sip:alice@example.com?x-my note=1"),
        400,
        21228,
        "Invalid SIP Header. Illegal chars in header name: 'x-my note' in To; a header name "
        "holds letters, digits and -.!%*_+`'~ only (x-my-header)",
        id="sip-header-name",
    ),
    pytest.param(
        without(to="sip:alice@example.com?x-ok=1&x-note=a%0Ab"),
        400,
        21229,
        "Invalid SIP Header. Illegal chars in header value: the value of x-note in To holds "
        "the control character U+000A; %-escape only printable characters",
        id="sip-header-value",
    ),
    pytest.param(
        without(byoc="BY123"),
        400,
        21300,
        "Invalid BYOC trunk SID: BY123. A BYOC trunk SID is BY followed by 32 hexadecimal "
        "digits (34 characters); give one of the account's trunks",
        id="malformed-byoc",
    ),
    pytest.param(
        without(byoc="TK" + "a" * 32),
        400,
        21300,
        f"Invalid BYOC trunk SID: TK{'a' * 32}. A BYOC trunk SID is BY followed by 32 "
        "hexadecimal digits (34 characters); give one of the account's trunks",
        id="byoc-of-another-kind",
    ),
    pytest.param(
        without(to="client:alice", client_notification_url="https://push_host.test/notify"),
        400,
        13806,
        "Invalid Client Notification URL: https://push_host.test/notify is not a valid URL; "
        "give the absolute http(s) URL of the Voice SDK call notification webhook",
        id="client-notification-url",
    ),
]


@pytest.mark.parametrize(("kwargs", "status", "code", "message"), CREATE_ERRORS)
def test_create_errors(
    sim: Simulator, kwargs: dict[str, Any], status: int, code: int, message: str
) -> None:
    with pytest.raises(TwilioRestException) as raised:
        sim.client().calls.create(**kwargs)
    error = raised.value
    assert (error.status, error.code, error.msg) == (
        status,
        code,
        f"Unable to create record: {message}",
    )
    assert sim.calls == {}


TEST_CREDENTIAL_ERRORS = [
    pytest.param(
        {"from_": "+15005550001"}, 21212, "From is not a valid phone number: +15005550001"
    ),
    pytest.param({"from_": "+15558675399"}, 21210, NOT_VERIFIED.format("+15558675399")),
    pytest.param(
        {"to": "+15005550001"}, 21217, "Phone number +15005550001 does not appear to be valid"
    ),
    pytest.param({"to": "+15005550002"}, 21214, "'To' phone number +15005550002 cannot be reached"),
    pytest.param({"to": "+15005550003"}, 21215, "Account not authorized to call +15005550003"),
    pytest.param({"to": "+15005550004"}, 21216, "Call blocked by Twilio blocklist: +15005550004"),
]


@pytest.mark.parametrize(("change", "code", "message"), TEST_CREDENTIAL_ERRORS)
def test_magic_numbers_with_test_credentials(
    sim: Simulator, change: dict[str, str], code: int, message: str
) -> None:
    client = Client(sim.account_sid, sim.test_auth_token)
    with pytest.raises(TwilioRestException) as raised:
        client.calls.create(**{**BASE, "from_": "+15005550006", **change})
    assert (raised.value.status, raised.value.code, raised.value.msg) == (
        400,
        code,
        f"Unable to create record: {message}",
    )


def test_test_credentials_place_no_call_and_reach_only_create(sim: Simulator) -> None:
    client = Client(sim.account_sid, sim.test_auth_token)
    call = client.calls.create(to=CALLEE, from_="+15005550006", url=URL)
    assert (call.status, call.to, call._from, call.date_created) == (
        "queued",
        CALLEE,
        "+15005550006",
        None,
    )
    assert sim.calls == {} and sim.requests == []
    with pytest.raises(TwilioRestException) as raised:
        client.calls(call.sid).fetch()
    assert (raised.value.status, raised.value.code, raised.value.msg) == (
        403,
        20008,
        "Unable to fetch record: Resource not accessible with Test Account Credentials",
    )


def test_update_errors(sim: Simulator) -> None:
    client = sim.client()
    sid = client.calls.create(**BASE).sid
    cases = [
        ({"url": "nope"}, 21205, "Url is not a valid URL: nope"),
        ({"status": "busy"}, 20422, "Status is not valid: busy. Use canceled or completed"),
        (
            {"url": URL, "method": "PATCH"},
            21209,
            "Method is not a valid HTTP method: PATCH. Use GET or POST",
        ),
        (
            {"twiml": "x" * 4001},
            32018,
            "Twiml size exceeded maximum allowed value of 4000 characters (got 4001)",
        ),
    ]
    for kwargs, code, message in cases:
        with pytest.raises(TwilioRestException) as raised:
            client.calls(sid).update(**kwargs)
        assert (raised.value.status, raised.value.code, raised.value.msg) == (
            400,
            code,
            f"Unable to update record: {message}",
        ), kwargs
    sim.run()


def test_bad_credentials_are_401_20003(sim: Simulator) -> None:
    with pytest.raises(TwilioRestException) as raised:
        Client(sim.account_sid, "wrong").calls("CA" + "0" * 32).fetch()
    assert (raised.value.status, raised.value.code, raised.value.msg) == (
        401,
        20003,
        "Unable to fetch record: Authenticate",
    )


API = "https://api.twilio.com/2010-04-01"


@pytest.mark.parametrize(
    ("method", "path", "data", "status", "code", "message"),
    [
        (
            "GET",
            "/Accounts/{ac}/Calls/CA" + "0" * 32 + ".json",
            None,
            404,
            20404,
            "The requested resource /2010-04-01/Accounts/{ac}/Calls/CA"
            + "0" * 32
            + ".json was not found",
        ),
        (
            "GET",
            "/Accounts/{ac}/Calls/not-a-sid.json",
            None,
            404,
            20404,
            "The requested resource /2010-04-01/Accounts/{ac}/Calls/not-a-sid.json was not found",
        ),
        (
            "GET",
            "/Accounts/{ac}/Nonsense.json",
            None,
            404,
            20404,
            "The requested resource /2010-04-01/Accounts/{ac}/Nonsense.json was not found",
        ),
        (
            "PUT",
            "/Accounts/{ac}/Calls.json",
            None,
            405,
            20004,
            "Method PUT not allowed on /2010-04-01/Accounts/{ac}/Calls.json",
        ),
        (
            "DELETE",
            "/Accounts/{ac}/Calls.json",
            None,
            405,
            20004,
            "Method DELETE not allowed on /2010-04-01/Accounts/{ac}/Calls.json",
        ),
        (
            "GET",
            "/Accounts/{ac}/Calls.json?PageSize=1001",
            None,
            400,
            20007,
            "Page size too large: PageSize 1001 is more than the maximum of 1000",
        ),
        (
            "GET",
            "/Accounts/{ac}/Calls.json?PageSize=0",
            None,
            400,
            20422,
            "PageSize must be between 1 and 1000: 0",
        ),
        (
            "GET",
            "/Accounts/{ac}/Calls.json?PageSize=x",
            None,
            400,
            20422,
            "PageSize is not a valid integer: x",
        ),
        (
            "GET",
            "/Accounts/{ac}/Calls.json?PageToken=garbage",
            None,
            400,
            21481,
            "PageToken is not valid: garbage",
        ),
        (
            "GET",
            "/Accounts/{ac}/Calls.json?StartTime%3E=yesterday",
            None,
            400,
            20422,
            "StartTime> is not a valid date: yesterday. Use YYYY-MM-DD (UTC)",
        ),
        (
            "GET",
            "/Accounts/{ac}/Addresses.json",
            None,
            501,
            20500,
            "GET /2010-04-01/Accounts/{ac}/Addresses.json is a Twilio API endpoint "
            "(Addresses) that twimlsim does not simulate; "
            + SIMULATED_RESOURCES
            + "; to go on, stub that URL in the test with the mock of the client that sent it "
            "(responses.add(...) for requests and the twilio client, respx for httpx, "
            "aioresponses for aiohttp): a test's own mock of a Twilio URL wins over twimlsim",
        ),
        (
            "POST",
            "/Accounts/{ac}/Calls.json",
            b"\xff\xfe=%%%&To",
            400,
            21205,
            "Url parameter is required. For more information, see "
            "http://www.twilio.com/docs/api/twiml",
        ),
        (
            "GET",
            "/Accounts/AC" + "1" * 32 + "/Calls.json",
            None,
            404,
            20404,
            "The requested resource /2010-04-01/Accounts/AC"
            + "1" * 32
            + "/Calls.json was not found",
        ),
    ],
)
@pytest.mark.usefixtures("asks_unsimulated")
def test_raw_requests_get_twilio_errors(
    sim: Simulator, method: str, path: str, data: bytes | None, status: int, code: int, message: str
) -> None:
    response = requests.request(
        method,
        API + path.format(ac=sim.account_sid),
        data=data,
        headers={"Content-Type": "application/x-www-form-urlencoded"} if data else {},
        auth=(sim.account_sid, sim.auth_token),
        timeout=5,
    )
    assert response.status_code == status
    assert response.json() == {
        "code": code,
        "message": message.format(ac=sim.account_sid),
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }


@pytest.mark.parametrize(
    "auth",
    [None, ("AC" + "0" * 32, "x"), ("", ""), ("SK" + "0" * 32, "secret")],
)
def test_unauthenticated_requests(sim: Simulator, auth: tuple[str, str] | None) -> None:
    response = requests.get(f"{API}/Accounts/{sim.account_sid}/Calls.json", auth=auth, timeout=5)
    assert (response.status_code, response.json()) == (401, AUTHENTICATE)
    assert response.headers["WWW-Authenticate"] == CHALLENGE


#: The challenge of Twilio's 401 (as captured: ``WWW-Authenticate: Basic realm="Twilio
#: API"``); a client that sends credentials only when challenged needs it.
CHALLENGE = 'Basic realm="Twilio API"'


def test_urllibs_basic_auth_handler_sends_its_credentials_when_challenged(
    sim: Simulator,
) -> None:
    """urllib's HTTPBasicAuthHandler (scripts calling Twilio without its library) sends
    the credentials only after a 401 that asks for them: without the challenge it stopped
    at the 401 that Twilio would have followed with the call."""
    sim.number(CALLER_ID)
    calls = f"{API}/Accounts/{sim.account_sid}/Calls.json"
    handler = urllib.request.HTTPBasicAuthHandler()
    handler.add_password(realm="Twilio API", uri=calls, user=sim.account_sid, passwd=sim.auth_token)
    form = {"To": CALLEE, "From": CALLER_ID, "Twiml": "<Response><Say>Hi</Say></Response>"}
    data = urllib.parse.urlencode(form).encode()
    with urllib.request.build_opener(handler).open(calls, data=data, timeout=5) as answer:
        assert answer.status == 201
        sid = json.loads(answer.read())["sid"]
    assert [(r.status, r.kind) for r in sim.api_requests] == [
        (401, "calls.create"),
        (201, "calls.create"),
    ]
    sim.run()
    assert sim.calls[sid].said == ["Hi"]


def test_the_twilio_client_is_challenged_too(sim: Simulator) -> None:
    form = {"To": CALLEE, "From": CALLER_ID, "Url": URL}
    response = requests.post(f"{API}/Accounts/{sim.account_sid}/Calls.json", data=form, timeout=5)
    assert (response.status_code, response.headers["WWW-Authenticate"]) == (401, CHALLENGE)
    lookup = requests.get("https://lookups.twilio.com/v2/PhoneNumbers/+15558675310", timeout=5)
    assert (lookup.status_code, lookup.headers["WWW-Authenticate"]) == (401, CHALLENGE)


GET_WITH_BODY = (
    "Access Denied: a GET request with a body (Twilio has refused them since "
    "2024-02-15); send its parameters in the query string (requests' params=, not data=)"
)


@pytest.mark.parametrize("auth", [True, False], ids=["signed-in", "anonymous"])
def test_a_get_with_a_body_is_refused_403_as_twilio_does(sim: Simulator, auth: bool) -> None:
    """requests.get(url, data=filters) sent the filters as a body: twimlsim listed every
    call (the filters unread) where Twilio answers 403 (its changelog, 2023-12-12 and
    2024-01-11: "Twilio will reject GET requests with a non-empty body")."""
    response = requests.get(
        f"{API}/Accounts/{sim.account_sid}/Calls.json",
        data={"Status": "completed"},
        auth=(sim.account_sid, sim.auth_token) if auth else None,
        timeout=5,
    )
    assert (response.status_code, response.json()) == (
        403,
        {
            "code": 20403,
            "message": GET_WITH_BODY,
            "more_info": "https://www.twilio.com/docs/errors/20403",
            "status": 403,
        },
    )
    assert [(r.method, r.status) for r in sim.api_requests] == [("GET", 403)]


def test_a_get_without_a_body_and_other_methods_with_one_are_answered(sim: Simulator) -> None:
    calls = f"{API}/Accounts/{sim.account_sid}/Calls.json"
    auth = (sim.account_sid, sim.auth_token)
    assert requests.get(calls, params={"Status": "completed"}, auth=auth, timeout=5).ok
    assert requests.get(calls, data={}, auth=auth, timeout=5).ok  # requests sends no body
    lookup = "https://lookups.twilio.com/v2/PhoneNumbers/+15558675310"
    refused = requests.get(lookup, data={"Fields": "line_type_intelligence"}, auth=auth, timeout=5)
    assert (refused.status_code, refused.json()["code"]) == (403, 20403)


def test_malformed_authorization_header(sim: Simulator) -> None:
    response = requests.get(
        f"{API}/Accounts/{sim.account_sid}/Calls.json",
        headers={"Authorization": "Basic %%%not-base64"},
        timeout=5,
    )
    assert (response.status_code, response.json()) == (401, AUTHENTICATE)


AUTHENTICATE = {
    "code": 20003,
    "message": "Authenticate",
    "more_info": "https://www.twilio.com/docs/errors/20003",
    "status": 401,
}

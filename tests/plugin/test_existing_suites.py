"""Existing suites under ``pytest --twimlsim`` and the fixture: the async client, other
routes to Twilio, placeholder credentials, the suite's own ``responses`` stubs, and one
report per failure."""

from __future__ import annotations

import re

import pytest

pytest_plugins = ["pytester"]


def no_error_reports(result: pytest.RunResult) -> bool:
    """No test reported an ERROR (a failing fixture setup or teardown)."""
    reports = [line for line in result.outlines if re.match(r"ERROR \S+::|_+ ERROR at ", line)]
    return reports == []


ASYNC_TEST = """
import asyncio

from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.rest import Client

SID, TOKEN = "AC" + "0123456789abcdef" * 2, "real-looking-token"


async def place_and_fetch(sid, token):
    async with AsyncTwilioHttpClient() as http:
        client = Client(sid, token, http_client=http)
        call = await client.calls.create_async(
            to="+15558675310", from_="+15005550006", twiml="<Response><Say>Hi</Say></Response>",
            status_callback="https://app.test/status",
            status_callback_event=["initiated", "answered"],
        )
        fetched = await client.calls(call.sid).fetch_async()
        listed = await client.calls.list_async(limit=5)
        assert http._test_only_last_response.status_code == 200
        return call, fetched, listed


def test_async_client(request):
    call, fetched, listed = asyncio.run(place_and_fetch(SID, TOKEN))
    assert (call.status, call.account_sid) == ("queued", SID)
    assert call.sid == "CAee4a56ad3092da64d5ba892549669298"
    assert fetched.sid == call.sid and [c.sid for c in listed] == [call.sid]
    sim = request.getfixturevalue("twimlsim")
    record = sim.calls[call.sid].record
    assert record.status_callback.events == {"initiated", "answered"}
"""


def test_async_client_runs_offline_under_the_option(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_async=ASYNC_TEST)
    pytester.runpytest("--twimlsim", "-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_async_client_reaches_the_fixtures_simulator(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        app="""
from flask import Flask
app = Flask(__name__)

@app.post("/voice")
def voice():
    return "<Response><Say>Hello async</Say></Response>", 200, {"Content-Type": "text/xml"}
""",
        test_async="""
import asyncio

from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.rest import Client

from app import app


async def place(sim):
    async with AsyncTwilioHttpClient() as http:
        client = Client(sim.account_sid, sim.auth_token, http_client=http)
        return await client.calls.create_async(
            to="+15558675310", from_="+15005550006", url="https://app.test/voice")


def test_async(twimlsim):
    twimlsim.route("https://app.test", app)
    twimlsim.number("+15005550006")
    call = asyncio.run(place(twimlsim))
    twimlsim.run()
    assert twimlsim.calls[call.sid].said == ["Hello async"]
    assert twimlsim.calls[call.sid].status == "completed"
""",
    )
    pytester.runpytest().assert_outcomes(passed=1)


#: A conftest that records every name resolved and every socket connected to a
#: non-loopback address, and refuses those connections.
NO_NETWORK_CONFTEST = """
import ipaddress
import socket

RESOLVED = []
NON_LOOPBACK = []
_connect = socket.socket.connect
_getaddrinfo = socket.getaddrinfo


def connect(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6):
        if not ipaddress.ip_address(address[0]).is_loopback:
            NON_LOOPBACK.append(address)
            raise OSError("the test forbids connecting to " + repr(address))
    return _connect(self, address)


def getaddrinfo(host, *args, **kwargs):
    RESOLVED.append(host)
    return _getaddrinfo(host, *args, **kwargs)


socket.socket.connect = connect
socket.getaddrinfo = getaddrinfo
"""

CUSTOM_CLIENT_TEST = """
import http.client
from urllib.parse import urlencode, urlsplit

import pytest
from twilio.http import HttpClient
from twilio.http.response import Response
from twilio.rest import Client

import conftest


class HttpLibClient(HttpClient):
    def __init__(self):
        super().__init__(logger=None, is_async=False)

    def request(self, method, url, params=None, data=None, headers=None, auth=None,
                timeout=None, allow_redirects=False):
        body = urlencode(data or {}).encode() if method == "POST" else None
        connection = http.client.HTTPSConnection(urlsplit(url).hostname, timeout=5)
        connection.request(method, urlsplit(url).path, body=body, headers=headers or {})
        answer = connection.getresponse()
        return Response(answer.status, answer.read().decode(), answer.headers)


def test_custom_client():
    client = Client("AC" + "1" * 32, "token", http_client=HttpLibClient())
    client.calls.create(to="+15558675310", from_="+15005550006", twiml="<Response/>")


def test_zz_nothing_left_the_machine():
    assert conftest.NON_LOOPBACK == []
    assert [host for host in conftest.RESOLVED if "twilio" in str(host)] == []
"""


def test_a_custom_http_client_fails_with_the_routing_message_and_opens_no_socket(
    pytester: pytest.Pytester,
) -> None:
    pytester.makeconftest(NO_NETWORK_CONFTEST)
    pytester.makepyfile(test_custom=CUSTOM_CLIENT_TEST)
    result = pytester.runpytest("--twimlsim", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "E *twimlsim.errors.NetworkEscapeError: twimlsim blocked a connection to "
            "api.twilio.com:443: this request to Twilio did not go through a transport the "
            "simulator answers, so it would have reached the real Twilio.*Route it: build "
            "the client as Client(account_sid, auth_token) or with "
            "http_client=AsyncTwilioHttpClient(), or make your custom HttpClient (or "
            "download) send with requests (a requests.Session), urllib.request, urllib3, "
            "httpx, httpx2 or aiohttp (a ClientSession on a TCPConnector, the default), or "
            "point it at `twimlsim serve`.",
            "FAILED test_custom.py::test_custom_client - twimlsim.errors.NetworkEscape*",
        ]
    )
    assert no_error_reports(result)  # one failure, one report


def test_a_swallowed_escape_still_fails_the_test(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
import http.client

def test_swallowed():
    try:
        connection = http.client.HTTPSConnection("api.twilio.com", timeout=5)
        connection.request("GET", "/2010-04-01/Accounts.json")
    except Exception:
        pass
"""
    )
    result = pytester.runpytest("--twimlsim")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "E *twimlsim.errors.NetworkEscapeError: twimlsim blocked a connection to "
            "api.twilio.com:443: *",
            "ERROR test_a_swallowed_escape_still_fails_the_test.py::test_swallowed - *",
        ]
    )


def test_placeholder_credentials_open_an_account(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
import pytest
from twilio.rest import Client

@pytest.mark.parametrize("account_sid", [
    "AC" + "x" * 32, "AC" + "X" * 32, "ACXXXXX", "AC123", "your_account_sid", "AC***"])
def test_placeholder(twimlsim, account_sid):
    client = Client(account_sid, "your_auth_token")
    call = client.calls.create(to="+15558675310", from_="+15005550006", twiml="<Response/>")
    assert (call.status, call.account_sid) == ("queued", account_sid)
    assert client.calls(call.sid).fetch().sid == call.sid
    assert twimlsim.store.accounts[account_sid].auth_token == "your_auth_token"
    twimlsim.run()
    assert twimlsim.calls[call.sid].status == "completed"


def test_placeholder_api_key(twimlsim):
    client = Client("SKxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "your_api_secret", "ACXXXXX")
    call = client.calls.create(to="+15558675310", from_="+15005550006", twiml="<Response/>")
    assert (call.status, call.account_sid) == ("queued", "ACXXXXX")
    key = twimlsim.store.api_keys["SKxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"]
    assert (key.account_sid, key.secret) == ("ACXXXXX", "your_api_secret")


def test_voice_sdk_quickstart_placeholders(twimlsim):
    client = Client("SK***", "***", "AC***")  # Twilio's Voice SDK quickstart servers' values
    call = client.calls.create(to="client:alice", from_="client:quick_start", twiml="<Response/>")
    assert (call.status, call.account_sid) == ("queued", "AC***")
    assert twimlsim.store.api_keys["SK***"].account_sid == "AC***"
"""
    )
    pytester.runpytest("--twimlsim").assert_outcomes(passed=8)


def test_placeholder_credentials_are_refused_without_the_option(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        """
import pytest
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

def test_placeholder(twimlsim):
    client = Client("ACXXXXX", "your_auth_token")
    with pytest.raises(TwilioRestException) as raised:
        client.calls.create(to="+15558675310", from_="+15005550006", twiml="<Response/>")
    assert (raised.value.status, raised.value.code) == (401, 20003)
"""
    )
    pytester.runpytest().assert_outcomes(passed=1)


STUBBED = """
import pytest
import responses
from twilio.rest import Client

CALLS = "https://api.twilio.com/2010-04-01/Accounts/AC" + "1" * 32 + "/Calls.json"
CANNED = {"sid": "CA_canned", "status": "queued", "account_sid": "AC" + "1" * 32}


def place():
    client = Client("AC" + "1" * 32, "token")
    return client.calls.create(to="+15558675310", from_="+15005550006", twiml="<Response/>")

TESTS
"""


def test_a_suites_own_responses_stub_of_twilio_wins(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        STUBBED.replace(
            "TESTS",
            """
@responses.activate
def test_stub_inside():
    responses.add(responses.POST, CALLS, json=CANNED, status=201)
    assert place().sid == "CA_canned"
    assert place().sid == "CA_canned"  # the stub keeps answering


@pytest.fixture
def stub():
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        mock.add(responses.POST, CALLS, json=CANNED, status=201)
        yield mock


def test_stub_started_before_the_simulator(stub, twimlsim):  # stub first: the mock is inner
    assert place().sid == "CA_canned"
    assert len(stub.calls) == 1


@responses.activate
def test_unstubbed_twilio_urls_still_reach_the_simulator():
    responses.add(responses.GET, CALLS, json={"calls": []})
    assert place().sid.startswith("CA") and place().sid != "CA_canned"
""",
        )
    )
    pytester.runpytest("--twimlsim").assert_outcomes(passed=3)


def test_the_opt_out_marker_runs_a_test_without_the_simulator(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        STUBBED.replace(
            "TESTS",
            """
import pytest


@pytest.mark.no_twimlsim
def test_opted_out(request):
    assert "twimlsim" not in request.fixturenames
    with responses.RequestsMock() as mock:
        mock.add(responses.POST, CALLS, json=CANNED, status=201)
        assert place().sid == "CA_canned"


@pytest.mark.no_twimlsim
def test_opted_out_but_asks(twimlsim):
    pass
""",
        )
    )
    result = pytester.runpytest("--twimlsim")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "E *UsageError: test_the_opt_out_marker_runs_a_test_without_the_simulator.py"
            "::test_opted_out_but_asks is marked no_twimlsim but uses the twimlsim fixture; "
            "remove the no_twimlsim marker or stop asking for the fixture"
        ]
    )
    assert "pytest_plugin.py" not in result.stdout.str()  # the test's frames, not twimlsim's


FAILING_APP = """
from flask import Flask
app = Flask(__name__)

@app.post("/voice")
def voice():
    raise RuntimeError("database is down")
"""


def test_a_failing_test_reports_exactly_one_failure(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        app=FAILING_APP,
        test_fail="""
from app import app

def test_assertion_fails_first(twimlsim):
    twimlsim.route("https://app.test", app)
    twimlsim.phone("+15558675310").presses("1")  # never reached: no second report
    twimlsim.number("+15005550006")
    twimlsim.client().calls.create(
        to="+15558675310", from_="+15005550006", url="https://app.test/voice")
    assert 1 == 2


def test_the_app_fails(twimlsim):
    twimlsim.route("https://app.test", app)
    twimlsim.phone("+15558675310").presses("1")
    twimlsim.number("+15005550006")
    twimlsim.client().calls.create(
        to="+15558675310", from_="+15005550006", url="https://app.test/voice")
    twimlsim.run()
""",
    )
    result = pytester.runpytest("-ra")
    result.assert_outcomes(failed=2)
    assert no_error_reports(result)
    result.stdout.fnmatch_lines(
        [
            "FAILED test_fail.py::test_assertion_fails_first - assert 1 == 2",
            "FAILED test_fail.py::test_the_app_fails - twimlsim.errors.SimulationError: *",
        ]
    )


def test_a_hand_driven_call_reports_the_apps_error_at_once(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        app=FAILING_APP,
        test_by_hand="""
import pytest
from twimlsim import SimulationError
from app import app

def test_by_hand(twimlsim):
    twimlsim.route("https://app.test", app)
    twimlsim.number("+15005550006", voice_url="https://app.test/voice")
    call = twimlsim.incoming_call(from_="+15558675310", to="+15005550006")
    with pytest.raises(SimulationError) as raised:
        call.run()
    message = str(raised.value)
    assert "HTTP 500 to POST; it raised RuntimeError: database is down; " in message
    assert isinstance(raised.value.__cause__, RuntimeError)
""",
    )
    pytester.runpytest().assert_outcomes(passed=1)


def test_a_403_under_the_option_says_whose_token_signed_the_webhook(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        """
from twilio.request_validator import RequestValidator
from twilio.rest import Client

SID = "AC" + "1" * 32


def test_app_checks_with_the_simulators_token(twimlsim):
    def app(environ, start_response):  # validates as README says, with sim.auth_token
        body = environ["wsgi.input"].read(int(environ["CONTENT_LENGTH"])).decode()
        params = dict(pair.split("=", 1) for pair in body.split("&"))
        url = "https://app.test" + environ["PATH_INFO"]
        signature = environ.get("HTTP_X_TWILIO_SIGNATURE", "")
        if RequestValidator(twimlsim.auth_token).validate(url, params, signature):
            start_response("200 OK", [("Content-Type", "text/xml")])
            return [b"<Response/>"]
        start_response("403 Forbidden", [("Content-Type", "text/plain")])
        return [b"bad signature"]

    twimlsim.route("https://app.test", app)
    client = Client(SID, "the-suites-own-token")  # the suite's own credentials
    call = client.calls.create(to="+15558675310", from_="+15005550006", url="https://app.test/voice")
    twimlsim.run()
"""
    )
    result = pytester.runpytest("--twimlsim", "-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    sid = "1" * 32
    result.stdout.fnmatch_lines(
        [
            f"*; this call's account, AC{sid}, was opened from the credentials the app's own "
            "Twilio client presented (pytest --twimlsim), so its webhooks are signed with that "
            "client's auth token, not sim.auth_token: have the app validate with the token its "
            "client uses; twimlsim then played Twilio's application-error message and hung up*"
        ]
    )


#: A suite whose app places its calls with an API key, as Twilio recommends, and validates
#: webhooks with the account's auth token, which it never sends to Twilio.
API_KEY_SUITE = """
from urllib.parse import parse_qsl

import pytest
from twilio.request_validator import RequestValidator
from twilio.rest import Client

SID, KEY, SECRET = "AC" + "1" * 32, "SK" + "2" * 32, "the-keys-secret"
AUTH_TOKEN = "the-accounts-own-token"


@pytest.fixture(autouse=True)
def environment(monkeypatch):
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", ENVIRONMENT_SID)
    if GIVE_TOKEN:
        monkeypatch.setenv("TWILIO_AUTH_TOKEN", AUTH_TOKEN)
    else:
        monkeypatch.delenv("TWILIO_AUTH_TOKEN", raising=False)


def app(environ, start_response):
    body = environ["wsgi.input"].read(int(environ["CONTENT_LENGTH"])).decode()
    params = dict(parse_qsl(body, keep_blank_values=True))
    url = "https://app.test" + environ["PATH_INFO"]
    if RequestValidator(AUTH_TOKEN).validate(url, params, environ["HTTP_X_TWILIO_SIGNATURE"]):
        start_response("200 OK", [("Content-Type", "text/xml")])
        return [b"<Response><Say>Signed by my account.</Say></Response>"]
    start_response("403 Forbidden", [("Content-Type", "text/plain")])
    return [b"bad signature"]


def test_a_call_placed_with_an_api_key(twimlsim):
    twimlsim.route("https://app.test", app)
    call = Client(KEY, SECRET, SID).calls.create(
        to="+15558675310", from_="+15005550006", url="https://app.test/voice"
    )
    twimlsim.run()
    assert twimlsim.calls[call.sid].said == ["Signed by my account."]
"""


def test_an_account_opened_from_an_api_key_signs_with_the_environments_auth_token(
    pytester: pytest.Pytester,
) -> None:
    """A key carries no auth token: the account it names took a made-up one, so an app that
    validates with its own token refused every webhook under --twimlsim, told to validate
    with 'the token its client uses', which is no token at all."""
    pytester.makepyfile(
        API_KEY_SUITE.replace("ENVIRONMENT_SID", "SID").replace("GIVE_TOKEN", "True")
    )
    pytester.runpytest("--twimlsim", "-p", "no:cacheprovider").assert_outcomes(passed=1)


@pytest.mark.parametrize(
    ("environment_sid", "give_token"), [("SID", "False"), ("'AC' + '9' * 32", "True")]
)
def test_without_its_token_in_the_environment_a_403_says_how_to_give_it(
    pytester: pytest.Pytester, environment_sid: str, give_token: str
) -> None:
    """No TWILIO_AUTH_TOKEN, or one whose TWILIO_ACCOUNT_SID names another account."""
    pytester.makepyfile(
        API_KEY_SUITE.replace("ENVIRONMENT_SID", environment_sid).replace("GIVE_TOKEN", give_token)
    )
    result = pytester.runpytest("--twimlsim", "-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            f"*; this call's account, AC{'1' * 32}, was opened from the API key SK{'2' * 32} "
            "the app's own Twilio client presented (pytest --twimlsim), and a key does not "
            "carry the account's auth token, which Twilio signs webhooks with: set "
            "TWILIO_AUTH_TOKEN in the environment to the token the app validates with, before "
            "the app's first request to Twilio (monkeypatch.setenv in an autouse fixture, or "
            "the suite's .env), and the account takes it; without it they are signed with one "
            "twimlsim made up, 5cbe154e68c7289a7818812fe3500186; twimlsim then played*"
        ]
    )


def test_a_number_bought_with_the_suites_application_sid(pytester: pytest.Pytester) -> None:
    # A call-tracking app buys numbers pointing at the TwiML App its settings name: the
    # real account's, unknown to an account adopted under --twimlsim.
    pytester.makepyfile(
        """
import pytest
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

REAL_LOOKING = "AP" + "0123456789abcdef" * 2

@pytest.mark.parametrize("app_sid", [REAL_LOOKING, "AP" + "x" * 32])
def test_bought(twimlsim, app_sid):
    client = Client("AC" + "x" * 32, "your_auth_token")
    number = client.incoming_phone_numbers.create(
        phone_number="+14155550100", voice_application_sid=app_sid
    )
    assert (number.phone_number, number.voice_application_sid) == ("+14155550100", app_sid)
    application = twimlsim.store.accounts["AC" + "x" * 32].applications[app_sid]
    assert (application.account_sid, application.voice_url) == ("AC" + "x" * 32, None)
    again = client.incoming_phone_numbers(number.sid).update(voice_application_sid=app_sid)
    assert again.voice_application_sid == app_sid

def test_not_an_application_sid(twimlsim):
    client = Client("AC" + "x" * 32, "your_auth_token")
    with pytest.raises(TwilioRestException) as raised:
        client.incoming_phone_numbers.create(
            phone_number="+14155550100", voice_application_sid="your_app_sid"
        )
    assert (raised.value.status, raised.value.code, raised.value.msg) == (
        400, 21218, "Unable to create record: VoiceApplicationSid your_app_sid is not an "
        "application of this account; create it first (POST /Applications.json, or "
        "sim.application(...))",
    )

def test_the_simulators_own_account_still_refuses(twimlsim):
    with pytest.raises(TwilioRestException) as raised:
        twimlsim.client().incoming_phone_numbers.create(
            phone_number="+14155550100", voice_application_sid=REAL_LOOKING
        )
    assert (raised.value.status, raised.value.code) == (400, 21218)
"""
    )
    pytester.runpytest("--twimlsim").assert_outcomes(passed=4)

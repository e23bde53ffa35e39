"""A suite that stubs Twilio with mocket or httpretty, socket-level mocks: what they
register answers, whether the test uses the simulator or runs under ``pytest --twimlsim``,
and the simulator answers the Twilio requests they have no registration for."""

from __future__ import annotations

import contextlib
import json
import socket
import urllib.request

import httpretty
import httpx
import pytest
import urllib3
from mocket import Mocketizer
from mocket.mockhttp import Entry
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from twimlsim import NetworkEscapeError, Simulator

SID = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
CALLS = f"https://api.twilio.com/2010-04-01/Accounts/{SID}/Calls.json"
CALL = f"https://api.twilio.com/2010-04-01/Accounts/{SID}/Calls/CA00000000000000000000000000000001.json"
#: mocket and httpretty leave the sockets of their TLS connections open, with or without
#: twimlsim
pytestmark = [
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]
IGNORE_LEFT_SOCKETS = ("-W", "ignore::pytest.PytestUnraisableExceptionWarning")
#: the first call SID of a simulator with the default seed
FIRST_SID = "CAee4a56ad3092da64d5ba892549669298"


def _create(client: Client) -> str:
    call = client.calls.create(to="+15558675310", from_="+15005550006", url="https://app.test/v")
    return str(call.sid)


def test_a_mocket_entry_for_a_twilio_url_wins_over_the_simulator() -> None:
    with Simulator(accept_any_credentials=True) as sim, Mocketizer(strict_mode=True):
        Entry.single_register(Entry.POST, CALLS, body=json.dumps({"sid": "CAstub"}), status=201)
        assert _create(Client(SID, "token")) == "CAstub"
    assert (dict(sim.calls), sim.api_requests) == ({}, [])


def test_mocket_enabled_before_the_simulator_answers_its_entries_too() -> None:
    """The network guard then wraps mocket's fake name lookup: a Twilio host mocket has
    entries for resolves through it; any other Twilio host is still refused."""
    with (
        pytest.raises(NetworkEscapeError) as blocked,
        Mocketizer(strict_mode=True),
        Simulator(accept_any_credentials=True) as sim,
    ):
        Entry.single_register(Entry.POST, CALLS, body=json.dumps({"sid": "CAstub"}), status=201)
        assert _create(Client(SID, "token")) == "CAstub"
        assert Client(SID, "token").calls.list() == []  # no entry: the simulator's
        socket.getaddrinfo("lookups.twilio.com", 443)
    assert str(blocked.value).startswith("twimlsim blocked a connection to lookups.twilio.com:443")
    assert [request.kind for request in sim.api_requests] == ["calls.list"]


def test_a_twilio_request_mocket_has_no_entry_for_is_the_simulators() -> None:
    with Simulator(accept_any_credentials=True) as sim, Mocketizer(strict_mode=True):
        Entry.single_register(Entry.GET, CALL, body=json.dumps({"sid": "CAstub"}))
        assert _create(Client(SID, "token")) == FIRST_SID  # strict mocket would refuse it
        assert Client(SID, "token").calls("CA00000000000000000000000000000001").fetch().sid == (
            "CAstub"
        )
    assert [request.kind for request in sim.api_requests] == ["calls.create"]


def test_the_apps_own_requests_are_left_to_a_mocket_entry() -> None:
    other = CALL.replace("0001.json", "0002.json")
    with Simulator(), Mocketizer():
        Entry.single_register(Entry.GET, CALL, body=json.dumps({"sid": "CAstub"}))
        assert httpx.get(CALL).json() == {"sid": "CAstub"}
        assert json.loads(urllib3.PoolManager().request("GET", CALL).data) == {"sid": "CAstub"}
        # an opener of its own: urlopen's is kept from the first call of the process, and
        # from Python 3.13 its HTTPS handler holds the SSL context made then, before mocket
        # (whose sockets a real context cannot wrap)
        with urllib.request.build_opener().open(CALL) as answer:
            assert json.load(answer) == {"sid": "CAstub"}
        # without an entry, the simulator answers: no credentials, 401
        assert (httpx.get(other).status_code, urllib3.request("GET", other).status) == (401, 401)


def test_a_mocket_entry_that_refuses_is_the_apps_to_handle() -> None:
    refused = {"code": 20429, "message": "Too Many Requests", "status": 429}
    with Simulator(accept_any_credentials=True) as sim, Mocketizer():
        Entry.single_register(Entry.POST, CALLS, body=json.dumps(refused), status=429)
        with pytest.raises(TwilioRestException) as raised:
            _create(Client(SID, "token"))
    assert (raised.value.status, raised.value.code, sim.api_requests) == (429, 20429, [])


LEGACY_SUITE = f"""
import json

from mocket import mocketize
from mocket.mockhttp import Entry
from twilio.rest import Client


@mocketize(strict_mode=True)
def test_stubbed_call():
    Entry.single_register(
        Entry.POST, {CALLS!r}, body=json.dumps({{"sid": "CAstub", "status": "queued"}}), status=201
    )
    call = Client({SID!r}, "token").calls.create(
        to="+15558675310", from_="+15005550006", url="https://app.test/voice"
    )
    assert call.sid == "CAstub"
"""


def test_a_suite_stubbing_twilio_with_mocket_stays_green_under_the_option(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(test_legacy=LEGACY_SUITE)
    pytester.runpytest("-p", "no:cacheprovider", *IGNORE_LEFT_SOCKETS).assert_outcomes(passed=1)
    result = pytester.runpytest("-p", "no:cacheprovider", "--twimlsim", *IGNORE_LEFT_SOCKETS)
    result.assert_outcomes(passed=1)


# httpretty 1.1's fake socket reads datetime.utcnow(), deprecated from Python 3.12: under
# -W error its thread then dies without answering (httpretty's, with or without twimlsim)
@pytest.mark.filterwarnings("ignore:datetime.datetime.utcnow:DeprecationWarning")
def test_an_httpretty_registration_for_a_twilio_url_wins_in_either_order() -> None:
    for httpretty_first in (True, False):
        with contextlib.ExitStack() as stack:
            if httpretty_first:
                stack.enter_context(httpretty.enabled())
            sim = stack.enter_context(Simulator(accept_any_credentials=True))
            if not httpretty_first:
                stack.enter_context(httpretty.enabled())
            httpretty.register_uri(
                httpretty.POST, CALLS, status=201, body=json.dumps({"sid": "CAstub"})
            )
            assert _create(Client(SID, "token")) == "CAstub"
            assert b"From=%2B15005550006" in httpretty.last_request().body
            assert Client(SID, "token").calls.list() == []  # not registered: the simulator's
        assert [request.kind for request in sim.api_requests] == ["calls.list"]


HTTPRETTY_SUITE = f"""
import json

import httpretty
from twilio.rest import Client


@httpretty.activate
def test_stubbed_call():
    httpretty.register_uri(
        httpretty.POST, {CALLS!r}, status=201, body=json.dumps({{"sid": "CAstub"}})
    )
    call = Client({SID!r}, "token").calls.create(
        to="+15558675310", from_="+15005550006", url="https://app.test/voice"
    )
    assert call.sid == "CAstub"
"""


def test_a_suite_stubbing_twilio_with_httpretty_stays_green_under_the_option(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(test_legacy=HTTPRETTY_SUITE)
    pytester.runpytest("-p", "no:cacheprovider", *IGNORE_LEFT_SOCKETS).assert_outcomes(passed=1)
    result = pytester.runpytest("-p", "no:cacheprovider", "--twimlsim", *IGNORE_LEFT_SOCKETS)
    result.assert_outcomes(passed=1)


def test_a_twilio_request_httpretty_refuses_to_let_through_is_the_simulators() -> None:
    with Simulator(accept_any_credentials=True) as sim, httpretty.enabled(allow_net_connect=False):
        assert _create(Client(SID, "token")) == FIRST_SID
    assert [request.kind for request in sim.api_requests] == ["calls.create"]

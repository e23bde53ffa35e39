"""A suite's own HTTP mocks beside a running simulator: responses' ``RequestsMock``,
requests-mock, vcrpy cassettes and ``unittest.mock.patch``. What the test registered
answers; a Twilio URL it did not register reaches the simulator; any other URL it did not
register fails as the mock makes it fail."""

from __future__ import annotations

import contextlib
import re
import sys
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import requests
import requests_mock
import responses
import vcr
import yaml

from tests.support import served_locally
from twimlsim import Simulator

OTHER = "https://crm.example.com/lookup"
CALLS_URL = re.compile(r"https://api\.twilio\.com/2010-04-01/Accounts/\w+/Calls\.json")
#: the first call SID of a simulator with the default seed
FIRST_SID = "CAee4a56ad3092da64d5ba892549669298"


def place_call(sim: Simulator) -> str:
    sim.number("+15005550006")
    call = sim.client().calls.create(to="+15558675310", from_="+15005550006", twiml="<Response/>")
    return str(call.sid)


def test_a_requests_mock_started_inside_a_simulator_passes_twilio_on() -> None:
    with Simulator() as sim, responses.RequestsMock() as rsps:
        rsps.get(OTHER, json={"name": "Ada"})
        assert requests.get(OTHER, timeout=5).json() == {"name": "Ada"}
        assert place_call(sim) == FIRST_SID
        # the Twilio request is in the test's mock's log; its registry is unchanged, so
        # assert_all_requests_are_fired (on by default here) counts only the test's routes
        assert [call.request.url for call in rsps.calls] == [
            OTHER,
            f"https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}/Calls.json",
        ]
        assert [route.url for route in rsps.registered()] == [OTHER]
    assert sim.calls[FIRST_SID].status == "queued"


def test_a_requests_mock_inside_a_simulator_still_refuses_other_urls() -> None:
    with (
        Simulator(),
        responses.RequestsMock(assert_all_requests_are_fired=False),
        pytest.raises(requests.ConnectionError) as refused,
    ):
        requests.get("https://unregistered.example.com/x", timeout=5)
    assert str(refused.value).startswith(
        "Connection refused by Responses - the call doesn't match any registered mock.\n\n"
        "Request: \n- GET https://unregistered.example.com/x\n"
    )


def test_a_requests_mock_inside_a_simulator_keeps_its_unfired_check() -> None:
    with Simulator(), pytest.raises(AssertionError) as unfired:  # noqa: SIM117 - the order
        with responses.RequestsMock() as rsps:
            rsps.get(OTHER, json={})
    assert str(unfired.value) == f"Not all requests have been executed [('GET', '{OTHER}')]"


def test_a_twilio_stub_of_a_mock_started_inside_a_simulator_wins() -> None:
    with Simulator() as sim, responses.RequestsMock() as rsps:
        rsps.post(CALLS_URL, json={"sid": "CAstub", "status": "queued"}, status=201)
        assert place_call(sim) == "CAstub"
    assert dict(sim.calls) == {}


@pytest.mark.parametrize("mock_first", [True, False])
def test_a_refusal_then_a_passthrough_lets_the_simulator_answer_the_retry(
    mock_first: bool,
) -> None:
    """A test of the app's retry on Twilio's 20429: responses answers its registrations
    for one URL in order, and the one it passes through reaches the simulator."""
    from twilio.base.exceptions import TwilioRestException

    busy = {"code": 20429, "message": "Too Many Requests", "status": 429}
    outcomes: list[object] = []
    with contextlib.ExitStack() as stack:
        if mock_first:
            rsps = stack.enter_context(responses.RequestsMock())
        sim = stack.enter_context(Simulator())
        if not mock_first:
            rsps = stack.enter_context(responses.RequestsMock())
        sim.number("+15005550006")
        rsps.post(CALLS_URL, status=429, json=busy)
        rsps.add(responses.PassthroughResponse(responses.POST, CALLS_URL))
        for _ in range(3):
            try:
                outcomes.append(
                    sim.client()
                    .calls.create(to="+15558675310", from_="+15005550006", twiml="<Response/>")
                    .sid
                )
            except TwilioRestException as refused:
                outcomes.append((refused.status, refused.code))
    assert outcomes == [(429, 20429), FIRST_SID, "CA7ca180936c10258691457cced5593f3e"]
    assert [r.status for r in sim.api_requests] == [201, 201]  # the refusal was the mock's


def test_a_host_passed_through_reaches_the_simulator() -> None:
    with Simulator() as sim, responses.RequestsMock() as rsps:
        rsps.add_passthru("https://api.twilio.com")
        assert place_call(sim) == FIRST_SID
    assert [r.status for r in sim.api_requests] == [201]


def test_a_mock_reaches_the_innermost_simulator_and_no_patch_is_left() -> None:
    original = responses.RequestsMock._find_match
    with Simulator() as outer, Simulator() as inner:
        assert responses.RequestsMock._find_match is not original
        with responses.RequestsMock(), requests_mock.Mocker():
            assert place_call(inner) == FIRST_SID
            assert place_call(inner) == "CA7ca180936c10258691457cced5593f3e"
        assert (len(inner.calls), len(outer.calls)) == (2, 0)
    assert responses.RequestsMock._find_match is original
    assert requests_mock.adapter.Adapter.send.__module__ == "requests_mock.adapter"


@pytest.mark.parametrize("mocker_first", [True, False])
def test_requests_mock_answers_its_urls_and_the_simulator_twilios(mocker_first: bool) -> None:
    sim = Simulator()
    mocker = requests_mock.Mocker()
    first, second = (mocker, sim) if mocker_first else (sim, mocker)
    with first, second:
        mocker.get(OTHER, json={"name": "Ada"})
        assert requests.get(OTHER, timeout=5).json() == {"name": "Ada"}
        assert place_call(sim) == FIRST_SID
        # in the mocker's history, as a real_http=True request would be
        assert [(r.method, r.hostname) for r in mocker.request_history] == [
            ("GET", "crm.example.com"),
            ("POST", "api.twilio.com"),
        ]
        with pytest.raises(requests_mock.NoMockAddress) as unregistered:
            requests.get("https://unregistered.example.com/x", timeout=5)
        assert str(unregistered.value) == "No mock address: GET https://unregistered.example.com/x"
    assert sim.calls[FIRST_SID].status == "queued"


def test_a_twilio_stub_of_requests_mock_wins() -> None:
    with Simulator() as sim, requests_mock.Mocker() as mocker:
        mocker.post(CALLS_URL, json={"sid": "CAstub", "status": "queued"}, status_code=201)
        assert place_call(sim) == "CAstub"
    assert dict(sim.calls) == {}


def test_without_a_simulator_requests_mock_refuses_twilio_as_before() -> None:
    with requests_mock.Mocker(), pytest.raises(requests_mock.NoMockAddress):
        requests.get("https://api.twilio.com/2010-04-01/Accounts.json", timeout=5)


def _cassette(path: Path, account_sid: str) -> str:
    recorded = {
        "version": 1,
        "interactions": [
            {
                "request": {
                    "method": "POST",
                    "uri": f"https://api.twilio.com/2010-04-01/Accounts/{account_sid}/Calls.json",
                    "body": "To=%2B15558675310&From=%2B15005550006&Twiml=%3CResponse%2F%3E",
                    "headers": {},
                },
                "response": {
                    "status": {"code": 201, "message": "CREATED"},
                    "headers": {"Content-Type": ["application/json"]},
                    "body": {"string": '{"sid": "CArecorded", "status": "queued"}'},
                },
            }
        ],
    }
    path.write_text(yaml.safe_dump(recorded), encoding="utf-8")
    return str(path)


def test_a_vcr_cassette_answers_what_it_recorded_and_the_simulator_the_rest(
    tmp_path: Path,
) -> None:
    with Simulator() as sim:
        cassette = _cassette(tmp_path / "calls.yaml", sim.account_sid)
        with vcr.use_cassette(cassette, record_mode="none"):
            assert place_call(sim) == "CArecorded"  # recorded: the cassette's answer
            # not recorded: the simulator answers (nothing is recorded or sent)
            assert sim.client().calls.list() == []
        assert place_call(sim) == FIRST_SID  # once the cassette is done: the simulator
    assert list(sim.calls) == [FIRST_SID]


def test_an_old_tests_patched_client_never_reaches_the_simulator() -> None:
    with Simulator() as sim, mock.patch("twilio.rest.Client") as client_class:
        from twilio.rest import Client

        client: Any = Client("ACxxxx", "token")
        client.calls.create.return_value.sid = "CAfake"
        assert client.calls.create(to="+15558675310", from_="+15005550006").sid == "CAfake"
    assert (list(sim.calls), sim.api_requests) == ([], [])
    assert client_class.call_args == mock.call("ACxxxx", "token")


def _reached(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"reached"]


def test_mocks_stopped_out_of_order_leave_requests_answering() -> None:
    original = requests.adapters.HTTPAdapter.send
    # pytest-responses stops its mock of every test before the test's fixtures end
    responses.start()
    sim = Simulator().start()
    responses.stop()
    responses.reset()
    sim.stop()
    assert requests.adapters.HTTPAdapter.send is original
    # a mock started after the simulator and stopped after it puts back a send that
    # passes everything on
    sim = Simulator().start()
    later = responses.RequestsMock()
    later.start()
    sim.stop()
    later.stop()
    with served_locally(_reached) as url:
        assert requests.get(url, timeout=5).text == "reached"
    requests.adapters.HTTPAdapter.send = original  # type: ignore[method-assign]


LEGACY_SUITE = """
import re
import sys
from unittest import mock

import pytest
import requests
import requests_mock
import responses
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

SID, TOKEN = "AC" + "0123456789abcdef" * 2, "live-looking-token"
CALLS = re.compile(r"https://api\\.twilio\\.com/.*/Calls\\.json")


def notify(client):
    try:
        return client.calls.create(to="+15558675310", from_="+15005550006", url="https://a.test/v").sid
    except (requests.ConnectionError, requests_mock.NoMockAddress):
        return "twilio unreachable"


@mock.patch("twilio.rest.Client")
def test_patched_client(client_class):
    client_class.return_value.calls.create.return_value.sid = "CApatched"
    from twilio.rest import Client as Patched
    assert notify(Patched(SID, TOKEN)) == "CApatched"


@responses.activate
def test_responses_stub():
    responses.post(CALLS, json={"sid": "CAstubbed", "status": "queued"}, status=201)
    assert notify(Client(SID, TOKEN)) == "CAstubbed"
    assert len(responses.calls) == 1


def test_requests_mock_stub(requests_mock):
    requests_mock.post(CALLS, json={"sid": "CAmocked", "status": "queued"}, status_code=201)
    assert notify(Client(SID, TOKEN)) == "CAmocked"


@pytest.mark.no_twimlsim
@responses.activate
def test_outage_relies_on_the_mock_refusing_twilio():
    assert notify(Client(SID, TOKEN)) == "twilio unreachable"
"""


def test_a_suite_written_against_mocks_stays_green_under_the_option(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(test_legacy=LEGACY_SUITE)
    pytester.runpytest("-p", "no:cacheprovider", "--twimlsim").assert_outcomes(passed=4)


def test_requests_mock_first_imported_while_a_simulator_runs(pytester: pytest.Pytester) -> None:
    # the requests_mock fixture imports requests-mock only when a test first asks for it,
    # which may be after the twimlsim fixture started: it is patched as it is imported
    pytester.makepyfile(
        script="""
import sys

import requests

from twimlsim import Simulator

with Simulator() as sim:
    assert "requests_mock" not in sys.modules
    import requests_mock

    with requests_mock.Mocker() as mocker:
        mocker.get("https://crm.example.com/lookup", json={"name": "Ada"})
        sim.number("+15005550006")
        call = sim.client().calls.create(
            to="+15558675310", from_="+15005550006", twiml="<Response/>"
        )
        print(requests.get("https://crm.example.com/lookup").json()["name"], call.sid)
print(requests_mock.adapter.Adapter.send.__module__)
"""
    )
    result = pytester.run(sys.executable, "script.py", timeout=60)
    assert result.outlines == [
        f"Ada {FIRST_SID}",
        "requests_mock.adapter",
    ], result.errlines


def test_respx_answers_the_apps_httpx_calls_beside_the_simulator() -> None:
    # an ASGI app that looks the caller up in a CRM over httpx while answering a webhook
    import httpx
    import respx
    from fastapi import FastAPI, Form
    from fastapi.responses import Response

    api = FastAPI()

    @api.post("/voice")
    def voice(From: str = Form(...)) -> Response:  # noqa: N803 - Twilio's parameter name
        name = httpx.get(OTHER, params={"phone": From}).json()["name"]
        return Response(f"<Response><Say>Hello {name}</Say></Response>", media_type="text/xml")

    with Simulator() as sim, respx.mock(assert_all_called=True) as crm:
        lookup = crm.get(OTHER).respond(json={"name": "Ada"})
        sim.route("https://app.test", api)
        sim.number("+15005550006")
        call = sim.client().calls.create(
            to="+15558675310", from_="+15005550006", url="https://app.test/voice"
        )
        sim.run()
    assert sim.calls[call.sid].said == ["Hello Ada"]
    assert [str(sent.request.url) for sent in lookup.calls] == [f"{OTHER}?phone=%2B15005550006"]


def test_a_reset_keeps_a_mock_started_since_in_place() -> None:
    # a property-based test resets the fixture's simulator in each example, inside the
    # test's own @responses.activate
    original = requests.adapters.HTTPAdapter.send
    with Simulator() as sim:
        responses.start()
        try:
            responses.get(OTHER, json={"name": "Ada"})
            sim.reset()
            assert place_call(sim) == FIRST_SID
            assert requests.get(OTHER, timeout=5).json() == {"name": "Ada"}
        finally:
            responses.stop()
            responses.reset()
        assert place_call(sim) == "CA7ca180936c10258691457cced5593f3e"  # still answered
    assert requests.adapters.HTTPAdapter.send is original


# twilio's async client hands aiohttp a BasicAuth, which aiohttp 3.14 deprecates
@pytest.mark.filterwarnings("ignore:BasicAuth is deprecated:DeprecationWarning")
@pytest.mark.parametrize("mock_first", [True, False])
def test_aioresponses_answers_what_it_registered_for_the_async_client_and_the_simulator_the_rest(
    mock_first: bool,
) -> None:
    # a suite on twilio's AsyncTwilioHttpClient that mocks aiohttp with aioresponses: its
    # registered outage of Calls.json reaches the app, as a responses stub does for the sync
    # client (an exception: aioresponses 0.7.9 builds no response on aiohttp 3.14)
    import asyncio

    import aiohttp
    from aioresponses import aioresponses
    from twilio.http.async_http_client import AsyncTwilioHttpClient
    from twilio.rest import Client

    async def create_call(sim: Simulator) -> str:
        async with AsyncTwilioHttpClient() as http:
            client = Client(sim.account_sid, sim.auth_token, http_client=http)
            call = await client.calls.create_async(
                to="+15558675310", from_="+15005550006", url="https://app.test/voice"
            )
            return str(call.sid)

    calls = re.compile(r"https://api\.twilio\.com/2010-04-01/Accounts/AC\w+/Calls\.json")
    outage = aiohttp.ClientConnectionError("Twilio is down")
    with (
        aioresponses() if mock_first else Simulator() as first,
        Simulator() if mock_first else aioresponses() as second,
    ):
        sim, mocked = (second, first) if mock_first else (first, second)
        sim.number("+15005550006")
        mocked.post(calls, exception=outage)
        with pytest.raises(aiohttp.ClientConnectionError) as raised:
            asyncio.run(create_call(sim))
        assert raised.value is outage and sim.rest.requests == []
        sid = asyncio.run(create_call(sim))  # the stub was used up: the simulator answers
        assert [(r.kind, r.status, r.call_sid) for r in sim.rest.requests] == [
            ("calls.create", 201, sid)
        ]
        assert sim.calls[sid].status == "queued"


class _CannedAiohttpResponse:
    """What a suite's mock of aiohttp's session returns: status, headers and text."""

    def __init__(self, text: str, status: int) -> None:
        self._text, self.status, self.headers, self.method = text, status, {}, "GET"

    async def text(self) -> str:
        return self._text


@pytest.mark.parametrize("how", ["patched class", "session given"])
def test_a_mock_of_the_async_clients_aiohttp_session_answers_its_requests(how: str) -> None:
    # twilio-python's own unit tests patch the ClientSession its async client module
    # imported (or hand the client a mock session) and assert on what the mock returns
    import asyncio

    from twilio.http.async_http_client import AsyncTwilioHttpClient

    session = mock.AsyncMock()
    session.request.return_value = _CannedAiohttpResponse("canned", 200)
    with Simulator() as sim:
        if how == "patched class":
            with mock.patch("twilio.http.async_http_client.ClientSession", return_value=session):
                client = AsyncTwilioHttpClient()
                response = asyncio.run(client.request("GET", "https://api.twilio.com/x"))
        else:
            client = AsyncTwilioHttpClient(pool_connections=False)
            client.session = session
            response = asyncio.run(client.request("GET", "https://api.twilio.com/x"))
        assert (response.status_code, response.text) == (200, "canned")
        assert session.request.call_args.kwargs["url"] == "https://api.twilio.com/x"
        assert sim.rest.requests == []

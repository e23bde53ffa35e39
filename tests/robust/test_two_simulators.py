"""Two simulators at once, stopped in any order, and a test's own ``responses`` mock
stopped after the simulator it was started in: whatever still runs keeps intercepting,
and once everything has stopped requests' adapter and the async client are as before."""

from __future__ import annotations

import asyncio

import requests
import responses

from tests.support import CALLEE, CALLER_ID, account_api
from twimlsim import Simulator
from twimlsim.transports.responses import _LEFT_IN_PLACE

ORIGINAL_SEND = requests.adapters.HTTPAdapter.__dict__["send"]


def place(sim: Simulator) -> int:
    created = account_api(
        sim, "POST", "/Calls.json", To=CALLEE, From=CALLER_ID, Twiml="<Response/>"
    )
    return created.status_code


def test_the_later_simulator_still_intercepts_once_the_earlier_one_stopped() -> None:
    first = Simulator(seed=1).start()
    second = Simulator(seed=2).start()
    try:
        first.number(CALLER_ID)
        second.number(CALLER_ID)
        first.stop()
        assert place(second) == 201
        assert (len(first.calls), len(second.calls)) == (0, 1)
    finally:
        first.stop()
        second.stop()
    assert requests.adapters.HTTPAdapter.__dict__["send"] is ORIGINAL_SEND


def test_a_simulator_started_again_after_an_out_of_order_stop_intercepts() -> None:
    first = Simulator(seed=1).start()
    second = Simulator(seed=2).start()
    first.stop()
    second.stop()
    assert requests.adapters.HTTPAdapter.__dict__["send"] is ORIGINAL_SEND
    with first:
        assert place(first) == 400  # answered by the simulator: the number is not owned
        assert len(first.api_requests) == 1


def test_a_tests_own_mock_outlives_the_simulator_it_was_started_in() -> None:
    sim = Simulator().start()
    mock = responses.RequestsMock(assert_all_requests_are_fired=False)
    mock.start()
    try:
        mock.get("https://example.test/data", body="mocked")
        sim.stop()
        assert requests.get("https://example.test/data", timeout=5).text == "mocked"
    finally:
        mock.stop()
        sim.stop()
    # responses' own patch put back the simulator's, which now only passes requests on,
    # and the next simulator to stop unwinds it
    assert requests.adapters.HTTPAdapter.__dict__["send"] in _LEFT_IN_PLACE
    with Simulator() as fresh:
        fresh.number(CALLER_ID)
        assert place(fresh) == 201
    assert requests.adapters.HTTPAdapter.__dict__["send"] is ORIGINAL_SEND


def test_the_async_client_follows_the_simulator_still_running() -> None:
    from twilio.http.async_http_client import AsyncTwilioHttpClient
    from twilio.rest import Client

    original = AsyncTwilioHttpClient.request

    async def create(sim: Simulator) -> str:
        async with AsyncTwilioHttpClient() as http_client:
            client = Client(sim.account_sid, sim.auth_token, http_client=http_client)
            call = await client.calls.create_async(to=CALLEE, from_=CALLER_ID, twiml="<Response/>")
            return str(call.sid)

    first = Simulator(seed=1).start()
    second = Simulator(seed=2).start()
    try:
        second.number(CALLER_ID)
        first.stop()
        sid = asyncio.run(create(second))
        assert list(second.calls) == [sid]
    finally:
        first.stop()
        second.stop()
    assert AsyncTwilioHttpClient.request is original

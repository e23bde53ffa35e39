"""Two simulators at once, stopped in any order, and a test's own ``responses`` mock
stopped after the simulator it was started in: whatever still runs keeps intercepting,
and once everything has stopped no simulator answers and the async client is as before."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

import requests
import responses

from tests.support import CALLEE, CALLER_ID, account_api
from twimlsim import Simulator


def answered_by_none_of(*sims: Simulator) -> bool:
    """Whether a request to Twilio, with the credentials of ``sims``, reaches a mock started
    now rather than any of them (they are all stopped)."""
    logged = [len(sim.api_requests) for sim in sims]
    with responses.RequestsMock() as mock:
        for sim in sims:
            url = f"https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}/Calls.json"
            mock.get(url, body="mock")
            auth = (sim.account_sid, sim.auth_token)
            if requests.get(url, auth=auth, timeout=5).text != "mock":
                return False
    return [len(sim.api_requests) for sim in sims] == logged


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
    assert answered_by_none_of(first, second)


def test_a_simulator_started_again_after_an_out_of_order_stop_intercepts() -> None:
    first = Simulator(seed=1).start()
    second = Simulator(seed=2).start()
    first.stop()
    second.stop()
    assert answered_by_none_of(first, second)
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
    with Simulator() as fresh:
        fresh.number(CALLER_ID)
        assert place(fresh) == 201
    assert answered_by_none_of(sim, fresh)


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


def test_the_later_simulators_app_keeps_virtual_time_once_the_earlier_one_stopped() -> None:
    """The app of the simulator still running read the wall clock once the other stopped."""
    years: dict[str, list[int]] = {}

    def app_of(name: str) -> Any:
        def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
            years.setdefault(name, []).append(datetime.now().year)
            start_response("200 OK", [("Content-Type", "text/xml")])
            return [b'<Response><Pause length="5"/><Redirect>/voice</Redirect></Response>']

        return app

    sims = []
    for seed, name in ((1, "first"), (2, "second")):
        sim = Simulator(seed=seed, start="2020-01-01T00:00:00Z").start()
        sims.append(sim)
        sim.route("https://app.test", app_of(name))
        sim.number(CALLER_ID)
        call = sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url="https://app.test/voice")
        assert call.status == "queued"
    first, second = sims
    try:
        first.advance(6)
        second.advance(6)
        first.stop()
        second.advance(6)
    finally:
        first.stop()
        second.stop()
    assert years == {"first": [2020, 2020], "second": [2020, 2020, 2020]}

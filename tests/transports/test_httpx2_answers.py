"""The app's own httpx2 requests to Twilio are answered by the fake API, as httpx's are.

httpx2 is httpx's successor (on httpcore2), which Starlette's test client asks for in place
of httpx: a FastAPI team that moved to it downloads its recordings or calls the REST API
with ``httpx2.AsyncClient``, and those requests were blocked as leaving for the real Twilio.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx2

from tests.support import CALLEE, CALLER_ID
from twimlsim import Simulator

ACCOUNT_JSON = "https://api.twilio.com/2010-04-01/Accounts/{}.json"


def _handlers() -> tuple[object, object]:
    return (
        httpx2.HTTPTransport.__dict__["handle_request"],
        httpx2.AsyncHTTPTransport.__dict__["handle_async_request"],
    )


def test_httpx2_calls_the_rest_api() -> None:
    originals = _handlers()
    with Simulator() as sim:
        sim.number(CALLER_ID)
        url = f"https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}/Calls.json"
        form = {"To": CALLEE, "From": CALLER_ID, "Twiml": "<Response><Say>Hi</Say></Response>"}
        with httpx2.Client(auth=(sim.account_sid, sim.auth_token)) as client:
            created = client.post(url, data=form)
        assert (created.status_code, created.json()["status"]) == (201, "queued")
        assert isinstance(created, httpx2.Response)

        async def refused() -> httpx2.Response:
            async with httpx2.AsyncClient(auth=(sim.account_sid, "not-the-token")) as client:
                return await client.get(url)

        answer = asyncio.run(refused())
        assert (answer.status_code, answer.json()["code"]) == (401, 20003)
        sim.run()
        assert sim.calls[created.json()["sid"]].said == ["Hi"]
        assert [(r.kind, r.status) for r in sim.api_requests] == [
            ("calls.create", 201),
            ("calls.list", 401),
        ]
    assert _handlers() == originals


def test_a_mock_patched_under_the_simulator_keeps_its_httpx2_requests() -> None:
    # httpx2-pytest patches HTTPTransport.handle_request itself, as pytest-httpx does httpx's
    seen: list[str] = []

    def mocked(transport: Any, request: httpx2.Request) -> httpx2.Response:
        seen.append(str(request.url))
        return httpx2.Response(200, json={"mocked": True}, request=request)

    saved = httpx2.HTTPTransport.__dict__["handle_request"]
    httpx2.HTTPTransport.handle_request = mocked  # type: ignore[method-assign,assignment]
    try:
        with Simulator() as sim:
            url = ACCOUNT_JSON.format(sim.account_sid)
            assert httpx2.get(url).json() == {"mocked": True}
            assert sim.api_requests == []
        assert httpx2.HTTPTransport.__dict__["handle_request"] is mocked
    finally:
        httpx2.HTTPTransport.handle_request = saved  # type: ignore[method-assign]
    assert seen == [url]


def test_an_httpx2_mock_transport_answers_before_the_simulator() -> None:
    def handler(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(503, json={"outage": True})

    with Simulator() as sim:
        transport = httpx2.MockTransport(handler)
        with httpx2.Client(transport=transport) as client:
            answer = client.get(ACCOUNT_JSON.format(sim.account_sid))
        assert (answer.status_code, answer.json(), sim.api_requests) == (503, {"outage": True}, [])

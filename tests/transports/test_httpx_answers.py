"""The app's own httpx requests to Twilio are answered by the fake API, a test's mock first."""

from __future__ import annotations

import asyncio
import importlib
import io
import subprocess
import sys
import wave
from typing import Any

import httpx
import pytest
import respx
from fastapi import FastAPI, Form
from fastapi.responses import Response

from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim import Simulator

ACCOUNT_JSON = "https://api.twilio.com/2010-04-01/Accounts/{}.json"


def _handlers() -> tuple[object, object]:
    return (
        httpx.HTTPTransport.__dict__["handle_request"],
        httpx.AsyncHTTPTransport.__dict__["handle_async_request"],
    )


@pytest.mark.parametrize("library", ["httpx", "httpx2"])
def test_an_async_app_downloads_its_recording(library: str) -> None:
    # httpx2, httpx's successor that Starlette's test client asks for, is answered alike
    client_type = importlib.import_module(library).AsyncClient
    api = FastAPI()

    @api.post("/voice")
    def voice() -> Response:
        record = '<Response><Record action="/done" maxLength="5"/></Response>'
        return Response(record, media_type="text/xml")

    @api.post("/done")
    async def done(RecordingUrl: str = Form(...)) -> Response:  # noqa: N803 - Twilio's name
        async with client_type() as client:
            media = await client.get(f"{RecordingUrl}.wav")
        with wave.open(io.BytesIO(media.content)) as audio:
            seconds = audio.getnframes() / audio.getframerate()
        said = f"{seconds:g} s of {media.headers['Content-Type']}"
        return Response(f"<Response><Say>{said}</Say></Response>", media_type="text/xml")

    with Simulator() as sim:
        sim.route(APP_URL, api)
        sim.number(CALLER_ID)
        sim.phone(CALLEE).records(3, key="#")
        sid = sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice").sid
        sim.run()
        assert sim.calls[sid].said == ["3 s of audio/x-wav"]
        assert (sim.api_requests[-1].kind, sim.api_requests[-1].status) == ("recordings.media", 200)


def test_httpx_calls_the_rest_api() -> None:
    with Simulator() as sim:
        sim.number(CALLER_ID)
        url = f"https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}/Calls.json"
        form = {"To": CALLEE, "From": CALLER_ID, "Twiml": "<Response/>"}
        with httpx.Client(auth=(sim.account_sid, sim.auth_token)) as client:
            created = client.post(url, data=form)
        assert (created.status_code, created.json()["status"]) == (201, "queued")
        assert [call.sid for call in sim.client().calls.list()] == [created.json()["sid"]]

        async def refused() -> httpx.Response:
            async with httpx.AsyncClient(auth=(sim.account_sid, "not-the-token")) as client:
                return await client.get(url)

        answer = asyncio.run(refused())
        assert (answer.status_code, answer.json()["code"]) == (401, 20003)


@pytest.mark.parametrize("respx_first", [True, False])
def test_a_respx_route_for_a_twilio_url_still_answers(respx_first: bool) -> None:
    # respx patches httpcore's pools, beneath httpx's transports: its routes keep answering
    def lookup(sim: Simulator, crm: respx.MockRouter) -> tuple[Any, Any]:
        route = crm.get(ACCOUNT_JSON.format(sim.account_sid)).respond(json={"stub": True})
        return route, httpx.get(ACCOUNT_JSON.format(sim.account_sid)).json()

    if respx_first:
        with respx.mock() as crm, Simulator() as sim:
            route, answer = lookup(sim, crm)
    else:
        with Simulator() as sim, respx.mock() as crm:
            route, answer = lookup(sim, crm)
    assert (answer, route.call_count) == ({"stub": True}, 1)


def test_a_mock_patched_under_the_simulator_keeps_its_requests() -> None:
    # pytest-httpx patches HTTPTransport.handle_request itself: started first, it lies under
    # the simulator's patch, which passes Twilio's requests on to it
    seen: list[str] = []

    def mocked(transport: Any, request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, json={"mocked": True}, request=request)

    saved = httpx.HTTPTransport.__dict__["handle_request"]
    httpx.HTTPTransport.handle_request = mocked  # type: ignore[method-assign]
    try:
        with Simulator() as sim:
            url = ACCOUNT_JSON.format(sim.account_sid)
            assert httpx.get(url).json() == {"mocked": True}
            assert sim.api_requests == []
        assert httpx.HTTPTransport.__dict__["handle_request"] is mocked
    finally:
        httpx.HTTPTransport.handle_request = saved  # type: ignore[method-assign]
    assert seen == [url]


def test_nested_simulators_answer_in_turn_and_httpx_is_put_back() -> None:
    originals = _handlers()
    outer = Simulator(seed=1).start()
    inner = Simulator(seed=2).start()
    auth = (inner.account_sid, inner.auth_token)
    assert httpx.get(ACCOUNT_JSON.format(inner.account_sid), auth=auth).status_code == 200
    inner.stop()
    auth = (outer.account_sid, outer.auth_token)
    assert httpx.get(ACCOUNT_JSON.format(outer.account_sid), auth=auth).status_code == 200
    outer.stop()
    assert _handlers() == originals


def test_httpx_imported_after_the_simulator_started_is_patched_then() -> None:
    # nothing imports httpx until the app does: the simulator patches it as it loads
    script = """
import sys
from twimlsim import Simulator
assert "httpx" not in sys.modules
sim = Simulator().start()
import httpx
url = f"https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}.json"
print(httpx.get(url, auth=(sim.account_sid, sim.auth_token)).json()["sid"] == sim.account_sid)
sim.stop()
print(httpx.HTTPTransport.handle_request.__module__)
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert (done.returncode, done.stdout.split()) == (0, ["True", "httpx._transports.default"])

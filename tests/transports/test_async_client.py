"""twilio's async client: Twilio's hosts answered offline, other hosts through aiohttp,
patched whenever its module is imported, restored when the simulator stops."""

from __future__ import annotations

import asyncio
import importlib
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from twilio.http.async_http_client import AsyncTwilioHttpClient
from werkzeug.wrappers import Request, Response

from tests.support import served_locally
from twimlsim import Simulator
from twimlsim.transports.twilio_async import ASYNC_CLIENT_MODULE

ORIGINAL_REQUEST = AsyncTwilioHttpClient.request


@pytest.fixture
def local_server() -> Iterator[str]:
    @Request.application
    def echo(request: Request) -> Response:
        return Response(f"aiohttp reached {request.method} {request.full_path}")

    with served_locally(echo) as url:
        yield url


async def request(method: str, url: str, **kwargs: Any) -> tuple[int, str]:
    async with AsyncTwilioHttpClient() as client:
        response = await client.request(method, url, **kwargs)
        return response.status_code, response.text


def test_other_hosts_still_go_through_aiohttp(local_server: str) -> None:
    with Simulator():
        answer = asyncio.run(request("GET", f"{local_server}/ping", params={"a": "1"}))
    assert answer == (200, "aiohttp reached GET /ping?a=1")


def test_the_fake_api_gets_what_aiohttp_would_send() -> None:
    with Simulator() as sim:
        sim.number("+15005550006")
        url = f"https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}/Calls.json"
        data = {
            "To": "+15558675310",
            "From": "+15005550006",
            "Twiml": "<Response/>",
            "StatusCallbackEvent": ["initiated", "completed"],
            "StatusCallback": "https://app.test/status",
            "Timeout": None,
        }
        status, _ = asyncio.run(
            request("POST", url, data=data, auth=(sim.account_sid, sim.auth_token))
        )
        (call,) = sim.calls.values()
        unauthenticated = asyncio.run(request("GET", url))
    assert status == 201
    assert call.record.status_callback.events == frozenset({"initiated", "completed"})
    assert call.record.timeout == 60  # None is left out, as aiohttp leaves it out
    assert unauthenticated[0] == 401


def test_a_module_imported_while_the_simulator_runs_is_patched_then_restored() -> None:
    loaded = sys.modules.pop(ASYNC_CLIENT_MODULE)
    try:
        with Simulator():
            fresh = importlib.import_module(ASYNC_CLIENT_MODULE)
            assert fresh is not loaded
            patched = fresh.AsyncTwilioHttpClient.request.__qualname__
        restored = fresh.AsyncTwilioHttpClient.request.__qualname__
        watchers = [f for f in sys.meta_path if type(f).__name__ == "ImportWatcher"]
    finally:
        sys.modules[ASYNC_CLIENT_MODULE] = loaded
    assert patched == "AsyncClientInterceptor._patch.<locals>.request"
    assert restored == "AsyncTwilioHttpClient.request"
    assert watchers == []
    assert AsyncTwilioHttpClient.request is ORIGINAL_REQUEST


def test_a_module_imported_under_nested_simulators_stays_patched_for_the_outer_one() -> None:
    # each simulator watched for the import; only the first watcher is asked by Python
    loaded = sys.modules.pop(ASYNC_CLIENT_MODULE)
    outer = Simulator(seed=1).start()
    try:
        inner = Simulator(seed=2).start()
        fresh = importlib.import_module(ASYNC_CLIENT_MODULE)
        inner.stop()
        after_inner = fresh.AsyncTwilioHttpClient.request.__qualname__
        outer.stop()
        after_outer = fresh.AsyncTwilioHttpClient.request.__qualname__
    finally:
        outer.stop()
        sys.modules[ASYNC_CLIENT_MODULE] = loaded
    assert after_inner == "AsyncClientInterceptor._patch.<locals>.request"
    assert after_outer == "AsyncTwilioHttpClient.request"

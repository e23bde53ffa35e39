"""A webhook that made twilio's async client outside a running event loop (a plain def
FastAPI runs in a worker thread) is told where to make it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, FastAPI
from fastapi.responses import Response as FastAPIResponse
from flask import Flask
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.rest import Client

from tests.transports.test_app_errors import ERRORS, failure_of
from twimlsim.engine.async_client_hints import no_running_loop_hint

HINT = (
    "hint: the app made something that needs a running event loop outside one (aiohttp's "
    "ClientSession, which twilio's AsyncTwilioHttpClient opens, asks for it as it is made): "
    "a plain def that FastAPI or Starlette runs in a worker thread (an endpoint or "
    "dependency, a dependency_overrides lambda included) has none, nor has a WSGI view; make "
    "it where a loop runs: an async def endpoint or dependency (async with "
    "AsyncTwilioHttpClient() as http: yield Client(..., http_client=http)), or inside "
    f"asyncio.run() in a WSGI view{ERRORS}"
)


def get_client() -> Any:
    return Client("AC" + "0" * 32, "token", http_client=AsyncTwilioHttpClient())


def test_a_sync_dependency_making_the_async_client_is_told_to_be_async() -> None:
    app = FastAPI()

    @app.post("/voice")
    async def voice(client: Annotated[Any, Depends(get_client)]) -> FastAPIResponse:
        return FastAPIResponse("<Response/>", media_type="text/xml")

    message, raised = failure_of(app)
    assert message.split("; ", 2)[1:] == [
        "it raised RuntimeError: no running event loop",
        f"its body: 'Internal Server Error'; {HINT}",
    ]
    assert isinstance(raised.__cause__, RuntimeError)


def test_a_flask_view_making_the_async_client_is_told_the_same() -> None:
    app = Flask("voice")

    @app.post("/voice")
    def voice() -> tuple[str, int, dict[str, str]]:
        get_client()
        return "<Response/>", 200, {"Content-Type": "text/xml"}

    message, _ = failure_of(app)
    assert message.endswith(f"; {HINT}")
    assert "it raised RuntimeError: no running event loop" in message


def test_only_that_runtime_error_is_hinted() -> None:
    assert no_running_loop_hint(RuntimeError("cannot reuse already awaited coroutine")) is None
    assert no_running_loop_hint(None) is None
    try:
        try:
            raise RuntimeError("no running event loop")
        except RuntimeError as inner:
            raise ValueError("wrapped") from inner
    except ValueError as outer:
        assert no_running_loop_hint(outer) is not None

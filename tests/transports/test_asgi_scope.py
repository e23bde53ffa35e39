"""The scope an ASGI app gets for a webhook has what uvicorn puts in every scope."""

from __future__ import annotations

from typing import Any

from tests.support import CALLEE, CALLER_ID
from twimlsim import Simulator

TWIML = b"<Response><Say>Hello</Say></Response>"


class ScopeRecorder:
    """A bare ASGI app that keeps each HTTP scope it is given and answers TwiML."""

    def __init__(self) -> None:
        self.scopes: list[dict[str, Any]] = []

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        self.scopes.append(scope)
        while (await receive()).get("more_body"):
            pass
        headers = [(b"content-type", b"text/xml")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": TWIML})


def test_the_scope_has_the_raw_path_as_sent_without_the_query() -> None:
    # Sanic reads scope["raw_path"] on every request (KeyError without it); uvicorn gives
    # the path as sent, percent-encoded, and the query apart
    app = ScopeRecorder()
    with Simulator() as sim:
        sim.route("https://app.test", app)
        sim.number(CALLER_ID)
        sim.client().calls.create(
            to=CALLEE, from_=CALLER_ID, url="https://app.test/voice%20menu/caf%C3%A9?lang=fr"
        )
        sim.run()
    (scope,) = app.scopes
    assert (scope["raw_path"], scope["path"], scope["query_string"]) == (
        b"/voice%20menu/caf%C3%A9",
        "/voice menu/café",
        b"lang=fr",
    )


def test_the_scope_has_the_client_a_server_puts_there() -> None:
    """uvicorn gives every scope the peer's address: an app that logs or rate-limits by
    request.client.host (Starlette's, FastAPI's) found None there and failed each webhook."""
    app = ScopeRecorder()
    with Simulator() as sim:
        sim.route("https://app.test", app)
        sim.number(CALLER_ID)
        sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url="https://app.test/voice")
        sim.run()
    (scope,) = app.scopes
    assert scope["client"] == ("198.51.100.7", 49152)

"""An ASGI app whose test also runs its lifespan in its own client (``with
TestClient(app)``), keeping what the startup made on ``app.state``: the client's shutdown
closes the object the routed app's webhooks then use, and the failure says so."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.testclient import TestClient

from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim import SimulationError, Simulator

#: The hint, after the app's body (the failure's own words around it are Twilio's 11200).
REPLACED = (
    "app.state.crm is no longer what the app's lifespan startup made when it was routed: a "
    "test client that runs the same app object's lifespan (with TestClient(app), "
    "AsyncTestClient, LifespanManager) replaces it with its own startup's, and closes that "
    "at the end of its with block, before sim.run() sends the webhooks (a server runs the "
    "lifespan once: this happens in tests only). Yield it as lifespan state (yield {'crm': "
    "...}, read as request.state.crm), which each run keeps its own, or make the test "
    "client's requests without with (TestClient(app) alone runs no lifespan)"
)


class Crm:
    """A client of another service that the app's lifespan opens and closes."""

    def __init__(self) -> None:
        self.closed = False

    def fetch(self) -> None:
        if self.closed:  # as an aiohttp session made on a loop that has closed since
            raise RuntimeError("Event loop is closed")

    def greeting(self) -> str:
        if self.closed:
            raise RuntimeError("Cannot send a request, as the client has been closed.")
        return "Welcome back"


def app_keeping_its_client_on_app_state() -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.crm = Crm()
        app.state.started = getattr(app.state, "started", 0) + 1  # a plain value: no sign
        yield
        app.state.crm.closed = True

    app = FastAPI(lifespan=lifespan)

    @app.post("/voice")
    async def voice(request: Request) -> Response:
        said = request.app.state.crm.greeting()
        return Response(f"<Response><Say>{said}</Say></Response>", media_type="text/xml")

    return app


def _call(sim: Simulator) -> str:
    sim.number(CALLER_ID)
    sim.phone(CALLEE).answers()
    call = sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice")
    return str(call.sid)


def test_a_client_on_app_state_closed_by_the_test_clients_lifespan_is_named() -> None:
    app = app_keeping_its_client_on_app_state()
    with pytest.raises(SimulationError) as raised, Simulator() as sim:
        sim.route(APP_URL, app)
        sid = _call(sim)
        with TestClient(app):  # the test's own requests, its lifespan run a second time
            pass
        sim.run()
    assert str(raised.value).splitlines()[1] == (
        f"  call {sid}: Twilio error 11200 (HTTP retrieval failure) at {APP_URL}/voice: the "
        "app answered HTTP 500 to POST; it raised RuntimeError: Cannot send a request, as the "
        f"client has been closed.; its body: 'Internal Server Error'; hint: {REPLACED}; "
        "twimlsim then played Twilio's application-error message and hung up, as Twilio "
        "does [https://www.twilio.com/docs/errors/11200]"
    )


def test_lifespan_state_keeps_each_runs_client_apart() -> None:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[dict[str, Any]]:
        crm = Crm()
        yield {"crm": crm}
        crm.closed = True

    app = FastAPI(lifespan=lifespan)

    @app.post("/voice")
    async def voice(request: Request) -> Response:
        said = request.state.crm.greeting()
        return Response(f"<Response><Say>{said}</Say></Response>", media_type="text/xml")

    with Simulator() as sim:
        sim.route(APP_URL, app)
        sid = _call(sim)
        with TestClient(app):
            pass
        sim.run()
    assert sim.calls[sid].said == ["Welcome back"]


def test_a_failure_with_app_state_as_the_startup_left_it_has_no_such_hint() -> None:
    app = app_keeping_its_client_on_app_state()

    @app.post("/broken")
    async def broken() -> Response:
        raise RuntimeError("the app's own bug")

    with pytest.raises(SimulationError) as raised, Simulator() as sim:
        sim.route(APP_URL, app)
        sim.number(CALLER_ID)
        sim.phone(CALLEE).answers()
        sid = sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/broken").sid
        app.state.started = 5  # a plain value replaced: no sign of a second lifespan
        sim.run()
    assert str(raised.value).splitlines()[1] == (
        f"  call {sid}: Twilio error 11200 (HTTP retrieval failure) at {APP_URL}/broken: the "
        "app answered HTTP 500 to POST; it raised RuntimeError: the app's own bug; its body: "
        "'Internal Server Error'; twimlsim then played Twilio's application-error message "
        "and hung up, as Twilio does [https://www.twilio.com/docs/errors/11200]"
    )


def test_an_error_raised_elsewhere_after_the_test_clients_lifespan_has_no_such_hint() -> None:
    app = app_keeping_its_client_on_app_state()

    @app.post("/elsewhere")
    async def elsewhere() -> Response:
        raise KeyError("Digits")  # the app's own bug, not app.state.crm's

    with pytest.raises(SimulationError) as raised, Simulator() as sim:
        sim.route(APP_URL, app)
        sim.number(CALLER_ID)
        sim.phone(CALLEE).answers()
        sid = sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/elsewhere").sid
        with TestClient(app):
            pass
        sim.run()
    assert str(raised.value).splitlines()[1] == (
        f"  call {sid}: Twilio error 11200 (HTTP retrieval failure) at {APP_URL}/elsewhere: "
        "the app answered HTTP 500 to POST; it raised KeyError: 'Digits'; its body: "
        "'Internal Server Error'; twimlsim then played Twilio's application-error message "
        "and hung up, as Twilio does [https://www.twilio.com/docs/errors/11200]"
    )


def test_the_hint_follows_the_one_for_an_object_of_a_closed_loop() -> None:
    # an aiohttp session the test client's startup made on its own loop, used after that
    # loop closed with the with block
    app = app_keeping_its_client_on_app_state()

    @app.post("/loop")
    async def loop(request: Request) -> Response:
        request.app.state.crm.fetch()
        return Response("<Response/>", media_type="text/xml")

    with pytest.raises(SimulationError) as raised, Simulator() as sim:
        sim.route(APP_URL, app)
        sim.number(CALLER_ID)
        sim.phone(CALLEE).answers()
        sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/loop")
        with TestClient(app):
            pass
        sim.run()
    line = str(raised.value).splitlines()[1]
    assert line.count("; hint: ") == 1
    assert line.endswith(
        "make it in the app's lifespan or per request. "
        f"{REPLACED}; twimlsim then played Twilio's application-error message and hung up, "
        "as Twilio does [https://www.twilio.com/docs/errors/11200]"
    )

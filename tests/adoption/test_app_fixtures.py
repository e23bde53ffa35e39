"""The fixtures a Flask or FastAPI suite already has: an app factory in ``conftest.py``
with its test client, and FastAPI's ``TestClient`` with a dependency override, beside the
``twimlsim`` fixture (as the README's "In an existing test suite" shows them)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

pytest_plugins = ["pytester"]

FLASK_FACTORY = """
from flask import Flask, current_app
from twilio.rest import Client


def create_app():
    app = Flask(__name__)
    app.config.update(TWILIO_ACCOUNT_SID="ACxxxx", TWILIO_AUTH_TOKEN="your_auth_token")

    @app.post("/call")
    def call():
        config = current_app.config
        client = Client(config["TWILIO_ACCOUNT_SID"], config["TWILIO_AUTH_TOKEN"])
        made = client.calls.create(
            to="+15558675310", from_="+15005550006", url="https://app.test/voice"
        )
        return {"sid": made.sid}

    @app.post("/voice")
    def voice():
        return "<Response><Say>From the factory</Say></Response>", {"Content-Type": "text/xml"}

    return app


def create_client_app(config=None):  # makes its Twilio client itself, from its config
    app = Flask(__name__)
    app.config.update(TWILIO_ACCOUNT_SID="ACxxxx", TWILIO_AUTH_TOKEN="your_auth_token")
    app.config.update(config or {})
    client = Client(app.config["TWILIO_ACCOUNT_SID"], app.config["TWILIO_AUTH_TOKEN"])
    app.extensions["twilio"] = client

    @app.post("/call")
    def call():
        made = current_app.extensions["twilio"].calls.create(
            to="+15558675310", from_="+15005550006", url="https://app.test/voice"
        )
        return {"sid": made.sid}

    @app.post("/voice")
    def voice():
        answer = "<Response><Say>Made in the factory</Say></Response>"
        return answer, {"Content-Type": "text/xml"}

    return app
"""

FASTAPI_APP = """
from fastapi import Depends, FastAPI, Form
from fastapi.responses import Response
from twilio.rest import Client

api = FastAPI()


def twilio_client():
    return Client("ACxxxx", "your_auth_token")


@api.post("/call")
def call(to: str = Form(...), client: Client = Depends(twilio_client)):
    made = client.calls.create(to=to, from_="+15005550006", url="https://app.test/voice")
    return {"sid": made.sid}


@api.post("/voice")
def voice():
    return Response("<Response><Say>From FastAPI</Say></Response>", media_type="text/xml")


@api.post("/call-async")
async def call_async(to: str = Form(...), client: Client = Depends(twilio_client)):
    made = await client.calls.create_async(
        to=to, from_="+15005550006", url="https://app.test/voice"
    )
    return {"sid": made.sid}
"""

CONFTEST = """
import pytest

from factory import create_app


@pytest.fixture
def twimlsim_app():
    return create_app()


@pytest.fixture
def client(twimlsim_app, twimlsim):
    twimlsim_app.config.update(
        TWILIO_ACCOUNT_SID=twimlsim.account_sid, TWILIO_AUTH_TOKEN=twimlsim.auth_token
    )
    twimlsim.number("+15005550006")
    return twimlsim_app.test_client()
"""

TESTS = """
import pytest
from fastapi.testclient import TestClient
from twilio.request_validator import RequestValidator

from api import api, twilio_client


def test_flask_factory(client, twimlsim):
    sid = client.post("/call").json["sid"]
    twimlsim.run()
    assert twimlsim.calls[sid].said == ["From the factory"]


class TestAFactoryMakingItsClient:
    @pytest.fixture
    def twimlsim_app(self):
        from factory import create_client_app

        return create_client_app()

    def test_given_the_simulators_client(self, twimlsim_app, twimlsim):
        twimlsim_app.extensions["twilio"] = twimlsim.client()
        twimlsim.number("+15005550006")
        sid = twimlsim_app.test_client().post("/call").json["sid"]
        twimlsim.run()
        assert twimlsim.calls[sid].said == ["Made in the factory"]


@pytest.mark.twimlsim(accept_any_credentials=True)
class TestAFactoryMakingItsClientWithItsOwnCredentials:
    @pytest.fixture
    def twimlsim_app(self):
        from factory import create_client_app

        return create_client_app()

    def test_accepted_as_they_are(self, twimlsim_app, twimlsim):
        sid = twimlsim_app.test_client().post("/call").json["sid"]
        twimlsim.run()
        assert twimlsim.calls[sid].said == ["Made in the factory"]
        (request,) = twimlsim.calls[sid].requests  # signed with the token the app presented
        signature = request.headers["X-Twilio-Signature"]
        validator = RequestValidator("your_auth_token")
        assert validator.validate(request.url, request.params, signature)


def test_a_factory_making_its_client_routed_by_the_test(twimlsim):
    from factory import create_client_app

    app = create_client_app(
        {"TWILIO_ACCOUNT_SID": twimlsim.account_sid, "TWILIO_AUTH_TOKEN": twimlsim.auth_token}
    )
    twimlsim.route("https://app.test", app)
    twimlsim.number("+15005550006")
    sid = app.test_client().post("/call").json["sid"]
    twimlsim.run()
    assert twimlsim.calls[sid].said == ["Made in the factory"]


@pytest.fixture
def api_client(twimlsim):
    api.dependency_overrides[twilio_client] = lambda: twimlsim.client()
    twimlsim.route("https://app.test", api)
    twimlsim.number("+15005550006")
    with TestClient(api) as test_client:
        yield test_client
    api.dependency_overrides.clear()


def test_fastapi_dependency_override(api_client, twimlsim):
    sid = api_client.post("/call", data={"to": "+15558675310"}).json()["sid"]
    twimlsim.run()
    assert twimlsim.calls[sid].said == ["From FastAPI"]


def test_fastapi_async_client_override(twimlsim):
    from twilio.http.async_http_client import AsyncTwilioHttpClient
    from twilio.rest import Client

    async def async_client():  # async: aiohttp's session wants the running event loop
        async with AsyncTwilioHttpClient() as http_client:
            yield Client(twimlsim.account_sid, twimlsim.auth_token, http_client=http_client)

    api.dependency_overrides[twilio_client] = async_client
    twimlsim.route("https://app.test", api)
    twimlsim.number("+15005550006")
    try:
        with TestClient(api) as test_client:
            answer = test_client.post("/call-async", data={"to": "+15558675310"})
    finally:
        api.dependency_overrides.clear()
    twimlsim.run()
    assert twimlsim.calls[answer.json()["sid"]].said == ["From FastAPI"]
"""


def test_a_flask_factory_and_a_fastapi_override_beside_the_fixture(
    pytester: pytest.Pytester,
) -> None:
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(factory=FLASK_FACTORY, api=FASTAPI_APP, test_apps=TESTS)
    # starlette asks for httpx2 in place of httpx (a deprecation, at import)
    result = pytester.runpytest("-p", "no:cacheprovider", "-W", "ignore:Using `httpx`")
    result.assert_outcomes(passed=6)


LIFESPAN_APP = """
import os
from contextlib import asynccontextmanager

from fastapi import FastAPI, Form, Request, Response
from twilio.rest import Client


@asynccontextmanager
async def lifespan(app):
    client = Client(os.environ["TWILIO_ACCOUNT_SID"], os.environ["TWILIO_AUTH_TOKEN"])
    yield {"twilio": client}


app = FastAPI(lifespan=lifespan)


@app.post("/voice")
async def voice(request: Request, CallSid: str = Form(...)):
    call = request.state.twilio.calls(CallSid).fetch()
    return Response(f"<Response><Say>{call.to}</Say></Response>", media_type="text/xml")
"""

LIFESPAN_TESTS = """
import pytest

from lifespan_app import app


@pytest.fixture(autouse=True)
def sample_credentials(monkeypatch):  # what the suite's settings give outside tests
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", "ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "your_auth_token")


@pytest.fixture
def sim(twimlsim, monkeypatch):
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", twimlsim.account_sid)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", twimlsim.auth_token)
    return twimlsim


def call(sim):
    sim.number("+15005550006", voice_url="https://app.test/voice")
    placed = sim.incoming_call(from_="+15558675310", to="+15005550006")
    sim.run()
    return placed


def test_routed_after_the_environment(sim):
    sim.route("https://app.test", app)
    assert call(sim).said == ["+15005550006"]


class TestRoutedByTheFixture:
    @pytest.fixture
    def twimlsim_app(self):
        return app

    def test_before_the_environment(self, sim):
        call(sim)
"""


def test_an_asgi_lifespan_reading_the_environment_is_routed_after_it_is_set(
    pytester: pytest.Pytester,
) -> None:
    """The README's advice: the twimlsim fixture routes twimlsim_app, starting its
    lifespan, before a fixture of the test can set the credentials it reads."""
    pytester.makepyfile(lifespan_app=LIFESPAN_APP, test_lifespan=LIFESPAN_TESTS)
    result = pytester.runpytest("-p", "no:cacheprovider", "-W", "ignore:Using `httpx`")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "      Twilio error 20003: Authenticate (the credentials are not the simulator's: "
            "use sim.client(), or Client(sim.account_sid, sim.auth_token); a client made "
            "before the test gave the app those (at import, in an app factory that made it "
            "from its config, or in an ASGI app's lifespan, which starts when it is routed) "
            "keeps the ones it was made with, and so do settings read once and cached "
            "(FastAPI's @lru_cache get_settings(): call get_settings.cache_clear() after "
            "setting the environment, or override the dependency); accept them with "
            "@pytest.mark.twimlsim(accept_any_credentials=True), the ini option "
            "twimlsim_accept_any_credentials = true, or pytest --twimlsim)",
            "FAILED test_lifespan.py::TestRoutedByTheFixture::test_before_the_environment*",
        ]
    )


@pytest.mark.filterwarnings("ignore:Using `httpx`")  # starlette asks for httpx2, at import
def test_the_test_client_and_the_route_each_start_the_apps_lifespan() -> None:
    """As the README says: routed and under ``with TestClient(app)``, an app's startup runs
    twice, each on its own event loop."""
    from contextlib import asynccontextmanager

    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from twimlsim import Simulator

    loops: list[tuple[str, int]] = []

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        import asyncio

        loops.append(("start", id(asyncio.get_running_loop())))
        yield
        loops.append(("stop", id(asyncio.get_running_loop())))

    app = FastAPI(lifespan=lifespan)
    with Simulator() as sim:
        sim.route("https://app.test", app)
        with TestClient(app):
            pass
    assert [event for event, _ in loops] == ["start", "start", "stop", "stop"]
    assert loops[0][1] == loops[3][1] != loops[1][1] == loops[2][1]

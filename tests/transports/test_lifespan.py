"""An ASGI app's lifespan runs once per routed app: startup at route(), shutdown at stop()."""

from __future__ import annotations

import asyncio
import os
import sys
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
import requests
from fastapi import FastAPI, Request
from fastapi.responses import Response as FastAPIResponse

from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim import ConfigurationError, Simulator

pytest_plugins = ["pytester"]


def app_with_lifespan(events: list[str]) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[dict[str, Any]]:
        events.append("startup")
        yield {"greeting": "Opened at startup"}
        events.append("shutdown")

    app = FastAPI(lifespan=lifespan)

    @app.post("/voice")
    async def voice(request: Request) -> FastAPIResponse:
        events.append("voice")
        body = f"<Response><Say>{request.state.greeting}</Say></Response>"
        return FastAPIResponse(body, media_type="text/xml")

    return app


def test_startup_once_at_route_state_in_requests_shutdown_at_stop() -> None:
    events: list[str] = []
    with Simulator() as sim:
        sim.route(APP_URL, app_with_lifespan(events))
        assert events == ["startup"]
        sim.number(CALLER_ID)
        client = sim.client()
        sids = [
            client.calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice").sid
            for _ in range(2)
        ]
        sim.run()
        assert events == ["startup", "voice", "voice"]
    assert events == ["startup", "voice", "voice", "shutdown"]
    assert [sim.calls[sid].said for sid in sids] == [["Opened at startup"]] * 2
    # the app's event loop and its thread have stopped
    assert [t for t in threading.enumerate() if t.name == "twimlsim-asgi"] == []


def test_a_shutdown_that_calls_the_api_reaches_the_simulator_not_twilio() -> None:
    answers: list[tuple[int, str]] = []

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        # an app that hangs up its live calls as it shuts down
        url = f"https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}/Calls.json"
        listed = requests.get(url, auth=(sim.account_sid, sim.auth_token), timeout=5)
        answers.append((listed.status_code, listed.json()["calls"][0]["status"]))

    with Simulator() as sim:
        sim.route(APP_URL, FastAPI(lifespan=lifespan))
        sim.number(CALLER_ID)
        sim.client().calls.create(to=CALLEE, from_=CALLER_ID, twiml="<Response/>")
        sim.run()
    assert answers == [(200, "completed")]
    assert len(sim.api_requests) == 2


def test_a_failing_startup_is_a_clear_error_at_route() -> None:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        raise ConnectionError("database unreachable")
        yield  # pragma: no cover

    with Simulator() as sim, pytest.raises(ConfigurationError) as raised:
        sim.route(APP_URL, FastAPI(lifespan=lifespan))
    assert str(raised.value) == (
        "the ASGI app's lifespan startup failed: ConnectionError: database unreachable; "
        "fix the app's startup (its lifespan handler or on_startup events)"
    )
    assert repr(raised.value.__cause__) == "ConnectionError('database unreachable')"


def test_a_startup_reading_an_unset_environment_variable_says_to_set_it_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # an app making its Twilio client in its lifespan, routed before the test set the
    # environment (or by twimlsim call, which sets none)
    monkeypatch.delenv("TWILIO_ACCOUNT_SID", raising=False)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        os.environ["TWILIO_ACCOUNT_SID"]
        yield

    with Simulator() as sim, pytest.raises(ConfigurationError) as raised:
        sim.route(APP_URL, FastAPI(lifespan=lifespan))
    assert str(raised.value) == (
        "the ASGI app's lifespan startup failed: KeyError: 'TWILIO_ACCOUNT_SID'; the startup "
        "read TWILIO_ACCOUNT_SID from the environment (os.environ), where it is unset: set it "
        "before the app is routed (under pytest, monkeypatch.setenv in the fixture that then "
        "routes the app, with sim.account_sid and sim.auth_token for Twilio's credentials; "
        "under twimlsim call, in the command's environment)"
    )

    @asynccontextmanager
    async def own_table(app: FastAPI) -> AsyncIterator[None]:
        {"a": 1}["TWILIO_ACCOUNT_SID"]  # a KeyError of the app's own dict says nothing of it
        yield

    with Simulator() as sim, pytest.raises(ConfigurationError) as raised:
        sim.route(APP_URL, FastAPI(lifespan=own_table))
    assert str(raised.value).endswith(
        "; fix the app's startup (its lifespan handler or on_startup events)"
    )


def test_a_startup_failing_on_another_loops_connection_says_to_use_nullpool() -> None:
    """An app's module-level async engine keeps in its pool the connection an earlier
    test's startup opened on that simulator's loop, now closed (asyncpg: 'attached to a
    different loop'); a future of another loop stands in for it."""
    other_loop = asyncio.new_event_loop()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await other_loop.create_future()
        yield  # pragma: no cover

    try:
        with Simulator() as sim, pytest.raises(ConfigurationError) as raised:
            sim.route(APP_URL, FastAPI(lifespan=lifespan))
    finally:
        other_loop.close()
    message = str(raised.value)
    assert message.startswith("the ASGI app's lifespan startup failed: RuntimeError: Task <")
    assert message.endswith(
        " attached to a different loop; the startup used an object made on another event "
        "loop: twimlsim runs the lifespan and the webhooks on a loop of its own, made when "
        "the app is routed (a new one in each test), so a connection an async engine's pool "
        "kept from the test's loop or an earlier test's fails there; make the app's engine "
        "with poolclass=NullPool in tests (create_async_engine(url, poolclass=NullPool))"
    )


def test_a_startup_that_never_finishes_is_told_once_not_again_as_work_left_running(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # the app's lifespan task was left running, then named at stop as work the app lost
    import asyncio

    import twimlsim.transports.asgi as asgi

    monkeypatch.setattr(asgi, "LIFESPAN_TIMEOUT_SECONDS", 0.2)

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        await receive()
        await asyncio.sleep(3600)  # a database that never answers

    with (
        caplog.at_level("WARNING", logger="twimlsim.asgi"),
        Simulator() as sim,
        pytest.raises(ConfigurationError) as raised,
    ):
        sim.route(APP_URL, app)
    assert str(raised.value) == (
        "the ASGI app's lifespan startup did not finish within 0.2 s; check what its "
        "lifespan handler awaits"
    )
    assert [r.getMessage() for r in caplog.records if r.name == "twimlsim.asgi"] == []


def test_a_shutdown_that_never_finishes_is_told_once_not_again_as_work_left_running(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import asyncio

    import twimlsim.transports.asgi as asgi

    monkeypatch.setattr(asgi, "LIFESPAN_TIMEOUT_SECONDS", 0.2)

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        await receive()
        await send({"type": "lifespan.startup.complete"})
        await receive()
        await asyncio.sleep(3600)  # a pool that never closes

    sim = Simulator().start()
    sim.route(APP_URL, app)
    with (
        caplog.at_level("WARNING", logger="twimlsim.asgi"),
        pytest.raises(ConfigurationError) as raised,
    ):
        sim.stop()
    assert str(raised.value) == (
        "the ASGI app's lifespan shutdown did not finish within 0.2 s; check what its "
        "lifespan handler awaits"
    )
    assert [r.getMessage() for r in caplog.records if r.name == "twimlsim.asgi"] == []


def test_a_startup_failure_reported_without_raising_gives_the_apps_reason() -> None:
    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        await receive()
        await send({"type": "lifespan.startup.failed", "message": "no database"})
        await receive()

    with Simulator() as sim, pytest.raises(ConfigurationError) as raised:
        sim.route(APP_URL, app)
    assert str(raised.value) == (
        "the ASGI app's lifespan startup failed: no database; "
        "fix the app's startup (its lifespan handler or on_startup events)"
    )


def test_an_app_without_lifespan_support_is_served_without_it() -> None:
    async def bare_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            raise ValueError(f"only HTTP, not {scope['type']}")  # as Django's ASGI handler
        headers = [(b"content-type", b"text/xml")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"<Response><Say>Bare</Say></Response>"})

    with Simulator() as sim:
        sim.route(APP_URL, bare_app)
        sim.number(CALLER_ID)
        sid = sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice").sid
        sim.run()
    assert sim.calls[sid].said == ["Bare"]


def test_the_fixture_runs_the_lifespan_of_twimlsim_app(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        """
from contextlib import asynccontextmanager

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import Response

EVENTS = []


@asynccontextmanager
async def lifespan(app):
    EVENTS.append("startup")
    yield {"pool": "open"}
    EVENTS.append("shutdown")


app = FastAPI(lifespan=lifespan)


@app.post("/voice")
async def voice(request: Request):
    return Response(f"<Response><Say>{request.state.pool}</Say></Response>",
                    media_type="text/xml")


@pytest.fixture
def twimlsim_app():
    return app
"""
    )
    pytester.makepyfile(
        """
import conftest

def test_first(twimlsim):
    twimlsim.number("+15005550006")
    call = twimlsim.client().calls.create(
        to="+15558675310", from_="+15005550006", url="https://app.test/voice")
    twimlsim.run()
    assert twimlsim.calls[call.sid].said == ["open"]
    assert conftest.EVENTS == ["startup"]

def test_second(twimlsim):
    assert conftest.EVENTS == ["startup", "shutdown", "startup"]
"""
    )
    pytester.runpytest().assert_outcomes(passed=2)


def test_an_asgi_app_without_a2wsgi_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "a2wsgi", None)  # as if the asgi extra were missing

    async def app(scope: Any, receive: Any, send: Any) -> None:
        raise AssertionError("never called")

    with Simulator() as sim, pytest.raises(ConfigurationError) as raised:
        sim.route(APP_URL, app)
    assert str(raised.value) == (
        f"{app!r} is an ASGI app; delivering webhooks to it needs a2wsgi: pip install a2wsgi "
        "(or install twimlsim's wheel with its asgi extra, "
        "'twimlsim-0.1.0-py3-none-any.whl[asgi]')"
    )


class _Patched:
    """What gevent.monkey and eventlet.patcher tell of a process they patched."""

    @staticmethod
    def is_module_patched(name: str) -> bool:
        return name == "threading"

    @staticmethod
    def is_monkey_patched(name: str) -> bool:
        return name == "thread"


class _AsgiApp:
    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        raise AssertionError("refused before its lifespan or any request")

    def __repr__(self) -> str:
        return "<AsgiApp>"


@pytest.mark.parametrize(
    ("module", "library"),
    [
        ("gevent.monkey", "gevent (gevent.monkey.patch_all())"),
        ("eventlet.patcher", "eventlet (eventlet.monkey_patch())"),
    ],
)
def test_an_asgi_app_is_refused_where_green_threads_patched_threading(
    module: str, library: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its first webhook waited for ever on a2wsgi's event for the loop's green thread."""
    monkeypatch.setitem(sys.modules, module, _Patched())
    with Simulator() as sim, pytest.raises(ConfigurationError) as raised:
        sim.route(APP_URL, _AsgiApp())
    assert str(raised.value) == (
        f"sim.route('{APP_URL}', ...): <AsgiApp> (_AsgiApp) is an ASGI app, served on an "
        "asyncio event loop in a thread of its own, and this process's threading is "
        f"monkey-patched by {library}: its webhooks would wait for ever on the loop's green "
        "thread. Leave the patching out of the test process (gunicorn's gevent and eventlet "
        "workers patch where the app is served), or run the app under its server and drive it "
        "over HTTP with `twimlsim serve` or `twimlsim call URL`; a WSGI app is served on the "
        "test's own thread and works patched"
    )


def test_a_lifespan_raising_an_exception_without_text_names_its_type_alone() -> None:
    """A ``CancelledError`` (a task the startup awaited was cancelled) read "startup failed:
    CancelledError: ; fix ...", and the shutdown's "raised CancelledError: "."""

    def app_raising(phase: str) -> Any:
        async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
            assert scope["type"] == "lifespan"
            await receive()
            if phase == "startup":
                raise asyncio.CancelledError
            await send({"type": "lifespan.startup.complete"})
            await receive()
            raise asyncio.CancelledError

        return app

    with Simulator() as sim, pytest.raises(ConfigurationError) as raised:
        sim.route(APP_URL, app_raising("startup"))
    assert str(raised.value) == (
        "the ASGI app's lifespan startup failed: CancelledError; fix the app's startup (its "
        "lifespan handler or on_startup events)"
    )
    with pytest.raises(ConfigurationError) as raised, Simulator() as sim:
        sim.route(APP_URL, app_raising("shutdown"))
    assert str(raised.value) == (
        "the ASGI app's lifespan shutdown raised CancelledError; the simulator stopped, but the "
        "app's cleanup did not finish: fix its shutdown (its lifespan handler's code after "
        "startup, or its on_shutdown and on_cleanup events)"
    )

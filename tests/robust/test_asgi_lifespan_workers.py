"""A background worker the app's lifespan startup left running when the simulator stops,
and how a task the app left running is named."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from fastapi import FastAPI
from fastapi.responses import Response

from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim import Simulator

#: What the warning about a task left by a webhook says after the task's name.
LEFT_BY_A_WEBHOOK = (
    " when the simulator stopped; twimlsim cancelled it, so what it had still to do (a REST "
    "update of a call?) never happened. Its awaits (asyncio.sleep included) wait on the "
    "wall clock, and virtual time does not wait for them: sim.run() ends the calls at once. "
    "Finish that work before answering the webhook, or wait for the task in the test "
    "before sim.run() goes on"
)


async def _forever() -> None:
    await asyncio.Event().wait()


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "twimlsim.asgi"]


def _one_call(app: FastAPI) -> None:
    with Simulator() as sim:
        sim.route(APP_URL, app)
        sim.number(CALLER_ID, voice_url=f"{APP_URL}/voice")
        sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        sim.run()


def test_a_worker_the_lifespan_started_and_its_shutdown_left_is_told_apart(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """As when a test's own AsyncTestClient ran a Litestar app's lifespan a second time:
    the worker of the first startup outlives the shutdown, and no webhook lost work."""
    workers: list[asyncio.Task[None]] = []

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        workers.append(asyncio.create_task(_forever(), name="events.Emitter._worker"))
        yield  # a shutdown that does not stop it

    app = FastAPI(lifespan=lifespan)

    @app.post("/voice")
    async def voice() -> Response:
        return Response("<Response><Say>Hi</Say></Response>", media_type="text/xml")

    _one_call(app)
    assert [worker.cancelled() for worker in workers] == [True]
    assert _warnings(caplog) == [
        "the ASGI app's lifespan startup started events.Emitter._worker(), still running "
        "after its lifespan shutdown; twimlsim cancelled it as the simulator stopped. A test "
        "that also runs the lifespan of the same app object in its own client (a TestClient "
        "or AsyncTestClient beside sim.route) starts it twice, once on each event loop, and "
        "an app that keeps one such worker per app object (Litestar's event emitter) stops "
        "only one: harmless. Otherwise the app's shutdown leaves it running"
    ]


def test_a_worker_the_lifespan_stopped_is_not_named(caplog: pytest.LogCaptureFixture) -> None:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        worker = asyncio.create_task(_forever())
        yield
        worker.cancel()

    app = FastAPI(lifespan=lifespan)

    @app.post("/voice")
    async def voice() -> Response:
        return Response("<Response><Say>Hi</Say></Response>", media_type="text/xml")

    _one_call(app)
    assert _warnings(caplog) == []


def test_a_task_left_by_a_webhook_is_named_by_the_name_it_was_given(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """anyio names each task after its function and runs it in its TaskHandle._run_coro
    wrapper: the name given says which it is, the wrapper's coroutine does not."""
    tasks: set[asyncio.Task[None]] = set()

    async def wrapper() -> None:
        await _forever()

    app = FastAPI()

    @app.post("/voice")
    async def voice() -> Response:
        tasks.add(asyncio.create_task(wrapper(), name="remindly.jobs.follow_up"))
        tasks.add(asyncio.create_task(_forever()))  # asyncio's own name, Task-N
        return Response("<Response><Say>Hi</Say></Response>", media_type="text/xml")

    _one_call(app)
    assert _warnings(caplog) == [
        f"the ASGI app still ran _forever(), remindly.jobs.follow_up(){LEFT_BY_A_WEBHOOK}"
    ]

"""ASGI apps that break the protocol the way real apps do (a route that answers through the
raw ``send`` and then lets the framework answer again; a body sent after the last one; an
answer started and never finished) are treated as uvicorn treats them: the message is
refused with uvicorn's error, an answer already complete is used, and the test is never
held on the wall clock waiting for an app that waits on a refused message, nor forever
waiting for an app that returned without a word (each test runs its simulation in a
thread it gives up on after 10 s, so that a regression fails instead of hanging)."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import pytest
from fastapi import BackgroundTasks, FastAPI
from fastapi.responses import Response

from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim import Simulator
from twimlsim.engine.interpreter import APPLICATION_ERROR_MESSAGE, APPLICATION_ERROR_THEN
from twimlsim.transports.asgi import ASGIApp
from twimlsim.transports.wsgi import build_environ

START = {"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/xml")]}
BODY = {"type": "http.response.body", "body": b"<Response><Say>Hi</Say></Response>"}
PART = {"type": "http.response.body", "body": b"<Response>", "more_body": True}


def answering(*messages: dict[str, Any], seen: list[str]) -> Any:
    """An ASGI app that sends ``messages`` and notes each refusal it gets."""

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            raise RuntimeError("no lifespan")
        for message in messages:
            try:
                await send(message)
            except RuntimeError as refused:
                seen.append(str(refused))
                return

    return app


def inbound(app: Any) -> Simulator:
    """A call in to ``app``, run to its end in a thread that must finish within 10 s."""
    sims: list[Simulator] = []

    def call() -> None:
        with Simulator(strict=False) as sim:
            sim.route(APP_URL, app)
            sim.number(CALLER_ID, voice_url=f"{APP_URL}/voice")
            sim.incoming_call(from_=CALLEE, to=CALLER_ID)
            sim.run()
        sims.append(sim)

    thread = threading.Thread(target=call, daemon=True)
    thread.start()
    thread.join(timeout=10)  # returns as soon as the call has ended
    assert not thread.is_alive(), "the simulation hung on the app's answer"
    return sims[0]


def said(sim: Simulator) -> list[str]:
    return [str(words) for words in next(iter(sim.calls.values())).said]


@pytest.mark.parametrize(
    ("after", "refusal"),
    [
        (START, "Unexpected ASGI message 'http.response.start' sent, after response already "),
        (BODY, "Unexpected ASGI message 'http.response.body' sent, after response already "),
    ],
    ids=["a-second-start", "another-body"],
)
def test_a_message_after_the_complete_answer_is_refused_and_the_answer_used(
    after: dict[str, Any], refusal: str
) -> None:
    seen: list[str] = []
    started = time.monotonic()
    sim = inbound(answering(START, BODY, after, seen=seen))
    assert time.monotonic() - started < 5  # measured, never waited on: was 15 s
    assert (said(sim), sim.failures) == (["Hi"], [])
    assert seen == [refusal + "completed."]


def test_a_second_start_before_the_body_is_refused_as_uvicorn_refuses_it() -> None:
    seen: list[str] = []
    sim = inbound(answering(START, START, BODY, seen=seen))
    assert seen == ["Expected ASGI message 'http.response.body', but got 'http.response.start'."]
    assert said(sim) == [APPLICATION_ERROR_MESSAGE]
    assert [(f.code, f.message) for f in sim.failures] == [
        (
            11200,
            "the app raised RuntimeError: ASGI callable returned without completing response. "
            f"(Twilio sees HTTP 500); {APPLICATION_ERROR_THEN}",
        )
    ]


def test_a_body_before_the_start_is_refused() -> None:
    seen: list[str] = []
    sim = inbound(answering(BODY, seen=seen))
    assert seen == ["Expected ASGI message 'http.response.start', but got 'http.response.body'."]
    assert [(f.code, f.message) for f in sim.failures] == [
        (
            11200,
            "the app raised RuntimeError: ASGI callable returned without starting response. "
            f"(Twilio sees HTTP 500); {APPLICATION_ERROR_THEN}",
        )
    ]


@pytest.mark.parametrize(
    ("messages", "missing"),
    [((), "starting"), ((START,), "completing"), ((START, PART), "completing")],
    ids=["nothing-sent", "no-body", "half-a-body"],
)
def test_an_app_returning_before_its_answer_is_complete_is_11200(
    messages: tuple[dict[str, Any], ...], missing: str
) -> None:
    sim = inbound(answering(*messages, seen=[]))
    assert said(sim) == [APPLICATION_ERROR_MESSAGE]
    assert [(f.code, f.message) for f in sim.failures] == [
        (
            11200,
            f"the app raised RuntimeError: ASGI callable returned without {missing} response. "
            f"(Twilio sees HTTP 500); {APPLICATION_ERROR_THEN}",
        )
    ]


@pytest.mark.parametrize(
    "headers",
    [[("content-type", "text/xml")], [(b"content-type", b"text/xml", b"x")], None],
    ids=["str", "three-items", "none"],
)
def test_headers_that_are_not_pairs_of_bytes_are_refused_at_the_apps_send(headers: Any) -> None:
    seen: list[str] = []
    start = {"type": "http.response.start", "status": 200, "headers": headers}
    sim = inbound(answering(start, BODY, seen=seen))
    assert seen == [
        f"the ASGI app's http.response.start headers must be (name, value) pairs of bytes, "
        f"such as [(b'content-type', b'text/xml')]; got {headers!r}"
    ]
    assert [(f.code, f.message) for f in sim.failures] == [
        (
            11200,
            "the app raised RuntimeError: ASGI callable returned without starting response. "
            f"(Twilio sees HTTP 500); {APPLICATION_ERROR_THEN}",
        )
    ]


@pytest.mark.parametrize(
    ("header", "refusal"),
    [
        (
            (b"content type", b"text/xml"),
            "Invalid HTTP header name. (uvicorn's refusal of the ASGI app's header name "
            "b'content type': a name is one word of letters, digits and -, such as "
            "b'content-type')",
        ),
        (
            (b"content-type", b"text/xml\r\nX-Injected: 1"),
            "Invalid HTTP header value. (uvicorn's refusal of the ASGI app's header "
            "b'content-type': its value b'text/xml\\r\\nX-Injected: 1' holds a line break or "
            "another control character; send the value on one line)",
        ),
    ],
    ids=["name-with-a-space", "value-with-a-line-break"],
)
def test_a_header_uvicorn_cannot_write_is_refused_at_the_apps_send(
    header: tuple[bytes, bytes], refusal: str
) -> None:
    """A name with a space was read as no Content-Type (12300), and a value with a line
    break failed on the WSGI side only, leaving the app waiting on its send until it was
    cancelled as 'still working after its answer': uvicorn refuses both at the send."""
    seen: list[str] = []
    start = {"type": "http.response.start", "status": 200, "headers": [header]}
    sim = inbound(answering(start, BODY, seen=seen))
    assert seen == [refusal]
    assert [(f.code, f.message) for f in sim.failures] == [
        (
            11200,
            "the app raised RuntimeError: ASGI callable returned without starting response. "
            f"(Twilio sees HTTP 500); {APPLICATION_ERROR_THEN}",
        )
    ]


def test_an_app_raising_just_after_reading_the_request_is_named_every_time() -> None:
    """a2wsgi may stop reading when the app's task is done, before the error it was about
    to pass on arrives: seven runs in ten said 'the WSGI app ASGIApp returned without
    calling start_response' instead of the app's own exception."""

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            raise RuntimeError("no lifespan")
        await receive()
        raise ValueError("no caller record for this number")

    failures = {
        (failure.code, failure.message) for _ in range(30) for failure in inbound(app).failures
    }
    assert failures == {
        (
            11200,
            "the app raised ValueError: no caller record for this number (Twilio sees HTTP "
            f"500); {APPLICATION_ERROR_THEN}",
        )
    }


@pytest.mark.parametrize(
    "headers",
    [
        [[b"content-type", b"text/xml"]],
        ((b"content-type", b"text/xml"),),
        (pair for pair in [(b"content-type", b"text/xml")]),
    ],
    ids=["lists", "tuple", "generator"],
)
def test_headers_of_any_iterable_of_byte_pairs_are_read(headers: Any) -> None:
    seen: list[str] = []
    start = {"type": "http.response.start", "status": 200, "headers": headers}
    sim = inbound(answering(start, BODY, seen=seen))
    assert (seen, said(sim), sim.failures) == ([], ["Hi"], [])


@pytest.mark.parametrize("status", ["200", None, 0, 1000, True])
def test_a_status_that_is_not_an_http_code_is_refused_at_the_apps_send(status: Any) -> None:
    seen: list[str] = []
    start = {"type": "http.response.start", "status": status, "headers": START["headers"]}
    sim = inbound(answering(start, BODY, seen=seen))
    assert seen == [
        "the ASGI app's http.response.start status must be an HTTP status code, an int from "
        f"100 to 599; got {status!r}"
    ]
    assert [f.code for f in sim.failures] == [11200]


@pytest.mark.parametrize(("body", "kind"), [("<Response/>", "str"), (None, "NoneType")])
def test_a_body_that_is_not_bytes_is_refused_at_the_apps_send(body: Any, kind: str) -> None:
    seen: list[str] = []
    sim = inbound(answering(START, {"type": "http.response.body", "body": body}, seen=seen))
    assert seen == [
        f"the ASGI app's http.response.body body must be bytes (encode a str first); got {kind}"
    ]
    assert [(f.code, f.message) for f in sim.failures] == [
        (
            11200,
            "the app raised RuntimeError: ASGI callable returned without completing response. "
            f"(Twilio sees HTTP 500); {APPLICATION_ERROR_THEN}",
        )
    ]


def test_a_request_still_running_when_the_app_is_shut_down_is_cancelled() -> None:
    """As after Ctrl-C in the middle of a webhook: the app's task is cancelled at shutdown,
    not destroyed pending with its event loop (asyncio's "Task was destroyed" warning)."""
    ended: list[str] = []

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            raise RuntimeError("no lifespan")
        try:
            await send(START)
            await send(PART)  # its reader stops after this piece: the send never returns
            await asyncio.Event().wait()  # never set
        except asyncio.CancelledError:
            ended.append("cancelled")
            raise

    asgi = ASGIApp(app)
    environ = build_environ("POST", f"{APP_URL}/voice", {}, b"")
    answer = iter(asgi(environ, lambda status, headers, exc_info=None: None))
    assert next(answer) == b"<Response>"
    asgi.shutdown()  # the reader gave up on the answer (an interrupted run)
    assert ended == ["cancelled"]


def test_work_after_the_answer_is_cut_at_the_read_timeout_and_the_answer_used() -> None:
    """A FastAPI BackgroundTask runs after the answer: Twilio has the TwiML at once. The
    simulator waits for such work (so that what it does happens at the webhook's instant),
    but no longer than the read timeout, and does not fail the answer for it (it waited
    15 s whatever the timeout, then failed the webhook with 11200)."""
    app = FastAPI()
    ended: list[str] = []

    async def follow_up() -> None:
        try:
            await asyncio.Event().wait()  # never set: work that outlasts any timeout
        except asyncio.CancelledError:
            ended.append("cancelled")
            raise

    @app.post("/voice")
    async def voice(background_tasks: BackgroundTasks) -> Response:
        background_tasks.add_task(follow_up)
        return Response("<Response><Say>Hi</Say></Response>", media_type="text/xml")

    started = time.monotonic()
    # 1 s: long enough for the answer itself on a loaded machine (0.5 s was not, twice)
    with Simulator(strict=False, webhook_timeout=1.0, freeze_time=False) as sim:
        sim.route(APP_URL, app)
        sim.number(CALLER_ID, voice_url=f"{APP_URL}/voice")
        call = sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        sim.run()
    assert time.monotonic() - started < 5  # measured, never waited on
    assert (said(sim), sim.failures, ended) == (["Hi"], [], ["cancelled"])
    assert call.requests[0].response is not None


def test_a_task_the_app_left_running_is_named_when_the_simulator_stops_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An endpoint's ``asyncio.create_task`` that sleeps before updating the call waits on
    the wall clock, while virtual time ends the call at once: the task is cancelled at the
    simulator's stop, and the warning says what was lost (it was cancelled without a word)."""
    app = FastAPI()
    tasks: set[asyncio.Task[None]] = set()

    async def update_later() -> None:
        await asyncio.sleep(60)

    @app.post("/voice")
    async def voice() -> Response:
        tasks.add(asyncio.create_task(update_later()))
        return Response("<Response><Say>Hi</Say></Response>", media_type="text/xml")

    started = time.monotonic()
    with Simulator() as sim:
        sim.route(APP_URL, app)
        sim.number(CALLER_ID, voice_url=f"{APP_URL}/voice")
        call = sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        sim.run()
    assert time.monotonic() - started < 5  # cancelled, never waited for
    assert (call.said, [task.cancelled() for task in tasks]) == (["Hi"], [True])
    assert [r.getMessage() for r in caplog.records if r.name == "twimlsim.asgi"] == [
        "the ASGI app still ran test_a_task_the_app_left_running_is_named_when_the_simulator_"
        "stops_it.<locals>.update_later() when the simulator stopped; twimlsim cancelled it, "
        "so what it had still to do (a REST update of a call?) never happened. Its awaits "
        "(asyncio.sleep included) wait on the wall clock, and virtual time does not wait for "
        "them: sim.run() ends the calls at once. Finish that work before answering the "
        "webhook, or wait for the task in the test before sim.run() goes on"
    ]

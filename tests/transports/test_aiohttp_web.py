"""An aiohttp.web Application routed in process: its lifespan, scheme, peer and answers.

aiohttp's request handler reads each webhook from an in-process connection, TLS where the
URL is https, and writes its answer there as on a server (a ``StreamResponse`` chunked)."""

from __future__ import annotations

import asyncio
import gc
import pathlib
import ssl
import time
import weakref
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from twilio.request_validator import RequestValidator

from tests.support import CALLEE, CALLER_ID
from twimlsim import ConfigurationError, SimulationError, Simulator
from twimlsim.transports.aiohttp_web import _Connection, as_asgi

EVENTS: list[str] = []
TOKEN = web.AppKey("token", str)


async def voice(request: web.Request) -> web.Response:
    form = await request.post()
    signature = request.headers.get("X-Twilio-Signature", "")
    valid = RequestValidator(request.app[TOKEN]).validate(str(request.url), dict(form), signature)
    said = f"{request.scheme} {request.remote} {request.path_qs} valid {valid}"
    twiml = f'<Response><Gather numDigits="1" action="/menu"><Say>{said}</Say></Gather></Response>'
    return web.Response(text=twiml, content_type="text/xml")


async def menu(request: web.Request) -> web.StreamResponse:
    digits = (await request.post())["Digits"]
    assert isinstance(digits, str)
    answer = web.StreamResponse(headers={"Content-Type": "text/xml"})  # sent chunked
    await answer.prepare(request)
    await answer.write(b"<Response><Say>Pressed ")
    await answer.write(f"{digits}.</Say></Response>".encode())
    await answer.write_eof()
    return answer


async def boom(request: web.Request) -> web.Response:
    raise KeyError("caller")


async def context(app: web.Application) -> AsyncIterator[None]:
    EVENTS.append("startup")
    yield
    EVENTS.append("cleanup")


def make_app(token: str) -> web.Application:
    app = web.Application()
    app[TOKEN] = token
    app.router.add_post("/voice", voice)
    app.router.add_post("/menu", menu)
    app.router.add_post("/boom", boom)
    app.cleanup_ctx.append(context)
    return app


def test_an_aiohttp_app_answers_its_webhooks_in_process() -> None:
    EVENTS.clear()
    with Simulator() as sim:
        sim.route("https://myapp.test", make_app(sim.auth_token))
        assert EVENTS == ["startup"]
        sim.number(CALLER_ID)
        sim.phone(CALLEE).presses("4")
        url = "https://myapp.test/voice?lang=en"
        sid = sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=url).sid
        sim.run()
        said = list(sim.calls[sid].said)
    assert said == ["https 198.51.100.7 /voice?lang=en valid True", "Pressed 4."]
    assert EVENTS == ["startup", "cleanup"]


def test_an_aiohttp_apps_exception_names_itself_in_the_webhooks_failure() -> None:
    with Simulator() as sim:
        sim.route("https://myapp.test", make_app(sim.auth_token))
        sim.number(CALLER_ID)
        sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url="https://myapp.test/boom")
        with pytest.raises(SimulationError) as raised:
            sim.run()
    assert raised.value.failures[0].message == (
        "the app answered HTTP 500 to POST; it raised KeyError: 'caller'; its body: '500 "
        "Internal Server Error Server got itself in trouble'; twimlsim then played Twilio's "
        "application-error message and hung up, as Twilio does"
    )


def test_an_aiohttp_app_that_ran_on_another_loop_is_refused_naming_a_new_app() -> None:
    app = make_app("token")
    with Simulator() as sim:
        sim.route("https://myapp.test", app)
    with Simulator() as sim, pytest.raises(ConfigurationError) as raised:
        sim.route("https://myapp.test", app)
    assert str(raised.value) == (
        f"sim.route('https://myapp.test', ...): {app!r} already ran on another event loop "
        "(an earlier test's simulator, or the test's own aiohttp client), and aiohttp runs an "
        "Application on one loop only ('web.Application instance initialized with different "
        "loop'); route a new app in each test: make it in the fixture (return make_app() "
        "from twimlsim_app), as pytest-aiohttp's aiohttp_client is given a new one"
    )


def test_an_aiohttp_app_routed_at_two_bases_starts_once() -> None:
    EVENTS.clear()
    app = make_app("token")
    with Simulator() as sim:
        sim.route("https://myapp.test", app)
        sim.route("https://other.test", app)
        assert EVENTS == ["startup"]
    assert EVENTS == ["startup", "cleanup"]


async def streaming(request: web.Request) -> web.Response:
    twiml = '<Response><Connect><Stream url="wss://myapp.test/media"/></Connect></Response>'
    return web.Response(text=twiml, content_type="text/xml")


async def media(request: web.Request) -> web.WebSocketResponse:
    socket = web.WebSocketResponse()
    await socket.prepare(request)
    EVENTS.append("socket opened")
    return socket


def test_an_aiohttp_apps_websocket_route_is_not_opened_and_the_stream_is_held() -> None:
    EVENTS.clear()
    app = web.Application()
    app.router.add_post("/voice", streaming)
    app.router.add_get("/media", media)
    with Simulator() as sim:
        sim.route("https://myapp.test", app)
        sim.number(CALLER_ID)
        sim.phone(CALLEE).hangs_up(after=30)
        url = "https://myapp.test/voice"
        sid = sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=url).sid
        sim.run()
        call = sim.calls[sid]
        assert (call.status, call.duration, list(sim.failures)) == ("completed", 30, [])
    assert EVENTS == []


async def slow(request: web.Request) -> web.Response:
    await asyncio.sleep(60)
    return web.Response(text="<Response/>", content_type="text/xml")


def test_an_aiohttp_handler_past_the_read_timeout_fails_and_does_not_hold_the_stop() -> None:
    app = web.Application()
    app.router.add_post("/voice", slow)
    started = time.monotonic()
    with Simulator(strict=False, webhook_timeout=0.2) as sim:
        sim.route("https://myapp.test", app)
        sim.number(CALLER_ID)
        sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url="https://myapp.test/voice")
        sim.run()
    # aiohttp's shutdown waited 60 s for the handler, past the lifespan's 15 s limit
    assert time.monotonic() - started < 5
    (failure,) = sim.failures
    assert (failure.code, failure.url) == (11200, "https://myapp.test/voice")


async def streams_for_ever(request: web.Request) -> web.StreamResponse:
    answer = web.StreamResponse(headers={"Content-Type": "text/xml"})
    await answer.prepare(request)
    await answer.write(b"<Response><Say>hi</Say></Response>")
    while True:  # aiohttp's write to a connection with room never yields
        await answer.write(b" " * 65536)


async def closes_unanswered(request: web.Request) -> web.Response:
    assert request.transport is not None
    request.transport.close()
    return web.Response(text="<Response/>", content_type="text/xml")


async def cancelled(request: web.Request) -> web.Response:
    raise asyncio.CancelledError


async def raises_midway(request: web.Request) -> web.StreamResponse:
    answer = web.StreamResponse(headers={"Content-Type": "text/xml"})
    await answer.prepare(request)
    await answer.write(b"<Response><Say>hi")
    raise RuntimeError("midway")


def failure_of(path: str, handler: Any, **options: Any) -> tuple[int | None, str]:
    app = web.Application()
    app.router.add_post(path, handler)
    with Simulator(strict=False, **options) as sim:
        sim.route("https://myapp.test", app)
        sim.number(CALLER_ID)
        sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"https://myapp.test{path}")
        sim.run()
    (failure,) = sim.failures
    return failure.code, failure.message


AFTER = "; twimlsim then played Twilio's application-error message and hung up, as Twilio does"


def test_an_aiohttp_handler_streaming_for_ever_is_cut_where_twilio_stops_reading() -> None:
    # it hung for ever (its writes never yield to the read deadline), filling the memory
    assert failure_of("/voice", streams_for_ever, webhook_timeout=None) == (
        11750,
        "TwiML response body is more than 65,536 bytes (64 kB), the most Twilio reads; keep "
        "the document under 64 kB" + AFTER,
    )


@pytest.mark.parametrize("handler", [closes_unanswered, cancelled])
def test_an_aiohttp_connection_closed_without_an_answer_is_11205(handler: Any) -> None:
    # it was "the app raised IndexError: list index out of range", twimlsim's own
    assert failure_of("/voice", handler) == (
        11205,
        "the aiohttp.web app closed the connection of POST /voice without answering (its "
        "handler closed request.transport, or was cancelled): Twilio's connection closed with "
        "no answer; return a web.Response, an error one if need be" + AFTER,
    )


def test_an_aiohttp_answer_cut_in_its_chunked_body_is_11200_not_a_parse_error() -> None:
    # it was read as a whole document ending early: 12100 "Premature end of data"
    assert failure_of("/voice", raises_midway) == (
        11200,
        "the aiohttp.web app's answer to POST /voice ended after 17 bytes of its chunked body, "
        "without its last chunk: the app closed the connection mid-answer (its handler raised "
        "after StreamResponse.prepare(), the error is in its log); Twilio reads that as a "
        "failed request. Write the whole answer and end it with write_eof(), or answer an "
        "error before prepare()" + AFTER,
    )


async def cleanup_fails(app: web.Application) -> None:
    raise RuntimeError("the database is gone")


def test_an_aiohttp_cleanup_that_raises_is_named_with_what_to_do() -> None:
    app = web.Application()
    app.on_cleanup.append(cleanup_fails)
    with pytest.raises(ConfigurationError) as raised, Simulator() as sim:
        sim.route("https://myapp.test", app)
    assert str(raised.value) == (
        "the ASGI app's lifespan shutdown raised RuntimeError: the database is gone; the "
        "simulator stopped, but the app's cleanup did not finish: fix its shutdown (its "
        "lifespan handler's code after startup, or its on_shutdown and on_cleanup events)"
    )


def test_an_aiohttp_file_response_and_static_route_answer_from_the_file(
    tmp_path: pathlib.Path,
) -> None:
    # asyncio's loop.sendfile refused the in-process connection: "sendfile is not supported
    # for transport", and the answer ended after 0 of its Content-Length's bytes (11200)
    twiml = tmp_path / "voice.xml"
    twiml.write_text("<Response><Say>From a file.</Say></Response>")

    async def voice(request: web.Request) -> web.FileResponse:
        return web.FileResponse(twiml, headers={"Content-Type": "text/xml"})

    app = web.Application()
    app.router.add_post("/voice", voice)
    app.router.add_static("/static", tmp_path)
    with Simulator() as sim:
        sim.route("https://myapp.test", app)
        sim.number(CALLER_ID)
        client = sim.client()
        handler = client.calls.create(to=CALLEE, from_=CALLER_ID, url="https://myapp.test/voice")
        static = client.calls.create(
            to=CALLEE, from_=CALLER_ID, url="https://myapp.test/static/voice.xml", method="GET"
        )
        sim.run()
        said = [list(sim.calls[call.sid].said) for call in (handler, static)]
    assert said == [["From a file."], ["From a file."]]


def test_an_aiohttp_app_an_outer_simulator_serves_is_refused_by_an_inner_one() -> None:
    # it was "the ASGI app's lifespan startup failed: RuntimeError('web.Application instance
    # initialized with different loop'); fix the app's startup"
    app = make_app("token")
    with Simulator() as outer:
        outer.route("https://myapp.test", app)
        with Simulator() as inner, pytest.raises(ConfigurationError) as raised:
            inner.route("https://myapp.test", app)
        outer.route("https://other.test", app)  # the outer one's own: served once, as before
    assert str(raised.value) == (
        f"sim.route('https://myapp.test', ...): {app!r} is served still by another simulator "
        "(an outer one, still running), on that simulator's event loop, and aiohttp runs an "
        "Application on one loop only ('web.Application instance initialized with different "
        "loop'); route a new app in this simulator (make_app() again), or route the app in "
        "one simulator only"
    )


async def works_after_answering(request: web.Request) -> web.StreamResponse:
    answer = web.StreamResponse(headers={"Content-Type": "text/xml"})
    await answer.prepare(request)
    await answer.write(b"<Response><Say>Answered.</Say></Response>")
    await answer.write_eof()  # the whole answer is on the wire: Twilio reads on
    await asyncio.sleep(60)  # then, say, a report to a slow service
    return answer


async def works_after_a_whole_response(request: web.Request) -> web.Response:
    answer = web.Response(text="<Response><Say>Sized.</Say></Response>", content_type="text/xml")
    await answer.prepare(request)
    await answer.write_eof()
    await asyncio.sleep(60)
    return answer


def test_an_aiohttp_answer_complete_before_its_handler_returns_is_read_at_once() -> None:
    # it was read only when the handler returned: 11200 at the read timeout, on the wall
    # clock, though Twilio had the whole answer
    app = web.Application()
    app.router.add_post("/chunked", works_after_answering)
    app.router.add_post("/sized", works_after_a_whole_response)
    started = time.monotonic()
    with Simulator(webhook_timeout=5) as sim:
        sim.route("https://myapp.test", app)
        sim.number(CALLER_ID)
        client = sim.client()
        calls = [
            client.calls.create(to=CALLEE, from_=CALLER_ID, url=f"https://myapp.test/{path}")
            for path in ("chunked", "sized")
        ]
        sim.run()
        said = [list(sim.calls[call.sid].said) for call in calls]
        failures = list(sim.failures)
    assert (said, failures) == ([["Answered."], ["Sized."]], [])
    assert time.monotonic() - started < 4


async def redirect(request: web.Request) -> web.Response:
    return web.Response(
        text="<Response><Redirect>/said</Redirect></Response>", content_type="text/xml"
    )


async def said(request: web.Request) -> web.Response:
    return web.Response(text="<Response><Say>Hello.</Say></Response>", content_type="text/xml")


def test_an_aiohttp_apps_answered_webhooks_leave_no_connection_held() -> None:
    app = web.Application()
    app.router.add_post("/voice", redirect)
    app.router.add_post("/said", said)
    with Simulator() as sim:
        sim.route("https://myapp.test", app)
        sim.number(CALLER_ID)
        for _ in range(3):
            sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url="https://myapp.test/voice")
        sim.run()
        assert [list(call.said) for call in sim.calls.values()] == [["Hello."]] * 3
        # each webhook's connection was closed as a socket's is: aiohttp's server holds none
        assert as_asgi(app, "test")._runner.server.connections == []


def test_an_https_webhooks_connection_shows_aiohttp_one_tls_context_made_once() -> None:
    """aiohttp only asks whether the connection has a TLS context; making one per webhook
    would cost each about 0.1 ms."""
    loop = asyncio.new_event_loop()
    try:
        https = [_Connection(loop, {"scheme": "https"}) for _ in range(2)]
        http = _Connection(loop, {"scheme": "http"})
        contexts = [connection.get_extra_info("sslcontext") for connection in https]
        assert isinstance(contexts[0], ssl.SSLContext)
        assert (contexts[1] is contexts[0], http.get_extra_info("sslcontext")) == (True, None)
    finally:
        loop.close()


def test_an_aiohttp_app_is_let_go_of_once_its_face_is() -> None:
    """The ASGI face a simulator holds is all that keeps the app: once no simulator holds
    it, an app the test no longer holds is collected (not kept for the whole run)."""
    app = make_app("token")
    face = as_asgi(app, "test")
    assert (face.application, as_asgi(app, "test")) == (app, face)
    routed = weakref.ref(app)
    del app, face
    gc.collect()
    assert routed() is None

"""A ``wss://`` route: an ASGI app's WebSocket routes alone, beside the app that answers
the host's webhooks (a Django project's WSGI handler, its Channels consumers on ASGI)."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import pytest

from twimlsim import Simulator

from .calls import APP, CALLER, NUMBER

STREAM = """<Response><Connect action="/after">
  <Stream url="wss://agent.test/media"/>
</Connect></Response>"""


def webhooks_app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    """A WSGI app answering the host's webhooks: the stream, then a goodbye."""
    start_response("200 OK", [("Content-Type", "text/xml")])
    if environ["PATH_INFO"] == "/voice":
        return [STREAM.encode()]
    return [b"<Response><Say>Back in TwiML.</Say></Response>"]


def consumer_app(heard: list[dict[str, Any]]) -> Any:
    """A raw ASGI app serving WebSockets only (as Channels' ProtocolTypeRouter would with
    no "http"): it accepts, keeps each Twilio event, and closes after the start."""

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        assert scope["type"] == "websocket"
        heard.append({"path": scope["path"], "client": scope["client"]})
        while True:
            message = await receive()
            if message["type"] == "websocket.connect":
                await send({"type": "websocket.accept"})
            elif message["type"] == "websocket.disconnect":
                # a Channels consumer unwinds through a thread (its database connections)
                await asyncio.to_thread(time.sleep, 0.05)
                heard.append({"event": "unwound"})
                return
            else:
                heard.append(json.loads(message["text"]))
                if heard[-1]["event"] == "start":
                    await send({"type": "websocket.close", "code": 1000})

    return app


def test_a_wss_route_serves_the_hosts_websockets_beside_its_webhooks_app(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """sim.route took http(s) base URLs only: a project whose webhooks must run under WSGI
    (Django's test transaction) could not also have its Channels consumer answer the
    stream in process."""
    heard: list[dict[str, Any]] = []
    with Simulator() as sim:
        sim.route(APP, webhooks_app)
        sim.route("WSS://Agent.test:443", consumer_app(heard))
        sim.number(NUMBER, voice_url=f"{APP}/voice")
        call = sim.incoming_call(from_=CALLER, to=NUMBER)
        sim.run()
    assert [event.get("event", event.get("path")) for event in heard] == [
        "/media",
        "connected",
        "start",
        "unwound",
    ]
    # it ended before the simulator stopped: no task of the app's was left to cancel
    assert [r.getMessage() for r in caplog.records if r.name == "twimlsim.asgi"] == []
    assert heard[0]["client"] == ("198.51.100.7", 49152)
    assert (call.said, [r.url for r in call.requests]) == (
        ["Back in TwiML."],
        [f"{APP}/voice", f"{APP}/after"],
    )


def test_a_wss_route_takes_an_asgi_app_only() -> None:
    with Simulator() as sim, pytest.raises(TypeError) as refused:
        sim.route("wss://agent.test", webhooks_app)
    assert str(refused.value) == (
        "sim.route('wss://agent.test', ...): a ws:// or wss:// base URL routes an ASGI app's "
        "WebSocket routes (a Media Streams or ConversationRelay server), and the function "
        "webhooks_app is no ASGI app; route a WSGI app at the https:// base URL of its webhooks"
    )


def test_one_asgi_app_routed_at_its_https_and_wss_bases_is_one_process() -> None:
    """Each route made an event loop of its own and ran the lifespan again: the socket
    handler read a state the webhook never wrote (and asyncio objects made on one loop
    fail on the other), where uvicorn runs the app once for both."""
    startups: list[str] = []
    loops: dict[str, asyncio.AbstractEventLoop] = {}
    heard: list[object] = []

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                startups.append("startup")
                scope["state"]["queue"] = asyncio.Queue()
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        loops[scope["type"]] = asyncio.get_running_loop()
        if scope["type"] == "http":
            await scope["state"]["queue"].put("from the webhook")
            body = STREAM.encode() if scope["path"] == "/voice" else b"<Response/>"
            headers = [(b"content-type", b"text/xml")]
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        await receive()  # websocket.connect
        await send({"type": "websocket.accept"})
        heard.append(scope["state"]["queue"].get_nowait())
        await send({"type": "websocket.close", "code": 1000})

    with Simulator(strict=False) as sim:
        sim.number(NUMBER, voice_url=f"{APP}/voice")
        sim.route(APP, app)
        sim.route("wss://agent.test", app)
        sim.incoming_call(from_=CALLER, to=NUMBER).run()
    assert (startups, heard) == (["startup"], ["from the webhook"])
    assert loops["http"] is loops["websocket"]


class _SocketsMiddleware:
    """What Flask-Sockets' ``Sockets(app)`` puts in ``app.wsgi_app``: its WebSocket routes
    in a ``url_map`` of their own (``ws``), the app's own WSGI callable behind them."""

    def __init__(self, wsgi_app: Any, paths: list[str]) -> None:
        from werkzeug.routing import Map, Rule

        self.wsgi_app = wsgi_app
        self.ws = type("Sockets", (), {"url_map": Map([Rule(path) for path in paths])})()

    def __call__(self, environ: Any, start_response: Any) -> Any:
        return self.wsgi_app(environ, start_response)


@pytest.mark.parametrize("library", ["Flask-Sock", "Flask-Sockets"])
def test_a_flask_app_with_a_websocket_route_is_told_its_handler_does_not_run(
    caplog: pytest.LogCaptureFixture, library: str
) -> None:
    # a Media Streams server written with Flask (Twilio's tutorial app uses Flask-Sockets;
    # Flask-Sock's @sock.route('/media') makes a Flask rule with websocket=True): its handler
    # needs the server's socket, which no app routed in process has
    from flask import Flask

    app = Flask("voice")
    twiml = {"Content-Type": "text/xml"}
    app.add_url_rule("/voice", "voice", lambda: (STREAM, 200, twiml), methods=["POST"])
    app.add_url_rule("/after", "after", lambda: ("<Response/>", 200, twiml), methods=["POST"])
    if library == "Flask-Sock":
        app.add_url_rule("/media", "media", lambda: "", websocket=True)
    else:
        app.wsgi_app = _SocketsMiddleware(app.wsgi_app, ["/media"])  # type: ignore[method-assign]
    with caplog.at_level("WARNING", logger="twimlsim.wsgi"), Simulator() as sim:
        sim.route(APP, app)
        sim.route("https://other.test", Flask("webhooks only"))  # no WebSocket route: silent
        sim.number(NUMBER, voice_url=f"{APP}/voice")
        sim.phone(CALLER).hangs_up(after=5)
        call = sim.incoming_call(from_=CALLER, to=NUMBER)
        sim.run()
    assert (call.status, call.duration) == ("completed", 5)
    assert [(r.name, r.getMessage()) for r in caplog.records] == [
        (
            "twimlsim.wsgi",
            "the WSGI app routed at https://agent.test has WebSocket routes (/media, as "
            "Flask-Sock's @sock.route and Flask-Sockets' @sockets.route make): twimlsim runs "
            "the WebSocket handlers of ASGI apps only (FastAPI, Starlette, Quart, Django "
            "Channels), so a <Connect><Stream> or <Start><Stream> to one opens no socket and "
            "its handler never runs, as for a WebSocket server elsewhere (a <Connect><Stream> "
            "holds the call until its far end hangs up, sim.phone(n).hangs_up(after=...), or "
            "call.close_stream()); to run a handler, route an ASGI app serving it at the "
            "stream's URL (sim.route('wss://agent.test', asgi_app))",
        )
    ]

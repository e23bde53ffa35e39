"""<Connect><Stream> with the app's WebSocket route (FastAPI) run in process: Twilio's
Media Streams messages to it, its media, mark and clear messages, and their timing."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from fastapi import FastAPI, Request, WebSocket, WebSocketDisconnect
from fastapi.responses import Response

from twimlsim import ConfigurationError, Simulator
from twimlsim.signature import compute_signature

from .calls import APP, CALLER, NUMBER, run_call

STREAM = """<Response><Connect action="/after">
  <Stream url="wss://agent.test/media"><Parameter name="caller" value="+15558675310"/></Stream>
</Connect></Response>"""
#: Half a second of mu-law silence, as the app would send it.
HALF_SECOND = base64.b64encode(b"\xff" * 4000).decode()


def stream_app(handler: Callable[[WebSocket, list[Any]], Any], received: list[Any]) -> FastAPI:
    app = FastAPI()

    @app.post("/voice")
    async def voice() -> Response:
        return Response(STREAM, media_type="text/xml")

    @app.post("/after")
    async def after(request: Request) -> Response:
        received.append({"action": dict(await request.form())})
        return Response("<Response><Say>Thanks.</Say></Response>", media_type="text/xml")

    @app.websocket("/media")
    async def media(websocket: WebSocket) -> None:
        received.append({"signature": websocket.headers.get("x-twilio-signature")})
        await websocket.accept()
        await handler(websocket, received)

    return app


async def talking_agent(websocket: WebSocket, received: list[Any]) -> None:
    """Greets with half a second of audio and a mark; hangs up the stream on key 9."""
    try:
        while True:
            message = json.loads(await websocket.receive_text())
            received.append(message)
            sid = message.get("streamSid")
            if message["event"] == "start":
                await websocket.send_json(
                    {"event": "media", "streamSid": sid, "media": {"payload": HALF_SECOND}}
                )
                await websocket.send_json(
                    {"event": "mark", "streamSid": sid, "mark": {"name": "greeting"}}
                )
            elif message["event"] == "dtmf" and message["dtmf"]["digit"] == "1":
                await websocket.send_json({"event": "clear", "streamSid": sid})
            elif message["event"] == "dtmf" and message["dtmf"]["digit"] == "9":
                await websocket.close()
                return
    except WebSocketDisconnect:
        received.append({"disconnected": True})


def test_connected_start_dtmf_mark_echo_and_the_app_closing(sim: Simulator) -> None:
    received: list[Any] = []
    sim.phone(CALLER).presses("1").presses("9")
    call = run_call(sim, stream_app(talking_agent, received))
    (stream,) = call.streams or []
    sid = stream.sid
    assert received[0] == {"signature": compute_signature(sim.auth_token, "wss://agent.test/media")}
    assert received[1:6] == [
        {"event": "connected", "protocol": "Call", "version": "1.0.0"},
        {
            "event": "start",
            "sequenceNumber": "1",
            "start": {
                "accountSid": sim.account_sid,
                "streamSid": sid,
                "callSid": call.sid,
                "tracks": ["inbound"],
                "customParameters": {"caller": "+15558675310"},
                "mediaFormat": {"encoding": "audio/x-mulaw", "sampleRate": 8000, "channels": 1},
            },
            "streamSid": sid,
        },
        # the mark comes back once the half second of audio before it has played
        {"event": "mark", "sequenceNumber": "2", "mark": {"name": "greeting"}, "streamSid": sid},
        {
            "event": "dtmf",
            "sequenceNumber": "3",
            "dtmf": {"track": "inbound_track", "digit": "1"},
            "streamSid": sid,
        },
        {
            "event": "dtmf",
            "sequenceNumber": "4",
            "dtmf": {"track": "inbound_track", "digit": "9"},
            "streamSid": sid,
        },
    ]
    assert [m["event"] for m in stream.app_messages or []] == ["media", "mark", "clear"]
    assert stream.app_messages is not None
    assert stream.app_messages[0]["media"]["payload"] == HALF_SECOND
    assert "action" in received[6]  # the app closed the socket: the <Connect> ended
    assert call.said == ["Thanks."]
    assert sim.failures == []
    # half a second of audio, then two keys of half a second each: 1.5 s
    assert stream.stopped_at is not None
    assert (stream.stopped_at - stream.started_at).total_seconds() == 1.5


def test_a_hang_up_sends_stop_then_closes(sim: Simulator) -> None:
    received: list[Any] = []
    sim.route(APP, stream_app(talking_agent, received))
    sim.phone(CALLER).hangs_up(after=5)
    call = sim.incoming_call(from_=CALLER, to=NUMBER)
    sim.run()
    (stream,) = call.streams or []
    assert received[-2] == {
        "event": "stop",
        "sequenceNumber": "3",
        "stop": {"accountSid": sim.account_sid, "callSid": call.sid},
        "streamSid": stream.sid,
    }
    assert received[-1] == {"disconnected": True}
    assert call.status == "completed"


def test_the_callers_audio_goes_as_20_ms_media_messages(sim: Simulator) -> None:
    received: list[Any] = []
    call = run_call(sim, stream_app(talking_agent, received))
    # the call waits once the agent's half second greeting has played
    assert sim.now - call.streams[0].started_at == timedelta(seconds=0.5)
    call.stream_audio(b"\x7f" * 200).run()
    (stream,) = call.streams or []
    media = [m for m in received if isinstance(m, dict) and m.get("event") == "media"]
    assert media == [
        {
            "event": "media",
            "sequenceNumber": "3",
            "media": {
                "track": "inbound",
                "chunk": "1",
                # milliseconds from the stream's start (Twilio's page; recorded streams'
                # first frames carry "102", "155"...), not from the first frame: 500, not 0
                "timestamp": "500",
                "payload": base64.b64encode(b"\x7f" * 160).decode(),
            },
            "streamSid": stream.sid,
        },
        {
            "event": "media",
            "sequenceNumber": "4",
            "media": {
                "track": "inbound",
                "chunk": "2",
                "timestamp": "520",
                "payload": base64.b64encode(b"\x7f" * 40).decode(),
            },
            "streamSid": stream.sid,
        },
    ]
    call.stream_audio(seconds=0.1).run()
    later = [m["media"] for m in received if m.get("event") == "media"][-5:]
    # the 25 ms before took their time: the next audio starts at 525 ms
    assert [(m["chunk"], m["timestamp"]) for m in later] == [
        ("3", "525"),
        ("4", "545"),
        ("5", "565"),
        ("6", "585"),
        ("7", "605"),
    ]


def test_an_unsupported_message_is_31924(sim: Simulator) -> None:
    async def chatty(websocket: WebSocket, received: list[Any]) -> None:
        await websocket.receive_text()  # connected
        await websocket.receive_text()  # start
        await websocket.send_json({"event": "text", "token": "hi"})
        await websocket.receive_text()

    received: list[Any] = []
    call = run_call(sim, stream_app(chatty, received))
    (failure,) = sim.failures
    assert (failure.code, failure.element) == (31924, "Stream")
    assert failure.message == (
        "the app sent a message a bidirectional stream cannot act on (its event 'text' is "
        'none of media, mark, clear): {"event":"text","token":"hi"}; it was dropped. Send '
        "media, mark and clear messages"
    )
    assert call.waiting_for is not None and call.waiting_for.verb == "Connect"


def test_a_refused_handshake_is_31920_and_the_connect_ends(sim: Simulator) -> None:
    async def never(websocket: WebSocket, received: list[Any]) -> None:
        raise AssertionError("not reached")

    app = stream_app(never, [])
    app.router.routes = [r for r in app.router.routes if getattr(r, "path", "") != "/media"]

    @app.websocket("/media")
    async def refuse(websocket: WebSocket) -> None:
        await websocket.close()

    call = run_call(sim, app)
    (failure,) = sim.failures
    assert failure.code == 31920
    assert failure.message == (
        "the app's WebSocket at wss://agent.test/media did not accept the stream: its "
        "handler closed the connection before accepting it (HTTP 403); the stream ended at "
        "once"
    )
    assert call.said == ["Thanks."]


def test_stream_audio_needs_an_open_stream(sim: Simulator) -> None:
    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "text/xml")])
        return [STREAM.encode()]

    # WSGI: the call is held, nothing is opened
    call = run_call(sim, app)
    with pytest.raises(ConfigurationError) as refused:
        call.stream_audio(seconds=1)
    assert str(refused.value) == (
        f"call.stream_audio(...): call {call.sid} has no media stream whose WebSocket "
        "twimlsim opened, neither a <Start><Stream> streaming nor a <Connect><Stream> it "
        "waits in (status in-progress, waiting at a <Connect>); only a stream to an ASGI "
        "app routed in process (sim.route) has one: run the call with call.run() until its "
        "<Start><Stream> has run or call.waiting_for.verb == 'Connect'"
    )
    assert call.streams is not None and call.streams[0].app_messages is None


def test_media_without_the_streams_sid_is_31924(sim: Simulator) -> None:
    async def early(websocket: WebSocket, received: list[Any]) -> None:
        await websocket.receive_text()  # connected
        await websocket.send_json({"event": "media", "media": {"payload": HALF_SECOND}})
        await websocket.receive_text()  # start
        await websocket.receive_text()

    call = run_call(sim, stream_app(early, []))
    (failure,) = sim.failures
    assert failure.code == 31924
    sent = json.dumps({"event": "media", "media": {"payload": HALF_SECOND}}, separators=(",", ":"))
    assert failure.message == (
        "the app sent a message a bidirectional stream cannot act on (its streamSid is "
        f"None, not the stream's {call.streams[0].sid!r}: take it from the start message): "
        f"{sent[:200]}; it was dropped. Send media, mark and clear messages"
    )
    assert call.streams[0].app_messages is None


def test_stream_audio_refuses_what_is_not_audio(sim: Simulator) -> None:
    call = run_call(sim, stream_app(talking_agent, []))
    with pytest.raises(TypeError) as text:
        call.stream_audio("silence")  # type: ignore[arg-type]
    assert str(text.value) == (
        "call.stream_audio(payload) takes the audio as mu-law bytes (8000 a second, no file "
        "header); got str"
    )
    for given in (0, float("nan"), float("inf"), 14_401):
        with pytest.raises(TypeError) as seconds:
            call.stream_audio(seconds=given)
        assert str(seconds.value) == (
            "call.stream_audio(seconds=...) takes a positive number of seconds of silence, at "
            f"most 14,400 (a call's longest, four hours); got {given!r}"
        )


def test_a_frame_sent_after_the_handler_closed_is_refused_in_uvicorn_s_words(
    sim: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    # a raw ASGI app (Starlette's WebSocket refuses it itself): uvicorn raises this error
    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            await receive()
            headers = [(b"content-type", b"text/xml")]
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            body = STREAM if scope["path"] == "/voice" else "<Response/>"
            await send({"type": "http.response.body", "body": body.encode()})
        elif scope["type"] == "websocket":
            await receive()
            await send({"type": "websocket.accept"})
            await send({"type": "websocket.close", "code": 1000})
            await send({"type": "websocket.send", "text": "late"})

    sim.route(APP, app)
    sim.incoming_call(from_=CALLER, to=NUMBER).run()
    (record,) = [r for r in caplog.records if r.name == "twimlsim.asgi"]
    assert record.exc_info is not None
    assert str(record.exc_info[1]) == (
        "Unexpected ASGI message 'websocket.send', after sending 'websocket.close' or response "
        "already completed."
    )


def raw_stream_app(handler: Callable[[Any, Any], Any]) -> Callable[..., Any]:
    """A raw ASGI app answering STREAM, its WebSocket handled by ``handler(receive, send)``
    (as Django Channels' consumers run: no Starlette route, a loop of receives)."""

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            await receive()
            headers = [(b"content-type", b"text/xml")]
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            body = (
                STREAM if scope["path"] == "/voice" else "<Response><Say>Thanks.</Say></Response>"
            )
            await send({"type": "http.response.body", "body": body.encode()})
        elif scope["type"] == "websocket":
            await handler(receive, send)

    return app


def test_a_handler_that_closed_the_socket_hears_the_disconnect_on_its_next_receive(
    sim: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    """A Channels consumer closes the socket and reads on until the server's disconnect, as
    uvicorn and daphne send it: without one it waited for ever, and stopping the simulator
    cancelled it with a warning about work lost."""
    heard: list[dict[str, Any]] = []

    async def consumer(receive: Any, send: Any) -> None:
        while True:
            message = await receive()
            heard.append(message)
            if message["type"] == "websocket.connect":
                await send({"type": "websocket.accept"})
            elif message["type"] == "websocket.disconnect":
                for _ in range(50):  # a consumer unwinds over a few turns of the loop
                    await asyncio.sleep(0)
                heard.append({"type": "unwound"})
                return
            elif json.loads(message["text"])["event"] == "start":
                await send({"type": "websocket.close", "code": 4000})

    sim.route(APP, raw_stream_app(consumer))
    call = sim.incoming_call(from_=CALLER, to=NUMBER)
    call.run()
    sim.stop()
    assert [message["type"] for message in heard] == [
        "websocket.connect",
        "websocket.receive",
        "websocket.receive",
        "websocket.disconnect",
        "unwound",
    ]
    assert heard[-2] == {"type": "websocket.disconnect", "code": 4000}
    assert (call.said, [r.message for r in caplog.records if r.name == "twimlsim.asgi"]) == (
        ["Thanks."],
        [],
    )


def test_a_handler_still_running_when_the_simulator_stops_is_named_by_its_path(
    sim: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    async def stuck(receive: Any, send: Any) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.close", "code": 1000})
        await asyncio.Event().wait()  # waits on something of its own, never set

    sim.route(APP, raw_stream_app(stuck))
    sim.incoming_call(from_=CALLER, to=NUMBER).run()
    sim.stop()
    (record,) = [r for r in caplog.records if r.name == "twimlsim.asgi"]
    assert record.getMessage().startswith(
        "the ASGI app still ran its WebSocket handler at /media when the simulator stopped; "
    )


def test_an_internationalised_host_and_an_encoded_path_reach_the_route(sim: Simulator) -> None:
    # as a client connects: the host IDNA-encoded (as webhooks'), the path decoded in scope
    twiml = STREAM.replace("wss://agent.test/media", "wss://bücher.test/live%20media")
    seen: list[Any] = []
    app = FastAPI()

    @app.post("/voice")
    async def voice() -> Response:
        return Response(twiml, media_type="text/xml")

    @app.websocket("/live media")
    async def media(websocket: WebSocket) -> None:
        scope = websocket.scope
        seen.append((websocket.headers["host"], scope["path"], scope["raw_path"]))
        await websocket.accept()
        with contextlib.suppress(WebSocketDisconnect):
            while True:
                await websocket.receive_text()

    sim.number(NUMBER, voice_url="https://bücher.test/voice")
    sim.route("https://bücher.test", app)
    call = sim.incoming_call(from_=CALLER, to=NUMBER)
    call.run()
    assert seen == [("xn--bcher-kva.test", "/live media", b"/live%20media")]
    assert call.waiting_for is not None and call.waiting_for.input == ("speech", "dtmf")

"""<Start><Stream> (and the REST Streams subresource) with the app's WebSocket route
(FastAPI) run in process: Twilio's unidirectional Media Streams messages to it while the
TwiML runs on, and its own messages ignored."""

from __future__ import annotations

import base64
import contextlib
import json
from datetime import timedelta
from typing import Any

import pytest
from fastapi import FastAPI, Request, WebSocket, WebSocketDisconnect
from fastapi.responses import Response

from twimlsim import ConfigurationError, SimulationError, Simulator
from twimlsim.engine.events import StreamStarted, StreamStopped
from twimlsim.signature import compute_signature

from .calls import APP, CALLER, NUMBER

FORK = """<Response>
  <Start><Stream url="wss://agent.test/fork" name="listen" track="{track}"
    statusCallback="/stream-events">
    <Parameter name="caller" value="+15558675310"/><Parameter name="lang" value="en"/>
  </Stream></Start>
  <Say>Welcome.</Say>
  <Gather input="dtmf" numDigits="1" action="/menu"><Say>Press 1.</Say></Gather>
</Response>"""
MENU = """<Response><Stop><Stream name="listen"/></Stop><Say>Goodbye.</Say></Response>"""


def fork_app(
    received: list[Any], *, track: str = "inbound_track", talks: bool = False, without: str = ""
) -> FastAPI:
    """The app: its voice and menu webhooks, its stream callback and its fork socket, less
    the route at ``without`` (which a test then writes itself)."""
    app = FastAPI()

    @app.post("/voice")
    async def voice() -> Response:
        return Response(FORK.format(track=track), media_type="text/xml")

    @app.post("/menu")
    async def menu(request: Request) -> Response:
        received.append({"menu": (await request.form())["Digits"]})
        return Response(MENU, media_type="text/xml")

    @app.post("/stream-events")
    async def stream_events(request: Request) -> Response:
        received.append({"callback": (await request.form())["StreamEvent"]})
        return Response("", status_code=204)

    @app.websocket("/fork")
    async def fork(websocket: WebSocket) -> None:
        received.append({"signature": websocket.headers.get("x-twilio-signature")})
        await websocket.accept()
        try:
            while True:
                message = json.loads(await websocket.receive_text())
                received.append(message)
                if talks and message["event"] == "start":  # as a bidirectional agent would
                    sid = message["streamSid"]
                    await websocket.send_json(
                        {"event": "media", "streamSid": sid, "media": {"payload": "/w=="}}
                    )
                    await websocket.send_text("not json")
        except WebSocketDisconnect:
            received.append({"disconnected": True})

    app.router.routes = [r for r in app.router.routes if getattr(r, "path", "") != without]
    return app


def start_call(sim: Simulator, app: FastAPI) -> Any:
    sim.route(APP, app)
    call = sim.incoming_call(from_=CALLER, to=NUMBER)
    call.run()
    return call


def events(received: list[Any]) -> list[str]:
    return [next(iter(m)) if "event" not in m else m["event"] for m in received]


def start_message(
    sim: Simulator, call: Any, sid: str, tracks: list[str], parameters: dict[str, str]
) -> dict[str, Any]:
    """Twilio's ``start`` message of the stream ``sid`` (always the first numbered)."""
    return {
        "event": "start",
        "sequenceNumber": "1",
        "start": {
            "accountSid": sim.account_sid,
            "streamSid": sid,
            "callSid": call.sid,
            "tracks": tracks,
            "customParameters": parameters,
            "mediaFormat": {"encoding": "audio/x-mulaw", "sampleRate": 8000, "channels": 1},
        },
        "streamSid": sid,
    }


def stop_message(sim: Simulator, call: Any, sid: str, sequence: int) -> dict[str, Any]:
    """Twilio's ``stop`` message of the stream ``sid``, numbered ``sequence``."""
    return {
        "event": "stop",
        "sequenceNumber": str(sequence),
        "stop": {"accountSid": sim.account_sid, "callSid": call.sid},
        "streamSid": sid,
    }


def test_the_socket_opens_the_twiml_runs_on_and_stop_ends_it(sim: Simulator) -> None:
    received: list[Any] = []
    call = start_call(sim, fork_app(received))
    (stream,) = call.streams or []
    sid = stream.sid
    assert received == [
        {"callback": "stream-started"},
        {"signature": compute_signature(sim.auth_token, "wss://agent.test/fork")},
        {"event": "connected", "protocol": "Call", "version": "1.0.0"},
        start_message(sim, call, sid, ["inbound"], {"caller": "+15558675310", "lang": "en"}),
    ]
    # the TwiML went on: the call waits in the <Gather>, its prompts said
    assert call.said == ["Welcome.", "Press 1."]
    assert call.waiting_for is not None and call.waiting_for.verb == "Gather"
    received.clear()
    call.press("1").run()  # no dtmf message on a unidirectional stream
    assert received == [
        {"menu": "1"},
        stop_message(sim, call, sid, 2),
        {"disconnected": True},
        {"callback": "stream-stopped"},
    ]
    assert call.said == ["Welcome.", "Press 1.", "Goodbye."]
    assert call.status == "completed"
    assert stream.app_messages is None
    assert call.stream_sockets == {}
    assert sim.failures == []


def test_the_callers_audio_is_timed_from_the_streams_start(sim: Simulator) -> None:
    received: list[Any] = []
    call = start_call(sim, fork_app(received, track="both_tracks"))
    (stream,) = call.streams or []
    assert received[3]["start"]["tracks"] == ["inbound", "outbound"]
    received.clear()
    # the call waits in the <Gather> after "Welcome." (1 s) and "Press 1." (1 s)
    assert (sim.now - stream.started_at).total_seconds() == 2
    call.stream_audio(b"\x7f" * 200)  # sent at once: nothing to run
    call.stream_audio(seconds=0.02)  # goes on where that audio ended, 25 ms after 2 s
    assert received == [
        {
            "event": "media",
            "sequenceNumber": "2",
            "media": {
                "track": "inbound",
                "chunk": "1",
                "timestamp": "2000",
                "payload": base64.b64encode(b"\x7f" * 160).decode(),
            },
            "streamSid": stream.sid,
        },
        {
            "event": "media",
            "sequenceNumber": "3",
            "media": {
                "track": "inbound",
                "chunk": "2",
                "timestamp": "2020",
                "payload": base64.b64encode(b"\x7f" * 40).decode(),
            },
            "streamSid": stream.sid,
        },
        {
            "event": "media",
            "sequenceNumber": "4",
            "media": {
                "track": "inbound",
                "chunk": "3",
                "timestamp": "2025",
                "payload": base64.b64encode(b"\xff" * 160).decode(),
            },
            "streamSid": stream.sid,
        },
    ]
    # the clock did not move and the <Gather> still waits
    assert (sim.now - stream.started_at).total_seconds() == 2
    assert call.waiting_for is not None and call.waiting_for.verb == "Gather"
    assert sim.failures == []


def test_an_outbound_track_takes_none_of_the_callers_audio(sim: Simulator) -> None:
    received: list[Any] = []
    call = start_call(sim, fork_app(received, track="outbound_track"))
    (stream,) = call.streams or []
    assert received[3]["start"]["tracks"] == ["outbound"]
    with pytest.raises(ConfigurationError) as refused:
        call.stream_audio(seconds=1)
    assert str(refused.value) == (
        f"call.stream_audio(...): call {call.sid}'s open streams ({stream.sid}) carry "
        "Twilio's audio only (track=\"outbound_track\"), not the caller's, and twimlsim "
        'makes no audio of its own; stream the caller with track="inbound_track" or '
        '"both_tracks"'
    )


def test_the_apps_messages_are_ignored_kept_and_31924_once(sim: Simulator) -> None:
    received: list[Any] = []
    call = start_call(sim, fork_app(received, talks=True))
    (stream,) = call.streams or []
    assert stream.app_messages == [
        {"event": "media", "streamSid": stream.sid, "media": {"payload": "/w=="}}
    ]
    sent = json.dumps(
        {"event": "media", "streamSid": stream.sid, "media": {"payload": "/w=="}},
        separators=(",", ":"),
    )
    # Twilio's 31924 page: "If you started a unidirectional Stream with <Start><Stream>, do
    # not send audio or control messages back to Twilio"; said once, the call going on
    assert [(f.code, f.level, f.element, f.message) for f in sim.failures] == [
        (
            31924,
            "error",
            "Stream",
            f"the app sent a message on the unidirectional stream {stream.sid} "
            f"(wss://agent.test/fork): {sent}; it was ignored, as are the ones after it "
            "(said once a stream): only a <Connect><Stream> takes the app's media, mark and "
            "clear messages, so send none on a <Start><Stream>",
        )
    ]
    # nothing was played: the TwiML's prompts took their own time only
    assert call.said == ["Welcome.", "Press 1."]
    assert (sim.now - stream.started_at).total_seconds() == 2


def test_a_hang_up_sends_stop_before_the_completed_callback(sim: Simulator) -> None:
    received: list[Any] = []
    sim.phone(CALLER).hangs_up(after=1)
    call = start_call(sim, fork_app(received))
    (stream,) = call.streams or []
    assert received[4:] == [
        stop_message(sim, call, stream.sid, 2),
        {"disconnected": True},
        {"callback": "stream-stopped"},
    ]
    assert events(received)[:4] == ["callback", "signature", "connected", "start"]
    assert call.status == "completed"
    assert stream.stopped_at == stream.started_at + timedelta(seconds=1)


def test_the_rest_api_starts_and_stops_a_stream(sim: Simulator) -> None:
    received: list[Any] = []
    call = start_call(sim, fork_app(received))
    received.clear()
    client = sim.client()
    made = client.calls(call.sid).streams.create(
        url="wss://agent.test/fork",
        name="rest",
        track="both_tracks",
        parameter1_name="source",
        parameter1_value="api",
    )
    assert received[1:] == [
        {"event": "connected", "protocol": "Call", "version": "1.0.0"},
        start_message(sim, call, made.sid, ["inbound", "outbound"], {"source": "api"}),
    ]
    received.clear()
    client.calls(call.sid).streams("rest").update(status="stopped")
    assert received == [
        stop_message(sim, call, made.sid, 2),
        {"disconnected": True},
    ]
    assert sorted(call.stream_sockets or {}) == [call.streams[0].sid]


def test_a_refused_handshake_is_31920_and_the_stream_stops(sim: Simulator) -> None:
    received: list[Any] = []
    app = fork_app(received, without="/fork")

    @app.websocket("/fork")
    async def refuse(websocket: WebSocket) -> None:
        await websocket.close()

    call = start_call(sim, app)
    (stream,) = call.streams or []
    (failure,) = sim.failures
    assert (failure.code, failure.element, failure.line) == (31920, "Stream", 2)
    assert failure.url == f"{APP}/voice"
    assert failure.message == (
        f"the app's WebSocket at wss://agent.test/fork did not accept the stream {stream.sid}: "
        "its handler closed the connection before accepting it (HTTP 403); the stream "
        "stopped at once and the call went on"
    )
    assert received == [{"callback": "stream-started"}, {"callback": "stream-stopped"}]
    assert stream.stopped_at == stream.started_at
    assert call.said == ["Welcome.", "Press 1."]


def test_the_app_closing_the_socket_stops_the_stream(sim: Simulator) -> None:
    received: list[Any] = []
    app = fork_app(received, without="/fork")

    @app.websocket("/fork")
    async def short(websocket: WebSocket) -> None:
        await websocket.accept()
        await websocket.receive_text()  # connected
        await websocket.receive_text()  # start
        await websocket.close()

    call = start_call(sim, app)
    (stream,) = call.streams or []
    assert received == [{"callback": "stream-started"}, {"callback": "stream-stopped"}]
    assert stream.stopped_at == stream.started_at
    lines = [e for e in call.transcript if isinstance(e, StreamStarted | StreamStopped)]
    parameters = (("caller", "+15558675310"), ("lang", "en"))
    assert lines == [
        StreamStarted(
            stream.started_at, "wss://agent.test/fork", "listen", "inbound_track", parameters
        ),
        # the app's server closing its socket stops it, a line of its own
        StreamStopped(stream.started_at, "wss://agent.test/fork", "listen", 0),
    ]
    assert call.stream_sockets == {}
    assert sim.failures == []
    with pytest.raises(ConfigurationError) as refused:
        call.stream_audio(seconds=1)
    assert str(refused.value) == (
        f"call.stream_audio(...): call {call.sid} has no media stream whose WebSocket "
        "twimlsim opened, neither a <Start><Stream> streaming nor a <Connect><Stream> it "
        "waits in (status in-progress, waiting at a <Gather>); only a stream to an ASGI app "
        "routed in process (sim.route) has one: run the call with call.run() until its "
        "<Start><Stream> has run or call.waiting_for.verb == 'Connect'"
    )


def test_the_handler_stopping_its_own_stream_through_the_rest_api(sim: Simulator) -> None:
    # its REST request comes while it runs on its event loop: the stop and the close are
    # done once it waits again, at the same instant
    received: list[Any] = []
    app = fork_app(received, without="/fork")
    client = sim.client()

    @app.websocket("/fork")
    async def stops_itself(websocket: WebSocket) -> None:
        await websocket.accept()
        with contextlib.suppress(WebSocketDisconnect):
            while True:
                message = json.loads(await websocket.receive_text())
                received.append(message["event"])
                if message["event"] == "media":
                    stream_sid = message["streamSid"]
                    call_sid = next(iter(sim.calls))
                    client.calls(call_sid).streams(stream_sid).update(status="stopped")

    call = start_call(sim, app)
    call.stream_audio(seconds=0.02)  # done before it returns, at this instant
    assert received == [
        {"callback": "stream-started"},
        "connected",
        "start",
        "media",
        "stop",
        {"callback": "stream-stopped"},
    ]
    assert sim.failures == []


def test_a_transcriber_redirects_the_call_and_its_stream_goes_on(sim: Simulator) -> None:
    # a real-time transcriber on the fork hands the call to an agent through the REST API:
    # the new TwiML runs, the stream (not the document's) keeps streaming
    seen: list[str] = []
    app = fork_app([], without="/fork")
    client = sim.client()

    @app.post("/agent")
    async def agent() -> Response:
        return Response("<Response><Say>An agent.</Say></Response>", media_type="text/xml")

    @app.websocket("/fork")
    async def transcriber(websocket: WebSocket) -> None:
        await websocket.accept()
        with contextlib.suppress(WebSocketDisconnect):
            while True:
                message = json.loads(await websocket.receive_text())
                seen.append(f"{message['event']} {message.get('sequenceNumber', '-')}")
                if message["event"] == "media" and message["media"]["chunk"] == "1":
                    client.calls(next(iter(sim.calls))).update(url=f"{APP}/agent")

    call = start_call(sim, app)
    call.stream_audio(seconds=0.04)  # the redirect is done before it returns
    assert call.said == ["Welcome.", "Press 1.", "An agent."]
    assert call.requests[-1].kind == "update"
    call.run()
    (stream,) = call.streams or []
    assert seen == ["connected -", "start 1", "media 2", "media 3", "stop 4"]
    # it streamed until the call ended, after the agent's words (1 s)
    assert stream.stopped_at is not None
    assert (stream.stopped_at - stream.started_at).total_seconds() == 3
    assert sim.failures == []


def test_a_fork_beside_a_connect_stream_hears_the_caller_too(sim: Simulator) -> None:
    twiml = """<Response>
      <Start><Stream url="wss://agent.test/fork"/></Start>
      <Connect><Stream url="wss://agent.test/agent"/></Connect>
    </Response>"""
    heard: list[tuple[str, str, str]] = []
    app = FastAPI()

    @app.post("/voice")
    async def voice() -> Response:
        return Response(twiml, media_type="text/xml")

    async def listen(websocket: WebSocket, name: str) -> None:
        await websocket.accept()
        with contextlib.suppress(WebSocketDisconnect):
            while True:
                message = json.loads(await websocket.receive_text())
                if message["event"] == "media":
                    media = message["media"]
                    heard.append((name, media["chunk"], media["timestamp"]))

    @app.websocket("/fork")
    async def fork(websocket: WebSocket) -> None:
        await listen(websocket, "fork")

    @app.websocket("/agent")
    async def agent(websocket: WebSocket) -> None:
        await listen(websocket, "agent")

    call = start_call(sim, app)
    assert call.waiting_for is not None and call.waiting_for.verb == "Connect"
    call.stream_audio(seconds=0.04)
    assert heard == [("fork", "1", "0"), ("fork", "2", "20")]  # at once
    call.run()  # the <Connect><Stream>'s copy goes as the call runs, its 40 ms passing
    assert heard[2:] == [("agent", "1", "0"), ("agent", "2", "20")]
    assert sim.failures == []


def test_a_wsgi_app_takes_no_socket_and_the_stream_is_kept_as_before(sim: Simulator) -> None:
    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "text/xml")])
        path = environ["PATH_INFO"]
        return [b"" if path == "/stream-events" else FORK.format(track="inbound_track").encode()]

    call = start_call(sim, app)  # type: ignore[arg-type]
    (stream,) = call.streams or []
    assert (stream.status, stream.app_messages, call.stream_sockets) == ("in-progress", None, None)
    with pytest.raises(ConfigurationError) as refused:
        call.stream_audio(seconds=1)
    assert str(refused.value) == (
        f"call.stream_audio(...): call {call.sid} has no media stream whose WebSocket "
        "twimlsim opened, neither a <Start><Stream> streaming nor a <Connect><Stream> it "
        "waits in (status in-progress, waiting at a <Gather>); only a stream to an ASGI app "
        "routed in process (sim.route) has one: run the call with call.run() until its "
        "<Start><Stream> has run or call.waiting_for.verb == 'Connect'"
    )


def test_a_handler_that_raises_fails_the_call_and_stops_the_stream(
    sim: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    received: list[Any] = []
    app = fork_app(received, without="/fork")

    @app.websocket("/fork")
    async def broken(websocket: WebSocket) -> None:
        await websocket.accept()
        await websocket.receive_text()  # connected
        raise RuntimeError("no transcriber configured")

    call = start_call(sim, app)
    (stream,) = call.streams or []
    (failure,) = sim.failures
    assert (failure.code, failure.element, failure.line) == (None, "Stream", 2)
    assert failure.message == (
        f"the app's WebSocket handler for the stream {stream.sid} (wss://agent.test/fork) "
        "failed: it raised RuntimeError: no transcriber configured; the stream stopped "
        "(stream-stopped) and the call went on"
    )
    assert received == [{"callback": "stream-started"}, {"callback": "stream-stopped"}]
    assert stream.stopped_at == stream.started_at
    assert call.said == ["Welcome.", "Press 1."]


def test_stop_without_a_name_stops_every_fork(sim: Simulator) -> None:
    twiml = """<Response>
      <Start><Stream url="wss://agent.test/fork" name="a"/></Start>
      <Start><Stream url="wss://agent.test/fork" name="b" track="both_tracks"/></Start>
      <Pause length="2"/>
      <Stop><Stream/></Stop>
      <Pause length="1"/>
    </Response>"""
    seen: list[tuple[str, str]] = []
    app = FastAPI()

    @app.post("/voice")
    async def voice() -> Response:
        return Response(twiml, media_type="text/xml")

    @app.websocket("/fork")
    async def fork(websocket: WebSocket) -> None:
        await websocket.accept()
        with contextlib.suppress(WebSocketDisconnect):
            while True:
                message = json.loads(await websocket.receive_text())
                seen.append((message.get("streamSid", "-"), message["event"]))

    call = start_call(sim, app)
    a, b = call.streams or []
    assert seen == [
        ("-", "connected"),
        (a.sid, "start"),
        ("-", "connected"),
        (b.sid, "start"),
        (a.sid, "stop"),
        (b.sid, "stop"),
    ]
    assert [a.stopped_at, b.stopped_at] == [a.started_at + timedelta(seconds=2)] * 2
    assert call.status == "completed"


def test_a_stream_the_apps_webhook_starts_opens_once_it_has_answered(sim: Simulator) -> None:
    # its async handler calls the REST API on its event loop: the socket opens after it
    # returns, at the same instant, before the TwiML it answered runs
    received: list[Any] = []
    app = fork_app(received, without="/menu")
    client = sim.client()

    @app.post("/menu")
    async def menu(request: Request) -> Response:
        call_sid = str((await request.form())["CallSid"])
        client.calls(call_sid).streams.create(url="wss://agent.test/fork", name="second")
        received.append("created")
        return Response("<Response><Say>Noted.</Say></Response>", media_type="text/xml")

    call = start_call(sim, app)
    received.clear()
    call.press("2").run()
    first, second = call.streams or []
    assert received == [
        "created",
        {"signature": compute_signature(sim.auth_token, "wss://agent.test/fork")},
        {"event": "connected", "protocol": "Call", "version": "1.0.0"},
        start_message(sim, call, second.sid, ["inbound"], {}),
        # "Noted." (1 s), then the call ends: each stream stops, the first reporting it
        stop_message(sim, call, first.sid, 2),
        {"disconnected": True},
        {"callback": "stream-stopped"},
        stop_message(sim, call, second.sid, 2),
        {"disconnected": True},
    ]
    assert second.started_at == first.started_at + timedelta(seconds=2)
    assert second.stopped_at == second.started_at + timedelta(seconds=1)
    assert sim.failures == []


def test_a_refused_handshake_fails_a_strict_test_naming_the_stream() -> None:
    app = fork_app([], without="/fork")

    @app.websocket("/fork")
    async def refuse(websocket: WebSocket) -> None:
        await websocket.close()

    with Simulator() as strict:
        strict.number(NUMBER, voice_url=f"{APP}/voice")
        strict.route(APP, app)
        call = strict.incoming_call(from_=CALLER, to=NUMBER)
        with pytest.raises(SimulationError) as failed:
            call.run()
        (stream,) = call.streams or []
        assert str(failed.value).splitlines()[1] == (
            f"  call {call.sid}: Twilio error 31920 (Stream - WebSocket - Handshake Error) at "
            f"{APP}/voice in <Stream> (line 2): the "
            f"app's WebSocket at wss://agent.test/fork did not accept the stream {stream.sid}: "
            "its handler closed the connection before accepting it (HTTP 403); the stream "
            "stopped at once and the call went on [https://www.twilio.com/docs/errors/31920]"
        )


def test_a_rest_stream_refused_is_31920_without_a_document(sim: Simulator) -> None:
    app = fork_app([])

    @app.websocket("/closed")
    async def refuse(websocket: WebSocket) -> None:
        await websocket.close()

    call = start_call(sim, app)
    made = sim.client().calls(call.sid).streams.create(url="wss://agent.test/closed")
    (failure,) = sim.failures
    assert (failure.code, failure.url, failure.element, failure.line) == (31920, None, None, None)
    assert failure.message == (
        f"the app's WebSocket at wss://agent.test/closed did not accept the stream {made.sid}: "
        "its handler closed the connection before accepting it (HTTP 403); the stream "
        "stopped at once and the call went on"
    )
    assert call.streams is not None and call.streams[1].status == "stopped"


def test_audio_after_a_key_given_by_hand_leaves_the_key_to_the_run(sim: Simulator) -> None:
    received: list[Any] = []
    call = start_call(sim, fork_app(received))
    received.clear()
    call.press("1")
    call.stream_audio(seconds=0.02)
    assert [m.get("event") for m in received] == ["media"]  # the <Gather> has not run on
    assert call.said == ["Welcome.", "Press 1."]
    call.run()
    assert received[1] == {"menu": "1"}
    assert (received[2]["event"], received[2]["sequenceNumber"]) == ("stop", "3")
    assert call.said == ["Welcome.", "Press 1.", "Goodbye."]


def test_the_messages_are_written_as_twilio_writes_them(sim: Simulator) -> None:
    texts: list[str] = []
    app = fork_app([], without="/fork")

    @app.websocket("/fork")
    async def raw(websocket: WebSocket) -> None:
        await websocket.accept()
        with contextlib.suppress(WebSocketDisconnect):
            while True:
                texts.append(await websocket.receive_text())

    call = start_call(sim, app)
    call.stream_audio(b"\xff" * 160)
    call.hangup()
    call.run()
    (stream,) = call.streams or []
    wire = [
        '{"event":"connected","protocol":"Call","version":"1.0.0"}',
        '{"event":"start","sequenceNumber":"1","start":{"accountSid":"AC_","streamSid":"MZ_",'
        '"callSid":"CA_","tracks":["inbound"],"mediaFormat":{"encoding":"audio/x-mulaw",'
        '"sampleRate":8000,"channels":1},"customParameters":{"caller":"+15558675310",'
        '"lang":"en"}},"streamSid":"MZ_"}',
        '{"event":"media","sequenceNumber":"2","media":{"track":"inbound","chunk":"1",'
        '"timestamp":"2000","payload":"SILENCE"},"streamSid":"MZ_"}',
        '{"event":"stop","sequenceNumber":"3","streamSid":"MZ_","stop":{"accountSid":"AC_",'
        '"callSid":"CA_"}}',
    ]
    silence = base64.b64encode(b"\xff" * 160).decode()
    assert texts == [
        text.replace("AC_", sim.account_sid)
        .replace("MZ_", stream.sid)
        .replace("CA_", call.sid)
        .replace("SILENCE", silence)
        for text in wire
    ]

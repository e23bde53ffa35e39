"""WebSocket handlers that misbehave in ways that would run on without end: each is told,
and the call goes on."""

from __future__ import annotations

import asyncio
import base64
import json
from datetime import timedelta
from typing import Any

import pytest
from fastapi import FastAPI, WebSocket, WebSocketDisconnect
from fastapi.responses import Response

from twimlsim import Simulator
from twimlsim.engine import started_at_once
from twimlsim.engine.events import Said
from twimlsim.transports.timing import LIFT_THE_LIMIT, wall_seconds

from .calls import APP, CALLER, NUMBER, run_call
from .test_conversation_relay import echo_agent, relay_app, said_hello_to
from .test_media_stream_socket import stream_app


def test_an_app_answering_each_error_message_with_another_bad_one_is_stopped(
    sim: Simulator,
) -> None:
    """Its error handling sends each of Twilio's error messages back (as Twilio's 64107
    page warns against): the exchange recursed until RecursionError escaped call.run();
    Twilio's ten malformed messages in a row end it."""

    async def sends_errors_back(websocket: WebSocket, received: list[dict[str, Any]]) -> None:
        await websocket.receive_text()  # setup
        try:
            while True:
                received.append(json.loads(await websocket.receive_text()))
                await websocket.send_text("oops")
        except WebSocketDisconnect:
            received.append({"disconnected": True})

    received: list[dict[str, Any]] = []
    call = said_hello_to(sim, sends_errors_back, received)
    error = {"type": "error", "description": "Invalid message received: oops"}
    assert received[1:-1] == [
        {"type": "prompt", "voicePrompt": "hello", "lang": "en-US", "last": True},
        *[error] * 9,
        {"disconnected": True},
    ]
    bad = (
        64107,
        "the app sent a message ConversationRelay cannot act on (not JSON): oops; it was "
        "dropped and the session went on. Send JSON messages of type text, play, sendDigits, "
        "language or end",
    )
    assert [(failure.code, failure.message) for failure in sim.failures] == [
        *[bad] * 10,
        (
            64105,
            "the app sent 10 messages in a row ConversationRelay cannot act on: Twilio closed "
            'the socket (code 1007, "Too many consecutive malformed messages") and the '
            "session ended; send JSON messages of type text, play, sendDigits, language or end",
        ),
    ]
    assert received[-1]["action"]["SessionStatus"] == "failed"
    assert call.said == ["Hi! How can I help?", "Goodbye."]


def mark_answering(chunk: bytes, chunks: int) -> Any:
    """A stream handler answering ``start`` and each mark's echo with ``chunk`` of audio
    (none when empty) and a mark, ``chunks`` times; what it heard last is kept."""

    async def handler(websocket: WebSocket, received: list[Any]) -> None:
        sent = 0
        try:
            while True:
                message = json.loads(await websocket.receive_text())
                received.append(message)
                sid = message.get("streamSid")
                if message["event"] in ("start", "mark") and sent < chunks:
                    sent += 1
                    if chunk:
                        payload = base64.b64encode(chunk).decode()
                        media = {"event": "media", "streamSid": sid, "media": {"payload": payload}}
                        await websocket.send_json(media)
                    mark = {"event": "mark", "streamSid": sid, "mark": {"name": f"m{sent}"}}
                    await websocket.send_json(mark)
        except WebSocketDisconnect:
            received.append({"disconnected": sent})

    return handler


def test_an_app_pacing_its_audio_by_the_echoes_of_its_marks_plays_it_all(
    sim: Simulator,
) -> None:
    received: list[Any] = []
    call = run_call(sim, stream_app(mark_answering(b"\xff" * 160, 1500), received))
    marks = [message["mark"]["name"] for message in received if message.get("event") == "mark"]
    assert marks == [f"m{n}" for n in range(1, 1501)]
    assert call.record.start_time is not None
    assert sim.now - call.record.start_time == timedelta(seconds=30)  # 1500 x 20 ms
    assert list(sim.failures) == []


def test_an_app_answering_each_mark_echo_with_a_bare_mark_is_stopped(sim: Simulator) -> None:
    received: list[Any] = []
    call = run_call(sim, stream_app(mark_answering(b"", 5000), received))
    marks = [message["mark"]["name"] for message in received if message.get("event") == "mark"]
    assert marks == [f"m{n}" for n in range(1, 1001)]
    assert sim.now == call.record.start_time
    assert [(failure.code, failure.element, failure.message) for failure in sim.failures] == [
        (
            None,
            "Stream",
            "the app answered 1000 mark echoes in a row with another mark and no audio "
            "before it: on Twilio the two would trade marks without end, no time passing. "
            "Send a mark after the media it marks; twimlsim stopped echoing them and the "
            "stream went on",
        )
    ]
    assert call.status == "in-progress"


def test_a_handler_sending_without_end_is_told_at_the_limit_and_stops_with_the_call() -> None:
    async def flooding(websocket: WebSocket, received: list[dict[str, Any]]) -> None:
        await websocket.receive_text()  # setup
        loop = asyncio.get_running_loop()
        until = loop.time() + 10  # the loop's clock is real: ends a flood never cut short
        token = json.dumps({"type": "text", "token": "a", "last": False})
        try:
            while loop.time() < until:
                await websocket.send_text(token)
        except WebSocketDisconnect as disconnect:
            received.append({"disconnect": disconnect.code})

    received: list[dict[str, Any]] = []
    started = wall_seconds()
    with Simulator(strict=False, webhook_timeout=0.2) as sim:
        sim.number(NUMBER, voice_url=f"{APP}/voice")
        sim.phone(CALLER).says("hello")
        call = run_call(sim, relay_app(flooding, received))
        assert call.said == ["Hi! How can I help?"]
    assert wall_seconds() - started < 9  # cut short: the flood itself lasts 10 s

    def late(doing: str) -> str:
        return (
            f"the app's WebSocket handler at wss://agent.test/relay?tenant=7 did not {doing} "
            "within 0.2 s of wall time (the webhook read timeout); what it awaits never came, "
            f"or it is slow: {LIFT_THE_LIMIT}"
        )

    answer = (
        ". Answer a prompt with text tokens ending in one with last: true (or a play or end "
        "message); the caller heard nothing"
    )
    assert [(failure.code, failure.message) for failure in sim.failures] == [
        (
            None,
            "the app did not handle the setup message: " + late("finish with the message") + answer,
        ),
        (None, f"the app did not answer the prompt 'hello': {late('answer')}{answer}"),
    ]
    assert received[-1] == {"disconnect": 1006}


def test_a_frame_sent_after_twilio_closed_the_socket_raises_as_on_a_server(
    sim: Simulator,
) -> None:
    async def late_sender(websocket: WebSocket, received: list[Any]) -> None:
        try:
            while True:
                received.append(json.loads(await websocket.receive_text())["event"])
        except WebSocketDisconnect:
            received.append("disconnected")
        try:
            await websocket.send_json({"event": "clear", "streamSid": "MZ"})
        except WebSocketDisconnect as disconnect:
            received.append(("send raised", disconnect.code))

    received: list[Any] = []
    sim.phone(CALLER).hangs_up(after=1)
    call = run_call(sim, stream_app(late_sender, received))
    sim.run()
    assert call.status == "completed"
    assert received[1:] == [
        "connected",
        "start",
        "stop",
        "disconnected",
        ("send raised", 1006),  # Starlette's word for the server's OSError
    ]
    assert list(sim.failures) == []


def test_a_django_asgi_app_keeps_the_call_held_as_a_wsgi_app_does(sim: Simulator) -> None:
    """Django's own ASGI handler takes HTTP only (it raises for a WebSocket, as a server
    would answer 500): its WebSocket server runs elsewhere, so nothing is opened."""
    from django.core.asgi import get_asgi_application

    from tests.transports.test_frameworks import django_app

    django_app()  # settings configured, Django set up

    def voice(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "text/xml")])
        relay = '<ConversationRelay url="wss://agent.test/relay" welcomeGreeting="Hi"/>'
        return [f"<Response><Connect>{relay}</Connect><Say>Bye.</Say></Response>".encode()]

    sim.route("https://voice.test", voice)
    sim.number(NUMBER, voice_url="https://voice.test/voice")
    call = run_call(sim, get_asgi_application())
    assert call.waiting_for is not None
    assert (call.waiting_for.verb, call.waiting_for.input) == ("Connect", ())
    call.close_stream().run()
    assert call.said == ["Hi", "Bye."]
    assert list(sim.failures) == []


def test_an_answer_sent_right_after_a_bad_message_is_not_waited_for_again() -> None:
    """The app's answer already among the frames after the one Twilio refused: the error
    message is sent, and the prompt counts as answered (the turn waited for another
    answer until the wall limit, and said the app had not answered)."""

    async def sloppy_then_right(websocket: WebSocket, received: list[dict[str, Any]]) -> None:
        await websocket.receive_text()  # setup
        try:
            while True:
                message = json.loads(await websocket.receive_text())
                received.append(message)
                if message["type"] == "prompt":
                    await websocket.send_json({"type": "txt", "token": "Hi."})
                    await websocket.send_json({"type": "text", "token": "Hi.", "last": True})
        except WebSocketDisconnect:
            pass

    received: list[dict[str, Any]] = []
    started = wall_seconds()
    with Simulator(strict=False, webhook_timeout=2) as sim:
        sim.number(NUMBER, voice_url=f"{APP}/voice")
        sim.phone(CALLER).says("hello")
        call = run_call(sim, relay_app(sloppy_then_right, received))
        assert wall_seconds() - started < 2
    assert call.said == ["Hi! How can I help?", "Hi."]
    assert [(failure.code, failure.message) for failure in sim.failures] == [
        (
            64107,
            "the app sent a message ConversationRelay cannot act on (its type 'txt' is none "
            "of text, play, sendDigits, language, config, hints, end): "
            '{"type":"txt","token":"Hi."}; it was dropped and the session went on. Send JSON '
            "messages of type text, play, sendDigits, language or end",
        )
    ]
    assert received[1:] == [
        {"type": "prompt", "voicePrompt": "hello", "lang": "en-US", "last": True},
        {"type": "error", "description": 'Invalid message received: {"type":"txt","token":"Hi."}'},
    ]


def test_a_far_end_barging_in_on_every_answer_of_a_long_session_is_followed_to_the_end() -> None:
    """Each barge-in was handled within the one it cut short: 250 in a row nested deep
    enough to raise RecursionError out of call.run()."""
    received: list[dict[str, Any]] = []
    with Simulator(strict=False) as sim:
        sim.number(NUMBER, voice_url=f"{APP}/voice")
        phone = sim.phone(CALLER).says("hello")
        for number in range(300):
            phone.says(f"and {number}", barge_in=True)
        call = run_call(sim, relay_app(echo_agent, received))
    prompts = [message["voicePrompt"] for message in received if message.get("type") == "prompt"]
    assert prompts == ["hello", *[f"and {number}" for number in range(300)]]
    said = [e for e in call.transcript if isinstance(e, Said)]
    assert [(e.text, e.interrupted) for e in said] == [
        ("Hi! How can I help?", False),
        ("You said hello.", True),
        *[(f"You said and {number}.", number < 299) for number in range(300)],
    ]
    assert list(sim.failures) == []


async def sorry_agent(websocket: WebSocket, received: list[Any]) -> None:
    """Answers each prompt and key with what it heard and a key of its own, and says
    sorry when interrupted."""
    try:
        while True:
            message = json.loads(await websocket.receive_text())
            kind = message["type"]
            received.append(f"{kind} {message.get('voicePrompt', message.get('digit', ''))}")
            if kind in ("prompt", "dtmf"):
                heard = message.get("voicePrompt", message.get("digit"))
                await websocket.send_json(
                    {"type": "text", "token": f"Heard {heard}.", "last": True}
                )
                await websocket.send_json({"type": "sendDigits", "digits": "9"})
            elif kind == "interrupt":
                await websocket.send_json({"type": "text", "token": "Sorry.", "last": True})
    except WebSocketDisconnect:
        pass


def test_the_far_ends_input_reaches_the_app_in_the_order_it_was_given() -> None:
    """What the app says in answer to an interrupt, and to a key of several pressed in
    one step, is not cut short by the far end's next input: that took the next input
    before the one that interrupted (the app heard five, 3, 4, then two)."""
    received: list[Any] = []
    with Simulator(strict=False) as sim:
        sim.number(NUMBER, voice_url=f"{APP}/voice")
        phone = sim.phone(CALLER).says("one").says("two", barge_in=True)
        phone.presses("34", barge_in=True).says("five", barge_in=True)
        call = run_call(sim, relay_app(sorry_agent, received))
    assert received[1:] == [
        "setup ",
        "prompt one",
        "interrupt ",
        "prompt two",
        "interrupt ",
        "dtmf 3",
        "dtmf 4",
        "interrupt ",
        "prompt five",
    ]
    assert [(e.text, e.interrupted) for e in call.transcript if isinstance(e, Said)] == [
        ("Hi! How can I help?", False),
        ("Heard one.", True),
        ("Sorry.", False),
        ("Heard two.", True),
        ("Sorry.", False),
        ("Heard 3.", False),
        ("Heard 4.", True),
        ("Sorry.", False),
        ("Heard five.", False),
    ]
    assert list(sim.failures) == []


def greets_as_it_accepts(twiml: str, first: dict[str, Any], received: list[Any]) -> FastAPI:
    """An app whose WebSocket handler sends ``first`` right after accepting, before it
    reads Twilio's first message."""
    app = FastAPI()

    @app.post("/voice")
    async def voice() -> Response:
        return Response(twiml, media_type="text/xml")

    @app.websocket("/ws")
    async def socket(websocket: WebSocket) -> None:
        await websocket.accept()
        await websocket.send_json(first)
        try:
            while True:
                received.append(json.loads(await websocket.receive_text()))
        except WebSocketDisconnect:
            pass

    return app


def test_what_a_relay_app_says_as_it_accepts_is_said(sim: Simulator) -> None:
    """It was dropped with no word: the frames of the handshake's turn were not read."""
    twiml = '<Response><Connect><ConversationRelay url="wss://agent.test/ws"/></Connect></Response>'
    received: list[Any] = []
    first = {"type": "text", "token": "Hello, this is Ava.", "last": True}
    call = run_call(sim, greets_as_it_accepts(twiml, first, received))
    assert call.said == ["Hello, this is Ava."]
    assert [message["type"] for message in received] == ["setup"]
    assert list(sim.failures) == []


def test_a_stream_message_sent_as_the_app_accepts_is_31924(sim: Simulator) -> None:
    """Sent before ``start``, it cannot carry the stream's SID: Twilio's 31924, which the
    app's logs show (it was dropped with no word)."""
    twiml = '<Response><Connect><Stream url="wss://agent.test/ws"/></Connect></Response>'
    received: list[Any] = []
    first = {"event": "media", "streamSid": "", "media": {"payload": "/w=="}}
    call = run_call(sim, greets_as_it_accepts(twiml, first, received))
    sid = call.streams[0].sid
    assert [message["event"] for message in received] == ["connected", "start"]
    assert [(failure.code, failure.element, failure.message) for failure in sim.failures] == [
        (
            31924,
            "Stream",
            "the app sent a message a bidirectional stream cannot act on (its streamSid is '', "
            f"not the stream's {sid!r}: take it from the start message): "
            '{"event":"media","streamSid":"","media":{"payload":"/w=="}}; it was dropped. '
            "Send media, mark and clear messages",
        )
    ]


def test_a_fork_streams_message_sent_as_the_app_accepts_is_31924_as_its_others_are(
    sim: Simulator,
) -> None:
    twiml = (
        '<Response><Start><Stream url="wss://agent.test/ws"/></Start><Say>Welcome.</Say></Response>'
    )
    first = {"event": "mark", "streamSid": "", "mark": {"name": "hello"}}
    call = run_call(sim, greets_as_it_accepts(twiml, first, []))
    (stream,) = call.streams
    assert stream.app_messages == [first]
    assert [(failure.code, failure.message) for failure in sim.failures] == [
        (
            31924,
            f"the app sent a message on the unidirectional stream {stream.sid} "
            '(wss://agent.test/ws): {"event":"mark","streamSid":"","mark":{"name":"hello"}}; '
            "it was ignored, as are the ones after it (said once a stream): only a "
            "<Connect><Stream> takes the app's media, mark and clear messages, so send none "
            "on a <Start><Stream>",
        )
    ]


def test_stream_audio_refuses_empty_audio_and_takes_a_memoryview(sim: Simulator) -> None:
    """Empty audio (a file read as nothing) sent no frame and passed unnoticed."""
    received: list[Any] = []
    call = run_call(sim, stream_app(mark_answering(b"", 0), received))
    for empty in (b"", bytearray()):
        with pytest.raises(TypeError) as refused:
            call.stream_audio(empty)
        assert str(refused.value) == (
            "call.stream_audio(payload) takes at least one byte of mu-law audio (8000 a "
            f"second); got {empty!r}, which is empty: give the audio, or seconds= of silence"
        )
    call.stream_audio(memoryview(b"\xff" * 160)).run()
    media = [message["media"] for message in received if message.get("event") == "media"]
    payload = base64.b64encode(b"\xff" * 160).decode()
    assert media == [{"track": "inbound", "chunk": "1", "timestamp": "0", "payload": payload}]


def test_a_long_run_of_frames_sent_at_once_stays_in_its_turn(sim: Simulator) -> None:
    """An answer of 64 tokens and 301 more messages sent right after it, all at once: the
    send that gives the loop a turn (every 64 frames) ended the turn in their midst, and
    the end came only when Twilio closed the socket."""

    async def long_answer_then_end(websocket: WebSocket, received: list[Any]) -> None:
        await websocket.receive_text()  # setup
        await websocket.receive_text()  # the prompt
        for _ in range(63):
            await websocket.send_json({"type": "text", "token": "la ", "last": False})
        await websocket.send_json({"type": "text", "token": "done.", "last": True})
        for _ in range(300):
            await websocket.send_json({"type": "language", "ttsLanguage": "en-GB"})
        await websocket.send_json({"type": "end", "handoffData": '{"reason": "sung"}'})
        await websocket.receive_text()

    received: list[Any] = []
    call = said_hello_to(sim, long_answer_then_end, received)
    assert call.said == ["Hi! How can I help?", "la " * 63 + "done.", "Goodbye."]
    action = received[-1]["action"]
    assert (action["SessionStatus"], action["HandoffData"]) == ("ended", '{"reason": "sung"}')


def test_a_handler_raising_keyboard_interrupt_fails_its_session_not_the_loop(
    sim: Simulator,
) -> None:
    """Out of the handler's task it stopped the app's event loop: the action webhook to
    the same app then waited for ever."""

    async def interrupting(websocket: WebSocket, received: list[Any]) -> None:
        await websocket.receive_text()  # setup
        await websocket.receive_text()  # the prompt
        raise KeyboardInterrupt

    received: list[Any] = []
    call = said_hello_to(sim, interrupting, received)
    assert [(failure.code, failure.message) for failure in sim.failures] == [
        (
            64105,
            "the app's WebSocket handler closed the socket (code 1011) without an end "
            'message; it raised KeyboardInterrupt; end a session with {"type": "end"} (and '
            "handoffData) to hand the call back to TwiML",
        )
    ]
    assert received[-1]["action"]["SessionStatus"] == "failed"
    assert call.said == ["Hi! How can I help?", "Goodbye."]


def test_a_handler_starting_a_stream_as_each_starts_is_stopped_at_the_limit(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each stream's socket handler started another through the REST API: the streams
    came one after another at one instant, without end (1,000 opened, lowered here)."""
    assert started_at_once.MOST_STARTED_AT_ONCE == 1000
    monkeypatch.setattr(started_at_once, "MOST_STARTED_AT_ONCE", 5)
    app = FastAPI()
    starts: list[str] = []

    @app.post("/voice")
    async def voice() -> Response:
        twiml = '<Response><Start><Stream url="wss://agent.test/fork"/></Start><Say>Hi.</Say></Response>'
        return Response(twiml, media_type="text/xml")

    @app.websocket("/fork")
    async def fork(websocket: WebSocket) -> None:
        await websocket.accept()
        try:
            while True:
                message = json.loads(await websocket.receive_text())
                if message["event"] == "start":
                    starts.append(message["streamSid"])
                    call_sid = message["start"]["callSid"]
                    client.calls(call_sid).streams.create(url="wss://agent.test/fork")
        except WebSocketDisconnect:
            pass

    client = sim.client()
    call = run_call(sim, app)
    streams = call.streams or []
    assert (call.status, call.said, len(streams), len(starts)) == ("completed", ["Hi."], 6, 5)
    assert starts == [stream.sid for stream in streams[:5]]
    assert {stream.status for stream in streams} == {"stopped"}
    assert [
        (failure.code, failure.url, failure.element, failure.message) for failure in sim.failures
    ] == [
        (
            None,
            None,
            None,
            "5 streams started on one call at one instant (a status callback or WebSocket "
            "handler starting one as each one starts?); twimlsim told the app of none after "
            f"them, {streams[5].sid} first (no stream-started callback, no socket "
            "opened), which stay in progress: start each once",
        )
    ]


def raises_as_it_accepts(twiml: str, raised: BaseException) -> FastAPI:
    """An app whose WebSocket handler raises ``raised`` right after accepting."""
    app = FastAPI()

    @app.post("/voice")
    async def voice() -> Response:
        return Response(twiml, media_type="text/xml")

    @app.websocket("/ws")
    async def socket(websocket: WebSocket) -> None:
        await websocket.accept()
        raise raised

    return app


RAISED_AS_IT_ACCEPTS = pytest.mark.parametrize(
    ("raised", "shown"),
    [
        (RuntimeError("no model loaded"), "RuntimeError: no model loaded"),
        (asyncio.CancelledError(), "CancelledError"),
    ],
    ids=["exception", "its-own-cancelled-error"],
)


@RAISED_AS_IT_ACCEPTS
def test_a_stream_handler_raising_as_it_accepts_is_told_and_the_call_goes_on(
    sim: Simulator, raised: BaseException, shown: str
) -> None:
    """The error of the handshake's turn was dropped: no failure at all, and a
    ``CancelledError`` (a task it awaited was cancelled) left the stream open until the
    caller hung up, the verbs after it never run."""
    twiml = (
        '<Response><Connect><Stream url="wss://agent.test/ws"/></Connect>'
        "<Say>After the stream.</Say></Response>"
    )
    call = run_call(sim, raises_as_it_accepts(twiml, raised))
    assert call.said == ["After the stream."]
    assert [(failure.code, failure.message) for failure in sim.failures] == [
        (None, f"the app's WebSocket handler failed: it raised {shown}")
    ]


@RAISED_AS_IT_ACCEPTS
def test_a_fork_stream_handler_raising_as_it_accepts_is_told(
    sim: Simulator, raised: BaseException, shown: str
) -> None:
    twiml = '<Response><Start><Stream url="wss://agent.test/ws"/></Start><Say>Hi.</Say></Response>'
    call = run_call(sim, raises_as_it_accepts(twiml, raised))
    (stream,) = call.streams
    assert (call.said, stream.status) == (["Hi."], "stopped")
    assert [(failure.code, failure.message) for failure in sim.failures] == [
        (
            None,
            f"the app's WebSocket handler for the stream {stream.sid} (wss://agent.test/ws) "
            f"failed: it raised {shown}; the stream stopped (stream-stopped) and the call "
            "went on",
        )
    ]


@RAISED_AS_IT_ACCEPTS
def test_a_relay_handler_raising_as_it_accepts_says_what_it_raised(
    sim: Simulator, raised: BaseException, shown: str
) -> None:
    twiml = (
        '<Response><Connect><ConversationRelay url="wss://agent.test/ws"/></Connect>'
        "<Say>Back in TwiML.</Say></Response>"
    )
    call = run_call(sim, raises_as_it_accepts(twiml, raised))
    assert call.said == ["Back in TwiML."]
    assert [(failure.code, failure.message) for failure in sim.failures] == [
        (
            64105,
            "the app's WebSocket handler closed the socket (code 1011) without an end "
            f'message; it raised {shown}; end a session with {{"type": "end"}} (and '
            "handoffData) to hand the call back to TwiML",
        )
    ]


def test_a_handler_that_never_accepts_is_told_once(caplog: pytest.LogCaptureFixture) -> None:
    """Told at the handshake's time limit (31920), it was left running, and the simulator's
    stop warned again that the app "still ran its WebSocket handler", whose work "(a REST
    update of a call?) never happened": advice for another case."""
    app = FastAPI()
    twiml = (
        '<Response><Connect><Stream url="wss://agent.test/ws"/></Connect>'
        "<Say>After the stream.</Say></Response>"
    )

    @app.post("/voice")
    async def voice() -> Response:
        return Response(twiml, media_type="text/xml")

    @app.websocket("/ws")
    async def socket(websocket: WebSocket) -> None:
        await asyncio.Event().wait()  # what it waits for before accepting never comes

    caplog.set_level("WARNING", logger="twimlsim")
    with Simulator(strict=False, webhook_timeout=0.2) as sim:
        sim.number(NUMBER, voice_url=f"{APP}/voice")
        call = run_call(sim, app)
    assert call.said == ["After the stream."]
    assert [(failure.code, failure.message) for failure in sim.failures] == [
        (
            31920,
            "the app's WebSocket at wss://agent.test/ws did not accept the stream: the app's "
            "WebSocket handler at wss://agent.test/ws did not accept the connection within "
            "0.2 s of wall time (the webhook read timeout); what it awaits never came, or it "
            f"is slow: {LIFT_THE_LIMIT}; the stream ended at once",
        )
    ]
    assert [record.getMessage() for record in caplog.records] == []

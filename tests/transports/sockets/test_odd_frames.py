"""Text frames no UTF-8 JSON parser reads as they are: JSON nested deeper than any parser
goes, and half of a UTF-16 pair (an emoji cut in two by the app's JavaScript). Each escaped
the call's run; each is Twilio's error, or replaced, and the call goes on."""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI, Request, WebSocket, WebSocketDisconnect
from fastapi.responses import Response

from twimlsim import Simulator

from .calls import run_call

#: An array nested 50,000 deep: within the 1 MB a frame may hold, beyond the parser.
NESTED = "[" * 50_000
RELAY = (
    '<Response><Connect action="/after"><ConversationRelay url="wss://agent.test/ws"/>'
    "</Connect></Response>"
)
STREAM = (
    '<Response><Connect action="/after"><Stream url="wss://agent.test/ws"/></Connect></Response>'
)


def sends_after_its_first_message(twiml: str, frames: list[str], received: list[Any]) -> FastAPI:
    """An app that answers Twilio's first message (``setup``; ``start`` after
    ``connected``) with ``frames`` as they are, then reads on."""
    app = FastAPI()

    @app.post("/voice")
    async def voice() -> Response:
        return Response(twiml, media_type="text/xml")

    @app.post("/after")
    async def after(request: Request) -> Response:
        form = await request.form()
        received.append({"action": {key: form.get(key) for key in ("HandoffData", "ErrorCode")}})
        return Response("<Response/>", media_type="text/xml")

    @app.websocket("/ws")
    async def socket(websocket: WebSocket) -> None:
        await websocket.accept()
        try:
            while True:
                message = json.loads(await websocket.receive_text())
                received.append(message)
                if message.get("type") == "setup" or message.get("event") == "start":
                    for frame in frames:
                        await websocket.send_text(frame)
        except WebSocketDisconnect:
            pass

    return app


def test_relay_json_nested_too_deep_is_64107_and_the_session_goes_on(sim: Simulator) -> None:
    received: list[Any] = []
    end = json.dumps({"type": "end", "handoffData": "done"})
    call = run_call(sim, sends_after_its_first_message(RELAY, [NESTED, end], received))
    assert call.status == "completed"
    assert [message.get("type") for message in received[1:]] == ["error", None]
    assert received[1]["description"] == f"Invalid message received: {NESTED[:200]}"
    assert received[2] == {"action": {"HandoffData": "done", "ErrorCode": None}}
    assert [(failure.code, failure.message) for failure in sim.failures] == [
        (
            64107,
            "the app sent a message ConversationRelay cannot act on (not JSON a parser takes: "
            f"nested too deep): {NESTED[:200]}; it was dropped and the session went on. Send "
            "JSON messages of type text, play, sendDigits, language or end",
        )
    ]


def test_half_an_emoji_in_a_relay_handoff_reaches_the_action_replaced(sim: Simulator) -> None:
    """JavaScript's JSON.stringify writes a lone half of a UTF-16 pair as an escape; it
    reached the action's form, which UTF-8 cannot encode."""
    received: list[Any] = []
    frames = [
        '{"type":"text","token":"Bye \\ud83d","last":true}',
        '{"type":"end","handoffData":"{\\"mood\\":\\"\\ud83d\\ude00\\ud83d\\"}"}',
    ]
    call = run_call(sim, sends_after_its_first_message(RELAY, frames, received))
    assert (call.status, call.said) == ("completed", ["Bye \ufffd"])
    assert received[1:] == [
        {"action": {"HandoffData": '{"mood":"\U0001f600\ufffd"}', "ErrorCode": None}}
    ]
    assert list(sim.failures) == []


def test_media_stream_json_nested_too_deep_is_31924_and_the_stream_goes_on(
    sim: Simulator,
) -> None:
    received: list[Any] = []
    call = run_call(sim, sends_after_its_first_message(STREAM, [NESTED], received))
    assert call.status == "in-progress"  # the stream goes on, its far end never hangs up
    assert [message["event"] for message in received] == ["connected", "start"]
    assert [(failure.code, failure.message) for failure in sim.failures] == [
        (
            31924,
            "the app sent a message a bidirectional stream cannot act on (not JSON a parser "
            f"takes: nested too deep): {NESTED[:200]}; it was dropped. Send media, mark and "
            "clear messages",
        )
    ]


def test_a_mark_named_with_half_an_emoji_comes_back_replaced(sim: Simulator) -> None:
    received: list[Any] = []
    start_sid: list[str] = []

    app = FastAPI()

    @app.post("/voice")
    async def voice() -> Response:
        return Response(STREAM, media_type="text/xml")

    @app.websocket("/ws")
    async def socket(websocket: WebSocket) -> None:
        await websocket.accept()
        try:
            while True:
                message = json.loads(await websocket.receive_text())
                received.append(message)
                if message["event"] == "start":
                    start_sid.append(message["streamSid"])
                    mark = '{"event":"mark","streamSid":"%s","mark":{"name":"\\udc00"}}'
                    await websocket.send_text(mark % message["streamSid"])
        except WebSocketDisconnect:
            pass

    call = run_call(sim, app)
    (sid,) = start_sid
    assert received[2] == {
        "event": "mark",
        "sequenceNumber": "2",
        "streamSid": sid,
        "mark": {"name": "\ufffd"},
    }
    assert call.streams[0].app_messages == [
        {"event": "mark", "streamSid": sid, "mark": {"name": "\ufffd"}}
    ]
    assert list(sim.failures) == []

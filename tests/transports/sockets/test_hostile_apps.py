"""WebSocket handlers that misbehave in ways that would run on without end: each is told,
and the call goes on."""

from __future__ import annotations

import json
from typing import Any

from fastapi import WebSocket, WebSocketDisconnect

from twimlsim import Simulator

from .test_conversation_relay import said_hello_to


def test_an_app_answering_each_error_message_with_another_bad_one_is_stopped(
    sim: Simulator,
) -> None:
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
    messages = [message for message in received[1:] if "type" in message]
    error = {"type": "error", "description": "Invalid message received: oops"}
    assert messages == [
        {"type": "prompt", "voicePrompt": "hello", "lang": "en-US", "last": True},
        *[error] * 10,
    ]
    bad = (
        64107,
        "the app sent a message ConversationRelay cannot act on (not JSON): oops; it was "
        "dropped and the session went on. Send JSON messages of type text, play, sendDigits, "
        "language or end",
    )
    assert [(failure.code, failure.message) for failure in sim.failures] == [
        *[bad] * 11,
        (
            None,
            "the app answered Twilio's error message with another message ConversationRelay "
            "cannot act on 10 times in a row: on Twilio the two would trade error messages "
            "without end. Do not answer Twilio's error messages (or send errors of your own) "
            "over the socket; twimlsim stopped telling the app and the session went on",
        ),
    ]
    assert call.said == ["Hi! How can I help?"]
    assert call.status == "in-progress"  # the session went on

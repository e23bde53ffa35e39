"""The caller's audio given twice before a <Connect><Stream> call runs (speech, then the
silence a voice bot waits for to end the turn) is one stretch of audio, as on a call."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from fastapi import FastAPI, WebSocket, WebSocketDisconnect
from fastapi.responses import Response

from twimlsim import ConfigurationError, Simulator

from .calls import CALLER, run_call

STREAM = '<Response><Connect><Stream url="wss://agent.test/media"/></Connect></Response>'


def listening_app(received: list[dict[str, Any]]) -> FastAPI:
    """Keeps each media message of the caller's audio; says nothing."""
    app = FastAPI()

    @app.post("/voice")
    async def voice() -> Response:
        return Response(STREAM, media_type="text/xml")

    @app.websocket("/media")
    async def media(websocket: WebSocket) -> None:
        await websocket.accept()
        try:
            while True:
                message = json.loads(await websocket.receive_text())
                if message["event"] == "media":
                    received.append(message["media"])
        except WebSocketDisconnect:
            pass

    return app


def test_audio_given_twice_before_a_run_goes_on_where_the_first_ended(sim: Simulator) -> None:
    received: list[dict[str, Any]] = []
    call = run_call(sim, listening_app(received))
    started = sim.now
    call.stream_audio(b"\x10" * 200)  # speech: 25 ms
    call.stream_audio(seconds=0.03)  # then 30 ms of silence, straight after it
    assert received == []  # sent as the call runs
    call.run()
    assert received == [
        {
            "track": "inbound",
            "chunk": "1",
            "timestamp": "0",
            "payload": base64.b64encode(b"\x10" * 160).decode(),
        },
        {
            "track": "inbound",
            "chunk": "2",
            "timestamp": "20",
            # one stream of audio: a 20 ms frame holds the speech's end and the silence
            "payload": base64.b64encode(b"\x10" * 40 + b"\xff" * 120).decode(),
        },
        {
            "track": "inbound",
            "chunk": "3",
            "timestamp": "40",
            "payload": base64.b64encode(b"\xff" * 120).decode(),
        },
    ]
    assert (sim.now - started).total_seconds() == 0.055
    call.stream_audio(b"\x10" * 160).run()  # given after the run: audio of its own
    assert received[3:] == [
        {
            "track": "inbound",
            "chunk": "4",
            "timestamp": "55",
            "payload": base64.b64encode(b"\x10" * 160).decode(),
        }
    ]
    call.hangup()
    call.run()
    assert (call.status, sim.failures) == ("completed", [])


def test_audio_after_a_hang_up_given_at_that_wait_is_still_refused(sim: Simulator) -> None:
    sim.phone(CALLER)
    call = run_call(sim, listening_app([]))
    call.stream_audio(seconds=0.02)
    call.hangup()
    with pytest.raises(ConfigurationError) as raised:
        call.stream_audio(seconds=0.02)
    assert str(raised.value) == (
        f"call.stream_audio(...): call {call.sid} has been given call.hangup() at this "
        "<Connect>, which ends the call at this instant, before any input given after it; "
        "give the input first, then call.hangup()"
    )
    call.run()
    assert call.status == "completed"

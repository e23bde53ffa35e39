"""Handlers that bridge Twilio's socket to an AI service, as voice AI apps do: one task
reads Twilio's messages and hands them on, another sends the service's answers back."""

from __future__ import annotations

import asyncio
import base64
import json
from typing import Any

from fastapi import FastAPI, WebSocket, WebSocketDisconnect
from fastapi.responses import Response

from twimlsim import Simulator

APP = "https://agent.test"
NUMBER = "+15005550006"
CALLER = "+15558675310"
STREAM = '<Response><Connect><Stream url="wss://agent.test/media"/></Connect></Response>'
#: A tenth of a second of the service's audio.
ANSWER = base64.b64encode(b"\x00" * 800).decode()


def bridging_app() -> FastAPI:
    """Hands the caller's audio to a service (a queue here) in one task; its answer, once
    five chunks came, goes back from another task as two media messages with a mark each."""
    app = FastAPI()

    @app.post("/voice")
    async def voice() -> Response:
        return Response(STREAM, media_type="text/xml")

    @app.websocket("/media")
    async def media(websocket: WebSocket) -> None:
        await websocket.accept()
        service: asyncio.Queue[str | None] = asyncio.Queue()
        stream_sid = None
        chunks = 0

        async def from_twilio() -> None:
            nonlocal stream_sid, chunks
            try:
                async for text in websocket.iter_text():
                    message = json.loads(text)
                    if message["event"] == "start":
                        stream_sid = message["start"]["streamSid"]
                    elif message["event"] == "media":
                        chunks += 1
                        if chunks == 5:  # the service answers (no await: it is queued)
                            service.put_nowait(ANSWER)
                            service.put_nowait(ANSWER)
            except WebSocketDisconnect:
                pass
            service.put_nowait(None)

        async def to_twilio() -> None:
            while (audio := await service.get()) is not None:
                await websocket.send_json(
                    {"event": "media", "streamSid": stream_sid, "media": {"payload": audio}}
                )
                await websocket.send_json(
                    {"event": "mark", "streamSid": stream_sid, "mark": {"name": "part"}}
                )

        await asyncio.gather(from_twilio(), to_twilio())

    return app


def test_answers_sent_from_another_task_after_the_reader_waits_end_the_turn() -> None:
    # the reader takes every chunk at once and waits; the sender's frames come after it
    with Simulator(webhook_timeout=3) as sim:
        sim.route(APP, bridging_app())
        sim.number(NUMBER, voice_url=f"{APP}/voice")
        call = sim.incoming_call(from_=CALLER, to=NUMBER)
        call.run()
        call.stream_audio(seconds=0.2).run()
        (stream,) = call.streams or []
        messages: list[Any] = stream.app_messages or []
        assert [(m["event"], m.get("mark")) for m in messages] == [
            ("media", None),
            ("mark", {"name": "part"}),
            ("media", None),
            ("mark", {"name": "part"}),
        ]
        assert messages[0] == {
            "event": "media",
            "streamSid": stream.sid,
            "media": {"payload": ANSWER},
        }
        assert sim.failures == []

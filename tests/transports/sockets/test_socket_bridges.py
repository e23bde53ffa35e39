"""Handlers that bridge Twilio's socket to an AI service, as voice AI apps do: one task
reads Twilio's messages and hands them on, another sends the service's answers back."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
from typing import Any

import pytest
from fastapi import FastAPI, WebSocket, WebSocketDisconnect
from fastapi.responses import Response

from twimlsim import Simulator
from twimlsim.transports.timing import wall_seconds

from .calls import APP, CALLER, NUMBER

STREAM = '<Response><Connect><Stream url="wss://agent.test/media"/></Connect></Response>'
#: A tenth of a second of the service's audio.
ANSWER = base64.b64encode(b"\x00" * 800).decode()


def bridging_app(
    ends_its_sender: bool = True, reads_after_stop: bool = True, twiml: str = STREAM
) -> FastAPI:
    """Hands the caller's audio to a service (a queue here) in one task; its answer, once
    five chunks came, goes back from another task as two media messages with a mark each.
    Its sender ends with the reader, or waits on the service for ever. Its reader reads on
    until the disconnect, or stops at Twilio's ``stop`` message."""
    app = FastAPI()

    @app.post("/voice")
    async def voice() -> Response:
        return Response(twiml, media_type="text/xml")

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
                    elif message["event"] == "stop" and not reads_after_stop:
                        break
                    elif message["event"] == "media":
                        chunks += 1
                        if chunks == 5:  # the service answers (no await: it is queued)
                            service.put_nowait(ANSWER)
                            service.put_nowait(ANSWER)
            except WebSocketDisconnect:
                pass
            if ends_its_sender:
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


def test_a_handler_still_running_after_the_hang_up_is_cancelled_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with Simulator(webhook_timeout=1) as sim:
        sim.route(APP, bridging_app(ends_its_sender=False))
        sim.number(NUMBER, voice_url=f"{APP}/voice")
        call = sim.incoming_call(from_=CALLER, to=NUMBER)
        call.run()
        with caplog.at_level(logging.WARNING, logger="twimlsim.asgi"):
            call.hangup().run()
        assert call.status == "completed"
        assert sim.failures == []
    assert [r.getMessage() for r in caplog.records if r.name == "twimlsim.asgi"] == [
        "the app's WebSocket handler at wss://agent.test/media was still running 1 s (wall "
        "time) after Twilio closed the socket; twimlsim cancelled it (a server would leave it "
        "running). A task of its own still waits (a bridge's sender on its AI service's "
        "socket?): end it when the receive loop ends (iter_text() stops, receive_text() raises "
        "WebSocketDisconnect) and each hang-up costs the test no wait"
    ]


@pytest.mark.parametrize(
    "twiml",
    [
        STREAM,
        '<Response><Start><Stream url="wss://agent.test/media"/></Start><Pause length="60"/>'
        "</Response>",
    ],
    ids=["Connect", "Start"],
)
def test_a_reader_that_stops_at_stop_costs_the_hang_up_only_the_wait_for_its_end(
    caplog: pytest.LogCaptureFixture, twiml: str
) -> None:
    # Twilio closes the socket right after its stop message: it waits for no answer to it,
    # so neither does the turn that sends it (it waited out the whole webhook_timeout for
    # the reader to read again, before the close was even sent)
    with Simulator(webhook_timeout=2) as sim:
        sim.route(APP, bridging_app(ends_its_sender=False, reads_after_stop=False, twiml=twiml))
        sim.number(NUMBER, voice_url=f"{APP}/voice")
        call = sim.incoming_call(from_=CALLER, to=NUMBER)
        sim.advance(1)
        with caplog.at_level(logging.WARNING, logger="twimlsim.asgi"):
            began = wall_seconds()
            call.hangup().run()
            waited = wall_seconds() - began
        assert call.status == "completed"
        assert sim.failures == []
    assert 2 <= waited < 3.5
    assert [r.getMessage() for r in caplog.records if r.name == "twimlsim.asgi"] == [
        "the app's WebSocket handler at wss://agent.test/media was still running 2 s (wall "
        "time) after Twilio closed the socket; twimlsim cancelled it (a server would leave it "
        "running). A task of its own still waits (a bridge's sender on its AI service's "
        "socket?): end it when the receive loop ends (iter_text() stops, receive_text() raises "
        "WebSocketDisconnect) and each hang-up costs the test no wait"
    ]


def pipeline_app(stages: int) -> FastAPI:
    """Passes each of Twilio's messages along ``stages`` tasks joined by queues (as a
    pipeline of processors does); the last stage answers the fifth chunk of audio."""
    app = FastAPI()

    @app.post("/voice")
    async def voice() -> Response:
        return Response(STREAM, media_type="text/xml")

    @app.websocket("/media")
    async def media(websocket: WebSocket) -> None:
        await websocket.accept()
        queues: list[asyncio.Queue[dict[str, Any]]] = [asyncio.Queue() for _ in range(stages)]

        async def stage(index: int) -> None:
            while True:
                message = await queues[index].get()
                if index + 1 < stages:
                    queues[index + 1].put_nowait(message)
                elif message["event"] == "media" and message["media"]["chunk"] == "5":
                    answer = {"payload": ANSWER}
                    await websocket.send_json(
                        {"event": "media", "streamSid": message["streamSid"], "media": answer}
                    )

        tasks = [asyncio.create_task(stage(index)) for index in range(stages)]
        try:
            async for text in websocket.iter_text():
                queues[0].put_nowait(json.loads(text))
        finally:
            for task in tasks:
                task.cancel()

    return app


def test_an_answer_passed_along_a_chain_of_tasks_comes_within_the_turn() -> None:
    with Simulator() as sim:
        sim.route(APP, pipeline_app(stages=60))
        sim.number(NUMBER, voice_url=f"{APP}/voice")
        call = sim.incoming_call(from_=CALLER, to=NUMBER)
        call.run()
        call.stream_audio(seconds=0.1).run()  # five chunks of 20 ms
        (stream,) = call.streams or []
        assert stream.app_messages == [
            {"event": "media", "streamSid": stream.sid, "media": {"payload": ANSWER}}
        ]

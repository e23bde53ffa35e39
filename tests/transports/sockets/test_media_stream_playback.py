"""<Connect><Stream> with the app's WebSocket route run in process: Twilio's messages as
written on the wire (raw text), the app's audio played while the call goes on, each mark
echoed as the audio before it ends, and clear cutting the audio short."""

from __future__ import annotations

import base64
import json
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from fastapi import FastAPI, Request, WebSocket, WebSocketDisconnect
from fastapi.responses import Response
from starlette.websockets import WebSocketState

from twimlsim import Simulator

from .calls import APP, CALLER, NUMBER, run_call

STREAM = """<Response><Connect action="/after">
  <Stream url="wss://agent.test/media"><Parameter name="tenant" value="7"/></Stream>
</Connect></Response>"""


def audio(seconds: float) -> str:
    """``seconds`` of mu-law silence, base64, as the app sends it."""
    return base64.b64encode(b"\xff" * round(seconds * 8000)).decode()


Agent = Callable[[WebSocket, dict[str, Any], str], Awaitable[None]]


def stream_app(sim: Simulator, agent: Agent, heard: list[tuple[float, str]]) -> FastAPI:
    """An app whose stream handler keeps each raw text Twilio sends with the second of the
    call it came at, and lets ``agent`` answer it."""
    app = FastAPI()
    start = sim.now

    @app.post("/voice")
    async def voice() -> Response:
        return Response(STREAM, media_type="text/xml")

    @app.post("/after")
    async def after(request: Request) -> Response:
        return Response("<Response><Say>Thanks.</Say></Response>", media_type="text/xml")

    @app.websocket("/media")
    async def media(websocket: WebSocket) -> None:
        await websocket.accept()
        try:
            while True:
                text = await websocket.receive_text()
                heard.append((seconds_since(start, sim.now), text))
                message = json.loads(text)
                await agent(websocket, message, message.get("streamSid", ""))
                if websocket.application_state is WebSocketState.DISCONNECTED:
                    return  # the agent closed the stream
        except WebSocketDisconnect:
            heard.append((seconds_since(start, sim.now), "disconnected"))

    return app


def seconds_since(start: datetime, now: datetime) -> float:
    return (now - start).total_seconds()


async def greets_in_two_parts(websocket: WebSocket, message: dict[str, Any], sid: str) -> None:
    """Half a second of audio and mark "a", a quarter second more and mark "b"; closes the
    stream on key 9."""
    if message["event"] == "start":
        for seconds, name in ((0.5, "a"), (0.25, "b")):
            await websocket.send_json(
                {"event": "media", "streamSid": sid, "media": {"payload": audio(seconds)}}
            )
            await websocket.send_json({"event": "mark", "streamSid": sid, "mark": {"name": name}})
    elif message["event"] == "dtmf" and message["dtmf"]["digit"] == "9":
        await websocket.close()


def test_twilios_messages_are_written_as_twilio_writes_them(sim: Simulator) -> None:
    heard: list[tuple[float, str]] = []
    sim.phone(CALLER).presses("9")
    call = run_call(sim, stream_app(sim, greets_in_two_parts, heard))
    (stream,) = call.streams or []
    sid, account, call_sid = stream.sid, sim.account_sid, call.sid
    assert heard == [
        (0.0, '{"event":"connected","protocol":"Call","version":"1.0.0"}'),
        (
            0.0,
            '{"event":"start","sequenceNumber":"1","start":{"accountSid":"'
            + account
            + '","streamSid":"'
            + sid
            + '","callSid":"'
            + call_sid
            + '","tracks":["inbound"],"mediaFormat":{"encoding":"audio/x-mulaw",'
            '"sampleRate":8000,"channels":1},"customParameters":{"tenant":"7"}},'
            '"streamSid":"' + sid + '"}',
        ),
        # each mark as the audio sent before it ends: 0.5 s, then 0.25 s more
        (
            0.5,
            '{"event":"mark","sequenceNumber":"2","streamSid":"' + sid + '","mark":{"name":"a"}}',
        ),
        (
            0.75,
            '{"event":"mark","sequenceNumber":"3","streamSid":"' + sid + '","mark":{"name":"b"}}',
        ),
        # the key is pressed once the greeting has played (not barging in), half a second
        (
            1.25,
            '{"event":"dtmf","streamSid":"'
            + sid
            + '","sequenceNumber":"4","dtmf":{"track":"inbound_track","digit":"9"}}',
        ),
    ]
    assert call.said == ["Thanks."]
    assert sim.failures == []


async def talks_until_told(websocket: WebSocket, message: dict[str, Any], sid: str) -> None:
    """Ten seconds of audio then mark "end"; at the caller's first key or frame, clear, a
    quarter second of audio and mark "sorry"; closes the stream on key 9."""
    if message["event"] == "start":
        await websocket.send_json(
            {"event": "media", "streamSid": sid, "media": {"payload": audio(10)}}
        )
        await websocket.send_json({"event": "mark", "streamSid": sid, "mark": {"name": "end"}})
    elif message["event"] == "dtmf" and message["dtmf"]["digit"] == "9":
        await websocket.close()
    elif message["event"] in ("dtmf", "media") and message.get("sequenceNumber") == "2":
        await websocket.send_json({"event": "clear", "streamSid": sid})
        await websocket.send_json(
            {"event": "media", "streamSid": sid, "media": {"payload": audio(0.25)}}
        )
        await websocket.send_json({"event": "mark", "streamSid": sid, "mark": {"name": "sorry"}})


def events(heard: list[tuple[float, str]]) -> list[tuple[float, str, str]]:
    """Each message heard as its second, event and what names it (a mark's name, a
    key, a frame's timestamp)."""
    shown = []
    for at, text in heard:
        if text == "disconnected":
            shown.append((at, text, ""))
            continue
        message = json.loads(text)
        event = message["event"]
        detail = {"mark": ("mark", "name"), "dtmf": ("dtmf", "digit")}.get(event)
        if event == "media":
            detail = ("media", "timestamp")
        shown.append((at, event, message[detail[0]][detail[1]] if detail else ""))
    return shown


def test_a_key_barging_in_reaches_the_app_as_its_audio_plays_and_clear_returns_the_mark(
    sim: Simulator,
) -> None:
    heard: list[tuple[float, str]] = []
    sim.phone(CALLER).presses("1", barge_in=True).presses("9")
    call = run_call(sim, stream_app(sim, talks_until_told, heard))
    assert events(heard) == [
        (0.0, "connected", ""),
        (0.0, "start", ""),
        (0.5, "dtmf", "1"),  # half a second into the ten
        (0.5, "mark", "end"),  # cleared: its audio will not play
        (0.75, "mark", "sorry"),  # the quarter second sent after the clear
        (1.25, "dtmf", "9"),  # once that has played
    ]
    (stream,) = call.streams or []
    assert stream.stopped_at is not None
    assert seconds_since(stream.started_at, stream.stopped_at) == 1.25
    assert sim.failures == []


def test_audio_given_by_hand_as_the_app_speaks_lets_it_clear(sim: Simulator) -> None:
    heard: list[tuple[float, str]] = []
    sim.route(APP, stream_app(sim, talks_until_told, heard))
    call = sim.incoming_call(from_=CALLER, to=NUMBER)
    sim.advance(2)  # call.run() would wait for the ten seconds to play
    assert call.waiting_for is None  # the agent speaks
    call.stream_audio(seconds=0.04)
    sim.advance(1)
    assert events(heard)[2:] == [
        (2.04, "media", "2000"),  # both frames once their 40 ms have passed
        (2.04, "media", "2020"),
        (2.04, "mark", "end"),
        (2.29, "mark", "sorry"),
    ]
    assert call.waiting_for is not None and call.waiting_for.input == ("speech", "dtmf")


def test_the_caller_s_audio_and_keys_do_not_hold_back_a_mark(sim: Simulator) -> None:
    async def quick(websocket: WebSocket, message: dict[str, Any], sid: str) -> None:
        if message["event"] == "start":
            await websocket.send_json(
                {"event": "media", "streamSid": sid, "media": {"payload": audio(0.3)}}
            )
            await websocket.send_json({"event": "mark", "streamSid": sid, "mark": {"name": "said"}})
        elif message["event"] == "dtmf" and message["dtmf"]["digit"] == "9":
            await websocket.close()

    heard: list[tuple[float, str]] = []
    sim.phone(CALLER).presses("19", barge_in=True)
    run_call(sim, stream_app(sim, quick, heard))
    # the mark is due 0.3 s in, while key 1 is being pressed (half a second a key)
    assert events(heard) == [
        (0.0, "connected", ""),
        (0.0, "start", ""),
        (0.3, "mark", "said"),
        (0.5, "dtmf", "1"),
        (1.0, "dtmf", "9"),
    ]


def test_a_mark_with_no_audio_queued_comes_back_at_once(sim: Simulator) -> None:
    async def marks_first(websocket: WebSocket, message: dict[str, Any], sid: str) -> None:
        if message["event"] == "start":
            await websocket.send_json({"event": "mark", "streamSid": sid, "mark": {"name": "0"}})
        elif message["event"] == "mark" and message["mark"]["name"] == "0":
            await websocket.send_json(
                {"event": "media", "streamSid": sid, "media": {"payload": audio(1)}}
            )
            await websocket.send_json({"event": "mark", "streamSid": sid, "mark": {"name": "1"}})

    heard: list[tuple[float, str]] = []
    call = run_call(sim, stream_app(sim, marks_first, heard))
    assert events(heard) == [
        (0.0, "connected", ""),
        (0.0, "start", ""),
        (0.0, "mark", "0"),
        (1.0, "mark", "1"),
    ]
    assert call.waiting_for is not None and call.waiting_for.verb == "Connect"


def test_media_naming_another_stream_is_31924_and_does_not_play(sim: Simulator) -> None:
    async def wrong_sid(websocket: WebSocket, message: dict[str, Any], sid: str) -> None:
        if message["event"] == "start":
            other = "MZ" + "0" * 32
            await websocket.send_json(
                {"event": "media", "streamSid": other, "media": {"payload": audio(5)}}
            )
            await websocket.send_json({"event": "mark", "streamSid": sid, "mark": {"name": "m"}})

    heard: list[tuple[float, str]] = []
    call = run_call(sim, stream_app(sim, wrong_sid, heard))
    assert events(heard)[2:] == [(0.0, "mark", "m")]  # nothing was queued before it
    (failure,) = sim.failures
    assert (failure.code, failure.element) == (31924, "Stream")
    sid = call.streams[0].sid
    sent = json.dumps(
        {"event": "media", "streamSid": "MZ" + "0" * 32, "media": {"payload": audio(5)}},
        separators=(",", ":"),
    )
    assert failure.message == (
        "the app sent a message a bidirectional stream cannot act on (its streamSid is "
        f"'MZ00000000000000000000000000000000', not the stream's {sid!r}: take it from the "
        f"start message): {sent[:200]}; it was dropped. Send media, mark and clear messages"
    )


def test_a_payload_that_is_not_base64_is_31924(sim: Simulator) -> None:
    async def raw_bytes(websocket: WebSocket, message: dict[str, Any], sid: str) -> None:
        if message["event"] == "start":
            await websocket.send_json(
                {"event": "media", "streamSid": sid, "media": {"payload": "not base64!"}}
            )

    call = run_call(sim, stream_app(sim, raw_bytes, []))
    (failure,) = sim.failures
    assert failure.code == 31924
    assert failure.message == (
        "the app sent a message a bidirectional stream cannot act on (its media.payload is "
        'not base64): {"event":"media","streamSid":"'
        + call.streams[0].sid
        + '","media":{"payload":"not base64!"}}; it was dropped. Send media, mark and clear '
        "messages"
    )


def test_a_hang_up_as_the_app_speaks_sends_stop_and_no_mark(sim: Simulator) -> None:
    heard: list[tuple[float, str]] = []
    sim.route(APP, stream_app(sim, talks_until_told, heard))
    sim.phone(CALLER).hangs_up(after=3)
    call = sim.incoming_call(from_=CALLER, to=NUMBER)
    sim.run()
    (stream,) = call.streams or []
    assert heard[2:] == [
        (
            3.0,
            '{"event":"stop","sequenceNumber":"2","streamSid":"'
            + stream.sid
            + '","stop":{"accountSid":"'
            + sim.account_sid
            + '","callSid":"'
            + call.sid
            + '"}}',
        ),
        (3.0, "disconnected"),
    ]


def test_audio_past_ten_minutes_queued_is_discarded_with_31931_once(sim: Simulator) -> None:
    async def floods(websocket: WebSocket, message: dict[str, Any], sid: str) -> None:
        if message["event"] == "start":
            for name, seconds in (("9m", 540), ("over", 61), ("again", 61), ("fits", 60)):
                await websocket.send_json(
                    {"event": "media", "streamSid": sid, "media": {"payload": audio(seconds)}}
                )
                await websocket.send_json(
                    {"event": "mark", "streamSid": sid, "mark": {"name": name}}
                )

    heard: list[tuple[float, str]] = []
    call = run_call(sim, stream_app(sim, floods, heard))
    # 540 s queued: 61 s more would pass ten minutes (twice), the last 60 s just fits
    assert events(heard)[2:] == [
        (540.0, "mark", "9m"),
        (540.0, "mark", "over"),
        (540.0, "mark", "again"),
        (600.0, "mark", "fits"),
    ]
    assert [(f.code, f.level, f.message) for f in sim.failures] == [
        (
            31931,
            "warning",
            "the app's media message of 61 s of audio was discarded: it would have queued "
            "more than 10 minutes of audio not played yet (Twilio accepts no more; said once "
            "a stream); send more audio once a mark says the audio before it has played",
        )
    ]
    assert str(sim.failures[0]) == (
        f"call {call.sid}: Twilio warning 31931 (Stream - Media - Media Discarded) at "
        f"{APP}/voice in <Stream> (line 2): the app's media message of 61 s of audio was "
        "discarded: it would have queued more than 10 minutes of audio not played yet "
        "(Twilio accepts no more; said once a stream); send more audio once a mark says the "
        "audio before it has played [https://www.twilio.com/docs/errors/31931]"
    )


def test_a_key_given_by_hand_as_the_app_speaks_barges_in(sim: Simulator) -> None:
    heard: list[tuple[float, str]] = []
    sim.route(APP, stream_app(sim, talks_until_told, heard))
    call = sim.incoming_call(from_=CALLER, to=NUMBER)
    sim.advance(3)
    call.press("1")
    sim.advance(1)
    assert events(heard)[2:] == [
        (3.5, "dtmf", "1"),  # pressed at 3 s, the key's half second
        (3.5, "mark", "end"),
        (3.75, "mark", "sorry"),
    ]

"""<Connect><ConversationRelay> on the wire: Twilio's messages as raw text (compact JSON,
the keys in the order of sessions recorded from Twilio), and the rules Twilio's page
gives the app's messages (64107, and 64105 after ten malformed messages in a row)."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request, WebSocket, WebSocketDisconnect
from fastapi.responses import Response

from twimlsim import SimCall, Simulator
from twimlsim.engine.events import Played

from .calls import APP, CALLER, NUMBER, run_call

RELAY = """<Response><Connect action="/after">
  <ConversationRelay url="wss://agent.test/relay" dtmfDetection="true">
    <Parameter name="plan" value="gold"/>
  </ConversationRelay>
</Connect></Response>"""

Agent = Callable[[WebSocket, list[Any]], Awaitable[None]]


def relay_app(agent: Agent, heard: list[Any]) -> FastAPI:
    app = FastAPI()

    @app.post("/voice")
    async def voice() -> Response:
        return Response(RELAY, media_type="text/xml")

    @app.post("/after")
    async def after(request: Request) -> Response:
        heard.append({"action": dict(await request.form())})
        return Response("<Response/>", media_type="text/xml")

    @app.websocket("/relay")
    async def relay(websocket: WebSocket) -> None:
        await websocket.accept()
        try:
            await agent(websocket, heard)
        except WebSocketDisconnect as closed:
            heard.append({"closed": closed.code})

    return app


def call_with(sim: Simulator, agent: Agent, heard: list[Any]) -> SimCall:
    return run_call(sim, relay_app(agent, heard))


async def raw_echo(websocket: WebSocket, heard: list[Any]) -> None:
    """Keeps Twilio's raw texts; answers a prompt with one token, and ends on "bye"."""
    while True:
        text = await websocket.receive_text()
        heard.append(text)
        message = json.loads(text)
        if message["type"] == "prompt" and message["voicePrompt"] == "bye":
            await websocket.send_json({"type": "end"})
        elif message["type"] == "prompt":
            await websocket.send_json({"type": "txt", "token": "Sure.", "last": True})
            await websocket.send_json({"type": "text", "token": "Sure.", "last": True})


def test_twilios_messages_are_compact_json_in_twilios_order(sim: Simulator) -> None:
    heard: list[Any] = []
    sim.phone(CALLER).says("hello").presses("4").says("bye")
    call = call_with(sim, raw_echo, heard)
    session = heard[-1]["action"]["SessionId"]
    assert heard[:-2] == [
        '{"type":"setup","sessionId":"'
        + session
        + '","callSid":"'
        + call.sid
        + '","parentCallSid":"","from":"'
        + CALLER
        + '","to":"'
        + NUMBER
        + '","forwardedFrom":"","callerName":"","direction":"inbound","callType":"PSTN",'
        '"callStatus":"RINGING","accountSid":"'
        + sim.account_sid
        + '","customParameters":{"plan":"gold"}}',
        '{"type":"prompt","voicePrompt":"hello","lang":"en-US","last":true}',
        '{"type":"error","description":"Invalid message received: '
        '{\\"type\\":\\"txt\\",\\"token\\":\\"Sure.\\",\\"last\\":true}"}',
        '{"type":"dtmf","digit":"4"}',
        '{"type":"prompt","voicePrompt":"bye","lang":"en-US","last":true}',
    ]
    assert heard[-2] == {"closed": 1000}


def answering(*messages: dict[str, Any]) -> Agent:
    """An agent that answers the first prompt with ``messages``, then ends the session at
    the next, keeping the errors Twilio sends it."""

    async def agent(websocket: WebSocket, heard: list[Any]) -> None:
        prompts = 0
        while True:
            message = json.loads(await websocket.receive_text())
            if message["type"] == "error":
                heard.append(message["description"])
            elif message["type"] == "prompt" and prompts:
                await websocket.send_json({"type": "end"})
            elif message["type"] == "prompt":
                prompts += 1
                for answer in messages:
                    await websocket.send_json(answer)
                await websocket.send_json({"type": "text", "token": "Done.", "last": True})

    return agent


def failures(sim: Simulator) -> list[tuple[int | None, str]]:
    return [(failure.code, failure.message) for failure in sim.failures]


def dropped(problem: str, sent: dict[str, Any]) -> tuple[int, str]:
    """The 64107 failure for a message of the app's Twilio cannot act on."""
    text = json.dumps(sent, separators=(",", ":"))
    return (
        64107,
        f"the app sent a message ConversationRelay cannot act on ({problem}): {text}; it was "
        "dropped and the session went on. Send JSON messages of type text, play, sendDigits, "
        "language or end",
    )


def test_send_digits_takes_0_to_9_w_hash_and_star_only(sim: Simulator) -> None:
    heard: list[Any] = []
    sent = [
        {"type": "sendDigits", "digits": "12A"},
        {"type": "sendDigits", "digits": ""},
        {"type": "sendDigits", "digits": "9w#*0"},
    ]
    sim.phone(CALLER).says("hello").says("bye")
    call = call_with(sim, answering(*sent), heard)
    assert failures(sim) == [
        dropped("its digits '12A' are not one or more of 0-9, w, # and *", sent[0]),
        dropped("its digits '' are not one or more of 0-9, w, # and *", sent[1]),
    ]
    assert heard[:2] == [
        'Invalid message received: {"type":"sendDigits","digits":"12A"}',
        'Invalid message received: {"type":"sendDigits","digits":""}',
    ]
    assert [e.digits for e in call.transcript if isinstance(e, Played)] == ["9w#*0"]


def test_a_language_message_needs_one_of_its_languages(sim: Simulator) -> None:
    sent = {"type": "language", "ttsLanguage": ""}
    sim.phone(CALLER).says("hello").says("bye")
    call_with(sim, answering(sent), [])
    assert failures(sim) == [
        dropped(
            "a language message needs ttsLanguage or transcriptionLanguage, a language code",
            sent,
        )
    ]


def test_play_checks_its_source_and_loop_and_loop_0_plays_1000_times(sim: Simulator) -> None:
    sent = [
        {"type": "play", "source": "hold.mp3"},
        {"type": "play", "source": "https://cdn.test/a.mp3", "loop": "2"},
        {"type": "play", "source": "https://cdn.test/a.mp3", "loop": -1},
        {"type": "play", "source": "https://cdn.test/a.mp3", "loop": 0},
    ]
    sim.media("https://cdn.test/a.mp3", seconds=1)
    sim.phone(CALLER).says("hello").says("bye")
    call = call_with(sim, answering(*sent), [])
    assert failures(sim) == [
        dropped("its source 'hold.mp3' is not an http(s) URL of the media to play", sent[0]),
        dropped("its 'loop' is '2', not a whole number of times (0: 1,000 times)", sent[1]),
        dropped("its 'loop' is -1, not a whole number of times (0: 1,000 times)", sent[2]),
    ]
    played = [(e.url, e.loop) for e in call.transcript if isinstance(e, Played)]
    assert played == [("https://cdn.test/a.mp3", 1000)]


def test_ten_malformed_messages_in_a_row_end_the_session_with_1007_and_64105(
    sim: Simulator,
) -> None:
    async def garbling(websocket: WebSocket, heard: list[Any]) -> None:
        await websocket.receive_text()  # setup
        await websocket.receive_text()  # the prompt
        for number in range(12):
            await websocket.send_text(f"garbage {number}")
        while True:
            heard.append(json.loads(await websocket.receive_text())["type"])

    heard: list[Any] = []
    sim.phone(CALLER).says("hello")
    call = call_with(sim, garbling, heard)
    assert heard[:10] == ["error"] * 9 + [{"closed": 1007}]
    action = heard[10]["action"]
    assert (action["SessionStatus"], action["ErrorCode"]) == ("failed", "64105")
    assert [code for code, _ in failures(sim)] == [64107] * 10 + [64105]
    assert failures(sim)[-1][1] == (
        "the app sent 10 messages in a row ConversationRelay cannot act on: Twilio closed the "
        'socket (code 1007, "Too many consecutive malformed messages") and the session ended; '
        "send JSON messages of type text, play, sendDigits, language or end"
    )
    assert call.status == "completed"


def test_a_valid_message_starts_the_count_again(sim: Simulator) -> None:
    async def sloppy(websocket: WebSocket, heard: list[Any]) -> None:
        await websocket.receive_text()  # setup
        await websocket.receive_text()  # the prompt
        for number in range(18):
            if number == 9:
                await websocket.send_json({"type": "language", "ttsLanguage": "en-GB"})
            await websocket.send_text(f"garbage {number}")
        await websocket.send_json({"type": "end"})
        while True:
            await websocket.receive_text()

    heard: list[Any] = []
    sim.phone(CALLER).says("hello")
    call_with(sim, sloppy, heard)
    assert [code for code, _ in failures(sim)] == [64107] * 18
    assert heard[-1]["action"]["SessionStatus"] == "ended"


def setup_status(sim: Simulator, voice: str, relay: str) -> str:
    """The ``callStatus`` of the ``setup`` message of an inbound call whose first document
    is ``voice`` (``/relay`` serving ``relay``)."""
    seen: list[str] = []
    app = FastAPI()

    @app.post("/voice")
    async def first() -> Response:
        return Response(voice, media_type="text/xml")

    @app.post("/relay")
    async def second() -> Response:
        return Response(relay, media_type="text/xml")

    @app.websocket("/relay")
    async def socket(websocket: WebSocket) -> None:
        await websocket.accept()
        seen.append(json.loads(await websocket.receive_text())["callStatus"])
        await websocket.send_json({"type": "end"})
        with contextlib.suppress(WebSocketDisconnect):
            await websocket.receive_text()

    run_call(sim, app)
    (status,) = seen
    return status


SESSION = '<Connect><ConversationRelay url="wss://agent.test/relay"/></Connect>'


def test_call_status_is_the_one_the_document_was_fetched_with(sim: Simulator) -> None:
    # fetched while the call rang: RINGING, whichever verb of it answered
    assert setup_status(sim, f"<Response>{SESSION}</Response>", "") == "RINGING"
    said_first = f"<Response><Say>Hi.</Say>{SESSION}</Response>"
    assert setup_status(sim, said_first, "") == "RINGING"
    # a document fetched once the call was answered
    redirected = "<Response><Say>Hi.</Say><Redirect>/relay</Redirect></Response>"
    assert setup_status(sim, redirected, f"<Response>{SESSION}</Response>") == "IN-PROGRESS"


def test_an_outbound_calls_session_is_in_progress(sim: Simulator) -> None:
    seen: list[str] = []

    async def status(websocket: WebSocket, heard: list[Any]) -> None:
        seen.append(json.loads(await websocket.receive_text())["callStatus"])
        await websocket.send_json({"type": "end"})
        await websocket.receive_text()

    sim.route(APP, relay_app(status, []))
    sim.client().calls.create(to=CALLER, from_=NUMBER, url=f"{APP}/voice")
    sim.run()
    assert seen == ["IN-PROGRESS"]

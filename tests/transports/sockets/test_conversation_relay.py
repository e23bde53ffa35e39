"""<Connect><ConversationRelay> with the app's WebSocket route (FastAPI) run in process:
Twilio's messages to it, its answers heard by the caller, its end and its failures."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI, Request, WebSocket, WebSocketDisconnect
from fastapi.responses import Response

from twimlsim import SimCall, Simulator
from twimlsim.engine.events import Played, Said
from twimlsim.signature import compute_signature
from twimlsim.transports import asgi_websocket
from twimlsim.transports.timing import LIFT_THE_LIMIT, wall_seconds

from .calls import APP, CALLER, NUMBER, run_call

RELAY = """<Response><Connect action="/after">
  <ConversationRelay url="wss://agent.test/relay?tenant=7" welcomeGreeting="Hi! How can I help?"
      dtmfDetection="true" voice="en-US-Journey-O">
    <Parameter name="plan" value="gold"/>
  </ConversationRelay>
</Connect><Say>Back in TwiML.</Say></Response>"""


def relay_app(
    handler: Callable[[WebSocket, list[dict[str, Any]]], Any],
    received: list[dict[str, Any]],
    twiml: str = RELAY,
) -> FastAPI:
    app = FastAPI()

    @app.post("/voice")
    async def voice() -> Response:
        return Response(twiml, media_type="text/xml")

    @app.post("/after")
    async def after(request: Request) -> Response:
        form = await request.form()
        received.append({"action": dict(form)})
        return Response("<Response><Say>Goodbye.</Say></Response>", media_type="text/xml")

    @app.websocket("/relay")
    async def relay(websocket: WebSocket) -> None:
        received.append(
            {
                "signature": websocket.headers.get("x-twilio-signature"),
                "url": str(websocket.url),
                "tenant": websocket.query_params.get("tenant"),
            }
        )
        await websocket.accept()
        await handler(websocket, received)

    return app


def said_hello_to(
    sim: Simulator,
    handler: Callable[[WebSocket, list[dict[str, Any]]], Any],
    received: list[dict[str, Any]],
) -> SimCall:
    """An incoming call to ``handler``'s relay whose caller says "hello", run."""
    sim.phone(CALLER).says("hello")
    return run_call(sim, relay_app(handler, received))


async def echo_agent(websocket: WebSocket, received: list[dict[str, Any]]) -> None:
    """Answers each prompt in two tokens, each key in words; ends on 'transfer'."""
    try:
        while True:
            message = json.loads(await websocket.receive_text())
            received.append(message)
            if message["type"] == "prompt":
                words = message["voicePrompt"]
                if "transfer" in words:
                    await websocket.send_json({"type": "end", "handoffData": '{"to": "sales"}'})
                    continue
                await websocket.send_json({"type": "text", "token": "You said", "last": False})
                await websocket.send_json({"type": "text", "token": f" {words}.", "last": True})
            elif message["type"] == "dtmf":
                await websocket.send_json(
                    {"type": "text", "token": f"You pressed {message['digit']}.", "last": True}
                )
    except WebSocketDisconnect:
        received.append({"disconnected": True})


def test_setup_prompts_dtmf_and_end_reach_the_app_and_the_caller_hears_its_answers(
    sim: Simulator,
) -> None:
    received: list[dict[str, Any]] = []
    sim.phone(CALLER).says("what are your hours").presses("5").says("transfer me please")
    call = run_call(sim, relay_app(echo_agent, received))
    url = "wss://agent.test/relay?tenant=7"
    assert received[0] == {
        "signature": compute_signature(sim.auth_token, url),
        "url": url,
        "tenant": "7",
    }
    setup = received[1]
    session = setup["sessionId"]
    assert re.fullmatch("VX[0-9a-f]{32}", session)
    assert setup == {
        "type": "setup",
        "sessionId": session,
        "accountSid": sim.account_sid,
        "parentCallSid": "",
        "callSid": call.sid,
        "from": CALLER,
        "to": NUMBER,
        "forwardedFrom": "",
        "callType": "PSTN",
        "callerName": "",
        "direction": "inbound",
        # the CallStatus of the request that fetched the document (an inbound call's first:
        # ringing), as Twilio's example and a session recorded from Twilio give it
        "callStatus": "RINGING",
        "customParameters": {"plan": "gold"},
    }
    assert received[2:6] == [
        {"type": "prompt", "voicePrompt": "what are your hours", "lang": "en-US", "last": True},
        {"type": "dtmf", "digit": "5"},
        {"type": "prompt", "voicePrompt": "transfer me please", "lang": "en-US", "last": True},
        {"disconnected": True},
    ]
    action = received[6]["action"]
    assert action["SessionId"] == session
    assert action["SessionStatus"] == "ended"
    assert action["HandoffData"] == '{"to": "sales"}'
    assert "ErrorCode" not in action
    assert call.said == [
        "Hi! How can I help?",
        "You said what are your hours.",
        "You pressed 5.",
        "Goodbye.",
    ]
    (answer,) = [e for e in call.transcript if isinstance(e, Said) and e.text.startswith("You s")]
    assert answer.voice == "en-US-Journey-O"
    assert sim.failures == []


def test_the_words_take_time_as_a_say_does(sim: Simulator) -> None:
    received: list[dict[str, Any]] = []
    sim.phone(CALLER).says("one two three four five").says("transfer")
    run_call(sim, relay_app(echo_agent, received))
    # the greeting's 5 words take 2 s (2.5 words a second), then the caller speaks 2 s,
    # the answer "You said one two three four five." is 7 words: 3 s; then "transfer" 0.4 s
    assert received[-1]["action"]["SessionDuration"] == "7"


def test_what_the_app_says_at_setup_is_said_after_the_welcome_greeting(sim: Simulator) -> None:
    async def asks_first(websocket: WebSocket, received: list[dict[str, Any]]) -> None:
        try:
            while True:
                message = json.loads(await websocket.receive_text())
                received.append(message)
                question = "What is your name?" if message["type"] == "setup" else "Thanks."
                await websocket.send_json({"type": "text", "token": question, "last": True})
        except WebSocketDisconnect:
            pass

    received: list[dict[str, Any]] = []
    call = said_hello_to(sim, asks_first, received)
    t = sim.clock.at
    # setup goes as the greeting starts; the greeting's 5 words take 2 s, the question's
    # 4 words 2 s, then the caller's "hello" 0.4 s
    assert [(e.at, e.text) for e in call.transcript if isinstance(e, Said)][:3] == [
        (t(0), "Hi! How can I help?"),
        (t(2_000_000), "What is your name?"),
        (t(4_400_000), "Thanks."),
    ]
    assert [m["type"] for m in received[1:]] == ["setup", "prompt"]


def test_the_far_end_hanging_up_closes_the_socket(sim: Simulator) -> None:
    received: list[dict[str, Any]] = []
    sim.phone(CALLER).says("hello").hangs_up(after=10)
    # the caller waits to say more, as at a <Gather>
    call = run_call(sim, relay_app(echo_agent, received))
    assert call.waiting_for is not None and call.waiting_for.input == ("speech", "dtmf")
    sim.run()
    assert received[-2] == {"disconnected": True}
    assert [m.get("type") for m in received[1:]] == ["setup", "prompt", None, None]
    # the socket is closed, then the action requested (SessionStatus completed)
    action = received[-1]["action"]
    place = {"City": "", "Country": "US", "State": "", "Zip": ""}
    assert action == {
        "AccountSid": sim.account_sid,
        "ApiVersion": "2010-04-01",
        "CallSid": call.sid,
        "CallStatus": "completed",
        "Called": NUMBER,
        **{f"Called{key}": value for key, value in place.items()},
        "Caller": CALLER,
        **{f"Caller{key}": value for key, value in place.items()},
        "Direction": "inbound",
        "From": CALLER,
        **{f"From{key}": value for key, value in place.items()},
        "To": NUMBER,
        **{f"To{key}": value for key, value in place.items()},
        "SessionId": received[1]["sessionId"],  # the setup message's
        "SessionStatus": "completed",
        "SessionDuration": "10",
    }
    assert call.status == "completed"
    assert call.said == ["Hi! How can I help?", "You said hello."]


def test_an_app_that_crashes_ends_the_session_with_64105(
    sim: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    async def crashing(websocket: WebSocket, received: list[dict[str, Any]]) -> None:
        await websocket.receive_text()  # setup
        await websocket.receive_text()  # the prompt
        raise RuntimeError("the LLM client is not configured")

    received: list[dict[str, Any]] = []
    said_hello_to(sim, crashing, received)
    (failure,) = sim.failures
    assert failure.code == 64105
    assert failure.message == (
        "the app's WebSocket handler closed the socket (code 1011) without an end message; "
        "it raised RuntimeError: the LLM client is not configured; end a session with "
        '{"type": "end"} (and handoffData) to hand the call back to TwiML'
    )
    action = received[-1]["action"]
    assert (action["SessionStatus"], action["ErrorCode"]) == ("failed", "64105")
    assert "the ASGI app raised in its WebSocket handler at /relay" in caplog.text


def test_a_malformed_message_is_64107_and_the_app_is_told(sim: Simulator) -> None:
    async def sloppy(websocket: WebSocket, received: list[dict[str, Any]]) -> None:
        await websocket.receive_text()  # setup
        await websocket.receive_text()  # the prompt
        await websocket.send_json({"type": "txt", "token": "Hi", "last": True})
        received.append(json.loads(await websocket.receive_text()))
        await websocket.send_json({"type": "end"})
        await websocket.receive_text()

    received: list[dict[str, Any]] = []
    said_hello_to(sim, sloppy, received)
    (failure,) = sim.failures
    assert failure.code == 64107
    assert failure.message == (
        "the app sent a message ConversationRelay cannot act on (its type 'txt' is none of "
        "text, play, sendDigits, language, config, hints, end): "
        '{"type":"txt","token":"Hi","last":true}; it was dropped and the session went on. '
        "Send JSON messages of type text, play, sendDigits, language or end"
    )
    assert received[1] == {
        "type": "error",
        "description": 'Invalid message received: {"type":"txt","token":"Hi","last":true}',
    }
    assert received[-1]["action"]["SessionStatus"] == "ended"


def test_an_app_that_does_not_answer_is_told_after_the_wall_limit() -> None:
    async def silent(websocket: WebSocket, received: list[dict[str, Any]]) -> None:
        while True:
            received.append(json.loads(await websocket.receive_text()))

    received: list[dict[str, Any]] = []
    with Simulator(webhook_timeout=0.2, strict=False) as sim:
        sim.number(NUMBER, voice_url=f"{APP}/voice")
        sim.phone(CALLER).says("hello").hangs_up(after=10)
        call = run_call(sim, relay_app(silent, received))
    (failure,) = sim.failures
    assert failure.code is None
    assert failure.message == (
        "the app did not answer the prompt 'hello': the app's WebSocket handler at "
        "wss://agent.test/relay?tenant=7 did not answer within 0.2 s of wall time (the "
        f"webhook read timeout); what it awaits never came, or it is slow: {LIFT_THE_LIMIT}. "
        "Answer a prompt with text tokens ending in one with last: true (or a play or end "
        "message); the caller heard nothing"
    )
    assert call.said == ["Hi! How can I help?"]


def test_a_refused_handshake_is_64102(sim: Simulator) -> None:
    app = FastAPI()

    @app.post("/voice")
    async def voice() -> Response:
        return Response(RELAY.replace(' action="/after"', ""), media_type="text/xml")

    @app.websocket("/relay")
    async def relay(websocket: WebSocket) -> None:
        await websocket.close(code=1008)  # e.g. a signature it could not validate

    call = run_call(sim, app)
    (failure,) = sim.failures
    assert failure.code == 64102
    assert failure.message == (
        "Twilio could not connect to the app's WebSocket at wss://agent.test/relay?tenant=7: "
        "its handler closed the connection before accepting it (HTTP 403); the session "
        "ended at once"
    )
    assert call.said == ["Hi! How can I help?", "Back in TwiML."]


def test_a_wsgi_app_keeps_the_call_held_as_before(sim: Simulator) -> None:
    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "text/xml")])
        return [RELAY.encode()]

    call = run_call(sim, app)
    assert call.waiting_for is not None and call.waiting_for.verb == "Connect"
    assert call.waiting_for.input == ()


def test_play_send_digits_and_language_messages(sim: Simulator) -> None:
    async def ivr(websocket: WebSocket, received: list[dict[str, Any]]) -> None:
        received.append(json.loads(await websocket.receive_text()))  # setup
        await websocket.send_json(
            {"type": "language", "transcriptionLanguage": "es-ES", "ttsLanguage": "es-MX"}
        )
        await websocket.send_json({"type": "text", "token": "Hola.", "last": True})
        await websocket.send_json({"type": "sendDigits", "digits": "12"})
        received.append(json.loads(await websocket.receive_text()))  # the prompt
        await websocket.send_json({"type": "play", "source": "https://cdn.test/hold.mp3"})
        received.append(json.loads(await websocket.receive_text()))  # the next prompt
        await websocket.send_json({"type": "end"})
        await websocket.receive_text()

    received: list[dict[str, Any]] = []
    sim.media("https://cdn.test/hold.mp3", seconds=30)
    sim.phone(CALLER).says("hola").says("adios")
    call = run_call(sim, relay_app(ivr, received))
    assert [m.get("voicePrompt") for m in received[2:4]] == ["hola", "adios"]
    assert [m.get("lang") for m in received[2:4]] == ["es-ES", "es-ES"]
    played = [(e.url, e.digits) for e in call.transcript if isinstance(e, Played)]
    assert played == [("", "12"), ("https://cdn.test/hold.mp3", None)]
    action = received[-1]["action"]
    assert "HandoffData" not in action
    said = [(e.text, e.language) for e in call.transcript if isinstance(e, Said)]
    assert said[:2] == [("Hi! How can I help?", "en-US"), ("Hola.", "es-MX")]
    # the greeting's 2 s, 1 s of words, 1 s of digits, 0.4 s of speech, 30 s of media, 0.4 s
    # of speech
    assert action["SessionDuration"] == "34"
    assert sim.failures == []


def test_the_test_can_still_play_the_server_closing(sim: Simulator) -> None:
    received: list[dict[str, Any]] = []
    call = run_call(sim, relay_app(echo_agent, received))
    call.close_stream(handoff_data='{"reason": "test"}').run()
    assert received[2] == {"disconnected": True}
    assert received[3]["action"]["HandoffData"] == '{"reason": "test"}'


def test_reset_and_stop_close_the_sockets_still_open(caplog: pytest.LogCaptureFixture) -> None:
    received: list[dict[str, Any]] = []
    with Simulator() as sim:
        sim.number(NUMBER, voice_url=f"{APP}/voice")
        sim.route(APP, relay_app(echo_agent, received))
        sim.incoming_call(from_=CALLER, to=NUMBER).run()
        sim.reset()
        assert received[-1] == {"disconnected": True}
        sim.number(NUMBER, voice_url=f"{APP}/voice")
        sim.incoming_call(from_=CALLER, to=NUMBER).run()
        assert received[-1]["type"] == "setup"
    assert received[-1] == {"disconnected": True}
    assert "twimlsim cancelled it" not in caplog.text


def test_a_barge_in_interrupts_the_agent_and_the_app_hears_it() -> None:
    received: list[dict[str, Any]] = []
    with Simulator(strict=False) as sim:
        sim.number(NUMBER, voice_url=f"{APP}/voice")
        sim.phone(CALLER).says("tell me a long story").says("transfer", barge_in=True)
        call = run_call(sim, relay_app(echo_agent, received))
    assert [m.get("type") for m in received[1:6]] == [
        "setup",
        "prompt",
        "interrupt",
        "prompt",
        None,
    ]
    assert received[3] == {
        "type": "interrupt",
        "utteranceUntilInterrupt": "",
        "durationUntilInterruptMs": 0,
    }
    said = [e for e in call.transcript if isinstance(e, Said)]
    assert [(e.text, e.interrupted) for e in said[:2]] == [
        ("Hi! How can I help?", False),
        ("You said tell me a long story.", True),
    ]
    assert received[6]["action"]["HandoffData"] == '{"to": "sales"}'


def test_interruptible_none_lets_the_agent_finish_and_reports_the_input_if_asked() -> None:
    """With reportInputDuringAgentSpeech="any" the app receives what the caller said over
    the agent, once the words are over."""
    received: list[dict[str, Any]] = []
    twiml = RELAY.replace(
        'dtmfDetection="true"',
        'dtmfDetection="true" interruptible="none" reportInputDuringAgentSpeech="any"',
    )
    with Simulator(strict=False) as sim:
        sim.number(NUMBER, voice_url=f"{APP}/voice")
        sim.phone(CALLER).says("tell me a long story").says("transfer", barge_in=True)
        call = run_call(sim, relay_app(echo_agent, received, twiml))
    assert [m.get("type") for m in received[1:5]] == ["setup", "prompt", "prompt", None]
    assert received[3]["voicePrompt"] == "transfer"
    said = [e for e in call.transcript if isinstance(e, Said)]
    assert [e.interrupted for e in said] == [False, False, False]


@pytest.mark.parametrize("report", ["", ' reportInputDuringAgentSpeech="none"'])
def test_input_over_the_agent_is_not_reported_by_default(report: str) -> None:
    """Twilio's <ConversationRelay> page: reportInputDuringAgentSpeech "Specifies whether
    your application receives prompts and DTMF events while the agent is speaking", and
    its default is none (since May 2025). The prompt was delivered after the words."""
    received: list[dict[str, Any]] = []
    twiml = RELAY.replace(
        'dtmfDetection="true"', f'dtmfDetection="true" interruptible="none"{report}'
    )
    with Simulator(strict=False) as sim:
        sim.number(NUMBER, voice_url=f"{APP}/voice")
        script = sim.phone(CALLER).says("tell me a long story")
        script.says("transfer", barge_in=True).hangs_up(after=10)
        call = run_call(sim, relay_app(echo_agent, received, twiml))
        sim.run()
    prompts = [m["voicePrompt"] for m in received if m.get("type") == "prompt"]
    assert prompts == ["tell me a long story"]
    said = [(e.text, e.interrupted) for e in call.transcript if isinstance(e, Said)]
    assert said == [("Hi! How can I help?", False), ("You said tell me a long story.", False)]
    assert received[-1]["action"]["SessionStatus"] == "completed"


def test_the_handler_can_redirect_the_call_through_the_rest_api(sim: Simulator) -> None:
    client = sim.client()

    async def transferring(websocket: WebSocket, received: list[dict[str, Any]]) -> None:
        setup = json.loads(await websocket.receive_text())
        try:
            while True:
                message = json.loads(await websocket.receive_text())
                if message["type"] == "prompt":
                    client.calls(setup["callSid"]).update(
                        twiml="<Response><Say>Transferring you now.</Say></Response>"
                    )
        except WebSocketDisconnect:
            received.append({"disconnected": True})

    received: list[dict[str, Any]] = []
    sim.phone(CALLER).says("a person please")
    call = run_call(sim, relay_app(transferring, received))
    assert call.said == ["Hi! How can I help?", "Transferring you now."]
    assert received[-1] == {"disconnected": True}
    assert sim.failures == []  # the prompt's answer was not awaited: the call moved on


def test_a_handler_hanging_up_another_relay_call_does_not_block(sim: Simulator) -> None:
    client = sim.client()
    sids: list[str] = []

    async def ending_the_other(websocket: WebSocket, received: list[dict[str, Any]]) -> None:
        setup = json.loads(await websocket.receive_text())
        sids.append(setup["callSid"])
        try:
            while True:
                message = json.loads(await websocket.receive_text())
                if message["type"] == "prompt":
                    client.calls(sids[0]).update(status="completed")
                    await websocket.send_json({"type": "text", "token": "Done.", "last": True})
        except WebSocketDisconnect:
            received.append({"disconnected": setup["callSid"]})

    received: list[dict[str, Any]] = []
    sim.route(APP, relay_app(ending_the_other, received))
    first = sim.incoming_call(from_=CALLER, to=NUMBER)
    first.run()
    sim.phone("+15558675311").says("end the first call")
    second = sim.incoming_call(from_="+15558675311", to=NUMBER)
    second.run()
    sim.run()
    assert first.status == "completed"
    assert second.said == ["Hi! How can I help?", "Done."]
    assert {"disconnected": first.sid} in received


def test_an_app_mounted_under_a_path_gets_its_route(sim: Simulator) -> None:
    received: list[dict[str, Any]] = []
    twiml = RELAY.replace("wss://agent.test/relay", "wss://agent.test/bot/relay").replace(
        'action="/after"', 'action="after"'
    )
    sim.route(f"{APP}/bot", relay_app(echo_agent, received, twiml))
    sim.number(NUMBER, voice_url=f"{APP}/bot/voice")
    sim.phone(CALLER).says("transfer")
    call = sim.incoming_call(from_=CALLER, to=NUMBER)
    call.run()
    url = "wss://agent.test/bot/relay?tenant=7"
    assert received[0] == {
        "signature": compute_signature(sim.auth_token, url),
        "url": url,
        "tenant": "7",
    }
    assert received[-1]["action"]["HandoffData"] == '{"to": "sales"}'


def test_a_handler_blocking_its_loop_is_given_up_not_waited_for(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(asgi_websocket, "_BLOCKED_GRACE_SECONDS", 0.05)

    async def blocking(websocket: WebSocket, received: list[dict[str, Any]]) -> None:
        await websocket.receive_text()  # setup
        await websocket.receive_text()  # the prompt
        time.sleep(0.4)  # a synchronous LLM client holds the loop
        await websocket.send_json({"type": "text", "token": "Late.", "last": True})
        await websocket.receive_text()

    received: list[dict[str, Any]] = []
    with Simulator(webhook_timeout=0.1, strict=False) as sim:
        sim.number(NUMBER, voice_url=f"{APP}/voice")
        sim.route(APP, relay_app(blocking, received, RELAY.replace(' action="/after"', "")))
        sim.phone(CALLER).says("hello")
        started = wall_seconds()
        call = sim.incoming_call(from_=CALLER, to=NUMBER)
        call.run()
        assert wall_seconds() - started < 0.4  # not waited for
    (failure,) = sim.failures
    assert failure.code == 64105
    assert failure.message == (
        "the app's WebSocket handler closed the socket (code 1006) without an end message; "
        "the app's WebSocket handler at wss://agent.test/relay?tenant=7 blocked its event "
        "loop for more than 0.1 s of wall time (a synchronous call in an async handler: "
        "time.sleep, a blocking HTTP client); await instead, or run the blocking call with "
        'asyncio.to_thread; the socket is given up; end a session with {"type": "end"} '
        "(and handoffData) to hand the call back to TwiML"
    )
    assert call.said == ["Hi! How can I help?", "Back in TwiML."]


def test_a_last_that_is_not_a_boolean_is_64107(sim: Simulator) -> None:
    async def stringly(websocket: WebSocket, received: list[dict[str, Any]]) -> None:
        await websocket.receive_text()  # setup
        await websocket.receive_text()  # the prompt
        await websocket.send_json({"type": "text", "token": "Hi.", "last": "true"})
        await websocket.receive_text()  # the error
        await websocket.send_json({"type": "text", "token": "Hi.", "last": True})
        await websocket.receive_text()

    call = said_hello_to(sim, stringly, [])
    (failure,) = sim.failures
    assert failure.code == 64107
    assert failure.message == (
        "the app sent a message ConversationRelay cannot act on (its 'last' is 'true', not "
        'true or false): {"type":"text","token":"Hi.","last":"true"}; it was dropped and the '
        "session went on. Send JSON messages of type text, play, sendDigits, language or end"
    )
    assert call.said == ["Hi! How can I help?", "Hi."]


def test_an_asgi_app_without_the_websocket_route_keeps_the_call_held(sim: Simulator) -> None:
    app = FastAPI()  # its WebSocket server is another service

    @app.post("/voice")
    async def voice() -> Response:
        return Response(RELAY, media_type="text/xml")

    @app.post("/after")
    async def after() -> Response:
        return Response("<Response><Say>Goodbye.</Say></Response>", media_type="text/xml")

    call = run_call(sim, app)
    assert call.waiting_for is not None and call.waiting_for.input == ()
    call.close_stream(handoff_data="{}").run()
    assert call.said == ["Hi! How can I help?", "Goodbye."]
    assert sim.failures == []


def test_twilios_validator_accepts_the_handshakes_signature(sim: Simulator) -> None:
    from twilio.request_validator import RequestValidator

    validator = RequestValidator(sim.auth_token)
    app = FastAPI()

    @app.post("/voice")
    async def voice() -> Response:
        return Response(RELAY.replace(' action="/after"', ""), media_type="text/xml")

    @app.websocket("/relay")
    async def relay(websocket: WebSocket) -> None:
        signature = websocket.headers.get("x-twilio-signature", "")
        if not validator.validate(str(websocket.url), {}, signature):
            await websocket.close(code=1008)
            return
        await websocket.accept()
        await websocket.receive_text()  # setup
        await websocket.send_json({"type": "end"})
        await websocket.receive_text()

    call = run_call(sim, app)
    assert sim.failures == []
    assert call.said == ["Hi! How can I help?", "Back in TwiML."]


def test_a_type_that_is_no_string_is_64107(sim: Simulator) -> None:
    async def listed(websocket: WebSocket, received: list[dict[str, Any]]) -> None:
        await websocket.receive_text()  # setup
        await websocket.receive_text()  # the prompt
        await websocket.send_json({"type": ["text"], "token": "Hi.", "last": True})
        await websocket.receive_text()  # the error
        await websocket.send_json({"type": "text", "token": "Hi.", "last": True})
        await websocket.receive_text()

    call = said_hello_to(sim, listed, [])
    assert [(failure.code, failure.message) for failure in sim.failures] == [
        (
            64107,
            "the app sent a message ConversationRelay cannot act on (its type ['text'] is none "
            "of text, play, sendDigits, language, config, hints, end): "
            '{"type":["text"],"token":"Hi.","last":true}; it was dropped and the session went '
            "on. Send JSON messages of type text, play, sendDigits, language or end",
        )
    ]
    assert call.said == ["Hi! How can I help?", "Hi."]


def test_a_text_tokens_lang_is_the_language_it_is_said_in(sim: Simulator) -> None:
    """Twilio's <ConversationRelay> page: the TTS language is set by, in order, language,
    ttsLanguage, the last language message's ttsLanguage and "The lang value in the text
    token message", later ones overriding earlier ones. It was the ttsLanguage."""

    async def agent(websocket: WebSocket, received: list[dict[str, Any]]) -> None:
        received.append(json.loads(await websocket.receive_text()))  # setup
        await websocket.send_json({"type": "language", "ttsLanguage": "es-MX"})
        await websocket.send_json({"type": "text", "token": "Bonjour", "lang": "fr-FR"})
        await websocket.send_json({"type": "text", "token": " !", "last": True})
        await websocket.send_json({"type": "text", "token": "Hola.", "last": True})
        await websocket.send_json(
            {"type": "text", "token": "Hej då.", "lang": "sv-SE", "last": True}
        )
        await websocket.send_json({"type": "end"})
        await websocket.receive_text()

    received: list[dict[str, Any]] = []
    call = run_call(sim, relay_app(agent, received))
    said = [(e.text, e.language) for e in call.transcript if isinstance(e, Said)]
    assert said[:4] == [
        ("Hi! How can I help?", "en-US"),
        ("Bonjour !", "fr-FR"),
        ("Hola.", "es-MX"),
        ("Hej då.", "sv-SE"),
    ]
    assert sim.failures == []


def test_config_and_hints_messages_are_taken_and_the_session_goes_on(sim: Simulator) -> None:
    """Twilio's changelog (2026-10-28) introduces "new inbound config, hints, and language
    WebSocket messages" that change a session's settings mid-call: Twilio acts on them, so
    they are no 64107 (they were refused as an unknown type, the app told with an error)."""

    async def tuning(websocket: WebSocket, received: list[dict[str, Any]]) -> None:
        await websocket.receive_text()  # setup
        received.append(json.loads(await websocket.receive_text()))  # the prompt
        await websocket.send_json({"type": "config", "interruptible": "none"})
        await websocket.send_json({"type": "hints", "hints": "Twilio, ConversationRelay"})
        await websocket.send_json({"type": "text", "token": "Tuned.", "last": True})
        await websocket.send_json({"type": "end"})
        received.append(json.loads(await websocket.receive_text()))

    received: list[dict[str, Any]] = []
    call = said_hello_to(sim, tuning, received)
    assert sim.failures == []
    assert call.said == ["Hi! How can I help?", "Tuned.", "Goodbye."]
    assert received[1] == {"type": "prompt", "voicePrompt": "hello", "lang": "en-US", "last": True}
    assert received[-1]["action"]["SessionStatus"] == "ended"

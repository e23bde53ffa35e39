"""``<Connect><Stream>``: the call stays connected until the app's server closes the stream
(``call.close_stream()``), the far end hangs up, the time limit or a REST update."""

from __future__ import annotations

import pytest
from twilio.base.exceptions import TwilioRestException

from tests.engine.helpers import base, log, place, response, simulator
from tests.support import APP_URL, CALLEE
from twimlsim import ConfigurationError, SimulationError
from twimlsim.engine.events import (
    Answered,
    HungUp,
    Said,
    StreamClosed,
    StreamConnected,
)
from twimlsim.engine.process import Waiting
from twimlsim.report import transcript_line

STREAM = (
    '<Stream url="wss://ai.test/media" name="agent">'
    '<Parameter name="caller" value="+15557770001"/><Parameter name="lang" value="en"/>'
    "</Stream>"
)
CONNECTED = ("wss://ai.test/media", "agent", (("caller", "+15557770001"), ("lang", "en")))


def test_closing_the_stream_requests_the_connect_action() -> None:
    routes = {
        "/voice": response(f'<Connect action="/ended">{STREAM}</Connect><Say>not reached</Say>'),
        "/ended": response("<Say>Goodbye</Say>"),
    }
    with simulator(routes) as (sim, _):
        call = place(sim)
        call.run()
        assert call.waiting_for == Waiting(
            "Connect", input=(), details={"url": "wss://ai.test/media", "name": "agent"}
        )
        sim.advance(30)
        call.close_stream().run()
    t = sim.clock.at
    assert call.transcript == [
        Answered(t(0)),
        StreamConnected(t(0), *CONNECTED),
        StreamClosed(t(30_000_000), 30),
        Said(t(30_000_000), "Goodbye", "man", "en-US"),
        HungUp(t(31_000_000), by="twiml", status="completed"),
    ]
    assert log(call) == [
        ("voice", "POST", f"{APP_URL}/voice"),
        ("connect", "POST", f"{APP_URL}/ended"),
    ]
    assert call.requests[1].params == base(sim, call, "in-progress")
    assert (call.status, call.duration) == ("completed", 31)


def test_without_an_action_the_next_verb_runs_once_the_stream_closes() -> None:
    body = f"<Connect>{STREAM}</Connect><Say>Back to the menu</Say>"
    with simulator({"/voice": response(body)}) as (sim, _):
        call = place(sim)
        call.run()
        sim.advance(12)
        call.close_stream().run()
    assert call.said == ["Back to the menu"]
    assert [r.kind for r in call.requests] == ["voice"]
    assert call.duration == 14  # 12 s in the stream, 2 s of speech


def test_the_far_end_hanging_up_ends_the_call_without_the_action() -> None:
    routes = {"/voice": response(f'<Connect action="/ended">{STREAM}</Connect>')}
    with simulator(routes) as (sim, _):
        sim.phone(CALLEE).hangs_up(after=75)
        call = place(sim)
        sim.run()
    t = sim.clock.at
    assert call.transcript == [
        Answered(t(0)),
        StreamConnected(t(0), *CONNECTED),
        HungUp(t(75_000_000), by="caller", status="completed"),
    ]
    assert [r.kind for r in call.requests] == ["voice"]


def test_a_rest_update_takes_the_call_out_of_the_stream() -> None:
    routes = {"/voice": response(f'<Connect action="/ended">{STREAM}</Connect>')}
    with simulator(routes) as (sim, _):
        call = place(sim)
        sim.advance(20)
        sim.client().calls(call.sid).update(twiml="<Response><Say>Transferring</Say></Response>")
        sim.run()
    t = sim.clock.at
    assert call.transcript[1:] == [
        StreamConnected(t(0), *CONNECTED),
        Said(t(20_000_000), "Transferring", "man", "en-US"),
        HungUp(t(21_000_000), by="twiml", status="completed"),
    ]
    assert [r.kind for r in call.requests] == ["voice"]


def test_scripted_input_is_kept_for_the_verbs_after_the_stream() -> None:
    body = f'<Connect>{STREAM}</Connect><Gather numDigits="1" action="/menu"/>'
    routes = {"/voice": response(body), "/menu": response("<Say>Thanks</Say>")}
    with simulator(routes) as (sim, _):
        sim.phone(CALLEE).presses("4")
        call = place(sim)
        call.run()
        call.close_stream()
        sim.run()
    assert call.requests[-1].params["Digits"] == "4"
    assert call.said == ["Thanks"]


def test_a_stream_the_app_never_closes_names_close_stream_at_the_time_limit() -> None:
    with (
        pytest.raises(SimulationError) as raised,
        simulator({"/voice": response(f"<Connect>{STREAM}</Connect>")}) as (sim, _),
    ):
        place(sim)
        sim.run()
    assert (
        "its TwiML was still running (connected to the stream wss://ai.test/media, which "
        "lasts until the app's server closes it: call.close_stream())"
    ) in str(raised.value)


def test_close_stream_refuses_a_call_that_is_not_in_a_stream() -> None:
    body = '<Gather numDigits="1"/>'
    with simulator({"/voice": response(body)}, strict=False) as (sim, _):
        call = place(sim)
        with pytest.raises(ConfigurationError) as queued:
            call.close_stream()
        call.run()
        with pytest.raises(ConfigurationError) as gathering:
            call.close_stream()
    assert str(queued.value) == (
        f"call.close_stream(): call {call.sid} is not connected to a stream (status queued, "
        "not waiting); run it with call.run() until call.waiting_for.verb == 'Connect'"
    )
    assert str(gathering.value) == (
        f"call.close_stream(): call {call.sid} is not connected to a stream (status "
        "in-progress, waiting at a <Gather>); run it with call.run() until "
        "call.waiting_for.verb == 'Connect'"
    )


def test_the_report_reads_the_stream_events_as_words() -> None:
    routes = {"/voice": response(f"<Connect>{STREAM}</Connect>")}
    with simulator(routes) as (sim, _):
        call = place(sim)
        call.run()
        sim.advance(25)
        call.close_stream().run()
    assert [transcript_line(event) for event in call.transcript[1:3]] == [
        "  09:00:00  connected to the stream wss://ai.test/media (agent), caller='+15557770001', "
        "lang='en'",
        "  09:00:25  stream closed by the app's server after 25s",
    ]


CALLBACK = '<Stream url="wss://ai.test/media" name="agent" statusCallback="/stream-events"/>'


def events_of(call):  # type: ignore[no-untyped-def]
    return [
        (r.params["StreamEvent"], r.params["Timestamp"][-14:-6])
        for r in call.requests
        if r.kind == "stream"
    ]


@pytest.mark.parametrize(
    ("how", "stopped_at"),
    [
        ("close", "09:00:09"),
        ("hang up", "09:00:07"),
        ("update", "09:00:05"),
        ("transfer", "09:00:05"),  # the new TwiML runs on: the stream stopped at the update
    ],
)
def test_the_stream_reports_its_start_and_stop_whatever_ends_it(how: str, stopped_at: str) -> None:
    routes = {"/voice": response(f"<Connect>{CALLBACK}</Connect>"), "/stream-events": ""}
    with simulator(routes) as (sim, _):
        sim.phone(CALLEE).hangs_up(after=7 if how == "hang up" else 30)
        call = place(sim)
        if how == "close":
            call.run()
            sim.advance(9)
            call.close_stream()
        elif how == "update":
            sim.advance(5)
            sim.client().calls(call.sid).update(twiml="<Response><Hangup/></Response>")
        elif how == "transfer":
            sim.advance(5)
            transfer = '<Response><Say>Transferring</Say><Pause length="10"/></Response>'
            sim.client().calls(call.sid).update(twiml=transfer)
        sim.run()
    if how == "transfer":
        assert call.end_time == sim.clock.at(16_000_000)
    (stream,) = call.streams or []
    assert (stream.bidirectional, stream.name, stream.status) == (True, "agent", "stopped")
    assert events_of(call) == [
        ("stream-started", "09:00:00"),
        ("stream-stopped", f"09:{stopped_at[3:]}"),
    ]
    first = next(r for r in call.requests if r.kind == "stream")
    assert first.params == {
        "AccountSid": sim.account_sid,
        "CallSid": call.sid,
        "StreamSid": stream.sid,
        "StreamName": "agent",
        "StreamEvent": "stream-started",
        "Timestamp": "Thu, 01 Jan 2026 09:00:00 +0000",
    }


def test_the_rest_api_cannot_stop_a_connect_stream() -> None:
    with simulator({"/voice": response(f"<Connect>{STREAM}</Connect>")}) as (sim, _):
        sim.phone(CALLEE).hangs_up(after=30)
        call = place(sim)
        sim.advance(3)
        with pytest.raises(TwilioRestException) as raised:
            sim.client().calls(call.sid).streams("agent").update(status="stopped")
        sim.run()
    assert (raised.value.status, raised.value.code) == (404, 20404)


RELAY = (
    '<ConversationRelay url="wss://ai.test/relay" welcomeGreeting="Hi! How can I help?" '
    'voice="en-US-Journey-O"><Parameter name="customer" value="42"/></ConversationRelay>'
)


@pytest.mark.parametrize("handoff", [None, '{"reason": "transfer"}'])
def test_a_conversation_relay_session_ended_by_the_app_requests_the_action(
    handoff: str | None,
) -> None:
    routes = {
        "/voice": response(f'<Connect action="/after">{RELAY}</Connect>'),
        "/after": response("<Say>Connecting you to an agent.</Say>"),
    }
    with simulator(routes) as (sim, _):
        call = place(sim)
        call.run()
        assert call.waiting_for is not None and call.waiting_for.details == {
            "url": "wss://ai.test/relay",
            "name": None,
            "noun": "ConversationRelay",
        }
        sim.advance(40)  # after the greeting's 2 s, the caller talks with the agent
        call.close_stream(handoff_data=handoff).run()
    t = sim.clock.at
    assert call.transcript == [
        Answered(t(0)),
        StreamConnected(t(0), "wss://ai.test/relay", None, (("customer", "42"),)),
        Said(t(0), "Hi! How can I help?", "en-US-Journey-O", "en-US"),
        StreamClosed(t(42_000_000), 42),
        Said(t(42_000_000), "Connecting you to an agent.", "man", "en-US"),
        HungUp(t(44_000_000), by="twiml", status="completed"),
    ]
    (after,) = [r for r in call.requests if r.kind == "connect"]
    session = after.params["SessionId"]
    expected = dict(
        base(sim, call, "in-progress"),
        SessionId=session,
        SessionStatus="ended",
        SessionDuration="42",
    )
    if handoff is not None:
        expected["HandoffData"] = handoff
    assert (after.url, after.params) == (f"{APP_URL}/after", expected)
    assert session.startswith("VX") and len(session) == 34
    assert call.streams is None  # a relay session is not a Stream resource


def test_a_conversation_relay_the_caller_hangs_up_on_requests_the_action_completed() -> None:
    """Twilio's <ConversationRelay> page gives the action's payload for "Session completed
    normally (caller hung up)": CallStatus and SessionStatus completed (it requested
    nothing). The action's TwiML is not run."""
    routes = {
        "/voice": response(f'<Connect action="/after">{RELAY}</Connect>'),
        "/after": response("<Say>never heard</Say>"),
    }
    with simulator(routes) as (sim, _):
        sim.phone(CALLEE).hangs_up(after=20)
        call = place(sim)
        sim.run()
    assert [(r.kind, r.url) for r in call.requests] == [
        ("voice", f"{APP_URL}/voice"),
        ("connect", f"{APP_URL}/after"),
    ]
    after = call.requests[1]
    session = after.params["SessionId"]
    assert session.startswith("VX") and len(session) == 34
    assert after.params == dict(
        base(sim, call, "completed"),
        SessionId=session,
        SessionStatus="completed",
        SessionDuration="20",
    )
    assert after.at == sim.clock.at(20_000_000)
    assert (call.said, call.duration, call.status) == (["Hi! How can I help?"], 20, "completed")


def test_a_stream_the_caller_hangs_up_on_requests_nothing() -> None:
    routes = {"/voice": response(f'<Connect action="/after">{STREAM}</Connect>')}
    with simulator(routes) as (sim, _):
        sim.phone(CALLEE).hangs_up(after=20)
        call = place(sim)
        sim.run()
    assert [r.kind for r in call.requests] == ["voice"]


def test_handoff_data_is_for_a_conversation_relay_only() -> None:
    with simulator({"/voice": response(f"<Connect>{STREAM}</Connect>")}, strict=False) as (sim, _):
        call = place(sim)
        call.run()
        with pytest.raises(ConfigurationError) as stream:
            call.close_stream(handoff_data="{}")
        with pytest.raises(TypeError) as wrong:
            call.close_stream(handoff_data={"reason": "x"})  # type: ignore[arg-type]
    assert str(stream.value) == (
        f"call.close_stream(handoff_data=...): call {call.sid} is in a <Connect><Stream>, "
        "which ends without handoff data (only <ConversationRelay>'s end message has it); "
        "call close_stream() without it"
    )
    assert str(wrong.value) == (
        "call.close_stream(handoff_data=...) takes the end message's handoffData as text (a "
        'JSON string such as \'{"reason": "transfer"}\'); got dict'
    )

"""<Dial>: child legs, outcomes, parallel and sequential dialling, the action request,
whisper, recording, hangupOnStar, and the caller hanging up mid-Dial."""

from __future__ import annotations

import pytest

from tests.engine.helpers import base, first_voice, place, response, simulator
from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim.engine.events import Dialed, DigitsSent

AGENT = "+15551230001"
AGENT2 = "+15551230002"


def dial_params(sim, call, status, child, seconds, bridged, call_status="in-progress"):  # type: ignore[no-untyped-def]
    params = base(sim, call, call_status)
    params.update(
        DialBridged="true" if bridged else "false",
        DialCallDuration=str(seconds),
        DialCallStatus=status,
    )
    if child is not None:
        params["DialCallSid"] = child.sid
    return params


@pytest.mark.parametrize(
    ("script", "status", "at"),
    [("busy", "busy", 0), ("no_answer", "no-answer", 25), ("fails", "failed", 0)],
)
def test_unanswered_outcomes_reach_the_action(script: str, status: str, at: int) -> None:
    body = f'<Dial action="/dialed" timeout="20">{AGENT}</Dial><Say>not reached</Say>'
    with simulator({"/voice": response(body)}) as (sim, _):
        getattr(sim.phone(AGENT), script)()
        call = place(sim)
        sim.run()
    (child,) = call.children
    assert child.parent is call
    assert (child.status, child.record.direction.value, child.record.parent_call_sid) == (
        status,
        "outbound-dial",
        call.sid,
    )
    assert (child.record.from_, child.record.to) == (CALLER_ID, AGENT)
    action = call.requests[1]
    assert (action.kind, action.url, action.at) == (
        "dial",
        f"{APP_URL}/dialed",
        sim.clock.at(at * 1_000_000),
    )
    assert action.params == dial_params(sim, call, status, child, 0, False)
    assert call.said == []


def test_answered_and_bridged_until_the_callee_hangs_up() -> None:
    body = (
        '<Dial action="/dialed" callerId="+15550001111"><Number statusCallback="/leg" '
        f'statusCallbackEvent="initiated ringing answered completed">{AGENT}</Number></Dial>'
    )
    with simulator({"/voice": response(body)}) as (sim, _):
        sim.verified_caller_id("+15550001111")
        sim.phone(AGENT).answers(after=4).hangs_up(after=600)
        call = place(sim)
        sim.run()
    (child,) = call.children
    assert child.record.from_ == "+15550001111"
    assert (child.status, child.duration) == ("completed", 600)
    legs = list(child.requests)
    assert [(r.kind, r.params["CallStatus"], r.params["SequenceNumber"]) for r in legs] == [
        ("status", "initiated", "0"),
        ("status", "ringing", "1"),
        ("status", "in-progress", "2"),
        ("status", "completed", "3"),
    ]
    completed = base(sim, child, "completed", from_="+15550001111", to=AGENT)
    completed.update(
        CallbackSource="call-progress-events",
        SequenceNumber="3",
        Timestamp="Thu, 01 Jan 2026 09:10:04 +0000",
        CallDuration="600",
        Duration="10",
        SipResponseCode="200",
    )
    assert legs[3].params == completed
    assert legs[3].params["ParentCallSid"] == call.sid
    assert call.requests[1].params == dial_params(sim, call, "completed", child, 600, True)
    assert call.transcript[1] == Dialed(
        sim.clock.at(604_000_000), (AGENT,), "completed", child.sid, True, 600
    )
    assert call.duration == 604


def test_parallel_first_answer_wins_others_canceled() -> None:
    body = (
        f'<Dial action="/dialed"><Number>{AGENT}</Number><Client>alice</Client>'
        "<Sip>sip:bob@example.com</Sip></Dial>"
    )
    with simulator({"/voice": response(body)}) as (sim, _):
        sim.phone(AGENT).answers(after=10)
        sim.phone("client:alice").answers(after=3).hangs_up(after=20)
        sim.phone("sip:bob@example.com").answers(after=8)
        call = place(sim)
        sim.run()
    first, alice, bob = call.children
    assert [c.record.to for c in call.children] == [AGENT, "client:alice", "sip:bob@example.com"]
    assert [c.status for c in call.children] == ["canceled", "completed", "canceled"]
    assert first.record.end_time == sim.clock.at(3_000_000)
    assert call.requests[1].params == dial_params(sim, call, "completed", alice, 20, True)


def test_sequential_tries_targets_in_order() -> None:
    body = (
        '<Dial sequential="true" timeout="10" action="/dialed">'
        f"<Number>{AGENT}</Number><Number>{AGENT2}</Number></Dial>"
    )
    with simulator({"/voice": response(body)}) as (sim, _):
        sim.phone(AGENT).no_answer()
        sim.phone(AGENT2).answers(after=2).hangs_up(after=5)
        call = place(sim)
        sim.run()
    one, two = call.children
    assert (one.status, two.status) == ("no-answer", "completed")
    assert two.record.start_time == sim.clock.at(15_000_000)  # 10 s and Twilio's 5 s buffer
    assert call.requests[1].params == dial_params(sim, call, "completed", two, 5, True)
    assert call.duration == 22


def test_without_action_the_next_verb_runs() -> None:
    with simulator({"/voice": response(f"<Dial>{AGENT}</Dial><Say>After</Say>")}) as (sim, _):
        sim.phone(AGENT).busy()
        call = place(sim)
        sim.run()
    assert [r.kind for r in call.requests] == ["voice"]
    assert call.said == ["After"]


def test_caller_hangs_up_while_callee_rings() -> None:
    body = f'<Dial action="/dialed">{AGENT}</Dial>'
    with simulator({"/voice": response(body)}) as (sim, _):
        sim.phone(CALLEE).hangs_up(after=5)
        sim.phone(AGENT).no_answer()
        call = place(sim, status_callback=f"{APP_URL}/status")
        sim.run()
    (child,) = call.children
    assert child.status == "canceled"
    assert [r.kind for r in call.requests] == ["voice", "dial", "status"]
    assert call.requests[1].params == dial_params(
        sim, call, "canceled", child, 0, False, "completed"
    )


def test_caller_hangs_up_while_bridged() -> None:
    body = f'<Dial action="/dialed">{AGENT}</Dial>'
    with simulator({"/voice": response(body)}) as (sim, _):
        sim.phone(CALLEE).hangs_up(after=30)
        sim.phone(AGENT).answers(after=10)
        call = place(sim)
        sim.run()
    (child,) = call.children
    assert (child.status, child.duration) == ("completed", 20)
    assert call.requests[1].params == dial_params(
        sim, call, "completed", child, 20, True, "completed"
    )


def test_time_limit_ends_the_bridge() -> None:
    body = f'<Dial timeLimit="60" action="/dialed">{AGENT}</Dial>'
    with simulator({"/voice": response(body)}) as (sim, _):
        call = place(sim)
        sim.run()
    (child,) = call.children
    assert child.duration == 60
    assert call.requests[1].params == dial_params(sim, call, "completed", child, 60, True)


def test_hangup_on_star() -> None:
    body = f'<Dial hangupOnStar="true" action="/dialed">{AGENT}</Dial>'
    routes = {"/voice": response(body), "/dialed": response("<Say>Back with the menu</Say>")}
    with simulator(routes) as (sim, _):
        call = place(sim)
        call.run()
        assert call.waiting_for is not None and call.waiting_for.verb == "Dial"
        sim.advance(42)
        call.press("*").run()
        sim.run()
    (child,) = call.children
    assert (child.status, child.duration) == ("completed", 42)
    assert call.requests[1].params == dial_params(sim, call, "completed", child, 42, True)
    assert call.said == ["Back with the menu"]


def test_whisper_url_runs_on_the_child_before_bridging() -> None:
    body = f'<Dial action="/dialed"><Number url="/whisper" sendDigits="12">{AGENT}</Number></Dial>'
    routes = {
        "/voice": response(body),
        "/whisper": response(
            '<Gather numDigits="1" action="/accept"><Say>Press 1 to accept</Say></Gather><Hangup/>'
        ),
        "/accept": response(""),
    }
    with simulator(routes) as (sim, _):
        sim.phone(AGENT).presses("1").hangs_up(after=30)
        call = place(sim)
        sim.run()
    (child,) = call.children
    assert [(r.kind, r.url) for r in child.requests] == [
        ("whisper", f"{APP_URL}/whisper"),
        ("gather", f"{APP_URL}/accept"),
    ]
    assert child.requests[0].params == base(sim, child, "in-progress", to=AGENT)
    assert child.transcript[2] == DigitsSent(sim.clock.at(0), "12")
    assert child.said == ["Press 1 to accept"]
    assert child.requests[1].params == dict(
        base(sim, child, "in-progress", to=AGENT), msg="Gather End", Digits="1", FinishedOnKey=""
    )
    # answered at 0, 1 s of digits, 2 s prompt, then bridged until the agent hangs up at 30
    assert call.requests[1].params == dial_params(sim, call, "completed", child, 30, True)


def test_whisper_that_hangs_up_leaves_the_legs_unbridged() -> None:
    body = f'<Dial action="/dialed"><Number url="/whisper">{AGENT}</Number></Dial>'
    routes = {
        "/voice": response(body),
        "/whisper": response(
            '<Gather numDigits="1" action="/accept"><Say>Press 1</Say></Gather><Hangup/>'
        ),
    }
    with simulator(routes) as (sim, _):
        call = place(sim)
        sim.run()
    (child,) = call.children
    assert call.requests[1].params == dial_params(sim, call, "completed", child, 6, False)


@pytest.mark.parametrize(
    ("whisper", "verb", "line"),
    [
        ('<Record maxLength="5"/><Say>Connecting</Say>', "Record", 1),
        ("<Say>One moment</Say>\n<Enqueue>agents</Enqueue><Say>Connecting</Say>", "Enqueue", 2),
        ('<Pay chargeAmount="1.00"/><Say>Connecting</Say>', "Pay", 1),
    ],
)
def test_a_whisper_verb_twilio_does_not_support_is_reported_and_skipped(
    whisper: str, verb: str, line: int
) -> None:
    """Twilio's <Number> page: the whisper TwiML may <Play>, <Say>, <Gather> and <Hangup>;
    "The url attribute does not support any other TwiML verbs" (twimlsim ran them: a
    <Record> recorded the callee, an <Enqueue> queued the leg)."""
    body = f'<Dial action="/dialed"><Number url="/whisper">{AGENT}</Number></Dial>'
    routes = {"/voice": response(body), "/whisper": response(whisper)}
    with simulator(routes, strict=False) as (sim, _):
        sim.phone(AGENT).hangs_up(after=30)
        call = place(sim)
        sim.run()
        assert sim.client().recordings.list() == []
        assert sim.client().queues.list() == []
    (child,) = call.children
    assert child.said[-1] == "Connecting"
    assert [(f.code, f.level, f.element, f.line, f.call_sid) for f in sim.failures] == [
        (None, "error", verb, line, child.sid)
    ]
    assert sim.failures[0].message == (
        f"<{verb}> cannot run in the whisper document of a dialled leg (the url of <Number>, "
        "<Client> or <Sip>): it may contain only Play, Say, Gather, Hangup, Pause, Redirect; "
        "twimlsim skipped it"
    )
    assert call.requests[1].params == dial_params(sim, call, "completed", child, 30, True)


def test_a_whisper_may_pause_and_redirect() -> None:
    """<Pause> and <Redirect> run in a whisper (a choice: they hold or pass the whisper on,
    as Twilio's wait documents take them), and so do the verbs of the document reached."""
    body = f'<Dial action="/dialed"><Number url="/whisper">{AGENT}</Number></Dial>'
    routes = {
        "/voice": response(body),
        "/whisper": response('<Pause length="2"/><Redirect>/next</Redirect>'),
        "/next": response("<Say>Connecting</Say>"),
    }
    with simulator(routes) as (sim, _):
        sim.phone(AGENT).hangs_up(after=30)
        call = place(sim)
        sim.run()
    (child,) = call.children
    assert [(r.kind, r.url) for r in child.requests] == [
        ("whisper", f"{APP_URL}/whisper"),
        ("redirect", f"{APP_URL}/next"),
    ]
    assert child.said == ["Connecting"]
    assert call.requests[1].params == dial_params(sim, call, "completed", child, 30, True)


@pytest.mark.parametrize(
    ("mode", "channels", "seconds"),
    [("record-from-answer", "1", 30), ("record-from-ringing-dual", "2", 35), ("true", "1", 30)],
)
def test_dial_record_modes(mode: str, channels: str, seconds: int) -> None:
    body = f'<Dial record="{mode}" recordingStatusCallback="/rec" action="/dialed">{AGENT}</Dial>'
    with simulator({"/voice": response(body)}) as (sim, _):
        sim.phone(AGENT).answers(after=5).hangs_up(after=30)
        call = place(sim)
        sim.run()
    (recording,) = call.recordings
    url = f"https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}/Recordings/{recording.sid}"
    (child,) = call.children
    expected = dial_params(sim, call, "completed", child, 30, True)
    expected.update(RecordingDuration=str(seconds), RecordingSid=recording.sid, RecordingUrl=url)
    assert call.requests[1].params == expected
    callback = call.requests[2]
    assert callback.params == {
        "AccountSid": sim.account_sid,
        "CallSid": call.sid,
        "ErrorCode": "0",
        "RecordingChannels": channels,
        "RecordingDuration": str(seconds),
        "RecordingSid": recording.sid,
        "RecordingSource": "DialVerb",
        "RecordingStartTime": f"Thu, 01 Jan 2026 09:00:0{0 if 'ringing' in mode else 5} +0000",
        "RecordingStatus": "completed",
        "RecordingTrack": "both",
        "RecordingUrl": url,
    }


def test_answer_on_bridge_keeps_an_inbound_call_ringing() -> None:
    body = f'<Dial answerOnBridge="true" action="/dialed">{AGENT}</Dial>'
    with simulator({"/voice": response(body)}) as (sim, _):
        sim.phone(AGENT).answers(after=7).hangs_up(after=10)
        call = sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        sim.run()
    assert call.answered_at == sim.clock.at(7_000_000)
    assert call.duration == 10
    (child,) = call.children
    expected = dial_params(sim, call, "completed", child, 10, True)
    expected.update(From=CALLEE, Caller=CALLEE, To=CALLER_ID, Called=CALLER_ID)
    assert call.requests[1].params == expected
    # the inbound voice request was made while the call rang
    assert call.requests[0].params == first_voice(sim, call)


def test_answer_on_bridge_answers_the_caller_once_the_whisper_is_over() -> None:
    """Twilio's TwiML changelog (2020.12.09): "With <Dial answerOnBridge="true">, parent call
    status will be ringing until the screening URL is complete", and "no-answer until and
    unless it is bridged": a callee who hangs up during the whisper leaves it ringing."""
    number = f'<Number url="/whisper">{AGENT}</Number>'
    body = f'<Dial answerOnBridge="true" action="/dialed">{number}</Dial>'
    whisper = response('<Say>Hello</Say><Pause length="2"/>')  # 3 s
    routes = {"/voice": response(body), "/whisper": whisper, "/dialed": response("")}
    with simulator(routes) as (sim, _):
        sim.phone(AGENT).answers(after=4).hangs_up(after=13)
        call = sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        sim.advance(6)  # the callee answered at t=4 and hears the whisper
        assert (call.status, call.answered_at) == ("ringing", None)
        sim.run()
    assert call.answered_at == sim.clock.at(7_000_000)  # bridged after the 3 s whisper
    assert call.duration == 10  # until the callee's hang-up at t=17
    with simulator({**routes, "/whisper": response('<Pause length="20"/>')}) as (sim, _):
        sim.phone(AGENT).answers(after=4).hangs_up(after=5)
        call = sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        sim.run()
    (child,) = call.children
    (action,) = [r for r in call.requests if r.kind == "dial"]
    assert (action.params["CallStatus"], action.params["DialCallStatus"]) == (
        "ringing",
        "completed",  # the changelog: hung up during screening is completed
    )
    assert (child.status, child.duration) == ("completed", 5)


def test_without_answer_on_bridge_the_inbound_call_is_answered_at_once() -> None:
    with simulator({"/voice": response(f"<Dial>{AGENT}</Dial>")}) as (sim, _):
        sim.phone(AGENT).answers(after=7).hangs_up(after=10)
        call = sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        sim.run()
    assert (call.answered_at, call.duration) == (sim.clock.at(0), 17)


def test_ten_minute_dial_in_a_two_hour_call_runs_fast() -> None:
    import time

    body = f'<Pause length="3000"/><Dial action="/dialed">{AGENT}</Dial>'
    routes = {"/voice": response(body), "/dialed": response('<Pause length="3600"/><Say>Bye</Say>')}
    started = time.perf_counter()
    with simulator(routes) as (sim, _):
        sim.phone(AGENT).answers(after=0).hangs_up(after=600)
        call = place(sim)
        sim.run()
    elapsed = time.perf_counter() - started
    assert call.duration == 7201
    assert elapsed < 0.5


@pytest.mark.parametrize(
    ("timeout", "rings"), [("1", 5), ("4", 5), ("5", 5), ("600", 600), ("601", 600), ("900", 600)]
)
def test_dial_timeout_is_brought_into_five_to_six_hundred_seconds(timeout: str, rings: int) -> None:
    """...and Twilio's Dial page: "Twilio always adds a five-second timeout buffer to your
    <Dial>, so if you enter a timeout value of 10 seconds, you will see an actual timeout
    closer to 15 seconds": the leg rings its bounded timeout and 5 s more."""
    body = f'<Dial action="/dialed" timeout="{timeout}">{AGENT}</Dial>'
    with simulator({"/voice": response(body)}) as (sim, _):
        sim.phone(AGENT).no_answer()
        call = place(sim)
        sim.run()
    (child,) = call.children
    action = call.requests[1]
    rang = (rings + 5) * 1_000_000
    assert (action.url, action.at) == (f"{APP_URL}/dialed", sim.clock.at(rang))
    assert action.params == dial_params(sim, call, "no-answer", child, 0, False)
    assert sim.failures == []


@pytest.mark.parametrize(("timeout", "waits"), [("2", 5), ("700", 600)])
def test_dial_queue_on_an_empty_queue_waits_the_bounded_timeout(timeout: str, waits: int) -> None:
    body = f'<Dial action="/dialed" timeout="{timeout}"><Queue>support</Queue></Dial>'
    with simulator({"/voice": response(body)}) as (sim, _):
        sim.queue("support")
        call = place(sim)
        sim.run()
    action = call.requests[1]
    assert (action.url, action.at) == (f"{APP_URL}/dialed", sim.clock.at(waits * 1_000_000))
    assert action.params["DialCallStatus"] == "no-answer"


def test_hangup_on_star_takes_the_scripted_press_once_bridged() -> None:
    """The callee's answer and the bridge are news of one instant: the caller's scripted
    ``*`` is given to the bridged Dial and ends the leg there, not when the callee hangs up."""
    body = f'<Dial hangupOnStar="true" action="/dialed">{AGENT}</Dial>'
    routes = {"/voice": response(body), "/dialed": response("<Say>Back with the menu</Say>")}
    with simulator(routes) as (sim, _):
        sim.phone(CALLEE).presses("*")
        sim.phone(AGENT).answers(after=2).hangs_up(after=10)
        call = place(sim)
        sim.run()
    (child,) = call.children
    assert (child.status, child.duration) == ("completed", 0)
    action = call.requests[1]
    assert (action.url, action.at) == (f"{APP_URL}/dialed", sim.clock.at(2_000_000))
    assert action.params == dial_params(sim, call, "completed", child, 0, True)
    assert call.said == ["Back with the menu"]


def test_a_leg_ending_after_the_dial_does_not_wake_the_actions_gather() -> None:
    """The answered leg hangs up at once: the Dial is over while the other leg's end is
    still news. That news must not reach the ``<Gather>`` of the action document."""
    body = f"<Dial action='/dialed'><Number>{AGENT}</Number><Number>{AGENT2}</Number></Dial>"
    routes = {
        "/voice": response(body),
        "/dialed": response('<Gather numDigits="1" action="/menu"/><Say>fell through</Say>'),
        "/menu": response("<Say>Menu</Say>"),
    }
    with simulator(routes) as (sim, _):
        sim.phone(AGENT).answers(after=2).hangs_up(after=0)
        sim.phone(AGENT2).no_answer()
        sim.phone(CALLEE).presses("5")
        call = place(sim)
        sim.run()
    (agent, other) = call.children
    assert (agent.status, other.status) == ("completed", "canceled")
    dialed, menu = call.requests[1], call.requests[2]
    assert dialed.params == dial_params(sim, call, "completed", agent, 0, True)
    expected = base(sim, call, "in-progress")
    expected.update(msg="Gather End", Digits="5", FinishedOnKey="")
    assert (menu.url, menu.at, menu.params) == (
        f"{APP_URL}/menu",
        sim.clock.at(2_000_000),
        expected,
    )
    assert call.said == ["Menu"]


@pytest.mark.parametrize(
    ("answers_after", "leg_status", "dialed"),
    [
        (2, "completed", {"DialCallStatus": "completed", "DialCallDuration": "3"}),
        (9, "canceled", {"DialCallStatus": "canceled", "DialCallDuration": "0"}),
    ],
)
def test_a_rest_redirect_of_the_caller_hangs_the_leg_up_and_requests_the_action(
    answers_after: int, leg_status: str, dialed: dict[str, str]
) -> None:
    """Redirecting the calling leg ends its <Dial>: the dialled leg is hung up, and the
    action is requested (its TwiML not run), as Twilio's TwiML changelog says (Dial,
    2021.05.13: "Twilio will make a request to the provided action callback when the
    parent call is transferred to a new TwiML via call modification")."""
    routes = {
        "/voice": response(f'<Dial action="/dialed">{AGENT}</Dial><Say>Not heard</Say>'),
        "/dialed": response("<Say>Not run</Say>"),
        "/moved": response("<Say>Moved</Say>"),
    }
    with simulator(routes) as (sim, _):
        sim.phone(AGENT).answers(after=answers_after)
        call = place(sim)
        sim.advance(5)
        sim.client().calls(call.sid).update(url=f"{APP_URL}/moved")
        sim.run()
    [leg] = call.children
    assert (leg.status, leg.record.end_time) == (leg_status, sim.clock.at(5_000_000))
    assert [(r.kind, r.url) for r in call.requests] == [
        ("voice", f"{APP_URL}/voice"),
        ("dial", f"{APP_URL}/dialed"),
        ("update", f"{APP_URL}/moved"),
    ]
    action = call.requests[1].params
    assert {k: action[k] for k in dialed} == dialed
    assert (action["DialCallSid"], action["CallStatus"]) == (leg.sid, "in-progress")
    assert call.said == ["Moved"]

"""Say, Play, Pause, Hangup, Redirect, Reject: transcript events, virtual time, requests."""

from __future__ import annotations

import pytest

from tests.engine.helpers import base, first_voice, get_url, log, place, response, simulator
from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim.engine.events import Answered, HungUp, Paused, Played, Redirected, Rejected, Said


@pytest.mark.parametrize(
    ("body", "duration"),
    [
        ("<Say>one two three four five six</Say>", 3),  # 6 words at 2.5 a second, rounded up
        ('<Say loop="3">Hi</Say>', 3),
        ('<Say loop="0">Hi</Say>', 1000),  # loop 0 = until hang-up, capped at 1000 loops
        ('<Pause length="7"/>', 7),
        ("<Pause/>", 1),
        ("<Play>https://cdn.test/a.mp3</Play>", 5),  # the default media length
        ('<Play loop="2">https://cdn.test/long.mp3</Play>', 42),  # sim.media(..., seconds=21)
        ('<Play digits="12w3W"/>', 3),  # keys and w: 0.5 s each, W: 1 s
        # SSML breaks with a time add it (2 words: 0.8 s), at most 10 s each; a strength alone
        # adds nothing
        ('<Say>Hello <break time="3s"/> there</Say>', 4),
        ('<Say loop="2">Hello <break time="1500ms"/> there</Say>', 6),
        ('<Say><s>Hello <break time="0.5s"/></s><break time="30s"/> there</Say>', 12),
        ('<Say>Hello <break strength="x-strong"/> there</Say>', 1),
        ("", 0),
    ],
)
def test_time_each_verb_takes(body: str, duration: int) -> None:
    with simulator({"/voice": response(body)}) as (sim, _):
        sim.media("https://cdn.test/long.mp3", seconds=21)
        call = place(sim)
        sim.run()
    assert call.duration == duration
    assert call.status == "completed"
    assert sim.now == sim.clock.start.replace(second=duration % 60, minute=duration // 60)


def test_transcript_events_record_attributes_and_times() -> None:
    body = (
        '<Say voice="Polly.Joanna" language="en-GB" loop="2">Hello there</Say>'
        '<Play loop="2">/media/hold.wav</Play><Play digits="1#"/><Pause length="3"/>'
    )
    with simulator({"/voice": response(body)}) as (sim, _):
        call = place(sim)
        sim.run()
    t = sim.clock.at
    assert call.transcript == [
        Answered(t(0)),
        Said(t(0), "Hello there", "Polly.Joanna", "en-GB", 2),
        Played(t(2_000_000), f"{APP_URL}/media/hold.wav", 2),
        Played(t(12_000_000), "", 1, "1#"),
        Paused(t(13_000_000), 3),
        HungUp(t(16_000_000), by="twiml", status="completed"),
    ]
    assert call.said == ["Hello there"]


def test_hangup_ends_the_call_and_skips_the_rest() -> None:
    with simulator({"/voice": response("<Say>Bye</Say><Hangup/><Say>never</Say>")}) as (sim, _):
        call = place(sim)
        sim.run()
    assert call.said == ["Bye"]
    assert call.transcript[-1] == HungUp(sim.clock.at(1_000_000), by="twiml", status="completed")


@pytest.mark.parametrize(
    ("target", "method", "url"),
    [
        ("next?a=1", "POST", f"{APP_URL}/flows/next?a=1"),
        ("../top", "GET", f"{APP_URL}/top"),
        ("https://app.test/abs", "POST", f"{APP_URL}/abs"),
    ],
)
def test_redirect_resolves_against_the_document_and_uses_method(
    target: str, method: str, url: str
) -> None:
    routes = {
        "/voice": response("<Redirect>/flows/start</Redirect>"),
        "/flows/start": response(f'<Redirect method="{method}">{target}</Redirect><Say>x</Say>'),
        "/flows/next": response(""),
        "/top": response(""),
        "/abs": response(""),
    }
    with simulator(routes) as (sim, _):
        call = place(sim)
        sim.run()
    assert log(call)[1:] == [
        ("redirect", "POST", f"{APP_URL}/flows/start"),
        ("redirect", method, call.requests[2].url),
    ]
    request = call.requests[2]
    expected = base(sim, call, "in-progress")
    if method == "GET":
        assert (request.url, request.params) == (get_url(url, request.params), expected)
    else:
        assert (request.url, request.params) == (url, expected)
    assert call.transcript[2] == Redirected(sim.clock.at(0), url, method)
    assert call.said == []  # the Say after the Redirect is unreachable


@pytest.mark.parametrize(("reason", "status"), [("busy", "busy"), ("rejected", "no-answer")])
def test_reject_as_first_verb_never_answers(reason: str, status: str) -> None:
    with simulator({"/voice": response(f'<Reject reason="{reason}"/><Say>x</Say>')}) as (sim, _):
        call = sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        sim.run()
    assert (call.status, call.duration, call.answered_at) == (status, 0, None)
    assert call.transcript == [
        Rejected(sim.clock.at(0), reason),
        HungUp(sim.clock.at(0), by="reject", status=status),
    ]
    completed = base(sim, call, status, from_=CALLEE, to=CALLER_ID)
    completed.update(
        CallbackSource="call-progress-events",
        SequenceNumber="0",
        Timestamp="Thu, 01 Jan 2026 09:00:00 +0000",
        CallDuration="0",
        Duration="0",
        SipResponseCode="486" if status == "busy" else "487",
    )
    assert [r.params for r in call.requests] == [
        first_voice(sim, call),
        completed,
    ]


def test_reject_after_answer_hangs_up() -> None:
    with simulator({"/voice": response("<Say>Hi</Say><Reject/>")}) as (sim, _):
        call = place(sim)
        sim.run()
    assert (call.status, call.duration) == ("completed", 1)


def test_end_of_document_hangs_up() -> None:
    with simulator({"/voice": response("<Say>Only this</Say>")}) as (sim, _):
        call = place(sim)
        sim.run()
    assert call.transcript[-1] == HungUp(sim.clock.at(1_000_000), by="twiml", status="completed")


@pytest.mark.parametrize(
    ("verb", "hangs_up", "duration", "loops"),
    [
        ('<Play loop="0">https://cdn.test/beep.wav</Play>', None, 3000, 1000),  # 1000 plays
        ('<Play loop="0">https://cdn.test/beep.wav</Play>', 10, 10, 1000),  # until hang-up
        ('<Play loop="4">https://cdn.test/beep.wav</Play>', None, 12, 4),
        ('<Play loop="0" digits="1#"/>', None, 1000, 1000),  # digits repeat as well
    ],
)
def test_play_loops_until_done_or_hang_up(
    verb: str, hangs_up: int | None, duration: int, loops: int
) -> None:
    with simulator({"/voice": response(verb + "<Say>After</Say>")}) as (sim, _):
        sim.media("https://cdn.test/beep.wav", seconds=3)
        if hangs_up is not None:
            sim.phone(CALLEE).hangs_up(after=hangs_up)
        call = place(sim)
        sim.run()
    played = call.transcript[1]
    assert isinstance(played, Played)
    assert (played.at, played.loop) == (sim.clock.at(0), loops)
    reached_say = hangs_up is None
    assert call.said == (["After"] if reached_say else [])
    assert call.duration == duration + (1 if reached_say else 0)


def test_play_digits_are_sent_to_the_far_end_at_the_dtmf_pace() -> None:
    body = '<Say>Dialing the extension</Say><Play digits="wW123#"/><Say>Done</Say>'
    with simulator({"/voice": response(body)}) as (sim, _):
        call = place(sim)
        sim.run()
    t = sim.clock.at
    assert call.transcript[2:4] == [
        Played(t(2_000_000), "", 1, "wW123#"),
        Said(t(5_500_000), "Done", "man", "en-US"),  # w 0.5 s, W 1 s, keys 0.5 s each
    ]


def test_pause_first_on_an_inbound_call_delays_the_answer_and_its_callbacks() -> None:
    with simulator({"/voice": response('<Pause length="4"/><Say>Hi</Say>')}) as (sim, _):
        call = sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        sim.run()
    t = sim.clock.at
    assert call.transcript == [
        Paused(t(0), 4),
        Answered(t(4_000_000)),
        Said(t(4_000_000), "Hi", "man", "en-US"),
        HungUp(t(5_000_000), by="twiml", status="completed"),
    ]
    voice, status = call.requests
    assert voice.params == first_voice(sim, call)
    assert (status.params["CallDuration"], status.params["Timestamp"]) == (
        "1",
        "Thu, 01 Jan 2026 09:00:05 +0000",
    )


@pytest.mark.parametrize(
    ("voice", "said", "duration"),
    [
        # 6 words at 2.5 a second: 2.4 s, rounded up
        ("Polly.Joanna", "Visit the World Wide Web site.", 3),
        # a basic voice reads no SSML: 4 words, 1.6 s
        ("man", "Visit the WWW site.", 2),
    ],
)
def test_a_sub_alias_is_what_the_caller_hears(voice: str, said: str, duration: int) -> None:
    body = f'<Say voice="{voice}">Visit the <sub alias="World Wide Web">WWW</sub> site.</Say>'
    with simulator({"/voice": response(body)}) as (sim, _):
        call = place(sim)
        sim.run()
    assert call.said == [said]
    assert call.transcript[1] == Said(sim.clock.at(0), said, voice, "en-US", 1)
    assert call.duration == duration

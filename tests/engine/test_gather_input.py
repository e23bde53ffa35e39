"""<Gather> attributes not covered in test_gather.py, each with the exact action request:
``input="dtmf speech"``, speechTimeout (``auto``, numeric, its default), hints, language and
the other speech settings, partialResultCallbackMethod, barge-in into nested prompts."""

from __future__ import annotations

import pytest

from tests.engine.helpers import base, get_url, place, response, simulator
from tests.support import APP_URL, CALLEE
from twimlsim.engine.events import Gathered, Paused, Played, Said

PROMPT = "<Say>Say or press</Say>"  # 3 words: 2 seconds


def speech(sim, call, text, confidence):  # type: ignore[no-untyped-def]
    params = base(sim, call, "in-progress")
    params.update(SpeechResult=text, Confidence=confidence)
    return params


@pytest.mark.parametrize(
    ("attrs", "ends_at"),
    [
        ('speechTimeout="auto"', 2 + 1.2 + 1),  # 3 words at 2.5 a second, then 1 s (auto)
        ('speechTimeout="4"', 2 + 1.2 + 4),
        ('timeout="3"', 2 + 1.2 + 3),  # speechTimeout defaults to timeout
        ("", 2 + 1.2 + 5),
    ],
)
def test_dtmf_speech_gather_with_speech(attrs: str, ends_at: float) -> None:
    body = f'<Gather input="dtmf speech" action="/got" {attrs}>{PROMPT}</Gather>'
    with simulator({"/voice": response(body)}) as (sim, _):
        sim.phone(CALLEE).says("talk to sales", confidence=0.75)
        call = place(sim)
        sim.run()
    (voice, got) = call.requests
    at = sim.clock.at(round(ends_at * 1_000_000))
    assert (got.kind, got.url, got.at) == ("gather", f"{APP_URL}/got", at)
    assert got.params == speech(sim, call, "talk to sales", "0.75")
    assert call.transcript[2] == Gathered(at, "", "talk to sales", 0.75, "", timed_out=False)


def test_dtmf_speech_gather_with_keys() -> None:
    body = f'<Gather input="dtmf speech" numDigits="2" action="/got">{PROMPT}</Gather>'
    with simulator({"/voice": response(body)}) as (sim, _):
        sim.phone(CALLEE).presses("42")
        call = place(sim)
        sim.run()
    expected = base(sim, call, "in-progress")
    expected.update(msg="Gather End", Digits="42", FinishedOnKey="")
    assert (call.requests[1].at, call.requests[1].params) == (sim.clock.at(2_000_000), expected)


def test_speech_settings_are_accepted_and_change_no_parameter() -> None:
    body = (
        '<Gather input="speech" action="/got" hints="sales, billing, support" language="fr-FR" '
        'profanityFilter="false" speechModel="phone_call" enhanced="true" maxSpeechTime="30" '
        f'speechTimeout="2">{PROMPT}</Gather>'
    )
    with simulator({"/voice": response(body)}) as (sim, _):
        sim.phone(CALLEE).says("billing")
        call = place(sim)
        sim.run()
    assert call.requests[1].params == speech(sim, call, "billing", "0.9")
    assert call.requests[1].at == sim.clock.at(4_400_000)  # 2 s prompt + 0.4 s + 2 s
    assert sim.failures == []


def test_partial_results_with_get() -> None:
    body = (
        '<Gather input="speech" speechTimeout="auto" partialResultCallback="partial?n=1" '
        'partialResultCallbackMethod="GET" action="/got"/>'
    )
    with simulator({"/voice": response(body)}) as (sim, _):
        sim.phone(CALLEE).says("one two", confidence=0.5)
        call = place(sim)
        sim.run()
    partials = call.requests[1:3]
    common = base(sim, call, "in-progress")
    assert [(r.kind, r.method, r.at) for r in partials] == [
        ("partial-result", "GET", sim.clock.at(400_000)),
        ("partial-result", "GET", sim.clock.at(800_000)),
    ]
    assert [r.url for r in partials] == [
        get_url(f"{APP_URL}/partial?n=1", r.params, order="given") for r in partials
    ]
    assert [r.params for r in partials] == [
        dict(
            common,
            SequenceNumber="0",
            StableSpeechResult="",
            UnstableSpeechResult="one",
            Stability="0.9",
            Language="en-US",
        ),
        dict(
            common,
            SequenceNumber="1",
            StableSpeechResult="one",
            UnstableSpeechResult="two",
            Stability="0.9",
            Language="en-US",
        ),
    ]
    assert (call.requests[3].at, call.requests[3].params) == (
        sim.clock.at(1_800_000),
        speech(sim, call, "one two", "0.5"),
    )


def test_barge_in_stops_the_nested_prompts_with_exact_action() -> None:
    body = (
        '<Gather numDigits="1" action="/got"><Say>Welcome to the shop</Say>'
        '<Play>https://cdn.test/menu.mp3</Play><Pause length="3"/></Gather>'
    )
    with simulator({"/voice": response(body)}) as (sim, _):
        sim.phone(CALLEE).presses("5", barge_in=True)
        call = place(sim)
        sim.run()
    t = sim.clock.at
    assert call.transcript[1:3] == [
        Said(t(0), "Welcome to the shop", "man", "en-US", 1, interrupted=True),
        Gathered(t(0), "5", None, None, "", timed_out=False),
    ]
    expected = base(sim, call, "in-progress")
    expected.update(msg="Gather End", Digits="5", FinishedOnKey="")
    assert (call.requests[1].at, call.requests[1].params) == (t(0), expected)


def test_nested_prompts_play_in_full_without_input() -> None:
    body = (
        '<Gather action="/got"><Say>Welcome to the shop</Say>'
        '<Play>https://cdn.test/menu.mp3</Play><Pause length="3"/></Gather>'
    )
    with simulator({"/voice": response(body)}) as (sim, _):
        sim.media("https://cdn.test/menu.mp3", seconds=6)
        call = place(sim)
        sim.run()
    t = sim.clock.at
    assert call.transcript[1:5] == [
        Said(t(0), "Welcome to the shop", "man", "en-US"),
        Played(t(2_000_000), "https://cdn.test/menu.mp3"),
        Paused(t(8_000_000), 3),
        Gathered(t(16_000_000), "", None, None, "", timed_out=True),  # + timeout 5 s
    ]
    assert [r.kind for r in call.requests] == ["voice"]

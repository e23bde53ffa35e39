"""<Gather>: every input rule, the action request's exact parameters, partial results."""

from __future__ import annotations

import pytest

from tests.engine.helpers import base, get_url, log, place, response, simulator
from tests.support import APP_URL, CALLEE
from twimlsim.engine.events import Gathered, Said

PROMPT = "<Say>Enter your code</Say>"  # 3 words: 2 seconds


def gather_params(sim: object, call: object, digits: str, key: str) -> dict[str, str]:
    params = base(sim, call, "in-progress")  # type: ignore[arg-type]
    params.update(msg="Gather End", Digits=digits, FinishedOnKey=key)
    return params


@pytest.mark.parametrize(
    ("attrs", "pressed", "digits", "key", "seconds"),
    [
        ("", "1234#", "1234", "#", 2),  # finishOnKey ends input at once, key not in Digits
        ('numDigits="2"', "123", "12", "", 2),  # numDigits reached: submit at once
        ("", "12", "12", "", 7),  # timeout after the last key (5 s)
        ('timeout="3"', "9", "9", "", 5),
        ('finishOnKey=""', "12#", "12#", "", 7),  # '' : every key collected until timeout
        ('finishOnKey="*"', "5*", "5", "*", 2),
    ],
)
def test_dtmf_rules_and_action_parameters(
    attrs: str, pressed: str, digits: str, key: str, seconds: int
) -> None:
    routes = {"/voice": response(f'<Gather action="/got" {attrs}>{PROMPT}</Gather>')}
    with simulator(routes) as (sim, _):
        sim.phone(CALLEE).presses(pressed)
        call = place(sim)
        sim.run()
    assert log(call) == [
        ("voice", "POST", f"{APP_URL}/voice"),
        ("gather", "POST", f"{APP_URL}/got"),
    ]
    assert call.requests[1].params == gather_params(sim, call, digits, key)
    assert call.requests[1].at == sim.clock.at(seconds * 1_000_000)
    assert call.transcript[2] == Gathered(
        sim.clock.at(seconds * 1_000_000), digits, None, None, key, timed_out=False
    )


def test_default_action_is_the_document_url_and_method_is_honoured() -> None:
    routes = {
        "/voice": response("<Redirect>/menu?lang=en</Redirect>"),
        "/menu": lambda form: response(
            "<Say>done</Say>" if form.get("Digits") else '<Gather method="GET" numDigits="1"/>'
        ),
    }
    with simulator(routes) as (sim, app):
        sim.phone(CALLEE).presses("7")
        call = place(sim)
        sim.run()
    request = call.requests[2]
    assert (request.kind, request.method) == ("gather", "GET")
    assert request.url == get_url(f"{APP_URL}/menu?lang=en", request.params)
    assert request.params == gather_params(sim, call, "7", "")
    assert app.seen[2] == ("GET", "/menu", dict(request.params, lang="en"))
    assert call.said == ["done"]


def test_no_input_falls_through_to_the_next_verb() -> None:
    routes = {"/voice": response(f'<Gather action="/got">{PROMPT}</Gather><Say>No input</Say>')}
    with simulator(routes) as (sim, _):
        call = place(sim)
        sim.run()
    assert log(call) == [("voice", "POST", f"{APP_URL}/voice")]
    assert call.said == ["Enter your code", "No input"]
    assert call.transcript[2] == Gathered(sim.clock.at(7_000_000), "", None, None, "", True)
    assert call.duration == 8


def test_finish_key_first_is_no_input() -> None:
    routes = {"/voice": response('<Gather action="/got"/><Say>Nothing</Say>')}
    with simulator(routes) as (sim, _):
        sim.phone(CALLEE).presses("#")
        call = place(sim)
        sim.run()
    assert [r.kind for r in call.requests] == ["voice"]
    assert call.said == ["Nothing"]


def test_action_on_empty_result_requests_the_action() -> None:
    routes = {"/voice": response('<Gather action="/got" actionOnEmptyResult="true"/>')}
    with simulator(routes) as (sim, _):
        sim.phone(CALLEE).silence()
        call = place(sim)
        sim.run()
    assert call.requests[1].params == gather_params(sim, call, "", "")
    assert call.requests[1].at == sim.clock.at(5_000_000)


@pytest.mark.parametrize(
    ("speech_timeout", "seconds"), [("auto", 4), ("3", 6)]
)  # 2 s prompt + 4 words at 2.5 a second (1.6 s) + speechTimeout
def test_speech_result_and_confidence(speech_timeout: str, seconds: float) -> None:
    body = (
        f'<Gather input="speech" speechTimeout="{speech_timeout}" action="/got">{PROMPT}</Gather>'
    )
    with simulator({"/voice": response(body)}) as (sim, _):
        sim.phone(CALLEE).says("I want to pay", confidence=0.87)
        call = place(sim)
        sim.run()
    expected = base(sim, call, "in-progress")
    expected.update(SpeechResult="I want to pay", Confidence="0.87")
    assert call.requests[1].params == expected
    offset = 2 + 1.6 + (1 if speech_timeout == "auto" else 3)
    assert call.requests[1].at == sim.clock.at(round(offset * 1_000_000))


def test_partial_result_callback_reports_each_word() -> None:
    body = '<Gather input="speech" partialResultCallback="/partial" action="/got"/>'
    with simulator({"/voice": response(body)}) as (sim, _):
        sim.phone(CALLEE).says("sales please")
        call = place(sim)
        sim.run()
    partial = [r for r in call.requests if r.kind == "partial-result"]
    common = base(sim, call, "in-progress")
    assert [r.params for r in partial] == [
        dict(
            common,
            SequenceNumber="0",
            StableSpeechResult="",
            UnstableSpeechResult="sales",
            Stability="0.9",
            Language="en-US",
        ),
        dict(
            common,
            SequenceNumber="1",
            StableSpeechResult="sales",
            UnstableSpeechResult="please",
            Stability="0.9",
            Language="en-US",
        ),
    ]
    assert [r.url for r in partial] == [f"{APP_URL}/partial"] * 2


def test_partial_result_callback_carries_the_gather_s_language() -> None:
    body = (
        '<Gather input="speech" language="es-MX" partialResultCallback="/partial" action="/got"/>'
    )
    with simulator({"/voice": response(body)}) as (sim, _):
        sim.phone(CALLEE).says("hola")
        call = place(sim)
        sim.run()
    partial = [r for r in call.requests if r.kind == "partial-result"]
    assert [r.params for r in partial] == [
        dict(
            base(sim, call, "in-progress"),
            SequenceNumber="0",
            StableSpeechResult="",
            UnstableSpeechResult="hola",
            Stability="0.9",
            Language="es-MX",
        )
    ]


def test_dtmf_in_a_speech_gather_is_ignored() -> None:
    with simulator({"/voice": response('<Gather input="speech" action="/got"/>')}) as (sim, _):
        sim.phone(CALLEE).presses("1")
        call = place(sim)
        sim.run()
    assert [r.kind for r in call.requests] == ["voice"]


def test_both_inputs_first_one_wins() -> None:
    body = '<Gather input="dtmf speech" action="/got"/>'
    with simulator({"/voice": response(body)}) as (sim, _):
        sim.phone(CALLEE).says("agent", confidence=0.8)
        call = place(sim)
        sim.run()
    # speech won: SpeechResult and Confidence, no msg/Digits/FinishedOnKey (fidelity choice)
    expected = dict(base(sim, call, "in-progress"), SpeechResult="agent", Confidence="0.8")
    assert call.requests[1].params == expected


def test_keypress_barges_in_and_stops_nested_prompts() -> None:
    body = (
        '<Gather numDigits="1" action="/got"><Say>First prompt here</Say>'
        '<Play>https://cdn.test/x.mp3</Play><Pause length="2"/></Gather>'
    )
    with simulator({"/voice": response(body)}) as (sim, _):
        sim.phone(CALLEE).presses("3", barge_in=True)
        call = place(sim)
        sim.run()
    assert call.transcript[1] == Said(sim.clock.at(0), "First prompt here", "man", "en-US", 1, True)
    assert len(call.transcript) == 4  # answered, said (cut short), gathered, hung up
    assert call.requests[1].at == sim.clock.at(0)
    assert call.requests[1].params == gather_params(sim, call, "3", "")


def test_without_barge_in_input_comes_after_all_prompts() -> None:
    body = '<Gather numDigits="1" action="/got"><Say>One</Say><Pause length="4"/></Gather>'
    with simulator({"/voice": response(body)}) as (sim, _):
        sim.phone(CALLEE).presses("3")
        call = place(sim)
        sim.run()
    assert call.requests[1].at == sim.clock.at(5_000_000)


def test_caller_hanging_up_during_gather_requests_no_action() -> None:
    with simulator({"/voice": response(f'<Gather action="/got">{PROMPT}</Gather>')}) as (sim, _):
        sim.phone(CALLEE).hangs_up(after=4)
        call = place(sim, status_callback=f"{APP_URL}/status")
        sim.run()
    assert [r.kind for r in call.requests] == ["voice", "status"]
    expected = base(sim, call, "completed")
    expected.update(
        CallbackSource="call-progress-events",
        SequenceNumber="0",
        Timestamp="Thu, 01 Jan 2026 09:00:04 +0000",
        CallDuration="4",
        Duration="1",
        SipResponseCode="200",
    )
    assert call.requests[1].params == expected
    assert call.transcript[-1].by == "caller"  # type: ignore[attr-defined]


def test_barge_in_false_plays_the_prompts_to_their_end_before_taking_keys() -> None:
    # bargeIn="false": keys pressed during the prompts do not stop them; the Gather
    # takes the keys once its prompts have played (2 s + 4 s here).
    body = (
        '<Gather numDigits="1" bargeIn="false" action="/got">'
        '<Say>First prompt here</Say><Pause length="4"/></Gather>'
    )
    with simulator({"/voice": response(body)}) as (sim, _):
        sim.phone(CALLEE).presses("3", barge_in=True)
        call = place(sim)
        sim.run()
    assert call.transcript[1] == Said(
        sim.clock.at(0), "First prompt here", "man", "en-US", 1, False
    )
    assert call.requests[1].at == sim.clock.at(6_000_000)
    assert call.requests[1].params == gather_params(sim, call, "3", "")


def test_barge_in_false_speech_waits_for_the_prompt_too() -> None:
    body = (
        '<Gather input="speech" bargeIn="false" action="/got">'
        "<Say>Say the name of the person</Say></Gather>"
    )
    with simulator({"/voice": response(body)}) as (sim, _):
        sim.phone(CALLEE).says("agent", barge_in=True)
        call = place(sim)
        sim.run()
    said = call.transcript[1]
    assert isinstance(said, Said) and not said.interrupted
    # 6 words: 3 s of prompt, then the word (0.4 s) and 5 s of speechTimeout
    assert call.requests[1].at == sim.clock.at(8_400_000)


@pytest.mark.parametrize(
    ("attrs", "result"),
    [
        ("", "what the f*** is this S***"),  # profanityFilter defaults to true
        ('profanityFilter="false"', "what the fuck is this Shit"),
    ],
)
def test_the_profanity_filter_masks_all_but_the_first_letter(attrs: str, result: str) -> None:
    """Twilio's <Gather> page: all but the initial character of each profane word is
    replaced with asterisks, like f***."""
    body = f'<Gather input="speech" action="/got" {attrs}><Say>Go</Say></Gather>'
    with simulator({"/voice": response(body)}) as (sim, _):
        sim.phone(CALLEE).says("what the fuck is this Shit")
        call = place(sim)
        sim.run()
    assert call.requests[1].params["SpeechResult"] == result
    gathered = call.transcript[2]
    assert isinstance(gathered, Gathered) and gathered.speech == result


def test_timeout_auto_is_accepted_and_makes_speech_end_at_the_first_pause() -> None:
    """Twilio's <Gather> page: timeout takes a positive integer or auto (default 5), and
    speechTimeout defaults to the timeout value. twimlsim waits the default 5 s for input
    and, speechTimeout unset, ends speech as speechTimeout="auto" does."""
    body = '<Gather input="speech dtmf" timeout="auto" action="/got"/>'
    with simulator({"/voice": response(body)}) as (sim, _):
        sim.phone(CALLEE).says("sales")
        call = place(sim)
        sim.run()
        assert sim.failures == []
    # one word (0.4 s) and the auto pause (1 s)
    assert call.requests[1].at == sim.clock.at(1_400_000)
    assert call.requests[1].params["SpeechResult"] == "sales"


def test_timeout_auto_waits_the_default_five_seconds_for_keys() -> None:
    body = '<Gather timeout="auto" action="/got"/>'
    with simulator({"/voice": response(body)}) as (sim, _):
        sim.phone(CALLEE).presses("12")
        call = place(sim)
        sim.run()
    assert call.requests[1].at == sim.clock.at(5_000_000)
    assert call.requests[1].params["Digits"] == "12"


@pytest.mark.parametrize(("attrs", "seconds"), [("", 60), ('maxSpeechTime="10"', 10)])
def test_speech_is_gathered_for_at_most_max_speech_time(attrs: str, seconds: int) -> None:
    """Twilio's <Gather> page: speech is gathered for a maximum of 60 seconds; what is said
    after that is not in SpeechResult, and recognition ends there."""
    words = [f"w{n}" for n in range(200)]  # 80 s of speech at 2.5 words a second
    body = f'<Gather input="speech" action="/got" {attrs}/>'
    with simulator({"/voice": response(body)}) as (sim, _):
        sim.phone(CALLEE).says(" ".join(words))
        call = place(sim)
        sim.run()
    heard = round(seconds * 2.5)
    assert call.requests[1].params["SpeechResult"] == " ".join(words[:heard])
    assert call.requests[1].at == sim.clock.at(seconds * 1_000_000)

"""The two ends of a bridged <Dial>: input given by hand to either end is refused with what
to do (script the speech, hang up); a scripted ``silence()`` keeps an end quiet in the
bridge so its next ``says()`` reaches a speech <Gather> after the Dial, with or without
``hangupOnStar``; nothing is lost or hangs."""

from __future__ import annotations

import pytest

from tests.engine.helpers import place, response, simulator
from tests.support import CALLEE
from twimlsim.errors import ConfigurationError

DIALLED = "+15558670000"


def test_keys_and_speech_given_to_either_end_of_a_bridge_say_how_to_script_them() -> None:
    routes = {"/voice": response(f"<Dial>{DIALLED}</Dial><Say>Back</Say>")}
    with simulator(routes) as (sim, _):
        call = place(sim)
        sim.advance(2)
        [leg] = call.children
        assert (call.status, leg.status, call.waiting_for, leg.waiting_for) == (
            "in-progress",
            "in-progress",
            None,
            None,
        )
        for end in (call, leg):
            for give, what in ((end.say, "hello there"), (end.press, "1")):
                with pytest.raises(ConfigurationError) as refused:
                    give(what)
                assert str(refused.value) == (
                    f"call {end.sid} is bridged in a <Dial> and waits for no input: what "
                    "either end says in a bridge comes from its script, given before the "
                    "call runs (sim.phone(number).says(...)), and keys do nothing there "
                    "(but '*' with hangupOnStar); by hand, call.hangup() ends the leg, and "
                    "call.run() runs the call on to its next wait once the bridge ends"
                )
        leg.hangup()
        sim.run()
    assert (call.status, leg.status, call.said) == ("completed", "completed", ["Back"])


def test_silence_keeps_an_end_quiet_in_the_bridge_for_a_survey_after_it() -> None:
    routes = {
        "/voice": response(
            '<Start><Transcription statusCallbackUrl="/rt"/></Start>'
            f'<Dial>{DIALLED}</Dial><Gather input="speech" action="/survey">'
            "<Say>Rate us</Say></Gather>"
        ),
        "/survey": response(""),
        "/rt": response(""),
    }
    with simulator(routes, strict=False) as (sim, _):
        sim.phone(DIALLED).says("How can I help").silence().says("never said").hangs_up(after=9)
        sim.phone(CALLEE).silence().says("five stars")
        call = place(sim)
        sim.run()
    [survey] = [r.params for r in call.requests if r.kind == "gather"]
    assert (survey["SpeechResult"], survey["Confidence"]) == ("five stars", "0.9")
    [transcription] = call.realtime_transcriptions or []
    assert [(u.track, u.text) for u in transcription.utterances] == [
        ("outbound_track", "How can I help"),
        ("outbound_track", "Rate us"),
        ("inbound_track", "five stars"),
    ]
    # the dialled end's step after its silence() was never reached
    assert [step.describe() for step in sim.phone(DIALLED).unused()] == [
        "says('never said', confidence=0.9)"
    ]


def test_without_silence_the_first_says_is_spoken_in_the_bridge() -> None:
    routes = {
        "/voice": response(
            f'<Dial>{DIALLED}</Dial><Gather input="speech" action="/survey" timeout="2">'
            "<Say>Rate us</Say></Gather>"
        ),
        "/survey": response(""),
    }
    with simulator(routes) as (sim, _):
        sim.phone(DIALLED).hangs_up(after=9)
        sim.phone(CALLEE).says("five stars")
        call = place(sim)
        sim.run()
    assert [r.kind for r in call.requests] == ["voice"]
    assert call.said == ["Rate us"]


def test_a_quiet_caller_at_a_hangup_on_star_dial_keeps_its_words_for_the_survey() -> None:
    routes = {
        "/voice": response(
            f'<Dial hangupOnStar="true">{DIALLED}</Dial>'
            '<Gather input="speech" action="/survey"><Say>Rate us</Say></Gather>'
        ),
        "/survey": response(""),
    }
    with simulator(routes) as (sim, _):
        sim.phone(DIALLED).hangs_up(after=9)
        sim.phone(CALLEE).silence().says("five stars")
        call = place(sim)
        sim.run()
    [survey] = [r.params for r in call.requests if r.kind == "gather"]
    assert survey["SpeechResult"] == "five stars"

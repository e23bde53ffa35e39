"""Input given by hand that the call could not use is refused, never silently dropped: keys,
speech, silence or a recording at a ``<Connect>`` (it takes nothing from the far end), and a
second answer to a wait already answered since the last run (only the first would arrive)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.engine.helpers import place, response, simulator
from tests.support import CALLEE
from twimlsim import ConfigurationError
from twimlsim.engine.session import SimCall

CONNECT = '<Connect action="/ended"><Stream url="wss://ai.test/media" name="agent"/></Connect>'
RELAY = '<Connect action="/ended"><ConversationRelay url="wss://ai.test/relay"/></Connect>'


@pytest.mark.parametrize(
    ("give", "described"),
    [
        (lambda call: call.press("1"), "call.press('1')"),
        (lambda call: call.say("agent"), "call.say('agent')"),
        (lambda call: call.silence(), "call.silence()"),
        (lambda call: call.records(3), "call.records(3)"),
    ],
)
def test_input_at_a_connect_is_refused_and_the_stream_still_closes(
    give: Callable[[SimCall], object], described: str
) -> None:
    routes = {"/voice": response(CONNECT), "/ended": response("<Say>Bye</Say>")}
    with simulator(routes) as (sim, _):
        call = place(sim)
        call.run()
        with pytest.raises(ConfigurationError) as refused:
            give(call)
        assert str(refused.value) == (
            f"{described}: call {call.sid} is connected to a <Connect><Stream> "
            "(wss://ai.test/media), which takes no keys, speech or recording from the far end "
            "(they go to the app's server); end it as that server would with "
            "call.close_stream(), or hang up with call.hangup()"
        )
        call.close_stream().run()  # it used to be lost behind the refused input
    assert call.said == ["Bye"]
    assert [r.kind for r in call.requests] == ["voice", "connect"]


def test_keys_at_a_conversation_relay_name_it() -> None:
    routes = {"/voice": response(RELAY), "/ended": response("<Hangup/>")}
    with simulator(routes) as (sim, _):
        call = place(sim)
        call.run()
        with pytest.raises(ConfigurationError) as refused:
            call.press("5")
        call.close_stream(handoff_data='{"to": "agent"}').run()
    assert str(refused.value) == (
        f"call.press('5'): call {call.sid} is connected to a <Connect><ConversationRelay> "
        "(wss://ai.test/relay), which takes no keys, speech or recording from the far end "
        "(they go to the app's server); end it as that server would with "
        "call.close_stream(), or hang up with call.hangup()"
    )
    assert call.requests[-1].params["HandoffData"] == '{"to": "agent"}'


def test_a_second_press_before_the_call_runs_is_refused_not_lost() -> None:
    routes = {
        "/voice": response('<Gather numDigits="2" action="/menu"/>'),
        "/menu": response("<Hangup/>"),
    }
    with simulator(routes) as (sim, _):
        call = place(sim)
        call.run()
        call.press("1")
        with pytest.raises(ConfigurationError) as refused:
            call.press("2")
        call.run()
    assert str(refused.value) == (
        f"call.press('2'): call {call.sid} has already been given call.press('1') at this "
        "<Gather>, which has not run yet: a second answer at one wait would be lost; run the "
        "call (call.run()) and give the next input when call.waiting_for is set again "
        "(several keys at once: call.press('12'))"
    )
    assert call.requests[-1].params["Digits"] == "1"


@pytest.mark.parametrize(
    ("give", "described"),
    [
        (lambda call: call.press("1"), "call.press('1')"),
        (lambda call: call.silence(), "call.silence()"),
        (lambda call: call.records(3, key="#"), "call.records(3)"),
    ],
    ids=["press", "silence", "records"],
)
def test_input_after_a_hangup_before_the_call_runs_is_refused_not_lost(
    give: Callable[[SimCall], SimCall], described: str
) -> None:
    routes = {
        "/voice": response('<Gather numDigits="1" action="/menu"/><Record action="/menu"/>'),
        "/menu": response("<Say>Thanks</Say>"),
    }
    with simulator(routes) as (sim, _):
        call = place(sim)
        call.run()
        if described.startswith("call.records"):
            call.silence().run()  # on to the <Record>
        call.hangup()
        with pytest.raises(ConfigurationError) as refused:
            give(call)
        call.run()
    verb = "Record" if described.startswith("call.records") else "Gather"
    assert str(refused.value) == (
        f"{described}: call {call.sid} has been given call.hangup() at this <{verb}>, which "
        "ends the call at this instant, before any input given after it; give the input "
        "first, then call.hangup()"
    )
    assert (call.status, [r.kind for r in call.requests][-1]) == ("completed", "voice")


def test_closing_a_stream_twice_before_the_call_runs_is_refused() -> None:
    routes = {"/voice": response(CONNECT), "/ended": response("<Hangup/>")}
    with simulator(routes) as (sim, _):
        call = place(sim)
        call.run()
        call.close_stream()
        with pytest.raises(ConfigurationError) as refused:
            call.close_stream()
        call.run()
    assert str(refused.value) == (
        f"call.close_stream(): call {call.sid} has already been given call.close_stream() at "
        "this <Connect>, which has not run yet: a second answer at one wait would be lost; "
        "run the call (call.run()) and give the next input when call.waiting_for is set again"
    )
    assert call.status == "completed"


def test_after_a_run_the_next_wait_takes_input_again() -> None:
    routes = {
        "/voice": response('<Gather numDigits="1" action="/again"/>'),
        "/again": response('<Gather numDigits="1" action="/done"/>'),
        "/done": response("<Hangup/>"),
    }
    with simulator(routes) as (sim, _):
        call = place(sim)
        call.run()
        call.press("1").run()
        call.press("2").run()
    assert [r.params.get("Digits") for r in call.requests] == [None, "1", "2"]


def refused_speech(
    scripted: str, said: str, then: Callable[[SimCall], SimCall]
) -> tuple[str, str, SimCall]:
    """At a speech ``<Gather>``, script the far end to say ``scripted`` and have the call say
    ``said``, both refused; then ``then(call)`` runs: the two refusals and the call."""
    routes = {
        "/voice": response('<Gather input="speech" action="/heard"/>'),
        "/heard": "<Response/>",
    }
    with simulator(routes) as (sim, _):
        with pytest.raises(ValueError) as scripted_refusal:
            sim.phone(CALLEE).says(scripted)
        call = place(sim)
        call.run()
        with pytest.raises(ValueError) as said_refusal:
            call.say(said)
        then(call).run()
    return str(scripted_refusal.value), str(said_refusal.value), call


def test_speech_without_words_is_refused_twilio_recognises_none() -> None:
    """Empty speech reached the action as SpeechResult='' with Confidence 0.9, which Twilio
    never sends (silence is no speech result)."""
    scripted, said, call = refused_speech("   ", "", lambda call: call.silence())
    assert scripted == (
        "sim.phone('+15558675310').says(): text '   ' has no words, and Twilio recognises no "
        "speech in silence; for a far end that says nothing, use "
        "sim.phone('+15558675310').silence()"
    )
    assert said == (
        "call.say(''): text '' has no words, and Twilio recognises no speech in silence; for "
        "a far end that says nothing, use call.silence()"
    )
    assert [r.kind for r in call.requests] == ["voice"]  # the Gather timed out: no action


def test_speech_with_a_control_character_is_refused_twilio_never_recognises_one() -> None:
    """says('\x00') reached the action as SpeechResult='\x00', and 'yes\n' with its newline:
    a recognizer gives words, never a control character."""
    scripted, said, call = refused_speech("\x00", "yes\n", lambda call: call.say("yes"))
    assert scripted == (
        "sim.phone('+15558675310').says(): text '\\x00' holds the control character U+0000 "
        "at position 0, which no speech recognition gives: give the words as Twilio would "
        "write them, on one line, such as 'sales'"
    )
    assert said == (
        "call.say('yes\\n'): text 'yes\\n' holds the control character U+000A at position 3, "
        "which no speech recognition gives: give the words as Twilio would write them, on "
        "one line, such as 'sales'"
    )
    assert [r.params.get("SpeechResult") for r in call.requests] == [None, "yes"]

"""Driving the two ends of a bridged <Dial> by hand: input given to either end is refused
with what to do (script the speech, hang up), and nothing is lost or hangs."""

from __future__ import annotations

import pytest

from tests.engine.helpers import place, response, simulator
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

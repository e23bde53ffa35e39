"""``sim.failures`` can be read and compared as a list, never emptied: a test that cleared
it after asserting the problems it expected would have hidden every later one from strict
mode."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from fixtures.twiml_app import TwimlApp
from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim import Simulator
from twimlsim.errors import SimulationError

REFUSED = (
    "sim.failures is the log strict mode reports problems from, so it cannot be changed (a "
    "cleared log would hide every later problem). To accept chosen codes pass "
    "Simulator(allow_codes={...}); to look only at the problems since a point, keep n = "
    "len(sim.failures) then and read sim.failures[n:]; to start afresh, sim.reset()"
)

CHANGES: dict[str, Callable[[list[object]], object]] = {
    "clear": lambda log: log.clear(),
    "pop": lambda log: log.pop(),
    "remove": lambda log: log.remove(log[0]),
    "del": lambda log: log.__delitem__(0),
    "slice": lambda log: log.__setitem__(slice(None), []),
    "insert": lambda log: log.insert(0, log[0]),
    "sort": lambda log: log.sort(key=str),
    "reverse": lambda log: log.reverse(),
    "multiply": lambda log: log.__imul__(0),
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_logged_problem_cannot_be_taken_back_and_later_ones_still_fail(change: str) -> None:
    with Simulator() as sim:
        sim.route(APP_URL, TwimlApp({"/voice": "<Response><Say bogus='1'>Hi</Say></Response>"}))
        sim.number(CALLER_ID, voice_url=f"{APP_URL}/voice")
        sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        with pytest.raises(SimulationError):
            sim.run()
        (first,) = sim.failures
        with pytest.raises(TypeError) as refused:
            CHANGES[change](sim.failures)  # type: ignore[arg-type]
        assert str(refused.value) == REFUSED
        assert sim.failures == [first] and isinstance(sim.failures, list)
        sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        with pytest.raises(SimulationError) as again:
            sim.run()
        assert [failure.code for failure in again.value.failures] == [12200]
        assert len(sim.failures) == 2

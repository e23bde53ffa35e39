"""``Simulator.reset()``: a fresh simulated world per hypothesis example, routes kept."""

from __future__ import annotations

import pytest

from fixtures.twiml_app import TwimlApp
from twimlsim import Simulator

pytest_plugins = ["pytester"]

NUMBER = "+15005550006"
CALLER = "+15558675310"


def one_call(sim: Simulator) -> tuple[str, list[tuple[str, str]], str]:
    sim.number(NUMBER, voice_url="https://app.test/voice")
    call = sim.incoming_call(from_=CALLER, to=NUMBER)
    sim.run()
    return call.sid, [(r.kind, r.params["CallSid"]) for r in call.requests], call.status


def test_a_reset_simulator_gives_what_a_new_one_gives() -> None:
    app = TwimlApp({"/voice": "<Response><Say>Hi</Say></Response>"})
    with Simulator(freeze_time=False) as new:
        new.route("https://app.test", app)
        expected = one_call(new)
        expected_now = new.now
    with Simulator(freeze_time=False) as sim:
        sim.route("https://app.test", app)
        first = one_call(sim)
        start = sim.now
        sim.reset()
        assert (sim.calls, sim.requests, sim.failures, sim.account.numbers) == ({}, [], [], {})
        assert sim.now < start
        again = one_call(sim)  # the route is kept: no sim.route() again
    assert first == again == expected
    assert sim.now == expected_now


def test_the_fake_api_answers_after_a_reset() -> None:
    with Simulator() as sim:
        sim.route("https://app.test", TwimlApp({"/voice": "<Response><Say>Hi</Say></Response>"}))
        client = sim.client()
        sim.number(NUMBER)
        first = client.calls.create(to=CALLER, from_=NUMBER, url="https://app.test/voice")
        sim.run()
        sim.reset()
        sim.number(NUMBER)
        again = client.calls.create(to=CALLER, from_=NUMBER, url="https://app.test/voice")
        sim.run()
        assert again.sid == first.sid
        assert [call.status for call in sim.calls.values()] == ["completed"]
        assert sim.calls[again.sid].said == ["Hi"]


def test_the_fixture_resets_per_example(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_menu="""
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from twimlsim import properties
from twimlsim.strategies import callers
from fixtures.voicemail_menu_app import SALES, make_app

app = make_app(buggy=True)


@pytest.fixture
def twimlsim_app():
    return app


@pytest.mark.twimlsim(strict=False, freeze_time=False)
@settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
)
@given(caller=callers(keys="12*"))
def test_every_call_ends(twimlsim, caller):
    twimlsim.reset()  # the fixture lives for the whole test: one fresh world per example
    app.config["VOICEMAILS"].clear()
    twimlsim.number("+15005550006", voice_url="https://app.test/voice")
    twimlsim.phone(SALES).hangs_up(after=30)
    caller.call(twimlsim, to="+15005550006")
    twimlsim.run()
    properties.ends_before_time_limit(twimlsim)
"""
    )
    result = pytester.runpytest("--hypothesis-seed=0", "-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.re_match_lines(
        [
            r"^E\s+Failing test case: test_every_call_ends\($",
            r"^E\s+twimlsim=<Simulator running at 2026-01-01 09:00:\d\d\+00:00: 1 call, 0 "
            r"problems, account ACd45321710a9937d57a6f595c7099cd0b>,$",
            r'^E\s+caller=sim\.phone\("\+15558675310"\)\.presses\("\*"\),$',
            r"^E\s+\)$",
        ],
        consecutive=True,
    )

"""A failing twimlsim test shows the test's own frames, not twimlsim's (pytester)."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

TESTS = """
from twimlsim import Simulator

APP = "<Response><Say>Hi</Say></Response>"


def place(sim):
    sim.number("+15005550006")
    return sim.client().calls.create(
        to="+15558675310", from_="+15005550006", url="https://myapp.test/voice")


def test_unrouted(twimlsim):
    place(twimlsim)
    twimlsim.run()


def test_unrouted_by_hand(twimlsim):
    call = place(twimlsim)
    twimlsim.calls[call.sid].run()


def test_unrouted_advance(twimlsim):
    place(twimlsim)
    twimlsim.advance(60)


def test_step_never_reached(twimlsim):
    twimlsim.phone("+15558675310").presses("1")


def test_in_a_with_block():
    with Simulator() as sim:
        sim.phone("+15558675310").presses("1")
"""

UNROUTED = (
    "E         call {sid}: Twilio error 11205 (HTTP connection failure) at "
    "https://myapp.test/voice: no app is routed for https://myapp.test/voice (routed: none); "
    "call sim.route('https://myapp.test', app) for it; twimlsim then played Twilio's "
    "application-error message and hung up, as Twilio does "
    "[https://www.twilio.com/docs/errors/11205]"
)
UNUSED = (
    "E   twimlsim.errors.ConfigurationError: scripted far-end steps were never reached: "
    "sim.phone('+15558675310').presses('1'); no call was made, so +15558675310 was never "
    "called: place the call (the app's code, sim.client().calls.create(...) or "
    "sim.incoming_call(...)) and sim.run() before the test ends. Remove them, or pass "
    "strict=False to allow unused steps."
)


def test_failures_point_at_the_test_line_with_no_twimlsim_frame(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(test_frames=TESTS)
    result = pytester.runpytest("-p", "no:randomly", "-p", "no:cacheprovider")
    result.assert_outcomes(failed=4, passed=1, errors=1)
    out = result.stdout.str()
    assert "site-packages/twimlsim" not in out and "twimlsim/simulator.py" not in out
    assert "twimlsim/facade/" not in out and "twimlsim/engine/" not in out
    assert "twimlsim/pytest_plugin.py" not in out
    # Each failure's one frame is the test's own line, then twimlsim's message.
    for line in (14, 19, 24):
        assert f"test_frames.py:{line}: SimulationError" in out
    assert "test_frames.py:32: ConfigurationError" in out
    sid = out.split("E         call ")[1].split(":")[0]  # the same in each test: seeded
    assert out.count(UNROUTED.format(sid=sid)) == 3
    assert out.count("E         call ") == 3
    assert out.count(UNUSED) == 1  # at teardown, the one line of a hidden traceback
    assert out.count(UNUSED.replace("E   ", "E       ")) == 1  # the with block's

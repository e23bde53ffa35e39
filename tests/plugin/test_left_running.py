"""A test that starts a ``Simulator`` in its body and never stops it: the plugin stops it
once the test ends, so that it answers no later test's requests to Twilio nor holds its
clock, and fails the test's teardown saying so (after a passing test only: a failing one
may simply not have reached its ``stop()``)."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

SUITE = """
import datetime
import unittest

import pytest
import requests

from twimlsim import Simulator

CREATE = "https://api.twilio.com/2010-04-01/Accounts/{sid}/Calls.json"
kept = []


def test_a_leaves_it_running():
    sim = Simulator(start=datetime.datetime(2001, 1, 1, tzinfo=datetime.timezone.utc)).start()
    kept.append(sim)
    sim.number("+15005550006")
    sim.client().calls.create(to="+15558675310", from_="+15005550006", twiml="<Response/>")
    sim.run()  # the app's clock now follows the simulator's, in 2001


def test_b_fails_before_its_stop():
    sim = Simulator().start()
    kept.append(sim)
    assert 1 + 1 == 3
    sim.stop()


class TestCaseFailsBeforeItsStop(unittest.TestCase):
    # unittest's failure is reported by pytest, not raised by the test's call
    def test_fails(self):
        sim = Simulator().start()
        kept.append(sim)
        self.assertEqual(1 + 1, 3)
        sim.stop()


def test_c_comes_after():
    assert [sim.running for sim in kept] == [False, False, False]
    assert datetime.datetime.now().year > 2001
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.post(CREATE.format(sid=kept[0].account_sid), timeout=5)


def test_d_stops_its_own(twimlsim):
    with Simulator() as sim:
        assert sim.running and twimlsim.running
"""


def test_a_simulator_left_running_is_stopped_and_fails_only_a_passing_tests_teardown(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(test_left=SUITE)
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=3, failed=2, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_a_leaves_it_running*",
            "test_left.py::test_a_leaves_it_running started a Simulator and left it running "
            "(started, never stopped): it would go on answering Twilio's API and holding the "
            "app's clock in every later test, so twimlsim stopped it; use `with Simulator() as "
            "sim:` or the twimlsim fixture, or call sim.stop() in a finally",
            "FAILED test_left.py::test_b_fails_before_its_stop - assert (1 + 1) == 3",
            "FAILED test_left.py::TestCaseFailsBeforeItsStop::test_fails - AssertionError*",
        ]
    )
    assert "ERROR at teardown of test_b" not in result.stdout.str()
    assert "ERROR at teardown of TestCaseFailsBeforeItsStop" not in result.stdout.str()


LET_GO = """
import gc
import weakref

from twimlsim import Simulator

started = []


def test_a_starts_and_stops_its_own():
    with Simulator() as sim:
        started.append(weakref.ref(sim))


def test_b_leaves_its_own_running():
    started.append(weakref.ref(Simulator().start()))


def test_c_comes_after():
    gc.collect()
    assert [ref() for ref in started] == [None, None]
"""


def test_the_plugin_keeps_no_simulator_a_test_started_once_the_test_ended(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(test_let_go=LET_GO)
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=3, errors=1)  # test_b's teardown: left running


LAZY_MODULE_FIXTURE = """
import pytest

from twimlsim import Simulator


@pytest.fixture(scope="module")
def shared_sim():
    with Simulator() as sim:
        yield sim


def test_a_asks_for_it_in_its_body(request):
    sim = request.getfixturevalue("shared_sim")
    assert sim.running


def test_b_shares_it(shared_sim):
    assert shared_sim.running
"""


def test_a_module_fixtures_simulator_asked_for_in_a_tests_body_is_the_fixtures_to_stop(
    pytester: pytest.Pytester,
) -> None:
    """``request.getfixturevalue()`` sets a fixture up during the test's call: a simulator
    it starts is the fixture's (stopped at the module's end), not one the test left running."""
    pytester.makepyfile(test_lazy=LAZY_MODULE_FIXTURE)
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=2)

"""The app's clock under the pytest plugin: pytest's own timing, and a test's own
freezegun or time-machine (pytester)."""

from __future__ import annotations

import re

import pytest

pytest_plugins = ["pytester"]

#: An app that notes the time it reads when each webhook arrives.
APP = """
from datetime import UTC, datetime

from flask import Flask

app = Flask(__name__)
SEEN = []


@app.post("/voice")
def voice():
    SEEN.append(datetime.now(UTC))
    return "<Response><Pause length='30'/><Say>Bye</Say></Response>", 200, {
        "Content-Type": "text/xml"
    }


@app.post("/status")
def status():
    SEEN.append(datetime.now(UTC))
    return "", 204
"""

#: One call: a voice webhook at the answer, a status callback 31 s later (the Pause, then the Say).
CALL = """
from datetime import UTC, datetime, timedelta

import app as webapp


def place(sim):
    webapp.SEEN.clear()
    sim.route("https://app.test", webapp.app)
    sim.number("+15005550006")
    sim.client().calls.create(
        to="+15558675310", from_="+15005550006", url="https://app.test/voice",
        status_callback="https://app.test/status",
    )
    sim.run()
    return [request.at for request in sim.requests]
"""


def make_suite(pytester: pytest.Pytester, tests: str) -> None:
    pytester.makepyfile(app=APP, call=CALL, test_clock=tests)


def test_durations_are_real_while_time_is_frozen(pytester: pytest.Pytester) -> None:
    make_suite(
        pytester,
        """
from call import place

def test_call(twimlsim):
    place(twimlsim)
    assert twimlsim.requests[0].at.year == 2026  # virtual time ran
""",
    )
    result = pytester.runpytest("--durations=0", "--durations-min=0")
    result.assert_outcomes(passed=1)
    durations = [
        float(match.group(1))
        for line in result.outlines
        if (match := re.match(r"^(\d+\.\d+)s (setup|call|teardown) ", line))
    ]
    assert len(durations) == 3
    assert all(0 <= seconds < 60 for seconds in durations), durations


#: A test's own freezegun: who sets the app's clock, and where virtual time starts.
FREEZEGUN_CASES = """
import app as webapp
from call import place
from datetime import UTC, datetime
from freezegun import freeze_time
from twimlsim import Simulator
import pytest


def test_app_sees_virtual_time_when_the_test_sets_no_clock(twimlsim):
    sent_at = place(twimlsim)
    assert [at.isoformat() for at in sent_at] == [
        "2026-01-01T09:00:00+00:00", "2026-01-01T09:00:31+00:00"
    ]
    assert webapp.SEEN == sent_at


def test_freezegun_before_the_simulator_sets_its_start():
    with freeze_time("2030-05-01 12:00:00"):
        with Simulator() as sim:
            assert sim.now.isoformat() == "2030-05-01T12:00:00+00:00"
            sent_at = place(sim)
            assert datetime.now(UTC).isoformat() == "2030-05-01T12:00:31+00:00"
        assert [at.isoformat() for at in sent_at] == [
            "2030-05-01T12:00:00+00:00", "2030-05-01T12:00:31+00:00"
        ]
        assert webapp.SEEN == sent_at
        # the simulator has stopped: the test's own frozen time is back
        assert datetime.now(UTC).isoformat() == "2030-05-01T12:00:00+00:00"
    assert datetime.now(UTC).year != 2030


@pytest.fixture
def frozen():
    with freeze_time("2030-05-01 12:00:00") as factory:
        yield factory

def test_freezer_fixture_before_twimlsim_sets_its_start(frozen, twimlsim):
    sent_at = place(twimlsim)
    assert [at.isoformat() for at in sent_at] == [
        "2030-05-01T12:00:00+00:00", "2030-05-01T12:00:31+00:00"
    ]
    assert webapp.SEEN == sent_at


@freeze_time("2030-05-01 12:00:00")
def test_freezegun_decorator_wins_over_the_fixture(twimlsim):
    sent_at = place(twimlsim)
    # the simulator was made before the test froze time: the test's clock wins, and
    # virtual time keeps its own start
    assert [str(at) for at in webapp.SEEN] == ["2030-05-01 12:00:00+00:00"] * 2
    assert [at.isoformat() for at in sent_at] == [
        "2026-01-01T09:00:00+00:00", "2026-01-01T09:00:31+00:00"
    ]
    assert datetime.now(UTC).isoformat() == "2030-05-01T12:00:00+00:00"


def test_freezegun_inside_running_calls_wins_while_it_lasts(twimlsim):
    twimlsim.advance(5)  # the app's clock now follows virtual time
    assert datetime.now(UTC).isoformat() == "2026-01-01T09:00:05+00:00"
    with freeze_time("2030-05-01 12:00:00"):
        twimlsim.advance(5)
        assert datetime.now(UTC).isoformat() == "2030-05-01T12:00:00+00:00"
    assert datetime.now(UTC).isoformat() == "2026-01-01T09:00:10+00:00"
"""

#: A test's own time-machine (its pytest fixture, or a travel around the simulator).
TIME_MACHINE_CASES = """
from datetime import UTC, datetime
import app as webapp
from call import place
import time_machine
from twimlsim import Simulator
import pytest


def test_time_machine_moved_by_the_test_wins(twimlsim, time_machine):
    time_machine.move_to(datetime(2030, 5, 1, 12, tzinfo=UTC), tick=False)
    sent_at = place(twimlsim)
    assert [str(at) for at in webapp.SEEN] == ["2030-05-01 12:00:00+00:00"] * 2
    assert [at.isoformat() for at in sent_at] == [
        "2026-01-01T09:00:00+00:00", "2026-01-01T09:00:31+00:00"
    ]


def test_time_machine_before_the_simulator_sets_its_start():
    with time_machine.travel(datetime(2030, 5, 1, 12, tzinfo=UTC), tick=False):
        with Simulator() as sim:
            sent_at = place(sim)
        assert [at.isoformat() for at in sent_at] == [
            "2030-05-01T12:00:00+00:00", "2030-05-01T12:00:31+00:00"
        ]
        assert webapp.SEEN == sent_at
        assert datetime.now(UTC).isoformat() == "2030-05-01T12:00:00+00:00"


def test_time_machine_cannot_start_once_calls_ran(twimlsim, time_machine):
    twimlsim.advance(1)
    with pytest.raises(RuntimeError, match="time-machine cannot start when freezegun is active"):
        time_machine.move_to(datetime(2030, 5, 1, tzinfo=UTC))
"""


def test_a_tests_own_freezegun_nests_with_the_bridge(pytester: pytest.Pytester) -> None:
    make_suite(pytester, FREEZEGUN_CASES)
    pytester.runpytest("-v").assert_outcomes(passed=5)


def test_a_tests_own_time_machine_is_respected(pytester: pytest.Pytester) -> None:
    make_suite(pytester, TIME_MACHINE_CASES)
    pytester.runpytest("-v").assert_outcomes(passed=3)

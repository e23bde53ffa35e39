"""A failing test given a start whose calls never ran is told that its app read the wall
clock: code it called before any sim.run() (a job picking the appointments due) did not
see the simulation's time."""

from __future__ import annotations

import pytest

from twimlsim import Simulator
from twimlsim.testcase import _calls_note

from .pytester_support import FAST

NOTE = (
    "The app's clock never read the simulation's time: the start given, 2026-03-02 15:00 "
    "UTC, is what the app's datetime.now() reads from the first sim.run() (or "
    "sim.advance(), call.run()) on, and none ran. Code the test calls before its calls run "
    "(a job that picks the appointments due, a check of business hours) reads the wall "
    "clock until then: call sim.run() first, which freezes the app's clock at the start."
)

DUE_JOB = """
import datetime

import pytest


def due(appointments):
    now = datetime.datetime.now()
    return [at for at in appointments if now < at <= now + datetime.timedelta(hours=24)]


def test_tomorrow_is_due(twimlsim):
    assert due([datetime.datetime(2026, 3, 3, 10, 30)]) != []


def test_tomorrow_is_due_once_calls_ran(twimlsim):
    twimlsim.run()
    assert due([datetime.datetime(2026, 3, 3, 10, 30)]) == []


@pytest.mark.twimlsim(start=None)
def test_without_a_start(twimlsim):
    assert False
"""


def test_a_failing_test_given_a_start_that_never_ran_calls_is_told_its_app_read_the_wall_clock(
    pytester: pytest.Pytester,
) -> None:
    pytester.makeini("[pytest]\ntwimlsim_start = 2026-03-02T15:00\n")
    pytester.makepyfile(test_due=DUE_JOB)
    result = pytester.runpytest(*FAST)
    result.assert_outcomes(failed=3)
    sections = result.stdout.str().split("- twimlsim calls -")[1:]
    # after each section: the next failure's header, then the summary
    assert [section.splitlines()[1:3] for section in sections] == [
        [NOTE, ""],  # it asserted before any run: its app read the wall clock
        ["(no calls)", "_" * 29 + " test_without_a_start " + "_" * 29],  # calls ran
        ["(no calls)", "=" * 27 + " short test summary info " + "=" * 28],  # no start
    ]


def test_a_simulator_given_a_start_that_ran_calls_or_was_given_none_has_no_note() -> None:
    with Simulator(start="2026-03-02T15:00") as sim:
        assert _calls_note(sim) == f"\ntwimlsim calls:\n\n{NOTE}\n\n(no calls)"
        sim.run()
        assert _calls_note(sim) == "\ntwimlsim calls:\n\n(no calls)"
    with Simulator() as sim:
        assert _calls_note(sim) == "\ntwimlsim calls:\n\n(no calls)"
    with Simulator(start="2026-03-02T15:00", freeze_time=False) as sim:
        assert _calls_note(sim) == "\ntwimlsim calls:\n\n(no calls)"

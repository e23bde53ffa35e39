"""A failing test whose own clock, set after the simulator was made (a ``@freeze_time``
decorator with the fixture), held the app's clock while virtual time ran on is told so:
its ``sim.advance()`` moved no clock the app reads, and a retry the app scheduled for
fifteen minutes later was never due."""

from __future__ import annotations

import pytest
import time_machine
from freezegun import freeze_time

from twimlsim import Simulator
from twimlsim.testcase import _calls_note

from .pytester_support import FAST


def note(won_at: str, now: str, start: str) -> str:
    return (
        "The app's clock was the test's own: a clock the test set after this simulator was "
        "made (freezegun's freeze_time, such as a @freeze_time decorator with the twimlsim "
        "fixture, pytest-freezer's freezer, time-machine's travel) was in force when calls "
        f"ran, at {won_at} UTC, so the app read that time while virtual time ran on (now "
        f"{now} UTC): sim.advance() and the calls moved no clock the app reads. Give that "
        f'time as the simulation\'s start, @pytest.mark.twimlsim(start="{start}") '
        "(Simulator(start=...)), and leave freezing to twimlsim; or set the test's clock "
        "before the simulator is made (a fixture listed before twimlsim), which the "
        "simulation then starts from and the app's clock follows."
    )


RETRY_JOB = """
import datetime

from freezegun import freeze_time


def retry_due(scheduled_at):
    return datetime.datetime.now() >= scheduled_at + datetime.timedelta(minutes=15)


@freeze_time("2026-03-02 15:00:00")
def test_the_retry_falls_due(twimlsim):
    scheduled_at = datetime.datetime.now()
    twimlsim.advance(15 * 60)
    assert retry_due(scheduled_at)
"""


def test_a_failing_test_whose_own_freeze_held_the_app_s_clock_is_told_so(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(test_retry=RETRY_JOB)
    result = pytester.runpytest(*FAST)
    result.assert_outcomes(failed=1)
    (section,) = result.stdout.str().split("- twimlsim calls -")[1:]
    assert section.splitlines()[1:4] == [
        note("2026-03-02 15:00:00", "2026-01-01 09:15:00", "2026-03-02T15:00:00"),
        "",
        "(no calls)",
    ]


def test_only_a_clock_the_test_set_after_the_simulator_and_in_force_when_calls_ran() -> None:
    with Simulator() as sim, time_machine.travel("2030-05-01 12:00:00+00:00", tick=False):
        sim.advance(5)
        assert _calls_note(sim) == (
            "\ntwimlsim calls:\n\n"
            + note("2030-05-01 12:00:00", "2026-01-01 09:00:05", "2030-05-01T12:00:00")
            + "\n\n(no calls)"
        )
    with freeze_time("2030-05-01 12:00:00"), Simulator() as sim:  # set before: followed
        sim.advance(5)
        assert _calls_note(sim) == "\ntwimlsim calls:\n\n(no calls)"
    with Simulator() as sim:
        with freeze_time("2030-05-01 12:00:00"):
            pass  # ended before calls ran
        sim.advance(5)
        assert _calls_note(sim) == "\ntwimlsim calls:\n\n(no calls)"
    with Simulator() as sim:
        sim.advance(5)
        with freeze_time("2030-05-01 12:00:00"):  # once calls ran: wins while it lasts
            sim.advance(5)
        assert _calls_note(sim) == "\ntwimlsim calls:\n\n(no calls)"

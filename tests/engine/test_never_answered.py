"""A script's steps after its answer, never reached because its call was never answered,
are explained: another number of the same <Dial> answered first, the caller hung up, or the
<Dial>'s timeout ran out first (a parallel dial of an office's team, with each member
scripted to answer and talk)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.engine.helpers import place, response, simulator
from tests.support import CALLEE
from twimlsim import ConfigurationError
from twimlsim.cli import main

FIRST = "+15550001111"
SECOND = "+15550002222"
TEAM = response(f"<Dial><Number>{FIRST}</Number><Number>{SECOND}</Number></Dial>")


def test_a_number_that_lost_a_parallel_dial_names_the_one_that_answered_first() -> None:
    with pytest.raises(ConfigurationError) as raised, simulator({"/voice": TEAM}) as (sim, _):
        sim.phone(FIRST).answers(after=3).hangs_up(after=10)
        sim.phone(SECOND).answers(after=8).hangs_up(after=30)
        place(sim)
        sim.run()
        lost = next(leg for leg in sim.calls.values() if leg.to == SECOND)
    assert (lost.status, lost.answered, lost.duration) == ("canceled", False, 0)
    assert str(raised.value) == (
        f"scripted far-end steps were never reached: sim.phone('{SECOND}').hangs_up(after=30); "
        f"{SECOND} never answered: its call {lost.sid} was canceled before it answered at 09:00:03 "
        f"({FIRST} answered first, and a <Dial> of several numbers rings them at once and "
        "cancels the others when one answers), so its steps after answering were never "
        f"reached: script it to answer before {FIRST} for the test to take that path, or drop "
        "those steps. Remove them, or pass strict=False to allow unused steps."
    )


def test_a_number_whose_caller_hung_up_before_it_answered_says_so() -> None:
    with pytest.raises(ConfigurationError) as raised, simulator({"/voice": TEAM}) as (sim, _):
        sim.phone(CALLEE).hangs_up(after=2)
        sim.phone(FIRST).no_answer()
        sim.phone(SECOND).answers(after=8).hangs_up(after=30)
        place(sim)
        sim.run()
        lost = next(leg for leg in sim.calls.values() if leg.to == SECOND)
    assert (lost.status, lost.answered) == ("canceled", False)
    assert str(raised.value) == (
        f"scripted far-end steps were never reached: sim.phone('{SECOND}').hangs_up(after=30); "
        f"{SECOND} never answered: its call {lost.sid} was canceled before it answered at 09:00:02 "
        "(the call it was on was hung up or ended first), so its steps after answering were "
        "never reached: script it to answer sooner (answers(after=...)) for the test to take "
        "that path, or drop those steps. Remove them, or pass strict=False to allow unused "
        "steps."
    )


def test_a_number_whose_answer_came_after_the_dial_timeout_says_it_rang_out() -> None:
    # timeout 10 rings 15 s (Twilio's 5 s more): an answer scripted at 20 s never comes
    ringing = response(f'<Dial timeout="10"><Number>{SECOND}</Number></Dial>')
    with pytest.raises(ConfigurationError) as raised, simulator({"/voice": ringing}) as (sim, _):
        sim.phone(SECOND).answers(after=20).hangs_up(after=30)
        place(sim)
        sim.run()
        lost = next(leg for leg in sim.calls.values() if leg.to == SECOND)
    assert (lost.status, lost.answered) == ("no-answer", False)
    assert str(raised.value) == (
        f"scripted far-end steps were never reached: sim.phone('{SECOND}').hangs_up(after=30); "
        f"{SECOND} never answered: its call {lost.sid} rang for 15 s and ended no-answer at "
        "09:00:15, when the <Dial>'s timeout (or the create's Timeout) ran out before its "
        "answers(after=20), so its steps after answering were never reached: script it to "
        "answer within that timeout for the test to take that path, or drop those steps. "
        "Remove them, or pass strict=False to allow unused steps."
    )


def test_a_number_that_answered_gets_no_such_reason() -> None:
    # answered and talked; its later key was simply never asked for
    limited = response(
        f'<Dial timeLimit="10"><Number>{FIRST}</Number><Number>{SECOND}</Number></Dial>'
    )
    with pytest.raises(ConfigurationError) as raised, simulator({"/voice": limited}) as (sim, _):
        sim.phone(FIRST).answers(after=3).presses("1")
        sim.phone(SECOND).no_answer()
        place(sim)
        sim.run()
    assert str(raised.value) == (
        f"scripted far-end steps were never reached: sim.phone('{FIRST}').presses('1'). "
        "Remove them, or pass strict=False to allow unused steps."
    )


def team_app(environ: dict[str, object], start_response: Any) -> list[bytes]:
    """Dials FIRST and SECOND at once."""
    start_response("200 OK", [("Content-Type", "text/xml")])
    return [TEAM.encode()]


def test_the_command_line_names_the_reason_too(capsys: pytest.CaptureFixture[str]) -> None:
    app = "tests.engine.test_never_answered:team_app"
    first = f"sim.phone('{FIRST}').answers(after=3).hangs_up(after=10)"
    second = f"sim.phone('{SECOND}').answers(after=8).hangs_up(after=30)"
    command = ["call", "https://app.test/voice", "--app", app, "--phone", first]
    assert main([*command, "--phone", second, "--json"]) == 1
    lost = next(c for c in json.loads(capsys.readouterr().out)["calls"] if c["to"] == SECOND)
    assert main([*command, "--phone", second]) == 1
    assert capsys.readouterr().out.splitlines()[-1] == (
        f"input given was never reached: sim.phone('{SECOND}').hangs_up(after=30) ({SECOND} "
        f"never answered: its call {lost['sid']} was canceled before it answered at 09:00:03 "
        f"({FIRST} answered first, and a <Dial> of several numbers rings them at once and "
        "cancels the others when one answers), so its steps after answering were never "
        f"reached: script it to answer before {FIRST} for the test to take that path, or drop "
        "those steps); the call did not wait for it (check the --press, --say and --phone "
        "input against the app's menus)"
    )

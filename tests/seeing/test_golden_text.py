"""What a golden file holds, and where it goes."""

from __future__ import annotations

from pathlib import Path

import pytest

from fixtures.pictures import menu_call
from twimlsim import Simulator
from twimlsim.golden import Golden, golden_text
from twimlsim.report import format_call


def test_a_call_brings_the_legs_it_dialled() -> None:
    parent, agent = menu_call(["1"])
    assert golden_text(parent) == f"{format_call(parent)}\n\n{format_call(agent)}\n"
    assert golden_text([agent]) == format_call(agent) + "\n"


def test_a_simulator_brings_every_call_then_the_rest_requests_about_none() -> None:
    with Simulator() as sim:
        sim.number("+15005550006")
        sim.client().calls.create(
            to="+15558675310", from_="+15005550006", twiml="<Response><Say>Hi</Say></Response>"
        )
        sim.client().calls.list(limit=1)
        sim.run()
        text = golden_text(sim)
    call = next(iter(sim.calls.values()))
    assert text == (
        f"{format_call(call)}\n\nREST requests about no call (1):\n"
        f"  09:00:00  calls.list GET /2010-04-01/Accounts/{sim.account_sid}/Calls.json -> 200\n"
        "      PageSize=1\n"
    )


def test_files_are_named_after_the_test_and_compared_without_their_header(
    tmp_path: Path,
) -> None:
    golden = Golden(folder=tmp_path, stem="TestX.test_y[a/b c]", origin="t.py::TestX::test_y")
    assert golden.path() == tmp_path / "TestX.test_y-a-b-c-.txt"
    assert golden.path("second") == tmp_path / "TestX.test_y-a-b-c-.second.txt"
    assert golden.check("log\n") == "created"
    moved = Golden(folder=tmp_path, stem="TestX.test_y[a/b c]", origin="elsewhere.py::test_y")
    assert moved.check("log\n") == "matched"
    with pytest.raises(AssertionError, match="differs from the golden file"):
        moved.check("other log\n")
    assert golden.outcomes == [("created", tmp_path / "TestX.test_y-a-b-c-.txt")]


def test_a_simulators_report_can_show_only_its_first_calls() -> None:
    from twimlsim.report import format_simulator

    with Simulator(cps=100) as sim:
        sim.number("+15005550006")
        for _ in range(3):
            sim.client().calls.create(to="+15558675310", from_="+15005550006", twiml="<Response/>")
        sim.run()
        first = next(iter(sim.calls.values()))
        assert format_simulator(sim, limit=1, params=False) == (
            f"{format_call(first, params=False)}\n\n"
            "... and 2 more calls (--twimlsim-report shows all)"
        )

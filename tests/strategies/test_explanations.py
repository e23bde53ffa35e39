"""hypothesis's explain phase lists the app's lines that only failing examples ran, not
those of an installed twimlsim (its failure reports run only when the app fails)."""

from __future__ import annotations

import sysconfig
from pathlib import Path

import pytest
from hypothesis.internal import scrutineer

from twimlsim.strategies import _installed, _leave_twimlsim_out_of_explanations

SITE = Path(sysconfig.get_path("purelib")).resolve()
CHECKOUT = Path("/home/dev/src/twimlsim-repo/twimlsim")
BASE = ("/_pytest/**", "/conftest.py")
APP = "/project/clinic/main.py"
REPORT = f"{SITE}/twimlsim/engine/diagnosis.py"


def test_installed_means_in_site_packages() -> None:
    assert (_installed(SITE / "twimlsim"), _installed(CHECKOUT)) == (True, False)


def test_an_installed_twimlsims_files_explain_nothing_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scrutineer, "UNHELPFUL_LOCATIONS", BASE)
    _leave_twimlsim_out_of_explanations(SITE / "twimlsim")
    _leave_twimlsim_out_of_explanations(SITE / "twimlsim")
    assert (*BASE, "/twimlsim/**") == scrutineer.UNHELPFUL_LOCATIONS


def test_a_checkouts_files_stay_explained(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scrutineer, "UNHELPFUL_LOCATIONS", BASE)
    _leave_twimlsim_out_of_explanations(CHECKOUT)
    assert scrutineer.UNHELPFUL_LOCATIONS == BASE


def test_a_failing_examples_explanation_keeps_the_apps_line_and_drops_twimlsims(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A passing example ran the app's lines 1 and 2; a failing one ran line 1, then the
    app's line 9 and twimlsim's report of the failure: line 9 alone explains it."""
    monkeypatch.setattr(scrutineer, "UNHELPFUL_LOCATIONS", BASE)
    _leave_twimlsim_out_of_explanations(SITE / "twimlsim")
    passing = frozenset({(None, (APP, 1)), ((APP, 1), (APP, 2))})
    failing = frozenset({(None, (APP, 1)), ((APP, 1), (APP, 9)), ((APP, 1), (REPORT, 58))})
    traces = {None: {passing}, "AssertionError": {failing}}
    assert scrutineer.get_explaining_locations(traces) == {"AssertionError": {(APP, 9)}}

"""hypothesis's explain phase lists the app's lines that only failing examples ran, not
twimlsim's own (its failure reports run only when the app fails)."""

from __future__ import annotations

from hypothesis.internal import scrutineer

import twimlsim.strategies  # noqa: F401 - importing it is what leaves twimlsim out

APP = "/project/clinic/main.py"
REPORT = "/venv/lib/python3.11/site-packages/twimlsim/engine/diagnosis.py"


def test_twimlsims_files_are_among_the_locations_that_explain_nothing() -> None:
    assert scrutineer.UNHELPFUL_LOCATIONS.count("/twimlsim/**") == 1


def test_a_failing_examples_explanation_keeps_the_apps_line_and_drops_twimlsims() -> None:
    """A passing example ran the app's lines 1 and 2; a failing one ran line 1, then the
    app's line 9 and twimlsim's report of the failure: line 9 alone explains it."""
    passing = frozenset({(None, (APP, 1)), ((APP, 1), (APP, 2))})
    failing = frozenset({(None, (APP, 1)), ((APP, 1), (APP, 9)), ((APP, 1), (REPORT, 58))})
    traces = {None: {passing}, "AssertionError": {failing}}
    assert scrutineer.get_explaining_locations(traces) == {"AssertionError": {(APP, 9)}}

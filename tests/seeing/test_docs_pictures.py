"""The README's timeline picture and coverage table are what ``make pictures`` makes now."""

from __future__ import annotations

from pathlib import Path

import pytest

from fixtures.pictures import coverage, timeline_calls
from tests.test_readme import readme_files
from twimlsim.timeline import render_page

from .pytester_support import FAST, failure_lines

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[2]


def test_docs_timeline_page_is_current() -> None:
    made = render_page(timeline_calls(), title="Caller presses 1 for sales")
    assert (ROOT / "docs" / "timeline.html").read_text(encoding="utf-8") == made
    assert (ROOT / "docs" / "timeline.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_docs_coverage_table_is_current_and_in_the_readme() -> None:
    table = coverage().table()
    assert (ROOT / "docs" / "coverage.txt").read_text(encoding="utf-8") == table + "\n"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"```text\n{table}\n```" in readme
    assert "![" in readme and "(docs/timeline.png)" in readme
    assert "make pictures" in readme


def test_the_readme_shows_the_exact_failure_of_assert_requests(
    pytester: pytest.Pytester,
) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    files = readme_files()
    shown = readme[readme.index("(`complete=True`); then the requests received:") :]
    start = shown.index("```text\n") + 8
    shown = shown[start : shown.index("\n```", start)]
    failing = files["test_seeing.py"].replace('Digits="2"', 'Digits="1"')
    pytester.makepyfile(app=files["app.py"], test_seeing=failing)
    result = pytester.runpytest(*FAST)
    result.assert_outcomes(failed=1)
    lines = failure_lines(result, "test_support_line")
    assert lines[0] == "AssertionError: " + shown.splitlines()[0]
    assert lines[1:] == shown.splitlines()[1:]

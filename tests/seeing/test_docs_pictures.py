"""The README's timeline picture and coverage table are what ``make pictures`` makes now."""

from __future__ import annotations

from pathlib import Path

from fixtures.pictures import coverage, timeline_calls
from twimlsim.timeline import render_page

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

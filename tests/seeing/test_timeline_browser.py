"""The timeline page in a real browser: headless Chromium loads it and a measuring script
reports what it rendered (lanes, spans, labels), what overflows and any console error."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fixtures.pictures import timeline_calls
from twimlsim.timeline import write_page

from .browser import CHROMIUM, measure

pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="headless Chromium is not installed: apt-get install chromium (.ci/run does)",
)


def test_the_fixture_ivr_timeline_renders_lanes_spans_and_nothing_overflows(
    tmp_path: Path,
) -> None:
    calls = timeline_calls()
    page = write_page(tmp_path / "timeline.html", calls, title="Caller presses 1 for sales")
    measured, console = measure(page, tmp_path)

    parent, agent = calls
    assert [lane["call"] for lane in measured["lanes"]] == [parent.sid, agent.sid]
    spans = measured["lanes"][0]["spans"]
    assert [span["verb"] for span in spans] == ["Gather", "Say", "Dial", "Hangup"]
    assert [span["width"] >= 3 for span in spans] == [True] * 4  # even an instant shows
    assert measured["lanes"][1]["spans"] == []  # the agent's leg runs no TwiML
    assert measured["lanes"][0]["events"] == [
        "answered",
        "said: Welcome to Example Company. For sales…",
        "pressed 1",
        "said: Connecting you to sales.",
        "dial +15551230000: completed",
        "ended (twiml): completed",
    ]
    assert measured["lanes"][0]["webhooks"] == [
        "status 204",
        "status 204",
        "status 204",
        "voice 200",
        "gather 200",
        "dial 200",
        "status 204",
    ]
    assert measured["lanes"][1]["events"] == [
        "invited +15551230000",
        "answered",
        "ended (caller): completed",
    ]
    assert measured["outsideSvg"] == []
    assert measured["outsideSpan"] == []
    assert measured["overlapping"] == []
    assert measured["pageWidth"] <= measured["viewport"]
    assert measured["svg"]["width"] == 1100
    assert measured["resources"] == []  # self-contained: nothing loaded
    assert re.search(r"\b(src|href)=", page.read_text(encoding="utf-8")) is None
    assert measured["errors"] == []
    assert console == []

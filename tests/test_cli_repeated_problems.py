"""``twimlsim call``: a problem one call met on every document of a loop is one line with
its count, as a failing test's ``SimulationError`` shows it. The command printed it once
per document: a ``<Record>`` without an action, whose document has a warning, printed
1,000 copies of the warning and, last, the problem that explained the loop."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from twimlsim.cli import main

DOCUMENT = (
    b'<Response><Say voise="man">Hi.</Say><Pause length="2"/><Redirect>/voice</Redirect></Response>'
)
CALLER = "+15558675310"
WARNING = (
    "Twilio warning 12200 (Schema validation warning) at https://app.test/voice in <Say> "
    "(line 1): <Say> has no attribute 'voise' (did you mean 'voice'? names are "
    "case-sensitive); Twilio ignores it [https://www.twilio.com/docs/errors/12200]"
)


def looping_app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    """A greeting with a misspelt attribute, a pause and a redirect to itself."""
    start_response("200 OK", [("Content-Type", "text/xml")])
    return [DOCUMENT]


def command(*more: str) -> list[str]:
    return [
        "call",
        "https://app.test/voice",
        "--app",
        "tests.test_cli_repeated_problems:looping_app",
        "--incoming",
        "--phone",
        f"sim.phone({CALLER!r}).hangs_up(after=8)",
        *more,
    ]


def test_a_warning_met_on_each_document_of_a_loop_is_one_line_with_its_count(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(command()) == 1
    out = capsys.readouterr().out.splitlines()
    sid = out[0].split()[1]
    # three documents before the caller hangs up at 8 s: one at 0 s, the redirects at 3 s, 6 s
    assert out[-3:] == [
        "",
        "Problems Twilio would log:",
        f"  call {sid} (3 times): {WARNING}",
    ]


def test_json_and_the_timeline_page_keep_their_own_forms(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    page = tmp_path / "call.html"
    assert main([*command(), "--json", "--html", str(page)]) == 1
    report = json.loads(capsys.readouterr().out)
    # --json lists every failure, one object each
    assert [failure["text"] for failure in report["failures"]] == [
        f"call {report['calls'][0]['sid']}: {WARNING}"
    ] * 3
    text = page.read_text()
    sid = report["calls"][0]["sid"]
    assert text.count("has no attribute &#x27;voise&#x27;") == 1
    assert f"<pre>call {sid} (3 times): Twilio warning 12200" in text

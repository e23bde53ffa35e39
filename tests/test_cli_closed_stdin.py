"""Commands started with standard input closed (``<&-``, as a cron job or a service may
start them): Python has no ``sys.stdin`` then, and ``twimlsim call`` (asking whether it is
a terminal) and ``twimlsim lint -`` ended with an ``AttributeError`` traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

APP = """\
def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/xml")])
    return [b"<Response><Say>Hi.</Say></Response>"]
"""


def _run(tmp_path: Path, *command: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "hello.py").write_text(APP)
    (tmp_path / "ok.xml").write_text("<Response><Hangup/></Response>")
    return subprocess.run(
        [sys.executable, "-m", "twimlsim", *command],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        preexec_fn=lambda: os.close(0),  # noqa: PLW1509 - the closed descriptor under test
    )


def test_a_call_with_standard_input_closed_runs_without_a_keyboard(tmp_path: Path) -> None:
    result = _run(tmp_path, "call", "https://app.test/voice", "--app", "hello")
    assert (result.returncode, result.stderr) == (0, "")
    assert "  09:00:00  said 'Hi.'\n" in result.stdout


def test_an_interactive_call_with_standard_input_closed_is_a_usage_error(
    tmp_path: Path,
) -> None:
    result = _run(tmp_path, "call", "https://app.test/voice", "--app", "hello", "--interactive")
    assert (result.returncode, result.stdout, result.stderr) == (
        2,
        "",
        "twimlsim call: error: --interactive takes the call from standard input, which is "
        "closed; give the far end's input with --press or --say instead\n",
    )


def test_lint_of_standard_input_closed_says_so_and_lints_the_rest(tmp_path: Path) -> None:
    result = _run(tmp_path, "lint", "-", "ok.xml")
    assert (result.returncode, result.stdout, result.stderr) == (
        2,
        "-: cannot read standard input: it is closed (<&-); give a file\n",
        "",
    )

"""The command line's output where its encoding lacks characters (Windows' cp1252 when
standard output is redirected to a file or a CI log)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

APP = """
from flask import Flask

app = Flask(__name__)


@app.post("/voice")
def voice():
    said = "<Say language='ja-JP'>こんにちは</Say><Say>Commande confirmée</Say>"
    return "<Response>" + said + "</Response>", {"Content-Type": "text/xml"}
"""


def _run(args: list[str], cwd: Path, encoding: str) -> subprocess.CompletedProcess[bytes]:
    environment = {**os.environ, "PYTHONIOENCODING": encoding}
    environment.pop("PYTHONUTF8", None)
    return subprocess.run(
        [sys.executable, "-m", "twimlsim", *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        timeout=120,
        check=False,
    )


def test_lint_prints_a_file_name_cp1252_lacks_escaped(tmp_path: Path) -> None:
    (tmp_path / "こんにちは.xml").write_text("<Response><Gather numDigit='1'/></Response>")
    result = _run(["lint", "こんにちは.xml"], tmp_path, "cp1252")
    assert (result.returncode, result.stderr) == (0, b"")
    assert result.stdout.decode("cp1252").splitlines() == [
        "\\u3053\\u3093\\u306b\\u3061\\u306f.xml:1: warning 12200 <Gather> has no attribute "
        "'numDigit' (did you mean 'numDigits'? names are case-sensitive); Twilio ignores it"
    ]


def test_call_prints_speech_cp1252_lacks_escaped_and_what_it_has_as_is(tmp_path: Path) -> None:
    (tmp_path / "jp_app.py").write_text(APP, encoding="utf-8")
    result = _run(["call", "https://jp.test/voice", "--app", "jp_app.py"], tmp_path, "cp1252")
    assert (result.returncode, result.stderr) == (0, b"")
    said = [line for line in result.stdout.decode("cp1252").splitlines() if " said " in line]
    assert said == [
        "  09:00:00  said '\\u3053\\u3093\\u306b\\u3061\\u306f'",
        "  09:00:01  said 'Commande confirmée'",
    ]


def test_an_error_handler_the_user_chose_is_kept(tmp_path: Path) -> None:
    (tmp_path / "café.xml").write_text("<Response><Gather numDigit='1'/></Response>")
    result = _run(["lint", "café.xml"], tmp_path, "ascii:replace")
    assert (result.returncode, result.stderr) == (0, b"")
    assert result.stdout.decode("ascii").startswith("caf?.xml:1: warning 12200 ")

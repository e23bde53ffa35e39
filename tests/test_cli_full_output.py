"""A command whose standard output cannot be written (``> /dev/full``, a full disk in CI)
says so in one line with exit status 2: it ended with an ``OSError`` traceback from
inside twimlsim and exit status 1, which reads as a call or a document that failed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

APP = """\
def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/xml")])
    return [b"<Response><Say>Hi.</Say></Response>"]
"""


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full on this system")
@pytest.mark.parametrize(
    "command",
    [
        ["lint", "bad.xml"],
        ["call", "https://app.test/voice", "--app", "hello"],
        ["call", "https://app.test/voice", "--app", "hello", "--json"],
    ],
)
def test_standard_output_on_a_full_device_is_one_line_and_exit_status_2(
    tmp_path: Path, command: list[str]
) -> None:
    (tmp_path / "hello.py").write_text(APP)
    (tmp_path / "bad.xml").write_text("<Response><Sya/></Response>")
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "twimlsim", *command],
            cwd=tmp_path,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            check=False,
        )
    assert (result.returncode, result.stderr) == (
        2,
        f"twimlsim {command[0]}: cannot write to standard output: No space left on device "
        "(errno 28); send it where it can be written (a disk with space, another file) and "
        "run the command again\n",
    )

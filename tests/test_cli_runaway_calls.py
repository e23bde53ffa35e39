"""``twimlsim call`` against an app whose call dials the number that answers with the app:
each call places another until the run stops at ``max_calls_per_run``. The command ended
with a ``RunawayCalls`` traceback, then Python's exit printed an ``ImportError`` traceback
for each call left live (2,500 of them, 35,000 lines)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SELF_DIALING_APP = """\
def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/xml")])
    return [b"<Response><Dial>+15005550006</Dial></Response>"]
"""


def test_calls_that_keep_placing_calls_end_the_command_with_one_message(
    tmp_path: Path,
) -> None:
    (tmp_path / "selfdial.py").write_text(SELF_DIALING_APP)
    ran = subprocess.run(
        [
            sys.executable,
            "-m",
            "twimlsim",
            "call",
            "--app",
            "selfdial:app",
            "--incoming",
            "https://app.test/voice",
        ],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert (ran.returncode, ran.stdout) == (1, "")
    assert ran.stderr == (
        "twimlsim call: the run was stopped:\n"
        "  call CA166c7a0f2f30bc8e481c1708688fdbfc: run stopped after 5,000 calls were created "
        "while it ran (5,002 calls are still queued or live): the app's webhooks keep placing "
        "calls (does each call place another? calls to the simulation's own numbers reach "
        "their apps: do two of them dial each other, or one itself?). Fix the app\n"
    )

"""A script whose run stopped at ``max_calls_per_run`` (each call placing another, an app
dialling the number that answers with it) exits quietly: Python's exit closed the calls
left live, and each tried to end its ``<Dial>``, printing an ``ImportError`` traceback
("sys.meta_path is None, Python is likely shutting down"), 2,300 of them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = """\
from twimlsim import Simulator
from twimlsim.errors import RunawayCalls


def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/xml")])
    return [b"<Response><Dial>+15005550006</Dial></Response>"]


try:
    with Simulator(strict=False) as sim:
        sim.route("https://app.test", app)
        sim.number("+15005550006", voice_url="https://app.test/voice")
        sim.incoming_call(from_="+15558675310", to="+15005550006")
        sim.run()
except RunawayCalls:
    print("stopped")
"""


def test_calls_a_stopped_run_left_live_end_quietly_at_exit(tmp_path: Path) -> None:
    (tmp_path / "script.py").write_text(SCRIPT)
    ran = subprocess.run(
        [sys.executable, "script.py"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert (ran.returncode, ran.stdout, ran.stderr) == (0, "stopped\n", "")

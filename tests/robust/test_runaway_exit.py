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


def exits_quietly(folder: Path, script: str) -> None:
    """Run ``script`` as a program in ``folder``: it exits 0, printing "stopped" and nothing
    on standard error (the whole output is in the failure)."""
    (folder / "script.py").write_text(script)
    ran = subprocess.run(
        [sys.executable, "script.py"],
        cwd=folder,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert (ran.returncode, ran.stdout, ran.stderr) == (0, "stopped\n", "")


def test_calls_a_stopped_run_left_live_end_quietly_at_exit(tmp_path: Path) -> None:
    exits_quietly(tmp_path, SCRIPT)


RECORDING_SCRIPT = """\
import sys

from twimlsim import Simulator
from twimlsim.engine.verbs import record
from twimlsim.errors import RunawayCalls

finish = record._finish


def finishing(*args, **kwargs):
    if sys.is_finalizing():
        print("a recording closed as Python exits", file=sys.stderr)
    return finish(*args, **kwargs)


record._finish = finishing
client = []


def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/xml")])
    if environ["PATH_INFO"] != "/voice":
        return [b""]
    client[0].calls.create(to="+15558675310", from_="+15005550006", url="https://app.test/voice")
    return [b"<Response><Record recordingStatusCallback='/rec'/></Response>"]


try:
    with Simulator(strict=False) as sim:
        client.append(sim.client())
        sim.route("https://app.test", app)
        sim.number("+15005550006", voice_url="https://app.test/voice")
        sim.incoming_call(from_="+15558675310", to="+15005550006")
        sim.run()
except RunawayCalls:
    print("stopped")
"""


def test_recordings_a_stopped_run_left_live_are_left_alone_at_exit(tmp_path: Path) -> None:
    # each webhook creates another call while its own records: the <Record>s left live were
    # each closed, reported and their callbacks readied as Python's exit ended, 1,000 of them
    exits_quietly(tmp_path, RECORDING_SCRIPT)

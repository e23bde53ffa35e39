"""``twimlsim call --app`` exits once its call has ended, whatever threads the app left
running: Python waited for a thread that is not a daemon (a scheduler loop the app starts
at import), so the command printed its transcript and then never exited."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from twimlsim.app_threads import threads_left

LOOPING_APP = """\
import threading
import time


def _reminders():
    while True:
        time.sleep(0.05)


threading.Thread(target=_reminders, name="reminders").start()
threading.Thread(target=_reminders, name="reports").start()


def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/xml")])
    return [b"<Response><Say>Hi.</Say></Response>"]
"""

POOLED_APP = """\
from concurrent.futures import ThreadPoolExecutor

pool = ThreadPoolExecutor(2)


def app(environ, start_response):
    pool.submit(print, "sent from the pool").result()
    start_response("200 OK", [("Content-Type", "text/xml")])
    return [b"<Response><Say>Hi.</Say></Response>"]
"""


def _call(tmp_path: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "twimlsim", "call", "https://app.test/voice", *options],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        capture_output=True,
        text=True,
        timeout=60,  # the defect: it never ended
        check=False,
    )


@pytest.mark.parametrize("output", [[], ["--json"]])
def test_threads_an_app_left_running_are_named_and_not_waited_for(
    tmp_path: Path, output: list[str]
) -> None:
    (tmp_path / "looping.py").write_text(LOOPING_APP)
    result = _call(tmp_path, "--app", "looping", *output)
    assert result.returncode == 0
    assert result.stderr.splitlines()[-1] == (
        "twimlsim call: the app's threads 'reminders', 'reports' still run after the call "
        "ended; twimlsim call exits without waiting, since what it does now would reach a "
        "simulation that has ended; to see what it does to the call, drive the app from a "
        "test that joins the thread before sim.run()"
    )
    assert ('"text": "Hi."' if output else "Hi.") in result.stdout


def test_an_idle_thread_pool_ends_by_itself_and_is_not_named(tmp_path: Path) -> None:
    (tmp_path / "pooled.py").write_text(POOLED_APP)
    result = _call(tmp_path, "--app", "pooled")
    assert (result.returncode, result.stderr) == (0, "")
    assert "sent from the pool" in result.stdout


def test_threads_left_names_a_waiting_thread_that_is_no_daemon_only() -> None:
    release = threading.Event()
    waiting = threading.Thread(target=release.wait, name="waiting")
    daemon = threading.Thread(target=release.wait, name="daemon", daemon=True)
    waiting.start()
    daemon.start()
    try:
        assert [thread.name for thread in threads_left() if thread in (waiting, daemon)] == [
            "waiting"
        ]
    finally:
        release.set()
        waiting.join()
        daemon.join()
    assert waiting not in threads_left()

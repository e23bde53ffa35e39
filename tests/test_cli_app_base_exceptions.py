"""``twimlsim call --app`` with an app that raises what is not an ``Exception`` (a
``pytest.fail()`` left in a view, an ``asyncio.CancelledError`` out of a task it awaited
with ``asyncio.run``): the command crashed with a traceback through twimlsim's own
frames. A WSGI server ends the thread answering on it; the command now ends the app's
answer there, reports the call and its failure, and exits 1."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from twimlsim.cli import main

APP = """\
import asyncio


def app(environ, start_response):
    if environ["PATH_INFO"] == "/voice":
        raise asyncio.CancelledError()
    start_response("204 No Content", [])
    return [b""]
"""


#: The problem the call's end shows (``sid``: its call).
ESCAPED = (
    "  call {sid} at https://app.test/voice: CancelledError escaped the app as it answered "
    "the voice webhook; it is not an Exception, so twimlsim stopped the app's answer there, "
    "as a WSGI server ends its thread (Twilio would have had no answer) and ended the call "
    "completed there. What the call's end sends the app (its status callback) is sent as "
    "the run went on"
)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The working directory, holding ``cancelling.py`` (not imported after the test)."""
    (tmp_path / "cancelling.py").write_text(APP)
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path
    sys.modules.pop("cancelling", None)


def test_the_call_ends_with_its_failure_and_the_command_exits_1(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(
        [
            "call",
            "https://app.test/voice",
            "--no-interactive",
            "--app",
            "cancelling:app",
            "--status-callback",
            "https://app.test/status",
        ]
    )
    out, err = capsys.readouterr()
    assert status == 1
    assert "Traceback" not in out + err
    problems = out.partition("\nProblems Twilio would log:\n")[2].splitlines()
    sid = problems[0].split()[1]
    assert problems == [ESCAPED.format(sid=sid)]
    webhooks = out.partition("\nWebhooks (5):\n")[2].partition("\n\n")[0].splitlines()
    assert webhooks[-2:] == [
        "  09:00:00  status    POST https://app.test/status -> 204",
        "      Timestamp=Thu, 01 Jan 2026 09:00:00 +0000, CallbackSource=call-progress-events, "
        "SipResponseCode=200, SequenceNumber=3, CallStatus=completed, Duration=0, "
        "CallDuration=0",
    ]


def test_taken_interactively_the_call_ends_there_too(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    read, write = os.pipe()
    os.close(write)  # nothing typed: the call never waits for it
    with os.fdopen(read) as piped:
        monkeypatch.setattr(sys, "stdin", piped)
        argv = ["call", "https://app.test/voice", "--app", "cancelling:app", "--interactive"]
        assert main(argv) == 1
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    transcript = out.partition("\nTranscript:\n")[2].partition("\n\n")[0]
    assert transcript == "  09:00:00  answered\n  09:00:00  hung up by exception: completed"
    problems = out.partition("\nProblems Twilio would log:\n")[2].splitlines()
    assert problems == [ESCAPED.format(sid=problems[0].split()[1])]

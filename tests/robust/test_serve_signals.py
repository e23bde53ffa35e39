"""``twimlsim serve`` stopped by a supervisor as soon as it reads the banner: the signal is
caught from before the banner is written, so the summary and exit status still come (a
SIGTERM between the two ended the process at once, without either)."""

from __future__ import annotations

import io
import os
import signal
import sys

import pytest

from twimlsim import serve


class Supervisor(io.StringIO):
    """Standard output read by a supervisor that sends SIGTERM once the banner is out."""

    def write(self, text: str) -> int:
        written = super().write(text)
        if text.startswith("{"):
            os.kill(os.getpid(), signal.SIGTERM)
        return written


def test_a_sigterm_sent_as_the_banner_is_written_stops_with_the_summary(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    missed: list[int] = []  # signals that reached the test's handler, not serve's

    def test_handler(signum: int, frame: object) -> None:
        missed.append(signum)

    before = signal.signal(signal.SIGTERM, test_handler)
    try:
        monkeypatch.setattr(serve, "configure_logging", lambda level: None)
        monkeypatch.setattr(sys, "argv", ["twimlsim serve", "--clock", "manual"])
        monkeypatch.setattr(sys, "stdout", Supervisor())
        assert serve.main() == 0
        assert signal.getsignal(signal.SIGTERM) is test_handler  # serve gave it back
    finally:
        signal.signal(signal.SIGTERM, before)
    assert missed == []
    assert capsys.readouterr().err == "twimlsim serve: stopped after 0 calls; no problems\n"

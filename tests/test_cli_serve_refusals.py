"""``twimlsim serve`` refusing an option after parsing (an address, a number, a speed)
exits 2 with its one line, as argparse's refusals do: exit status 1 means a served call
had a problem, so a script could not tell the two apart."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        (
            ("--host", ""),
            "twimlsim serve: --host '' is empty; give an address of this machine: 127.0.0.1 "
            "(only it) or 0.0.0.0 (every interface)",
        ),
        (
            ("--number", ""),
            "twimlsim serve: --number: sim.number(''): '' is not a phone number (E.164, or ten "
            "digits of a US number) that the account can own; give one such as '+15558675310'",
        ),
        (
            ("--speed", "0"),
            "twimlsim serve: --speed must be more than 0, got 0.0; give the virtual seconds "
            "per real second, such as 1 (real time) or 60",
        ),
    ],
)
def test_an_option_refused_after_parsing_exits_2_with_one_line(
    argv: tuple[str, ...], line: str
) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "twimlsim", "serve", *argv],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert (done.returncode, done.stdout, done.stderr) == (2, "", line + "\n")

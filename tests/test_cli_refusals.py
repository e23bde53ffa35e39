"""``twimlsim call`` with an argument the simulator or the fake API refuses: one line on
standard error naming what is wrong, exit status 2, no traceback and no call."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from twimlsim.cli import main

APP = ["--app", "fixtures.flask_app:app", "--no-interactive"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["notaurl"],
            "URL 'notaurl' is not an absolute http(s) URL; give the app's voice URL, such as "
            "https://myapp.test/voice",
        ),
        (
            ["https://[::1/voice"],
            "URL 'https://[::1/voice' is not a usable URL (Invalid IPv6 URL); give the app's "
            "voice URL, such as https://myapp.test/voice",
        ),
        (
            ["https://app.test/voice", "--to", "abc"],
            "sim.phone('abc'): 'abc' is not a phone number (E.164, or ten digits of a US "
            "number) nor a client: or sip: address; give one such as '+15558675310', "
            "'client:alice' or 'sip:alice@example.com'",
        ),
        (
            ["https://app.test/voice", "--from", "12"],
            "sim.number('12'): '12' is not a phone number (E.164, or ten digits of a US "
            "number) that the account can own; give one such as '+15558675310'",
        ),
        (
            ["https://app.test/voice", "--from", "+1234567890"],
            "sim.number('+1234567890'): '+1234567890' cannot be a complete number of its "
            "country (an unknown country code, or too few or too many digits for it: a US "
            "number is +1 and ten digits), so no account can own it: Twilio refuses a call "
            "from it (21212 'From is not a valid phone number: +1234567890') and to it "
            "(21211); give one such as '+15005550006'",
        ),
        (
            ["https://app.test/voice", "--incoming", "--to", "client:alice"],
            "--to client:alice: with --incoming, --to is the account's number the call comes "
            "in to (or a SIP URI at a SIP Domain); a Voice SDK client calling the app is "
            "--from client:alice",
        ),
        (
            ["https://app.test/voice", "--from", "client:bob"],
            "the fake Twilio API refused the call: Twilio error 21212: From is not a valid "
            "phone number: client:bob",
        ),
        (
            ["https://app.test/voice", "--press", "xyz"],
            "sim.phone('+15558675310').presses(): digits must be keys 0-9, *, #, A-D (w/W "
            "pause); got 'xyz'",
        ),
        (
            ["https://app.test/voice", "--status-callback", "notaurl"],
            "the fake Twilio API refused the call: Twilio error 21609: The StatusCallback "
            "URL notaurl is not a valid URL.",
        ),
        (
            ["https://app.test/voice", "--status-callback", "/status"],
            "the fake Twilio API refused the call: Twilio error 21609: The StatusCallback "
            "URL /status is not a valid URL. (Twilio takes absolute URLs only: "
            "--status-callback https://app.test/status)",
        ),
        (
            ["https://app.test/voice", "--auth-token", ""],
            "--auth-token '' is not an auth token; give the one the app validates "
            "X-Twilio-Signature with, such as 0123456789abcdef0123456789abcdef",
        ),
        (
            ["https://app.test/voice", "--auth-token", "abc def\n"],
            "--auth-token 'abc def\\n' is not an auth token; give the one the app validates "
            "X-Twilio-Signature with, such as 0123456789abcdef0123456789abcdef",
        ),
        # bytes of the command line that are not UTF-8 (a Latin-1 terminal): Python keeps
        # them as lone surrogates; the outbound call's URL ended in a traceback
        (
            ["https://app.test/v\udcffoice"],
            "URL 'https://app.test/v\\udcffoice' holds the byte 0xff at position 18, which "
            "is not UTF-8 (a terminal or script writing another encoding, such as Latin-1); "
            "give the argument in UTF-8",
        ),
        (
            ["https://app.test/voice", "--status-callback", "https://app.test/st\udce9tus"],
            "--status-callback 'https://app.test/st\\udce9tus' holds the byte 0xe9 at "
            "position 19, which is not UTF-8 (a terminal or script writing another encoding, "
            "such as Latin-1); give the argument in UTF-8",
        ),
        (
            ["https://app.test/voice", "--say", "caf\udce9"],
            "--say 'caf\\udce9' holds the byte 0xe9 at position 3, which is not UTF-8 (a "
            "terminal or script writing another encoding, such as Latin-1); give the "
            "argument in UTF-8",
        ),
        (
            ["https://app.test/voice", "--press", "1", "--press", "\ud800"],
            "--press '\\ud800' holds a lone surrogate at position 0, which is not UTF-8 (a "
            "terminal or script writing another encoding, such as Latin-1); give the "
            "argument in UTF-8",
        ),
    ],
)
def test_a_refused_argument_is_one_line_and_exit_status_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["call", *argv, *APP])
    captured = capsys.readouterr()
    assert (status, captured.out, captured.err) == (2, "", f"twimlsim call: error: {message}\n")


def test_a_timeline_page_that_cannot_be_written_is_exit_status_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["call", "https://app.test/voice", "--press", "1", "--html", str(tmp_path), *APP])
    captured = capsys.readouterr()
    assert "Transcript:" in captured.out  # the call ran and was printed
    assert (status, captured.err) == (
        2,
        f"twimlsim call: error: --html: cannot write the timeline page to {tmp_path}: Is a "
        "directory\n",
    )


def test_a_client_calls_a_client_as_calls_create_allows(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A From of client:NAME is Twilio's to take when To is a client or SIP address: the
    account owns no such number, and none is made for it."""
    argv = ["https://app.test/voice", "--to", "client:alice", "--from", "client:bob", "--json"]
    status = main(["call", *argv, *APP])
    call = json.loads(capsys.readouterr().out)["calls"][0]
    assert (status, call["from"], call["to"], call["status"]) == (
        0,
        "client:bob",
        "client:alice",
        "completed",
    )

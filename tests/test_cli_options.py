"""``twimlsim call``'s options: ``--status-callback-event`` (the events the call's status
callback is sent, as the app's own ``calls.create(status_callback_event=...)`` asks for
them) and what ``--help`` says."""

from __future__ import annotations

import json
from typing import Any

import pytest

from twimlsim.cli import main

CALL = ["call", "https://app.test/voice", "--app", "fixtures.flask_app:app"]


def statuses(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[list[str], list[str]]:
    """The CallStatus of each status callback, and the StatusCallbackEvent values created."""
    assert main([*CALL, "--status-callback", "https://app.test/status", *args, "--json"]) == 0
    (call,) = json.loads(capsys.readouterr().out)["calls"]
    sent = [r["params"]["CallStatus"] for r in call["requests"] if r["kind"] == "status"]
    create = call["api_requests"][0]["pairs"]
    return sent, [value for name, value in create if name == "StatusCallbackEvent"]


def test_the_events_given_are_the_ones_sent(capsys: pytest.CaptureFixture[str]) -> None:
    assert statuses(capsys, "--status-callback-event", "completed") == (
        ["completed"],
        ["completed"],
    )
    assert statuses(
        capsys, "--status-callback-event", "answered", "--status-callback-event", "completed"
    ) == (["in-progress", "completed"], ["answered", "completed"])


def test_without_it_every_event_is_sent(capsys: pytest.CaptureFixture[str]) -> None:
    assert statuses(capsys) == (
        ["initiated", "ringing", "in-progress", "completed"],
        ["initiated", "ringing", "answered", "completed"],
    )


@pytest.mark.parametrize(
    ("args", "why"),
    [
        ([], "give --status-callback URL too"),
        (
            ["--incoming", "--status-callback", "https://app.test/status"],
            "with --incoming the callback is the number's, which Twilio sends the completed "
            "event only; drop --status-callback-event",
        ),
    ],
)
def test_it_is_refused_where_it_chooses_nothing(
    capsys: pytest.CaptureFixture[str], args: list[str], why: str
) -> None:
    assert main([*CALL, *args, "--status-callback-event", "completed"]) == 2
    assert capsys.readouterr().err == (
        "twimlsim call: error: --status-callback-event chooses the events of the call's "
        f"--status-callback: {why}\n"
    )


def test_the_help_names_what_each_option_takes(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["call", "--help"])
    usage = " ".join(capsys.readouterr().out.split("\n\n")[0].split())
    for option in (
        "[--to NUMBER]",
        "[--from NUMBER]",
        "[--status-callback URL]",
        "[--status-callback-event EVENT]",
    ):
        assert option in usage


def test_the_help_ends_with_examples_of_a_first_try(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["call", "--help"])
    help_text = capsys.readouterr().out
    assert help_text.split("\n\nexamples:\n")[1].splitlines()[:2] == [
        "  twimlsim call http://127.0.0.1:5000/voice --incoming --press 1",
        "      a caller rings the app running on port 5000 (its voice URL) and presses 1",
    ]


def answering_app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    """Greets whoever answered (``AnsweredBy``)."""
    start_response("200 OK", [("Content-Type", "text/xml")])
    return [b"<Response><Say>Hello.</Say></Response>"]


@pytest.mark.parametrize(
    ("args", "answered_by"),
    [
        ((), "human"),
        (
            ("--phone", "sim.phone('+15558675310').machine('machine_end_beep', after=3)"),
            "machine_end_beep",
        ),
    ],
)
def test_machine_detection_sends_answered_by(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...], answered_by: str
) -> None:
    argv = ["call", "https://app.test/voice", "--app", f"{__name__}:answering_app"]
    assert main([*argv, "--machine-detection", "DetectMessageEnd", *args, "--json"]) == 0
    (call,) = json.loads(capsys.readouterr().out)["calls"]
    voice = call["requests"][0]["params"]
    assert (voice["AnsweredBy"], voice["MachineDetectionDuration"]) == (answered_by, "3000")
    assert ["MachineDetection", "DetectMessageEnd"] in call["api_requests"][0]["pairs"]


def test_machine_detection_is_refused_for_a_call_coming_in(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main([*CALL, "--incoming", "--machine-detection", "Enable"]) == 2
    assert capsys.readouterr().err == (
        "twimlsim call: error: --machine-detection is a request of an outbound call's "
        "calls.create; a call coming in (--incoming) is answered by the app: drop one of them\n"
    )


def test_serve_help_says_what_it_prints_and_how_to_drive_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    help_text = capsys.readouterr().out
    assert help_text.split("\n\n")[1].splitlines()[2] == (
        "url, account_sid and auth_token for the app's Twilio client, control_url to drive it."
    )
    assert help_text.rstrip().endswith(
        "  curl -s -X POST CONTROL_URL/run\n"
        "      run every call to its end (GET CONTROL_URL/calls lists them)"
    )


@pytest.mark.parametrize(
    ("given", "digits"), [("1220", "4 digits"), ("122000", "6 digits"), ("0", "1 digit")]
)
def test_serve_refuses_an_allowed_code_that_is_not_five_digits(
    capsys: pytest.CaptureFixture[str], given: str, digits: str
) -> None:
    """A typo (1220 for 12200) allowed nothing, and serve's exit status stayed 1 for the
    code meant, as Simulator(allow_codes=...) now refuses it."""
    with pytest.raises(SystemExit) as stopped:
        main(["serve", "--allow-code", given])
    assert stopped.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"twimlsim serve: error: argument --allow-code: {given!r} has {digits}: a Twilio "
        "error code has five, such as 21211"
    )


def test_an_empty_html_file_name_is_refused_before_the_call(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """It was refused after the call ran, as "cannot write the timeline page to : Is a
    directory", a line naming no file."""
    with pytest.raises(SystemExit) as exited:
        main([*CALL, "--html", ""])
    assert exited.value.code == 2
    captured = capsys.readouterr()
    assert (captured.out, captured.err.splitlines()[-1]) == (
        "",
        "twimlsim call: error: argument --html: '' is an empty file name (an unset shell "
        "variable?); give the file to write the timeline page to, such as call.html",
    )

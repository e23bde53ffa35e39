"""``twimlsim call --say`` at a ``<Gather input="dtmf">`` (and ``--press`` at a speech-only
one): Twilio ignores the input and the Gather times out; the command says so, naming the
option and what to give instead, and exits 1, as for input the call never reached."""

from __future__ import annotations

import json
from typing import Any

import pytest

from twimlsim.cli import main

MENUS = {
    "/keys": '<Gather input="dtmf" numDigits="1" action="/got"><Say>Press 1.</Say></Gather>',
    "/words": '<Gather input="speech" action="/got"><Say>Say sales.</Say></Gather>',
    "/got": "<Say>Thanks.</Say>",
}


def menu_app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    """A keypad menu at /keys, a speech menu at /words."""
    start_response("200 OK", [("Content-Type", "text/xml")])
    return [f"<Response>{MENUS[environ['PATH_INFO']]}</Response>".encode()]


def command(path: str, *far_end: str) -> list[str]:
    return [
        "call",
        f"https://app.test{path}",
        "--app",
        "tests.test_cli_ignored_input:menu_app",
        *far_end,
    ]


@pytest.mark.parametrize(
    ("path", "given", "said"),
    [
        (
            "/keys",
            ("--say", "sales"),
            "the far end said 'sales' (--say) at a <Gather> that takes keys only "
            '(input="dtmf"): Twilio ignores speech there; give keys instead (--press), or '
            'let the app take speech (input="dtmf speech")',
        ),
        (
            "/words",
            ("--press", "1"),
            "the far end pressed '1' (--press) at a <Gather> that takes speech only "
            '(input="speech"): Twilio ignores keys there; give words instead (--say), or let '
            'the app take keys (input="dtmf speech")',
        ),
    ],
)
def test_input_the_gather_ignored_is_said_and_exits_1(
    path: str, given: tuple[str, str], said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(command(path, *given)) == 1
    out = capsys.readouterr().out.splitlines()
    sid = out[0].split()[1]
    ended = "09:00:06"  # the prompt (1 s), then the Gather's 5 s timeout
    assert out[-3:] == [
        "",
        "Input a <Gather> ignored, as Twilio does (the Gather timed out instead):",
        f"  call {sid} at {ended}: {said}",
    ]
    assert main([*command(path, *given), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ignored_input"] == [f"call {sid} at {ended}: {said}"]
    assert report["failures"] == report["unused_steps"] == []


def test_input_the_gather_takes_is_not_mentioned(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(command("/keys", "--press", "1")) == 0
    assert "ignored" not in capsys.readouterr().out


def test_input_never_reached_is_named_as_the_option_that_gave_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    given = ("--press", "1", "--say", "talk to sales", "--press", "#")
    assert main(command("/keys", *given)) == 1
    assert capsys.readouterr().out.splitlines()[-2:] == [
        "",
        "input given was never reached: --say 'talk to sales'; --press '#'; the call did not "
        "wait for them (check the --press, --say and --phone input against the app's menus)",
    ]

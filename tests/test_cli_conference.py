"""``twimlsim call`` shows a conference room's status callbacks, which are about the room
and so appear in no call's webhooks."""

from __future__ import annotations

import json
from typing import Any

import pytest

from twimlsim.cli import main

ROOM = (
    b'<Response><Dial><Conference statusCallback="/room" statusCallbackEvent="join leave end"'
    b">Support</Conference></Dial></Response>"
)


def room_app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    """Puts the call in the room ``Support``; the room's callbacks get an empty 204."""
    if environ["PATH_INFO"] == "/room":
        start_response("204 No Content", [])
        return [b""]
    start_response("200 OK", [("Content-Type", "text/xml")])
    return [ROOM]


ARGS = [
    "call",
    "https://app.test/voice",
    "--app",
    f"{__name__}:room_app",
    "--phone",
    "sim.phone('+15558675310').hangs_up(after=30)",
]


def test_the_rooms_status_callbacks_follow_the_calls(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(ARGS) == 0
    out = capsys.readouterr().out
    room = out[out.index("\n\nConference 'Support'") + 2 :]
    assert room.splitlines()[:4] == [
        "Conference 'Support' CFe263cff7ca40be8c167c001d20b0d9cb: completed",
        "",
        "Webhooks (3):",
        "  09:00:00  conference POST https://app.test/room -> 204",
    ]
    assert [
        line.split("StatusCallbackEvent=")[1].split(",")[0]
        for line in room.splitlines()
        if "StatusCallbackEvent=" in line
    ] == [
        "participant-join",
        "participant-leave",
        "conference-end",
    ]


def test_json_lists_each_room_with_its_status_callbacks(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main([*ARGS, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    (room,) = report["conferences"]
    assert (room["friendly_name"], room["status"], len(room["requests"])) == (
        "Support",
        "completed",
        3,
    )
    assert [request["params"]["StatusCallbackEvent"] for request in room["requests"]] == [
        "participant-join",
        "participant-leave",
        "conference-end",
    ]
    assert room["requests"][2]["params"]["ReasonConferenceEnded"] == "last-participant-left"
    # alone in the room for 30 s: Twilio's hold music (its seven 5 s tracks outlast that)
    assert [request["kind"] for request in report["calls"][0]["requests"]] == [
        "voice",
        "wait",
    ]


def test_a_call_without_a_room_prints_no_conference(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["call", "https://app.test/voice", "--app", "tests.test_cli_incoming:caller_app"]
    assert main([*args, "--press", "1", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["conferences"] == []

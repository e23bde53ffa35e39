"""``twimlsim call --interactive`` on a pseudo-terminal, and ``--json``."""

from __future__ import annotations

import json
import os
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fastapi import FastAPI, WebSocket, WebSocketDisconnect
from fastapi.responses import Response

from twimlsim.cli import main

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 10
CALL = ["call", "https://app.test/voice", "--app", "fixtures.menu_app:app"]
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def twimlsim(*argv: str) -> list[str]:
    return [sys.executable, "-m", "twimlsim", *argv]


def screen(raw: str) -> list[str]:
    """The lines a terminal shows: colours dropped, each line as its last redraw left it."""
    text = _ANSI.sub("", raw).replace("\r\n", "\n")
    return [line.rsplit("\r", 1)[-1] for line in text.split("\n")]


def on_a_terminal(argv: list[str], keys: bytes) -> str:
    """Run ``argv`` on a pseudo-terminal; type ``keys`` once it asks; what it printed."""
    leader, follower = os.openpty()
    env = {name: value for name, value in os.environ.items() if name != "NO_COLOR"}
    process = subprocess.Popen(
        argv, stdin=follower, stdout=follower, stderr=follower, cwd=ROOT, env=env
    )
    os.close(follower)
    output = b""
    typed = False
    deadline = time.monotonic() + TIMEOUT
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(leader, 4096)
                except OSError:  # the terminal closed: the program has exited
                    break
                if not chunk:
                    break
                output += chunk
            if not typed and b"gather: type keys" in output:
                os.write(leader, keys)
                typed = True
        process.wait(timeout=TIMEOUT)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=TIMEOUT)
        os.close(leader)
    assert typed, f"no Gather prompt appeared: {output!r}"
    return output.decode()


def run_in_process(
    capsys: pytest.CaptureFixture[str], *argv: str, stdin: bytes | None = None
) -> str:
    """``twimlsim call`` in this process (standard input from a pipe holding ``stdin``)."""
    if stdin is None:
        assert main([*CALL, *argv]) == 0
        return capsys.readouterr().out
    read, write = os.pipe()
    os.write(write, stdin)
    os.close(write)
    with os.fdopen(read) as piped, pytest.MonkeyPatch.context() as patch:
        patch.setattr(sys, "stdin", piped)
        assert main([*CALL, *argv]) == 0
    return capsys.readouterr().out


def test_a_key_typed_at_the_prompt_reaches_the_app_and_the_transcript_matches(
    capsys: pytest.CaptureFixture[str],
) -> None:
    raw = on_a_terminal(twimlsim(*CALL), b"1")  # no --interactive: a terminal is enough
    assert "\x1b[32m" in raw  # coloured on a terminal
    assert "\r\x1b[K\x1b[33m  [gather: type keys, Enter sends; 5s] \x1b[0m" in raw  # countdown
    lines = screen(raw)
    scripted = run_in_process(capsys, "--press", "1")
    assert "\x1b[" not in scripted  # plain when not on a terminal
    report = scripted.splitlines()
    # The report after the call is the scripted run's, line for line.
    start = lines.index(report[0])
    assert lines[start : start + len(report)] == report
    # What was shown live: the same transcript, with what the person did.
    begins = report.index("Transcript:") + 1
    transcript = report[begins : report.index("", begins)]
    assert len(transcript) == 5
    assert lines[:start] == [
        lines[0],
        *transcript[:2],
        "  > you press 1",
        *transcript[2:],
        "",
    ]
    assert lines[0] == (
        "Calling +15558675310 from +15005550006 (you are +15558675310; "
        "Enter sends, an empty Enter stays silent, Ctrl-D hangs up)"
    )
    assert transcript[3] == "  09:00:03  said 'Connecting you to sales.'"  # the app got 1
    assert "      msg=Gather End, Digits=1, FinishedOnKey=, CallStatus=in-progress" in report


def test_an_empty_answer_is_silence_and_end_of_input_hangs_up(
    capsys: pytest.CaptureFixture[str],
) -> None:
    silent = run_in_process(capsys, "--interactive", stdin=b"\n").splitlines()
    assert silent[1:7] == [
        "  09:00:00  answered",
        "  09:00:00  said 'Press 1 for sales, 2 for support.'",
        "  [gather: type keys, Enter sends (empty: silence; 5s)]",
        "  > you stay silent",
        "  09:00:08  gathered digits='', speech=None, confidence=None, finished_on_key='', "
        "timed_out=True",
        "  09:00:08  said 'We did not get that.'",
    ]
    hung_up = run_in_process(capsys, "--interactive", stdin=b"").splitlines()
    assert hung_up[4:6] == ["  > you hung up", "  09:00:03  hung up by caller: completed"]
    words = run_in_process(capsys, "--interactive", stdin=b"sales\n").splitlines()
    assert words[3:6] == [  # a keypad-only Gather takes no words, and says so once
        "  [gather: type keys, Enter sends (empty: silence; 5s)]",
        "  ['s' is no key: this Gather takes keys only (0-9, * and #)]",
        "  > you stay silent",
    ]


def test_json_gives_every_leg_and_the_failures(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*CALL, "--press", "2", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    [call] = report["calls"]
    assert report["failures"] == []
    assert call["said"] == ["Press 1 for sales, 2 for support.", "Connecting you to support."]
    assert [(sent["kind"], sent["params"].get("Digits")) for sent in call["requests"]] == [
        ("voice", None),
        ("gather", "2"),
    ]
    assert call["transcript"][-1] == {
        "type": "HungUp",
        "at": "2026-01-01T09:00:05+00:00",
        "by": "twiml",
        "status": "completed",
    }


SPEECH_AND_RECORD = """
from urllib.parse import parse_qsl

PAGES = {
    "/voice": '<Gather input="speech" action="/heard" timeout="3"><Say>Say a team.</Say></Gather>',
    "/heard": '<Say>You said {SpeechResult}.</Say><Record action="/recorded" timeout="5"/>',
    "/recorded": "<Say>Got {RecordingDuration} seconds after {Digits}.</Say>",
}


def app(environ, start_response):
    length = int(environ.get("CONTENT_LENGTH") or 0)
    form = dict(parse_qsl(environ["wsgi.input"].read(length).decode()))
    body = PAGES.get(environ["PATH_INFO"], "").format(**form)
    start_response("200 OK", [("Content-Type", "text/xml")])
    return [f"<Response>{body}</Response>".encode()]
"""


def test_words_at_a_speech_gather_and_a_record_ended_by_a_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "speech_app.py").write_text(SPEECH_AND_RECORD)
    monkeypatch.chdir(tmp_path)
    read, write = os.pipe()
    os.write(write, b"sales team\nhello there#\n")
    os.close(write)
    with os.fdopen(read) as piped:
        monkeypatch.setattr(sys, "stdin", piped)
        argv = ["call", "https://app.test/voice", "--app", "speech_app:app", "--interactive"]
        assert main(argv) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1:12] == [
        "  09:00:00  answered",
        "  09:00:00  said 'Say a team.'",
        "  [gather: type words, Enter sends (empty: silence; 3s)]",
        "  > you say 'sales team'",
        "  09:00:05  gathered digits='', speech='sales team', confidence=0.9, "
        "finished_on_key='', timed_out=False",
        "  09:00:05  said 'You said sales team.'",
        "  [recording: type what you say, a key or Enter stops (empty: silence; 5s)]",
        "  > you talk 1s, then press #",
        f"  09:00:08  recorded recording_sid='{recorded_sid(lines)}', seconds=1, ended_by='#'",
        "  09:00:08  said 'Got 1 seconds after #.'",
        "  09:00:10  hung up by twiml: completed",
    ]


def recorded_sid(lines: list[str]) -> str:
    found = re.search(r"recording_sid='(RE[0-9a-f]{32})'", "\n".join(lines))
    assert found is not None
    return found.group(1)


def test_when_the_countdown_runs_out_the_caller_stays_silent(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from twimlsim import interactive

    ticks = iter(range(0, 1000, 2))  # every look at the clock: two more seconds
    monkeypatch.setattr(interactive, "_wall_clock", lambda: float(next(ticks)))
    read, write = os.pipe()  # kept open: nothing is typed, and input does not end
    try:
        with os.fdopen(read) as piped:
            monkeypatch.setattr(sys, "stdin", piped)
            assert main([*CALL, "--interactive"]) == 0
    finally:
        os.close(write)
    lines = capsys.readouterr().out.splitlines()
    assert lines[3:6] == [
        "  [gather: type keys, Enter sends (empty: silence; 5s)]",
        "  > you stay silent",
        "  09:00:08  gathered digits='', speech=None, confidence=None, finished_on_key='', "
        "timed_out=True",
    ]


def test_json_with_a_timeline_page_keeps_standard_output_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "call.html"
    assert main([*CALL, "--press", "1", "--json", "--html", str(page)]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["calls"][0]["said"][-1] == "Connecting you to sales."
    assert err == f"\nTimeline: {page}\n"
    assert page.read_text(encoding="utf-8").startswith("<!")


@pytest.mark.parametrize(
    ("stdin", "then"),
    [
        (
            b"\n",
            [
                "  > the app's server closes the stream",
                "  09:00:00  stream closed by the app's server after 0s",
                "  09:00:00  said 'Connecting you to the operator.'",
            ],
        ),
        (b"", ["  > you hung up", "  09:00:00  hung up by caller: completed"]),
    ],
)
def test_in_a_stream_enter_closes_it_and_end_of_input_hangs_up(
    capsys: pytest.CaptureFixture[str], stdin: bytes, then: list[str]
) -> None:
    read, write = os.pipe()
    os.write(write, stdin)
    os.close(write)
    agent = ["call", "https://app.test/agent", "--app", "fixtures.menu_app:app", "--interactive"]
    with os.fdopen(read) as piped, pytest.MonkeyPatch.context() as patch:
        patch.setattr(sys, "stdin", piped)
        assert main(agent) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[2 : 4 + len(then)] == [
        "  09:00:00  connected to the stream wss://agent.test/media",
        "  [stream wss://agent.test/media: the app's server has the call; Enter closes the "
        "stream, Ctrl-D hangs up]",
        *then,
    ]


def queue_app(environ: dict[str, object], start_response: object) -> list[bytes]:
    """A voice app that puts every caller in a queue no one serves."""
    start_response("200 OK", [("Content-Type", "text/xml")])  # type: ignore[operator]
    return [b'<Response><Enqueue waitUrl="">support</Enqueue></Response>']


def test_held_in_a_queue_enter_waits_a_minute_and_end_of_input_hangs_up(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Nothing in the command takes a queued caller: it stops there instead of letting the
    call run to its 4-hour limit."""
    read, write = os.pipe()
    os.write(write, b"\n")
    os.close(write)
    queued = ["call", "https://app.test/voice", "--app", "tests.test_interactive:queue_app"]
    with os.fdopen(read) as piped, pytest.MonkeyPatch.context() as patch:
        patch.setattr(sys, "stdin", piped)
        assert main([*queued, "--interactive"]) == 0
    lines = capsys.readouterr().out.splitlines()
    hint = "  [held in a queue: no one here takes the call; Enter waits a minute, Ctrl-D hangs up]"
    assert lines[2:8] == [
        "  09:00:00  enqueued queue='support', queue_sid='QU98b35bb0dbf6fae319f8f09c8a568787', "
        "position=1",
        hint,
        "  > you hold on a minute",
        hint,
        "  > you hung up",
        "  09:01:00  hung up by caller: completed",
    ]


def test_a_call_coming_in_is_taken_as_its_caller(capsys: pytest.CaptureFixture[str]) -> None:
    lines = run_in_process(capsys, "--incoming", "--interactive", stdin=b"1\n").splitlines()
    assert lines[:5] == [
        "Calling +15005550006 from +15558675310 (you are +15558675310; "
        "Enter sends, an empty Enter stays silent, Ctrl-D hangs up)",
        "  09:00:00  answered",
        "  09:00:00  said 'Press 1 for sales, 2 for support.'",
        "  [gather: type keys, Enter sends (empty: silence; 5s)]",
        "  > you press 1",
    ]
    (summary,) = [line for line in lines if line.startswith("Call CA")]
    assert summary.endswith(" inbound +15558675310 -> +15005550006: completed, 5s")


def test_json_taken_interactively_is_heard_on_standard_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    read, write = os.pipe()
    os.write(write, b"1\n")
    os.close(write)
    with os.fdopen(read) as piped:
        monkeypatch.setattr(sys, "stdin", piped)
        assert main([*CALL, "--interactive", "--json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["calls"][0]["said"][-1] == "Connecting you to sales."
    assert screen(err)[3:5] == [
        "  [gather: type keys, Enter sends (empty: silence; 5s)]",
        "  > you press 1",
    ]


def whisper_app(environ: dict[str, object], start_response: object) -> list[bytes]:
    """Dials an agent whose whisper asks for a key: pressed, the agent is bridged; not, the
    agent's leg ends."""
    start_response("200 OK", [("Content-Type", "text/xml")])  # type: ignore[operator]
    if environ["PATH_INFO"] == "/accept":
        return [b"<Response/>"]  # the whisper ends: the agent is bridged
    if environ["PATH_INFO"] == "/whisper":
        return [
            b'<Response><Gather numDigits="1" action="/accept"><Say>Press 1.</Say></Gather>'
            b"<Hangup/></Response>"
        ]
    return [
        b'<Response><Dial><Number url="/whisper">+15551230000</Number></Dial>'
        b"<Say>Nobody took it.</Say></Response>"
    ]


def test_the_legs_the_call_dials_are_shown_as_they_run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    read, write = os.pipe()
    os.close(write)
    with os.fdopen(read) as piped:
        monkeypatch.setattr(sys, "stdin", piped)
        argv = ["call", "https://app.test/voice", "--app", f"{__name__}:whisper_app"]
        assert main([*argv, "--interactive"]) == 0
    lines = screen(capsys.readouterr().out)
    assert lines[1:9] == [
        "  09:00:00  answered",
        "  09:00:00  [+15551230000] invited to='+15551230000', from_='+15005550006', "
        "parameters=(), sip_headers=(), sip_username=None",
        "  09:00:00  [+15551230000] answered",
        "  09:00:00  [+15551230000] said 'Press 1.'",
        "  09:00:06  [+15551230000] gathered digits='', speech=None, confidence=None, "
        "finished_on_key='', timed_out=True",
        "  09:00:06  [+15551230000] hung up by twiml: completed",
        "  09:00:06  dialed targets=('+15551230000',), status='completed', "
        "child_sid='CA7ca180936c10258691457cced5593f3e', bridged=False, seconds=6",
        "  09:00:06  said 'Nobody took it.'",
    ]


def test_bridged_enter_talks_a_minute_and_end_of_input_hangs_up(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    read, write = os.pipe()
    os.write(write, b"\n")
    os.close(write)
    with os.fdopen(read) as piped:
        monkeypatch.setattr(sys, "stdin", piped)
        argv = ["call", "https://app.test/voice", "--app", f"{__name__}:whisper_app"]
        # the agent presses 1 at the whisper's Gather: the Dial bridges, and lasts
        assert (
            main([*argv, "--interactive", "--phone", "sim.phone('+15551230000').presses('1')"]) == 0
        )
    lines = screen(capsys.readouterr().out)
    hint = "  [bridged to the party dialed; Enter talks a minute, Ctrl-D hangs up]"
    start = lines.index(hint)
    assert lines[start - 1 : start + 6] == [
        "  09:00:01  [+15551230000] gathered digits='1', speech=None, confidence=None, "
        "finished_on_key='', timed_out=False",
        hint,
        "  > you talk a minute",
        hint,
        "  > you hung up",
        "  09:01:01  hung up by caller: completed",
        "  09:01:01  dialed targets=('+15551230000',), status='completed', "
        "child_sid='CA7ca180936c10258691457cced5593f3e', bridged=True, seconds=61",
    ]


def test_the_countdowns_read_the_wall_clock_while_the_apps_time_is_frozen() -> None:
    """With --app the app's clock (time.monotonic too) is the call's, which stands still
    while a person types: a countdown read from it would never run out."""
    from twimlsim import Simulator, interactive

    with Simulator(freeze_time=True) as sim:
        sim.run()  # calls run: the app's clock is frozen to the call's from here
        frozen, wall = time.monotonic(), interactive._wall_clock()
        # real time moves within microseconds; a frozen clock would never
        moved = any(interactive._wall_clock() != wall for _ in range(100_000))
        assert (moved, time.monotonic()) == (True, frozen)


def test_an_enter_typed_after_a_key_that_completed_the_answer_belongs_to_it() -> None:
    """On a terminal "2" completes a one-digit Gather; the Enter typed after it out of
    habit must not answer the next prompt (a Record) with silence."""
    from twimlsim.interactive import Keyboard

    leader, follower = os.openpty()
    with os.fdopen(follower) as terminal, Keyboard(terminal) as keyboard:
        os.write(leader, b"2")
        assert keyboard.key(1) == "2"
        keyboard.drop_line()  # "2" completed the answer
        os.write(leader, b"\n")
        assert keyboard.key(1) is None  # the habit Enter, dropped
        os.write(leader, b"\n")
        assert keyboard.key(1) == "\n"  # the next one answers the next prompt
    os.close(leader)


def _relay_agent() -> FastAPI:
    """An ASGI voice agent whose ConversationRelay handler repeats what it hears."""
    agent = FastAPI()

    @agent.post("/voice")
    async def voice() -> Response:
        twiml = (
            '<Response><Connect><ConversationRelay url="wss://app.test/relay"/></Connect>'
            "</Response>"
        )
        return Response(twiml, media_type="text/xml")

    @agent.websocket("/relay")
    async def relay(websocket: WebSocket) -> None:
        await websocket.accept()
        try:
            while True:
                message = json.loads(await websocket.receive_text())
                if message["type"] == "prompt":
                    token = f"You said {message['voicePrompt']}."
                    await websocket.send_json({"type": "text", "token": token, "last": True})
        except WebSocketDisconnect:
            pass

    return agent


relay_agent = _relay_agent()


def test_in_an_open_relay_a_line_is_said_to_the_app_and_enter_closes_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    read, write = os.pipe()
    os.write(write, b"hello there\n\n")
    os.close(write)
    argv = ["call", "https://app.test/voice", "--app", "tests.test_interactive:relay_agent"]
    with os.fdopen(read) as piped, pytest.MonkeyPatch.context() as patch:
        patch.setattr(sys, "stdin", piped)
        assert main([*argv, "--interactive"]) == 0
    lines = capsys.readouterr().out.splitlines()
    hint = (
        "  [conversationrelay wss://app.test/relay: the app's handler has the call; type "
        "words or keys, Enter sends; Enter alone closes it, Ctrl-D hangs up]"
    )
    assert lines[2:8] == [
        "  09:00:00  connected to the stream wss://app.test/relay",
        hint,
        "  > you say 'hello there'",
        "  09:00:00  said 'You said hello there.'",
        hint,
        "  > the app's server closes the stream",
    ]

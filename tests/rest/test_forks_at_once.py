"""A status callback that starts another fork of the call (a SIPREC session, a real-time
transcription, a media stream) as each one starts: they came one after another at one
instant, without end. Past the bound (1,000, lowered here) the app is told of no more."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

import pytest

from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim import Simulator
from twimlsim.engine import started_at_once

CALLBACK = f"{APP_URL}/status"


def start_siprec(client: Any, call_sid: str) -> None:
    client.calls(call_sid).siprec.create(connector_name="recorder", status_callback=CALLBACK)


def start_transcription(client: Any, call_sid: str) -> None:
    client.calls(call_sid).transcriptions.create(status_callback_url=CALLBACK)


def start_stream(client: Any, call_sid: str) -> None:
    client.calls(call_sid).streams.create(url="wss://media.test/s", status_callback=CALLBACK)


@pytest.mark.parametrize(
    ("start", "event", "forks", "what", "untold"),
    [
        (start_siprec, "SiprecEvent", "siprecs", "SIPREC sessions", "no siprec-started callback"),
        (
            start_transcription,
            "TranscriptionEvent",
            "realtime_transcriptions",
            "real-time transcriptions",
            "no transcription-started callback, nor any event after it",
        ),
        (
            start_stream,
            "StreamEvent",
            "streams",
            "streams",
            "no stream-started callback, no socket opened",
        ),
    ],
)
def test_a_callback_starting_a_fork_as_each_starts_is_told_of_no_more_past_the_bound(
    start: Any, event: str, forks: str, what: str, untold: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert started_at_once.MOST_STARTED_AT_ONCE == 1000
    monkeypatch.setattr(started_at_once, "MOST_STARTED_AT_ONCE", 3)
    events: list[str] = []

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        form = parse_qs(environ["wsgi.input"].read().decode())
        events.append(form[event][0])
        if form[event][0].endswith("-started"):
            start(client, form["CallSid"][0])
        start_response("204 No Content", [])
        return []

    with Simulator(strict=False) as sim:
        sim.route(APP_URL, app)
        sim.number(CALLER_ID)
        client = sim.client()
        twiml = '<Response><Pause length="60"/></Response>'
        call_sid = str(client.calls.create(to=CALLEE, from_=CALLER_ID, twiml=twiml).sid)
        sim.advance(0)
        start(client, call_sid)
        sim.run()
        started = getattr(sim.calls[call_sid], forks) or []
        kind = event.removesuffix("Event").lower()
        assert events == [f"{kind}-started"] * 3 + [f"{kind}-stopped"] * 3
        assert [fork.status for fork in started] == ["stopped"] * 4
        assert [(failure.code, failure.message) for failure in sim.failures] == [
            (
                None,
                f"3 {what} started on one call at one instant (a status callback or "
                "WebSocket handler starting one as each one starts?); twimlsim told the app "
                f"of none after them, {started[3].sid} first ({untold}), which stay in "
                "progress: start each once",
            )
        ]

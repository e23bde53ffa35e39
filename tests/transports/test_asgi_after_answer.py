"""The ASGI app's work after its answer: named when it outlasts the read timeout, not when
the reader stopped taking an answer past what Twilio reads."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.support import CALLEE, CALLER_ID
from twimlsim import Simulator

URL = "https://myapp.test/voice"


def answering(body: bytes, then_seconds: float) -> Any:
    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        await receive()
        headers = [(b"content-type", b"text/xml"), (b"content-length", b"%d" % len(body))]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})
        await asyncio.sleep(then_seconds)

    return app


def run(app: Any, caplog: pytest.LogCaptureFixture) -> tuple[list[int | None], list[str]]:
    with (
        caplog.at_level("WARNING", logger="twimlsim.asgi"),
        Simulator(strict=False, webhook_timeout=0.3) as sim,
    ):
        sim.route("https://myapp.test", app)
        sim.number(CALLER_ID)
        sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=URL)
        sim.run()
    codes = [f.code for f in sim.failures]
    return codes, [r.getMessage() for r in caplog.records if r.name == "twimlsim.asgi"]


def test_an_answer_past_what_twilio_reads_is_11750_without_a_background_work_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # it was also "the ASGI app was still working after its answer ... when Twilio's read
    # timeout ran out": its last message was left untaken, the reader having stopped
    body = b"<Response><Say>" + b"a" * 300_000 + b"</Say></Response>"
    assert run(answering(body, 0), caplog) == ([11750], [])


def test_work_after_a_whole_answer_past_the_read_timeout_is_still_named(
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert run(answering(b"<Response><Say>hi</Say></Response>", 5), caplog) == (
        [],
        [
            "the ASGI app was still working after its answer to POST /voice (a background "
            "task?) when Twilio's read timeout ran out; twimlsim cancelled that work (Twilio "
            "had the answer at once and does not wait for it)"
        ],
    )

"""``twimlsim serve``: a webhook handler that calls the control API of the server that sent
it (``/twimlsim/run``) is refused at once (409) instead of waiting for its own webhook."""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Iterable
from typing import Any

import requests

from tests.support import CALLER_ID, served_locally
from twimlsim import serve

TIMEOUT = 5


def test_a_webhook_calling_run_is_refused_at_once() -> None:
    control: list[str] = []
    answers: list[tuple[int, object]] = []

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        answer = requests.post(f"{control[0]}/run", timeout=TIMEOUT)
        answers.append((answer.status_code, answer.json()))
        start_response("200 OK", [("Content-Type", "text/xml")])
        return [b"<Response><Say>hi</Say></Response>"]

    with served_locally(app, threaded=True) as base:
        parser = argparse.ArgumentParser()
        serve.add_arguments(parser)
        served = serve.start(parser.parse_args(["--clock", "manual"]))
        try:
            control.append(f"{served.url}/twimlsim")
            number = {"number": CALLER_ID, "voice_url": f"{base}/voice"}
            assert requests.post(f"{control[0]}/numbers", json=number, timeout=TIMEOUT).ok
            ringing = {"from": "+15555550001", "to": CALLER_ID}
            sid = requests.post(f"{control[0]}/calls", json=ringing, timeout=TIMEOUT).json()["sid"]
            started = time.monotonic()
            ran = requests.post(f"{control[0]}/run", timeout=TIMEOUT)
            assert time.monotonic() - started < 2
            assert ran.status_code == 200
            assert served.sim.calls[sid].said == ["hi"]
        finally:
            served.stop()
    out = f"09:00:00 voice POST {base}/voice (call {sid})"
    assert answers == [
        (
            409,
            {
                "code": 20409,
                "message": "the simulation cannot run while a webhook waits for the app's "
                f"answer (out now: {out}); a webhook handler cannot drive the simulator that "
                "sent it: call /twimlsim/run, /advance or /reset after answering the webhook, "
                "or retry once the app has answered",
                "more_info": "https://www.twilio.com/docs/errors/20409",
                "status": 409,
            },
        )
    ]

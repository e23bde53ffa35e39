"""``twimlsim serve``'s exit summary says how many calls were still live when it stopped."""

from __future__ import annotations

import argparse

import requests

from tests.serve.client import WebhookApp
from tests.support import CALLER_ID
from twimlsim import serve
from twimlsim.serve_summary import summary


def started() -> serve.Served:
    parser = argparse.ArgumentParser()
    serve.add_arguments(parser)
    return serve.start(parser.parse_args(["--clock", "manual", "--number", CALLER_ID]))


def test_calls_still_live_are_counted() -> None:
    served = started()
    try:
        served.sim.number(CALLER_ID, voice_url="http://127.0.0.1:9/voice")
        for caller in ("+15555550001", "+15555550002"):
            served.sim.incoming_call(from_=caller, to=CALLER_ID)
    finally:
        served.stop()
    assert summary(served) == [
        "twimlsim serve: stopped after 2 calls (2 still live: the stop cut them short); no problems"
    ]


def test_one_live_call_of_three() -> None:
    app = WebhookApp({"/voice": "<Response><Say>Hi</Say></Response>"})
    served = started()
    try:
        served.sim.number(CALLER_ID, voice_url=f"{app.url}/voice")
        for caller in ("+15555550001", "+15555550002"):
            served.sim.incoming_call(from_=caller, to=CALLER_ID)
        requests.post(f"{served.url}/twimlsim/run", timeout=5).raise_for_status()
        served.sim.incoming_call(from_="+15555550003", to=CALLER_ID)
    finally:
        served.stop()
        app.stop()
    assert summary(served) == [
        "twimlsim serve: stopped after 3 calls (1 still live: the stop cut it short); no problems"
    ]

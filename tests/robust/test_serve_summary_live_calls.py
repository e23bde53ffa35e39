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


def test_a_problem_met_on_each_document_of_a_loop_is_one_line_with_its_count() -> None:
    """A call that looped through its document printed the document's warning once per
    document in the exit summary, burying the other lines."""
    app = WebhookApp(
        {"/voice": '<Response><Say voise="man">Hi.</Say><Pause length="2"/><Redirect/></Response>'}
    )
    served = started()
    try:
        served.sim.number(CALLER_ID, voice_url=f"{app.url}/voice")
        served.sim.phone("+15555550001").hangs_up(after=8)
        sid = served.sim.incoming_call(from_="+15555550001", to=CALLER_ID).sid
        requests.post(f"{served.url}/twimlsim/run", timeout=5).raise_for_status()
    finally:
        served.stop()
        app.stop()
    assert summary(served)[:2] == [
        "twimlsim serve: stopped after 1 call; 3 problems Twilio would log:",
        f"  call {sid} (3 times): Twilio warning 12200 (Schema validation warning) at "
        f"{app.url}/voice in <Say> (line 1): <Say> has no attribute 'voise' (did you mean "
        "'voice'? names are case-sensitive); Twilio ignores it "
        "[https://www.twilio.com/docs/errors/12200]",
    ]

"""``twimlsim serve``: a control request that drives one call while another's webhook is
out (a press whose Gather action the app is slow to answer) does not wait for it, and
neither waits for ever."""

from __future__ import annotations

import argparse
import threading
from collections.abc import Callable, Iterable
from typing import Any

import requests

from tests.support import CALLER_ID, served_locally
from twimlsim import serve

TIMEOUT = 5


def test_two_calls_pressed_at_once_both_go_on() -> None:
    arrived, release = threading.Event(), threading.Event()

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ["PATH_INFO"]
        if path == "/slow":
            arrived.set()
            release.wait(TIMEOUT)
        start_response("200 OK", [("Content-Type", "text/xml")])
        if path == "/voice":
            form = environ["wsgi.input"].read(int(environ["CONTENT_LENGTH"])).decode()
            caller = "slow" if "5550001" in form else "fast"
            return [f"<Response><Gather numDigits='1' action='/{caller}'/></Response>".encode()]
        return [f"<Response><Say>{path[1:]}</Say></Response>".encode()]

    with served_locally(app, threaded=True) as base:
        parser = argparse.ArgumentParser()
        serve.add_arguments(parser)
        served = serve.start(parser.parse_args(["--clock", "manual"]))
        try:
            control = f"{served.url}/twimlsim"
            number = {"number": CALLER_ID, "voice_url": f"{base}/voice"}
            assert requests.post(f"{control}/numbers", json=number, timeout=TIMEOUT).ok
            sids = []
            for caller in ("+15555550001", "+15555550002"):
                ringing = {"from": caller, "to": CALLER_ID}
                sid = requests.post(f"{control}/calls", json=ringing, timeout=TIMEOUT).json()["sid"]
                assert requests.post(f"{control}/calls/{sid}/run", timeout=TIMEOUT).ok
                sids.append(sid)
            slow, fast = (served.sim.calls[sid] for sid in sids)
            assert slow.waiting_for is not None and fast.waiting_for is not None
            answers: dict[str, int] = {}

            def drive(sid: str, *steps: str) -> None:
                for step in steps:  # press gives the digit; run fetches the action
                    body = {"digits": "1"} if step == "press" else None
                    url = f"{control}/calls/{sid}/{step}"
                    answer = requests.post(url, json=body, timeout=TIMEOUT)
                    answers[f"{sid} {step}"] = answer.status_code

            first = threading.Thread(target=drive, args=(slow.sid, "press", "run"))
            first.start()
            assert arrived.wait(TIMEOUT)  # the slow call's action is out, the engine open
            second = threading.Thread(target=drive, args=(fast.sid, "press"))
            second.start()
            second.join(TIMEOUT)
            assert answers == {f"{slow.sid} press": 200, f"{fast.sid} press": 200}
            release.set()
            first.join(TIMEOUT)
            drive(fast.sid, "run")
            assert set(answers.values()) == {200} and len(answers) == 4
            assert (slow.said, fast.said) == (["slow"], ["fast"])
        finally:
            release.set()
            served.stop()

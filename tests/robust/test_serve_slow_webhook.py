"""``serve --clock realtime`` while one webhook is slow: virtual time waits for it (the
engine runs one event at a time), the API keeps answering, and the clock catches up."""

from __future__ import annotations

import argparse
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

import requests
from werkzeug.serving import make_server

from tests.support import CALLEE, CALLER_ID
from twimlsim import serve

TIMEOUT = 10


def test_a_slow_webhook_holds_virtual_time_and_the_api_keeps_answering() -> None:
    arrived, release = threading.Event(), threading.Event()

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ["PATH_INFO"] == "/slow":
            arrived.set()
            release.wait(TIMEOUT)
        start_response("200 OK", [("Content-Type", "text/xml")])
        return [b"<Response><Say>Hi</Say></Response>"]

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    parser = argparse.ArgumentParser()
    serve.add_arguments(parser)
    served = serve.start(
        parser.parse_args(["--number", CALLER_ID, "--clock", "realtime", "--speed", "100"])
    )
    try:
        sim = served.sim
        created = requests.post(
            f"{served.url}/2010-04-01/Accounts/{sim.account_sid}/Calls.json",
            data={"To": CALLEE, "From": CALLER_ID, "Url": f"http://127.0.0.1:{server.port}/slow"},
            auth=(sim.account_sid, sim.auth_token),
            timeout=TIMEOUT,
        )
        assert created.status_code == 201
        assert arrived.wait(TIMEOUT)

        def status() -> dict[str, Any]:
            answer: dict[str, Any] = requests.get(
                f"{served.url}/twimlsim/status", timeout=TIMEOUT
            ).json()
            return answer

        held = status()["seconds"]
        time.sleep(0.1)  # 10 virtual seconds at --speed 100, had the clock been free
        during = status()
        assert during["seconds"] == held
        assert during["calls"] == {created.json()["sid"]: "in-progress"}
        release.set()
        deadline = time.monotonic() + TIMEOUT
        while status()["calls"][created.json()["sid"]] != "completed":
            assert time.monotonic() < deadline
            time.sleep(0.02)
        while status()["seconds"] <= held + 10:  # the clock catches up with wall time
            assert time.monotonic() < deadline
            time.sleep(0.02)
    finally:
        release.set()
        served.stop()
        server.shutdown()
        server.server_close()
        thread.join(timeout=TIMEOUT)


def test_a_failing_event_does_not_stop_the_realtime_clock() -> None:
    parser = argparse.ArgumentParser()
    serve.add_arguments(parser)
    served = serve.start(parser.parse_args(["--clock", "realtime", "--speed", "100"]))
    ran = threading.Event()

    def broken() -> None:
        raise RuntimeError("broken event")

    try:
        with served.guard.held():
            served.sim.scheduler.call_later(0.5, broken)
            served.sim.scheduler.call_later(1.0, ran.set)
        assert ran.wait(TIMEOUT)
        assert [str(error) for error in served.driver_errors] == ["broken event"]
        status = requests.get(f"{served.url}/twimlsim/status", timeout=TIMEOUT)
        assert status.status_code == 200
    finally:
        served.stop()

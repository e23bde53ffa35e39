"""``twimlsim serve`` in a subprocess: a call placed and fetched over real HTTP with plain
``requests``, its webhooks delivered to a real local server."""

from __future__ import annotations

import json
import selectors
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from twilio.request_validator import RequestValidator

from fixtures import flask_app
from fixtures.twiml_app import TwimlApp
from tests.rest import schema
from tests.support import CALLEE, CALLER_ID, served_locally

TIMEOUT = 10


#: The ``X-Twilio-Signature`` of each request the example app got, by path.
SIGNATURES: dict[str, str] = {}


@pytest.fixture
def app_url(example_app: Any) -> Iterator[str]:
    """The example Flask app on a real local port (keeping each request's signature)."""
    SIGNATURES.clear()

    def signed(environ: dict[str, Any], start_response: Any) -> Any:
        SIGNATURES[environ["PATH_INFO"]] = environ.get("HTTP_X_TWILIO_SIGNATURE", "")
        return example_app(environ, start_response)

    with served_locally(signed, threaded=True, timeout=TIMEOUT) as url:
        yield url


def serve(*options: str) -> tuple[subprocess.Popen[str], dict[str, str]]:
    command = [sys.executable, "-m", "twimlsim", "serve", "--number", CALLER_ID, *options]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        if not selector.select(timeout=TIMEOUT):
            stop(process)
            raise AssertionError("twimlsim serve printed nothing within 10 s")
    return process, json.loads(process.stdout.readline())


def stop(process: subprocess.Popen[str]) -> None:
    process.kill()
    process.communicate(timeout=TIMEOUT)  # also closes the pipes


def test_serve_places_and_fetches_a_call_over_real_http(app_url: str) -> None:
    process, info = serve("--clock", "manual", "--port", "0")
    try:
        auth = (info["account_sid"], info["auth_token"])
        calls = f"{info['url']}/2010-04-01/Accounts/{info['account_sid']}/Calls.json"
        created = requests.post(
            calls,
            data={
                "To": CALLEE,
                "From": CALLER_ID,
                "Url": f"{app_url}/voice",
                "StatusCallback": f"{app_url}/status",
            },
            auth=auth,
            timeout=TIMEOUT,
        )
        assert created.status_code == 201, created.text
        sid = created.json()["sid"]
        assert created.json()["status"] == "queued"
        advanced = requests.post(
            f"{info['url']}/twimlsim/advance", data={"seconds": "30"}, timeout=TIMEOUT
        )
        assert advanced.json()["calls"] == {sid: "completed"}
        assert advanced.json()["failures"] == []
        fetched = requests.get(calls.replace(".json", f"/{sid}.json"), auth=auth, timeout=TIMEOUT)
        body = fetched.json()
        assert (body["status"], body["duration"], body["sid"]) == ("completed", "7", sid)
        if schema.SPEC_PATH.exists():
            path = f"/2010-04-01/Accounts/{info['account_sid']}/Calls/{sid}.json"
            assert schema.problems("GET", path, 200, body) == []
        [completed] = flask_app.STATUS_LOG
        assert (completed["CallSid"], completed["CallStatus"]) == (sid, "completed")
        assert (completed["CallDuration"], completed["Timestamp"]) == (
            "7",
            "Thu, 01 Jan 2026 09:00:07 +0000",
        )
    finally:
        stop(process)


def test_serve_signs_webhooks_with_the_printed_token(app_url: str) -> None:
    process, info = serve("--clock", "realtime", "--speed", "100")
    try:
        auth = (info["account_sid"], info["auth_token"])
        calls = f"{info['url']}/2010-04-01/Accounts/{info['account_sid']}/Calls.json"
        data = {"To": CALLEE, "From": CALLER_ID, "Url": f"{app_url}/voice"}
        data["StatusCallback"] = f"{app_url}/status"
        sid = requests.post(calls, data=data, auth=auth, timeout=TIMEOUT).json()["sid"]
        deadline = time.monotonic() + TIMEOUT
        while not flask_app.STATUS_LOG and time.monotonic() < deadline:
            time.sleep(0.05)
        [completed] = flask_app.STATUS_LOG
        assert completed["CallSid"] == sid
        validator = RequestValidator(info["auth_token"])
        assert validator.validate(f"{app_url}/status", completed, SIGNATURES["/status"]) is True
        assert validator.validate(f"{app_url}/status", completed, "forged") is False
        unauthorized = requests.get(calls, auth=(info["account_sid"], "wrong"), timeout=TIMEOUT)
        assert (unauthorized.status_code, unauthorized.json()) == (
            401,
            {
                "code": 20003,
                "message": "Authenticate",
                "more_info": "https://www.twilio.com/docs/errors/20003",
                "status": 401,
            },
        )
    finally:
        stop(process)


@pytest.fixture
def dial_app_url() -> Iterator[tuple[str, TwimlApp]]:
    """A TwiML app that records a 5-second Dial, on a real local port."""
    body = '<Dial timeLimit="5" record="record-from-answer" action="/dialed">+15551230001</Dial>'
    app = TwimlApp({"/voice": f"<Response>{body}</Response>"})
    with served_locally(app, threaded=True, timeout=TIMEOUT) as url:
        yield url, app


def test_served_recording_urls_point_at_the_server(dial_app_url: tuple[str, TwimlApp]) -> None:
    app_url, app = dial_app_url
    process, info = serve("--clock", "manual")
    try:
        auth = (info["account_sid"], info["auth_token"])
        calls = f"{info['url']}/2010-04-01/Accounts/{info['account_sid']}/Calls.json"
        data = {"To": CALLEE, "From": CALLER_ID, "Url": f"{app_url}/voice"}
        sid = requests.post(calls, data=data, auth=auth, timeout=TIMEOUT).json()["sid"]
        requests.post(f"{info['url']}/twimlsim/advance", data={"seconds": "30"}, timeout=TIMEOUT)
        [(_, path, dialed)] = [seen for seen in app.seen if seen[1] == "/dialed"]
        recording_sid = dialed["RecordingSid"]
        url = f"{info['url']}/2010-04-01/Accounts/{info['account_sid']}/Recordings/{recording_sid}"
        assert (dialed["CallSid"], dialed["RecordingDuration"]) == (sid, "5")
        assert dialed["RecordingUrl"] == url
        wav = requests.get(url, timeout=TIMEOUT)
        assert (wav.status_code, wav.headers["Content-Type"]) == (200, "audio/x-wav")
        assert len(wav.content) == 44 + 5 * 8000 * 2  # 5 s of 8 kHz 16-bit mono silence
        fetched = requests.get(f"{url}.json", auth=auth, timeout=TIMEOUT).json()
        assert fetched["media_url"] == url
    finally:
        stop(process)

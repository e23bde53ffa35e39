"""Per test: what a pytest test that uses twimlsim costs next to a hand-written mock.

Three generated suites of the same number of tests, each run by ``pytest`` in a fresh
subprocess, in interleaved rounds:

- ``twimlsim``: the ``twimlsim`` fixture, one call with two webhooks (voice, completed
  status callback) to a Flask app, ``run()`` and an assertion (time freezing on, the
  default; also run with ``-o twimlsim_freeze_time=false``);
- ``stub``: the same work by hand: ``calls.create`` answered by a bare ``responses`` stub,
  then the same two requests sent to the app with werkzeug's test client;
- ``empty``: the same number of empty tests, so that pytest's own start-up and per-test
  cost can be subtracted from both.

Per-test cost is ``(suite - empty) / tests``, from the median of the rounds. Target ratio
(twimlsim with freezing on against the stub) <= 1.3.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.common import Row, now

TESTS = 300
ROUNDS = 5

APP = """
from flask import Flask, Response

app = Flask(__name__)


@app.post("/voice")
def voice():
    return Response("<Response><Say>Hello</Say></Response>", mimetype="text/xml")


@app.post("/status")
def status():
    return "", 204
"""

SIMULATED = """
from bench_app import app

BASE = "https://app.test"


def _one(twimlsim):
    twimlsim.route(BASE, app)
    twimlsim.number("+15005550006")
    call = twimlsim.client().calls.create(
        to="+15558675310",
        from_="+15005550006",
        url=f"{BASE}/voice",
        status_callback=f"{BASE}/status",
    )
    twimlsim.run()
    assert twimlsim.calls[call.sid].said == ["Hello"]

"""

STUB = """
import responses
from twilio.rest import Client
from werkzeug.test import Client as TestClient

from bench_app import app

ACCOUNT = "AC" + "1" * 32
CALL = "CA" + "2" * 32
URL = f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT}/Calls.json"
PARAMS = {
    "AccountSid": ACCOUNT, "ApiVersion": "2010-04-01", "CallSid": CALL,
    "CallStatus": "in-progress", "Called": "+15558675310", "CalledCity": "",
    "CalledCountry": "US", "CalledState": "", "CalledZip": "", "Caller": "+15005550006",
    "CallerCity": "", "CallerCountry": "US", "CallerState": "", "CallerZip": "",
    "Direction": "outbound-api", "From": "+15005550006", "FromCity": "",
    "FromCountry": "US", "FromState": "", "FromZip": "", "To": "+15558675310",
    "ToCity": "", "ToCountry": "US", "ToState": "", "ToZip": "",
}
DONE = {**PARAMS, "CallStatus": "completed", "CallDuration": "1", "Duration": "1"}


def _one():
    with responses.RequestsMock() as stub:
        stub.add(
            responses.POST, URL, status=201,
            json={"sid": CALL, "status": "queued", "account_sid": ACCOUNT},
        )
        call = Client(ACCOUNT, "token").calls.create(
            to="+15558675310",
            from_="+15005550006",
            url="https://app.test/voice",
            status_callback="https://app.test/status",
        )
    client = TestClient(app)
    answer = client.post("https://app.test/voice", data=PARAMS)
    assert b"<Say>Hello</Say>" in answer.data and call.sid == CALL
    assert client.post("https://app.test/status", data=DONE).status_code == 204

"""


def _suite(header: str, fixture: str, count: int) -> str:
    tests = "".join(f"def test_{i}({fixture}):\n    _one({fixture})\n\n\n" for i in range(count))
    return header + "\n" + tests


def write_suites(folder: Path, count: int) -> None:
    """The app and the three suites of ``count`` tests each."""
    (folder / "bench_app.py").write_text(APP)
    (folder / "test_simulated.py").write_text(_suite(SIMULATED, "twimlsim", count))
    (folder / "test_stub.py").write_text(_suite(STUB, "", count))
    empty = "".join(f"def test_{i}():\n    pass\n\n\n" for i in range(count))
    (folder / "test_empty.py").write_text(empty)


def _run(folder: Path, *args: str) -> float:
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args]
    start = now()
    done = subprocess.run(command, cwd=folder, capture_output=True, text=True)
    elapsed = now() - start
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout[-3000:]}{done.stderr}")
    return elapsed


SIDES = {
    "empty": ("test_empty.py",),
    "stub": ("test_stub.py",),
    "twimlsim": ("test_simulated.py",),
    "twimlsim, freezing off": ("test_simulated.py", "-o", "twimlsim_freeze_time=false"),
}


def measure(count: int = TESTS, rounds: int = ROUNDS) -> dict[str, float]:
    """Median seconds per test of each side, pytest's own cost subtracted."""
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        write_suites(folder, count)
        for args in SIDES.values():  # warm the file system cache and bytecode
            _run(folder, *args)
        times: dict[str, list[float]] = {side: [] for side in SIDES}
        for _ in range(rounds):
            for side, args in SIDES.items():
                times[side].append(_run(folder, *args))
    empty = statistics.median(times["empty"])
    return {side: (statistics.median(t) - empty) / count for side, t in times.items()}


def main() -> list[Row]:
    per_test = measure()
    stub = per_test["stub"] * 1e3
    return [
        Row(
            f"per test: {name} ({TESTS} tests)",
            per_test[name] * 1e3,
            "ms",
            baseline=stub,
            baseline_name="responses stub",
            target=1.3 if name == "twimlsim" else None,
        )
        for name in ("twimlsim", "twimlsim, freezing off")
    ]


if __name__ == "__main__":
    for row in main():
        print(row.render())

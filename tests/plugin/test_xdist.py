"""Results are identical serially and under pytest-xdist, with the fixture and --twimlsim."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

SUITE = """
import json
from pathlib import Path

import pytest
from flask import Flask, request
from twilio.rest import Client

app = Flask(__name__)


@app.post("/voice")
def voice():
    return ('<Response><Gather numDigits="1" action="/menu"><Say>Press a key</Say></Gather>'
            '</Response>'), 200, {"Content-Type": "text/xml"}


@app.post("/menu")
def menu():
    return (f"<Response><Say>You pressed {request.form['Digits']}</Say></Response>",
            200, {"Content-Type": "text/xml"})


def record(name, sim, sids):
    calls = {
        sid: {
            "account": sim.calls[sid].record.account_sid,
            "status": sim.calls[sid].status,
            "said": sim.calls[sid].said,
            "requests": [
                [r.at.isoformat(), r.kind, r.url, r.params, r.headers["X-Twilio-Signature"]]
                for r in sim.calls[sid].requests
            ],
        }
        for sid in sids
    }
    out = Path(OUT) / f"{name}.json"
    out.write_text(json.dumps({"account": sim.account_sid, "calls": calls}, sort_keys=True))


# 1-3 use the fixture's own account; 4-6, like an existing suite, their own placeholder
# credentials, which pytest --twimlsim accepts
@pytest.mark.parametrize("digit", list("123456"))
@pytest.mark.xdist_group("menu")
def test_menu(twimlsim, digit):
    twimlsim.route("https://app.test", app)
    twimlsim.number("+15005550006")
    twimlsim.phone("+15558675310").answers(after=2).presses(digit)
    client = Client("AC" + "x" * 32, "a-token") if digit > "3" else twimlsim.client()
    sids = [client.calls.create(to="+15558675310", from_="+15005550006",
                                url="https://app.test/voice",
                                status_callback="https://app.test/voice").sid]
    twimlsim.run()
    record(f"menu-{digit}", twimlsim, sids)
"""


def run_suite(pytester: pytest.Pytester, out: Path, *args: str) -> None:
    out.mkdir()
    pytester.makepyfile(test_suite=f"OUT = {str(out)!r}\n" + SUITE)
    result = pytester.runpytest("--twimlsim", "-p", "no:cacheprovider", *args)
    result.assert_outcomes(passed=6)


def results(out: Path) -> dict[str, object]:
    return {path.name: json.loads(path.read_text()) for path in sorted(out.glob("*.json"))}


def test_results_are_identical_serially_and_under_xdist(pytester: pytest.Pytester) -> None:
    serial, parallel = pytester.path / "serial", pytester.path / "parallel"
    run_suite(pytester, serial)
    run_suite(pytester, parallel, "-n", "2", "--dist", "loadgroup")
    assert len(results(serial)) == 6
    assert results(parallel) == results(serial)
    first, last = results(serial)["menu-1.json"], results(serial)["menu-6.json"]
    assert isinstance(first, dict) and isinstance(last, dict)
    ((first_sid, first_call),) = first["calls"].items()
    ((last_sid, last_call),) = last["calls"].items()
    assert first_sid == last_sid == "CAee4a56ad3092da64d5ba892549669298"
    assert (first_call["account"], last_call["account"]) == (first["account"], "AC" + "x" * 32)
    assert first_call["said"] == ["Press a key", "You pressed 1"]
    assert last_call["said"] == ["Press a key", "You pressed 6"]

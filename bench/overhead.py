"""Overhead: one IVR call end to end against the floor of the app's own cost.

End to end: the twilio client creates the call, the fake REST API answers, the queue
releases it, the engine runs the IVR (Gather, a keypress, Dial, an agent who talks 30
virtual seconds, goodbye) and sends six signed webhooks to the Flask app in process: voice,
gather action, dial action and the initiated/answered/completed status callbacks.

The floor: the same six requests sent by werkzeug's test client straight to the same app,
plus the same ``calls.create`` answered by a bare ``responses`` stub. Target ratio <= 1.25.
Also printed: what starting and stopping a ``Simulator`` costs each test.
"""

from __future__ import annotations

from typing import Any

import responses
from twilio.rest import Client
from werkzeug.test import Client as TestClient

from bench.common import Row, now, timings
from bench.ivr_app import AGENT, app
from twimlsim import Simulator

CALLER = "+15005550006"
CALLEE = "+15558675310"
BASE = "https://ivr.test"
CALLS = 300


def place(sim: Simulator, client: Any) -> None:
    sim.phone(CALLEE).presses("1")
    sim.phone(AGENT).hangs_up(after=30)
    client.calls.create(
        to=CALLEE,
        from_=CALLER,
        url=f"{BASE}/voice",
        status_callback=f"{BASE}/status",
        status_callback_event=["initiated", "answered", "completed"],
    )
    sim.run()


def end_to_end(count: int) -> tuple[float, list[tuple[str, str, dict[str, str]]]]:
    """Seconds per call, and the requests the app received for the last call."""
    with Simulator() as sim:
        sim.route(BASE, app)
        sim.number(CALLER)
        client = sim.client()
        place(sim, client)  # warm-up
        start = now()
        for _ in range(count):
            place(sim, client)
        elapsed = (now() - start) / count
        last = list(sim.calls.values())[-1]
        parent_requests = [(r.method, r.url, r.params) for r in last.requests]
        assert [r.kind for r in last.requests] == [
            "status",
            "status",
            "voice",
            "gather",
            "dial",
            "status",
        ], [r.kind for r in last.requests]
    return elapsed, parent_requests


def floor(
    count: int, requests_: list[tuple[str, str, dict[str, str]]], sid: str, account: str
) -> float:
    """Seconds per call for the app alone plus a stubbed create."""
    test_client = TestClient(app)
    stub_body = {"sid": sid, "status": "queued", "account_sid": account}
    client = Client(account, "token")
    url = f"https://api.twilio.com/2010-04-01/Accounts/{account}/Calls.json"

    def once() -> None:
        client.calls.create(to=CALLEE, from_=CALLER, url=f"{BASE}/voice")
        for method, target, params in requests_:
            response = test_client.open(target, method=method, data=params)
            response.close()

    with responses.RequestsMock() as stub:
        stub.add(responses.POST, url, json=stub_body, status=201)
        once()
        start = now()
        for _ in range(count):
            once()
        return (now() - start) / count


def main() -> list[Row]:
    ours, requests_ = end_to_end(CALLS)
    sample = Simulator()
    base = floor(CALLS, requests_, "CA" + "0" * 32, sample.account_sid)
    start_stop = min(timings(lambda: Simulator().start().stop(), repeat=20))
    return [
        Row(
            "overhead: IVR call end to end (6 webhooks)",
            ours * 1e6,
            "us",
            baseline=base * 1e6,
            baseline_name="app alone + stub",
            target=1.25,
        ),
        Row("overhead: Simulator() start + stop, per test", start_stop * 1e6, "us"),
    ]


if __name__ == "__main__":
    for row in main():
        print(row.render())

"""Overhead: one IVR call end to end against the floor of the app's own cost.

End to end: the twilio client creates the call, the fake REST API answers, the queue
releases it, the engine runs the IVR (Gather, a keypress, Dial, an agent who talks 30
virtual seconds, goodbye) and sends six signed webhooks to the Flask app in process: voice,
gather action, dial action and the initiated/answered/completed status callbacks.

The floor: the same six requests sent by werkzeug's test client straight to the same app,
plus the same ``calls.create`` answered by a bare ``responses`` stub. Target ratio <= 1.25.
The two sides run in alternating rounds and each keeps its best round, so that load on a
noisy machine falls on both. Also printed: what starting and stopping a ``Simulator``
costs each test.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
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
ROUNDS = 15
PER_ROUND = 40

Logged = list[tuple[str, str, dict[str, str]]]


def place(sim: Simulator, client: Any) -> None:
    """One IVR call through the simulator, run to its end."""
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


def simulated(stack: ExitStack) -> tuple[Callable[[], None], Logged, str]:
    """The end-to-end side, the requests the app got for one call, the account SID."""
    sim = stack.enter_context(Simulator())
    sim.route(BASE, app)
    sim.number(CALLER)
    client = sim.client()
    place(sim, client)
    parent = next(call for call in sim.calls.values() if call.parent is None)
    kinds = [request.kind for request in parent.requests]
    assert kinds == ["status", "status", "voice", "gather", "dial", "status"], kinds
    logged = [(r.method, r.url, r.params) for r in parent.requests]
    return (lambda: place(sim, client)), logged, sim.account_sid


def floor(stack: ExitStack, logged: Logged, account: str) -> Callable[[], None]:
    """The app alone (the same requests) plus a create answered by a bare stub."""
    test_client = TestClient(app)
    client = Client(account, "token")
    stub = stack.enter_context(responses.RequestsMock())
    stub.add(
        responses.POST,
        f"https://api.twilio.com/2010-04-01/Accounts/{account}/Calls.json",
        json={"sid": "CA" + "0" * 32, "status": "queued", "account_sid": account},
        status=201,
    )

    def once() -> None:
        client.calls.create(
            to=CALLEE,
            from_=CALLER,
            url=f"{BASE}/voice",
            status_callback=f"{BASE}/status",
            status_callback_event=["initiated", "answered", "completed"],
        )
        for method, target, params in logged:
            test_client.open(target, method=method, data=params).close()

    once()
    return once


def best_round(run: Callable[[], None]) -> float:
    start = now()
    for _ in range(PER_ROUND):
        run()
    return (now() - start) / PER_ROUND


def main() -> list[Row]:
    ours: list[float] = []
    base: list[float] = []
    for _ in range(ROUNDS):
        # A fresh simulator each round keeps its request log (and memory) small.
        with ExitStack() as stack:
            run_ours, logged, account = simulated(stack)
            ours.append(best_round(run_ours))
        with ExitStack() as stack:
            base.append(best_round(floor(stack, logged, account)))
    start_stop = min(timings(lambda: Simulator().start().stop(), repeat=20))
    return [
        Row(
            "overhead: IVR call end to end (6 webhooks)",
            min(ours) * 1e6,
            "us",
            baseline=min(base) * 1e6,
            baseline_name="app alone + stub",
            target=1.25,
        ),
        Row("overhead: Simulator() start + stop, per test", start_stop * 1e6, "us"),
    ]


if __name__ == "__main__":
    for row in main():
        print(row.render())

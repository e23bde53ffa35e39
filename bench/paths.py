"""Fixed costs on twimlsim's own paths: one webhook, one REST create.

- Webhook: calls to a bare WSGI app (it does no work) that send four status callbacks
  (initiated, ringing, answered, completed) against calls that send one (completed); the
  difference over three is what one more webhook costs twimlsim: parameters, signature,
  delivery to the app in process, the request log. Target <= 80 us.
- REST create: ``client.calls.create`` through the simulator against the same create
  answered by a bare ``responses`` stub (the twilio client's own cost on both sides).
  Target <= 400 us more than the stub.

Both sides of each run in alternating rounds; the median round is kept. Times are the
process's CPU time (``bench.common.cpu_now``).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable
from typing import Any

import responses
from twilio.rest import Client

from bench.common import Row, cpu_now
from twimlsim import Simulator

ROUNDS = 7
CALLS = 100
BASE = "https://app.test"
CALLER = "+15005550006"
CALLEE = "+15558675310"
FOUR = ["initiated", "ringing", "answered", "completed"]


def app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    """A WSGI app that answers at once: a short document, or 204 to callbacks."""
    if environ["PATH_INFO"] == "/status":
        start_response("204 No Content", [])
        return [b""]
    start_response("200 OK", [("Content-Type", "text/xml")])
    return [b"<Response><Hangup/></Response>"]


def _calls(events: list[str]) -> float:
    """Seconds per call for ``CALLS`` calls with these status callback events."""
    with Simulator(cps=1000) as sim:
        sim.route(BASE, app)
        sim.number(CALLER)
        client = sim.client()
        created = [
            client.calls.create(
                to=CALLEE,
                from_=CALLER,
                url=f"{BASE}/voice",
                status_callback=f"{BASE}/status",
                status_callback_event=events,
            )
            for _ in range(CALLS)
        ]
        sim.advance(0)  # time is frozen before the clock starts
        start = cpu_now()
        sim.run()
        elapsed = cpu_now() - start
        assert len(sim.requests) == CALLS * (1 + len(events)), len(sim.requests)
        assert len(created) == CALLS
    return elapsed / CALLS


def _creates(make: Callable[[], tuple[Any, Any]]) -> float:
    """Seconds per ``calls.create`` through whatever ``make`` sets up."""
    context, client = make()
    with context:
        client.calls.create(to=CALLEE, from_=CALLER, url=f"{BASE}/voice")
        start = cpu_now()
        for _ in range(CALLS):
            client.calls.create(to=CALLEE, from_=CALLER, url=f"{BASE}/voice")
        return (cpu_now() - start) / CALLS


def _simulated() -> tuple[Any, Any]:
    sim = Simulator(freeze_time=False)
    sim.number(CALLER)
    return sim, sim.client()


def _stubbed() -> tuple[Any, Any]:
    account = "AC" + "1" * 32
    stub = responses.RequestsMock()
    stub.add(
        responses.POST,
        f"https://api.twilio.com/2010-04-01/Accounts/{account}/Calls.json",
        json={"sid": "CA" + "0" * 32, "status": "queued", "account_sid": account},
        status=201,
    )
    return stub, Client(account, "token")


def main() -> list[Row]:
    _calls(["completed"])  # warm up imports and caches
    one: list[float] = []
    four: list[float] = []
    ours: list[float] = []
    stub: list[float] = []
    for _ in range(ROUNDS):
        one.append(_calls(["completed"]))
        four.append(_calls(FOUR))
        ours.append(_creates(_simulated))
        stub.append(_creates(_stubbed))
    per_webhook = (statistics.median(four) - statistics.median(one)) / 3
    create = statistics.median(ours) - statistics.median(stub)
    return [
        Row("webhook: fixed cost of one more webhook", per_webhook * 1e6, "us", limit=80),
        Row("REST create: more than a bare stub", create * 1e6, "us", limit=400),
        Row("REST create: bare responses stub", statistics.median(stub) * 1e6, "us"),
    ]


if __name__ == "__main__":
    for row in main():
        print(row.render())

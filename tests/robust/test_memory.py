"""A finished call keeps at most 4 kB, its whole log included (bench/README.md, "Fourth
round"): a suite of thousands of calls keeps every call for its assertions."""

from __future__ import annotations

import gc
import tracemalloc
from collections.abc import Iterable

from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim import Simulator

#: The budget per finished call, in bytes (a voice webhook, a status callback, a create).
BUDGET = 4096


def app(environ: dict[str, object], start_response: object) -> Iterable[bytes]:
    start_response("200 OK", [("Content-Type", "text/xml")])  # type: ignore[operator]
    if environ["PATH_INFO"] == "/status":
        return [b""]
    return [b"<Response><Say>Thanks for calling</Say><Hangup/></Response>"]


def place(sim: Simulator, count: int) -> None:
    client = sim.client()
    for _ in range(count):
        client.calls.create(
            to=CALLEE,
            from_=CALLER_ID,
            url=f"{APP_URL}/voice",
            status_callback=f"{APP_URL}/status",
        )
    sim.run()


def test_a_finished_call_keeps_at_most_4_kb_with_its_log() -> None:
    with Simulator(cps=1, freeze_time=False) as sim:
        sim.route(APP_URL, app)
        sim.number(CALLER_ID)
        place(sim, 20)  # caches and first-of-a-kind answers warmed up
        gc.collect()
        tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            place(sim, 200)
            gc.collect()
            per_call = (tracemalloc.get_traced_memory()[0] - before) / 200
        finally:
            tracemalloc.stop()
        calls = list(sim.calls.values())
        assert (len(calls), len(sim.requests), len(sim.api_requests)) == (220, 440, 220)
        assert all(call.status == "completed" for call in calls)
        assert per_call <= BUDGET, f"{per_call:.0f} bytes per finished call"

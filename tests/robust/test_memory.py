"""A finished call keeps at most 4 kB, its whole log included (bench/README.md, "Fourth
round"): a suite of thousands of calls keeps every call for its assertions."""

from __future__ import annotations

import gc
import statistics
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
    # three windows of 100 calls, the median kept: a one-off allocation in one of them (a
    # process-wide cache an earlier test of the worker filled, growing its table) is not
    # the memory a call keeps
    windows = []
    with Simulator(cps=1, freeze_time=False) as sim:
        sim.route(APP_URL, app)
        sim.number(CALLER_ID)
        place(sim, 20)  # caches and first-of-a-kind answers warmed up
        gc.collect()
        tracemalloc.start()
        try:
            for _ in range(3):
                before = tracemalloc.get_traced_memory()[0]
                place(sim, 100)
                gc.collect()
                windows.append((tracemalloc.get_traced_memory()[0] - before) / 100)
        finally:
            tracemalloc.stop()
        calls = list(sim.calls.values())
        assert (len(calls), len(sim.requests), len(sim.api_requests)) == (320, 640, 320)
        assert all(call.status == "completed" for call in calls)
        per_call = statistics.median(windows)
        assert per_call <= BUDGET, (
            f"{per_call:.0f} bytes per finished call (windows of 100 calls: "
            f"{', '.join(f'{window:.0f}' for window in windows)})"
        )

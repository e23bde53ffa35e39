"""Scale: 100, 1,000 and 10,000 calls queued at once at CPS 1, run to completion.

Each call fetches a short document and sends its completed status callback, so it makes
two webhooks; the app is a bare WSGI function, so what is measured is the simulator (and
the twilio client creating the calls). The request log is kept. Printed: CPU time per call
at each size against the time per call at 100 (no quadratic paths: target ratio <= 1.2),
and traced memory per finished call (target under 20 kB). CPU time, as ``overhead`` and
``paths`` time: nothing here waits, and on a shared machine the wall time of a run also
counts the time it waited for a core (with other work on the machine, 1,000 calls read
1.41 times the 100 in wall time; 1.06 in CPU time minutes later).
"""

from __future__ import annotations

import gc
import tracemalloc
from collections.abc import Iterable

from bench.common import Row, cpu_now, place_calls
from twimlsim import Simulator

SIZES = (100, 1_000, 10_000)
#: Short runs are noisier: repeat them and keep the best.
REPEATS = {100: 5, 1_000: 2, 10_000: 1}


def app(environ: dict[str, object], start_response: object) -> Iterable[bytes]:
    start_response("200 OK", [("Content-Type", "text/xml")])  # type: ignore[operator]
    if environ["PATH_INFO"] == "/status":
        return [b""]
    return [b"<Response><Say>Thanks for calling</Say><Hangup/></Response>"]


def run_calls(count: int, *, trace: bool = False) -> tuple[float, float]:
    """Seconds per call and bytes kept per finished call for ``count`` calls."""
    gc.collect()
    with Simulator(cps=1) as sim:
        sim.route("https://app.test", app)
        sim.number("+15005550006")
        client = sim.client()
        if trace:
            tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0] if trace else 0
        start = cpu_now()
        place_calls(client, count)
        sim.run()
        elapsed = cpu_now() - start
        kept = 0.0
        if trace:
            gc.collect()
            kept = (tracemalloc.get_traced_memory()[0] - before) / count
            tracemalloc.stop()
        assert len(sim.requests) == 2 * count
        assert sim.now.timestamp() - sim.clock.start.timestamp() >= count - 1
    return elapsed / count, kept


def main() -> list[Row]:
    run_calls(50)  # warm up imports and caches
    per_call = {size: min(run_calls(size)[0] for _ in range(REPEATS[size])) for size in SIZES}
    rows = [
        Row(
            f"scale: {size:>6,} calls, CPU time per call",
            per_call[size] * 1e6,
            "us",
            baseline=per_call[SIZES[0]] * 1e6,
            baseline_name=f"per call at {SIZES[0]}",
            target=1.2,
        )
        for size in SIZES
    ]
    for size in (1_000, 10_000):
        _, kept = run_calls(size, trace=True)
        name = f"scale: {size:>6,} calls, memory per finished call"
        rows.append(Row(name, kept / 1024, "kB", limit=20))
    return rows


if __name__ == "__main__":
    for row in main():
        print(row.render())

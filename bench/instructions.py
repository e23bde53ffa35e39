"""Instructions and cache misses: the per-call and per-test comparisons, counted by valgrind.

Wall and CPU time on a shared machine move with other processes' load, and they move
twimlsim's side more than the floor's: a simulated call touches more distinct code and
data than the floor (the engine between the app's requests), so it loses more to caches
other processes share. This benchmark counts instead of timing: valgrind's cachegrind
runs each side (``N`` iterations, and none, in fresh interpreters; the difference over
``N`` is one iteration) and reports instructions executed and misses of a simulated 1 MB
second-level cache (this machine's L2), which no other process changes. Counting
instructions under valgrind is how CI services measure Python performance on noisy
machines; these figures say what twimlsim executes, the timed benchmarks what it costs
here and now.

- ``call``: one IVR call end to end (``bench/overhead.py``) against the floor of the
  same exchanges (the very requests twimlsim sent the app, by werkzeug's test client,
  and the create answered by a bare ``responses`` stub with the very JSON twimlsim
  answered). Target ratio of instructions <= 1.10.
- ``test``: one test body of ``bench/per_test.py`` (a ``Simulator`` started and stopped
  and a two-webhook call; the fixture's pytest machinery is not counted) against the
  hand-written mock (a ``responses`` stub and werkzeug's test client).

Needs ``valgrind`` (Debian's package); skipped without it. Takes a few minutes.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.common import Row

ROOT = Path(__file__).resolve().parent.parent
ITERATIONS = 40  # and half as many: the two halves are checked against each other
#: A simulated second-level cache like this machine's: 1 MB, 16-way, 64-byte lines.
CACHE = "--LL=1048576,16,64"

DRIVER = """
import sys
sys.path.append(sys.argv[3])  # after PYTHONPATH: bench/compare.py puts another twimlsim there
from contextlib import ExitStack
import bench.overhead as overhead
import bench.per_test_body as body
side, count = sys.argv[1], int(sys.argv[2])
with ExitStack() as stack:
    if side.split(" +")[0] == "call":
        run, seen = overhead.simulated(stack)
    elif side.startswith("call floor"):
        with ExitStack() as simulation:  # stopped, as in bench/overhead.py: time runs
            _, seen = overhead.simulated(simulation)
        run = overhead.same_exchanges_floor(stack, seen)
    elif side.startswith("call"):  # "call flush alone": bench/footprint.py
        run = lambda: None
    else:
        run = body.simulated if side == "test" else body.stubbed
        run()
    if "+" in side:  # "... +N functions": bench/footprint.py
        import bench.footprint as footprint
        run = footprint.widened(run, int(side.split("+")[1].split()[0]))
    if "flush" in side:  # "... flushed": bench/footprint.py
        import bench.footprint as footprint
        run = footprint.flushed(run)
    for _ in range(count):
        run()
"""

SIDES = ("call", "call floor", "test", "test floor")


def counts(side: str, iterations: int, cache: str = CACHE) -> tuple[int, int]:
    """Instructions and simulated L2 misses of one run of the driver (``cache``: the
    simulated L2, as valgrind's ``--LL=size,ways,line`` option)."""
    done = subprocess.run(
        [
            *_NO_RANDOM_LAYOUT,
            "valgrind",
            "--tool=cachegrind",
            "--cache-sim=yes",
            cache,
            "--cachegrind-out-file=/dev/null",
            sys.executable,
            "-c",
            DRIVER,
            side,
            str(iterations),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        env=_environment(),
        cwd=tempfile.gettempdir(),
        check=True,
    )
    instructions = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    misses = re.search(r"LL misses:\s+([\d,]+)", done.stderr)
    if instructions is None or misses is None:
        raise RuntimeError(f"no counts in valgrind's output:\n{done.stderr[-2000:]}")
    return int(instructions[1].replace(",", "")), int(misses[1].replace(",", ""))


#: Runs a program without address-space randomization where ``setarch`` can: the counts
#: of misses then repeat exactly from one run to the next (they move by a few percent with
#: where the heap and the stacks land).
_NO_RANDOM_LAYOUT = ("setarch", os.uname().machine, "-R") if shutil.which("setarch") else ()


def _environment() -> dict[str, str]:
    """A small, fixed environment (``requests`` reads the proxies from it on every request,
    so its size would count), keeping ``PYTHONPATH`` for ``bench/compare.py``."""
    environment = {"PYTHONHASHSEED": "0", "PATH": "/usr/bin:/bin"}
    if "PYTHONPATH" in os.environ:
        environment["PYTHONPATH"] = os.environ["PYTHONPATH"]
    return environment


def warm(side: str) -> None:
    """One run without valgrind, so that every module's byte code is compiled and cached
    before counting (a compilation in one of the two counted runs would be counted)."""
    subprocess.run(
        [sys.executable, "-c", DRIVER, side, "1", str(ROOT)],
        capture_output=True,
        check=True,
        env=_environment(),
        cwd=tempfile.gettempdir(),  # not the checkout: its twimlsim would come first
    )


def measure(iterations: int = ITERATIONS) -> dict[str, tuple[float, float]]:
    """Instructions and L2 misses of one iteration of each side.

    Each side runs with none, half and all of the iterations: the two halves must agree
    (a run that compiled byte code, or anything else that happened once, would show as a
    step); a side whose halves differ by more than 2% is reported."""
    for side in SIDES:
        warm(side)
    half = iterations // 2
    runs = [(side, count) for side in SIDES for count in (0, half, iterations)]
    with ThreadPoolExecutor(max_workers=2) as pool:  # two cores
        counted = dict(zip(runs, pool.map(lambda run: counts(*run), runs), strict=True))
    result = {}
    for side in SIDES:
        none, some, every = (counted[(side, count)] for count in (0, half, iterations))
        first = (some[0] - none[0]) / half
        second = (every[0] - some[0]) / (iterations - half)
        if abs(first - second) > 0.02 * max(first, second):
            print(
                f"  instructions: {side}: the two halves differ ({first / 1e6:.2f} M and "
                f"{second / 1e6:.2f} M an iteration); the figures below are not steady"
            )
        result[side] = (
            (every[0] - none[0]) / iterations,
            (every[1] - none[1]) / iterations,
        )
    return result


def main() -> list[Row]:
    if shutil.which("valgrind") is None:
        print("  instructions: skipped, valgrind is not installed (apt install valgrind)")
        return []
    counts = measure()
    rows = []
    for name, label, target in (
        ("call", "IVR call end to end", 1.10),
        ("test", "test body (two webhooks)", None),
    ):
        ours, floor = counts[name], counts[f"{name} floor"]
        for what, index, scale, unit, goal in (
            ("instructions", 0, 1e6, "M", target),
            ("L2 misses (1 MB)", 1, 1e3, "k", None),
        ):
            rows.append(
                Row(
                    f"{what}: {label}",
                    ours[index] / scale,
                    unit,
                    baseline=floor[index] / scale,
                    baseline_name="floor           ",
                    target=goal,
                )
            )
    return rows


if __name__ == "__main__":
    for row in main():
        print(row.render())

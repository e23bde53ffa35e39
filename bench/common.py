"""What every benchmark shares: a wall clock freezegun leaves alone, and the result rows.

The simulator freezes time for the app under test (freezegun), which also freezes
``time.perf_counter``; benchmark code is put on freezegun's ignore list so that the
timings here are real.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import freezegun

freezegun.configure(extend_ignore_list=["bench."])


def now() -> float:
    """Real seconds (monotonic), even while a simulator has frozen time."""
    return time.perf_counter()


def cpu_now() -> float:
    """CPU seconds this process has used (user and system).

    On a shared machine other processes' load stretches wall time by a factor of two from
    one minute to the next; the CPU time a single-threaded, in-process benchmark uses moves
    far less, so the in-process benchmarks time with it.
    """
    return time.process_time()


#: A pytest run (its arguments after ``-c``) that prints the Python calls it made.
_COUNT_CALLS = """
import cProfile, pstats, sys
import pytest

profile = cProfile.Profile()
profile.enable()
pytest.main(sys.argv[1:])
profile.disable()
print("CALLS", pstats.Stats(profile).total_calls)
"""


def pytest_calls(folder: Path, *args: str) -> int:
    """The Python calls of ``pytest *args`` run in ``folder`` (a fixed hash seed: the
    count does not move with it)."""
    done = subprocess.run(
        [sys.executable, "-c", _COUNT_CALLS, *args],
        cwd=folder,
        check=True,
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONHASHSEED="0"),
    )
    return int(done.stdout.rsplit("CALLS", 1)[1])


def children_cpu() -> float:
    """CPU seconds (user and system) used by the finished child processes so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timings(func: Callable[[], object], *, repeat: int = 5) -> list[float]:
    """Seconds taken by each of ``repeat`` runs of ``func``."""
    times = []
    for _ in range(repeat):
        start = now()
        func()
        times.append(now() - start)
    return times


@dataclass(frozen=True)
class Row:
    """One figure: what was measured, its value, the baseline and the target ratio."""

    name: str
    value: float
    unit: str
    baseline: float | None = None
    baseline_name: str = ""
    target: float | None = None
    limit: float | None = None

    @property
    def ratio(self) -> float | None:
        return self.value / self.baseline if self.baseline else None

    def render(self) -> str:
        text = f"  {self.name:<46} {self.value:10.1f} {self.unit}"
        if self.baseline is not None:
            text += f"   {self.baseline_name} {self.baseline:10.1f} {self.unit}"
            text += f"   ratio {self.ratio:5.2f}"
        if self.target is not None and self.ratio is not None:
            verdict = "ok" if self.ratio <= self.target else "OVER TARGET"
            text += f"  (target <= {self.target:g}: {verdict})"
        if self.limit is not None:
            verdict = "ok" if self.value <= self.limit else "OVER TARGET"
            text += f"  (target < {self.limit:g} {self.unit}: {verdict})"
        return text


def place_calls(client: Any, count: int) -> None:
    """``count`` calls to the benchmark app's ``/voice``, each with a status callback."""
    for _ in range(count):
        client.calls.create(
            to="+15558675310",
            from_="+15005550006",
            url="https://app.test/voice",
            status_callback="https://app.test/status",
        )

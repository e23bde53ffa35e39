"""What every benchmark shares: a wall clock freezegun leaves alone, and the result rows.

The simulator freezes time for the app under test (freezegun), which also freezes
``time.perf_counter``; benchmark code is put on freezegun's ignore list so that the
timings here are real.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import freezegun

freezegun.configure(extend_ignore_list=["bench."])


def now() -> float:
    """Real seconds (monotonic), even while a simulator has frozen time."""
    return time.perf_counter()


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

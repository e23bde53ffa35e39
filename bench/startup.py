"""Start-up: what installing twimlsim costs a test run that does not use it.

``pytest`` on an empty test file with the plugin (as installed) against the same with
``-p no:twimlsim``, and ``import twimlsim`` against a bare interpreter. Each side runs as a
fresh subprocess, interleaved, and the median is kept.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.common import Row, now

RUNS = 7


def _time(command: list[str], cwd: str) -> float:
    start = now()
    subprocess.run(command, cwd=cwd, check=True, capture_output=True)
    return now() - start


def _compare(ours: list[str], baseline: list[str], cwd: str) -> tuple[float, float]:
    mine: list[float] = []
    base: list[float] = []
    _time(ours, cwd)  # warm the file system cache
    for _ in range(RUNS):
        mine.append(_time(ours, cwd))
        base.append(_time(baseline, cwd))
    return statistics.median(mine), statistics.median(base)


def main() -> list[Row]:
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "test_empty.py").write_text("def test_nothing():\n    pass\n")
        pytest = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_empty.py"]
        with_plugin, without = _compare(pytest, [*pytest, "-p", "no:twimlsim"], folder)
        imported, bare = _compare(
            [sys.executable, "-c", "import twimlsim"], [sys.executable, "-c", "pass"], folder
        )
    return [
        Row(
            "start-up: pytest, empty test file, plugin on",
            with_plugin * 1e3,
            "ms",
            baseline=without * 1e3,
            baseline_name="-p no:twimlsim",
        ),
        Row(
            "start-up: python -c 'import twimlsim'",
            imported * 1e3,
            "ms",
            baseline=bare * 1e3,
            baseline_name="python -c pass",
        ),
    ]


if __name__ == "__main__":
    for row in main():
        print(row.render())

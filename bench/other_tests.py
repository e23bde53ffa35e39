"""What twimlsim costs the tests that do not use it, in a project that has it installed.

The pytest plugin is loaded by its entry point into every pytest run of a project that
installs twimlsim, and its hooks run for every test, most of which never start a
simulator. A suite of plain tests (``assert`` on two numbers) is run by ``pytest`` in fresh
subprocesses, interleaved, three ways:

- ``-p no:twimlsim``: the plugin off, the baseline;
- the plugin on (installed, the suite does not use it);
- ``pytest --twimlsim``: every test gets a simulator (the option's mode for an existing
  suite), which none of them uses.

Per test is the slope between suites of ``TESTS`` and ``FEW`` tests (each round's own
two runs, the median over rounds), so pytest's start-up cancels; each run's cost is its
CPU time. Also printed, exact and independent of the machine's load: the Python function
calls per test that each way adds to the baseline (cProfile's count of the calls a run
makes, the same slope).

``python -m bench.other_tests instructions`` counts instead, with valgrind (a few minutes a
way): the instructions one more plain test executes, the slope between suites of 50 and
150 tests, each run once, with garbage collection off (the counts then repeat run to run;
with it on, a full collection falls in one suite and not in the other and moves the slope
by more than the plugin costs).
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.common import Row, children_cpu, pytest_calls
from bench.instructions import _NO_RANDOM_LAYOUT
from bench.per_test import QUIET_PLUGINS

TESTS = 1000
FEW = 100
ROUNDS = 5
WAYS = {"off": ("-p", "no:twimlsim"), "on": (), "option": ("--twimlsim",)}

NO_GC_PYTEST = "import gc, sys, pytest; gc.disable(); sys.exit(pytest.main(sys.argv[1:]))"


def _write(folder: Path, count: int) -> None:
    tests = "".join(f"def test_{i}():\n    assert {i} + 1 == {i + 1}\n\n\n" for i in range(count))
    (folder / f"test_plain_{count}.py").write_text(tests)


def _run(folder: Path, count: int, way: str) -> float:
    command = [sys.executable, "-m", "pytest", "-q", *QUIET_PLUGINS, *WAYS[way]]
    start = children_cpu()
    subprocess.run(
        [*command, f"test_plain_{count}.py"], cwd=folder, check=True, capture_output=True
    )
    return children_cpu() - start


def _calls(folder: Path, way: str, count: int) -> int:
    return pytest_calls(folder, "-q", *QUIET_PLUGINS, *WAYS[way], f"test_plain_{count}.py")


def main() -> list[Row]:
    slopes: dict[str, list[float]] = {way: [] for way in WAYS}
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        _write(folder, TESTS)
        _write(folder, FEW)
        _run(folder, FEW, "on")  # warm the file system cache
        for _ in range(ROUNDS):
            for way in WAYS:
                many = _run(folder, TESTS, way)
                few = _run(folder, FEW, way)
                slopes[way].append((many - few) / (TESTS - FEW))
        calls = {
            way: (_calls(folder, way, TESTS) - _calls(folder, way, FEW)) / (TESTS - FEW)
            for way in WAYS
        }
    per_test = {way: statistics.median(values) * 1e6 for way, values in slopes.items()}
    return [
        Row(
            "plain tests: per test, plugin on",
            per_test["on"],
            "us",
            baseline=per_test["off"],
            baseline_name="-p no:twimlsim",
        ),
        Row(
            "plain tests: per test, pytest --twimlsim",
            per_test["option"],
            "us",
            baseline=per_test["off"],
            baseline_name="-p no:twimlsim",
        ),
        Row(
            "plain tests: Python calls a test, plugin on",
            calls["on"] - calls["off"],
            "  ",
        ),
        Row(
            "plain tests: Python calls a test, --twimlsim",
            calls["option"] - calls["off"],
            "  ",
        ),
    ]


def _instructions(folder: Path, count: int, way: str) -> int:
    done = subprocess.run(
        [
            *_NO_RANDOM_LAYOUT,
            "valgrind",
            "--tool=cachegrind",
            "--cache-sim=no",
            "--cachegrind-out-file=/dev/null",
            sys.executable,
            "-c",
            NO_GC_PYTEST,
            "-q",
            *QUIET_PLUGINS,
            *WAYS[way],
            f"test_plain_{count}.py",
        ],
        cwd=folder,
        check=True,
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONHASHSEED="0"),
    )
    counted = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if counted is None:
        raise RuntimeError(f"no counts in valgrind's output:\n{done.stderr[-2000:]}")
    return int(counted[1].replace(",", ""))


def instructions() -> list[Row]:
    """Instructions one more plain test executes, each way (valgrind)."""
    per_test: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for count in (50, 150):
            _write(folder, count)
        for way in WAYS:
            many, few = _instructions(folder, 150, way), _instructions(folder, 50, way)
            per_test[way] = (many - few) / 100 / 1e6
    return [
        Row(
            f"plain tests: instructions a test, {label}",
            per_test[way],
            "M ",
            baseline=per_test["off"],
            baseline_name="-p no:twimlsim",
        )
        for way, label in (("on", "plugin on"), ("option", "--twimlsim"))
    ]


if __name__ == "__main__":
    for row in instructions() if sys.argv[1:] == ["instructions"] else main():
        print(row.render())

"""What a team's suite pays for twimlsim outside the test bodies the other benchmarks time.

Three parts, each in fresh ``pytest`` subprocesses (the dev extra's per-test plugins off, as
in ``per_test``):

- ``collect``: ``pytest --co`` of a file of plain tests (no twimlsim) with the plugin off
  (``-p no:twimlsim``, the baseline), on (installed, unused) and with ``--twimlsim`` (which
  adds the fixture to every test it collects). Per test collected = the slope between
  files of ``TESTS`` and ``FEW`` tests, CPU time, median of interleaved rounds; also the
  Python calls a collected test adds to the baseline (cProfile, exact).
- ``existing``: a suite that already places calls with its own ``Client(SID, TOKEN)``
  (``calls.create`` and a check of the answer) run under ``pytest --twimlsim``, against the
  same tests written for the ``twimlsim`` fixture (``twimlsim.client()``) and against the
  hand-written way, a ``responses`` stub of the create. Per test = the slope between suites
  of ``CALLING`` and ``FEW_CALLING`` tests, CPU time; also Python calls a test.
- ``memory``: a long suite, ``LONG`` tests of ``per_test`` (the ``twimlsim`` fixture and a
  two-webhook call each; its stub; empty tests): the resident memory (``VmRSS``, Linux) the
  run keeps per test, the slope between the samples after ``LONG // 3`` and ``LONG`` tests
  (each taken after a full garbage collection), and the objects the collector tracks per
  test, the same slope. Deterministic enough for one run.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from textwrap import indent

from bench.common import Row, children_cpu, pytest_calls
from bench.per_test import QUIET_PLUGINS, write_suites

TESTS = 1000
FEW = 100
CALLING = 300
FEW_CALLING = 50
LONG = 3000
ROUNDS = 3

SID = "AC" + "0123456789abcdef" * 2
#: The test's own work: one call placed, its answer checked.
CREATE = """
call = client.calls.create(
    to="+15558675310", from_="+15005550006", url="https://app.example.com/voice"
)
assert call.sid.startswith("CA") and call.status == "queued"
"""
OWN_CLIENT = f"""
from twilio.rest import Client

SID, TOKEN = "{SID}", "real-looking-token"


def _one():
    client = Client(SID, TOKEN){indent(CREATE, " " * 4)}
"""
FIXTURE = f"""
def _one(twimlsim):
    twimlsim.number("+15005550006")
    client = twimlsim.client(){indent(CREATE, " " * 4)}
"""
STUB = f"""
import responses
from twilio.rest import Client

SID, TOKEN = "{SID}", "real-looking-token"
URL = f"https://api.twilio.com/2010-04-01/Accounts/{{SID}}/Calls.json"


def _one():
    with responses.RequestsMock() as stub:
        stub.add(
            responses.POST, URL, status=201,
            json={{"sid": "CA" + "2" * 32, "status": "queued", "account_sid": SID}},
        )
        client = Client(SID, TOKEN){indent(CREATE, " " * 8)}
"""
#: way: (the suite's header, the test's parameter, extra pytest arguments)
EXISTING = {
    "option": (OWN_CLIENT, "", ("--twimlsim",)),
    "fixture": (FIXTURE, "twimlsim", ()),
    "stub": (STUB, "", ()),
}
COLLECT = {"off": ("-p", "no:twimlsim"), "on": (), "option": ("--twimlsim",)}

#: Written beside the long suites: samples VmRSS and the tracked objects after each third.
SAMPLER = """
import gc
import os

import pytest

_DONE = [0]
_SAMPLES = []


def _rss_kb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_protocol(item, nextitem):
    result = yield
    _DONE[0] += 1
    if _DONE[0] % int(os.environ["SAMPLE_EVERY"]) == 0 and nextitem is not None:
        gc.collect()
        _SAMPLES.append(f"{_DONE[0]} {_rss_kb()} {len(gc.get_objects())}")
    return result


def pytest_unconfigure(config):
    with open(os.environ["SAMPLES"], "w") as file:
        file.write("\\n".join(_SAMPLES))
"""


def _pytest(folder: Path, *args: str) -> float:
    """The CPU seconds of one pytest run in a fresh process."""
    start = children_cpu()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", *QUIET_PLUGINS, *args],
        cwd=folder,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(f"pytest {' '.join(args)} failed:\n{done.stdout[-3000:]}")
    return children_cpu() - start


def _calls(folder: Path, *args: str) -> int:
    return pytest_calls(folder, "-q", *QUIET_PLUGINS, *args)


def _slopes(
    folder: Path, ways: dict[str, tuple[str, ...]], files: tuple[str, str], sizes: tuple[int, int]
) -> tuple[dict[str, float], dict[str, float]]:
    """Per test, each way: the median CPU slope over interleaved rounds, and Python calls."""
    many_file, few_file = files
    slopes: dict[str, list[float]] = {way: [] for way in ways}
    _pytest(folder, *ways[next(iter(ways))], few_file.format(way=next(iter(ways))))  # warm
    for _ in range(ROUNDS):
        for way, args in ways.items():
            many = _pytest(folder, *args, many_file.format(way=way))
            few = _pytest(folder, *args, few_file.format(way=way))
            slopes[way].append((many - few) / (sizes[0] - sizes[1]))
    calls = {
        way: (
            _calls(folder, *args, many_file.format(way=way))
            - _calls(folder, *args, few_file.format(way=way))
        )
        / (sizes[0] - sizes[1])
        for way, args in ways.items()
    }
    return {way: statistics.median(values) for way, values in slopes.items()}, calls


def collect(folder: Path) -> list[Row]:
    for count in (TESTS, FEW):
        plain = "".join(
            f"def test_{i}():\n    assert {i} + 1 == {i + 1}\n\n\n" for i in range(count)
        )
        (folder / f"test_plain_{count}.py").write_text(plain)
    ways = {way: ("--co", *args) for way, args in COLLECT.items()}
    cpu, calls = _slopes(
        folder, ways, (f"test_plain_{TESTS}.py", f"test_plain_{FEW}.py"), (TESTS, FEW)
    )
    return [
        row
        for way, label in (("on", "plugin on"), ("option", "--twimlsim"))
        for row in (
            Row(
                f"collect: per test collected, {label}",
                cpu[way] * 1e6,
                "us",
                baseline=cpu["off"] * 1e6,
                baseline_name="-p no:twimlsim",
            ),
            Row(f"collect: Python calls a test adds, {label}", calls[way] - calls["off"], "  "),
        )
    ]


def existing(folder: Path) -> list[Row]:
    for way, (header, parameter, _) in EXISTING.items():
        for count in (CALLING, FEW_CALLING):
            tests = "".join(
                f"def test_{i}({parameter}):\n    _one({parameter})\n\n\n" for i in range(count)
            )
            (folder / f"test_{way}_{count}.py").write_text(header + "\n\n" + tests)
    ways = {way: args for way, (_, _, args) in EXISTING.items()}
    files = (f"test_{{way}}_{CALLING}.py", f"test_{{way}}_{FEW_CALLING}.py")
    cpu, calls = _slopes(folder, ways, files, (CALLING, FEW_CALLING))
    rows = [
        Row(
            f"existing suite: per test, {label}",
            cpu[way] * 1e3,
            "ms",
            baseline=cpu["stub"] * 1e3,
            baseline_name="responses stub",
        )
        for way, label in (("option", "pytest --twimlsim"), ("fixture", "the fixture"))
    ]
    rows += [
        Row(
            f"existing suite: Python calls a test, {label}",
            calls[way],
            "  ",
            baseline=calls["stub"],
            baseline_name="responses stub",
        )
        for way, label in (("option", "--twimlsim"), ("fixture", "the fixture"))
    ]
    return rows


def _samples(folder: Path, side: str) -> list[tuple[int, int, int]]:
    out = folder / f"samples_{side}.txt"
    env = dict(os.environ, SAMPLES=str(out), SAMPLE_EVERY=str(LONG // 3))
    subprocess.run(
        [sys.executable, "-m", "pytest", "-q", *QUIET_PLUGINS, f"test_{side}_{LONG}.py"],
        cwd=folder,
        check=True,
        capture_output=True,
        env=env,
    )
    rows = [tuple(int(value) for value in line.split()) for line in out.read_text().splitlines()]
    return [(row[0], row[1], row[2]) for row in rows]


def memory(folder: Path) -> list[Row]:
    write_suites(folder, LONG)
    (folder / "conftest.py").write_text(SAMPLER)
    kept: dict[str, tuple[float, float]] = {}
    for side in ("simulated", "stub", "empty"):
        (first, rss_first, objects_first), *_, (last, rss_last, objects_last) = _samples(
            folder, side
        )
        tests = last - first
        kept[side] = ((rss_last - rss_first) / tests, (objects_last - objects_first) / tests)
    return [
        Row(
            f"long suite ({LONG:,} tests): RSS kept a test, {label}",
            kept[side][0],
            "kB",
            baseline=kept["empty"][0],
            baseline_name="empty tests",
        )
        for side, label in (("simulated", "twimlsim"), ("stub", "stub"))
    ] + [
        Row(
            f"long suite: objects kept a test, {label}",
            kept[side][1],
            "  ",
            baseline=kept["empty"][1],
            baseline_name="empty tests",
        )
        for side, label in (("simulated", "twimlsim"), ("stub", "stub"))
    ]


def main(parts: tuple[str, ...] = ("collect", "existing", "memory")) -> list[Row]:
    rows: list[Row] = []
    for part in parts:
        with tempfile.TemporaryDirectory() as name:
            rows += {"collect": collect, "existing": existing, "memory": memory}[part](Path(name))
    return rows


if __name__ == "__main__":
    for row in main(tuple(sys.argv[1:]) or ("collect", "existing", "memory")):
        print(row.render())

"""Per test: what a pytest test that uses twimlsim costs next to a hand-written mock.

Generated suites of the same tests, each run by ``pytest`` in a fresh subprocess, in
interleaved rounds:

- ``twimlsim``: the ``twimlsim`` fixture, one call with two webhooks (voice, completed
  status callback) to a Flask app, ``run()`` and an assertion (time freezing on, the
  default; also run with ``-o twimlsim_freeze_time=false``);
- ``stub``: the same work by hand: ``calls.create`` answered by a bare ``responses`` stub,
  then the same two requests sent to the app with werkzeug's test client;
- ``empty``: empty tests, so that pytest's own cost can be subtracted from both.

Each suite runs with ``TESTS`` and with ``FEW`` tests. Per-test cost is the slope between
the two, less the empty suite's slope: each round's slope between its own two runs (one
after the other, so that load drifting from round to round cancels), the median of the
rounds kept. That is what one more test costs, without the one-off cost of a run
(pytest's start-up, and importing twimlsim, its dependencies and the app, printed apart as
``start-up``). Target ratio (twimlsim with freezing on against the stub) <= 1.3.

The suites are long (a thousand tests, and a hundred) so that each side's garbage
collections, full ones included, are spread over many tests: the first full collection of
a run comes after a number of tests that depends on how much the run imported, and with
three hundred tests and thirty it fell inside one side's larger suite and not the other's,
moving that side's slope by 0.1 ms a test.

Printed as well: each side's test loop alone, measured inside the run (the CPU time from
the end of the first test to the end of the last, per test, in the larger suite, less the
empty suite's): the same per-test cost without one more test's collection, and without
the run's start-up, whose noise the slope carries.

A run's cost is the CPU time (user and system) the pytest process used, not the wall time
it took: nothing in these suites waits (twimlsim never sleeps), so both are the same work,
but on a machine shared with other jobs the wall time of a run also counts the time it
waited for a core, which made single runs, and so the slope, jump by a factor of two.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.common import Row

TESTS = 1000
FEW = 100
ROUNDS = 5

APP = """
from flask import Flask, Response

app = Flask(__name__)


@app.post("/voice")
def voice():
    return Response("<Response><Say>Hello</Say></Response>", mimetype="text/xml")


@app.post("/status")
def status():
    return "", 204
"""

SIMULATED = """
from bench_app import app

BASE = "https://app.test"


def _one(twimlsim):
    twimlsim.route(BASE, app)
    twimlsim.number("+15005550006")
    call = twimlsim.client().calls.create(
        to="+15558675310",
        from_="+15005550006",
        url=f"{BASE}/voice",
        status_callback=f"{BASE}/status",
    )
    twimlsim.run()
    assert twimlsim.calls[call.sid].said == ["Hello"]

"""

STUB = """
import responses
from twilio.rest import Client
from werkzeug.test import Client as TestClient

from bench_app import app

ACCOUNT = "AC" + "1" * 32
CALL = "CA" + "2" * 32
URL = f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT}/Calls.json"
PARAMS = {
    "AccountSid": ACCOUNT, "ApiVersion": "2010-04-01", "CallSid": CALL,
    "CallStatus": "in-progress", "Called": "+15558675310", "CalledCity": "",
    "CalledCountry": "US", "CalledState": "", "CalledZip": "", "Caller": "+15005550006",
    "CallerCity": "", "CallerCountry": "US", "CallerState": "", "CallerZip": "",
    "Direction": "outbound-api", "From": "+15005550006", "FromCity": "",
    "FromCountry": "US", "FromState": "", "FromZip": "", "To": "+15558675310",
    "ToCity": "", "ToCountry": "US", "ToState": "", "ToZip": "",
}
DONE = {**PARAMS, "CallStatus": "completed", "CallDuration": "1", "Duration": "1"}


def _one():
    with responses.RequestsMock() as stub:
        stub.add(
            responses.POST, URL, status=201,
            json={"sid": CALL, "status": "queued", "account_sid": ACCOUNT},
        )
        call = Client(ACCOUNT, "token").calls.create(
            to="+15558675310",
            from_="+15005550006",
            url="https://app.test/voice",
            status_callback="https://app.test/status",
        )
    client = TestClient(app)
    answer = client.post("https://app.test/voice", data=PARAMS)
    assert b"<Say>Hello</Say>" in answer.data and call.sid == CALL
    assert client.post("https://app.test/status", data=DONE).status_code == 204

"""


#: Written beside the suites (every side has it): the CPU time of the test loop, from the
#: end of the first test (which imports the test's modules) to the end of the last.
LOOP_TIMER = """
import os
import time

import pytest

_ENDS = []


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_protocol(item, nextitem):
    result = yield
    _ENDS.append(time.process_time())
    return result


def pytest_unconfigure(config):
    out = os.environ.get("PER_TEST_LOOP")
    if out and len(_ENDS) > 1:
        with open(out, "w") as file:
            file.write(f"{(_ENDS[-1] - _ENDS[0]) / (len(_ENDS) - 1)!r}")
"""


#: Plugins of the dev extra that act on every test once installed (reseeding, a
#: ``responses`` mock activated around each test, Django's per-test fixtures): a user's
#: suite has them only if it chose them, and the project's own ``addopts`` turns them off.
QUIET_PLUGINS = (
    "-p",
    "no:cacheprovider",
    "-p",
    "no:randomly",
    "-p",
    "no:pytest-responses",
    "-p",
    "no:django",
)


def _suite(header: str, fixture: str, count: int) -> str:
    tests = "".join(f"def test_{i}({fixture}):\n    _one({fixture})\n\n\n" for i in range(count))
    return header + "\n" + tests


def write_suites(folder: Path, count: int) -> None:
    """The app and the suites, with ``count`` tests each (``test_<side>_<count>.py``)."""
    (folder / "bench_app.py").write_text(APP)
    (folder / "conftest.py").write_text(LOOP_TIMER)
    (folder / f"test_simulated_{count}.py").write_text(_suite(SIMULATED, "twimlsim", count))
    (folder / f"test_stub_{count}.py").write_text(_suite(STUB, "", count))
    empty = "".join(f"def test_{i}():\n    pass\n\n\n" for i in range(count))
    (folder / f"test_empty_{count}.py").write_text(empty)


def _children_cpu() -> float:
    """CPU seconds (user and system) used so far by this process's finished children."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _run(folder: Path, *args: str) -> tuple[float, float]:
    """The CPU seconds of one pytest run of ``args`` in a fresh process, and of each test
    of its test loop (``LOOP_TIMER``)."""
    command = [sys.executable, "-m", "pytest", "-q", *QUIET_PLUGINS, *args]
    loop = folder / "loop.txt"
    start = _children_cpu()
    done = subprocess.run(
        command,
        cwd=folder,
        capture_output=True,
        text=True,
        env={**os.environ, "PER_TEST_LOOP": str(loop)},
    )
    used = _children_cpu() - start
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout[-3000:]}{done.stderr}")
    return used, float(loop.read_text())


SIDES = {
    "empty": ("test_empty_{n}.py",),
    "stub": ("test_stub_{n}.py",),
    "twimlsim": ("test_simulated_{n}.py",),
    "twimlsim, freezing off": ("test_simulated_{n}.py", "-o", "twimlsim_freeze_time=false"),
}


def measure(rounds: int = ROUNDS) -> dict[str, tuple[float, float, float]]:
    """Each side's (seconds per test, one-off seconds of a run, seconds per test of the
    larger suite's test loop), pytest's own (an empty suite's) subtracted."""
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for count in (TESTS, FEW):
            write_suites(folder, count)
        runs = [(side, count) for side in SIDES for count in (TESTS, FEW)]

        def once(side: str, count: int) -> tuple[float, float]:
            args = [arg.format(n=count) for arg in SIDES[side]]
            return _run(folder, *args)

        for side, count in runs:  # warm the file system cache and bytecode
            once(side, count)
        times: dict[tuple[str, int], list[float]] = {run: [] for run in runs}
        loops: dict[str, list[float]] = {side: [] for side in SIDES}
        for _ in range(rounds):
            for side, count in runs:
                used, per_test = once(side, count)
                times[(side, count)].append(used)
                if count == TESTS:
                    loops[side].append(per_test)
    # Each round's slope is taken between its own two runs (run one after the other), and
    # the median of the rounds' slopes kept: load that drifts between rounds cancels.
    slope = {
        side: statistics.median(
            (many - few) / (TESTS - FEW)
            for many, few in zip(times[(side, TESTS)], times[(side, FEW)], strict=True)
        )
        for side in SIDES
    }
    fixed = {side: statistics.median(times[(side, FEW)]) - FEW * slope[side] for side in SIDES}
    loop = {side: statistics.median(values) for side, values in loops.items()}
    return {
        side: (
            slope[side] - slope["empty"],
            fixed[side] - fixed["empty"],
            loop[side] - loop["empty"],
        )
        for side in SIDES
    }


def main() -> list[Row]:
    measured = measure()
    stub, stub_fixed, stub_loop = measured["stub"]
    rows = [
        Row(
            f"per test{label}: {name}",
            measured[name][index] * 1e3,
            "ms",
            baseline=baseline * 1e3,
            baseline_name="responses stub",
            target=1.3 if name == "twimlsim" and index == 0 else None,
        )
        for label, index, baseline in (("", 0, stub), (", test loop", 2, stub_loop))
        for name in ("twimlsim", "twimlsim, freezing off")
    ]
    rows.append(
        Row(
            "per test: start-up of a run, twimlsim",
            measured["twimlsim"][1] * 1e3,
            "ms",
            baseline=stub_fixed * 1e3,
            baseline_name="responses stub",
        )
    )
    return rows


if __name__ == "__main__":
    for row in main():
        print(row.render())

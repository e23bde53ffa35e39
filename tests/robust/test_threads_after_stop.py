"""A thread the app started while a simulator ran, and that outlived it, reached the real
Twilio once the simulator had stopped (a ``threading.Timer`` updating the call later, an
executor's job still running as the test ended): with the app's own credentials under
``pytest --twimlsim``, a real call placed by a test that had passed. Its Twilio host
names now fail to resolve, naming the thread and what it outlived."""

from __future__ import annotations

import gc
import os
import socket
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from twimlsim import Simulator
from twimlsim.errors import NetworkEscapeError

pytest_plugins = ["pytester"]

CALLS = "https://api.twilio.com/2010-04-01/Accounts/{sid}/Calls.json"

REFUSED = (
    "twimlsim refused a connection to api.twilio.com:443 from the thread {thread!r}: it was "
    "started while {what} ran, and outlived it. With no simulator running this request "
    "would reach the real Twilio, with the credentials the app holds. End the thread "
    "before the simulator stops, before the test ends (join it, cancel its Timer, shut "
    "down its executor with wait=True): what it sends then reaches the simulator"
)


def in_thread(
    name: str, go: threading.Event, work: Callable[[], object]
) -> tuple[threading.Thread, list[object]]:
    """A thread named ``name`` that waits for ``go``, then runs ``work``; what it returned
    or raised lands in the list."""
    out: list[object] = []

    def run() -> None:
        go.wait(10)
        try:
            out.append(work())
        except BaseException as error:
            out.append(error)

    thread = threading.Thread(target=run, name=name)
    thread.start()
    return thread, out


def not_refused(host: str) -> bool:
    """Whether looking ``host`` up is let through (it may still fail: no network)."""
    return looked_up(host) == "let through"


def looked_up(host: str) -> str:
    """``let through`` (resolved, or failed for want of a network), or the first three
    words of twimlsim's ``NetworkEscapeError``."""
    try:
        socket.getaddrinfo(host, 443)
    except NetworkEscapeError as error:
        return " ".join(str(error).split()[:3])
    except OSError:
        pass
    return "let through"


def this_test() -> str:
    """The simulator of the test running, as a refusal names it."""
    return f"the simulator of the test {os.environ['PYTEST_CURRENT_TEST'].rpartition(' (')[0]}"


def test_a_thread_left_running_cannot_reach_twilio_once_the_simulator_stopped(
    caplog: pytest.LogCaptureFixture,
) -> None:
    go = threading.Event()
    with Simulator() as sim:
        sid = sim.account_sid
        thread, out = in_thread(
            "reminder", go, lambda: requests.post(CALLS.format(sid=sid), timeout=5)
        )
    go.set()
    thread.join(10)
    [error] = out
    assert isinstance(error, NetworkEscapeError)
    message = REFUSED.format(thread="reminder", what=this_test())
    assert str(error) == message
    assert [(r.name, r.levelname, r.getMessage()) for r in caplog.records] == [
        ("twimlsim", "WARNING", message)
    ]
    assert not_refused("api.twilio.com")  # the test's own thread is not concerned


def test_an_executor_job_still_running_is_refused_but_another_name_resolves() -> None:
    go = threading.Event()
    pool = ThreadPoolExecutor(thread_name_prefix="notifier")
    with Simulator():
        job = pool.submit(
            lambda: (go.wait(10), not_refused("localhost"), not_refused("api.twilio.com"))
        )
    go.set()
    assert job.result(10)[1:] == (True, False)
    pool.shutdown(wait=True)


def test_threads_started_before_the_simulator_are_not_concerned() -> None:
    go = threading.Event()
    thread, out = in_thread("older", go, lambda: not_refused("api.twilio.com"))
    with Simulator():
        pass
    go.set()
    thread.join(10)
    assert out == [True]


def test_a_thread_left_running_is_answered_by_the_next_simulator_running() -> None:
    go = threading.Event()
    with Simulator() as first:
        auth = (first.account_sid, first.auth_token)  # the next one's too: the same seed
        thread, out = in_thread(
            "poller",
            go,
            lambda: requests.get(CALLS.format(sid=auth[0]), auth=auth, timeout=5).json()["calls"],
        )
    with Simulator():
        go.set()
        thread.join(10)
    assert out == [[]]


def test_a_thread_left_by_an_inner_simulator_is_refused_once_the_outer_one_stops() -> None:
    inside, outside = threading.Event(), threading.Event()
    with Simulator(strict=False):  # the lookup it blocks is not the test's failure
        with Simulator():
            early, early_out = in_thread("early", inside, lambda: looked_up("api.twilio.com"))
            late, late_out = in_thread("late", outside, lambda: looked_up("api.twilio.com"))
        inside.set()
        early.join(10)
    outside.set()
    late.join(10)
    # while one runs, its guard blocks every thread's lookup of a Twilio host
    assert (early_out, late_out) == (
        ["twimlsim blocked a"],
        ["twimlsim refused a"],
    )


def test_a_simulator_outside_pytest_is_named_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PYTEST_CURRENT_TEST")
    go = threading.Event()
    with Simulator():
        thread, out = in_thread("script", go, lambda: socket.gethostbyname("api.twilio.com"))
    monkeypatch.undo()
    go.set()
    thread.join(10)
    assert [str(error) for error in out] == [
        REFUSED.format(thread="script", what="a simulator").replace(":443", "")
    ]


SUITE = """
import threading

import pytest
import requests

go = threading.Event()
left = []


def test_a_leaves_a_timer(twimlsim):
    sid = twimlsim.account_sid

    def remind():
        go.wait(10)
        try:
            requests.post(f"https://api.twilio.com/2010-04-01/Accounts/{sid}/Calls.json")
        except Exception as error:
            left.append(str(error))

    thread = threading.Thread(target=remind, name="remind")
    thread.start()
    left.append(thread)


@pytest.mark.no_twimlsim
def test_b_comes_after():
    go.set()
    left[0].join(10)
    print(left[1])
"""


def test_the_refusal_names_the_test_the_thread_outlived(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_left=SUITE)
    result = pytester.runpytest("-p", "no:randomly", "--twimlsim", "-s")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(
        [
            "*"
            + REFUSED.format(
                thread="remind",
                what="the simulator of the test test_left.py::test_a_leaves_a_timer",
            ).replace("[", "[[]")
        ]
    )


def test_the_check_comes_back_after_a_test_s_monkeypatch_of_the_lookup_is_undone() -> None:
    """A test that patches socket.getaddrinfo before its simulator starts takes the check
    away when its patch is undone: the next simulator to start puts it back."""
    original = socket.getaddrinfo
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket, "getaddrinfo", lambda *args, **kwargs: [])
        with Simulator():
            pass
    assert socket.getaddrinfo is original
    go = threading.Event()
    with Simulator():
        thread, out = in_thread("after", go, lambda: looked_up("api.twilio.com"))
    go.set()
    thread.join(10)
    assert out == ["twimlsim refused a"]


def test_the_checks_put_over_a_test_s_patch_of_the_lookup_go_with_it() -> None:
    """Each simulator started over a test's patch of socket.getaddrinfo wraps the patch:
    the check's record of its wrappers kept every one (and the test's patch in it) for the
    rest of the process."""
    from twimlsim.transports import left_behind

    with Simulator():  # the check is in place before counting
        pass
    gc.collect()
    kept = len(left_behind._WRAPPERS)
    for _ in range(5):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(socket, "getaddrinfo", lambda *args, **kwargs: [])
            with Simulator():
                pass
    gc.collect()
    assert len(left_behind._WRAPPERS) == kept

"""A thread of the app's left running by one simulator (a test's ``threading.Timer``)
that calls Twilio while the next one runs is answered by the next one, and its calls land
in that one's results: a warning names the thread and what it outlived, once. A pool's
worker, which runs whichever test's jobs it is given, is not named."""

from __future__ import annotations

import os
import socket
import socketserver
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from twimlsim import Simulator

CALLS = "https://api.twilio.com/2010-04-01/Accounts/{sid}/Calls.json"

pytest_plugins = ["pytester"]


def this_test() -> str:
    return os.environ["PYTEST_CURRENT_TEST"].rpartition(" (")[0]


def twimlsim_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "twimlsim"]


def test_a_timer_left_running_is_named_when_the_next_simulator_answers_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    go, done = threading.Event(), threading.Event()
    out: list[int] = []
    with Simulator() as first:
        sid, auth = first.account_sid, (first.account_sid, first.auth_token)

        def poll() -> None:
            for _ in range(2):  # named once, however many requests
                go.wait(10)
                out.append(requests.get(CALLS.format(sid=sid), auth=auth, timeout=5).status_code)
            done.set()

        timer = threading.Timer(0, poll)
        timer.name = "reminder"
        timer.start()
    with Simulator() as second:
        go.set()
        done.wait(10)
        timer.join(10)
        assert [r.url for r in second.api_requests] == [CALLS.format(sid=sid)] * 2
    assert out == [200, 200]
    assert twimlsim_warnings(caplog) == [
        f"the thread 'reminder', started while the simulator of the test {this_test()} ran "
        f"and left running when it stopped, sent GET {CALLS.format(sid=sid)} to the "
        f"simulator running now (the test {this_test()}): what it does shows in this "
        "simulator's results (its calls in sim.calls, its requests in sim.api_requests), not "
        "the ones it was started for. End the thread before the simulator that started it "
        "stops (join it, cancel its Timer)"
    ]


def test_a_pool_s_worker_reused_by_the_next_simulator_is_not_named(
    caplog: pytest.LogCaptureFixture,
) -> None:
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="jobs")
    try:
        with Simulator() as first:
            auth = (first.account_sid, first.auth_token)
            pool.submit(lambda: None).result(10)  # the worker starts here, and stays
        with Simulator():
            job = pool.submit(lambda: requests.get(CALLS.format(sid=auth[0]), auth=auth, timeout=5))
            assert job.result(10).status_code == 200
    finally:
        pool.shutdown(wait=True)
    assert twimlsim_warnings(caplog) == []


def test_a_thread_calling_while_its_own_simulator_runs_is_not_named(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with Simulator() as sim:
        auth = (sim.account_sid, sim.auth_token)
        thread = threading.Thread(
            target=lambda: requests.get(CALLS.format(sid=auth[0]), auth=auth, timeout=5),
            name="own",
        )
        thread.start()
        thread.join(10)
    assert twimlsim_warnings(caplog) == []


SUITE = """
import threading

import requests

go = threading.Event()
left = []


def test_a_leaves_a_timer(twimlsim):
    sid, auth = twimlsim.account_sid, (twimlsim.account_sid, twimlsim.auth_token)

    def place():
        go.wait(10)
        requests.post(
            f"https://api.twilio.com/2010-04-01/Accounts/{sid}/Calls.json",
            data={"To": "+15558675310", "From": "+15005550006", "Twiml": "<Response/>"},
            auth=auth,
        )

    thread = threading.Thread(target=place, name="late-call")
    thread.start()
    left.append(thread)


def test_b_sees_a_call_it_did_not_place(twimlsim):
    go.set()
    left[0].join(10)
    assert not twimlsim.api_requests, "a request of test_a's"
"""


def test_the_failing_test_s_log_names_the_thread_and_the_test(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_left=SUITE)
    result = pytester.runpytest("-p", "no:randomly", "--twimlsim")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "WARNING  twimlsim:left_behind.py:* the thread 'late-call', started while the "
            "simulator of the test test_left.py::test_a_leaves_a_timer ran and left running "
            "when it stopped, sent POST https://api.twilio.com/2010-04-01/Accounts/*/Calls.json "
            "to the simulator running now (the test "
            "test_left.py::test_b_sees_a_call_it_did_not_place): what it does shows in this "
            "simulator's results *"
        ]
    )


def test_a_live_server_s_request_thread_kept_alive_into_the_next_simulator_is_not_named(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A live server (pytest-django's, a werkzeug one) answers a kept-alive connection in
    the thread it started for it, whichever test sends the next request."""

    class Handler(socketserver.StreamRequestHandler):
        def handle(self) -> None:
            for line in self.rfile:
                sid, token = line.decode().split()
                answer = requests.get(CALLS.format(sid=sid), auth=(sid, token), timeout=5)
                self.wfile.write(b"%d\n" % answer.status_code)

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True).start()
    connection = socket.create_connection(("127.0.0.1", server.server_address[1]), timeout=5)
    replies = connection.makefile("rb")
    try:
        for _ in range(2):
            with Simulator() as sim:
                connection.sendall(f"{sim.account_sid} {sim.auth_token}\n".encode())
                assert replies.readline() == b"200\n"
    finally:
        connection.shutdown(socket.SHUT_RDWR)  # the handler's loop ends
        replies.close()
        connection.close()
        server.shutdown()
        server.server_close()
    assert twimlsim_warnings(caplog) == []

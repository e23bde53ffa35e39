"""A request the app's thread sent while the simulator ran, answered as it stops (it
waited for the run or REST request under way), is the simulator's own: it is answered and
kept, and no warning says the thread reached a later simulator."""

from __future__ import annotations

import logging
import sys
import threading
import time

import pytest

from twimlsim import Simulator


def waiting_for_the_simulator(thread: threading.Thread) -> bool:
    """Whether ``thread`` waits to take the simulator's lock (``EngineLock.__enter__``)."""
    frame = sys._current_frames().get(thread.ident or 0)
    while frame is not None:
        if frame.f_code.co_name == "__enter__" and frame.f_code.co_filename.endswith("lock.py"):
            return True
        frame = frame.f_back
    return False


def test_a_request_answered_as_the_simulator_stops_is_its_own(
    caplog: pytest.LogCaptureFixture,
) -> None:
    sim = Simulator().start()
    sim.number("+15005550006")
    client = sim.client()
    sids: list[str] = []

    def place() -> None:
        call = client.calls.create(
            to="+15558675310", from_="+15005550006", twiml="<Response><Say>Hi</Say></Response>"
        )
        sids.append(call.sid)

    caplog.set_level(logging.WARNING, logger="twimlsim")
    with sim._lock:  # a run or a REST request of another thread under way
        thread = threading.Thread(target=place, name="notifier")
        thread.start()
        deadline = time.monotonic() + 10
        while not waiting_for_the_simulator(thread) and time.monotonic() < deadline:
            time.sleep(0.001)
        assert waiting_for_the_simulator(thread)
        sim.stop()
    thread.join(10)
    assert sids == ["CAee4a56ad3092da64d5ba892549669298"]
    assert [(sid, call.status) for sid, call in sim.calls.items()] == [(sids[0], "queued")]
    assert [record.getMessage() for record in caplog.records] == []

"""Acceptance: an outbound dialer that paces its own calls, sleeping between creates so that
none waits in Twilio's queue, and polls a call's status with the same sleep. On the wall
clock its sleeps let no virtual time pass: its calls reach the simulator at one instant
and queue at the account's CPS, as an unpaced burst does on Twilio. Given a sleep that lets
virtual time pass (README, "Running a Twilio sample app"), it runs as on Twilio."""

from __future__ import annotations

import time
import types
from typing import Any

import pytest

from tests.engine.helpers import response, simulator
from tests.support import APP_URL, CALLER_ID

NUMBERS = ("+15557770001", "+15557770002", "+15557770003")
PACE = 0.05  # seconds between creates: the account's 20 calls a second
DIALER = f'''
import time


def dial(client, numbers):
    sids = []
    for number in numbers:
        if sids:
            time.sleep({PACE})  # stay under the account's CPS: nothing waits queued
        sids.append(client.calls.create(to=number, from_="{CALLER_ID}", url="{APP_URL}/voice").sid)
    return sids


def wait_for_end(client, sid):
    while client.calls(sid).fetch().status in ("queued", "ringing", "in-progress"):
        time.sleep(2)
    return client.calls(sid).fetch().status
'''


def dialer() -> Any:
    """The app's dialer module, with its own ``time`` name as imported."""
    module = types.ModuleType("dialer")
    exec(DIALER, module.__dict__)  # noqa: S102 - the app's module, written here
    return module


def queue_times(sim: Any, sids: list[str]) -> list[str]:
    return [sim.client().calls(sid).fetch().queue_time for sid in sids]


def starts(sim: Any, sids: list[str]) -> list[str]:
    """Each call's start time of day, to the microsecond (the REST API's is to the second)."""
    return [str(sim.calls[sid].record.start_time.time()) for sid in sids]


def test_its_sleeps_on_the_wall_clock_let_no_virtual_time_pass() -> None:
    with simulator({"/voice": response("<Say>Hi</Say>")}, cps=20) as (sim, _):
        sids = dialer().dial(sim.client(), NUMBERS)
        assert queue_times(sim, sids) == ["0", "50", "100"]
        sim.run()
        assert starts(sim, sids) == ["09:00:00", "09:00:00.050000", "09:00:00.100000"]


@pytest.mark.parametrize("advance_from", ["the test's thread", "a worker thread"])
def test_given_the_simulator_s_advance_as_its_sleep_it_runs_at_its_own_pace(
    advance_from: str,
) -> None:
    with simulator({"/voice": response("<Say>Hi</Say>")}, cps=20) as (sim, _):
        app = dialer()
        app.time = types.SimpleNamespace(sleep=sim.advance)  # its own time name only
        if advance_from == "a worker thread":  # as a web framework's task pool runs it
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(1) as pool:
                sids = pool.submit(app.dial, sim.client(), NUMBERS).result()
        else:
            sids = app.dial(sim.client(), NUMBERS)
        assert queue_times(sim, sids) == ["0", "0", "0"]
        # the calls went on while it slept, as on Twilio: the first two are answered
        assert [sim.calls[sid].status for sid in sids] == ["in-progress", "in-progress", "queued"]
        assert app.wait_for_end(sim.client(), sids[-1]) == "completed"
        assert starts(sim, sids) == ["09:00:00", "09:00:00.050000", "09:00:00.100000"]
        assert time.sleep is not sim.advance  # every other thread keeps the real one

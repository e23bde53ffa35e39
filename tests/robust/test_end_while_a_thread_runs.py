"""A simulation that ends (its with block, the fixture's teardown) while another thread's
run waits for the app's answer to a webhook is refused, as ``stop()`` is, and still ends:
it no longer answers Twilio's API nor freezes the clock, in this test or any later one."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

import pytest
from freezegun import api

from twimlsim import Simulator, freeze
from twimlsim.errors import ConfigurationError

pytest_plugins = ["pytester"]

REFUSED = (
    "sim.stop() was called from another thread while thread 'runner' runs the simulation, "
    "waiting for the app's answer to the webhook https://app.test/voice: one thread runs "
    "calls at a time. Run calls (sim.run(), sim.advance(), call.run()) from one thread; the "
    "others may place and change calls through the REST API and give input (call.press()...)"
)
ENDED = (
    "The simulation ended all the same (its with block or test ended): twimlsim no longer "
    "answers Twilio's API nor freezes the app's clock, and the run goes on without them; "
    "join the thread that runs calls before the simulation ends"
)


def test_a_with_block_ended_while_a_thread_runs_calls_ends_the_simulation() -> None:
    asked, answer = threading.Event(), threading.Event()

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        asked.set()
        answer.wait(10)
        start_response("200 OK", [("Content-Type", "text/xml")])
        return [b"<Response><Say>Late.</Say></Response>"]

    ran: list[BaseException | None] = []

    def run(sim: Simulator) -> None:
        try:
            sim.run()
            ran.append(None)
        except BaseException as error:
            ran.append(error)

    sim = Simulator()
    runner = threading.Thread(target=run, args=(sim,), name="runner")
    with pytest.raises(ConfigurationError) as refused, sim:  # refused at the block's end
        sim.route("https://app.test", app)
        sim.number("+15005550006")
        sim.client().calls.create(
            to="+15558675310", from_="+15005550006", url="https://app.test/voice"
        )
        runner.start()
        assert asked.wait(10)
    assert (str(refused.value), refused.value.__notes__) == (REFUSED, [ENDED])
    assert (sim.running, api.freeze_factories, freeze._FROZEN) == (False, [], [])
    assert time.time is api.real_time
    answer.set()
    runner.join(10)
    assert ran == [None]
    assert [call.said for call in sim.calls.values()] == [["Late."]]


def test_a_fixture_torn_down_while_a_thread_runs_calls_leaves_nothing_to_later_tests(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        test_left="""
import threading, time
from freezegun import api

answer = threading.Event()

def app(environ, start_response):
    answer.wait(10)
    start_response("200 OK", [("Content-Type", "text/xml")])
    return [b"<Response><Say>Late.</Say></Response>"]

def test_leaves_a_run_in_a_thread(twimlsim):
    twimlsim.route("https://app.test", app)
    twimlsim.number("+15005550006")
    twimlsim.client().calls.create(
        to="+15558675310", from_="+15005550006", url="https://app.test/voice")
    threading.Thread(target=twimlsim.run, name="runner", daemon=True).start()
    while not twimlsim.engine.answering:
        time.sleep(0.001)

def test_later():
    answer.set()
    assert api.freeze_factories == []
    assert time.time is api.real_time
"""
    )
    result = pytester.runpytest_subprocess("-p", "no:randomly")
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines([f"E   *{ENDED}"])

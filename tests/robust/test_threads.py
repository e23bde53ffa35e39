"""One simulator used from several threads: calls placed at once, a run while another
thread places calls, an app whose webhook waits for a thread of its own."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from fixtures.twiml_app import TwimlApp
from tests.support import APP_URL, CALLEE, CALLER_ID, account_api
from twimlsim import Simulator
from twimlsim.errors import ConfigurationError

PAUSE = "<Response><Pause length='2'/></Response>"


@pytest.fixture(autouse=True)
def switch_threads_often() -> Iterator[None]:
    """Let threads interleave at nearly every bytecode, as a loaded machine would."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(interval)


def place(sim: Simulator, index: int) -> str:
    created = account_api(
        sim, "POST", "/Calls.json", To=f"+1555867{index:04d}", From=CALLER_ID, Twiml=PAUSE
    )
    assert created.status_code == 201, created.text
    sid: str = created.json()["sid"]
    return sid


def test_calls_placed_from_eight_threads_at_once_are_each_placed_once() -> None:
    with Simulator() as sim:
        sim.number(CALLER_ID)
        with ThreadPoolExecutor(8) as pool:
            sids = list(pool.map(lambda index: place(sim, index), range(80)))
        assert len(set(sids)) == 80 and set(sids) == set(sim.calls)
        queued = sorted(sim.calls[sid].record.queue_time_ms for sid in sids)
        assert queued == [index * 1000 for index in range(80)]  # one a second, no two alike
        sim.run()
        assert {call.status for call in sim.calls.values()} == {"completed"}
        assert sim.now - sim.clock.start == timedelta(seconds=79 + 2)


def test_time_runs_in_one_thread_while_another_places_calls() -> None:
    with Simulator() as sim:
        sim.number(CALLER_ID)
        placer = threading.Thread(target=lambda: [place(sim, index) for index in range(60)])
        placer.start()
        while placer.is_alive():
            sim.advance(0.5)
        placer.join()
        sim.run()
        assert len(sim.calls) == 60
        assert {call.status for call in sim.calls.values()} == {"completed"}
        assert all(call.duration == 2 for call in sim.calls.values())


def test_a_webhook_that_waits_for_a_thread_placing_a_call_does_not_hang() -> None:
    placed: list[str] = []
    with Simulator() as sim:

        def voice(form: dict[str, str]) -> str:
            worker = threading.Thread(target=lambda: placed.append(place(sim, 1)))
            worker.start()
            worker.join(timeout=10)
            assert not worker.is_alive()
            return "<Response><Say>Placed</Say></Response>"

        sim.route(APP_URL, TwimlApp({"/voice": voice}))
        sim.number(CALLER_ID, voice_url=f"{APP_URL}/voice")
        caller = sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        sim.run()
        (sid,) = placed
        assert (caller.said, caller.status) == (["Placed"], "completed")
        assert (sim.calls[sid].status, sim.calls[sid].duration) == ("completed", 2)


def test_runs_started_from_three_threads_at_once_run_every_call_once() -> None:
    with Simulator() as sim:
        sim.number(CALLER_ID)
        sids = [place(sim, index) for index in range(30)]
        failed: list[BaseException] = []

        def run() -> None:
            try:
                sim.run()
            except BaseException as error:  # noqa: BLE001 - reported below
                failed.append(error)

        runners = [threading.Thread(target=run) for _ in range(3)]
        for runner in runners:
            runner.start()
        for runner in runners:
            runner.join()
        assert failed == []
        assert [sim.calls[sid].status for sid in sids] == ["completed"] * 30
        assert sum(len(sim.calls[sid].transcript) for sid in sids) == 30 * 3
        assert sim.now - sim.clock.start == timedelta(seconds=29 + 2)


def test_calls_placed_at_once_with_the_async_client_are_each_placed_once() -> None:
    import asyncio

    from twilio.http.async_http_client import AsyncTwilioHttpClient
    from twilio.rest import Client

    async def place_all(sim: Simulator) -> list[str]:
        async with AsyncTwilioHttpClient() as http_client:
            client = Client(sim.account_sid, sim.auth_token, http_client=http_client)
            calls = await asyncio.gather(
                *(
                    client.calls.create_async(
                        to=f"+1555867{index:04d}", from_=CALLER_ID, twiml=PAUSE
                    )
                    for index in range(20)
                )
            )
            return [str(call.sid) for call in calls]

    with Simulator() as sim:
        sim.number(CALLER_ID)
        sids = asyncio.run(place_all(sim))
        assert len(set(sids)) == 20 and set(sids) == set(sim.calls)
        sim.run()
        assert [sim.calls[sid].status for sid in sids] == ["completed"] * 20
        assert sim.now - sim.clock.start == timedelta(seconds=19 + 2)


def test_a_request_that_waited_while_the_world_was_reset_reaches_the_new_world() -> None:
    with Simulator() as sim:
        sim.number(CALLER_ID)
        placed: list[str] = []
        with sim._lock:  # as a run in another thread would hold it
            placer = threading.Thread(target=lambda: placed.append(place(sim, 1)))
            placer.start()
            placer.join(0.3)  # the request now waits for the lock
            sim.reset()
            sim.number(CALLER_ID)
        placer.join(5)
        assert list(sim.calls) == placed  # not lost in the forgotten world


def test_a_second_thread_running_calls_while_a_webhook_is_out_is_told_why() -> None:
    arrived, release = threading.Event(), threading.Event()

    def slow(form: dict[str, str]) -> str:
        arrived.set()
        release.wait(5)
        return "<Response><Say>Hi</Say></Response>"

    with Simulator() as sim:
        sim.route(APP_URL, TwimlApp({"/voice": slow}))
        sim.number(CALLER_ID, voice_url=f"{APP_URL}/voice")
        call = sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        runner = threading.Thread(target=sim.run, name="runner")
        runner.start()
        try:
            assert arrived.wait(5)
            with pytest.raises(ConfigurationError) as refused:
                sim.advance(1)
        finally:
            release.set()
            runner.join(5)
        assert str(refused.value) == (
            "sim.advance(1) was called from another thread while thread 'runner' runs the "
            f"simulation, waiting for the app's answer to the webhook {APP_URL}/voice: one "
            "thread runs calls at a time. Run calls (sim.run(), sim.advance(), call.run()) "
            "from one thread; the others may place and change calls through the REST API and "
            "give input (call.press()...)"
        )
        assert (call.said, call.status) == (["Hi"], "completed")


def test_after_a_reset_requests_still_take_their_turn() -> None:
    with Simulator() as sim:
        sim.reset()
        sim.number(CALLER_ID)
        placed: list[str] = []
        with sim._lock:  # as a run in another thread would hold it
            placer = threading.Thread(target=lambda: placed.append(place(sim, 1)))
            placer.start()
            placer.join(0.3)
            assert placer.is_alive() and placed == []  # waiting for its turn
        placer.join(5)
        assert list(sim.calls) == placed


def test_a_second_simulator_started_in_another_thread_while_one_runs_is_refused() -> None:
    refused: list[BaseException] = []

    def start_another() -> None:
        try:
            Simulator().start()
        except ConfigurationError as error:
            refused.append(error)

    with Simulator() as first:
        other = threading.Thread(target=start_another, name="second")
        other.start()
        other.join(5)
        first.number(CALLER_ID)
        sid = place(first, 1)  # the first simulator still answers
        assert list(first.calls) == [sid]
    assert [str(error) for error in refused] == [
        f"a simulator is already running in thread {threading.current_thread().name!r}, "
        "and this one starts in thread 'second': Twilio's API is answered by the simulator "
        "started last and the app's clock is frozen for the whole process, so the two would "
        "take each other's requests. Run the simulators one after the other, share one "
        "simulator between the threads, or run tests in parallel processes (pytest-xdist's "
        "-n), not threads"
    ]
    later = Simulator()
    after = threading.Thread(target=later.start)
    after.start()
    after.join(5)
    try:
        assert later.running  # once the first stopped, another thread may start one
    finally:
        later.stop()


def test_a_simulator_left_running_by_a_finished_thread_does_not_block_another() -> None:
    left = Simulator()
    starter = threading.Thread(target=left.start)
    starter.start()
    starter.join(5)
    try:
        with Simulator() as sim:
            sim.number(CALLER_ID)
            sid = place(sim, 1)
            assert list(sim.calls) == [sid]
    finally:
        left.stop()


class EndedMeanwhile(list[str]):
    """The webhooks under way as another thread's run ends its last one: still truthy when
    looked at, empty by the time it is read."""

    def __bool__(self) -> bool:
        return True


def test_stopping_as_another_threads_webhook_ends_does_not_fail_on_the_ended_webhook() -> None:
    sim = Simulator().start()
    sim.engine.answering = EndedMeanwhile()  # it raised IndexError reading the webhook's URL
    sim.stop()
    assert not sim.running


def test_stop_from_another_thread_waits_for_the_run_under_way() -> None:
    """Stopped in the middle of a run of another thread, the simulator went on running its
    calls with nothing intercepting: the app's requests to Twilio went past it."""
    sim = Simulator().start()
    stopper = threading.Thread(target=sim.stop, name="stopper")
    with sim._lock:  # as a run in this thread holds it between webhooks
        stopper.start()
        stopper.join(0.05)
        assert (stopper.is_alive(), sim.running) == (True, True)
    stopper.join(5)
    assert (stopper.is_alive(), sim.running) == (False, False)

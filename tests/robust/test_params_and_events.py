"""Whitespace in URLs and non-ASCII digits are refused as Twilio refuses them; the
scheduler counts only the events still to run and frees what cancelled ones held."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import requests

from fixtures.twiml_app import TwimlApp
from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim import Simulator
from twimlsim.clock import Scheduler, VirtualClock


def create(sim: Simulator, **form: str) -> requests.Response:
    return requests.post(
        f"https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}/Calls.json",
        data={"To": CALLEE, "From": CALLER_ID, **form},
        auth=(sim.account_sid, sim.auth_token),
        timeout=5,
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://app.test/vo ice",
        "https://app.test/voice\t",
        " https://app.test/voice",
        "https://app.test/voice\nX-Injected: 1",
        "https://app.test/voice\u00a0",
    ],
)
def test_whitespace_in_url_is_21205(url: str) -> None:
    with Simulator() as sim:
        sim.number(CALLER_ID)
        answer = create(sim, Url=url)
    assert (answer.status_code, answer.json()["code"], answer.json()["message"]) == (
        400,
        21205,
        f"Url is not a valid URL: {url}",
    )


@pytest.mark.parametrize("status_callback", ["https://app.test/st atus"])
def test_whitespace_in_status_callback_is_21609(status_callback: str) -> None:
    with Simulator() as sim:
        sim.number(CALLER_ID)
        answer = create(sim, Url=f"{APP_URL}/voice", StatusCallback=status_callback)
    assert (answer.status_code, answer.json()["code"]) == (400, 21609)


@pytest.mark.parametrize("timeout", ["٣٠", "３０", "3\u0660"])
def test_non_ascii_digits_in_timeout_are_21208(timeout: str) -> None:
    with Simulator() as sim:
        sim.number(CALLER_ID)
        answer = create(sim, Url=f"{APP_URL}/voice", Timeout=timeout)
    assert (answer.status_code, answer.json()["code"], answer.json()["message"]) == (
        400,
        21208,
        f"Timeout is not a valid integer between 1 and 600: {timeout}",
    )


def test_ascii_timeout_still_accepted() -> None:
    with Simulator() as sim:
        sim.number(CALLER_ID)
        assert create(sim, Url=f"{APP_URL}/voice", Timeout=" 30 ").status_code == 201


def one_long_call_and_short_ones(sim: Simulator, short: int) -> None:
    """An hour-long call and ``short`` calls that end at once, placed and run a minute."""
    app = TwimlApp(
        {"/long": '<Response><Pause length="3600"/></Response>', "/short": "<Response/>"}
    )
    sim.route(APP_URL, app)
    sim.number(CALLER_ID)
    client = sim.client()
    client.calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/long")
    for _ in range(short):
        client.calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/short")
    sim.advance(60)


def test_pending_events_exclude_cancelled_timers_of_ended_calls() -> None:
    with Simulator(cps=100, freeze_time=False) as sim:
        one_long_call_and_short_ones(sim, 50)
        live = [call for call in sim.calls.values() if not call.ended]
        assert len(live) == 1
        # the live call's Pause and its TimeLimit; nothing of the 50 ended calls
        assert len(sim.scheduler) == 2


def test_cancelled_timers_are_compacted_and_free_their_action() -> None:
    scheduler = Scheduler(VirtualClock(datetime(2026, 1, 1, tzinfo=UTC)))
    held = object()
    timers = [scheduler.call_later(3600, lambda: print(held)) for _ in range(2000)]
    for timer in timers[:250]:
        timer.cancel()
    assert (len(scheduler), len(scheduler._heap), scheduler.cancelled_in_heap) == (1750, 2000, 250)
    timers[250].cancel()  # more than an eighth: shed at once, without waiting for a new event
    assert (len(scheduler), len(scheduler._heap), scheduler.cancelled_in_heap) == (1749, 1749, 0)
    for timer in timers[251:]:
        timer.cancel()
    assert (len(scheduler), len(scheduler._heap), scheduler.cancelled_in_heap) == (0, 0, 0)
    assert all(timer.action.__name__ == "_nothing" for timer in timers)
    ran: list[int] = []
    scheduler.call_later(1, lambda: ran.append(1))
    timers[0].cancel()  # cancelling twice changes nothing
    assert (len(scheduler._heap), scheduler.cancelled_in_heap) == (1, 0)
    scheduler.run_until_idle()
    assert (ran, len(scheduler)) == ([1], 0)


def test_the_heap_sheds_cancelled_timers_once_they_are_an_eighth_of_it() -> None:
    scheduler = Scheduler(VirtualClock(datetime(2026, 1, 1, tzinfo=UTC)))
    for _ in range(1000):
        scheduler.call_later(60, lambda: None)
    doomed = [scheduler.call_later(3600, lambda: None) for _ in range(150)]
    for timer in doomed[:143]:
        timer.cancel()
    assert (len(scheduler._heap), scheduler.cancelled_in_heap) == (1150, 143)  # under 1/8
    doomed[143].cancel()  # 144 of 1,150: more than an eighth, shed
    assert (len(scheduler._heap), scheduler.cancelled_in_heap) == (1006, 0)


def test_a_small_heap_keeps_no_more_cancelled_timers_than_events_to_run() -> None:
    scheduler = Scheduler(VirtualClock(datetime(2026, 1, 1, tzinfo=UTC)))
    live = [scheduler.call_later(60, lambda: None) for _ in range(3)]
    doomed = [scheduler.call_later(3600, lambda: None) for _ in range(4)]
    for timer in doomed[:3]:
        timer.cancel()
    assert (len(scheduler._heap), scheduler.cancelled_in_heap) == (7, 3)
    doomed[3].cancel()  # 4 of 7
    assert (len(scheduler._heap), scheduler.cancelled_in_heap) == (3, 0)
    assert [entry[2] for entry in sorted(scheduler._heap)] == live


def test_ended_calls_keep_no_timers_and_few_stay_in_the_heap() -> None:
    with Simulator(cps=100, freeze_time=False) as sim:
        one_long_call_and_short_ones(sim, 200)
        ended = [call for call in sim.calls.values() if call.ended]
        assert len(ended) == 200
        assert all(call.time_limit_timer is None and call.timers == [] for call in ended)
        # each ended call cancelled a four-hour time limit: no more are left than the
        # live call's two events (they were 136 before, waiting for a new event)
        assert len(sim.scheduler) == 2
        in_heap = [entry[2] for entry in sim.scheduler._heap]
        assert sum(timer.cancelled for timer in in_heap) == sim.scheduler.cancelled_in_heap
        assert sim.scheduler.cancelled_in_heap <= 2

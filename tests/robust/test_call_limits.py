"""Twilio's call queue limit (22005), and the bound on a run whose calls place calls."""

from __future__ import annotations

import pytest
import requests

from fixtures.twiml_app import TwimlApp
from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim import RunawayCalls, Simulator
from twimlsim.errors import ConfigurationError

HANG_UP = "<Response><Hangup/></Response>"


def create(sim: Simulator, **form: str) -> requests.Response:
    return requests.post(
        f"https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}/Calls.json",
        data={"To": CALLEE, "From": CALLER_ID, "Twiml": HANG_UP, **form},
        auth=(sim.account_sid, sim.auth_token),
        timeout=5,
    )


def queue_full(sim: Simulator, calls: str) -> dict[str, object]:
    return {
        "code": 22005,
        "message": "Call Queue Full: there are more than 24 hours of calls in the call queue "
        f"of account {sim.account_sid} (at {sim.account.cps:g} calls per second, {calls} "
        "calls); calls are not accepted until the queue shortens. Place fewer calls at once, "
        "or raise the account's CPS",
        "more_info": "https://www.twilio.com/docs/errors/22005",
        "status": 400,
    }


def test_a_call_that_would_wait_24_hours_is_refused_with_22005() -> None:
    with Simulator(freeze_time=False) as sim:
        sim.number(CALLER_ID)
        # at 1 CPS the queue holds 86,400 calls: the next would wait 86,399 s, then 86,400 s
        sim.account.next_slot_us = 86_399 * 1_000_000
        accepted = create(sim)
        assert (accepted.status_code, accepted.json()["queue_time"]) == (201, "86399000")
        refused = create(sim)
        assert (refused.status_code, refused.json()) == (400, queue_full(sim, "86,400"))
        assert len(sim.calls) == 1
        sim.advance(1)  # one call left the queue: there is room again
        assert create(sim).status_code == 201


def test_the_queue_limit_scales_with_the_accounts_cps() -> None:
    with Simulator(cps=0.001, freeze_time=False) as sim:
        sim.number(CALLER_ID)
        statuses = [create(sim).status_code for _ in range(88)]
        assert statuses == [201] * 87 + [400]
        assert create(sim).json() == queue_full(sim, "87")


def storm_app(sim: Simulator) -> TwimlApp:
    """Every call's voice webhook places two more calls."""

    def voice(form: dict[str, str]) -> str:
        client = sim.client()
        for _ in range(2):
            client.calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice")
        return "<Response><Say>again</Say></Response>"

    return TwimlApp({"/voice": voice})


@pytest.mark.parametrize("strict", [True, False])
def test_a_run_whose_calls_place_calls_stops_with_the_cause(strict: bool) -> None:
    with Simulator(strict=strict, max_calls_per_run=20, cps=100) as sim:
        sim.route(APP_URL, storm_app(sim))
        sim.number(CALLER_ID)
        sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice")
        with pytest.raises(RunawayCalls) as stopped:
            sim.run()
        assert sim.engine.calls_created == 1 + 22  # the event that passed 20 made two
        live = sum(not call.ended for call in sim.calls.values())
        newest = list(sim.calls)[-1]
        message = (
            f"run stopped after 20 calls were created while it ran ({live} calls are still "
            "queued or live): the app's webhooks keep placing calls (does each call place "
            "another?). Fix the app, or allow more with Simulator(max_calls_per_run=...)"
        )
        assert str(stopped.value) == f"the run was stopped:\n  call {newest}: {message}"
        assert [(f.call_sid, f.code, f.message) for f in sim.failures] == [(newest, None, message)]
        sim.route(APP_URL, TwimlApp({"/voice": HANG_UP}))
        sim.run()  # a later run goes on where the stopped one left off
        assert all(call.ended for call in sim.calls.values())


def test_max_calls_per_run_must_be_positive() -> None:
    with pytest.raises(ConfigurationError) as refused:
        Simulator(max_calls_per_run=0)
    assert str(refused.value) == (
        "Simulator(max_calls_per_run=...): max_calls_per_run must be 1 or more, got 0; give "
        "the most calls one sim.run() may create, such as 5000"
    )

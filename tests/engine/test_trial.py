"""Trial accounts once calls run: the 10-minute limit (13805), <Dial> only to verified
numbers (14111), calls received only from verified numbers."""

from __future__ import annotations

import pytest

from fixtures.twiml_app import TwimlApp
from tests.engine.helpers import place, response, simulator
from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim import Simulator
from twimlsim.errors import ConfigurationError

AGENT = "+15551230001"
DESK = "+15551230002"


def test_a_trial_call_ends_after_ten_minutes_with_warning_13805() -> None:
    routes = {"/voice": response('<Pause length="900"/><Say>never heard</Say>')}
    with simulator(routes, strict=False, trial=True) as (sim, app):
        sim.verified_caller_id(CALLEE)
        call = place(sim, time_limit=3600)
        sim.run()
        assert (call.status, call.duration, call.said) == ("completed", 600, [])
        assert [(f.code, f.level, f.url) for f in sim.failures] == [
            (13805, "warning", f"{APP_URL}/voice")
        ]


def test_a_trial_call_shorter_than_ten_minutes_is_untouched() -> None:
    routes = {"/voice": response('<Pause length="590"/><Say>Bye</Say>')}
    with simulator(routes, trial=True) as (sim, app):
        sim.verified_caller_id(CALLEE)
        call = place(sim)
        sim.run()
        assert (call.duration, call.said, sim.failures) == (591, ["Bye"], [])


def test_a_paid_call_with_a_ten_minute_time_limit_gets_no_trial_warning() -> None:
    routes = {"/voice": response('<Pause length="900"/>')}
    with simulator(routes) as (sim, app):
        call = place(sim, time_limit=600)
        sim.run()
        assert (call.status, call.duration, sim.failures) == ("completed", 600, [])


def test_a_trial_dial_reaches_only_verified_numbers() -> None:
    routes = {
        "/voice": response(
            f'<Dial><Number statusCallback="/leg">{AGENT}</Number></Dial>'
            f'<Dial action="/after"><Number>{DESK}</Number><Client>joey</Client></Dial>'
        ),
    }
    with simulator(routes, strict=False, trial=True) as (sim, app):
        sim.verified_caller_id(CALLEE)
        sim.verified_caller_id(DESK)
        sim.phone(DESK).hangs_up(after=3)
        sim.phone("client:joey").answers(after=2)  # placed (clients are allowed), then canceled
        call = place(sim)
        sim.run()
        refused, verified, client = call.children
        assert (refused.record.to, refused.status) == (AGENT, "failed")
        assert [(f.code, f.level, f.call_sid) for f in sim.failures] == [
            (14111, "warning", refused.sid)
        ]
        assert [(r.kind, r.params["CallStatus"]) for r in refused.requests] == [
            ("status", "failed")
        ]
        assert (verified.status, client.status) == ("completed", "canceled")
        assert call.requests[-1].params["DialCallStatus"] == "completed"


def test_a_trial_account_receives_calls_only_from_verified_numbers() -> None:
    with simulator({}, trial=True) as (sim, app):
        with pytest.raises(ConfigurationError, match="receives calls only from its verified"):
            sim.incoming_call(from_=AGENT, to=CALLER_ID)
        sim.verified_caller_id(AGENT)
        call = sim.incoming_call(from_=AGENT, to=CALLER_ID)
        sim.run()
        assert call.status == "completed"


def test_a_trial_subaccounts_number_dialled_from_an_unverified_caller_fails() -> None:
    # Twilio's trial page: "You can only make or receive calls from verified numbers";
    # sim.incoming_call refuses such a caller, and a <Dial> from another account's call
    # reaches no app either: the leg fails, and the Dial reports it
    routes = {
        "/voice": response(f'<Dial action="/dialed">{DESK}</Dial>'),
        "/dialed": response("<Hangup/>"),
        "/desk": response("<Say>Desk</Say>"),
    }
    with simulator(routes) as (sim, app):
        tenant = sim.subaccount("Tenant", trial=True)
        sim.number(DESK, voice_url=f"{APP_URL}/desk", account=tenant)
        caller = sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        sim.run()
    [leg] = caller.children
    assert (leg.status, leg.duration, leg.record.to) == ("failed", 0, DESK)
    assert [c.record.to for c in sim.calls.values()] == [CALLER_ID, DESK]  # no desk call
    dialed = caller.requests[1]
    assert (dialed.url, dialed.params["DialCallStatus"], dialed.params["DialCallSid"]) == (
        f"{APP_URL}/dialed",
        "failed",
        leg.sid,
    )


def test_a_trial_subaccounts_number_takes_a_verified_caller_dialled_through() -> None:
    routes = {
        "/voice": response(f"<Dial>{DESK}</Dial>"),
        "/desk": response("<Say>Desk</Say>"),
    }
    # a Simulator of its own: the desk's call is the subaccount's, signed with its token
    with Simulator() as sim:
        sim.route(APP_URL, TwimlApp(routes))  # type: ignore[arg-type]
        sim.number(CALLER_ID, voice_url=f"{APP_URL}/voice")
        tenant = sim.subaccount("Tenant", trial=True)
        sim.number(DESK, voice_url=f"{APP_URL}/desk", account=tenant)
        sim.verified_caller_id(CALLEE, account=tenant)
        caller = sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        sim.run()
    [desk] = [c for c in sim.calls.values() if c.record.to == DESK and c is not caller.children[0]]
    assert (desk.record.account_sid, desk.said, caller.children[0].status) == (
        tenant.sid,
        ["Desk"],
        "completed",
    )

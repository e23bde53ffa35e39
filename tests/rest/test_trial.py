"""Trial accounts: calls only to verified numbers (21219), subaccounts, the Account type."""

from __future__ import annotations

import pytest
import requests

from tests.rest.test_edges import api, assert_error
from tests.support import CALLEE, CALLER_ID
from twimlsim import Simulator

SAY = "<Response><Say>Hi</Say></Response>"


@pytest.fixture
def trial() -> Simulator:
    with Simulator(trial=True) as sim:
        sim.number(CALLER_ID)
        yield sim  # type: ignore[misc]


def test_a_call_to_an_unverified_number_is_refused_and_nothing_is_placed(trial: Simulator) -> None:
    form = {"To": "(555) 867-5310", "From": CALLER_ID, "Twiml": SAY}
    response = api(trial, "POST", "/2010-04-01/Accounts/{ac}/Calls.json", form)
    assert_error(
        response,
        400,
        21219,
        "The number +15558675310 is unverified. Trial accounts may only make calls to "
        "verified numbers.",
    )
    assert trial.calls == {} and trial.account.calls == {}


def test_verified_numbers_clients_and_sip_may_be_called(trial: Simulator) -> None:
    trial.verified_caller_id(CALLEE)
    client = trial.client()
    sids = [
        client.calls.create(to=to, from_=CALLER_ID, twiml=SAY).sid
        for to in (CALLEE, "client:joey", "sip:pat@example.com")
    ]
    trial.run()
    assert [trial.calls[sid].status for sid in sids] == ["completed"] * 3


def test_the_from_rule_comes_first(trial: Simulator) -> None:
    form = {"To": CALLEE, "From": "+15551230000", "Twiml": SAY}
    response = api(trial, "POST", "/2010-04-01/Accounts/{ac}/Calls.json", form)
    assert response.json()["code"] == 21210


def test_subaccounts_of_a_trial_account_are_trials(trial: Simulator) -> None:
    sub = trial.subaccount()
    full = trial.subaccount(trial=False)
    assert (sub.trial, full.trial) == (True, False)
    created = requests.post(
        "https://api.twilio.com/2010-04-01/Accounts.json",
        data={"FriendlyName": "by REST"},
        auth=(trial.account_sid, trial.auth_token),
        timeout=5,
    ).json()
    assert created["type"] == "Trial"
    assert trial.client().api.accounts(full.sid).fetch().type == "Full"


def test_a_full_account_may_open_a_trial_subaccount() -> None:
    with Simulator() as sim:
        sub = sim.subaccount(trial=True)
        sim.number(CALLER_ID, account=sub)
        form = {"To": CALLEE, "From": CALLER_ID, "Twiml": SAY}
        response = api(
            sim,
            "POST",
            f"/2010-04-01/Accounts/{sub.sid}/Calls.json",
            form,
            auth=(sub.sid, sub.auth_token),
        )
        assert response.json()["code"] == 21219
        assert sim.client().api.accounts(sim.account_sid).fetch().type == "Full"


def test_a_message_to_an_unverified_number_is_refused_and_to_a_verified_one_kept(
    trial: Simulator,
) -> None:
    form = {"To": CALLEE, "From": CALLER_ID, "Body": "Reminder"}
    assert_error(
        api(trial, "POST", "/2010-04-01/Accounts/{ac}/Messages.json", form),
        400,
        21608,
        f"The number {CALLEE} is unverified. Trial accounts cannot send messages to unverified "
        f"numbers; verify {CALLEE} at twilio.com/user/account/phone-numbers/verified, or "
        "purchase a Twilio number to send messages to unverified numbers.",
    )
    trial.verified_caller_id(CALLEE)
    sent = trial.client().messages.create(CALLEE, from_=CALLER_ID, body="Reminder")
    assert [m.sid for m in trial.client().messages.list()] == [sent.sid]

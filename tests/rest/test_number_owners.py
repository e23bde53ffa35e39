"""A call to a number rings in the account that owns it, and a number takes only its own
account's TwiML Apps: subaccounts and accounts opened for a suite's own credentials."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from flask import Flask, request
from twilio.base.exceptions import TwilioRestException
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from tests.support import CALLEE
from twimlsim import Simulator
from twimlsim.errors import ConfigurationError

TRACKING = "https://tracking.test"
#: The suite's own account, unknown to the simulator until the app's client names it.
SUITE_SID = "AC" + "0123456789abcdef" * 2
BOUGHT = "+14155550100"


def tracking_app() -> Flask:
    """A call-tracking app's forwarding view: it records which account the call is for."""
    app = Flask(__name__)

    @app.post("/forward")
    def forward() -> tuple[str, dict[str, str]]:
        reached = app.config.setdefault("accounts", [])
        reached.append(f"{request.form['AccountSid']} {request.form['To']}")
        return "<Response><Say>Forwarding</Say></Response>", {"Content-Type": "text/xml"}

    return app


def test_an_incoming_call_to_a_subaccounts_number_rings_in_the_subaccount() -> None:
    app = tracking_app()
    with Simulator() as sim:
        sim.route(TRACKING, app)
        tenant = sim.subaccount("Tenant")
        sim.number(BOUGHT, voice_url=f"{TRACKING}/forward", account=tenant)
        call = sim.incoming_call(from_=CALLEE, to=BOUGHT)
        sim.run()
        fetched = Client(tenant.sid, tenant.auth_token).calls(call.sid).fetch()
    assert call.said == ["Forwarding"]
    assert app.config["accounts"] == [f"{tenant.sid} {BOUGHT}"]
    assert (fetched.account_sid, fetched.to, fetched.direction) == (tenant.sid, BOUGHT, "inbound")
    voice = call.requests[0]
    signed = [
        RequestValidator(token).validate(
            voice.url, voice.params, voice.headers["X-Twilio-Signature"]
        )
        for token in (tenant.auth_token, sim.auth_token)
    ]
    assert signed == [True, False]  # signed with the owning account's token


def test_a_trial_subaccounts_number_takes_only_its_own_verified_callers() -> None:
    with Simulator() as sim:
        sim.route(TRACKING, tracking_app())
        tenant = sim.subaccount("Tenant", trial=True)
        sim.number(BOUGHT, voice_url=f"{TRACKING}/forward", account=tenant)
        with pytest.raises(ConfigurationError) as raised:
            sim.incoming_call(from_=CALLEE, to=BOUGHT)
        sim.verified_caller_id(CALLEE, account=tenant)
        call = sim.incoming_call(from_=CALLEE, to=BOUGHT)
        sim.run()
    assert call.said == ["Forwarding"]
    assert str(raised.value) == (
        f"incoming call from {CALLEE}: a trial account receives calls only from its verified "
        f"caller IDs; add it with sim.verified_caller_id('{CALLEE}', account=<subaccount "
        f"{tenant.sid}>) first"
    )


def test_an_incoming_call_to_a_number_the_apps_own_credentials_bought() -> None:
    # The app's client, made with the suite's placeholders, bought the number: its account
    # owns it, and a caller dialling it reaches it there.
    app = tracking_app()
    with Simulator(accept_any_credentials=True) as sim:
        sim.route(TRACKING, app)
        apps_client = Client(SUITE_SID, "your_auth_token")
        apps_client.incoming_phone_numbers.create(
            phone_number=BOUGHT, voice_url=f"{TRACKING}/forward"
        )
        call = sim.incoming_call(from_=CALLEE, to=BOUGHT)
        sim.run()
    assert call.said == ["Forwarding"]
    assert app.config["accounts"] == [f"{SUITE_SID} {BOUGHT}"]


def test_a_number_whose_application_has_no_voice_url_names_it() -> None:
    with Simulator(accept_any_credentials=True) as sim:
        sim.route(TRACKING, tracking_app())
        suite_app = "AP" + "fedcba9876543210" * 2
        Client(SUITE_SID, "your_auth_token").incoming_phone_numbers.create(
            phone_number=BOUGHT, voice_application_sid=suite_app
        )
        with pytest.raises(ConfigurationError) as raised:
            sim.incoming_call(from_=CALLEE, to=BOUGHT)
    assert str(raised.value) == (
        f"incoming call to {BOUGHT}: the number {BOUGHT} of account {SUITE_SID} answers "
        f"with its TwiML App {suite_app} (its VoiceApplicationSid), which has no voice "
        "URL, so Twilio has nothing to request; give the application one through the REST "
        f"API (POST /Applications/{suite_app}.json VoiceUrl, with that account's "
        "credentials) or the number a voice URL of its own"
    )


def test_another_accounts_application_is_21218_and_not_opened_twice() -> None:
    # The test made the application in the simulator's account and gave its SID to an app
    # whose client holds placeholders: that account may not take it, nor open a second
    # application of the same SID without URLs.
    with Simulator(accept_any_credentials=True) as sim:
        application = sim.application(voice_url=f"{TRACKING}/forward")
        apps_client = Client(SUITE_SID, "your_auth_token")
        with pytest.raises(TwilioRestException) as raised:
            apps_client.incoming_phone_numbers.create(
                phone_number=BOUGHT, voice_application_sid=application.sid
            )
        adopted = sim.store.accounts[SUITE_SID]
        assert (list(adopted.applications), list(adopted.numbers)) == ([], [])
    assert (raised.value.status, raised.value.code, raised.value.msg) == (
        400,
        21218,
        f"Unable to create record: VoiceApplicationSid {application.sid} is not an "
        f"application of this account ({SUITE_SID}) but of account {sim.account_sid}; a "
        "TwiML App serves only its own account: send the request with that account's "
        "credentials (an app whose client was made with other credentials, such as a "
        "suite's placeholders, takes the simulator's: sim.account_sid and sim.auth_token, "
        "or sim.client())",
    )


def test_a_subaccount_may_not_take_its_owners_application() -> None:
    with Simulator() as sim:
        application = sim.application(voice_url=f"{TRACKING}/forward")
        tenant = sim.subaccount("Tenant")
        with pytest.raises(TwilioRestException) as raised:
            Client(tenant.sid, tenant.auth_token).incoming_phone_numbers.create(
                phone_number=BOUGHT, voice_application_sid=application.sid
            )
    assert (raised.value.status, raised.value.code) == (400, 21218)
    assert raised.value.msg.startswith(
        f"Unable to create record: VoiceApplicationSid {application.sid} is not an "
        f"application of this account ({tenant.sid}) but of account {sim.account_sid}; "
    )


def test_a_number_another_account_owns_is_not_given_to_a_second() -> None:
    with Simulator() as sim:
        tenant = sim.subaccount("Tenant")
        sim.number(BOUGHT, voice_url=f"{TRACKING}/forward")
        with pytest.raises(ConfigurationError) as raised:
            sim.number(BOUGHT, voice_url=f"{TRACKING}/other", account=tenant)
        owners = [a.sid for a in sim.store.accounts.values() if BOUGHT in a.numbers]
    assert owners == [sim.account_sid]
    assert str(raised.value) == (
        f"sim.number('{BOUGHT}'): {BOUGHT} is already a number of account {sim.account_sid}, "
        "and a number has one owner (Twilio sells an owned number to no one else); configure "
        "it in that account (account= that account, or no account= for the main one), move "
        "it with the REST API (an update of the number with AccountSid=...), or give this "
        "account another number"
    )


def test_a_call_placed_with_another_accounts_application_is_21218() -> None:
    with Simulator(accept_any_credentials=True) as sim:
        application = sim.application(voice_url=f"{TRACKING}/forward")
        apps_client = Client(SUITE_SID, "your_auth_token")
        with pytest.raises(TwilioRestException) as raised:
            apps_client.calls.create(to=CALLEE, from_=BOUGHT, application_sid=application.sid)
        assert (list(sim.calls), list(sim.store.accounts[SUITE_SID].applications)) == ([], [])
    assert (raised.value.status, raised.value.code, raised.value.msg) == (
        400,
        21218,
        f"Unable to create record: ApplicationSid {application.sid} is not an application "
        f"of this account ({SUITE_SID}) but of account {sim.account_sid}; a TwiML App "
        "serves only its own account: send the request with that account's credentials "
        "(an app whose client was made with other credentials, such as a suite's "
        "placeholders, takes the simulator's: sim.account_sid and sim.auth_token, or "
        "sim.client())",
    )


def test_a_trial_main_accounts_number_advice_names_no_account() -> None:
    with Simulator(trial=True) as sim:
        sim.route(TRACKING, tracking_app())
        sim.number(BOUGHT, voice_url=f"{TRACKING}/forward")
        with pytest.raises(ConfigurationError) as raised:
            sim.incoming_call(from_=CALLEE, to=BOUGHT)
    assert str(raised.value) == (
        f"incoming call from {CALLEE}: a trial account receives calls only from its verified "
        f"caller IDs; add it with sim.verified_caller_id('{CALLEE}') first"
    )


def test_a_number_the_apps_own_credentials_bought_is_configured_with_its_client() -> None:
    # The account the app's placeholders opened has no handle a test can pass as account=:
    # the advice names the app's client and the number's SID instead
    with Simulator(accept_any_credentials=True) as sim:
        bought = Client(SUITE_SID, "your_auth_token").incoming_phone_numbers.create(
            phone_number=BOUGHT, voice_url=f"{TRACKING}/forward"
        )
        with pytest.raises(ConfigurationError) as raised:
            sim.number(BOUGHT, voice_url=f"{TRACKING}/other")
        owners = [a.sid for a in sim.store.accounts.values() if BOUGHT in a.numbers]
    assert owners == [SUITE_SID]
    assert str(raised.value) == (
        f"sim.number('{BOUGHT}'): {BOUGHT} is already a number of account {SUITE_SID}, "
        "which the app's own credentials opened when its client bought it, and a number has "
        "one owner (Twilio sells an owned number to no one else); configure it with that "
        f"client, as the app would (incoming_phone_numbers('{bought.sid}').update("
        "voice_url=...)), or give the test another number"
    )


class _NotingLock:
    """The engine's lock, telling when a thread is about to take it."""

    def __init__(self, lock: Any, entering: threading.Event) -> None:
        self._lock, self._entering = lock, entering

    def __enter__(self) -> None:
        self._entering.set()
        self._lock.__enter__()

    def __exit__(self, *exc_info: object) -> None:
        self._lock.__exit__(*exc_info)


def test_the_owner_is_looked_up_under_the_engine_lock() -> None:
    # The app buys the number in another thread (its REST request holds the lock) while the
    # test dials it: the call waits for the purchase, then rings in the buyer's account
    app = tracking_app()
    with Simulator() as sim:
        sim.route(TRACKING, app)
        tenant = sim.subaccount("Tenant")
        lock = sim.engine.lock
        held, entering = threading.Event(), threading.Event()
        sim.engine.lock = _NotingLock(lock, entering)  # type: ignore[assignment]

        def buy() -> None:
            with lock:
                held.set()
                entering.wait(10)
                Client(tenant.sid, tenant.auth_token).incoming_phone_numbers.create(
                    phone_number=BOUGHT, voice_url=f"{TRACKING}/forward"
                )

        buyer = threading.Thread(target=buy)
        buyer.start()
        held.wait(10)
        call = sim.incoming_call(from_=CALLEE, to=BOUGHT)
        buyer.join(10)
        sim.engine.lock = lock
        sim.run()
    assert (call.record.account_sid, call.said) == (tenant.sid, ["Forwarding"])
    assert app.config["accounts"] == [f"{tenant.sid} {BOUGHT}"]

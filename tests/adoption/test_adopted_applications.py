"""A call-tracking app run with its suite's placeholders (``pytest --twimlsim``, or
``accept_any_credentials``) buys its numbers pointing at the TwiML App its settings name,
a placeholder SID too: the account opened for those credentials keeps that application
without URLs, and the app's own client gives it its voice URL, as on the real account."""

from __future__ import annotations

import pytest
from flask import Flask
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from twimlsim import Simulator

SUITE_SID = "AC" + "x" * 32
SUITE_APP = "AP" + "x" * 32
TRACKING = "https://tracking.test"
BOUGHT = "+14155550100"
CALLER = "+15558675310"


def forwarding_app() -> Flask:
    app = Flask(__name__)

    @app.post("/forward")
    def forward() -> tuple[str, dict[str, str]]:
        return "<Response><Say>Forwarding</Say></Response>", {"Content-Type": "text/xml"}

    return app


def test_the_apps_client_gives_its_placeholder_application_a_voice_url() -> None:
    with Simulator(accept_any_credentials=True) as sim:
        sim.route(TRACKING, forwarding_app())
        apps_client = Client(SUITE_SID, "your_auth_token")
        apps_client.incoming_phone_numbers.create(
            phone_number=BOUGHT, voice_application_sid=SUITE_APP
        )
        updated = apps_client.applications(SUITE_APP).update(voice_url=f"{TRACKING}/forward")
        fetched = apps_client.applications(SUITE_APP).fetch()
        call = sim.incoming_call(from_=CALLER, to=BOUGHT)
        sim.run()
    assert (updated.sid, updated.account_sid, fetched.voice_url) == (
        SUITE_APP,
        SUITE_SID,
        f"{TRACKING}/forward",
    )
    assert call.said == ["Forwarding"]
    assert [(r.kind, r.url, r.params["ApplicationSid"]) for r in call.requests] == [
        ("voice", f"{TRACKING}/forward", SUITE_APP)
    ]


def test_a_placeholder_application_no_number_named_is_not_found() -> None:
    with Simulator(accept_any_credentials=True):
        apps_client = Client(SUITE_SID, "your_auth_token")
        with pytest.raises(TwilioRestException) as raised:
            apps_client.applications(SUITE_APP).update(voice_url=f"{TRACKING}/forward")
    assert (raised.value.status, raised.value.code, raised.value.msg) == (
        404,
        20404,
        "Unable to update record: The requested resource "
        f"/2010-04-01/Accounts/{SUITE_SID}/Applications/{SUITE_APP}.json was not found",
    )


def test_the_app_places_a_call_with_its_placeholder_application() -> None:
    with Simulator(accept_any_credentials=True) as sim:
        sim.route(TRACKING, forwarding_app())
        apps_client = Client(SUITE_SID, "your_auth_token")
        apps_client.incoming_phone_numbers.create(
            phone_number=BOUGHT, voice_application_sid=SUITE_APP
        )
        apps_client.applications(SUITE_APP).update(voice_url=f"{TRACKING}/forward")
        created = apps_client.calls.create(to=CALLER, from_=BOUGHT, application_sid=SUITE_APP)
        sim.run()
    call = sim.calls[created.sid]
    assert (created.account_sid, call.said) == (SUITE_SID, ["Forwarding"])

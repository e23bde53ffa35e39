"""A Flask view that reads ``Digits`` reached by a ``<Redirect>`` (an IVR's "back to the
menu" step aimed at its ``<Gather>``'s action URL) fails with a hint naming the cause."""

from __future__ import annotations

import pytest
from flask import Flask, request

from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim import CallFailure, SimulationError, Simulator

GATHER = '<Response><Gather numDigits="1" action="/menu"><Say>Press 1</Say></Gather></Response>'


def menu_app() -> Flask:
    """A menu whose handler redirects an unknown key back to itself, not to the prompt."""
    app = Flask("menu")

    @app.post("/voice")
    def voice() -> str:
        return GATHER

    @app.post("/menu")
    def menu() -> str:
        if request.form["Digits"] == "1":
            return "<Response><Say>One</Say></Response>"
        return "<Response><Redirect>/menu</Redirect></Response>"

    return app


def failure_of(app: Flask, keys: str) -> CallFailure:
    """The one failure of a call to ``app`` whose callee presses ``keys``."""
    with Simulator() as sim:
        sim.route(APP_URL, app)
        sim.number(CALLER_ID)
        sim.phone(CALLEE).presses(keys)
        sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice")
        with pytest.raises(SimulationError) as raised:
            sim.run()
    (failure,) = raised.value.failures
    return failure


#: How the hint to a Flask view's 400 starts, whatever the request.
FLASK_400 = (
    "Flask answers 400 when a view reads a form key the request does not have "
    "(request.form['Key'] raises BadRequestKeyError): compare the keys the view reads "
    "with the parameters Twilio sent (sim.requests[-1].params); "
)


def test_a_redirect_to_the_gather_action_names_the_missing_input() -> None:
    failure = failure_of(menu_app(), "7")
    assert str(failure).split("; hint: ")[1] == (
        f"{FLASK_400}this request came from a "
        "<Redirect>, which sends the call's parameters only: no Digits or SpeechResult (a "
        "<Gather>'s action request alone carries them), so a view that reads them fails when "
        "redirected to; redirect to the URL that answers with the <Gather>, or read them with "
        "request.form.get; of the parameters Twilio sends only on some calls, this request "
        "has no AnsweredBy (sent on a call placed with machine detection); twimlsim then "
        "played Twilio's application-error message and hung up, as Twilio does "
        "[https://www.twilio.com/docs/errors/11200]"
    )
    assert failure.code == 11200


def test_the_gathers_own_request_gets_no_such_note() -> None:
    app = Flask("menu")

    @app.post("/voice")
    def voice() -> str:
        return GATHER

    @app.post("/menu")
    def menu() -> str:
        return f"<Response><Say>{request.form['CallerName']}</Say></Response>"

    failure = failure_of(app, "1")
    assert str(failure).split("; hint: ")[1] == (
        f"{FLASK_400}of the parameters Twilio sends only on some calls, this request has no "
        "AnsweredBy (sent on a call placed with machine detection); twimlsim then played "
        "Twilio's application-error message and hung up, as Twilio does "
        "[https://www.twilio.com/docs/errors/11200]"
    )
    assert failure.url == f"{APP_URL}/menu"

"""``<Dial><Application>``: the TwiML App's voice URL runs on the dialled leg, with
``ApplicationSid``, ``CustomerId`` and the ``<Parameter>``s; the Dial action reports it."""

from __future__ import annotations

import pytest

from tests.engine.helpers import base, log, place, response, simulator
from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim.errors import SimulationError

APP_DOC = response('<Say>Welcome to billing.</Say><Pause length="4"/>')


def test_the_applications_voice_url_answers_the_dialled_leg() -> None:
    """Twilio's <Application> page: "The <Dial> verb's <Application> noun allows you to
    connect a call to another Twilio account without losing the original call leg's context
    (e.g. the original "From" number)." and "The customerId will be sent as a parameter in
    Twilio's request to the TwiML App's Voice Request URL." """
    routes = {"/billing": APP_DOC}
    with simulator(routes) as (sim, app):
        billing = sim.application(voice_url=f"{APP_URL}/billing", friendly_name="Billing")
        routes["/voice"] = response(
            f'<Dial action="/after"><Application customerId="shop-7">'
            f"<ApplicationSid>{billing.sid}</ApplicationSid>"
            '<Parameter name="ticket" value="42"/><Parameter name="AccountNumber" value="12345"/>'
            "</Application></Dial>"
        )
        call = place(sim)
        sim.run()
        [leg] = call.children
        assert (leg.record.to, leg.record.from_, leg.status) == (
            billing.sid,
            CALLER_ID,
            "completed",
        )
        assert leg.said == ["Welcome to billing."]
        voice = leg.requests[0]
        expected = base(sim, leg, "in-progress", to=billing.sid)
        # the page: "each custom parameter's name is prefixed with Param_"
        expected.update(
            ApplicationSid=billing.sid,
            CustomerId="shop-7",
            Param_ticket="42",
            Param_AccountNumber="12345",
        )
        assert (voice.url, voice.params) == (f"{APP_URL}/billing", expected)
        action = call.requests[-1]
        assert action.url == f"{APP_URL}/after"
        assert (
            action.params["DialCallStatus"],
            action.params["DialCallSid"],
            action.params["DialCallDuration"],
            action.params["DialBridged"],
        ) == ("completed", leg.sid, "6", "true")  # Say 2 s + Pause 4 s


def test_copy_parent_to_and_default_customer_id() -> None:
    """ "When the copyParentTo value is false, the To field is the dialed TwiML App's SID."
    (true: the parent's To) and "The default value of the customerId attribute is the
    Account SID associated with the <Dial><Application> TwiML." """
    routes = {"/billing": APP_DOC}
    with simulator(routes) as (sim, app):
        billing = sim.application(voice_url=f"{APP_URL}/billing")
        routes["/voice"] = response(
            f'<Dial><Application copyParentTo="true">{billing.sid}</Application></Dial>'
        )
        call = place(sim)
        sim.run()
        [leg] = call.children
        assert leg.record.to == CALLEE
        assert leg.requests[0].params["CustomerId"] == sim.account_sid
        assert log(leg) == [("voice", "POST", f"{APP_URL}/billing")]


def test_an_unknown_application_fails_the_dial() -> None:
    missing = "AP" + "0" * 32
    routes = {
        "/voice": response(f'<Dial action="/after"><Application>{missing}</Application></Dial>')
    }
    with (
        pytest.raises(SimulationError, match=f"names {missing}, which is not an application"),
        simulator(routes) as (sim, app),
    ):
        call = place(sim)
        sim.run()
    assert call.children == []
    with simulator(routes, strict=False) as (sim, app):
        call = place(sim)
        sim.run()
        assert [f.code for f in sim.failures] == [21218]
        assert log(call) == [("voice", "POST", f"{APP_URL}/voice")]


@pytest.mark.parametrize(
    "ending",
    [
        '<Hangup><Parameter name="Outcome" value="paid"/><Parameter name="Ref" value="A 1"/>'
        "</Hangup>",
        '<Reject><Parameter name="Outcome" value="paid"/><Parameter name="Ref" value="A 1"/>'
        "</Reject>",
    ],
)
def test_the_applications_hangup_parameters_return_to_the_dial_action(ending: str) -> None:
    """Twilio's <Dial><Application> Usage page covers "returning custom parameters to the
    originating <Dial>'s action URL": the TwiML App ends its leg with <Hangup> or <Reject>
    holding <Parameter>s, and the dialling account's action gets each as
    ReturnParam_<name>."""
    routes = {"/billing": response(f"<Say>Paid.</Say>{ending}")}
    with simulator(routes) as (sim, app):
        billing = sim.application(voice_url=f"{APP_URL}/billing")
        routes["/voice"] = response(
            f'<Dial action="/after"><Application>{billing.sid}</Application></Dial>'
        )
        call = place(sim)
        sim.run()
        [leg] = call.children
        expected = base(sim, call, "in-progress")
        expected.update(
            DialBridged="true",
            DialCallDuration="1",
            DialCallSid=leg.sid,
            DialCallStatus="completed",
            ReturnParam_Outcome="paid",
            ReturnParam_Ref="A 1",
        )
        action = call.requests[-1]
        assert (action.url, action.params) == (f"{APP_URL}/after", expected)


def test_hangup_parameters_outside_an_application_leg_reach_no_action() -> None:
    """A <Hangup><Parameter> of a number's whisper, or of the call's own document, returns
    nothing: only a <Dial><Application> leg has an originating Dial to return to."""
    routes = {
        "/voice": response(
            '<Dial action="/after"><Number url="/whisper">+15551230000</Number></Dial>'
            '<Hangup><Parameter name="Outcome" value="own"/></Hangup>'
        ),
        "/whisper": response('<Hangup><Parameter name="Outcome" value="whisper"/></Hangup>'),
        "/after": response('<Hangup><Parameter name="Outcome" value="after"/></Hangup>'),
    }
    with simulator(routes) as (sim, app):
        call = place(sim)
        sim.run()
        [leg] = call.children
        expected = base(sim, call, "in-progress")
        # the whisper's <Hangup> ended the leg before the bridge, and returned nothing
        expected.update(
            DialBridged="false",
            DialCallDuration="0",
            DialCallSid=leg.sid,
            DialCallStatus="completed",
        )
        action = call.requests[-1]
        assert (action.url, action.params) == (f"{APP_URL}/after", expected)


@pytest.mark.parametrize("voice_url", [True, False], ids=["its TwiML", "no voice URL"])
def test_a_rest_redirect_of_the_application_leg_runs_the_new_twiml(voice_url: bool) -> None:
    """As for any dialled leg (dialing.py): the leg leaves the Dial for the new TwiML and
    the action has no DialCallDuration. It was hung up, the new URL never requested; so
    was the leg of an application with no voice URL (it stays until someone hangs up),
    with no word of it."""
    routes = {
        "/billing": response('<Say>Welcome</Say><Pause length="20"/><Say>not said</Say>'),
        "/leg-new": response("<Say>new</Say>"),
        "/after": response("<Say>after</Say>"),
    }
    with simulator(routes) as (sim, _):
        billing = sim.application(voice_url=f"{APP_URL}/billing" if voice_url else None)
        routes["/voice"] = response(
            f'<Dial action="/after"><Application><ApplicationSid>{billing.sid}'
            "</ApplicationSid></Application></Dial>"
        )
        call = place(sim)
        sim.advance(5)
        [leg] = call.children
        sim.client().calls(leg.sid).update(url=f"{APP_URL}/leg-new")
        sim.run()
    update = leg.requests[-1]
    expected = base(sim, leg, "in-progress", to=billing.sid)
    expected["ApplicationSid"] = billing.sid  # the leg's, as on its voice request
    assert (update.kind, update.url, update.params) == ("update", f"{APP_URL}/leg-new", expected)
    assert [r.kind for r in leg.requests] == (["voice", "update"] if voice_url else ["update"])
    assert (leg.said, call.said) == (["Welcome", "new"] if voice_url else ["new"], ["after"])
    action = call.requests[1]
    expected = base(sim, call, "in-progress")
    expected.update(DialBridged="true", DialCallSid=leg.sid, DialCallStatus="completed")
    assert (action.url, action.params) == (f"{APP_URL}/after", expected)
    assert (leg.status, leg.duration) == ("completed", 6)  # redirected at 5 s, "new" 1 s

"""A Voice SDK device connecting to a TwiML App (``sim.sdk_call``): the voice request as
Twilio sends it, the status callback of the application."""

from __future__ import annotations

import pytest

from tests.engine.helpers import base, log, response, simulator
from tests.support import APP_URL
from twimlsim.errors import ConfigurationError


def test_the_device_reaches_the_applications_voice_url() -> None:
    routes = {"/client": response('<Dial callerId="+15005550006">+15558675310</Dial>')}
    with simulator(routes) as (sim, app):
        outbound = sim.application(
            voice_url=f"{APP_URL}/client", status_callback=f"{APP_URL}/status"
        )
        sim.phone("+15558675310").hangs_up(after=5)
        call = sim.sdk_call(
            "alice", application_sid=outbound.sid, params={"To": "+15558675310", "ticket": "7"}
        )
        sim.run()
        assert (call.status, call.record.direction, call.record.from_) == (
            "completed",
            "inbound",
            "client:alice",
        )
        voice = call.requests[0]
        expected = base(sim, call, "ringing", from_="client:alice", to="+15558675310")
        expected.update(ApplicationSid=outbound.sid, To="+15558675310", ticket="7")
        assert voice.params == expected
        assert log(call) == [
            ("voice", "POST", f"{APP_URL}/client"),
            ("status", "POST", f"{APP_URL}/status"),
        ]
        [leg] = call.children
        assert (leg.record.to, leg.record.from_) == ("+15558675310", "+15005550006")


def test_without_to_the_to_and_called_are_empty() -> None:
    routes = {"/client": response("<Say>Hello</Say>")}
    with simulator(routes) as (sim, app):
        outbound = sim.application(voice_url=f"{APP_URL}/client")
        call = sim.sdk_call("client:bob", application_sid=outbound.sid)
        sim.run()
        params = call.requests[0].params
        assert (params["To"], params["Called"], params["From"], params["Caller"]) == (
            "",
            "",
            "client:bob",
            "client:bob",
        )
        assert call.said == ["Hello"]


def test_an_unknown_application_is_a_configuration_error() -> None:
    with simulator({}) as (sim, app), pytest.raises(ConfigurationError, match="not an application"):
        sim.sdk_call("alice", application_sid="AP" + "0" * 32)

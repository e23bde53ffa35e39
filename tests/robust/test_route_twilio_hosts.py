"""A route at a host twimlsim answers itself (Twilio's REST and Lookup API hosts, the demo
documents and twimlets it serves built in) would never be reached: ``sim.route`` refuses
it, naming the host, and so does ``--tunnel`` for its public side; a TwiML Bin's or a
Studio Flow's host stays routable (a test stands one in with an app at its URL)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from twilio.rest import Client

from tests.support import CALLEE, CALLER_ID
from twimlsim import Simulator
from twimlsim.transports.tunnels import parse_tunnel

ADVICE = (
    "twimlsim answers that host itself, so an app routed there would never be reached; "
    "route the app at its own host, such as 'https://app.test', and give Twilio URLs on "
    "that host"
)


def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
    start_response("200 OK", [("Content-Type", "text/xml")])
    return [b"<Response><Say>routed</Say></Response>"]


@pytest.fixture
def sim() -> Iterator[Simulator]:
    with Simulator() as simulator:
        yield simulator


@pytest.mark.parametrize(
    ("base_url", "host"),
    [
        (
            "https://api.twilio.com",
            "api.twilio.com, Twilio's REST API host, whose requests the twilio client sends "
            "to twimlsim",
        ),
        (
            "https://API.Twilio.com:443/2010-04-01",
            "api.twilio.com, Twilio's REST API host, whose requests the twilio client sends "
            "to twimlsim",
        ),
        (
            "https://api.dublin.ie1.twilio.com",
            "api.dublin.ie1.twilio.com, Twilio's REST API host, whose requests the twilio "
            "client sends to twimlsim",
        ),
        (
            "wss://lookups.twilio.com",
            "lookups.twilio.com, Twilio's Lookup API host, whose requests the twilio client "
            "sends to twimlsim",
        ),
        ("http://demo.twilio.com/docs", "demo.twilio.com, whose demo documents are built in"),
        ("https://twimlets.com.", "twimlets.com, whose twimlets are built in"),
        ("http://www.twimlets.com", "www.twimlets.com, whose twimlets are built in"),
    ],
)
def test_a_host_twimlsim_answers_is_refused(sim: Simulator, base_url: str, host: str) -> None:
    with pytest.raises(ValueError) as raised:
        sim.route(base_url, app)
    assert str(raised.value) == (
        f"sim.route({base_url!r}, ...): base_url {base_url!r} is on {host}: {ADVICE}"
    )


def said_on_a_call_to(sim: Simulator, url: str) -> list[str]:
    sim.number(CALLER_ID)
    created = Client(sim.account_sid, sim.auth_token).calls.create(
        to=CALLEE, from_=CALLER_ID, url=url
    )
    sim.run()
    return [str(text) for text in sim.calls[str(created.sid)].said]


def test_a_twiml_bin_s_host_is_routed(sim: Simulator) -> None:
    bin_url = "https://handler.twilio.com/twiml/EH" + "0" * 32
    sim.route(bin_url, app)
    assert said_on_a_call_to(sim, bin_url) == ["routed"]


def test_a_host_that_only_begins_like_twilio_s_is_routed(sim: Simulator) -> None:
    sim.route("https://api.twilio.com.example.test", app)
    assert said_on_a_call_to(sim, "https://api.twilio.com.example.test/voice") == ["routed"]


@pytest.mark.parametrize(
    ("public", "host"),
    [
        (
            "https://api.twilio.com",
            "api.twilio.com, Twilio's REST API host, whose requests the twilio client sends "
            "to twimlsim",
        ),
        ("http://Demo.twilio.com.", "demo.twilio.com, whose demo documents are built in"),
    ],
)
def test_a_tunnel_from_a_host_twimlsim_answers_is_refused(public: str, host: str) -> None:
    with pytest.raises(ValueError) as raised:
        parse_tunnel(f"{public}=http://127.0.0.1:5000")
    assert str(raised.value) == (
        f"tunnel '{public}=http://127.0.0.1:5000': the public side is on {host}: twimlsim "
        "answers that host itself, so no webhook would go through this tunnel; give the "
        "public URL the app is reached by, such as https://abc.ngrok.app=http://127.0.0.1:3000"
    )


def test_a_tunnel_from_a_twiml_bin_s_host_is_taken() -> None:
    tunnel = parse_tunnel("https://handler.twilio.com=http://127.0.0.1:5000")
    assert (tunnel.public, tunnel.local) == ("https://handler.twilio.com", "http://127.0.0.1:5000")

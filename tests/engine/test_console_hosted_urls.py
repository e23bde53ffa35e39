"""URLs Twilio answers from content kept in the account's Console (a TwiML Bin, a Studio
Flow, a Twilio Functions service), which sample apps pass as a call's ``Url``: the failure
names what the URL is and how a test stands it in."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from twimlsim import Simulator
from twimlsim.engine.webhooks import WebhookDeliveryError, WebhookRequest
from twimlsim.transports.http import HTTPTransport
from twimlsim.transports.unrouted import console_hosted, unrouted_message

BIN = "https://handler.twilio.com/twiml/EH0123456789abcdef0123456789abcdef"
FLOW = (
    "https://webhooks.twilio.com/v1/Accounts/AC0123456789abcdef0123456789abcdef/Flows/"
    "FW0123456789abcdef0123456789abcdef"
)


def test_a_twiml_bin_url_says_it_is_a_bin_and_how_to_stand_it_in() -> None:
    assert unrouted_message(BIN, []) == (
        f"no app is routed for {BIN} (routed: none): it is a TwiML Bin, whose TwiML Twilio "
        "keeps in your Console, out of twimlsim's reach; stand it in with an app answering "
        f"the bin's TwiML at the bin's own URL (sim.route('{BIN}', app)), filling any "
        "{{From}}-style template from the request's parameters as Twilio does, or give the "
        "call that TwiML (twiml=...)"
    )


def test_a_studio_flow_webhook_says_studio_is_not_simulated() -> None:
    assert unrouted_message(FLOW, ["https://app.test"]) == (
        f"no app is routed for {FLOW} (routed: https://app.test): it is a Studio Flow's "
        "webhook, and twimlsim does not run Studio Flows; test the TwiML the flow's widgets "
        f"stand for, served by an app at this URL (sim.route('{FLOW}', app))"
    )


def test_a_studio_flow_triggered_with_a_query_names_a_route_sim_route_takes() -> None:
    # an outbound dialler redirects answered calls to its flow with ?FlowEvent=trigger;
    # sim.route refuses a base URL with a query, so the route named is the URL's path
    url = f"{FLOW}?FlowEvent=trigger&orig_call_sid=CA1"
    assert unrouted_message(url, ["https://app.test"]) == (
        f"no app is routed for {url} (routed: https://app.test): it is a Studio Flow's "
        "webhook, and twimlsim does not run Studio Flows; test the TwiML the flow's widgets "
        f"stand for, served by an app at this URL (sim.route('{FLOW}', app))"
    )


def test_the_route_named_for_a_flow_triggered_with_a_query_reaches_the_stand_in() -> None:
    def flow_app(environ: dict[str, object], start_response: object) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "text/xml")])  # type: ignore[operator]
        return [f"<Response><Say>{environ['QUERY_STRING']}</Say></Response>".encode()]

    with Simulator() as sim:
        sim.route(FLOW, flow_app)
        sim.number("+15005550006")
        url = f"{FLOW}?FlowEvent=trigger"
        call = sim.client().calls.create(to="+15558675310", from_="+15005550006", url=url)
        sim.run()
        assert sim.calls[call.sid].said == ["FlowEvent=trigger"]


def test_a_functions_url_gives_the_tunnel_to_its_local_server() -> None:
    url = "https://reminders-1234-dev.twil.io/call"
    assert unrouted_message(url, []) == (
        f"no app is routed for {url} (routed: none): it is a Twilio Functions service; run "
        "its functions locally (twilio-run start, port 3000) and reach them as through a "
        "tunnel: twimlsim call or twimlsim serve --tunnel "
        "https://reminders-1234-dev.twil.io=http://127.0.0.1:3000"
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://handler.twilio.com/other",  # not a bin's path
        "https://webhooks.twilio.com/v1/Accounts/AC1/Workflows/WW1",
        "https://twil.io.example.com/call",
    ],
)
def test_other_urls_on_those_hosts_get_the_usual_route_advice(url: str) -> None:
    assert unrouted_message(url, []).endswith(" for it")


def test_a_call_to_a_bin_routed_at_its_url_runs_the_stand_in() -> None:
    def bin_app(environ: dict[str, object], start_response: object) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "text/xml")])  # type: ignore[operator]
        return [b"<Response><Say>Your appointment is tomorrow.</Say></Response>"]

    with Simulator() as sim:
        sim.route(BIN, bin_app)
        sim.number("+15005550006")
        call = sim.client().calls.create(to="+15558675310", from_="+15005550006", url=BIN)
        sim.run()
        assert sim.calls[call.sid].status == "completed"
        assert [r.url for r in sim.requests] == [BIN]


def test_over_http_a_bin_url_gives_the_tunnel_to_a_stand_in() -> None:
    assert console_hosted(BIN, over_http=True) == (
        "it is a TwiML Bin, whose TwiML Twilio keeps in your Console, out of twimlsim's "
        "reach; stand it in with an app answering the bin's TwiML at the bin's own URL "
        "(--tunnel https://handler.twilio.com=http://127.0.0.1:PORT to your app serving it at "
        "/twiml/EH0123456789abcdef0123456789abcdef), filling any {{From}}-style template from "
        "the request's parameters as Twilio does, or have the app create the call with that "
        "TwiML (Twiml=...)"
    )


def test_over_http_a_bin_url_is_not_sent_to_the_fake_api() -> None:
    request = WebhookRequest("POST", BIN, {}, {}, "voice", "CA1", datetime(2026, 1, 1, tzinfo=UTC))
    with pytest.raises(WebhookDeliveryError) as caught:
        HTTPTransport().send(request)
    assert (caught.value.code, caught.value.message) == (
        11205,
        f"{BIN} is not an app's URL: " + console_hosted(BIN, over_http=True),
    )

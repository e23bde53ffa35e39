"""Calls a PBX or softphone sends to a SIP Domain (``sim.sip_domain``): the domain's voice
URL answers them with Twilio's SIP parameters, its voice status callback gets ``completed``."""

from __future__ import annotations

import pytest

from tests.engine.helpers import base, response, simulator
from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim import ConfigurationError
from twimlsim.model.sip_domain import dial_refusal, domain_of_uri, edge_dialled, undiallable_edge

SOFTPHONE = "sip:alice@office.sip.twilio.com"
DIALLED = "sip:+15551234567@office.sip.us1.twilio.com"


def test_the_domains_voice_url_answers_with_the_sip_parameters() -> None:
    """A softphone dials a number through the domain (its region written in the host): the
    app reads the number from ``To`` and dials it from an owned number."""
    routes = {
        "/sip": response(f'<Dial callerId="{CALLER_ID}">+15551234567</Dial>'),
        "/sip-status": response(""),
    }
    with simulator(routes) as (sim, _):
        domain = sim.sip_domain(
            "Office.sip.twilio.com",
            voice_url=f"{APP_URL}/sip",
            voice_status_callback_url=f"{APP_URL}/sip-status",
        )
        sim.phone("+15551234567").answers(after=2).hangs_up(after=10)
        call = sim.incoming_call(
            from_=SOFTPHONE, to=DIALLED, params={"SipHeader_X-Customer": "4711"}
        )
        sim.run()
    assert (domain.sid[:2], domain.domain_name, domain.voice_method) == (
        "SD",
        "office.sip.twilio.com",
        "POST",
    )
    voice, status = call.requests
    assert (voice.kind, voice.url) == ("voice", f"{APP_URL}/sip")
    assert voice.params == {
        **base(sim, call, "ringing", from_=SOFTPHONE, to=DIALLED),
        "SipDomain": "office.sip.twilio.com",
        "SipDomainSid": domain.sid,
        "SipCallId": "70617e92427a998e8f7a0f7093c0ebce@203.0.113.10",  # the same every run
        "SipSourceIp": "203.0.113.10",
        "SipHeader_X-Customer": "4711",
    }  # no CallToken: Twilio documents it for calls to phone numbers
    assert (status.kind, status.url, status.params["CallStatus"]) == (
        "status",
        f"{APP_URL}/sip-status",
        "completed",
    )
    assert "SipDomain" not in status.params
    (leg,) = call.children
    assert (call.record.direction.value, call.from_, call.to, call.duration) == (
        "inbound",
        SOFTPHONE,
        DIALLED,
        12,
    )
    assert (leg.from_, leg.to, leg.status) == (CALLER_ID, "+15551234567", "completed")


def test_the_invite_may_bring_its_own_call_id_source_and_username() -> None:
    with simulator({"/sip": response("<Hangup/>")}) as (sim, _):
        sim.sip_domain("office.sip.twilio.com", voice_url=f"{APP_URL}/sip", voice_method="GET")
        given = {"SipCallId": "abc@10.0.0.5", "SipSourceIp": "10.0.0.5", "SipUsername": "alice"}
        call = sim.incoming_call(from_=SOFTPHONE, to=DIALLED, params=given)
        sim.run()
    (voice,) = call.requests
    assert voice.method == "GET"
    assert {name: voice.params[name] for name in given} == given


def test_a_uri_at_no_domain_of_the_simulation_is_refused() -> None:
    with simulator({}) as (sim, _):
        sim.sip_domain("office.sip.twilio.com", voice_url=f"{APP_URL}/sip")
        with pytest.raises(ConfigurationError) as raised:
            sim.incoming_call(from_=SOFTPHONE, to="sip:+15551234567@branch.sip.twilio.com")
    assert str(raised.value) == (
        "incoming call to sip:+15551234567@branch.sip.twilio.com: no SIP Domain of the "
        "simulation takes sip:+15551234567@branch.sip.twilio.com (domains: "
        "office.sip.twilio.com); call sim.sip_domain('branch.sip.twilio.com', voice_url=...) "
        "first, and send the call to a SIP URI at it, such as "
        "'sip:+15551234567@branch.sip.twilio.com'"
    )
    assert sim.calls == {}


def test_a_domain_without_a_voice_url_is_refused() -> None:
    with simulator({}) as (sim, _):
        sim.sip_domain("office.sip.twilio.com")
        with pytest.raises(ConfigurationError, match="the SIP Domain office.sip.twilio.com has no"):
            sim.incoming_call(from_=SOFTPHONE, to=DIALLED)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("office.example.com", "a SIP Domain's name is letters, digits and '-', then"),
        ("-office.sip.twilio.com", "a SIP Domain's name is letters, digits and '-', then"),
    ],
)
def test_a_domain_name_twilio_refuses_is_refused(name: str, message: str) -> None:
    with simulator({}) as (sim, _), pytest.raises(ConfigurationError) as raised:
        sim.sip_domain(name, voice_url=f"{APP_URL}/sip")
    assert str(raised.value).startswith(f"sim.sip_domain({name!r}): {message}")


def test_a_domain_named_by_a_localized_uri_is_told_its_global_name() -> None:
    """A softphone's settings name the domain as it registers through an edge
    (``radio.sip.us1.twilio.com``); the SIP Domain itself is ``radio.sip.twilio.com``."""
    with simulator({}) as (sim, _), pytest.raises(ConfigurationError) as raised:
        sim.sip_domain("radio.sip.us1.twilio.com", voice_url=f"{APP_URL}/sip")
    assert str(raised.value) == (
        "sim.sip_domain('radio.sip.us1.twilio.com'): 'radio.sip.us1.twilio.com' is the SIP "
        "Domain radio.sip.twilio.com written with the edge 'us1', a localized URI devices "
        "register and send their calls through; a SIP Domain is named without it: give "
        "'radio.sip.twilio.com' (calls sent to sip:...@radio.sip.us1.twilio.com still reach it)"
    )


@pytest.mark.parametrize("edge", ["ashburn", "sao-paulo", "frankfurt-ix", "au1", "us2-ix"])
def test_a_call_sent_through_an_edge_reaches_the_domain(edge: str) -> None:
    """Twilio's "SIP URIs" page: {example}.sip.{edge}.twilio.com is the domain reached
    through that edge (the legacy region forms too)."""
    to = f"sip:+15551234567@office.sip.{edge}.twilio.com"
    with simulator({"/sip": response("<Hangup/>")}) as (sim, _):
        domain = sim.sip_domain("office.sip.twilio.com", voice_url=f"{APP_URL}/sip")
        call = sim.incoming_call(from_=SOFTPHONE, to=to)
        sim.run()
    (voice,) = call.requests
    assert (voice.url, voice.params["To"], voice.params["SipDomainSid"]) == (
        f"{APP_URL}/sip",
        to,
        domain.sid,
    )


def test_a_domain_name_is_taken_once_and_its_urls_are_checked() -> None:
    with simulator({}) as (sim, _):
        sim.sip_domain("office.sip.twilio.com", voice_url=f"{APP_URL}/sip")
        with pytest.raises(ConfigurationError, match="named 'office.sip.twilio.com' exists"):
            sim.sip_domain("OFFICE.sip.twilio.com", voice_url=f"{APP_URL}/sip")
        with pytest.raises(ConfigurationError, match="voice_status_callback_url"):
            sim.sip_domain("branch.sip.twilio.com", voice_status_callback_url="/status")
        with pytest.raises(ConfigurationError) as raised:
            sim.sip_domain("branch.sip.twilio.com", voice_status_callback_method="PUT")
    assert str(raised.value) == (
        "sim.sip_domain('branch.sip.twilio.com'): voice_status_callback_method must be 'GET' "
        "or 'POST' (Twilio's webhook methods); got 'PUT'"
    )


def test_the_domain_sets_its_own_parameters() -> None:
    with simulator({}) as (sim, _):
        sim.sip_domain("office.sip.twilio.com", voice_url=f"{APP_URL}/sip")
        with pytest.raises(ConfigurationError) as raised:
            sim.incoming_call(from_=SOFTPHONE, to=DIALLED, params={"SipDomain": "x"})
    assert str(raised.value) == (
        f"sim.incoming_call(from_={SOFTPHONE!r}, to={DIALLED!r}): params SipDomain comes from "
        "the SIP Domain the call is sent to (sim.sip_domain); give only what the INVITE "
        "brings (SipHeader_X-..., SipUsername)"
    )


@pytest.mark.parametrize("caller_id", [SOFTPHONE, DIALLED])
def test_an_inbound_sip_calls_own_from_or_to_is_no_caller_id(caller_id: str) -> None:
    """Twilio's <Dial> page: "In the case of an inbound SIP call, callerId cannot be the To
    or From number, as there is a risk of caller ID spoofing. It can only be either a
    Twilio number or a phone number verified with Twilio." (They were taken, as a phone
    call's own From and To are.)"""
    routes = {
        "/sip": response(f'<Dial callerId="{caller_id}" action="/dialed">+15551234567</Dial>'),
        "/dialed": response(""),
    }
    with simulator(routes, strict=False) as (sim, _):
        sim.sip_domain("office.sip.twilio.com", voice_url=f"{APP_URL}/sip")
        call = sim.incoming_call(from_=SOFTPHONE, to=DIALLED)
        sim.run()
    assert call.children == []
    dialed = call.requests[-1]
    assert (dialed.kind, dialed.params["DialCallStatus"], dialed.params["DialBridged"]) == (
        "dial",
        "failed",
        "false",
    )
    (failure,) = sim.failures
    assert (failure.code, failure.level, failure.element) == (13214, "warning", "Dial")
    assert failure.message == (
        f"callerId '{caller_id}' is not a number the account owns or a verified caller ID "
        "(an inbound SIP call may not show its own From or To: Twilio's <Dial> page, for "
        "the risk of caller ID spoofing); twimlsim called nobody (DialCallStatus=failed). "
        "Use one of those numbers, or verify it with sim.verified_caller_id(...)"
    )


def test_an_inbound_sip_call_may_show_an_owned_number() -> None:
    routes = {"/sip": response(f'<Dial callerId="{CALLER_ID}">+15551234567</Dial>')}
    with simulator(routes) as (sim, _):
        sim.sip_domain("office.sip.twilio.com", voice_url=f"{APP_URL}/sip")
        sim.phone("+15551234567").hangs_up(after=3)
        call = sim.incoming_call(from_=SOFTPHONE, to=DIALLED)
        sim.run()
    assert [(c.from_, c.to, c.status) for c in call.children] == [
        (CALLER_ID, "+15551234567", "completed")
    ]


def test_a_call_created_to_a_sip_domain_without_a_username_fails_with_32223() -> None:
    """Twilio's 32223 page: "Attempting to place a call from Twilio back to your own Twilio
    SIP domain"; only a registered endpoint (a username at the domain) is called."""
    with simulator({"/voice": response("<Say>Hi</Say>")}, strict=False) as (sim, _):
        client = sim.client()
        refused = client.calls.create(
            to="sip:office.sip.twilio.com", from_=CALLER_ID, url=f"{APP_URL}/voice"
        )
        sim.run()
        status = client.calls(refused.sid).fetch().status
    assert (refused.status, status, sim.calls[refused.sid].requests) == ("queued", "failed", [])
    assert [(f.call_sid, f.code, f.level, f.message) for f in sim.failures] == [
        (
            refused.sid,
            32223,
            "error",
            "sip:office.sip.twilio.com names the SIP Domain office.sip.twilio.com with no "
            "username: Twilio calls only an endpoint registered at a SIP Domain, not the "
            'domain itself (its 32223: "You can only call a registered SIP endpoint such as '
            'username@yourdomain.sip.twilio.com"), and twimlsim failed the call at once '
            "(CallStatus=failed). Dial the endpoint, sip:username@office.sip.twilio.com",
        )
    ]


def test_a_call_created_to_an_endpoint_at_an_edge_fails_with_32220() -> None:
    """Twilio's 32220 page: "Attempting to place a call to
    username@yourdomain.sip.ashburn.twilio.com"; the global URI is dialled."""
    with simulator({"/voice": response("<Say>Hi</Say>")}, strict=False) as (sim, _):
        client = sim.client()
        refused = client.calls.create(
            to="sip:alice@office.sip.ashburn.twilio.com",
            from_=CALLER_ID,
            url=f"{APP_URL}/voice",
        )
        placed = client.calls.create(
            to="sip:alice@office.sip.twilio.com", from_=CALLER_ID, url=f"{APP_URL}/voice"
        )
        sim.run()
        statuses = {sid: client.calls(sid).fetch().status for sid in (refused.sid, placed.sid)}
    assert (refused.status, statuses) == (
        "queued",
        {refused.sid: "failed", placed.sid: "completed"},
    )
    assert sim.calls[refused.sid].requests == []
    assert [(f.call_sid, f.code, f.level, f.message) for f in sim.failures] == [
        (
            refused.sid,
            32220,
            "error",
            "sip:alice@office.sip.ashburn.twilio.com names the edge 'ashburn' of the SIP "
            "Domain office.sip.twilio.com: Twilio does not dial a registered endpoint at an "
            "edge-specific URI (only the deprecated us1 and us1-ix forms), and twimlsim "
            "failed the call at once (CallStatus=failed). Dial the domain's global URI, "
            "sip:alice@office.sip.twilio.com",
        )
    ]
    assert sim.calls[placed.sid].said == ["Hi"]


@pytest.mark.parametrize(
    "dialled",
    [
        "sip:alice@office.sip.us1.twilio.com",
        "sip:alice@office.sip.us1-ix.twilio.com;transport=tls",
        "sip:alice@Office.SIP.Twilio.com",
        "sip:alice@OFFICE.sip.us1.twilio.com?X-Ticket=9",
    ],
)
def test_the_deprecated_us1_form_and_a_host_in_capitals_reach_the_registered_endpoint(
    dialled: str,
) -> None:
    """Twilio's 32220 page: the us1 and us1-ix forms still dial the domain's registered
    endpoint; RFC 3261 compares hosts without case. They rang an unscripted far end."""
    with simulator({"/voice": response(f"<Dial><Sip>{dialled}</Sip></Dial>")}) as (sim, _):
        sim.sip_domain("office.sip.twilio.com")
        sim.phone("sip:alice@office.sip.twilio.com").answers().hangs_up(after=7)
        sim.phone(CALLEE).hangs_up(after=20)
        call = sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice")
        sim.run()
        legs = [(c.to, c.status, c.duration) for c in sim.calls[call.sid].children]
    assert legs == [(dialled.partition("?")[0], "completed", 7)]


@pytest.mark.parametrize(
    ("uri", "domain", "edge"),
    [
        (
            "sip:alice@office.sip.sydney-ix.twilio.com",
            "office.sip.twilio.com",
            ("sydney-ix", "office.sip.twilio.com"),
        ),
        (
            "sip:alice@office.sip.au1-ix.twilio.com",
            "office.sip.twilio.com",
            ("au1-ix", "office.sip.twilio.com"),
        ),
        ("sip:alice@office.sip.us1-ix.twilio.com", "office.sip.twilio.com", None),
        # Twilio's "Interconnect SIP URIs" page has no São Paulo exchange: no domain's host
        ("sip:alice@office.sip.sao-paulo-ix.twilio.com", None, None),
        ("sip:alice@office.sip.br1-ix.twilio.com", None, None),
    ],
)
def test_only_the_interconnect_edges_twilio_lists_are_a_domains_edges(
    uri: str, domain: str | None, edge: tuple[str, str] | None
) -> None:
    assert (domain_of_uri(uri), undiallable_edge(uri)) == (domain, edge)


@pytest.mark.parametrize(
    ("uri", "suggested"),
    [
        ("sip:alice@office.sip.ashburn.twilio.com", "sip:alice@office.sip.twilio.com"),
        ("SIP:alice@office.sip.ashburn.twilio.com", "sip:alice@office.sip.twilio.com"),
        (
            "sips:alice@office.sip.ashburn.twilio.com;transport=tls",
            "sips:alice@office.sip.twilio.com",
        ),
        ("alice@office.sip.ashburn.twilio.com", "sip:alice@office.sip.twilio.com"),
        # no user: a registered endpoint is dialled by its username (Twilio's 32223)
        ("sip:office.sip.ashburn.twilio.com", "sip:username@office.sip.twilio.com"),
    ],
)
def test_the_32220_message_suggests_the_global_uri_in_the_scheme_written(
    uri: str, suggested: str
) -> None:
    assert edge_dialled(uri, "ashburn", "office.sip.twilio.com", "it failed") == (
        f"{uri} names the edge 'ashburn' of the SIP Domain office.sip.twilio.com: Twilio does "
        "not dial a registered endpoint at an edge-specific URI (only the deprecated us1 and "
        f"us1-ix forms), and it failed. Dial the domain's global URI, {suggested}"
    )


def test_one_refusal_serves_a_create_a_dial_and_lint() -> None:
    """``dial_refusal``: the edge's 32220 before the missing username's 32223 (a create, a
    ``<Dial><Sip>`` leg and ``twimlsim lint`` each report the same), None when dialled."""
    assert dial_refusal("sip:office.sip.ashburn.twilio.com", "it failed") == (
        32220,
        "sip:office.sip.ashburn.twilio.com names the edge 'ashburn' of the SIP Domain "
        "office.sip.twilio.com: Twilio does not dial a registered endpoint at an "
        "edge-specific URI (only the deprecated us1 and us1-ix forms), and it failed. Dial "
        "the domain's global URI, sip:username@office.sip.twilio.com",
    )
    assert dial_refusal("sip:office.sip.us1.twilio.com:5060", "it failed") == (
        32223,
        "sip:office.sip.us1.twilio.com:5060 names the SIP Domain office.sip.twilio.com with "
        "no username: Twilio calls only an endpoint registered at a SIP Domain, not the "
        'domain itself (its 32223: "You can only call a registered SIP endpoint such as '
        'username@yourdomain.sip.twilio.com"), and it failed. Dial the endpoint, '
        "sip:username@office.sip.twilio.com",
    )
    for dialled in ("sip:alice@office.sip.twilio.com", "sip:pbx.example.com"):
        assert dial_refusal(dialled, "it failed") is None

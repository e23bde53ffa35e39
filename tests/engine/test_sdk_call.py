"""A Voice SDK device connecting to a TwiML App (``sim.sdk_call``): the voice request as
Twilio sends it, the status callback of the application."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable

import pytest
from twilio.jwt.access_token import AccessToken
from twilio.jwt.access_token.grants import VoiceGrant

from fixtures.twiml_app import TwimlApp
from tests.engine.helpers import base, log, response, simulator
from tests.support import APP_URL
from twimlsim import Simulator
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


@pytest.mark.parametrize(
    ("dial", "expected"),
    [
        (
            "<Dial>+15558675310</Dial>",
            "this call comes from a Voice SDK client (client:alice), which is no phone number "
            "to show: dialling a phone number from a client leg needs a callerId (Twilio's "
            '13214: "if the calling leg is a client leg, the caller ID is required"); '
            "twimlsim called nobody (DialCallStatus=failed). Give <Dial> "
            'callerId="..." with a number the account owns or a verified caller ID',
        ),
        (
            '<Dial callerId="client:alice">+15558675310</Dial>',
            "callerId 'client:alice' is not a number the account owns or a verified caller ID "
            "(a client leg may show no other); twimlsim called nobody (DialCallStatus=failed). "
            "Use one of those numbers, or verify it with sim.verified_caller_id(...)",
        ),
    ],
)
def test_a_client_leg_dialling_a_number_needs_a_validated_caller_id(
    dial: str, expected: str
) -> None:
    """Twilio's 13214 (Dial: invalid callerId): "if the calling leg is a client leg, the
    caller ID is required and must be a validated outgoing number"."""
    routes = {"/client": response(dial), "/after": response("<Hangup/>")}
    with simulator(routes, allow_codes={13214}) as (sim, app):
        outbound = sim.application(voice_url=f"{APP_URL}/client")
        call = sim.sdk_call("alice", application_sid=outbound.sid, params={"To": "+15558675310"})
        sim.run()
    assert call.children == []
    assert [(f.code, f.level, f.message) for f in sim.failures] == [(13214, "warning", expected)]


def test_a_client_leg_may_dial_a_client_without_a_caller_id() -> None:
    routes = {"/client": response("<Dial><Client>bob</Client></Dial>")}
    with simulator(routes) as (sim, app):
        outbound = sim.application(voice_url=f"{APP_URL}/client")
        sim.phone("client:bob").hangs_up(after=2)
        call = sim.sdk_call("alice", application_sid=outbound.sid)
        sim.run()
    [leg] = call.children
    assert (leg.record.to, leg.record.from_, sim.failures) == ("client:bob", "client:alice", [])


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


# -- the device connects with the Access Token the app's token endpoint made ---------------


def _token(
    sim: Simulator,
    *,
    identity: str | None = "support_agent",
    application_sid: str | None = None,
    key: tuple[str, str] | None = None,
    grant: bool = True,
    ttl: int = 3600,
) -> str:
    if key is None:
        made = sim.api_key()
        key = (made.sid, made.secret)
    key_sid, secret = key
    token = AccessToken(sim.account_sid, key_sid, secret, identity=identity, ttl=ttl)
    if grant:
        token.add_grant(
            VoiceGrant(
                outgoing_application_sid=application_sid,
                outgoing_application_params={"team": "billing"},
                incoming_allow=True,
            )
        )
    return token.to_jwt()


def test_the_token_gives_the_identity_application_and_grant_params() -> None:
    routes = {"/client": response("<Dial><Client>customer</Client></Dial>")}
    with simulator(routes) as (sim, app):
        outbound = sim.application(voice_url=f"{APP_URL}/client")
        sim.phone("client:customer").hangs_up(after=5)
        token = _token(sim, application_sid=outbound.sid)
        call = sim.sdk_call(token=token, params={"To": "customer", "ticket": "7"})
        sim.run()
        expected = {  # no geo keys: no phone number on either side
            "AccountSid": sim.account_sid,
            "ApiVersion": "2010-04-01",
            "ApplicationSid": outbound.sid,
            "CallSid": call.sid,
            "CallStatus": "ringing",
            "Called": "customer",
            "Caller": "client:support_agent",
            "Direction": "inbound",
            "From": "client:support_agent",
            "To": "customer",
            "team": "billing",
            "ticket": "7",
        }
        assert call.requests[0].params == expected
        assert [(leg.to, leg.status) for leg in call.children] == [("client:customer", "completed")]


def test_a_device_call_without_a_to_has_no_geo_parameters() -> None:
    """As captured from Twilio (a Voice SDK call's Dial action, July 2023; its voice
    request, 2018): a call from a client with an empty ``To`` carries no ``*City``,
    ``*State``, ``*Zip`` or ``*Country`` keys, on its voice request nor its Dial action."""
    routes = {
        "/client": response('<Dial action="/after"><Client>bob</Client></Dial>'),
        "/after": response("<Hangup/>"),
    }
    with simulator(routes) as (sim, _):
        outbound = sim.application(voice_url=f"{APP_URL}/client")
        sim.phone("client:bob").hangs_up(after=5)
        call = sim.sdk_call("alice", application_sid=outbound.sid)
        sim.run()
    voice, action = call.requests
    standard = {
        "AccountSid": sim.account_sid,
        "ApiVersion": "2010-04-01",
        "ApplicationSid": outbound.sid,
        "CallSid": call.sid,
        "Called": "",
        "Caller": "client:alice",
        "Direction": "inbound",
        "From": "client:alice",
        "To": "",
    }
    assert voice.params == dict(standard, CallStatus="ringing")
    [leg] = call.children
    assert action.params == dict(
        standard,
        CallStatus="in-progress",
        DialBridged="true",
        DialCallDuration="5",
        DialCallSid=leg.sid,
        DialCallStatus="completed",
    )


def _refusal(code: int, title: str, why: str) -> str:
    return (
        f"Twilio would refuse this Access Token: {code} {title}: {why}; the device does not "
        f"connect and no call is placed [https://www.twilio.com/docs/errors/{code}]"
    )


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda sim, app_sid: "not-a-jwt",
            _refusal(
                20101,
                "Invalid Access Token",
                "a JWT has three dot-separated parts, this one 1; make it with "
                "twilio.jwt.access_token.AccessToken(...).to_jwt()",
            ),
        ),
        (
            lambda sim, app_sid: "e30.WzFd.c2ln",  # {} . [1] . sig
            _refusal(
                20101,
                "Invalid Access Token",
                "its header and payload must be JSON objects; make it with "
                "twilio.jwt.access_token.AccessToken(...).to_jwt()",
            ),
        ),
        (
            lambda sim, app_sid: "e30.bm90IGpzb24.c2ln",  # {} . not json . sig
            _refusal(
                20101,
                "Invalid Access Token",
                "its parts are not base64url JSON (Expecting value: line 1 column 1 (char 0)); "
                "make it with twilio.jwt.access_token.AccessToken(...).to_jwt()",
            ),
        ),
        (
            lambda sim, app_sid: _token(
                sim, application_sid=app_sid, key=("SK" + "0" * 32, "s" * 32)
            ),
            _refusal(
                20103,
                "Invalid Access Token issuer/subject",
                f"issuer 'SK{'0' * 32}' and subject '{{account}}' must be an API key of the "
                "account and the account's SID: sign it with AccessToken(sim.account_sid, "
                "key.sid, key.secret) where key = sim.api_key()",
            ),
        ),
        (
            lambda sim, app_sid: _token(
                sim, application_sid=app_sid, key=(sim.api_key().sid, "not-its-secret" * 3)
            ),
            _refusal(
                20107,
                "Invalid Access Token signature",
                "it is not signed with the secret of API key {key}: sign it with that key's "
                "secret (key.secret of key = sim.api_key())",
            ),
        ),
        (
            lambda sim, app_sid: _token(sim, application_sid=app_sid, identity=None),
            _refusal(
                20106,
                "Invalid Access Token grants",
                "it has no identity: give AccessToken an identity=...",
            ),
        ),
        (
            lambda sim, app_sid: _token(sim, application_sid=app_sid, grant=False),
            _refusal(
                20106,
                "Invalid Access Token grants",
                "it has no voice grant: add_grant(VoiceGrant(...))",
            ),
        ),
        (
            lambda sim, app_sid: _token(sim, application_sid=app_sid, ttl=90_000),
            _refusal(
                20104,
                "Access Token expired or expiration date invalid",
                "its lifetime is 90000 s, more than Twilio's maximum of 86400 s (24 hours): give "
                "AccessToken a smaller ttl",
            ),
        ),
        (
            lambda sim, app_sid: _token(sim),
            "Twilio would refuse this Access Token for an outgoing call: its voice grant has no "
            "outgoing application (VoiceGrant(outgoing_application_sid=...)); the device cannot "
            "connect",
        ),
    ],
)
def test_a_token_twilio_refuses_connects_no_call(
    make: Callable[[Simulator, str], str], message: str
) -> None:
    with simulator({}) as (sim, app):
        outbound = sim.application(voice_url=f"{APP_URL}/client")
        token = make(sim, outbound.sid)
        with pytest.raises(ConfigurationError) as raised:
            sim.sdk_call(token=token)
        keys = list(sim.store.api_keys)
        assert str(raised.value) == message.format(
            account=sim.account_sid, key=keys[0] if keys else ""
        )
        assert dict(sim.calls) == {}


def test_a_token_that_expires_before_it_is_valid_is_20104() -> None:
    with simulator({}) as (sim, app):
        key = sim.api_key()
        made = AccessToken(
            sim.account_sid, key.sid, key.secret, identity="agent", ttl=60, nbf=2_000_000_000
        )
        made.add_grant(VoiceGrant(outgoing_application_sid=sim.application().sid))
        token = made.to_jwt()
        payload = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
        with pytest.raises(ConfigurationError) as raised:
            sim.sdk_call(token=token)
    assert str(raised.value) == _refusal(
        20104,
        "Access Token expired or expiration date invalid",
        f"it expires ({payload['exp']}) before it is valid (nbf 2000000000): give AccessToken "
        "a positive ttl",
    )


def test_an_identity_beside_the_token_must_be_the_tokens() -> None:
    with simulator({}) as (sim, app):
        outbound = sim.application(voice_url=f"{APP_URL}/client")
        token = _token(sim, application_sid=outbound.sid)
        with pytest.raises(ConfigurationError) as raised:
            sim.sdk_call("alice", token=token)
    assert str(raised.value) == (
        "sim.sdk_call(identity='alice') differs from the token's 'support_agent'; leave "
        "identity out to use the token's"
    )


def test_a_subaccounts_token_connects_through_the_subaccounts_application() -> None:
    with Simulator() as sim:  # signed with the subaccount's token, not the helper's
        sim.route(APP_URL, TwimlApp({"/client": response("<Say>Sub</Say>")}))
        sub = sim.subaccount()
        outbound = sim.application(voice_url=f"{APP_URL}/client", account=sub)
        key = sim.api_key(account=sub)
        token = AccessToken(sub.sid, key.sid, key.secret, identity="agent")
        token.add_grant(VoiceGrant(outgoing_application_sid=outbound.sid))
        call = sim.sdk_call(token=token.to_jwt())
        sim.run()
        assert (call.record.account_sid, call.said) == (sub.sid, ["Sub"])
        assert call.requests[0].params["AccountSid"] == sub.sid


def test_connect_params_override_only_to_and_from() -> None:
    """Twilio's TwiML changelog: "Parameter overrides for Voice SDK calls can only override
    the To or From parameters": a param named as another one Twilio sets keeps Twilio's."""
    routes = {"/client": response("<Say>Hello</Say>")}
    with simulator(routes) as (sim, app):
        outbound = sim.application(voice_url=f"{APP_URL}/client")
        params = {
            "To": "+15558675310",
            "From": "+15005550006",
            "CallSid": "CA" + "0" * 32,
            "Direction": "outbound-api",
            "ticket": "7",
        }
        call = sim.sdk_call("alice", application_sid=outbound.sid, params=params)
        sim.run()
    voice = call.requests[0].params
    assert (voice["To"], voice["From"], voice["CallSid"], voice["Direction"], voice["ticket"]) == (
        "+15558675310",
        "+15005550006",
        call.sid,
        "inbound",
        "7",
    )


def test_a_client_1_capability_token_is_20102_naming_the_access_token_to_make() -> None:
    """A warm-transfer sample from before the Voice SDK hands its agents a Capability
    Token (twilio-node's jwt.ClientCapability): the refusal says what it is."""
    from twilio.jwt.client import ClientCapabilityToken

    with simulator({}) as (sim, app):
        capability = ClientCapabilityToken(sim.account_sid, sim.auth_token)
        capability.allow_client_incoming("agent1")
        with pytest.raises(ConfigurationError) as raised:
            sim.sdk_call(token=capability.to_jwt())
        assert dict(sim.calls) == {}
    assert str(raised.value) == _refusal(
        20102,
        "Invalid Access Token header",
        "it is a Capability Token ('scope:client:incoming?clientName=agent1'), which Twilio "
        "Client 1.x devices took and the Voice SDK does not: make an Access Token with a voice "
        "grant instead (twilio-node: twilio.jwt.AccessToken with AccessToken.VoiceGrant, not "
        "jwt.ClientCapability; twilio-python: twilio.jwt.access_token.AccessToken with "
        "VoiceGrant, not ClientCapabilityToken)",
    )

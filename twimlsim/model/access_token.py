"""Reading a Voice SDK Access Token (a JWT signed with an API key's secret) as Twilio reads
the one a device connects with: its issuer (the API key), subject (the account), signature,
lifetime and voice grant.

Twilio's codes for a token it refuses (the Voice SDK's error table): 20101 invalid token,
20102 invalid header, 20103 invalid issuer or subject, 20104 expired or expiration date
invalid, 20106 invalid grants, 20107 invalid signature. The token's times are not compared
with a clock (choice: the app signs them with its own clock, which is the wall clock until
the simulator's virtual time is frozen in): only a lifetime over Twilio's 24-hour maximum,
or an expiry before the start, is refused (20104). A Twilio Client 1.x Capability Token
(no ``cty``, a ``scope`` claim) is 20102, its header being what differs (a choice: which
code the Voice SDK gives one is UNCONFIRMED), with words that name what it is.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from twimlsim.errors import ConfigurationError, more_info

from .credentials import ApiKey

__all__ = ["MAX_TTL", "VoiceGrant", "read_voice_token"]

#: Twilio's longest Access Token lifetime, in seconds.
MAX_TTL = 24 * 3600


@dataclass(frozen=True, slots=True)
class VoiceGrant:
    """What a valid token lets its device do: connect as ``identity`` through the TwiML
    App ``application_sid``, with the grant's ``params`` sent to it."""

    account_sid: str
    identity: str
    application_sid: str | None
    params: Mapping[str, str] = field(default_factory=dict)
    incoming_allowed: bool = False

    def connect_as(self, identity: str | None, application_sid: str | None) -> tuple[str, str]:
        """The identity and application an outgoing call with this grant connects as;
        ones given beside the token (``sim.sdk_call(identity, token=...)``) must be its."""
        if self.application_sid is None:
            raise ConfigurationError(
                "Twilio would refuse this Access Token for an outgoing call: its voice grant "
                "has no outgoing application (VoiceGrant(outgoing_application_sid=...)); the "
                "device cannot connect"
            )
        for name, given, granted in (
            ("identity", identity, self.identity),
            ("application_sid", application_sid, self.application_sid),
        ):
            if given is not None and given.removeprefix("client:") != granted:
                raise ConfigurationError(
                    f"sim.sdk_call({name}={given!r}) differs from the token's {granted!r}; "
                    f"leave {name} out to use the token's"
                )
        return self.identity, self.application_sid


def _refuse(code: int, why: str) -> ConfigurationError:
    titles = {
        20101: "Invalid Access Token",
        20102: "Invalid Access Token header",
        20103: "Invalid Access Token issuer/subject",
        20104: "Access Token expired or expiration date invalid",
        20106: "Invalid Access Token grants",
        20107: "Invalid Access Token signature",
    }
    return ConfigurationError(
        f"Twilio would refuse this Access Token: {code} {titles[code]}: {why}; the device "
        f"does not connect and no call is placed [{more_info(code)}]"
    )


#: The way to a token Twilio reads, for a refusal of one that is no token at all.
_MAKE_ONE = "; make it with twilio.jwt.access_token.AccessToken(...).to_jwt()"


def _part(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def read_voice_token(token: str, api_keys: Mapping[str, ApiKey]) -> VoiceGrant:
    """The voice grant of ``token``, checked against the simulator's API keys; a
    ``ConfigurationError`` with Twilio's code when Twilio would refuse it."""
    segments = token.split(".")
    if len(segments) != 3:
        raise _refuse(
            20101,
            f"a JWT has three dot-separated parts, this one {len(segments)}{_MAKE_ONE}",
        )
    try:
        header = json.loads(_part(segments[0]))
        payload = json.loads(_part(segments[1]))
        signature = _part(segments[2])
    except (ValueError, binascii.Error) as error:
        raise _refuse(20101, f"its parts are not base64url JSON ({error}){_MAKE_ONE}") from None
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise _refuse(20101, f"its header and payload must be JSON objects{_MAKE_ONE}")
    scope = payload.get("scope")
    if header.get("cty") is None and isinstance(scope, str) and scope.startswith("scope:"):
        # Twilio Client 1.x's Capability Token: samples from before the Voice SDK make one
        raise _refuse(
            20102,
            f"it is a Capability Token ({scope!r}), which Twilio Client 1.x devices took and "
            "the Voice SDK does not: make an Access Token with a voice grant instead "
            "(twilio-node: twilio.jwt.AccessToken with AccessToken.VoiceGrant, not "
            "jwt.ClientCapability; twilio-python: twilio.jwt.access_token.AccessToken with "
            "VoiceGrant, not ClientCapabilityToken)",
        )
    if header.get("alg") != "HS256" or header.get("cty") != "twilio-fpa;v=1":
        raise _refuse(
            20102,
            f"expected alg HS256 and cty twilio-fpa;v=1, got alg {header.get('alg')!r} and cty "
            f"{header.get('cty')!r}: make it with twilio.jwt.access_token.AccessToken",
        )
    key = api_keys.get(str(payload.get("iss")))
    if key is None or payload.get("sub") != key.account_sid:
        raise _refuse(
            20103,
            f"issuer {payload.get('iss')!r} and subject {payload.get('sub')!r} must be an API "
            "key of the account and the account's SID: sign it with "
            "AccessToken(sim.account_sid, key.sid, key.secret) where key = sim.api_key()",
        )
    signed = f"{segments[0]}.{segments[1]}".encode()
    expected = hmac.new(key.secret.encode(), signed, hashlib.sha256).digest()
    if not hmac.compare_digest(expected, signature):
        raise _refuse(
            20107,
            f"it is not signed with the secret of API key {key.sid}: sign it with that "
            "key's secret (key.secret of key = sim.api_key())",
        )
    _check_lifetime(payload)
    return _voice_grant(payload, key.account_sid)


def _check_lifetime(payload: Mapping[str, object]) -> None:
    expires, starts = payload.get("exp"), payload.get("nbf")
    if not isinstance(expires, int):
        raise _refuse(20104, f"exp must be a time in seconds, got {expires!r}{_MAKE_ONE}")
    if isinstance(starts, int) and expires <= starts:
        raise _refuse(
            20104,
            f"it expires ({expires}) before it is valid (nbf {starts}): give AccessToken a "
            "positive ttl",
        )
    if isinstance(starts, int) and expires - starts > MAX_TTL:
        raise _refuse(
            20104,
            f"its lifetime is {expires - starts} s, more than Twilio's maximum of {MAX_TTL} s "
            "(24 hours): give AccessToken a smaller ttl",
        )


def _voice_grant(payload: Mapping[str, object], account_sid: str) -> VoiceGrant:
    grants = payload.get("grants")
    grants = grants if isinstance(grants, dict) else {}
    identity = grants.get("identity")
    voice = grants.get("voice")
    if not isinstance(identity, str) or not identity:
        raise _refuse(20106, "it has no identity: give AccessToken an identity=...")
    if not isinstance(voice, dict):
        raise _refuse(20106, "it has no voice grant: add_grant(VoiceGrant(...))")
    outgoing = voice.get("outgoing")
    outgoing = outgoing if isinstance(outgoing, dict) else {}
    application_sid = outgoing.get("application_sid")
    params = outgoing.get("params")
    incoming = voice.get("incoming")
    return VoiceGrant(
        account_sid=account_sid,
        identity=identity,
        application_sid=application_sid if isinstance(application_sid, str) else None,
        params={str(k): str(v) for k, v in params.items()} if isinstance(params, dict) else {},
        incoming_allowed=isinstance(incoming, dict) and incoming.get("allow") is True,
    )

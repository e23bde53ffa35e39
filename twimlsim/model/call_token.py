"""The ``CallToken`` of an inbound call, and reading one back.

Twilio adds ``CallToken`` to the voice request of a call that rings in on an owned number
("Twilio's request to your application": "a token string needed to invoke a forwarded
call"); an app forwarding the call passes it as ``CallToken`` on ``POST /Calls`` so that
the new call may show the caller's own number as its ``From`` (the Call resource page: "A
forwarded call should bear the same CallerID of the original incoming call").

Real requests carry it percent-encoded inside the form value:
``%7B%22parentCallInfoToken%22%3A%22<JWT>%22%2C%22identityHeaderTokens%22%3A%5B%5D%7D``,
the JWT's header ``{"alg":"ES256"}`` and its payload ``{"callSid":...,"from":...,"to":...,
"iat":"<seconds>"}``. twimlsim writes the same shape; its signature is a digest of the
header and payload (not ES256), so a token twimlsim did not issue, or one edited, is not
read back.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote, unquote

__all__ = ["CallTokenClaims", "inbound_call_token", "read_call_token"]

_HEADER = {"alg": "ES256"}


@dataclass(frozen=True, slots=True)
class CallTokenClaims:
    """What a token twimlsim issued says: the inbound call and its endpoints."""

    call_sid: str
    from_: str
    to: str


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _compact(value: object) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


def _signature(signed: str) -> str:
    return _b64(hashlib.sha512(b"twimlsim call token " + signed.encode()).digest())


def inbound_call_token(call_sid: str, from_: str, to: str, at: datetime) -> str:
    """The ``CallToken`` parameter's value for the inbound call ``call_sid`` ringing at
    ``at``, as Twilio sends it (the JSON percent-encoded)."""
    claims = {"callSid": call_sid, "from": from_, "to": to, "iat": str(int(at.timestamp()))}
    signed = f"{_b64(_compact(_HEADER))}.{_b64(_compact(claims))}"
    jwt = f"{signed}.{_signature(signed)}"
    wrapper = {"parentCallInfoToken": jwt, "identityHeaderTokens": []}
    return quote(json.dumps(wrapper, separators=(",", ":")), safe="")


def read_call_token(value: str) -> CallTokenClaims | None:
    """The claims of a ``CallToken`` twimlsim issued (percent-encoded or not), or None for
    any other text."""
    text = value if value.lstrip().startswith("{") else unquote(value)
    try:
        wrapper = json.loads(text)
        jwt = wrapper["parentCallInfoToken"]
        signed, signature = jwt.rsplit(".", 1)
        payload = signed.split(".", 1)[1]
        if signature != _signature(signed):
            return None
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return CallTokenClaims(str(claims["callSid"]), str(claims["from"]), str(claims["to"]))
    except (ValueError, TypeError, KeyError, IndexError, AttributeError):
        return None

"""The SipDomain record: a SIP Domain (``SD...``), the host name (``office.sip.twilio.com``)
a PBX or softphone sends its calls to, and the voice URLs that answer them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

__all__ = [
    "SipDomain",
    "domain_name_problem",
    "domain_of_uri",
    "regionless_domain",
    "without_uri_parameters",
]

#: ``label.sip.twilio.com``, as a SIP Domain's name is written (Twilio: letters, digits and
#: "-", ending with ``sip.twilio.com``).
_DOMAIN_NAME = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.sip\.twilio\.com")
#: The host of a SIP URI sent to a domain, its region written or not
#: (``office.sip.twilio.com``, ``office.sip.us1.twilio.com``).
_DOMAIN_HOST = re.compile(r"(?P<label>[a-z0-9-]+)\.sip(?P<region>\.[a-z]{2}[0-9])?\.twilio\.com")


@dataclass(slots=True)
class SipDomain:
    """One SIP Domain of an account, with the voice fields a call to it uses: its voice URL
    and fallback are requested as a number's are, and its voice status callback gets the
    call's ``completed`` event."""

    sid: str
    account_sid: str
    domain_name: str
    voice_url: str | None = None
    voice_method: str = "POST"
    voice_fallback_url: str | None = None
    voice_fallback_method: str = "POST"
    voice_status_callback_url: str | None = None
    voice_status_callback_method: str = "POST"
    friendly_name: str | None = None
    created_at: datetime | None = None

    @property
    def status_callback(self) -> str | None:
        """The voice status callback URL (the name owned numbers give it)."""
        return self.voice_status_callback_url

    @property
    def status_callback_method(self) -> str:
        """The voice status callback's method."""
        return self.voice_status_callback_method


def domain_name_problem(name: str) -> str | None:
    """What is wrong with ``name`` as a SIP Domain's name, or None when Twilio takes it."""
    if _DOMAIN_NAME.fullmatch(name.lower()) is None:
        return (
            "a SIP Domain's name is letters, digits and '-', then '.sip.twilio.com' "
            "(such as 'office.sip.twilio.com')"
        )
    return None


def domain_of_uri(uri: str) -> str | None:
    """The name of the SIP Domain a call to the SIP URI ``uri`` reaches
    (``sip:+15551234567@office.sip.us1.twilio.com`` reaches ``office.sip.twilio.com``), or
    None when its host is not a Twilio SIP Domain."""
    found = _domain_host(uri)
    return None if found is None else f"{found['label']}.sip.twilio.com"


def regionless_domain(uri: str) -> str | None:
    """The host of the SIP URI ``uri`` when it is a Twilio SIP Domain written without its
    region (``sip:alice@office.sip.twilio.com``), which a ``<Dial><Sip>`` cannot reach
    (Twilio's 32215: dial ``office.sip.us1.twilio.com``); else None."""
    found = _domain_host(uri)
    return None if found is None or found["region"] else found.group(0)


def without_uri_parameters(uri: str) -> str:
    """The SIP URI ``uri`` without the parameters after its host (``;transport=tls``,
    ``;region=ie1``, which Twilio's ``<Sip>`` page writes to choose a transport or the
    region sending the INVITE): the same endpoint. A ``;`` in the user part
    (``sip:alice;day=tuesday@host``, RFC 3261's own example) is kept."""
    user, at, host = uri.rpartition("@")
    if at:
        return f"{user}@{host.partition(';')[0]}"
    scheme, colon, rest = uri.partition(":")
    return f"{scheme}{colon}{rest.partition(';')[0]}" if colon else uri.partition(";")[0]


def _domain_host(uri: str) -> re.Match[str] | None:
    address = uri.split(":", 1)[1] if ":" in uri else uri
    host = address.rsplit("@", 1)[-1].split(";", 1)[0].split("?", 1)[0].split(":", 1)[0]
    return _DOMAIN_HOST.fullmatch(host.lower())

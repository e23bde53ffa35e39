"""The SipDomain record: a SIP Domain (``SD...``), the host name (``office.sip.twilio.com``)
a PBX or softphone sends its calls to, and the voice URLs that answer them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

__all__ = [
    "SipDomain",
    "domain_name_problem",
    "dial_refusal",
    "domain_of_uri",
    "edge_dialled",
    "endpoint_of_uri",
    "no_username_dialled",
    "undiallable_edge",
    "userless_domain",
    "without_uri_parameters",
]

#: ``label.sip.twilio.com``, as a SIP Domain's name is written (Twilio: letters, digits and
#: "-", ending with ``sip.twilio.com``).
_DOMAIN_NAME = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.sip\.twilio\.com")
#: The host of a SIP URI at a domain, its localized form too (``office.sip.twilio.com``,
#: ``office.sip.ashburn.twilio.com``, the legacy ``office.sip.us1.twilio.com``).
_DOMAIN_HOST = re.compile(r"(?P<label>[a-z0-9-]+)\.sip(?:\.(?P<edge>[a-z0-9-]+))?\.twilio\.com")
#: The edges of a SIP Domain's localized URIs: Twilio's "SIP URIs" and "Interconnect SIP
#: URIs" pages, their legacy region forms included (Interconnect has no São Paulo exchange).
_EDGES = frozenset(
    {
        *("ashburn", "umatilla", "dublin", "frankfurt", "singapore", "tokyo", "sao-paulo"),
        "sydney",
        *("ashburn-ix", "san-jose-ix", "london-ix", "frankfurt-ix", "singapore-ix"),
        *("tokyo-ix", "sydney-ix"),
        *("us1", "us2", "ie1", "de1", "sg1", "jp1", "br1", "au1"),
        *("us1-ix", "us2-ix", "ie1-ix", "de1-ix", "sg1-ix", "jp1-ix", "au1-ix"),
    }
)
#: The edges a ``<Dial><Sip>`` may still name (Twilio's 32220 page: "existing registration
#: customers dialing yourdomain.sip.us1.twilio.com or yourdomain.sip.us1-ix.twilio.com are
#: allowed (although this behavior is deprecated)").
_DIALLABLE_EDGES = frozenset({"us1", "us1-ix"})


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
    lowered = name.lower()
    if _DOMAIN_NAME.fullmatch(lowered) is not None:
        return None
    localized = _DOMAIN_HOST.fullmatch(lowered)
    if localized is not None and localized["edge"] in _EDGES:
        domain = f"{localized['label']}.sip.twilio.com"
        return (
            f"{name!r} is the SIP Domain {domain} written with the edge "
            f"{localized['edge']!r}, a localized URI devices register and send their calls "
            f"through; a SIP Domain is named without it: give {domain!r} (calls sent to "
            f"sip:...@{lowered} still reach it)"
        )
    return (
        "a SIP Domain's name is letters, digits and '-', then '.sip.twilio.com' "
        "(such as 'office.sip.twilio.com')"
    )


def domain_of_uri(uri: str) -> str | None:
    """The name of the SIP Domain a call to the SIP URI ``uri`` reaches, through its global
    URI or a localized one (``sip:+15551234567@office.sip.ashburn.twilio.com`` reaches
    ``office.sip.twilio.com``), or None when its host is not a Twilio SIP Domain."""
    found = _domain_host(uri)
    return None if found is None else f"{found['label']}.sip.twilio.com"


def undiallable_edge(uri: str) -> tuple[str, str] | None:
    """``(edge, domain name)`` when the SIP URI ``uri`` names a registered endpoint at one
    of its SIP Domain's edges that a ``<Dial><Sip>`` cannot reach
    (``sip:alice@office.sip.ashburn.twilio.com``: Twilio's 32220, "Dial the global URI for
    your SIP domain"); None for the global URI, the deprecated ``us1`` and ``us1-ix``
    forms Twilio still dials, and any other host."""
    found = _domain_host(uri)
    if found is None or found["edge"] is None or found["edge"] in _DIALLABLE_EDGES:
        return None
    return found["edge"], f"{found['label']}.sip.twilio.com"


def edge_dialled(uri: str, edge: str, domain: str, outcome: str) -> str:
    """Twilio's 32220 for a call (a ``<Dial><Sip>`` leg, a create's) to ``uri`` at
    ``domain``'s ``edge``, saying what happened (``outcome``) and the global URI to call
    instead, in the scheme written (``sips:`` stays ``sips:``)."""
    scheme, colon, address = uri.partition(":")
    if not colon or scheme.lower() not in ("sip", "sips"):
        scheme, address = "sip", uri
    user = address.rsplit("@", 1)[0] if "@" in address else "username"
    return (
        f"{uri} names the edge {edge!r} of the SIP Domain {domain}: Twilio does not dial a "
        f"registered endpoint at an edge-specific URI (only the deprecated us1 and us1-ix "
        f"forms), and {outcome}. Dial the domain's global URI, "
        f"{scheme.lower()}:{user}@{domain}"
    )


def userless_domain(uri: str) -> str | None:
    """The SIP Domain the SIP URI ``uri`` names alone, with no username
    (``sip:office.sip.twilio.com``), which a call cannot dial (Twilio's 32223); None when it
    names an endpoint there (an empty one, ``sip:@host``, is an invalid URI: 13243), or its
    host is no Twilio SIP Domain."""
    found = _domain_host(uri)
    address = uri.split(":", 1)[1] if ":" in uri else uri
    if found is None or "@" in address.partition("?")[0]:
        return None
    return f"{found['label']}.sip.twilio.com"


def no_username_dialled(uri: str, domain: str, outcome: str) -> str:
    """Twilio's 32223 for a ``<Dial><Sip>`` leg to ``uri``, the SIP Domain ``domain`` with
    no username, saying what happened (``outcome``)."""
    scheme = uri.partition(":")[0].lower() if ":" in uri else "sip"
    scheme = scheme if scheme in ("sip", "sips") else "sip"
    return (
        f"{uri} names the SIP Domain {domain} with no username: Twilio calls only an "
        'endpoint registered at a SIP Domain, not the domain itself (its 32223: "You can '
        'only call a registered SIP endpoint such as username@yourdomain.sip.twilio.com"), '
        f"and {outcome}. Dial the endpoint, {scheme}:username@{domain}"
    )


def dial_refusal(uri: str, outcome: str) -> tuple[int, str] | None:
    """Twilio's error code and message for a call to the SIP URI ``uri`` that Twilio does
    not place, saying what happened (``outcome``): 32220 for a registered endpoint at one
    of its SIP Domain's edges (``undiallable_edge``), 32223 for a SIP Domain with no
    username (``userless_domain``); None for a URI that is dialled."""
    edge = undiallable_edge(uri)
    if edge is not None:
        return 32220, edge_dialled(uri, *edge, outcome)
    domain = userless_domain(uri)
    if domain is not None:
        return 32223, no_username_dialled(uri, domain, outcome)
    return None


def endpoint_of_uri(uri: str) -> str:
    """The SIP URI ``uri`` (without its parameters and headers) as the endpoint it reaches:
    its host in lower case (RFC 3261 compares hosts without case), and a SIP Domain's
    localized host as the domain's global one (``sip:alice@office.sip.us1.twilio.com``,
    which Twilio still dials, reaches the endpoint registered at
    ``sip:alice@office.sip.twilio.com``). The user part keeps its case, as RFC 3261 says."""
    user, at, host = uri.rpartition("@")
    if not at:
        return uri
    lowered = host.lower()
    found = _DOMAIN_HOST.fullmatch(lowered)
    if found is not None and found["edge"] in _EDGES:
        lowered = f"{found['label']}.sip.twilio.com"
    return uri if lowered == host else f"{user}@{lowered}"


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
    found = _DOMAIN_HOST.fullmatch(host.lower())
    if found is None or (found["edge"] is not None and found["edge"] not in _EDGES):
        return None
    return found

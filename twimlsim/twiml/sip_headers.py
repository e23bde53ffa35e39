"""Which SIP headers a ``<Dial><Sip>`` URI may carry (``sip:bob@host?x-name=value``).

Twilio's error 13252 page ("Dial: Invalid header name"): custom headers use the ``x-``
prefix, and ``User-to-User``, ``Remote-Party-ID``, ``P-Preferred-Identity`` and
``P-Called-Party-ID`` go without it; any other header is left out of the INVITE (its
32113 page). Its ``<Sip>`` page: the headers must be under 1024 characters (13253, "Dial:
Header is too long").
"""

from __future__ import annotations

__all__ = ["MAX_SIP_HEADERS_CHARS", "UNPREFIXED_SIP_HEADERS", "usable_sip_header"]

#: The standard headers Twilio sends without the ``x-`` prefix (matched without case).
UNPREFIXED_SIP_HEADERS = (
    "User-to-User",
    "Remote-Party-ID",
    "P-Preferred-Identity",
    "P-Called-Party-ID",
)
#: The headers part of a SIP URI must be shorter than this.
MAX_SIP_HEADERS_CHARS = 1024

_UNPREFIXED = frozenset(name.lower() for name in UNPREFIXED_SIP_HEADERS)


def usable_sip_header(name: str) -> bool:
    """Whether Twilio sends the header ``name`` in the INVITE."""
    lowered = name.lower()
    return (lowered.startswith("x-") and len(lowered) > 2) or lowered in _UNPREFIXED

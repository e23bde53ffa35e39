"""Messages the app sent (Twilio's Message resource, ``POST /Messages.json``).

twimlsim simulates voice: a message is accepted, checked and kept as Twilio answers its
create, and goes no further (choice, in the README's fidelity notes): it stays ``queued``,
is never delivered, and its ``StatusCallback`` is never requested. This lets a voice app
that also texts (a reminder, a missed-call note) run and be asserted on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = ["MAX_BODY", "Message", "segments"]

#: Twilio's longest message body (21617 above it).
MAX_BODY = 1600
#: The GSM-7 basic character set and its extension table (the extension characters take
#: two septets). A body with any other character is sent as UCS-2.
_GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENDED = frozenset("^{}\\[~]|€\f")


@dataclass(slots=True)
class Message:
    """One message the app created."""

    sid: str
    account_sid: str
    to: str
    from_: str | None
    body: str
    created_at: datetime
    messaging_service_sid: str | None = None
    num_media: int = 0
    status: str = "queued"
    status_callback: str | None = None
    #: ``outbound-api`` (``POST /Messages.json``) or ``outbound-call`` (``<Sms>`` in a call).
    direction: str = "outbound-api"


def segments(body: str) -> int:
    """How many SMS segments ``body`` takes: 160 GSM-7 septets in one (153 each when
    split), or 70 UCS-2 code units (67 each when split)."""
    if all(char in _GSM_BASIC or char in _GSM_EXTENDED for char in body):
        units, single, part = sum(2 if c in _GSM_EXTENDED else 1 for c in body), 160, 153
    else:
        units, single, part = len(body.encode("utf-16-le")) // 2, 70, 67
    if units <= single:
        return 1
    return -(-units // part)

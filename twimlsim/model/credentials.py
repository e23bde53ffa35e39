"""What else an account holds besides calls: API keys and verified caller IDs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = ["ApiKey", "OutgoingCallerId"]


@dataclass(slots=True)
class ApiKey:
    """A Standard API key (``SK...``): its SID and secret authenticate like the account's.

    Like Twilio's Standard keys it cannot manage the Accounts and Keys resources.
    """

    sid: str
    account_sid: str
    secret: str
    friendly_name: str
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(slots=True)
class OutgoingCallerId:
    """A verified caller ID (``PN...``): a number the account may place calls ``From``."""

    sid: str
    account_sid: str
    phone_number: str
    friendly_name: str
    created_at: datetime | None = None
    updated_at: datetime | None = None

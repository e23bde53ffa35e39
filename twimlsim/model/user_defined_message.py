"""Messages between the app's server and the Voice SDK end user of a live call: a User
Defined Message the server sends (``KX``) and a subscription (``ZY``) to the messages the
SDK sends, Twilio's two REST subresources of a Call."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = ["UserDefinedMessage", "UserDefinedMessageSubscription"]


@dataclass(frozen=True, slots=True)
class UserDefinedMessage:
    """A message the server sent to the SDK end user: ``content`` as sent (JSON text)."""

    sid: str
    account_sid: str
    call_sid: str
    content: str
    created_at: datetime
    idempotency_key: str | None = None


@dataclass(slots=True)
class UserDefinedMessageSubscription:
    """Where the SDK end user's messages are sent (``callback`` with ``method``) until
    the subscription is deleted (``deleted``)."""

    sid: str
    account_sid: str
    call_sid: str
    callback: str
    method: str
    created_at: datetime
    idempotency_key: str | None = None
    deleted: bool = False

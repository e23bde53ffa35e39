"""The longest Voice SDK client identity Twilio dials: 256 characters.

Twilio's TwiML changelog (2024.03.20): "Client ID character limit for <Dial><Client>, POST
to /Calls, and POST to /Participants has been increased to 256 characters". A longer one
names nobody Twilio can ring: the REST API refuses it (21211, the code of an invalid
``To``: a choice, as Twilio names none) and a ``<Dial><Client>`` leg to it fails at once.
"""

from __future__ import annotations

__all__ = ["MAX_CLIENT_IDENTITY", "identity_too_long"]

MAX_CLIENT_IDENTITY = 256


def identity_too_long(identity: str) -> bool:
    """Whether ``identity`` (without ``client:`` or custom parameters) is over the limit."""
    return len(identity) > MAX_CLIENT_IDENTITY

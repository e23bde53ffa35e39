"""The Application record: a TwiML App (``AP...``), a set of voice URLs calls and numbers share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = ["Application"]


@dataclass(slots=True)
class Application:
    """One TwiML Application of an account, with the fields Twilio's resource reports.

    The voice fields are what a call placed with its ``ApplicationSid``, a number configured
    with its ``VoiceApplicationSid`` and a ``<Dial><Application>`` use instead of their own
    URLs. The SMS fields are kept and reported but never used: twimlsim simulates voice only.
    """

    sid: str
    account_sid: str
    friendly_name: str | None = None
    voice_url: str | None = None
    voice_method: str = "POST"
    voice_fallback_url: str | None = None
    voice_fallback_method: str = "POST"
    status_callback: str | None = None
    status_callback_method: str = "POST"
    voice_caller_id_lookup: bool = False
    sms_url: str | None = None
    sms_method: str = "POST"
    sms_fallback_url: str | None = None
    sms_fallback_method: str = "POST"
    sms_status_callback: str | None = None
    message_status_callback: str | None = None
    public_application_connect_enabled: bool = False
    api_version: str = "2010-04-01"
    created_at: datetime | None = None
    updated_at: datetime | None = None

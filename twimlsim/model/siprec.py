"""A SIPREC session of a live call (Twilio's Siprec resource, ``SR``): the call's audio
forked to a SIP recording server through a connector, started by ``<Start><Siprec>`` or
``POST /Calls/{Sid}/Siprec.json`` and stopped by ``<Stop><Siprec>``, ``POST
/Calls/{Sid}/Siprec/{Sid or name}.json`` or the call's end. twimlsim sends no audio: the
session is a record of what Twilio would fork where."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .call_fork import StoppedOnce

__all__ = ["SiprecSession"]


@dataclass(slots=True)
class SiprecSession(StoppedOnce):
    """One session: the connector it goes through, the ``track`` it carries and its custom
    ``parameters``; ``status`` is ``in-progress`` until ``stopped_at``."""

    sid: str
    account_sid: str
    call_sid: str
    name: str | None
    connector_name: str | None
    track: str
    parameters: tuple[tuple[str, str], ...]
    started_at: datetime
    updated_at: datetime
    stopped_at: datetime | None = None
    #: Where ``siprec-started`` and ``siprec-stopped`` are reported (None: nowhere).
    status_callback: str | None = None
    status_callback_method: str = "POST"

"""A media stream of a live call (Twilio's Stream resource, ``MZ``): a unidirectional one
started by ``<Start><Stream>`` or ``POST /Calls/{Sid}/Streams.json`` and stopped by
``<Stop><Stream>``, ``POST /Calls/{Sid}/Streams/{Sid or name}.json`` or the call's end; a
bidirectional one (``<Connect><Stream>``) lasts until the app's server closes it, a REST
update moves the call on, or the call ends."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .call_fork import StoppedOnce

__all__ = ["MediaStream"]


@dataclass(slots=True)
class MediaStream(StoppedOnce):
    """One stream: where it goes (``url``), what it carries (``track``) and its custom
    ``parameters``; ``status`` is ``in-progress`` until ``stopped_at``."""

    sid: str
    account_sid: str
    call_sid: str
    name: str | None
    url: str
    track: str
    parameters: tuple[tuple[str, str], ...]
    started_at: datetime
    updated_at: datetime
    stopped_at: datetime | None = None
    #: Where ``stream-started`` and ``stream-stopped`` are reported (None: nowhere).
    status_callback: str | None = None
    status_callback_method: str = "POST"
    #: A ``<Connect><Stream>`` (the app's server talks back); the REST API cannot stop it.
    bidirectional: bool = False
    #: The messages the app's WebSocket handler sent on it (``media``, ``mark``,
    #: ``clear``, as parsed JSON, in order), when twimlsim opened its socket (an ASGI app
    #: routed in process); None otherwise. On a unidirectional stream, the JSON objects it
    #: sent, which Twilio ignores.
    app_messages: list[dict[str, Any]] | None = None

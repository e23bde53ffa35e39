"""The app's requests to the fake REST API, logged the way webhooks are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = ["ApiRequest"]


@dataclass(frozen=True, slots=True)
class ApiRequest:
    """One request the app made to Twilio's REST API, and the answer it got.

    ``kind`` names the endpoint as resource and action (``calls.create``, ``calls.update``,
    ``calls.fetch``, ``recordings.list``...; ``unknown`` when no route matched); ``params``
    holds the form (POST) or query (GET) parameters by wire name, the first value of each
    (``pairs`` keeps every pair, for repeated names such as ``StatusCallbackEvent``);
    ``call_sid`` is the call the request is about (for ``calls.create``, the call it
    created), ``at`` the virtual time, ``status`` and ``body`` the API's answer.
    """

    method: str
    url: str
    params: dict[str, str]
    pairs: tuple[tuple[str, str], ...]
    kind: str
    call_sid: str | None
    at: datetime
    status: int
    body: bytes

    def values(self, name: str) -> list[str]:
        """Every value sent for parameter ``name``, in order."""
        return [value for key, value in self.pairs if key == name]

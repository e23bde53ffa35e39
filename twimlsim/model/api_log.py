"""The app's requests to the fake REST API, logged the way webhooks are."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

__all__ = ["ApiRequest", "ParamPairs"]

#: Parameter pairs (name, value) in the order sent.
ParamPairs = tuple[tuple[str, str], ...]


def _no_params(raw: bytes) -> ParamPairs:
    return ()


@dataclass(frozen=True, slots=True)
class ApiRequest:
    """One request the app made to Twilio's REST API, and the answer it got.

    ``kind`` names the endpoint as resource and action (``calls.create``, ``calls.update``,
    ``calls.fetch``, ``recordings.list``...; ``unknown`` when no route matched); ``params``
    holds the form (POST) or query (GET) parameters by wire name, the first value of each
    (``pairs`` keeps every pair, for repeated names such as ``StatusCallbackEvent``);
    ``call_sid`` is the call the request is about (for ``calls.create``, the call it
    created), ``at`` the virtual time, ``status`` and ``body`` the API's answer.

    The parameters are kept as the bytes sent (``raw_params``, the form body or the query
    string) and parsed when read: a suite of thousands of calls keeps its whole log.
    """

    method: str
    url: str
    kind: str
    call_sid: str | None
    at: datetime
    status: int
    body: bytes
    #: The form body (POST) or query string (GET) the parameters were sent in.
    raw_params: bytes = b""
    #: Turns ``raw_params`` into pairs (the REST API's own form parsing).
    parse_params: Callable[[bytes], ParamPairs] = field(
        default=_no_params, repr=False, compare=False
    )

    @property
    def pairs(self) -> ParamPairs:
        """Every parameter pair (name, value), in the order sent."""
        return self.parse_params(self.raw_params)

    @property
    def params(self) -> dict[str, str]:
        """The parameters by wire name, the first value of each."""
        params: dict[str, str] = {}
        for name, value in self.pairs:
            params.setdefault(name, value)
        return params

    def values(self, name: str) -> list[str]:
        """Every value sent for parameter ``name``, in order."""
        return [value for key, value in self.pairs if key == name]

"""The app's requests to the fake REST API, logged the way webhooks are."""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

__all__ = ["ApiRequest", "ParamPairs", "pack_body"]

#: Answers shorter than this are kept as they are (compressing them saves nothing).
_PACK_FROM = 512

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
    string) and parsed when read, and a long answer is kept compressed (``pack_body``): a
    suite of thousands of calls keeps its whole log.
    """

    method: str
    url: str
    kind: str
    call_sid: str | None
    at: datetime
    status: int
    #: The answer's body as stored: ``pack_body``'s output (read ``body``).
    packed_body: bytes
    #: The form body (POST) or query string (GET) the parameters were sent in.
    raw_params: bytes = b""
    #: Turns ``raw_params`` into pairs (the REST API's own form parsing).
    parse_params: Callable[[bytes], ParamPairs] = field(
        default=_no_params, repr=False, compare=False
    )

    @property
    def body(self) -> bytes:
        """The body of the API's answer, byte for byte."""
        packed = self.packed_body
        return zlib.decompress(packed[1:]) if packed[:1] == b"z" else packed[1:]

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


def pack_body(body: bytes) -> bytes:
    """``body`` as ``ApiRequest.packed_body`` keeps it: a marker byte, then the body as it
    is or (long JSON answers, a third of the size) compressed."""
    if len(body) < _PACK_FROM:
        return b"=" + body
    # A 4 kB window and small hash tables: zlib.compress's defaults spend ~50 us setting up
    # 256 kB of state for a 2 kB answer; these take ~6 us for the same size.
    packer = zlib.compressobj(1, zlib.DEFLATED, 12, 4)
    return b"z" + packer.compress(body) + packer.flush()

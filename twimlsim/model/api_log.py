"""The app's requests to the fake REST API, logged the way webhooks are."""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

__all__ = ["ApiRequest", "BodyPacker", "ParamPairs", "pack_body"]

#: Answers shorter than this are kept as they are (compressing them saves nothing).
_PACK_FROM = 512
#: A 4 kB window and small hash tables: zlib.compress's defaults spend ~50 us setting up
#: 256 kB of state for a 2 kB answer; these take ~6 us for the same size.
_WINDOW_BITS = 12
_MEMORY_LEVEL = 4
#: zlib reads at most a window of a preset dictionary.
_DICTIONARY_MAX = 1 << _WINDOW_BITS
#: Kinds of request (``calls.create``...) a packer keeps a dictionary for.
_DICTIONARIES_LIMIT = 64

#: ``packed_body`` of an answer that is its own kind's dictionary (the first of its kind).
_IS_DICTIONARY = b"D"

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
    string) and parsed when read, and a long answer is kept compressed (``BodyPacker``,
    against an earlier answer of the same kind: about 120 bytes for a call's 2 kB of
    JSON): a suite of thousands of calls keeps its whole log.
    """

    method: str
    url: str
    kind: str
    call_sid: str | None
    at: datetime
    status: int
    #: The answer's body as stored: ``BodyPacker.pack``'s output (read ``body``).
    packed_body: bytes
    #: The form body (POST) or query string (GET) the parameters were sent in.
    raw_params: bytes = b""
    #: Turns ``raw_params`` into pairs (the REST API's own form parsing).
    parse_params: Callable[[bytes], ParamPairs] = field(
        default=_no_params, repr=False, compare=False
    )
    #: The preset zlib dictionary ``packed_body`` was compressed with (shared, not copied).
    dictionary: bytes = field(default=b"", repr=False, compare=False)

    @property
    def body(self) -> bytes:
        """The body of the API's answer, byte for byte."""
        packed = self.packed_body
        if packed == _IS_DICTIONARY:
            return self.dictionary
        marker = packed[:1]
        if marker == b"d":
            unpacker = zlib.decompressobj(zdict=self.dictionary)
            return unpacker.decompress(packed[1:]) + unpacker.flush()
        return zlib.decompress(packed[1:]) if marker == b"z" else packed[1:]

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


class BodyPacker:
    """Packs the answers of one REST log, each as ``ApiRequest.packed_body`` keeps it.

    The first long answer to each kind of request (``calls.create``...) becomes the preset
    dictionary of the later ones of its kind (and is kept as that dictionary, uncompressed:
    a test that makes one call compresses nothing), which differ
    from it in a few values (SIDs, times, numbers): a call's 2 kB of JSON packs into about
    120 bytes instead of about 550.
    """

    def __init__(self) -> None:
        self._dictionaries: dict[str, bytes] = {}
        #: A compressor already fed each kind's dictionary, copied for each answer
        #: (copying its state costs a third of setting one up with the dictionary).
        self._primed: dict[str, Any] = {}

    def pack(self, kind: str, body: bytes) -> tuple[bytes, bytes]:
        """``body`` packed, and the dictionary it was packed with (``b""``: none)."""
        if len(body) < _PACK_FROM:
            return b"=" + body, b""
        dictionary = self._dictionaries.get(kind)
        if dictionary is None:
            if len(self._dictionaries) < _DICTIONARIES_LIMIT:
                self._dictionaries[kind] = body[:_DICTIONARY_MAX]
                if len(body) <= _DICTIONARY_MAX:
                    # the whole answer is the dictionary (the same bytes): kept once
                    return _IS_DICTIONARY, body
            return pack_body(body), b""
        primed = self._primed.get(kind)
        if primed is None:
            primed = self._primed[kind] = zlib.compressobj(
                1, zlib.DEFLATED, _WINDOW_BITS, _MEMORY_LEVEL, zlib.Z_DEFAULT_STRATEGY, dictionary
            )
        packer = primed.copy()
        return b"d" + packer.compress(body) + packer.flush(), dictionary


def pack_body(body: bytes) -> bytes:
    """``body`` as ``ApiRequest.packed_body`` keeps it: a marker byte, then the body as it
    is or (long JSON answers, a third of the size) compressed."""
    if len(body) < _PACK_FROM:
        return b"=" + body
    packer = zlib.compressobj(1, zlib.DEFLATED, _WINDOW_BITS, _MEMORY_LEVEL)
    return b"z" + packer.compress(body) + packer.flush()

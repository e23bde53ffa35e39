"""The app's requests to the fake REST API, logged the way webhooks are."""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

__all__ = [
    "REBUILT",
    "ApiRequest",
    "BodyPacker",
    "ParamPairs",
    "RebuiltBody",
    "Template",
    "pack_body",
]

#: Answers shorter than this are kept as they are (compressing them saves nothing).
_PACK_FROM = 512
#: A 4 kB window and small hash tables: zlib.compress's defaults spend ~50 us setting up
#: 256 kB of state for a 2 kB answer; these take ~6 us for the same size.
_WINDOW_BITS = 12
_MEMORY_LEVEL = 4
#: zlib reads at most a window of a preset dictionary.
_DICTIONARY_MAX = 1 << _WINDOW_BITS
#: How much of an answer's body ``repr(ApiRequest)`` shows.
_REPR_BODY = 300
#: Kinds of request (``calls.create``...) a packer keeps a dictionary for.
_DICTIONARIES_LIMIT = 64

#: ``packed_body`` of an answer that is its own kind's dictionary (the first of its kind).
_IS_DICTIONARY = b"D"
#: ``packed_body`` of an answer that is its kind's ``Template`` with the entry's own
#: values put in: nothing of the answer is stored but this marker.
_FROM_TEMPLATE = b"T"
#: ``packed_body`` of an answer rebuilt when read from the ``RebuiltBody`` kept as its
#: ``dictionary`` (recording media: megabytes of silence that a few numbers describe).
REBUILT = b"R"


class RebuiltBody(Protocol):
    """What an answer kept as ``REBUILT`` is built from: its length, and its bytes."""

    @property
    def size(self) -> int:
        """The answer's length in bytes."""
        ...

    def whole(self) -> bytes:
        """The answer's bytes."""
        ...


#: Parameter pairs (name, value) in the order sent.
ParamPairs = tuple[tuple[str, str], ...]


def _no_params(raw: bytes) -> ParamPairs:
    return ()


#: The values of an entry that vary from one request of a kind to the next (its call's
#: SID, its time), as they appear in its answer's bytes.
ValuesOf = Callable[["ApiRequest"], tuple[bytes, ...]]


@dataclass(frozen=True, slots=True)
class Template:
    """The first answer of a kind, and the values in it that vary from request to request.

    A test makes the same create again and again: the answers differ only in the new
    call's SID and the time. Such an answer is kept as a one-byte marker and rebuilt from
    the template and the entry's own values (``values_of``), which costs a few string
    replacements, against a compressor's tens of kilobytes of state on every create.
    """

    body: bytes
    values: tuple[bytes, ...]
    values_of: ValuesOf

    def render(self, values: tuple[bytes, ...]) -> bytes:
        """The template's body with ``values`` in place of its own."""
        body = self.body
        for own, other in zip(self.values, values, strict=True):
            if own != other:
                body = body.replace(own, other)
        return body


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
    JSON), or, when it differs from the first answer of its kind only in the call's SID
    and the time, as a marker alone: a suite of thousands of calls keeps its whole log.
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
    #: What ``packed_body`` is relative to (shared, not copied): the preset zlib
    #: dictionary it was compressed with, the ``Template`` it is rebuilt from, or (``REBUILT``)
    #: the ``RebuiltBody`` that builds the whole answer.
    dictionary: bytes | Template | RebuiltBody = field(default=b"", repr=False, compare=False)

    @property
    def body(self) -> bytes:
        """The body of the API's answer, byte for byte."""
        packed, reference = self.packed_body, self.dictionary
        if isinstance(reference, Template):
            return reference.render(reference.values_of(self))
        if not isinstance(reference, bytes):
            return reference.whole()
        if packed == _IS_DICTIONARY:
            return reference
        marker = packed[:1]
        if marker == b"d":
            unpacker = zlib.decompressobj(zdict=reference)
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

    def __repr__(self) -> str:
        # what a test reads (params, body), not how the log stores it (packed_body,
        # raw_params); a long body is cut to its start and length
        reference = self.dictionary
        if self.packed_body == REBUILT and not isinstance(reference, bytes | Template):
            # recording media: building it would cost its megabytes (230 MB for 4 hours)
            shown = f"<{reference.size:,} bytes of recording media, not shown>"
        else:
            body = self.body
            shown = (
                repr(body)
                if len(body) <= _REPR_BODY
                else f"{body[:_REPR_BODY]!r}... ({len(body)} bytes)"
            )
        return (
            f"ApiRequest(method={self.method!r}, url={self.url!r}, kind={self.kind!r}, "
            f"call_sid={self.call_sid!r}, at={self.at!r}, status={self.status!r}, "
            f"params={self.params!r}, body={shown})"
        )


class BodyPacker:
    """Packs the answers of one REST log, each as ``ApiRequest.packed_body`` keeps it.

    The first long answer to each kind of request (``calls.create``...) becomes the preset
    dictionary of the later ones of its kind (and is kept as that dictionary, uncompressed:
    a test that makes one call compresses nothing), which differ
    from it in a few values (SIDs, times, numbers): a call's 2 kB of JSON packs into about
    120 bytes instead of about 550.

    With ``values_of`` (an entry's varying values, such as its call's SID and its time),
    that first answer is also its kind's ``Template``: a later answer that differs from it
    only in those values (the same create made again) is kept as a marker alone, and is
    neither compressed nor stored.
    """

    def __init__(self, values_of: ValuesOf | None = None) -> None:
        self._values_of = values_of
        self._templates: dict[str, Template] = {}
        self._dictionaries: dict[str, bytes] = {}
        #: A compressor already fed each kind's dictionary, copied for each answer
        #: (copying its state costs a third of setting one up with the dictionary).
        self._primed: dict[str, Any] = {}

    def pack(
        self, kind: str, body: bytes, values: tuple[bytes, ...] = ()
    ) -> tuple[bytes, bytes | Template]:
        """``body`` packed, and what it was packed against (``b""``: nothing).

        ``values`` are the entry's own varying values, as ``values_of`` gives them from the
        entry (none, or an empty one: no template is used)."""
        if len(body) < _PACK_FROM:
            return b"=" + body, b""
        values_of = self._values_of if values and all(values) else None
        template = self._templates.get(kind) if values_of is not None else None
        if (
            template is not None
            and len(values) == len(template.values)
            and template.render(values) == body
        ):
            return _FROM_TEMPLATE, template
        dictionary = self._dictionaries.get(kind)
        if dictionary is None:
            if len(self._dictionaries) < _DICTIONARIES_LIMIT:
                self._dictionaries[kind] = body[:_DICTIONARY_MAX]
                if values_of is not None:
                    self._templates[kind] = Template(body, values, values_of)
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

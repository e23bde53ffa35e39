"""Reading an app's answer the way Twilio's webhook client does: bounded, and decoded.

Twilio reads at most 64 kB of TwiML (11750 above it). ``read_answer`` reads the body, undoes
its ``Content-Encoding`` (``gzip``, ``x-gzip``, ``deflate``; any other value passes the bytes
through unchanged, as HTTP clients do) and stops as soon as it holds ``limit`` + 1 decoded
bytes: a body larger than the limit is kept cut there, flagged ``truncated``, and reported
as 11750 by the TwiML parser. Neither a gzip bomb nor an endless body is read further, and
no more than that is stored in the request log.

A body that cannot be decoded (``Content-Encoding: gzip`` on bytes that are not gzip, a
compressed stream cut short) or shorter than its ``Content-Length`` raises
``WebhookDeliveryError`` with 11200 (HTTP retrieval failure), as a failed download is on
Twilio: the call then goes to its fallback URL, or plays the application-error message.
An answer with a ``Transfer-Encoding`` is framed by it: a ``Content-Length`` beside it is
ignored, as HTTP/1.1 says (RFC 9112 §6.3) and HTTP clients do (UNCONFIRMED for Twilio's
own client; one that refused such an answer would log 11200).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator, Sequence

from twimlsim.arguments import clipped
from twimlsim.integers import saturated_int

from . import timing
from .base import WebhookDeliveryError

__all__ = ["ANSWER_LIMIT", "Answer", "read_answer", "still_arriving"]

#: Twilio reads at most 64 kB of an answer (``twimlsim.twiml.parser.MAX_BYTES``).
ANSWER_LIMIT = 64 * 1024
#: Compressed bytes read at most, whatever they decode to (a stream of empty gzip members
#: decodes to nothing forever).
RAW_LIMIT = 16 * ANSWER_LIMIT

#: Empty pieces an answer may send in a row (a generator yielding ``b""`` forever would
#: otherwise hold the test with no read timeout set).
MAX_EMPTY_CHUNKS = 100_000

_GZIP = 16 + zlib.MAX_WBITS
_ENCODINGS = {"gzip": _GZIP, "x-gzip": _GZIP, "deflate": zlib.MAX_WBITS}

Headers = Sequence[tuple[str, str]]


class Answer:
    """A read answer: headers (without ``Content-Encoding`` once decoded), the body (at most
    ``limit`` + 1 bytes) and whether the app sent more than that."""

    __slots__ = ("body", "headers", "truncated")

    def __init__(self, headers: list[tuple[str, str]], body: bytes, truncated: bool) -> None:
        self.headers = headers
        self.body = body
        self.truncated = truncated


def read_answer(
    url: str, headers: Headers, chunks: Iterable[bytes], *, limit: int = ANSWER_LIMIT
) -> Answer:
    """Read the app's answer to ``url`` from ``chunks`` (the body as sent, in pieces).

    Raises ``WebhookDeliveryError`` (11200) for a body that cannot be decoded or that ends
    before its ``Content-Length``.
    """
    encoding = length = None
    framed = False  # by Transfer-Encoding: its Content-Length, if any, is ignored
    for key, value in headers:  # the first header of each name counts
        name = key.lower()
        if name == "content-length":
            if length is None:
                length = value
        elif name == "content-encoding" and encoding is None:
            encoding = value
        elif name == "transfer-encoding":
            framed = True
    wbits = _ENCODINGS.get(encoding.strip().lower()) if encoding else None
    declared = None
    if length is not None and not framed and length.strip().isdigit():
        declared = saturated_int(length)
    if wbits is None:
        body, truncated, received = _read_plain(iter(chunks), declared, limit, url)
    else:
        raw = _Raw(iter(chunks), declared, _Stall(url))
        body, truncated, received = _decode(url, encoding or "", wbits, raw, limit)
        headers = [(k, v) for k, v in headers if k.lower() != "content-encoding"]
    if not truncated and declared is not None and received < declared:
        raise WebhookDeliveryError(
            11200,
            f"the answer from {url} ended after {received:,} of the {declared:,} bytes its "
            "Content-Length announces (a truncated body); send the whole body, or a "
            "Content-Length that matches it",
        )
    return Answer(list(headers), body, truncated)


class _Stall:
    """Ends an answer that keeps streaming: past the read deadline (``timing``), or after
    ``MAX_EMPTY_CHUNKS`` empty pieces in a row, with 11200. Consulted only from an
    answer's second piece on: a one-piece answer does not make one."""

    __slots__ = ("deadline", "empty", "url")

    def __init__(self, url: str) -> None:
        self.url = url
        self.deadline = timing.read_deadline()
        self.empty = 0

    def check(self, chunk: bytes) -> None:
        self.empty = 0 if chunk else self.empty + 1
        if self.empty > MAX_EMPTY_CHUNKS:
            raise WebhookDeliveryError(
                11200,
                f"the answer from {self.url} sent {MAX_EMPTY_CHUNKS:,} empty pieces in a row "
                "and no end (an endless body); end the body once the TwiML is sent",
            )
        if self.deadline is not None and timing.wall_seconds() > self.deadline:
            raise still_arriving(self.url)


def still_arriving(url: str) -> WebhookDeliveryError:
    """The 11200 of an answer from ``url`` whose body was still arriving at the read
    deadline."""
    return WebhookDeliveryError(
        11200,
        f"the answer from {url} was still arriving when Twilio's read timeout ran out (a "
        "slow or endless body); Twilio gives up on the request then. Send the whole TwiML "
        f"at once; {timing.LIFT_THE_LIMIT}",
    )


class _Raw:
    """The body's bytes as they arrive, and how many came (never more than announced)."""

    def __init__(self, chunks: Iterator[bytes], declared: int | None, stall: _Stall) -> None:
        self.chunks = chunks
        self.declared = declared
        self.received = 0
        self.stall = stall

    def __iter__(self) -> Iterator[bytes]:
        stall = self.stall
        for chunk in self.chunks:
            if type(chunk) is not bytes:
                chunk = _as_bytes(chunk, stall.url)
            stall.check(chunk)
            if not chunk:
                continue
            if self.declared is not None and self.received + len(chunk) > self.declared:
                # an HTTP client reads no further than the Content-Length
                chunk = chunk[: self.declared - self.received]
            self.received += len(chunk)
            yield chunk
            if self.declared is not None and self.received >= self.declared:
                return


def _read_plain(
    chunks: Iterator[bytes], declared: int | None, limit: int, url: str
) -> tuple[bytes, bool, int]:
    """The body (at most ``limit`` + 1 bytes), whether there was more, and the bytes read:
    what ``_Raw`` yields, read in one loop (the usual answer is one chunk, kept as it is)."""
    kept: list[bytes] = []
    size = received = 0
    stall: _Stall | None = None  # made at an answer's second piece: most have one
    for chunk in chunks:
        if type(chunk) is not bytes:
            chunk = _as_bytes(chunk, url)
        if received or not chunk:  # a second piece: the app is streaming
            if stall is None:
                stall = _Stall(url)
            stall.check(chunk)
        if not chunk:
            continue
        if declared is not None and received + len(chunk) > declared:
            # an HTTP client reads no further than the Content-Length
            chunk = chunk[: declared - received]
        received += len(chunk)
        room = limit + 1 - size
        if len(chunk) >= room:
            kept.append(chunk[:room])
            return b"".join(kept), True, received
        kept.append(chunk)
        size += len(chunk)
        if declared is not None and received >= declared:
            break
    body = kept[0] if len(kept) == 1 else b"".join(kept)
    return bytes(body), False, received


def _as_bytes(chunk: object, url: str) -> bytes:
    """A piece of a WSGI body that is not ``bytes``: its bytes when it has them (bytearray,
    memoryview), else the 11200 of the HTTP 500 a WSGI server answers it with (the piece
    was read as an empty one, or failed as a TypeError the app was said to raise)."""
    if isinstance(chunk, bytearray | memoryview):
        return bytes(chunk)
    raise WebhookDeliveryError(
        11200,
        f"the body of the answer from {url} holds {clipped(repr(chunk), 60)} "
        f"({type(chunk).__name__}), not "
        "bytes: a WSGI app's body is an iterable of bytes, and a WSGI server answers "
        "anything else with HTTP 500; encode it (return [twiml.encode()])",
    )


def _decode(url: str, encoding: str, wbits: int, raw: _Raw, limit: int) -> tuple[bytes, bool, int]:
    kept = bytearray()
    decoder = zlib.decompressobj(wbits)
    members = 0  # complete compressed streams read
    try:
        for chunk in raw:
            data = chunk
            while data:
                try:
                    out = decoder.decompress(data, limit + 1 - len(kept))
                except zlib.error:
                    if members:  # bytes after a complete stream: ignored, as HTTP clients do
                        return bytes(kept), False, raw.received
                    if raw.received != len(chunk) or wbits != zlib.MAX_WBITS or kept:
                        raise
                    # "deflate" without its zlib header, as some servers send it
                    wbits = -zlib.MAX_WBITS
                    decoder = zlib.decompressobj(wbits)
                    out = decoder.decompress(data, limit + 1 - len(kept))
                kept += out
                if len(kept) > limit:
                    return bytes(kept), True, raw.received
                data = decoder.unconsumed_tail
                if decoder.eof:  # another gzip member may follow
                    members += 1
                    data = decoder.unused_data
                    decoder = zlib.decompressobj(wbits)
            if raw.received > RAW_LIMIT:
                return bytes(kept), True, raw.received
        if raw.received and not members:
            raise zlib.error("the compressed stream ends before its end marker")
    except zlib.error as exc:
        raise WebhookDeliveryError(
            11200,
            f"the answer from {url} says Content-Encoding: {encoding} but its body is not "
            f"valid {encoding} data ({exc}); send the body {encoding}-compressed, or drop "
            "the Content-Encoding header",
        ) from None
    return bytes(kept), False, raw.received

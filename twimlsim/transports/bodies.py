"""A request body as the bytes sent, whatever an HTTP client was given to send; the body
of the fake API's answer as bytes or as a stream."""

from __future__ import annotations

import io
from collections.abc import Iterable

__all__ = ["READ_CHUNK", "AnswerBody", "answer_bytes", "answer_stream", "body_bytes"]

#: The body of the fake API's answer: bytes, or (recording media) a stream of known
#: ``Content-Length`` produced as it is read.
AnswerBody = bytes | io.BufferedReader
#: Bytes read from an answer's stream at a time, where a client is handed pieces of it.
READ_CHUNK = 1 << 16


def answer_bytes(body: AnswerBody) -> bytes:
    """The answer's whole body (a stream read to its end)."""
    if isinstance(body, bytes):
        return body
    with body:
        return body.read()


def answer_stream(body: AnswerBody) -> io.BufferedReader | io.BytesIO:
    """The answer's body as a readable stream (bytes in a ``BytesIO``)."""
    return io.BytesIO(body) if isinstance(body, bytes) else body


def body_bytes(data: object) -> bytes:
    """A request body as the bytes sent: bytes as they are, a str encoded, a file read, an
    iterable of chunks joined (urllib, urllib3 and requests take all of these)."""
    if data is None:
        return b""
    if isinstance(data, bytes | bytearray | memoryview):
        return bytes(data)
    if isinstance(data, str):
        return data.encode("utf-8")
    read = getattr(data, "read", None)
    if callable(read):
        content = read()
        return content.encode("utf-8") if isinstance(content, str) else bytes(content)
    chunks: Iterable[object] = data  # type: ignore[assignment]
    return b"".join(body_bytes(chunk) for chunk in chunks)

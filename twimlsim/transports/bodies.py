"""A request body as the bytes sent, whatever an HTTP client was given to send."""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["body_bytes"]


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

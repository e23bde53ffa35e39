"""Mistakes an app makes in writing a URL that leave it naming no host it meant.

A base URL setting that already holds its scheme (``BASE_URL=https://app.example.com``)
put after a scheme of the app's own (``f"https://{BASE_URL}/menu"``) makes
``https://https://app.example.com/menu``: a URL whose host is ``https``, with an empty
port and the path ``//app.example.com/menu``. It parses, so nothing refuses it; Twilio
cannot reach it. Told on the failure path only (an unreached webhook, a stream URL).
"""

from __future__ import annotations

from urllib.parse import urlsplit

__all__ = ["doubled_scheme"]

#: The schemes an app's base URL setting holds, read as a host when a second scheme is
#: put before it (``https://https://app.example.com/menu``: host ``https``, an empty port,
#: path ``//app.example.com/menu``; an HTTP client drops the empty port's colon).
_SCHEME_HOSTS = frozenset({"http", "https", "ws", "wss"})


def doubled_scheme(url: str) -> str | None:
    """Why ``url`` names no host when it holds a second scheme after its own (an app that
    puts a base URL setting already holding its scheme after one of its own:
    ``f"https://{BASE_URL}/menu"``), with the URL as meant; None for any other URL."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if host not in _SCHEME_HOSTS or not parts.path.startswith("//"):
        return None
    meant = f"{parts.scheme}:{parts.path}" + (f"?{parts.query}" if parts.query else "")
    return (
        f"the URL holds a second scheme after its own ({parts.scheme}:// then {host}://), "
        f"so its host is read as '{host}': an app that puts a base URL setting already "
        f'holding its scheme after one of its own (f"{parts.scheme}://{{BASE_URL}}/...") '
        f"writes it so; write the scheme once ({meant})"
    )

"""Webhook URLs as they go on the wire: what Twilio requests, signs and authenticates with.

An app's URL may carry what an HTTP client never sends as such:

- a fragment (``#...``): never sent; Twilio also uses it for connection overrides
  (``#rt=...``). It is dropped before the request is made and signed.
- characters outside ASCII, spaces and other unsafe characters: percent-encoded (UTF-8) as
  ``requests`` encodes them (``requote_uri``: valid ``%XX`` escapes kept, unreserved ones
  decoded; a ``%`` that starts no escape encoded as ``%25``; ``[`` and ``]`` left as
  written, which the HTTP transport sends so: ``transports/raw_target.py``); the host is
  lower-cased and IDNA-encoded. The URL signed is exactly the URL requested.
- credentials (``https://user:pass@host/path``, Twilio's HTTP authentication): removed from
  the URL and sent as ``Authorization: Basic ...`` instead (see ``twimlsim.engine.fetch``).

Fidelity choice (the reference leaves it open): the signature is computed over the URL
without the credentials, the URL the app can rebuild from its request (scheme, Host and
the request line), which is what every Twilio helper library validates.
"""

from __future__ import annotations

import base64
import functools
import re
from typing import NamedTuple
from urllib.parse import quote, unquote, urljoin, urlsplit, urlunsplit

__all__ = [
    "WireUrl",
    "ascii_host",
    "basic_authorization",
    "is_absolute_url",
    "join_url",
    "redact",
    "wire_url",
]

#: What ``requests.utils.requote_uri`` leaves unquoted (with and without ``%``).
_SAFE = "!#$%&'()*+,/:;=?@[]~"
_SAFE_NO_PERCENT = "!#$&'()*+,/:;=?@[]~"
_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_CREDENTIALS = re.compile(r"(//[^/@\s:]*):[^/@\s]*@")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


class WireUrl(NamedTuple):
    """The URL to request and sign, and the Basic credentials it carried (or None)."""

    url: str
    credentials: tuple[str, str] | None


@functools.lru_cache(maxsize=1024)
def join_url(base: str, url: str) -> str:
    """``url`` resolved against ``base``; a URL ``urljoin`` cannot parse (an unclosed
    IPv6 bracket, ``http://[::1``) is returned as written, for the transport to report as
    unusable (11100) instead of stopping the simulation."""
    try:
        return urljoin(base, url)
    except ValueError:
        return url


@functools.lru_cache(maxsize=4096)
def wire_url(url: str) -> WireUrl:
    """The URL an HTTP client sends for ``url``, and the credentials it carried."""
    try:
        parts = urlsplit(url)
        username, password, host, port = parts.username, parts.password, parts.hostname, parts.port
    except ValueError:  # an unusable URL: the transport reports it
        return WireUrl(url.split("#", 1)[0], None)
    if not host:
        return WireUrl(url.split("#", 1)[0], None)
    # a host IDNA cannot encode is left as it is, for the transport to refuse
    host = ascii_host(host) or host
    if ":" in host:
        host = f"[{host}]"
    netloc = host if port is None else f"{host}:{port}"
    path = _requote(parts.path)
    query = _requote(parts.query)
    wire = urlunsplit((parts.scheme.lower(), netloc, path, query, ""))
    credentials = None
    if username is not None or password is not None:
        credentials = (unquote(username or ""), unquote(password or ""))
    return WireUrl(wire, credentials)


@functools.lru_cache(maxsize=256)
def ascii_host(host: str) -> str | None:
    """``host`` as DNS and the ``Host`` header have it: an internationalised name
    (``bücher.example``) IDNA-encoded (``xn--bcher-kva.example``), as an HTTP client
    encodes it; None when IDNA cannot encode it (an empty or too long label...)."""
    if host.isascii():
        return host
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return None


def _requote(text: str) -> str:
    if all(_ESCAPE.match(text, i) for i in _percents(text)):
        return quote(_ESCAPE.sub(_unreserved, text), safe=_SAFE)
    return quote(text, safe=_SAFE_NO_PERCENT)


def _percents(text: str) -> list[int]:
    return [i for i, char in enumerate(text) if char == "%"]


def _unreserved(match: re.Match[str]) -> str:
    char = chr(int(match.group(1), 16))
    return char if char in _UNRESERVED else match.group(0).upper()


def basic_authorization(credentials: tuple[str, str]) -> str:
    """The ``Authorization`` header value for Basic credentials."""
    user, password = credentials
    token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    return f"Basic {token}"


def redact(text: str) -> str:
    """``text`` with the password of every ``scheme://user:password@`` URL in it masked."""
    return _CREDENTIALS.sub(r"\1:***@", text)


def is_absolute_url(url: str) -> bool:
    """True when ``url`` names its scheme (``https://...``): it needs no document URL to
    resolve against."""
    return url.startswith(("https://", "http://")) or bool(_SCHEME.match(url.strip()))

"""Tunnels: webhooks to a public base URL delivered to the app's local server.

An app developed against Twilio sits behind a tunnel such as ngrok: Twilio requests
``https://abc.ngrok.app/voice``, the tunnel passes the request to ``http://localhost:3000/voice``.
Apps build their webhook URLs from that public side (a ``PUBLIC_URL`` setting,
``https://`` + the ``Host`` header, a Twilio Function's ``https://`` + ``DOMAIN_NAME``,
which ``twilio-run`` sets to ``localhost:PORT``), so without a tunnel those URLs reach
nothing, or the plain-HTTP server with TLS (11220). ``--tunnel PUBLIC=LOCAL`` of ``twimlsim
call`` and ``twimlsim serve`` stands in for it: a webhook whose URL starts with ``PUBLIC`` is
sent to ``LOCAL`` with the rest of its path and query, signed over the public URL (the URL
Twilio requested and signs), with the ``Host`` header of the public URL and
``X-Forwarded-Proto`` its scheme, as ngrok forwards a request by default (it keeps the
client's ``Host``; ``--host-header=rewrite`` is its option to change it).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from twimlsim.arguments import answered_by_twimlsim

__all__ = ["Tunnel", "parse_tunnel"]

_EXAMPLE = "https://abc.ngrok.app=http://127.0.0.1:3000"


@dataclass(frozen=True)
class Tunnel:
    """``public`` (scheme://host[:port][/path], no trailing slash) forwarded to ``local``."""

    public: str
    local: str

    @property
    def public_host(self) -> str:
        """The ``Host`` header the app receives: the public URL's host and port."""
        return urlsplit(self.public).netloc

    @property
    def public_scheme(self) -> str:
        """The scheme Twilio used, sent as ``X-Forwarded-Proto``."""
        return urlsplit(self.public).scheme

    def target(self, url: str) -> str | None:
        """Where ``url`` goes through this tunnel, or None when it is not under ``public``."""
        scheme, netloc, rest = _split(url)
        public_scheme, public_netloc, prefix = _split(self.public)
        if (scheme, netloc) != (public_scheme, public_netloc):
            return None
        if prefix and not (rest == prefix or rest.startswith((prefix + "/", prefix + "?"))):
            return None
        return self.local + rest[len(prefix) :]


def _split(url: str) -> tuple[str, str, str]:
    """(scheme, host[:port] without a default port, the rest: path and query), the scheme
    and host lower-cased as a URL is compared on the wire."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    netloc = parts.netloc.lower().rpartition("@")[2]
    default = {"http": ":80", "https": ":443"}.get(scheme)
    if default and netloc.endswith(default):
        netloc = netloc[: -len(default)]
    rest = url.split(parts.netloc, 1)[1] if parts.netloc else ""
    return scheme, netloc, rest


def _base(text: str, side: str) -> str:
    """A base URL of one side of a tunnel: absolute http(s), no query or fragment."""
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as error:
        raise ValueError(f"its {side} URL {text!r} is not a usable URL ({error})") from None
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        raise ValueError(f"its {side} URL {text!r} is not an absolute http(s) URL")
    if parts.query or parts.fragment or "?" in text or "#" in text:
        raise ValueError(f"its {side} URL {text!r} has a query or fragment: give the base only")
    scheme, netloc, path = _split(text)
    return f"{scheme}://{netloc}{path.rstrip('/')}"


def parse_tunnel(text: str) -> Tunnel:
    """``PUBLIC=LOCAL`` as ``--tunnel`` takes it; a ``ValueError`` says what is wrong."""
    public, sep, local = text.partition("=")
    if not sep or not public or not local:
        raise ValueError(
            f"{text!r} is not a tunnel: give the public base URL Twilio requests, '=', and "
            f"the local one the app serves, such as {_EXAMPLE}"
        )
    try:
        tunnel = Tunnel(_base(public.strip(), "public"), _base(local.strip(), "local"))
    except ValueError as error:
        raise ValueError(f"tunnel {text!r}: {error}; such as {_EXAMPLE}") from None
    host = (urlsplit(tunnel.public).hostname or "").rstrip(".")
    answered = answered_by_twimlsim(host)
    if answered:
        raise ValueError(
            f"tunnel {text!r}: the public side is on {answered}: twimlsim answers that host "
            "itself, so no webhook would go through this tunnel; give the public URL the app "
            f"is reached by, such as {_EXAMPLE}"
        )
    if tunnel.public == tunnel.local:
        raise ValueError(
            f"tunnel {text!r} sends {tunnel.public} to itself: the local side is where the "
            f"app listens, such as {_EXAMPLE}"
        )
    return tunnel

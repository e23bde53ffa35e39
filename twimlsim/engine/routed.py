"""What the transport that delivered a webhook says of the app behind it, through the
wrappers around it (the read timeout's, the lock's): whether it is reached over HTTP, the
app routed in process for a URL and the base URLs routed. The failure explanations
(``diagnosis.py``) read it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast
from urllib.parse import urlsplit

__all__ = ["api_served", "behind_proxy", "mount_of", "over_http", "routed_app", "routed_bases"]


def api_served(transport: object) -> bool:
    """Whether the app over HTTP behind the transport has a simulated REST API to reach
    (False under ``twimlsim call``)."""
    found = _http_transport(transport)
    return found is None or bool(getattr(found, "api_served", True))


def over_http(transport: object) -> bool:
    """Whether the transport, through the wrappers around it, sends webhooks over HTTP to
    an app in another process."""
    return _http_transport(transport) is not None


def _http_transport(transport: object) -> object | None:
    """The transport, within the wrappers around it, that sends webhooks over HTTP to an
    app in another process, or None."""
    for _ in range(4):
        if getattr(transport, "app_in_another_process", False):
            return transport
        transport = getattr(transport, "transport", None) or getattr(transport, "inner", None)
    return None


def behind_proxy(transport: object, url: str) -> bool:
    """Whether the in-process transport, through the wrappers around it, serves ``url`` by
    an app routed behind a proxy."""
    return bool(getattr(routed_app(transport, url), "behind_proxy", False))


def routed_app(transport: object, url: str) -> object:
    """The app (as routed: mounted, behind a proxy, served as ASGI) the in-process
    transport, through the wrappers around it, serves ``url`` by; None over HTTP."""
    for _ in range(4):
        app_for = getattr(transport, "app_for", None)
        if app_for is not None:
            return cast(object, app_for(url))
        transport = getattr(transport, "transport", None)
    return None


def routed_bases(transport: object) -> Sequence[str]:
    """The base URLs the in-process transport routes, through the wrappers around it (the
    read timeout's); none over HTTP."""
    for _ in range(4):
        bases = getattr(transport, "bases", None)
        if bases is not None:
            return cast("Sequence[str]", bases)
        transport = getattr(transport, "transport", None)
    return ()


def mount_of(url: str, bases: Sequence[str]) -> str:
    """The routed base URL with a path that ``url`` went to (the longest that prefixes
    it), or "" when its app is routed at a host's root."""
    under = [base for base in bases if url.startswith(base.rstrip("/") + "/")]
    best = max(under, key=len, default="")
    return best if urlsplit(best).path.strip("/") else ""

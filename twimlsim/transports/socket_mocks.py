"""Whether a test's socket-level HTTP mock answers a request: mocket's or httpretty's.

mocket (``@mocketize``, ``Mocketizer``, ``Entry.single_register``) and httpretty
(``@httpretty.activate``, ``httpretty.register_uri``) replace ``socket`` itself, below
requests and urllib3, where the simulator never looks: the simulator answered a Twilio
request in requests' adapter before their registrations could. While one is enabled, a
request it has a registration for is left to it, as a test's own ``responses``
registration is; a Twilio request it has none for is answered by the simulator. Each is
looked up, never imported: a test that has not imported it has registered nothing.
"""

from __future__ import annotations

import socket
import sys
from collections.abc import Mapping
from typing import Any
from urllib.parse import SplitResult, urlsplit

__all__ = ["mocket_answers", "mocket_stubs_host", "socket_mock_answers", "socket_mock_stubs_host"]


def _enabled_mocket() -> Any:
    """mocket's ``Mocket`` while mocket is enabled, else None."""
    core = sys.modules.get("mocket.mocket")
    # enabled, mocket has put its socket class in place of the standard library's
    if core is None or str(getattr(socket.socket, "__module__", "")).split(".")[0] != "mocket":
        return None
    return getattr(core, "Mocket", None)


def mocket_stubs_host(host: str, port: object) -> bool:
    """Whether mocket is enabled with entries for ``host`` (at ``port``, when given): its
    name lookup, wrapped by the network guard when mocket was enabled first, is then
    mocket's fake one, and the connection reaches mocket's entries, not Twilio."""
    mocket = _enabled_mocket()
    entries = getattr(mocket, "_entries", None)
    if not isinstance(entries, Mapping):
        return False
    wanted = host.rstrip(".").lower()
    return any(
        isinstance(where, tuple)
        and len(where) == 2
        and str(where[0]).lower() == wanted
        and (port in (None, "") or str(where[1]) == str(port))
        and bool(registered)
        for where, registered in entries.items()
    )


def _address(url: str) -> tuple[SplitResult, str, int] | None:
    """``url`` split, its host, and its port (the scheme's when none is written); None
    for a URL without a host or with a port that is no number."""
    parts = urlsplit(url)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return None
    return None if parts.hostname is None else (parts, parts.hostname, port)


def mocket_answers(method: str, url: str) -> bool:
    """Whether mocket is enabled and one of its entries handles ``method`` ``url``."""
    mocket = _enabled_mocket()
    address = _address(url) if mocket is not None else None
    if address is None:
        return False
    parts, host, port = address
    target = parts.path or "/"
    if parts.query:
        target += f"?{parts.query}"
    # the request line mocket's entries read, as the request would write it
    head = f"{method} {target} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode()
    try:
        return mocket.get_entry(host, port, head) is not None
    except (AttributeError, TypeError, ValueError):  # another mocket than the one read here
        return False


def _enabled_httpretty() -> Any:
    """httpretty's registry while httpretty is enabled, else None."""
    core = sys.modules.get("httpretty.core")
    if core is None:
        return None
    registry = getattr(core, "httpretty", None)
    try:
        return registry if registry is not None and registry.is_enabled() else None
    except (AttributeError, TypeError):  # another httpretty than the one read here
        return None


def httpretty_answers(method: str, url: str) -> bool:
    """Whether httpretty is enabled and registered ``url`` for ``method``."""
    registry = _enabled_httpretty()
    address = _address(url) if registry is not None else None
    if address is None:
        return False
    parts, host, port = address
    core = sys.modules["httpretty.core"]
    try:
        info = core.URIInfo(
            hostname=host,
            port=port,
            path=parts.path or "/",
            query=parts.query,
            scheme=parts.scheme,
        )
        matcher, _ = registry.match_uriinfo(info)
        entries = registry._entries.get(matcher, ()) if matcher is not None else ()
        return any(getattr(entry, "method", None) == method for entry in entries)
    except (AttributeError, TypeError, ValueError):
        return False


def httpretty_stubs_host(host: str, port: object) -> bool:
    """Whether httpretty is enabled with a registration on ``host``: its fake name lookup
    (wrapped by the network guard when httpretty was enabled first) then answers."""
    registry = _enabled_httpretty()
    if registry is None:
        return False
    try:
        if port in (None, "", 443, "443", "https"):
            return registry.match_https_hostname(host) is not None
        return registry.match_http_address(host, int(str(port))) is not None
    except (AttributeError, TypeError, ValueError):
        return False


def socket_mock_answers(method: str, url: str) -> bool:
    """Whether mocket or httpretty answers ``method`` ``url``."""
    # neither imported (nearly every test; every REST request asks): nothing else to read
    if "mocket.mocket" not in sys.modules and "httpretty.core" not in sys.modules:
        return False
    return mocket_answers(method, url) or httpretty_answers(method, url)


def socket_mock_stubs_host(host: str, port: object) -> bool:
    """Whether mocket or httpretty stubs ``host`` (at ``port``)."""
    if "mocket.mocket" not in sys.modules and "httpretty.core" not in sys.modules:
        return False
    return mocket_stubs_host(host, port) or httpretty_stubs_host(host, port)

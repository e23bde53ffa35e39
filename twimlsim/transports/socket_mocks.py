"""Whether a test's socket-level HTTP mock answers a request: mocket's.

mocket (``@mocketize``, ``Mocketizer``, ``Entry.single_register``, and its httpretty-like
API, ``mocket.plugins.httpretty``) replaces ``socket`` itself, below requests and urllib3,
where the simulator never looks: the simulator answered a Twilio request in requests'
adapter before mocket's registration could. While mocket is enabled, a request one of its
entries handles is left to it, as a test's own ``responses`` registration is; a Twilio
request it has no entry for is answered by the simulator. mocket is looked up, never
imported: a test that has not imported it has registered nothing.
"""

from __future__ import annotations

import socket
import sys
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

__all__ = ["mocket_answers", "mocket_stubs_host"]


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


def mocket_answers(method: str, url: str) -> bool:
    """Whether mocket is enabled and one of its entries handles ``method`` ``url``."""
    mocket = _enabled_mocket()
    parts = urlsplit(url)
    if mocket is None or parts.hostname is None:
        return False
    port = parts.port or (443 if parts.scheme == "https" else 80)
    target = parts.path or "/"
    if parts.query:
        target += f"?{parts.query}"
    # the request line mocket's entries read, as the request would write it
    head = f"{method} {target} HTTP/1.1\r\nHost: {parts.hostname}\r\n\r\n".encode()
    try:
        return mocket.get_entry(parts.hostname, port, head) is not None
    except (AttributeError, TypeError, ValueError):  # another mocket than the one read here
        return False

"""WebSocket routes of WSGI apps (Flask-Sock's ``@sock.route``, a Flask rule made with
``websocket=True``), which twimlsim cannot run: a WebSocket handler of a WSGI app takes
over the server's socket (simple-websocket reads ``werkzeug.socket`` or gunicorn's), and an
app routed in process has none. A stream to such a route is held, as one to a WebSocket
server elsewhere is; ``warn_of_websocket_routes`` says so when the app is routed.
"""

from __future__ import annotations

import logging
from typing import Any

__all__ = ["warn_of_websocket_routes"]

_log = logging.getLogger("twimlsim.wsgi")


def _websocket_rules(app: Any) -> list[str]:
    """The paths of ``app``'s WebSocket routes (a Flask app's url_map), in its order."""
    iter_rules = getattr(getattr(app, "url_map", None), "iter_rules", None)
    if iter_rules is None:
        return []
    try:
        return [str(rule.rule) for rule in iter_rules() if getattr(rule, "websocket", False)]
    except Exception:  # noqa: BLE001 - an object that only looks like a Flask app
        return []


def warn_of_websocket_routes(base_url: str, app: Any) -> None:
    """Log a warning when the WSGI ``app`` routed at ``base_url`` has WebSocket routes: a
    ``<Connect><Stream>`` or ``<Start><Stream>`` to one is held without its handler."""
    rules = _websocket_rules(app)
    if not rules:
        return
    host = base_url.split("://", 1)[1]
    _log.warning(
        "the WSGI app routed at %s has WebSocket routes (%s, as Flask-Sock's @sock.route "
        "makes): twimlsim runs the WebSocket handlers of ASGI apps only (FastAPI, "
        "Starlette, Quart, Django Channels), so a <Connect><Stream> or <Start><Stream> to "
        "one is held without its handler running, as for a WebSocket server elsewhere: the "
        "call waits for its far end to hang up (sim.phone(n).hangs_up(after=...)) or "
        "call.close_stream(); to run a handler, route an ASGI app serving it at the "
        "stream's URL (sim.route('wss://%s', asgi_app))",
        base_url,
        ", ".join(rules),
        host,
    )

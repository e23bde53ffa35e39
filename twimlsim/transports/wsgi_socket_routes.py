"""WebSocket routes of WSGI apps (Flask-Sock's ``@sock.route``, a Flask rule made with
``websocket=True``; Flask-Sockets' ``@sockets.route``), which twimlsim cannot run: a
WebSocket handler of a WSGI app takes over the server's socket (simple-websocket reads
``werkzeug.socket`` or gunicorn's; Flask-Sockets needs gevent-websocket's
``wsgi.websocket``), and an app routed in process has none. A stream to such a route opens
no socket, as one to a WebSocket server elsewhere; ``warn_of_websocket_routes`` says so
when the app is routed.
"""

from __future__ import annotations

import logging
from typing import Any

__all__ = ["warn_of_websocket_routes"]

_log = logging.getLogger("twimlsim.wsgi")


def _websocket_rules(app: Any) -> list[str]:
    """The paths of ``app``'s WebSocket routes, in its order: a Flask app's rules made with
    ``websocket=True`` (Flask-Sock), then those of the Flask-Sockets middleware wrapping its
    ``wsgi_app`` (``Sockets(app)``, whose ``url_map`` holds WebSocket routes only)."""
    sockets = getattr(getattr(app, "wsgi_app", None), "ws", None)
    try:
        rules = [
            str(rule.rule) for rule in app.url_map.iter_rules() if getattr(rule, "websocket", False)
        ]
        if sockets is not None:
            rules += [str(rule.rule) for rule in sockets.url_map.iter_rules()]
    except Exception:  # noqa: BLE001 - an object that only looks like a Flask app
        return []
    return rules


def warn_of_websocket_routes(base_url: str, app: Any) -> None:
    """Log a warning when the WSGI ``app`` routed at ``base_url`` has WebSocket routes: a
    ``<Connect><Stream>`` or ``<Start><Stream>`` to one runs no handler."""
    rules = _websocket_rules(app)
    if not rules:
        return
    host = base_url.split("://", 1)[1]
    _log.warning(
        "the WSGI app routed at %s has WebSocket routes (%s, as Flask-Sock's @sock.route "
        "and Flask-Sockets' @sockets.route make): twimlsim runs the WebSocket handlers of "
        "ASGI apps only (FastAPI, Starlette, Quart, Django Channels), so a <Connect><Stream> "
        "or <Start><Stream> to one opens no socket and its handler never runs, as for a "
        "WebSocket server elsewhere (a <Connect><Stream> holds the call until its far end "
        "hangs up, sim.phone(n).hangs_up(after=...), or call.close_stream()); to run a "
        "handler, route an ASGI app serving it at the stream's URL (sim.route('wss://%s', "
        "asgi_app))",
        base_url,
        ", ".join(rules),
        host,
    )

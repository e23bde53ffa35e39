"""Deliver webhooks to ASGI apps (FastAPI, Starlette, Django's ASGI handler) in process.

An ASGI app is wrapped into a WSGI app by ``a2wsgi`` (the ``asgi`` extra: ``pip install
'twimlsim[asgi]'``), which runs it on an event loop of its own; everything else about
delivery is the WSGI transport's. The app's lifespan events (startup, shutdown) are not
run. An app that gives no answer within 15 seconds, Twilio's webhook timeout, is answered
504 for it, which Twilio reports as 11200.
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any, cast

from twimlsim.errors import ConfigurationError

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

__all__ = ["TWILIO_TIMEOUT_SECONDS", "as_wsgi", "is_asgi"]

TWILIO_TIMEOUT_SECONDS = 15.0


def is_asgi(app: object) -> bool:
    """True for an ASGI app: an ``async`` callable of ``(scope, receive, send)``."""
    if inspect.iscoroutinefunction(app):
        return True
    call = getattr(app, "__call__", None)  # noqa: B004 - an instance's async __call__
    return inspect.iscoroutinefunction(call)


def as_wsgi(app: Any) -> WSGIApplication:
    """The ASGI ``app`` as a WSGI app."""
    try:
        from a2wsgi import ASGIMiddleware
    except ImportError:  # pragma: no cover - exercised only without the extra installed
        raise ConfigurationError(
            f"{app!r} is an ASGI app; delivering webhooks to it needs a2wsgi: "
            "pip install 'twimlsim[asgi]'"
        ) from None
    # a2wsgi types its own environ/start_response; they are the WSGI ones
    return cast("WSGIApplication", ASGIMiddleware(app, wait_time=TWILIO_TIMEOUT_SECONDS))

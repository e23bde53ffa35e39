"""Let an ASGI app object whose framework starts it once per process start again.

A Sanic app finalizes its router and signals and rewrites its own methods ("touch-up") at
its lifespan startup, and refuses a second startup of the same object ("Cannot finalize
router more than once") unless ``Sanic.test_mode`` is set, as Sanic's own test clients
(sanic-testing's ``app.test_client`` and ``app.asgi_client``) set it. A suite routes its
module's one app in every test, each test's simulator running its lifespan again: twimlsim
sets the flag as those clients do, so that the second test's startup does not fail.
"""

from __future__ import annotations

import sys
from typing import Any

__all__ = ["allow_restart"]


def allow_restart(app: Any) -> None:
    """Set ``Sanic.test_mode`` when ``app`` is a Sanic app (Sanic already imported)."""
    sanic = sys.modules.get("sanic")
    kind = getattr(sanic, "Sanic", None)
    if isinstance(kind, type) and isinstance(app, kind) and hasattr(kind, "test_mode"):
        kind.test_mode = True

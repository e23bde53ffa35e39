"""A WSGI app answers outside the event loop of an async test that runs calls.

A WSGI server calls the app on a thread of its own, where no event loop runs. An async
test (pytest-asyncio, anyio, ``IsolatedAsyncioTestCase``) that calls ``sim.run()`` runs
the app's webhooks on its own thread, inside its running loop: there an ``asyncio.run()``
in a view raises "cannot be called from a running event loop", asgiref's
``async_to_sync`` refuses to run, and Django's ORM raises ``SynchronousOnlyOperation``,
though the same view works on Twilio. ``OutsideTheLoop`` hides the running loop (and
keeps the thread's current loop, which ``asyncio.run`` clears as it ends) while the app
answers; the test's loop is blocked in ``sim.run()`` meanwhile, so nothing of it runs.
"""

from __future__ import annotations

import asyncio
from typing import Any

__all__ = ["OutsideTheLoop"]

_UNREAD = object()


class OutsideTheLoop:
    """A context in which the thread's running event loop, if any, is not running."""

    __slots__ = ("_current", "_running")

    def __init__(self) -> None:
        self._running: asyncio.AbstractEventLoop | None = None
        self._current: Any = _UNREAD

    def __enter__(self) -> None:
        self._running = asyncio.events._get_running_loop()
        if self._running is not None:
            local = getattr(asyncio.get_event_loop_policy(), "_local", None)
            self._current = getattr(local, "_loop", _UNREAD)
            asyncio.events._set_running_loop(None)

    def __exit__(self, *exc_info: object) -> None:
        if self._running is None:
            return
        if self._current is not _UNREAD:
            local = getattr(asyncio.get_event_loop_policy(), "_local", None)
            if getattr(local, "_loop", _UNREAD) is not self._current:
                asyncio.set_event_loop(self._current)
        asyncio.events._set_running_loop(self._running)
        self._running, self._current = None, _UNREAD

"""One thread at a time in a simulation: the lock every way into the engine holds.

An app may place calls from several threads at once (a view that starts a thread, a
``ThreadPoolExecutor`` in a test, an ASGI app's event loop thread), while the test runs
calls in its own thread. The simulator holds ``EngineLock`` around each REST request and
each run of calls, so their changes never interleave; while a webhook waits for the app's
answer the lock is released entirely (``Unlocked``), because the app may call the REST API
back from any thread then, as it may on Twilio, and a thread that waits for another would
otherwise wait forever.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .webhooks import Transport, WebhookRequest, WebhookResponse

__all__ = ["EngineLock", "Unlocked"]


class EngineLock:
    """A re-entrant lock that can be let go of entirely while a webhook is out."""

    __slots__ = ("_depth", "_lock", "_owner")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._owner: int | None = None
        self._depth = 0

    def __enter__(self) -> None:
        me = threading.get_ident()
        if self._owner != me:
            self._lock.acquire()
            self._owner = me
        self._depth += 1

    def __exit__(self, *exc_info: object) -> None:
        self._depth -= 1
        if self._depth == 0:
            self._owner = None
            self._lock.release()

    def free_in_forked_child(self) -> None:
        """In a child process just forked: free the lock unless the forking thread holds it.
        The fork copied it as it was, held by a thread that does not exist in the child and
        so never lets it go: every request the child makes would wait on it for ever."""
        if self._owner != threading.get_ident():
            self._lock = threading.Lock()
            self._owner = None
            self._depth = 0

    def release_all(self) -> int:
        """Let go of the lock if this thread holds it; how many times it held it (0: not)."""
        if self._owner != threading.get_ident():
            return 0
        depth, self._depth, self._owner = self._depth, 0, None
        self._lock.release()
        return depth

    def restore(self, depth: int) -> None:
        """Take the lock back as ``release_all`` found it."""
        if depth:
            self._lock.acquire()
            self._owner, self._depth = threading.get_ident(), depth


class Unlocked:
    """A transport that lets go of ``lock`` while the app answers a webhook."""

    def __init__(self, transport: Transport, lock: EngineLock) -> None:
        self.transport = transport
        self.lock = lock

    def send(self, request: WebhookRequest) -> WebhookResponse:
        """Deliver ``request`` with the engine open to the app's other threads."""
        depth = self.lock.release_all()
        try:
            return self.transport.send(request)
        finally:
            self.lock.restore(depth)

    def close(self) -> None:
        """Close the transport inside, if it keeps connections (``twimlsim serve``'s)."""
        close = getattr(self.transport, "close", None)
        if close is not None:
            close()

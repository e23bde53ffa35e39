"""Keep a Django test's database connection open across the webhooks it causes.

Django closes "old" database connections when a request starts and finishes (its
``close_old_connections`` receivers of ``request_started`` and ``request_finished``). In a
``TestCase`` the connection is inside the test's transaction, so a webhook delivered to
``get_wsgi_application()`` would close it: on a database that is not SQLite in memory the
test's next query fails ("connection already closed", "Cannot operate on a closed
database"). Django's own test client disconnects those receivers around each request; the
simulator does the same around each webhook it delivers in process.

Django is looked up, never imported: an app that is not Django pays a dictionary lookup.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext

__all__ = ["django_connections_kept"]


#: What an app that is not Django gets: nothing to do, at no cost (no generator per webhook).
_NOTHING_TO_KEEP = nullcontext()


def django_connections_kept() -> AbstractContextManager[None]:
    """While the block runs, requests do not close Django's database connections."""
    if "django.db" not in sys.modules:
        return _NOTHING_TO_KEEP
    return _kept()


@contextmanager
def _kept() -> Iterator[None]:
    signals = sys.modules.get("django.core.signals")
    database = sys.modules.get("django.db")
    close = getattr(database, "close_old_connections", None)
    if signals is None or close is None:
        yield
        return
    receivers = (signals.request_started, signals.request_finished)
    disconnected = [signal for signal in receivers if signal.disconnect(close)]
    try:
        yield
    finally:
        for signal in disconnected:
            # strongly: a weak connect registers a weakref.finalize on the module-level
            # function that lives as long as it (for ever), about 600 bytes a webhook kept
            # by the process; Django's own test client leaks it so, once a request
            signal.connect(close, weak=False)

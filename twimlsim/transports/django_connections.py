"""Keep a Django test's database connection open across the webhooks it causes.

Django closes "old" database connections when a request starts and finishes (its
``close_old_connections`` receivers of ``request_started`` and ``request_finished``). In a
``TestCase`` the connection is inside the test's transaction, so a webhook delivered to
``get_wsgi_application()`` would close it: on a database that is not SQLite in memory the
test's next query fails ("connection already closed", "Cannot operate on a closed
database"). Django's own test client disconnects those receivers around each request; the
simulator does the same around each webhook it delivers in process.

The same transaction holds back what the app asked to run once its writes are committed
(``transaction.on_commit``: a Celery task, a follow-up call, an e-mail). Served by Twilio, a
webhook's writes are committed before its answer leaves (at once in autocommit, at the end
of ``ATOMIC_REQUESTS``), and its on-commit callbacks run then; inside a test's transaction
they would wait for a commit that never comes. So the callbacks a webhook registers on a
connection that was already in a transaction are run as the webhook ends, in order (those
they register too), and taken off the transaction's list, so that a test's own
``captureOnCommitCallbacks(execute=True)`` does not run them a second time. As in Django, a
``robust=True`` callback that raises is logged and the others still run; any other that
raises is the app's error, which Twilio sees as HTTP 500 (11200).

Django is looked up, never imported: an app that is not Django pays a dictionary lookup.
"""

from __future__ import annotations

import logging
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
        in_transaction = _in_transaction(database)
        yield
        for connection, pending in in_transaction:
            _run_added_commit_hooks(connection, pending)
    finally:
        for signal in disconnected:
            # strongly: a weak connect registers a weakref.finalize on the module-level
            # function that lives as long as it (for ever), about 600 bytes a webhook kept
            # by the process; Django's own test client leaks it so, once a request
            signal.connect(close, weak=False)


def _in_transaction(database: object) -> list[tuple[object, int]]:
    """Each open connection in a transaction (a ``TestCase``'s, ``django_db``'s), with the
    number of on-commit callbacks it already holds."""
    connections = getattr(database, "connections", None)
    conf = sys.modules.get("django.conf")
    if connections is None or not getattr(getattr(conf, "settings", None), "configured", False):
        return []  # Django imported, not set up: no app of it answers, no connection opened
    try:
        opened = connections.all(initialized_only=True)
    except TypeError:  # Django before 4.1 has no initialized_only
        opened = connections.all()
    return [
        (connection, len(connection.run_on_commit))
        for connection in opened
        if getattr(connection, "in_atomic_block", False)
    ]


def _run_added_commit_hooks(connection: object, pending: int) -> None:
    """Run, and take off ``connection``'s list, the on-commit callbacks added after its
    first ``pending`` ones (and those they add), as a commit would."""
    while len(hooks := _hooks(connection)) > pending:
        hook = hooks.pop(pending)
        function = hook[1]
        robust = len(hook) > 2 and bool(hook[2])  # Django 4.2 added robust
        if not robust:
            function()  # type: ignore[operator]
            continue
        try:
            function()  # type: ignore[operator]
        except Exception as error:
            name = getattr(function, "__qualname__", repr(function))
            _DJANGO_LOG.error("Error calling %s in on_commit() (%s).", name, error, exc_info=True)


def _hooks(connection: object) -> list[tuple[object, ...]]:
    """The connection's list of on-commit callbacks, read afresh: rolling a savepoint back
    (in a callback) replaces the list."""
    hooks: list[tuple[object, ...]] = getattr(connection, "run_on_commit", [])
    return hooks


#: where Django logs a robust on-commit callback's exception
_DJANGO_LOG = logging.getLogger("django.db.backends.base")

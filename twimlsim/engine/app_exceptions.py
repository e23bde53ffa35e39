"""What kind of exception an app raised answering a webhook, for a failed webhook's hint
(``diagnosis.py``) and a failed ASGI startup's (``transports/asgi_lifespan.py``): Django's
locked SQLite database, an object made on another event loop than the one it ran on."""

from __future__ import annotations

__all__ = ["OTHER_EVENT_LOOP", "is_sqlite_lock", "made_on_another_loop"]


def is_sqlite_lock(error: BaseException | None) -> bool:
    """Django's ``OperationalError`` for a table or database another connection locked."""
    return (
        type(error).__name__ == "OperationalError"
        and type(error).__module__ == "django.db.utils"
        and str(error).startswith(("database table is locked", "database is locked"))
    )


#: What asyncio and asyncpg say when an object made on one event loop is used on another:
#: a task awaiting another loop's future, an asyncio primitive bound to another loop, a
#: connection whose loop has closed, and asyncpg's connection left mid-operation by one of
#: those.
_OTHER_LOOP_MESSAGES = (
    "attached to a different loop",
    "bound to a different event loop",
    "Event loop is closed",
    "another operation is in progress",
)

#: The hint for a webhook that failed on an object of another event loop.
OTHER_EVENT_LOOP = (
    "the app used an object made on another event loop than the webhook's: in a test the "
    "app's requests do not run on the test's loop (twimlsim serves a routed ASGI app on a "
    "loop of its own, made when it is routed and closed when the simulator stops; a WSGI "
    "view's asyncio.run() makes a new one each time). A database connection the test's "
    "loop opened fails there: one an async engine's pool kept (give the test's engine "
    "poolclass=NullPool, create_async_engine(url, poolclass=NullPool), so that each "
    "session opens its own on the loop it runs on), or the one session a fixture hands the "
    "app inside a transaction it rolls back (let the app open a session per request, and "
    "empty the tables after the test); so does an asyncio.Lock or async client made there: "
    "make it in the app's lifespan or per request"
)


def made_on_another_loop(error: BaseException | None) -> bool:
    """Whether ``error``, or an exception it was raised from or while handling, is one of
    ``_OTHER_LOOP_MESSAGES``."""
    seen = 0
    while error is not None and seen < 10:  # a chain is short; a cycle is not followed
        if any(text in str(error) for text in _OTHER_LOOP_MESSAGES):
            return True
        error = error.__cause__ or error.__context__
        seen += 1
    return False

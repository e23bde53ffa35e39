"""A webhook that failed on an object of another event loop says why and what to do.

An async test's database engine keeps the connections it opened on the test's event loop;
the routed app answers webhooks on twimlsim's loop, where such a connection fails
(asyncpg: "attached to a different loop", then "another operation is in progress")."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import FastAPI
from flask import Flask

from tests.transports.test_app_errors import ERRORS, failure_of

#: The hint every failure here ends with, before what the call did next.
HINT = (
    "; hint: the app used an object made on another event loop than the webhook's: in a "
    "test the app's requests do not run on the test's loop (twimlsim serves a routed ASGI "
    "app on a loop of its own, made when it is routed and closed when the simulator stops; "
    "a WSGI view's asyncio.run() makes a new one each time). A database connection the "
    "test's loop opened fails there: one an async engine's pool kept (give the test's "
    "engine poolclass=NullPool, create_async_engine(url, poolclass=NullPool), so that each "
    "session opens its own on the loop it runs on), or the one session a fixture hands the "
    "app inside a transaction it rolls back (let the app open a session per request, and "
    "empty the tables after the test); so does an asyncio.Lock or async client made there: "
    f"make it in the app's lifespan or per request{ERRORS}"
)

#: FastAPI's body for an exception it did not handle.
BODY = "; its body: 'Internal Server Error'"


class InterfaceError(Exception):
    """Stands in for SQLAlchemy's wrapper of a driver's error."""


def test_a_future_of_another_loop_awaited_by_an_asgi_app_names_the_loop() -> None:
    other_loop = asyncio.new_event_loop()
    app = FastAPI()

    @app.post("/voice")
    async def voice() -> Any:
        await other_loop.create_future()  # what a pooled connection's read awaits

    try:
        message, _ = failure_of(app)
    finally:
        other_loop.close()
    head = "https://app.test/voice: the app answered HTTP 500 to POST; it raised RuntimeError: "
    assert message.startswith(head)
    assert message.endswith(f" attached to a different loop{BODY}{HINT}")


def test_a_drivers_error_raised_from_a_closed_loops_error_is_found_down_the_chain() -> None:
    app = FastAPI()

    @app.post("/voice")
    async def voice() -> Any:
        try:
            raise RuntimeError("Event loop is closed")
        except RuntimeError as error:
            raise InterfaceError("(asyncpg) connection was closed") from error

    message, _ = failure_of(app)
    assert message == (
        "https://app.test/voice: the app answered HTTP 500 to POST; it raised "
        f"InterfaceError: (asyncpg) connection was closed{BODY}{HINT}"
    )


def test_asyncpgs_operation_in_progress_in_a_wsgi_view_gets_the_hint() -> None:
    app = Flask(__name__)

    @app.post("/voice")
    def voice() -> str:
        raise InterfaceError(
            "(sqlalchemy.dialects.postgresql.asyncpg.InterfaceError) cannot perform "
            "operation: another operation is in progress"
        )

    message, _ = failure_of(app)
    assert message == (
        "https://app.test/voice: the app answered HTTP 500 to POST; it raised InterfaceError: "
        "(sqlalchemy.dialects.postgresql.asyncpg.InterfaceError) cannot perform operation: "
        "another operation is in progress; its body: '500 Internal Server Error Internal "
        "Server Error The server encountered an internal error and was unable to complete "
        "your request. Either the server is overloaded or there is an error in the "
        f"application.'{HINT}"
    )


def test_another_runtime_error_gets_no_loop_hint() -> None:
    app = FastAPI()

    @app.post("/voice")
    async def voice() -> Any:
        raise RuntimeError("no appointment 7")

    message, _ = failure_of(app)
    assert message == (
        "https://app.test/voice: the app answered HTTP 500 to POST; it raised RuntimeError: "
        f"no appointment 7{BODY}{ERRORS}"
    )

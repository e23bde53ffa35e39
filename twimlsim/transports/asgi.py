"""Deliver webhooks to ASGI apps (FastAPI, Starlette, Django's ASGI handler) in process.

An ASGI app is wrapped into a WSGI app by ``a2wsgi`` (the wheel's ``asgi`` extra), which
runs it on an event loop of its own; everything else about delivery is the WSGI
transport's. An app that has not finished its answer by the read deadline
(``webhook_timeout``, Twilio's 15 s) is cancelled there, and the webhook fails with 11200,
as on Twilio.

Lifespan, as the app's own test client runs it: ``startup()`` sends ``lifespan.startup``
once when the app is routed, on the loop its requests run on, and ``shutdown()`` sends
``lifespan.shutdown`` when the simulator stops. The lifespan ``state`` is copied into each
request's scope (``request.state`` in Starlette). An app that raises before it asks for
the startup event does not speak the lifespan protocol (Django's ASGI handler): it is
served without one, as uvicorn's ``lifespan="auto"`` does. An exception the app raises
while answering is logged (as a server logs it) so that the webhook's failure shows it.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import threading
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import TYPE_CHECKING, Any, cast

from twimlsim import __version__
from twimlsim.errors import ConfigurationError

from .timing import LIFT_THE_LIMIT, read_deadline, wall_seconds

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

__all__ = ["TWILIO_TIMEOUT_SECONDS", "ASGIApp", "is_asgi"]

TWILIO_TIMEOUT_SECONDS = 15.0
#: Wall-clock seconds a lifespan phase may take before it is reported as hanging.
LIFESPAN_TIMEOUT_SECONDS = 15.0

#: Turns of the event loop the app may take to raise after it reported a failed startup.
_RAISE_GRACE_STEPS = 10

_log = logging.getLogger("twimlsim.asgi")

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


def is_asgi(app: object) -> bool:
    """True for an ASGI app: an ``async`` callable of ``(scope, receive, send)``."""
    if inspect.iscoroutinefunction(app):
        return True
    call = getattr(app, "__call__", None)  # noqa: B004 - an instance's async __call__
    return inspect.iscoroutinefunction(call)


class ASGIApp:
    """An ASGI app as a WSGI app, with its lifespan, on an event loop of its own."""

    def __init__(self, app: Any) -> None:
        try:
            from a2wsgi import ASGIMiddleware
        except ImportError:
            raise ConfigurationError(
                f"{app!r} is an ASGI app; delivering webhooks to it needs a2wsgi: "
                "pip install a2wsgi (or install twimlsim's wheel with its asgi extra, "
                f"'twimlsim-{__version__}-py3-none-any.whl[asgi]')"
            ) from None
        self.app = app
        #: The lifespan state (``scope["state"]``), copied into each request's scope.
        self.state: dict[str, Any] = {}
        self._lifespan: _Lifespan | None = None
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self.loop.run_forever, name="twimlsim-asgi", daemon=True
        )
        self._thread.start()
        # a2wsgi types its own scope, environ and start_response; they are the ASGI/WSGI ones
        self._middleware: Any = ASGIMiddleware(
            cast(Any, self._serve), wait_time=TWILIO_TIMEOUT_SECONDS, loop=self.loop
        )

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        return cast("Iterable[bytes]", self._middleware(environ, start_response))

    async def _serve(self, scope: Message, receive: Receive, send: Send) -> None:
        if self._lifespan is not None:
            scope = {**scope, "state": dict(self.state)}
        # the WSGI side waits for the app's messages without a bound of its own: an app that
        # never answers, or stops halfway through its body, is cut at the read deadline
        deadline = read_deadline()
        try:
            if deadline is None:
                await self.app(scope, receive, send)
            else:
                await _within(self.app(scope, receive, send), deadline)
        except Exception:
            _log.error(
                "the ASGI app raised on %s %s",
                scope.get("method"),
                scope.get("path"),
                exc_info=True,
            )
            raise

    def _run(self, coroutine: Awaitable[None], phase: str) -> None:
        future = asyncio.run_coroutine_threadsafe(_as_coroutine(coroutine), self.loop)
        try:
            future.result(timeout=LIFESPAN_TIMEOUT_SECONDS)
        except TimeoutError:
            future.cancel()
            raise ConfigurationError(
                f"the ASGI app's lifespan {phase} did not finish within "
                f"{LIFESPAN_TIMEOUT_SECONDS:g} s; check what its lifespan handler awaits"
            ) from None

    def startup(self) -> None:
        """Run the app's lifespan startup (once); raise ``ConfigurationError`` if it fails."""
        lifespan = _Lifespan(self.app, self.state)
        self._run(lifespan.startup(), "startup")
        if lifespan.supported:
            self._lifespan = lifespan

    def shutdown(self) -> None:
        """Run the lifespan shutdown, then stop the app's event loop."""
        try:
            if self._lifespan is not None:
                lifespan, self._lifespan = self._lifespan, None
                self._run(lifespan.shutdown(), "shutdown")
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(timeout=LIFESPAN_TIMEOUT_SECONDS)
            if not self._thread.is_alive():
                self.loop.close()


class AnswerTimeout(TimeoutError):
    """The ASGI app had not finished its answer by Twilio's read timeout."""


async def _within(answering: Awaitable[None], deadline: float) -> None:
    try:
        await asyncio.wait_for(answering, max(deadline - wall_seconds(), 0.0))
    except TimeoutError:
        raise AnswerTimeout(
            "the ASGI app had not finished its answer when Twilio's read timeout ran out; "
            "it was cancelled (Twilio gives up on the request then). Answer sooner; "
            f"{LIFT_THE_LIMIT}"
        ) from None


async def _as_coroutine(awaitable: Awaitable[None]) -> None:
    await awaitable


class _Lifespan:
    """One run of the ASGI lifespan protocol: the app's task and the two message queues."""

    def __init__(self, app: Any, state: dict[str, Any]) -> None:
        self.app = app
        self.state = state
        self.supported = False
        self._asked = False
        self._to_app: asyncio.Queue[Message] | None = None
        self._from_app: asyncio.Queue[Message] | None = None
        self._task: asyncio.Task[None] | None = None

    async def _receive(self) -> Message:
        assert self._to_app is not None
        self._asked = True
        return await self._to_app.get()

    async def _send(self, message: Message) -> None:
        assert self._from_app is not None
        await self._from_app.put(message)

    async def _main(self) -> None:
        assert self._from_app is not None
        scope = {
            "type": "lifespan",
            "asgi": {"version": "3.0", "spec_version": "2.0"},
            "state": self.state,
        }
        try:
            await self.app(scope, self._receive, self._send)
        except BaseException as exc:  # reported through the queue, where someone waits
            await self._from_app.put({"type": "twimlsim.raised", "error": exc})
        else:
            await self._from_app.put({"type": "twimlsim.returned"})

    async def startup(self) -> None:
        self._to_app, self._from_app = asyncio.Queue(), asyncio.Queue()
        self._task = asyncio.get_running_loop().create_task(self._main())
        await self._to_app.put({"type": "lifespan.startup"})
        message = await self._from_app.get()
        kind = message["type"]
        if kind == "lifespan.startup.complete":
            self.supported = True
        elif kind == "lifespan.startup.failed" or (kind == "twimlsim.raised" and self._asked):
            error = message.get("error")
            if error is None:  # Starlette sends the traceback as text, then raises
                error = await self._raised_next()
            lines = str(message.get("message", "")).strip().splitlines() or ["no reason given"]
            why = f"{type(error).__name__}: {error}" if error is not None else lines[-1]
            raise ConfigurationError(
                f"the ASGI app's lifespan startup failed: {why}; "
                "fix the app's startup (its lifespan handler or on_startup events)"
            ) from error
        # otherwise the app does not speak the lifespan protocol: serve it without one

    async def _raised_next(self) -> BaseException | None:
        """The exception the app raises after reporting a failure, if it raises at once."""
        assert self._from_app is not None
        for _ in range(_RAISE_GRACE_STEPS):
            if not self._from_app.empty():
                error = self._from_app.get_nowait().get("error")
                return error if isinstance(error, BaseException) else None
            await asyncio.sleep(0)  # one turn of the loop, not a wait on the clock
        return None

    async def shutdown(self) -> None:
        assert self._to_app is not None and self._from_app is not None
        await self._to_app.put({"type": "lifespan.shutdown"})
        message = await self._from_app.get()
        kind = message["type"]
        if kind == "lifespan.shutdown.failed":
            raise ConfigurationError(
                f"the ASGI app's lifespan shutdown failed: {message.get('message', '')!r}"
            )
        if kind == "twimlsim.raised":
            error = message["error"]
            raise ConfigurationError(
                f"the ASGI app's lifespan shutdown raised {type(error).__name__}: {error}"
            ) from error
        if self._task is not None:
            await self._task

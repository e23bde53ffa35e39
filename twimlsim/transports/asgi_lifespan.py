"""The ASGI lifespan protocol, run once for an app routed in process (``ASGIApp``).

The app's startup runs when it is routed and its shutdown when the simulator stops, as
uvicorn runs them around serving: a failed startup is a ``ConfigurationError`` naming the
app's error and what to do; an app that does not speak the protocol is served without it.
"""

from __future__ import annotations

import asyncio
from collections.abc import MutableMapping
from typing import Any

from twimlsim.arguments import environment_key, raised_text
from twimlsim.errors import ConfigurationError

__all__ = ["Lifespan"]

Message = MutableMapping[str, Any]

#: Turns of the event loop the app may take to raise after it reported a failed startup.
_RAISE_GRACE_STEPS = 10


def _startup_advice(error: BaseException | None) -> str:
    """What to do about a failed lifespan startup: fix it, or, when it failed on an object
    of another event loop (an async engine's pooled connection), make that per loop."""
    from twimlsim.engine.app_exceptions import made_on_another_loop

    if made_on_another_loop(error):
        return (
            "the startup used an object made on another event loop: twimlsim runs the "
            "lifespan and the webhooks on a loop of its own, made when the app is routed "
            "(a new one in each test), so a connection an async engine's pool kept from "
            "the test's loop or an earlier test's fails there; make the app's engine with "
            "poolclass=NullPool in tests (create_async_engine(url, poolclass=NullPool))"
        )
    variable = environment_key(error)
    if variable is not None:
        return (
            f"the startup read {variable} from the environment (os.environ), where it is "
            "unset: set it before the app is routed (under pytest, monkeypatch.setenv in the "
            "fixture that then routes the app, with sim.account_sid and sim.auth_token for "
            "Twilio's credentials; under twimlsim call, in the command's environment)"
        )
    return "fix the app's startup (its lifespan handler or on_startup events)"


#: What to do about a shutdown that failed: the simulator stopped, the app's cleanup did not.
_SHUTDOWN_ADVICE = (
    "the simulator stopped, but the app's cleanup did not finish: fix its shutdown (its "
    "lifespan handler's code after startup, or its on_shutdown and on_cleanup events)"
)


class Lifespan:
    """One run of the ASGI lifespan protocol: the app's task and the two message queues."""

    def __init__(self, app: Any, state: dict[str, Any]) -> None:
        self.app = app
        self.state = state
        self.supported = False
        self._asked = False
        self._to_app: asyncio.Queue[Message] | None = None
        self._from_app: asyncio.Queue[Message] | None = None
        self._task: asyncio.Task[None] | None = None
        #: The tasks the startup left running besides the lifespan's own (its workers).
        self.started: frozenset[asyncio.Task[Any]] = frozenset()

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

    def cancel(self) -> None:
        """Cancel the app's lifespan task (on the loop's thread)."""
        if self._task is not None:
            self._task.cancel()

    def tasks(self) -> frozenset[asyncio.Task[Any]]:
        """The app's lifespan task, if it was started."""
        return frozenset() if self._task is None else frozenset({self._task})

    async def startup(self) -> None:
        """Start the app's lifespan task and wait for its startup: ``supported`` when it
        completes; ``ConfigurationError`` when it fails; nothing for an app without one."""
        self._to_app, self._from_app = asyncio.Queue(), asyncio.Queue()
        self._task = asyncio.get_running_loop().create_task(self._main())
        await self._to_app.put({"type": "lifespan.startup"})
        message = await self._from_app.get()
        kind = message["type"]
        if kind == "lifespan.startup.complete":
            self.supported = True
            here = asyncio.current_task()
            self.started = frozenset(
                task for task in asyncio.all_tasks() if task is not here and task is not self._task
            )
        elif kind == "lifespan.startup.failed" or (kind == "twimlsim.raised" and self._asked):
            error = message.get("error")
            if error is None:  # Starlette sends the traceback as text, then raises
                error = await self._raised_next()
            lines = str(message.get("message", "")).strip().splitlines() or ["no reason given"]
            why = raised_text(error) if error is not None else lines[-1]
            raise ConfigurationError(
                f"the ASGI app's lifespan startup failed: {why}; {_startup_advice(error)}"
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
        """Ask the app to shut down and wait for its lifespan task to end;
        ``ConfigurationError`` when the shutdown fails or raises."""
        assert self._to_app is not None and self._from_app is not None
        await self._to_app.put({"type": "lifespan.shutdown"})
        message = await self._from_app.get()
        kind = message["type"]
        if kind == "lifespan.shutdown.failed":
            raise ConfigurationError(
                f"the ASGI app's lifespan shutdown failed: {message.get('message', '')!r}; "
                + _SHUTDOWN_ADVICE
            )
        if kind == "twimlsim.raised":
            error = message["error"]
            raise ConfigurationError(
                f"the ASGI app's lifespan shutdown raised {raised_text(error)}; " + _SHUTDOWN_ADVICE
            ) from error
        if self._task is not None:
            await self._task

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

The app's messages are held to the protocol as uvicorn holds them (``_AnswerGuard``): a
message out of order, or any message after the answer is complete, is refused with
uvicorn's ``RuntimeError`` (a route that answers through the raw ``send`` and then lets
its framework answer again gets it from uvicorn too, and Twilio has the first answer). An
app that returns, or raises, before its answer is complete fails the webhook (11200), as
uvicorn's 500 or its connection closed mid-answer would.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import inspect
import logging
import re
import socket
import sys
import threading
from collections.abc import Awaitable, Callable, Iterable, Iterator, MutableMapping
from typing import TYPE_CHECKING, Any

from twimlsim import __version__
from twimlsim.defaults import DEFAULT_WEBHOOK_TIMEOUT
from twimlsim.errors import ConfigurationError

from .asgi_lifespan import Lifespan
from .timing import LIFT_THE_LIMIT, read_deadline, wall_seconds

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

__all__ = ["TWILIO_TIMEOUT_SECONDS", "ASGIApp", "is_asgi"]

#: Twilio's wait for a webhook's answer: a2wsgi's wait for the app where no read deadline is set.
TWILIO_TIMEOUT_SECONDS = DEFAULT_WEBHOOK_TIMEOUT
#: Wall-clock seconds a lifespan phase may take before it is reported as hanging.
LIFESPAN_TIMEOUT_SECONDS = 15.0

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


#: The family of the socket pair an asyncio event loop wakes itself through.
_SELF_PIPE_FAMILY = socket.AF_INET if sys.platform == "win32" else socket.AF_UNIX


class ASGIApp:
    """An ASGI app as a WSGI app, with its lifespan, on an event loop of its own."""

    def __init__(self, app: Any) -> None:
        try:
            from a2wsgi import asgi as a2wsgi_asgi
        except ImportError:
            raise ConfigurationError(
                f"{app!r} is an ASGI app; delivering webhooks to it needs a2wsgi: "
                "pip install a2wsgi (or install twimlsim's wheel with its asgi extra, "
                f"'twimlsim-{__version__}-py3-none-any.whl[asgi]')"
            ) from None
        self.app = app
        #: The lifespan state (``scope["state"]``), copied into each request's scope.
        self.state: dict[str, Any] = {}
        self._lifespan: Lifespan | None = None
        #: The tasks the app's lifespan startup left running (its background workers).
        self._lifespan_tasks: frozenset[asyncio.Task[Any]] = frozenset()
        #: What the lifespan startup left on ``app.state``, to tell a failed webhook that
        #: another run of the app's lifespan (the test's own client) replaced it since.
        self.startup_state: dict[str, object] = {}
        try:
            # a socket of the kind the loop wakes itself through, tried first: a loop that
            # fails to make its pair is left half made and complains again when collected
            socket.socket(_SELF_PIPE_FAMILY, socket.SOCK_STREAM).close()
            self.loop = asyncio.new_event_loop()
        except (RuntimeError, OSError) as error:  # pytest-socket's SocketBlockedError
            raise ConfigurationError(
                f"{app!r} is an ASGI app, which runs on an asyncio event loop, and making one "
                f"failed ({type(error).__name__}: {error}): a loop wakes itself through a "
                "pair of Unix sockets, which pytest-socket's --disable-socket blocks; add "
                "--allow-unix-socket (no network socket is opened)"
            ) from error
        with contextlib.suppress(AttributeError):  # a loop of C (uvloop's) keeps its own
            # the app's sleeps and timeouts, and the read deadline, on the real monotonic
            # clock: a freezegun freeze the test started itself (its real_asyncio=False, the
            # default) froze the loop's time.monotonic, and an endpoint's asyncio.sleep hung
            # the webhook for ever, past any read timeout
            self.loop.time = wall_seconds  # type: ignore[method-assign]
        self._thread = _AppLoopThread(
            target=self.loop.run_forever, name="twimlsim-asgi", daemon=True
        )
        self._thread.start()
        #: a2wsgi's one-request bridge (its middleware makes one per request the same way)
        self._responder: Any = _responder_class(a2wsgi_asgi.ASGIResponder)

    def on_loop_thread(self) -> bool:
        """Whether the caller runs on the app's event loop's thread (the app's own code)."""
        return threading.current_thread() is self._thread

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        guard = _AnswerGuard()
        # a2wsgi types its own scope, environ and start_response; they are the ASGI/WSGI ones
        serve = functools.partial(self._serve, guard)
        responder = self._responder(serve, self.loop, TWILIO_TIMEOUT_SECONDS)
        responder.deadline = read_deadline()
        return guard.checked(responder(environ, start_response))

    async def _serve(
        self, guard: _AnswerGuard, scope: Message, receive: Receive, send: Send
    ) -> None:
        scope = {**scope, "raw_path": _raw_path(scope)}
        if self._lifespan is not None:
            scope["state"] = dict(self.state)
        # the WSGI side waits for the app's messages without a bound of its own: an app that
        # never answers, or stops halfway through its body, is cut at the read deadline
        deadline = read_deadline()
        guarded = guard.sending_to(send)
        try:
            answering = _exit_caught(self.app(scope, receive, guarded))
            if deadline is None:
                await answering
            else:
                await _within(answering, deadline)
            guard.check_returned()
        except asyncio.CancelledError:
            if guard.complete:  # its work after the answer outlasted the read timeout
                _log.warning(
                    "the ASGI app was still working after its answer to %s %s (a background "
                    "task?) when Twilio's read timeout ran out; twimlsim cancelled that work "
                    "(Twilio had the answer at once and does not wait for it)",
                    scope.get("method"),
                    scope.get("path"),
                )
            raise
        except Exception as error:
            if not isinstance(error, AnswerTimeout):  # twimlsim's cut: the 11200 says it
                _log.error(
                    "the ASGI app raised on %s %s",
                    scope.get("method"),
                    scope.get("path"),
                    exc_info=True,
                )
            if not guard.complete:
                # a2wsgi may end an answer without the error, which the WSGI side then
                # raises: before a start it answers 500 with the error, but may stop
                # reading before it sees it (the app raised just after its receive() was
                # answered); an answer cut halfway (at its start, its loop held by a
                # blocking call until the deadline), or an error raised just after a
                # message, it may end without reading that far. After the end of the
                # answer the error is too late.
                guard.failure = error
            if not guard.started or guard.complete or isinstance(error, AnswerTimeout):
                # a2wsgi reads the error of an app silent until the deadline
                raise
            # end the answer, and let the WSGI side raise the error once it reads that far
            await send({"type": "http.response.body", "body": b"", "more_body": False})

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
        from .restartable import allow_restart

        allow_restart(self.app)  # a Sanic app routed again in the next test starts again
        lifespan = Lifespan(self.app, self.state)
        try:
            self._run(lifespan.startup(), "startup")
        except ConfigurationError:
            # a startup that never finished is told here, not again as work left running
            # when the simulator stops (the app's lifespan task is cancelled now)
            self.loop.call_soon_threadsafe(lifespan.cancel)
            raise
        if lifespan.supported:
            from twimlsim.engine.lifespan_hints import state_snapshot

            self._lifespan = lifespan
            self._lifespan_tasks = lifespan.started
            self.startup_state = state_snapshot(self.app)

    def shutdown(self) -> None:
        """Run the lifespan shutdown, then stop the app's event loop."""
        told: frozenset[asyncio.Task[Any]] = frozenset()
        try:
            if self._lifespan is not None:
                lifespan, self._lifespan = self._lifespan, None
                try:
                    self._run(lifespan.shutdown(), "shutdown")
                except ConfigurationError:
                    told = lifespan.tasks()  # a shutdown that never finished: told here
                    raise
        finally:
            self._cancel_requests(told)
            self._lifespan_tasks = frozenset()
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(timeout=LIFESPAN_TIMEOUT_SECONDS)
            if not self._thread.is_alive():
                self.loop.close()

    def _cancel_requests(self, told: frozenset[asyncio.Task[Any]] = frozenset()) -> None:
        """Cancel what the app still runs (a webhook whose reader gave up on it, as after
        Ctrl-C) and let it unwind, rather than destroy its tasks pending with the loop;
        ``told``, tasks an error named already, without a warning."""
        if not self._thread.is_alive():
            return
        started = self._lifespan_tasks
        future = asyncio.run_coroutine_threadsafe(_cancel_others(started, told), self.loop)
        try:
            future.result(timeout=LIFESPAN_TIMEOUT_SECONDS)
        except TimeoutError:  # an app that ignores cancellation: the loop stops anyway
            future.cancel()


_SERVE_CODE = ASGIApp._serve.__code__


def _raw_path(scope: Message) -> bytes:
    """The request's path as it was sent (percent-encoded, without the query), as uvicorn
    puts it in every scope as ``raw_path``: a2wsgi's scope leaves it out, and a framework
    that reads it unconditionally (Sanic) would raise ``KeyError`` on every webhook."""
    raw_uri = scope.get("wsgi_environ", {}).get("RAW_URI")
    if isinstance(raw_uri, str):
        return raw_uri.partition("?")[0].encode("latin-1")
    return str(scope.get("path", "/")).encode()


class _AnswerGuard:
    """One answer's messages, refused where uvicorn refuses them (its words, exactly), and
    the failure of an answer started but never finished, raised on the WSGI side.

    Without it a message after the complete answer would wait for a reader that is gone
    (a2wsgi stops reading at the last body) until the app was given up on 15 s later, and
    an app that returned without answering would leave the WSGI side waiting for ever.
    """

    def __init__(self) -> None:
        self.started = False
        self.complete = False
        #: Why an answer started was not finished (raised where the WSGI side reads it).
        self.failure: BaseException | None = None

    def sending_to(self, send: Send) -> Send:
        """The ``send`` the app gets: each message checked, then passed to ``send``."""

        async def guarded(message: Message) -> None:
            await send(self.check(message))

        return guarded

    def check(self, message: Message) -> Message:
        """``message`` as it is passed on (its headers read once), or uvicorn's
        ``RuntimeError`` for a message out of order; notes the answer's progress."""
        kind = message.get("type") if isinstance(message, MutableMapping) else message
        if self.complete:
            raise RuntimeError(
                f"Unexpected ASGI message '{kind}' sent, after response already completed."
            )
        expected = "http.response.body" if self.started else "http.response.start"
        if kind != expected:
            raise RuntimeError(f"Expected ASGI message '{expected}', but got '{kind}'.")
        if not self.started:
            status = message.get("status")
            if isinstance(status, bool) or not isinstance(status, int) or not 100 <= status < 600:
                raise RuntimeError(
                    "the ASGI app's http.response.start status must be an HTTP status code, "
                    f"an int from 100 to 599; got {status!r}"
                )
            message = {**message, "headers": _headers(message.get("headers", ()))}
        elif not isinstance(message.get("body", b""), bytes | bytearray | memoryview):
            raise RuntimeError(
                "the ASGI app's http.response.body body must be bytes (encode a str first); "
                f"got {type(message['body']).__name__}"
            )
        if self.started:
            self.complete = not message.get("more_body", False)
        self.started = True
        return message

    def check_returned(self) -> None:
        """Raise uvicorn's error for an app that returned before finishing its answer."""
        if not self.complete:
            missing = "completing" if self.started else "starting"
            raise RuntimeError(f"ASGI callable returned without {missing} response.")

    def checked(self, chunks: Iterable[bytes]) -> Iterator[bytes]:
        """``chunks``, then the failure of an answer cut short, if there was one: raised at
        the first empty piece after it (a2wsgi's end of the answer), which the reader would
        otherwise take for a body still streaming past the read timeout."""
        try:
            for chunk in chunks:
                if not chunk and self.failure is not None:
                    break
                yield chunk
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()
        if self.failure is not None:
            raise self.failure


#: Wall seconds kept between the end of the wait for an app's work after its answer and
#: the read deadline, for the rest of the delivery.
_DEADLINE_MARGIN = 0.1


@functools.cache
def _responder_class(base: type[Any]) -> type[Any]:
    """a2wsgi's ``ASGIResponder`` whose wait for the app's work after its answer (a
    FastAPI BackgroundTask) ends a little before the read deadline (``deadline``): the
    answer was complete in time, so that work, cut there, never makes it late (a2wsgi's
    own wait is a fixed 15 s from the end of the answer)."""

    class Responder(base):  # type: ignore[misc]
        deadline: float | None = None

        @property
        def wait_time(self) -> float:
            if self.deadline is None:
                return TWILIO_TIMEOUT_SECONDS
            return max(self.deadline - wall_seconds() - _DEADLINE_MARGIN, 0.0)

        @wait_time.setter
        def wait_time(self, value: float) -> None:  # a2wsgi sets it: the deadline decides
            pass

    return Responder


def _headers(headers: object) -> list[tuple[bytes, bytes]]:
    """An answer's headers (any iterable of pairs of bytes, as the ASGI spec allows) as a
    list, or a ``RuntimeError`` at the app's ``send`` (a2wsgi would fail reading them on
    its own side, leaving the app waiting on its ``send`` for ever)."""
    pairs = (
        list(headers)
        if isinstance(headers, Iterable) and not isinstance(headers, str | bytes)
        else None
    )
    if pairs is not None and all(_byte_pair(pair) for pair in pairs):
        checked = [(pair[0], pair[1]) for pair in pairs]
        if _BAD_NAME.search(b"-".join(name for name, _ in checked)) or _BAD_VALUE.search(
            b"".join(value for _, value in checked)
        ):
            _refuse_header(checked)
        return checked
    raise RuntimeError(
        "the ASGI app's http.response.start headers must be (name, value) pairs of bytes, "
        f"such as [(b'content-type', b'text/xml')]; got {headers!r}"
    )


#: What uvicorn refuses in a header's name (a separator, a space, a control character)
#: and value (a control character: a line break would split the answer).
_BAD_NAME = re.compile(rb'[\x00-\x1f\x7f()<>@,;:\[\]={} \t\\"]')
_BAD_VALUE = re.compile(rb"[\x00-\x1f\x7f]")


def _refuse_header(headers: list[tuple[bytes, bytes]]) -> None:
    """uvicorn's ``RuntimeError`` for the first header it would refuse to write (an app's
    ``send`` raises it there, and the client gets no answer: 11200), naming the header."""
    for name, value in headers:
        if _BAD_NAME.search(name):
            raise RuntimeError(
                f"Invalid HTTP header name. (uvicorn's refusal of the ASGI app's header name "
                f"{name!r}: a name is one word of letters, digits and -, such as "
                "b'content-type')"
            )
        if _BAD_VALUE.search(value):
            raise RuntimeError(
                f"Invalid HTTP header value. (uvicorn's refusal of the ASGI app's header "
                f"{name!r}: its value {value!r} holds a line break or another control "
                "character; send the value on one line)"
            )


def _byte_pair(pair: object) -> bool:
    return (
        isinstance(pair, list | tuple)
        and len(pair) == 2
        and isinstance(pair[0], bytes)
        and isinstance(pair[1], bytes)
    )


async def _exit_caught(answering: Awaitable[None]) -> None:
    """``answering``, its ``SystemExit`` raised as ``AppExited`` and its
    ``KeyboardInterrupt`` or ``GeneratorExit`` as ``AppInterrupted``: out of its task they
    would stop the loop every webhook waits on (a hang), where uvicorn catches them with
    any exception and answers 500. So is a ``CancelledError`` the app raised itself (a task
    it awaited was cancelled), where no one cancelled its task: a2wsgi drops a cancelled
    answer without a word, and the webhook waited for ever."""
    try:
        await answering
    except SystemExit as exc:
        raise AppExited(exc.code) from exc
    except (KeyboardInterrupt, GeneratorExit) as exc:
        raise AppInterrupted(exc) from exc
    except asyncio.CancelledError as exc:
        task = asyncio.current_task()
        if task is not None and task.cancelling():  # the read deadline, or the shutdown
            raise
        raise AppInterrupted(exc) from exc


class AppExited(Exception):
    """An ASGI app raised ``SystemExit`` while answering (``sys.exit()`` in a view)."""

    def __init__(self, code: object) -> None:
        super().__init__(
            f"SystemExit({code!r}) while answering; uvicorn catches it as it catches any "
            "exception and answers HTTP 500: return an error response instead of exiting"
        )


class AppInterrupted(Exception):
    """An ASGI app raised ``KeyboardInterrupt``, ``GeneratorExit`` or a ``CancelledError``
    no one cancelled it with (not an ``Exception``) on its event loop's thread: no Ctrl-C
    reaches that thread, so the app raised it."""

    def __init__(self, raised: BaseException) -> None:
        super().__init__(
            f"{type(raised).__name__}({', '.join(map(repr, raised.args))}) while answering; "
            "uvicorn catches it as it catches any exception and answers HTTP 500: raise an "
            "Exception, or return an error response"
        )


class AnswerTimeout(TimeoutError):
    """The ASGI app had not finished its answer by Twilio's read timeout: twimlsim cut it
    there, so the app raised nothing (no HTTP 500, no traceback to log); the WSGI side
    reports it as the read timeout it is (``read_timeout_ran_out``)."""

    read_timeout_ran_out = True


class _AppLoopThread(threading.Thread):
    """The thread an ASGI app's event loop runs on: what runs there is the app's own code,
    answering a webhook (``engine.session.inside_webhook`` reads ``answers_webhooks``)."""

    answers_webhooks = True


async def _within(answering: Awaitable[None], deadline: float) -> None:
    try:
        await asyncio.wait_for(answering, max(deadline - wall_seconds(), 0.0))
    except TimeoutError:
        raise AnswerTimeout(
            "the ASGI app had not finished its answer when Twilio's read timeout ran out; "
            "it was cancelled (Twilio gives up on the request then). Answer sooner; "
            f"{LIFT_THE_LIMIT}"
        ) from None


async def _cancel_others(
    started: frozenset[asyncio.Task[Any]] = frozenset(),
    told: frozenset[asyncio.Task[Any]] = frozenset(),
) -> None:
    """Cancel every task of the running loop but this one, and wait until they have ended.

    A task the app started and left running (``asyncio.create_task`` in an endpoint, whose
    ``asyncio.sleep`` waits on the wall clock while virtual time ran on without it) would
    lose what it was about to do without a word: the warning names it. One its lifespan
    startup ``started`` (a background worker) and its shutdown did not stop gets a warning
    of its own: no webhook's work was lost there."""
    tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
    workers = [task for task in tasks if task in started and task not in told]
    if workers:
        _log.warning(
            "the ASGI app's lifespan startup started %s, still running after its lifespan "
            "shutdown; twimlsim cancelled it as the simulator stopped. A test that also runs "
            "the lifespan of the same app object in its own client (a TestClient or "
            "AsyncTestClient beside sim.route) starts it twice, once on each event loop, and "
            "an app that keeps one such worker per app object (Litestar's event emitter) "
            "stops only one: harmless. Otherwise the app's shutdown leaves it running",
            ", ".join(sorted(_task_name(task) for task in workers)),
        )
    others = [
        task
        for task in tasks
        if task not in started
        and task not in told
        and not task.cancelling()  # being stopped already (a socket Twilio gave up)
        and not _answers_a_webhook(task)
    ]
    if others:
        _log.warning(
            "the ASGI app still ran %s when the simulator stopped; twimlsim cancelled it, so "
            "what it had still to do (a REST update of a call?) never happened. Its awaits "
            "(asyncio.sleep included) wait on the wall clock, and virtual time does not wait "
            "for them: sim.run() ends the calls at once. Finish that work before answering "
            "the webhook, or wait for the task in the test before sim.run() goes on",
            ", ".join(sorted(_task_name(task) for task in others)),
        )
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


def _answers_a_webhook(task: asyncio.Task[Any]) -> bool:
    """Whether ``task`` is twimlsim's own answer to a webhook (a2wsgi's task running
    ``ASGIApp._serve``, or the task Python 3.11's ``wait_for`` runs the app in): one whose
    reader gave up on it, as after Ctrl-C, not work the app left running after its answer
    (a warning about it named twimlsim's own functions)."""
    code = getattr(task.get_coro(), "cr_code", None)
    return code is _SERVE_CODE or code is _exit_caught.__code__


#: The name asyncio gives a task made without one.
_DEFAULT_TASK_NAME = re.compile(r"Task-\d+")


def _task_name(task: asyncio.Task[Any]) -> str:
    """A task's name as a warning gives it: the name it was given (twimlsim names a
    WebSocket handler's task after its path; anyio names each task after its function,
    ``litestar.events.emitter.SimpleEventEmitter._worker``, and runs them all in its own
    ``TaskHandle._run_coro`` wrapper), else its coroutine's."""
    name = task.get_name()
    if _DEFAULT_TASK_NAME.fullmatch(name):
        name = getattr(task.get_coro(), "__qualname__", None) or name
    # a name with a space describes the task ("its WebSocket handler at /media"), a
    # function's does not
    return name if " " in name else f"{name}()"


async def _as_coroutine(awaitable: Awaitable[None]) -> None:
    await awaitable

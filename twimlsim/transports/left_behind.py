"""A thread the app started while a simulator ran cannot reach the real Twilio after it.

The app's code may start a thread that outlives the test: a ``threading.Timer`` that
updates the call a minute later, a worker of a ``ThreadPoolExecutor`` still busy, a
notifier that retries. Once the simulator has stopped nothing answers Twilio's API in
its place, so what such a thread sent went to the real Twilio, with whatever
credentials the app holds (its own, under ``pytest --twimlsim``): a real call placed by
a test, long after it passed. So a thread started while a simulator ran, and still
alive when it stopped, is refused every Twilio host name once no simulator runs:
``socket.getaddrinfo`` (and ``gethostbyname``, ``gethostbyname_ex``) raise
``NetworkEscapeError`` naming the thread and the test it outlived, before any
connection. The refusal is also logged (to ``twimlsim``), in case the thread swallows
it. Threads started before the simulator (or while none ran) are not concerned: they may
reach Twilio as before, as may the thread that ran the test.

While a simulator runs again, such a thread is answered by it, as any thread is (a
pool's worker may be reused by a later test). A thread of the app's own (a
``threading.Timer``, a ``threading.Thread`` running the app's function) that sends a
request to a later simulator puts what it does in that simulator's results (its calls in
another test's ``sim.calls``): ``note_request`` logs a warning (to ``twimlsim``) naming
the thread and what it outlived, once per thread. A pool's worker (``ThreadPoolExecutor``,
``multiprocessing.pool.ThreadPool``, an asyncio loop's executor, anyio's), and a live
server's request thread, are not named: they run whichever test's work they are given.
Name lookups done in no thread of the app's (asyncio's ``getaddrinfo`` runs in its loop's
executor) are refused only when that executor's thread was itself started while the
simulator ran.

Under ``pytest --twimlsim`` (``refuse_everywhere``) every thread is refused Twilio's
host names while no simulator runs, except during a test marked ``no_twimlsim``: a
session-scoped fixture's teardown runs after the last test's simulator has stopped.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from twimlsim.errors import NetworkEscapeError

from .guard import NAME_LOOKUPS, TWILIO_HOST, lookup_name

__all__ = [
    "after_stop",
    "before_start",
    "note_request",
    "refuse_everywhere",
    "refuse_no_more",
    "refusing",
]

_log = logging.getLogger("twimlsim")

#: Each thread left running by a simulation, with what it outlived (a test's simulator,
#: or "" for a simulator outside pytest).
_LEFT: weakref.WeakKeyDictionary[threading.Thread, str] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()
#: The lookups' wrappers this module installed (weakly: one put over a test's patch of
#: the lookup goes once the patch is undone).
_WRAPPERS: weakref.WeakSet[Callable[..., Any]] = weakref.WeakSet()
#: One entry per pytest session run with ``--twimlsim`` (a pytester run nests one):
#: every thread is refused Twilio's hosts while no simulator runs. False while a test
#: marked ``no_twimlsim`` runs.
_EVERYWHERE: list[bool] = []


def before_start(alone: bool) -> tuple[frozenset[threading.Thread], str]:
    """What ``after_stop`` needs: the threads alive now, and the name of what runs (the
    test pytest runs, else none). The first simulator to start (``alone``: no other
    runs) installs the lookups' check."""
    if alone:
        _install()
    test = _running_test()
    name = f"the simulator of the test {test}" if test else ""
    return frozenset(threading.enumerate()), name


def _running_test() -> str:
    """The node ID of the test pytest runs now (its ``PYTEST_CURRENT_TEST`` without the
    phase), or "" outside one."""
    test = os.environ.get("PYTEST_CURRENT_TEST", "")
    return test.rpartition(" (")[0] or test


def after_stop(started: tuple[frozenset[threading.Thread], str]) -> None:
    """Note the threads started since ``before_start`` and alive now: left behind."""
    before, name = started
    me = threading.current_thread()
    with _LOCK:
        for thread in threading.enumerate():
            if thread not in before and thread is not me and not _ours(thread):
                _LEFT[thread] = name


#: The threads ``note_request`` has named: each is named once.
_NAMED: weakref.WeakSet[threading.Thread] = weakref.WeakSet()
#: Where pools' workers and servers' request threads run: they run any test's jobs (a
#: live server's thread answers a kept-alive connection's next request, of a later test).
_POOL_MODULES = (
    "concurrent.futures.",
    "multiprocessing.pool",
    "anyio.",
    "asyncio.",
    "socketserver",
)


def note_request(method: str, url: str) -> None:
    """Warn (once per thread) when the thread sending a request to the running simulator
    was left running by an earlier one: its calls land in this simulator's results."""
    if not _LEFT:
        return
    thread = threading.current_thread()
    outlived = _LEFT.get(thread)
    if outlived is None or thread in _NAMED or not _the_app_s_own(thread):
        return
    _NAMED.add(thread)
    test = _running_test()
    now = f"the test {test}" if test else "the simulator running"
    _log.warning(
        "the thread %r, started while %s ran and left running when it stopped, sent %s %s "
        "to the simulator running now (%s): what it does shows in this simulator's "
        "results (its calls in sim.calls, its requests in sim.api_requests), not the ones "
        "it was started for. End the thread before the simulator that started it stops "
        "(join it, cancel its Timer)",
        thread.name,
        outlived or "an earlier simulator",
        method,
        url,
        now,
    )


def _the_app_s_own(thread: threading.Thread) -> bool:
    """Whether ``thread`` is a Timer, or a plain Thread running a function outside the
    thread pools' modules: started for one piece of the app's work, not a pool's worker."""
    if isinstance(thread, threading.Timer):
        return True
    if type(thread) is not threading.Thread:
        return False  # a subclass: a pool's worker (anyio's) or one of a framework's
    target = getattr(thread, "_target", None)
    module = str(getattr(target, "__module__", "") or "")
    return target is not None and not module.startswith(_POOL_MODULES)


def _ours(thread: threading.Thread) -> bool:
    """twimlsim's own threads (an ASGI app's loop): they end with their simulator."""
    return thread.name.startswith("twimlsim")


def _install() -> None:
    """Wrap the lookups, unless ours are on top: a test's ``monkeypatch`` of
    ``socket.getaddrinfo`` undone since took ours away with it. (Called with no simulator
    running, under ``running_threads``' lock: a running one's guard would be on top.)"""
    for name in NAME_LOOKUPS:
        current = getattr(socket, name)
        if current not in _WRAPPERS:
            wrapper = _checked(current)
            _WRAPPERS.add(wrapper)
            setattr(socket, name, wrapper)


def refuse_everywhere() -> None:
    """``pytest --twimlsim``: from now on, until ``refuse_no_more``, no thread reaches
    Twilio's hosts while no simulator runs (a session-scoped fixture's teardown, which
    runs after the last test's simulator stopped, sent its requests to the real Twilio
    with the app's credentials)."""
    from twimlsim.running_threads import any_running

    if not any_running():  # else the one running installed the check as it started
        _install()
    _EVERYWHERE.append(True)


def refuse_no_more() -> None:
    """The session ``refuse_everywhere`` began for has ended."""
    if _EVERYWHERE:
        _EVERYWHERE.pop()


@contextmanager
def refusing(refuse: bool) -> Iterator[None]:
    """While a test runs: ``refuse`` False lets it reach Twilio's hosts (``no_twimlsim``)."""
    depth = len(_EVERYWHERE)
    if not depth:
        yield
        return
    before = _EVERYWHERE[depth - 1]
    _EVERYWHERE[depth - 1] = refuse
    try:
        yield
    finally:
        if len(_EVERYWHERE) >= depth:
            _EVERYWHERE[depth - 1] = before


def _checked(original: Callable[..., Any]) -> Callable[..., Any]:
    def lookup(host: Any, *args: Any, **kwargs: Any) -> Any:
        if _LEFT or _EVERYWHERE:
            outlived = _LEFT.get(threading.current_thread())
            everywhere = _EVERYWHERE[-1:]  # a copy: a pytester session may end meanwhile
            if outlived is not None or (everywhere and everywhere[0]):
                _refuse(host, args[0] if args else kwargs.get("port"), outlived)
        return original(host, *args, **kwargs)

    return lookup


def _refuse(host: Any, port: object, outlived: str | None) -> None:
    """Raise ``NetworkEscapeError`` for a Twilio ``host`` while no simulator runs:
    ``outlived`` names what the thread outlived ("" a simulator outside pytest; None:
    ``pytest --twimlsim`` refuses every thread)."""
    name = lookup_name(host)
    if name is None or not TWILIO_HOST.match(name):
        return  # first, and without an import: every lookup comes here under --twimlsim
    from twimlsim.running_threads import any_running

    if any_running():
        return
    thread = threading.current_thread().name
    where = f"{name}:{port}" if port not in (None, "") else name
    if outlived is None:
        message = (
            f"pytest --twimlsim blocked a connection to {where} made while no simulator "
            f"ran, in the thread {thread!r}: outside the tests' own simulators (in a "
            "session-, package-, module- or class-scoped fixture's setup or teardown, or "
            "as a conftest or test module is imported), where it would reach the real "
            "Twilio with the credentials the app holds. Give such a fixture a simulator "
            "of its own (with Simulator(accept_any_credentials=True): around its setup "
            "and around its teardown), make it function-scoped so that each test's "
            "simulator answers it, or mark the tests that need the real Twilio no_twimlsim"
        )
        _log.warning("%s", message)
        raise NetworkEscapeError(message)
    message = (
        f"twimlsim refused a connection to {where} from the thread {thread!r}: it was "
        f"started while {outlived or 'a simulator'} ran, and outlived it. With no simulator "
        "running this request would reach the real Twilio, with the credentials the app "
        "holds. End the thread before the simulator stops, before the test ends (join it, "
        "cancel its Timer, shut down its executor with wait=True): what it sends then "
        "reaches the simulator"
    )
    _log.warning("%s", message)
    raise NetworkEscapeError(message)

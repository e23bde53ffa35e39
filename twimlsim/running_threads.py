"""Simulators running at once run in one thread: the thread each was started in.

Twilio's API is answered by the simulator started last, and the app's clock is frozen
process-wide, so a second simulator started in another thread while the first runs (two
tests at once under a thread-parallel runner, a worker thread of a test starting its own)
would take the first one's requests and time: its calls would land in the other's world,
silently. ``started`` refuses that with a ``ConfigurationError`` instead; nesting in one
thread, and starting one after another in any thread, stay as they are.

The threads a simulation started and left running when it stopped are noted here too
(``transports/left_behind.py``): they cannot reach the real Twilio once none runs.
"""

from __future__ import annotations

import threading
import weakref
from typing import Any

from .errors import ConfigurationError
from .forked import refuse_in_children
from .transports import left_behind

__all__ = ["any_running", "started", "stopped"]

#: Each running simulator's starting thread.
_STARTED_IN: weakref.WeakKeyDictionary[Any, threading.Thread] = weakref.WeakKeyDictionary()
_GUARD = threading.Lock()
#: What each running simulator's start saw (``left_behind.before_start``).
_AT_START: weakref.WeakKeyDictionary[Any, tuple[frozenset[threading.Thread], str]] = (
    weakref.WeakKeyDictionary()
)


def started(simulator: object) -> None:
    """Note that ``simulator`` starts in this thread, or raise ``ConfigurationError`` if a
    simulator another live thread started is running."""
    me = threading.current_thread()
    with _GUARD:
        for thread in list(_STARTED_IN.values()):
            if thread is not me and thread.is_alive():
                raise ConfigurationError(
                    f"a simulator is already running in thread {thread.name!r}, and this "
                    f"one starts in thread {me.name!r}: Twilio's API is answered by the "
                    "simulator started last and the app's clock is frozen for the whole "
                    "process, so the two would take each other's requests. Run the "
                    "simulators one after the other, share one simulator between the "
                    "threads, or run tests in parallel processes (pytest-xdist's -n), "
                    "not threads"
                )
        _AT_START[simulator] = left_behind.before_start(alone=not _STARTED_IN)
        _STARTED_IN[simulator] = me
    # the mapping, not a keys() generator: read again at each fork (a child forking again)
    refuse_in_children(_STARTED_IN)


def stopped(simulator: object) -> None:
    """Forget ``simulator``'s thread: it no longer runs."""
    with _GUARD:
        _STARTED_IN.pop(simulator, None)
        at_start = _AT_START.pop(simulator, None)
    if at_start is not None:
        left_behind.after_stop(at_start)


def any_running() -> bool:
    """Whether a simulator runs now, in any thread."""
    return bool(_STARTED_IN)

"""Simulators running at once run in one thread: the thread each was started in.

Twilio's API is answered by the simulator started last, and the app's clock is frozen
process-wide, so a second simulator started in another thread while the first runs (two
tests at once under a thread-parallel runner, a worker thread of a test starting its own)
would take the first one's requests and time: its calls would land in the other's world,
silently. ``started`` refuses that with a ``ConfigurationError`` instead; nesting in one
thread, and starting one after another in any thread, stay as they are.
"""

from __future__ import annotations

import threading
import weakref
from typing import Any

from .errors import ConfigurationError
from .forked import refuse_in_children

__all__ = ["started", "stopped"]

#: Each running simulator's starting thread.
_STARTED_IN: weakref.WeakKeyDictionary[Any, threading.Thread] = weakref.WeakKeyDictionary()
_GUARD = threading.Lock()


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
        _STARTED_IN[simulator] = me
    refuse_in_children(_STARTED_IN.keys())


def stopped(simulator: object) -> None:
    """Forget ``simulator``'s thread: it no longer runs."""
    with _GUARD:
        _STARTED_IN.pop(simulator, None)

"""``twimlsim call`` ends when its call has ended, whatever threads an app in process left.

An app loaded with ``--app`` may start a thread that is not a daemon: a scheduler loop
started at import, a ``threading.Timer`` a webhook sets to update the call a minute
later. Python waits for such threads before the process exits, so the command printed
its transcript and then waited on the wall clock (for ever, for a loop). What such a
thread does now would reach a simulation that has ended, so the command says which
threads it leaves and exits at once. Idle workers of a ``ThreadPoolExecutor`` (not
daemons either) end by themselves at exit and are not counted.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading

__all__ = ["exit_without_app_threads", "threads_left"]


def threads_left() -> list[threading.Thread]:
    """The threads, other than this one, that Python would wait for before exiting."""
    pool = sys.modules.get("concurrent.futures.thread")
    workers = getattr(pool, "_threads_queues", {})  # each executor's worker threads
    me = threading.current_thread()
    return [
        thread
        for thread in threading.enumerate()
        if thread is not me and not thread.daemon and thread.is_alive() and thread not in workers
    ]


def exit_without_app_threads(status: int) -> None:
    """With threads left (``threads_left``), say so on standard error and end the process
    now with ``status``; else return, and the process exits as usual."""
    left = threads_left()
    if not left:
        return
    names = ", ".join(repr(thread.name) for thread in left)
    with contextlib.suppress(OSError, ValueError, AttributeError):
        sys.stdout.flush()
    with contextlib.suppress(OSError, ValueError, AttributeError):
        print(
            f"twimlsim call: the app's thread{'s' if len(left) > 1 else ''} {names} still "
            f"run{'' if len(left) > 1 else 's'} after the call ended; twimlsim call exits "
            "without waiting, since what it does now would reach a simulation that has "
            "ended; to see what it does to the call, drive the app from a test that joins "
            "the thread before sim.run()",
            file=sys.stderr,
            flush=True,
        )
    os._exit(status)

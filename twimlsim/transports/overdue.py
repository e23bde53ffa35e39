"""An answer in process still running well past its read timeout is named while it runs.

A WSGI app answers on the thread that runs the calls (``timing``): it cannot be cut short,
and nothing else happens while it runs. One that waits for what only a later webhook
brings (a redirect holding its answer until the asynchronous AMD result, a document
waiting for another call's status callback: on Twilio that webhook comes while the
request waits) waits for ever, and the test hangs without a word. A watcher thread,
started at the first webhook with a limit, logs a warning (logger ``twimlsim.wsgi``) once
an answer has run ``GRACE`` seconds past its limit, naming the URL and why it may never
end; the answer, should it come, fails with 11200 as before.

Each thread has its own answer waited for (simulators on several threads: one answer
ending must neither hide another still running nor leave its own behind). Per webhook
this costs a check and a dictionary store under no lock (the watcher reads a copy); the
watcher wakes once a second. A forked child starts its own.
"""

from __future__ import annotations

import itertools
import logging
import os
import threading
import time
from threading import get_ident

from .timing import LIFT_THE_LIMIT, wall_seconds

# the watcher sleeps on the real clock, whatever a test's freezer does to ``time.sleep``
_sleep = time.sleep

__all__ = ["GRACE", "answering", "answered"]

#: Wall seconds past the read timeout before a running answer is named.
GRACE = 5.0

#: How often the watcher looks, in wall seconds.
_PERIOD = 1.0

_log = logging.getLogger("twimlsim.wsgi")

#: The answer each thread waits for, by thread: (its number, URL, limit in seconds, wall
#: deadline).
_answering: dict[int, tuple[int, str, float, float]] = {}
#: Numbers for answers: ``next`` on it is one step, whatever thread takes it.
_serials = itertools.count(1)
_watcher: threading.Thread | None = None


def answering(url: str, limit: float, deadline: float) -> tuple[int, str, float, float] | None:
    """An answer to ``url`` is being waited for until ``deadline`` (``wall_seconds``);
    returns the one it replaces (an answer nested in it), for ``answered``."""
    if _watcher is None:
        _start()
    thread = get_ident()
    outer = _answering.get(thread)
    _answering[thread] = (next(_serials), url, limit, deadline)
    return outer


def answered(outer: tuple[int, str, float, float] | None) -> None:
    """The answer ``answering`` announced is over (``outer`` is what it returned)."""
    if outer is None:
        _answering.pop(get_ident(), None)
    else:
        _answering[get_ident()] = outer


def _start() -> None:
    global _watcher
    _watcher = threading.Thread(target=_watch, name="twimlsim-overdue-answers", daemon=True)
    _watcher.start()


def _forget_watcher() -> None:
    """In a forked child, which has none of its parent's threads: start one when needed,
    and watch only the answer of the thread that forked."""
    global _watcher
    _watcher = None
    kept = _answering.get(get_ident())
    _answering.clear()
    if kept is not None:
        _answering[get_ident()] = kept


if hasattr(os, "register_at_fork"):  # POSIX: Windows does not fork
    os.register_at_fork(after_in_child=_forget_watcher)


def _watch() -> None:
    named: set[int] = set()
    me = threading.current_thread()
    while True:
        _sleep(_PERIOD)
        if _watcher is not me:  # replaced (a test's): one watcher names each answer
            return
        waited = list(_answering.values())  # one step: other threads may change it
        named &= {serial for serial, *_ in waited}
        now = wall_seconds()
        for serial, url, limit, deadline in waited:
            if serial not in named and now - deadline >= GRACE:
                named.add(serial)
                _name(url, limit)


def _name(url: str, limit: float) -> None:
    _log.warning(
        "the app has been answering %s for over %g s of wall time, past the read "
        "timeout (%g s), and is still running: an app answering in process runs on the "
        "thread that runs the calls and cannot be cut short, and nothing else happens "
        "while it runs, so one that waits for another webhook (an AMD result, a status "
        "callback, another call's request) waits for ever; its answer, if it comes, "
        "fails with 11200. Answer at once instead (a <Pause> and a <Redirect> back to "
        "the same URL until the result has come, or update the call through the REST "
        "API when it comes); %s",
        url,
        limit + GRACE,
        limit,
        LIFT_THE_LIMIT,
    )

"""An answer in process still running well past its read timeout is named while it runs.

A WSGI app answers on the thread that runs the calls (``timing``): it cannot be cut short,
and nothing else happens while it runs. One that waits for what only a later webhook
brings (a redirect holding its answer until the asynchronous AMD result, a document
waiting for another call's status callback: on Twilio that webhook comes while the
request waits) waits for ever, and the test hangs without a word. A watcher thread,
started at the first webhook with a limit, logs a warning (logger ``twimlsim.wsgi``) once
an answer has run ``GRACE`` seconds past its limit, naming the URL and why it may never
end; the answer, should it come, fails with 11200 as before.

Per webhook this costs a check and two assignments under no lock (the watcher reads a
consistent tuple); the watcher wakes once a second. A forked child starts its own.
"""

from __future__ import annotations

import logging
import os
import threading
import time

from .timing import LIFT_THE_LIMIT, wall_seconds

# the watcher sleeps on the real clock, whatever a test's freezer does to ``time.sleep``
_sleep = time.sleep

__all__ = ["GRACE", "answering", "answered"]

#: Wall seconds past the read timeout before a running answer is named.
GRACE = 5.0

#: How often the watcher looks, in wall seconds.
_PERIOD = 1.0

_log = logging.getLogger("twimlsim.wsgi")

#: The answer being waited for: (its number, URL, limit in seconds, wall deadline), or None.
_current: tuple[int, str, float, float] | None = None
_serial = 0
_watcher: threading.Thread | None = None


def answering(url: str, limit: float, deadline: float) -> tuple[int, str, float, float] | None:
    """An answer to ``url`` is being waited for until ``deadline`` (``wall_seconds``);
    returns the one it replaces (an answer nested in it), for ``answered``."""
    global _current, _serial
    if _watcher is None:
        _start()
    _serial += 1
    outer, _current = _current, (_serial, url, limit, deadline)
    return outer


def answered(outer: tuple[int, str, float, float] | None) -> None:
    """The answer ``answering`` announced is over (``outer`` is what it returned)."""
    global _current
    _current = outer


def _start() -> None:
    global _watcher
    _watcher = threading.Thread(target=_watch, name="twimlsim-overdue-answers", daemon=True)
    _watcher.start()


def _forget_watcher() -> None:
    """In a forked child, which has none of its parent's threads: start one when needed."""
    global _watcher, _current
    _watcher, _current = None, None


if hasattr(os, "register_at_fork"):  # POSIX: Windows does not fork
    os.register_at_fork(after_in_child=_forget_watcher)


def _watch() -> None:
    named = 0
    me = threading.current_thread()
    while True:
        _sleep(_PERIOD)
        if _watcher is not me:  # replaced (a test's): one watcher names each answer
            return
        current = _current
        if current is None:
            continue
        serial, url, limit, deadline = current
        late = wall_seconds() - deadline
        if serial == named or late < GRACE:
            continue
        named = serial
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

"""A process forked while a simulator runs refuses the Twilio requests its copy would answer.

A child process forked from the test's (pytest-flask's ``live_server``, a
``multiprocessing`` worker on Linux's default start method) inherits a copy of every
running simulator, interceptors and all: its app's requests to Twilio were answered by
that copy, which the test never sees, so the test's own simulator had no call while the
app held a SID. The copy in the child answers every request instead with Twilio's 20500
JSON saying so and what to do (the twilio client raises it as a ``TwilioRestException``),
and says it once on the child's standard error, which pytest captures. A child started
afresh (``spawn``, ``forkserver``) has no simulator at all: the README says to serve such
an app with ``twimlsim serve``.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterable, Mapping
from typing import Any

from .errors import more_info

__all__ = ["REFUSAL", "refuse_in_children"]

#: What a forked child's copy of a running simulator answers every request with.
REFUSAL = (
    "this process was forked from the one whose twimlsim Simulator runs (process {parent}), "
    "so the test's simulator never sees its requests to Twilio: twimlsim refuses them. Run "
    "the app in the test's own process (its test client, pytest-django's live_server, a "
    "thread), or serve it in its own process against twimlsim serve"
)

_registered: list[bool] = []


def refuse_in_children(running: Iterable[Any]) -> None:
    """Have a child forked from this process refuse the requests that the copies of the
    simulators ``running`` (read at the fork) would answer; registered once a process."""
    if not _registered and hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=lambda: _refuse(list(running)))
        _registered.append(True)


def _refuse(simulators: list[Any]) -> None:
    message = REFUSAL.format(parent=os.getppid())
    body = json.dumps(
        {"code": 20500, "message": message, "more_info": more_info(20500), "status": 500}
    ).encode()
    told: list[bool] = []

    def refused(
        method: str, url: str, headers: Mapping[str, str], request_body: bytes | None
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        if not told:  # once, on the file descriptor itself: a test runner's capture of
            # sys.stderr in the parent is a copy here, whose text nobody reads, while its
            # capture of the descriptor (pytest's default) shows this under the test
            told.append(True)
            with contextlib.suppress(OSError):
                os.write(2, f"twimlsim: {method} {url} refused: {message}\n".encode())
        return 500, [("Content-Type", "application/json")], body

    for simulator in simulators:
        simulator._current_api[:] = [refused]
        # the refusal is answered under the engine lock, which another thread of the parent
        # may have held at the fork (its REST request, its run of calls)
        simulator._lock.free_in_forked_child()

"""An answer in process still running past its read timeout is named while it runs.

A WSGI app that holds a webhook's answer until another webhook comes (the AMD result a
redirect waits for) waits for ever in process: it runs on the thread that runs the calls,
which cannot deliver that webhook meanwhile. The test then hung without a word; now a
warning names the URL while the app still runs.
"""

from __future__ import annotations

import logging
import os
import threading
import warnings
from collections.abc import Callable, Iterable, Iterator

import pytest

from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim import Simulator
from twimlsim.transports import overdue
from twimlsim.transports.timing import wall_seconds

Environ = dict[str, object]
StartResponse = Callable[[str, list[tuple[str, str]]], object]


class _Named(logging.Handler):
    """Keeps the warnings of ``twimlsim.wsgi`` and tells when one came."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []
        self.came = threading.Event()

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())
        self.came.set()


@pytest.fixture
def named(monkeypatch: pytest.MonkeyPatch) -> Iterator[_Named]:
    monkeypatch.setattr(overdue, "GRACE", 0.1)
    monkeypatch.setattr(overdue, "_PERIOD", 0.05)
    handler = _Named()
    logger = logging.getLogger("twimlsim.wsgi")
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


def test_an_answer_held_past_the_read_timeout_is_named_while_it_runs(named: _Named) -> None:
    def app(environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        if environ["PATH_INFO"] == "/hold":
            # the AMD result it waits for can only come after it returns: stand in for
            # it with the warning, then answer (too late)
            named.came.wait(10)
            body = "<Response><Say>too late</Say></Response>"
        else:
            body = "<Response><Redirect>/hold</Redirect></Response>"
        start_response("200 OK", [("Content-Type", "text/xml")])
        return [body.encode()]

    with Simulator(strict=False, webhook_timeout=0.2) as sim:
        sim.route(APP_URL, app)
        sim.number(CALLER_ID)
        sim.phone(CALLEE)
        sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice")
        sim.run()
    assert named.messages == [
        f"the app has been answering {APP_URL}/hold for over 0.3 s of wall time, past the read "
        "timeout (0.2 s), and is still running: an app answering in process runs on the "
        "thread that runs the calls and cannot be cut short, and nothing else happens while "
        "it runs, so one that waits for another webhook (an AMD result, a status callback, "
        "another call's request) waits for ever; its answer, if it comes, fails with 11200. "
        "Answer at once instead (a <Pause> and a <Redirect> back to the same URL until the "
        "result has come, or update the call through the REST API when it comes); if the "
        "time went by at a debugger breakpoint, or the app is slow only under test, lift the "
        "limit: Simulator(webhook_timeout=None), @pytest.mark.twimlsim(webhook_timeout=None), "
        "the ini option twimlsim_webhook_timeout = none, or twimlsim_options = "
        '{"webhook_timeout": None} on a TwimlsimMixin test (or give it more seconds)'
    ]
    assert [(f.code, f.url) for f in sim.failures] == [(11200, f"{APP_URL}/hold")]


def test_answers_within_the_read_timeout_are_not_named(named: _Named) -> None:
    def app(environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        start_response("200 OK", [("Content-Type", "text/xml")])
        return [b'<Response><Pause length="30"/></Response>']

    with Simulator(webhook_timeout=0.2) as sim:
        sim.route(APP_URL, app)
        sim.number(CALLER_ID)
        sim.phone(CALLEE)
        sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice")
        sim.run()
        # the watcher looks again meanwhile: the answer over, there is nothing to name
        assert not named.came.wait(0.5)
    assert named.messages == []


def test_a_forked_child_starts_its_own_watcher(monkeypatch: pytest.MonkeyPatch) -> None:
    # a child has none of its parent's threads: the fork hook forgets the parent's watcher
    parents = threading.Thread(target=lambda: None)
    monkeypatch.setattr(overdue, "_watcher", parents)
    # another thread's answer (that thread is not in the child) and the forking one's
    here = threading.get_ident()
    answers = {
        here + 1: (7, f"{APP_URL}/other", 15.0, 0.0),
        here: (8, f"{APP_URL}/voice", 15.0, 0.0),
    }
    monkeypatch.setattr(overdue, "_answering", answers)
    overdue._forget_watcher()  # what os.register_at_fork runs in the child
    assert (overdue._watcher, overdue._answering) == (
        None,
        {here: (8, f"{APP_URL}/voice", 15.0, 0.0)},
    )
    answers.clear()
    outer = overdue.answering(f"{APP_URL}/voice", 15.0, 1e12)
    try:
        watcher = overdue._watcher
        assert watcher is not None and watcher is not parents
        assert (watcher.name, watcher.daemon, watcher.is_alive()) == (
            "twimlsim-overdue-answers",
            True,
            True,
        )
    finally:
        overdue.answered(outer)
    assert overdue._answering == {}
    monkeypatch.undo()  # the parent's watcher back: the child's ends at its next look
    watcher.join(timeout=5)
    assert not watcher.is_alive()
    restored = overdue._watcher
    if restored is not None:
        restored.join(timeout=0.05)  # one that saw the stand-in may be returning still
    if restored is not None and not restored.is_alive():
        # the worker's own watcher, from an earlier test's webhook, looked while the stand-in
        # was in its place and ended (a loaded machine's timing): the next answer starts one
        overdue._watcher = None


@pytest.mark.skipif(not hasattr(os, "fork"), reason="a platform that forks")
def test_a_forked_child_forgets_the_parents_watcher_and_starts_its_own() -> None:
    # a real fork: the hook registered with os.register_at_fork runs in the child, which
    # has none of the parent's threads; its first answer under a limit starts a watcher
    overdue.answered(overdue.answering(f"{APP_URL}/voice", 15.0, 1e12))
    parents = overdue._watcher
    assert parents is not None and parents.is_alive()
    read, write = os.pipe()
    with warnings.catch_warnings():  # 3.12+: forking a process that runs threads
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # pragma: no cover - the child, which reports through the pipe
        try:
            forgot = (overdue._watcher, overdue._answering) == (None, {})
            overdue.answering(f"{APP_URL}/voice", 15.0, 1e12)
            own = overdue._watcher
            started = own is not None and own is not parents and own.is_alive()
            os.write(write, f"{forgot} {started}".encode())
        finally:
            os._exit(0)
    os.close(write)
    try:
        told = os.read(read, 100)
    finally:
        os.close(read)
        os.waitpid(pid, 0)
    assert told == b"True True"
    assert overdue._watcher is parents


def test_answers_on_two_threads_are_each_watched_and_each_forgotten(named: _Named) -> None:
    # two simulators on two threads: one answer ending does not hide the other still running
    started, release = threading.Event(), threading.Event()

    def other_thread() -> None:
        outer = overdue.answering(f"{APP_URL}/hold", 0.2, wall_seconds() - 0.2)
        started.set()
        release.wait(10)
        overdue.answered(outer)

    outer = overdue.answering(f"{APP_URL}/voice", 0.2, 1e12)
    thread = threading.Thread(target=other_thread)
    thread.start()
    started.wait(10)
    overdue.answered(outer)
    try:
        came = named.came.wait(5)
    finally:
        release.set()
        thread.join(10)
    assert (came, named.messages, overdue._answering) == (
        True,
        [
            f"the app has been answering {APP_URL}/hold for over 0.3 s of wall time, past the "
            "read timeout (0.2 s), and is still running: an app answering in process runs on "
            "the thread that runs the calls and cannot be cut short, and nothing else happens "
            "while it runs, so one that waits for another webhook (an AMD result, a status "
            "callback, another call's request) waits for ever; its answer, if it comes, fails "
            "with 11200. Answer at once instead (a <Pause> and a <Redirect> back to the same "
            "URL until the result has come, or update the call through the REST API when it "
            "comes); if the time went by at a debugger breakpoint, or the app is slow only "
            "under test, lift the limit: Simulator(webhook_timeout=None), "
            "@pytest.mark.twimlsim(webhook_timeout=None), the ini option "
            'twimlsim_webhook_timeout = none, or twimlsim_options = {"webhook_timeout": None} '
            "on a TwimlsimMixin test (or give it more seconds)"
        ],
        {},
    )

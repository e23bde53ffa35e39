"""A process forked while a simulator runs (pytest-flask's live_server, a multiprocessing
worker) refuses its Twilio requests with Twilio's 20500 JSON saying why, rather than
answer them from a copy of the simulator the test never sees."""

from __future__ import annotations

import multiprocessing
import os
import threading
import warnings
from multiprocessing.queues import Queue
from typing import Any

import pytest
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from twimlsim import Simulator

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")


def place_call(account_sid: str, auth_token: str, answers: Queue[Any]) -> None:
    """In the child: what the app's client gets for a call it places."""
    try:
        client = Client(account_sid, auth_token)
        call = client.calls.create(to="+15558675310", from_="+15005550006", twiml="<Response/>")
        answers.put(("created", call.sid, os.getppid()))
    except TwilioRestException as error:
        answers.put((error.status, error.code, error.msg, os.getppid()))


def in_a_forked_child(sim: Simulator) -> Any:
    context = multiprocessing.get_context("fork")
    answers: Queue[Any] = context.Queue()
    with warnings.catch_warnings():  # Python 3.12+ warns of fork() in a threaded process
        warnings.simplefilter("ignore", DeprecationWarning)
        child = context.Process(target=place_call, args=(sim.account_sid, sim.auth_token, answers))
        child.start()
    child.join(60)
    if child.is_alive():  # hung: the test fails on the empty queue, leaving no process behind
        child.kill()
    return answers.get(timeout=10)


def refused(parent: int) -> tuple[int, int, str, int]:
    """What the child's client gets for its call, forked from process ``parent``."""
    return (
        500,
        20500,
        "Unable to create record: "  # the twilio client's words, then Twilio's message
        f"this process was forked from the one whose twimlsim Simulator runs (process "
        f"{parent}), so the test's simulator never sees its requests to Twilio: "
        "twimlsim refuses them. Run the app in the test's own process (its test client, "
        "pytest-django's live_server, a thread), or serve it in its own process against "
        "twimlsim serve",
        parent,
    )


def test_a_forked_child_is_refused_saying_why_and_the_test_sees_no_call(
    capfd: pytest.CaptureFixture[str],
) -> None:
    with Simulator() as sim:
        sim.number("+15005550006")
        answer = in_a_forked_child(sim)
        assert answer == refused(os.getpid())
        assert list(sim.calls) == []
        # said once on the child's standard error, which pytest's capture shows
        assert capfd.readouterr().err == (
            f"twimlsim: POST https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}/"
            f"Calls.json refused: {answer[2].removeprefix('Unable to create record: ')}\n"
        )
        # the test's own process is answered as before
        call = sim.client().calls.create(
            to="+15558675310", from_="+15005550006", twiml="<Response/>"
        )
        assert call.status == "queued"


def test_the_simulators_a_fork_refuses_are_read_again_at_every_fork(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # a keys() generator read at the first fork was empty at the next (a child forking again)
    given: list[Any] = []
    monkeypatch.setattr("twimlsim.running_threads.refuse_in_children", given.append)
    with Simulator() as sim:
        (running,) = given
        assert list(running) == [sim]
        assert list(running) == [sim]


def test_a_child_forked_while_another_thread_holds_the_engine_lock_is_refused_not_hung() -> None:
    # the fork copied the lock held by a thread the child does not have: the child's first
    # request waited on it for ever
    with Simulator() as sim:
        sim.number("+15005550006")
        holding, done = threading.Event(), threading.Event()

        def hold_the_lock() -> None:
            with sim._lock:
                holding.set()
                done.wait(60)

        holder = threading.Thread(target=hold_the_lock)
        holder.start()
        holding.wait(10)
        try:
            answer = in_a_forked_child(sim)
        finally:
            done.set()
            holder.join(10)
        assert answer == refused(os.getpid())
        assert list(sim.calls) == []

"""Apps that wait, as README's sample-app notes say to test them: one that schedules its
reminder calls (a job queue keyed by due time) after a first ``sim.run()``, so its clock is
virtual time, then advanced to the due time; one that polls a call's status until it ends,
run in a thread while the test runs the simulation."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable

from twilio.rest import Client

from twimlsim import Simulator

NUMBER = "+15005550006"
PATIENT = "+15558675310"


class DueJobs:
    """A scheduler's bookkeeping as an app keeps it: jobs by the time they fall due, read
    from the app's clock."""

    def __init__(self) -> None:
        self.jobs: list[tuple[dt.datetime, Callable[[], None]]] = []

    def run_in(self, delay: dt.timedelta, job: Callable[[], None]) -> None:
        self.jobs.append((dt.datetime.now(dt.UTC) + delay, job))

    def run_due(self) -> None:
        now = dt.datetime.now(dt.UTC)
        due = [job for when, job in self.jobs if when <= now]
        self.jobs = [(when, job) for when, job in self.jobs if when > now]
        for job in due:
            job()


def test_a_reminder_scheduled_after_a_first_run_falls_due_in_virtual_time() -> None:
    with Simulator(start="2026-03-02T08:00") as sim:
        sim.number(NUMBER)
        client = sim.client()
        jobs = DueJobs()
        sim.run()  # from here the app's clock reads virtual time
        jobs.run_in(
            dt.timedelta(hours=1),
            lambda: client.calls.create(
                to=PATIENT, from_=NUMBER, twiml="<Response><Say>See you at ten.</Say></Response>"
            ),
        )
        sim.advance(3599)
        jobs.run_due()
        assert client.calls.list() == []
        sim.advance(1)
        jobs.run_due()
        sim.run()
        (call,) = client.calls.list()
        assert (call.to, call.status, call.start_time) == (
            PATIENT,
            "completed",
            dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC),
        )
        assert sim.calls[call.sid].said == ["See you at ten."]


def place_and_wait(client: Client, to: str) -> str:
    """An app's voice OTP: place the call, then poll its status until it ends."""
    sid = client.calls.create(
        to=to, from_=NUMBER, twiml="<Response><Say>Your code is 4 8 2 9</Say></Response>"
    ).sid
    status = "queued"
    for _ in range(5000):  # the app would poll for ever; the test gives up
        if status not in ("queued", "ringing", "in-progress"):
            break
        time.sleep(0.001)
        status = client.calls(sid).fetch().status
    return f"{sid} {status}"


def test_an_app_polling_a_calls_status_is_run_in_a_thread_beside_sim_run() -> None:
    with Simulator() as sim:
        sim.number(NUMBER)
        client = sim.client()
        outcome: list[str] = []
        waiting = threading.Thread(target=lambda: outcome.append(place_and_wait(client, PATIENT)))
        waiting.start()
        while waiting.is_alive():
            sim.run()
            waiting.join(0.01)
        (call,) = sim.calls.values()
        assert outcome == [f"{call.sid} completed"]
        assert call.said == ["Your code is 4 8 2 9"]

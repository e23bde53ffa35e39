"""An app that schedules its reminder calls (a job queue keyed by due time) is tested by
running the simulator once before the app schedules, so the app's clock is virtual time,
then advancing to the due time and running the due jobs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

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

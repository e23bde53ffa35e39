"""The app's clock before calls first run: a view the test client calls first (one that
places the call and stores when) reads the wall clock; a ``run()`` with nothing to run
starts virtual time, and the same view then stores the call's own start time. The README
says so under "The app's clock"."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import Flask

from twimlsim import Simulator

START = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)


def placing_app(sim: Simulator, stored: list[datetime]) -> Flask:
    """A click-to-call view that places the call, then stores when it did."""
    app = Flask("placing")

    @app.post("/call")
    def call() -> str:
        made = sim.client().calls.create(
            to="+15558675310", from_="+15005550006", twiml="<Response><Say>Hi</Say></Response>"
        )
        stored.append(datetime.now(UTC))
        return str(made.sid)

    return app


def test_a_view_called_before_the_first_run_stores_the_wall_clock() -> None:
    stored: list[datetime] = []
    with Simulator() as sim:
        sim.number("+15005550006")
        sid = placing_app(sim, stored).test_client().post("/call").text
        sim.run()
        assert sim.calls[sid].start_time == START
    assert stored[0].date() != date(2026, 1, 1)  # today's, not virtual time


def test_a_run_with_nothing_to_run_first_has_it_store_virtual_time() -> None:
    stored: list[datetime] = []
    with Simulator() as sim:
        sim.number("+15005550006")
        sim.run()
        sid = placing_app(sim, stored).test_client().post("/call").text
        sim.run()
        assert stored == [START] == [sim.calls[sid].start_time]

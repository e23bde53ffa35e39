"""A test that moves its own freezegun freeze (``tick()``, ``move_to()``) once calls have
run is told that the app's clock is the simulator's, and how to let time pass; one that
moves it before the first call moves the simulation's start with it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask
from freezegun import freeze_time

from twimlsim import Simulator
from twimlsim.errors import ConfigurationError

app = Flask(__name__)
seen_at: list[datetime] = []


@app.post("/voice")
def voice() -> tuple[str, dict[str, str]]:
    seen_at.append(datetime.now())
    return "<Response><Say>Hello.</Say></Response>", {"Content-Type": "text/xml"}


def place(sim: Simulator) -> None:
    sim.client().calls.create(to="+15558675310", from_="+15005550006", url="https://app.test/voice")


def run_one_call(sim: Simulator) -> None:
    sim.route("https://app.test", app)
    sim.number("+15005550006")
    place(sim)
    sim.run()


def moved(seconds: str, instead: str) -> str:
    return (
        "the test's own frozen clock (freezegun's freeze_time, pytest-freezer's freezer) was "
        f"moved by {seconds} s (tick() or move_to()) after calls ran, while the app reads the "
        "simulator's virtual time, 2031-02-03T04:05:07+00:00: neither the app's clock nor the "
        f"calls moved; {instead} (the test's own frozen time is back when the simulator stops)"
    )


def test_a_tick_of_the_tests_freeze_after_calls_ran_names_sim_advance() -> None:
    seen_at.clear()
    with freeze_time("2031-02-03 04:05:06") as frozen:
        with Simulator() as sim:
            run_one_call(sim)
            frozen.tick(3600)
            with pytest.raises(ConfigurationError) as raised:
                sim.run()
            assert str(raised.value) == moved(
                "+3600", "let virtual time pass with sim.advance(3600) instead"
            )
            assert datetime.now() == datetime(2031, 2, 3, 4, 5, 7)  # the app's: unmoved
            sim.run()  # once for each move
            sim.advance(3600)
            place(sim)
            sim.run()
            assert seen_at == [datetime(2031, 2, 3, 4, 5, 6), datetime(2031, 2, 3, 5, 5, 7)]
        assert datetime.now() == datetime(2031, 2, 3, 5, 5, 6)  # the test's, ticked


@pytest.mark.parametrize(
    ("move", "seconds", "instead"),
    [
        (
            lambda frozen: frozen.move_to("2031-02-03 04:04:06"),
            "-60",
            "virtual time only moves forward: start the simulation there instead "
            "(Simulator(start=...), the marker's start=)",
        ),
        (  # every second of a move of many days
            lambda frozen: frozen.tick(1_234_567.25),
            "+1234567.25",
            "let virtual time pass with sim.advance(1234567.25) instead",
        ),
    ],
)
def test_a_move_of_the_tests_freeze_is_named_as_made(
    move: Callable[[Any], object], seconds: str, instead: str
) -> None:
    with freeze_time("2031-02-03 04:05:06") as frozen, Simulator() as sim:
        run_one_call(sim)
        move(frozen)
        with pytest.raises(ConfigurationError) as raised:
            sim.run()
        assert str(raised.value) == moved(seconds, instead)


def test_a_ticking_freeze_and_a_tick_before_calls_ran_are_no_move() -> None:
    seen_at.clear()
    with freeze_time("2031-02-03 04:05:06", tick=True), Simulator() as sim:
        run_one_call(sim)
        place(sim)
        sim.run()  # its time moved by itself: nothing to say
    with freeze_time("2031-02-03 04:05:06") as frozen, Simulator() as sim:
        sim.route("https://app.test", app)
        sim.number("+15005550006")
        frozen.tick(60)  # before calls first ran: the simulation starts where it now stands
        place(sim)
        sim.run()
        sim.run()
    assert seen_at[-1] == datetime(2031, 2, 3, 4, 6, 6)


@pytest.mark.parametrize("at", ["2026-03-01 16:00:00", "2032-07-08 09:10:11"])
def test_a_freeze_moved_before_the_first_call_moves_the_simulations_start(at: str) -> None:
    """pytest-freezer's freezer froze the wall clock before the twimlsim fixture made the
    simulator there; the test then moves it to the date it means (back, or forward): the
    app placing the call and the app answering its webhooks read one clock."""
    seen_at.clear()
    moved_to = datetime.fromisoformat(at)
    with freeze_time("2031-02-03 04:05:06") as frozen, Simulator() as sim:
        sim.route("https://app.test", app)
        sim.number("+15005550006")
        frozen.move_to(at)
        sid = (
            sim.client()
            .calls.create(to="+15558675310", from_="+15005550006", url="https://app.test/voice")
            .sid
        )
        sim.run()
        created = sim.client().calls(sid).fetch().date_created
    assert seen_at == [moved_to]
    assert (sim.calls[sid].start_time, created) == (
        moved_to.replace(tzinfo=UTC),
        moved_to.replace(tzinfo=UTC),
    )


def test_a_freeze_moved_once_a_call_exists_leaves_the_start_where_it_was() -> None:
    seen_at.clear()
    with freeze_time("2031-02-03 04:05:06") as frozen, Simulator() as sim:
        sim.route("https://app.test", app)
        sim.number("+15005550006")
        place(sim)  # dated 04:05:06: moving the start now would put it before its call
        frozen.move_to("2026-03-01 16:00:00")
        sim.run()
    assert seen_at == [datetime(2031, 2, 3, 4, 5, 6)]


def test_a_start_given_is_not_moved_by_the_tests_freeze() -> None:
    seen_at.clear()
    with freeze_time("2031-02-03 04:05:06") as frozen, Simulator(start="2030-01-01") as sim:
        sim.route("https://app.test", app)
        sim.number("+15005550006")
        frozen.move_to("2026-03-01 16:00:00")
        place(sim)
        sim.run()
    assert seen_at == [datetime(2030, 1, 1, 0, 0, 0)]


def test_a_freeze_moved_out_of_the_clocks_range_before_calls_ran_is_refused_at_run() -> None:
    with freeze_time("2031-02-03 04:05:06") as frozen, Simulator() as sim:
        sim.route("https://app.test", app)
        sim.number("+15005550006")
        frozen.move_to("1850-01-01 00:00:00")
        with pytest.raises(ValueError) as raised:
            sim.run()
    assert str(raised.value) == (
        "Simulator(): the test set the clock (freezegun or time-machine) to "
        "1850-01-01T00:00:00+00:00, where the simulation would start, out of the simulated "
        "clock's range: give Simulator(start=...) a time from year 1900 to 9998, or set the "
        "test's clock inside it (a call may run for a day; the clock stops at the end of year "
        "9999)"
    )


def test_an_incoming_call_after_the_freeze_moved_starts_there_too() -> None:
    seen_at.clear()
    with freeze_time("2031-02-03 04:05:06") as frozen, Simulator() as sim:
        sim.route("https://app.test", app)
        sim.number("+15005550006", voice_url="https://app.test/voice")
        frozen.move_to("2026-03-01 16:00:00")
        call = sim.incoming_call(from_="+15558675310", to="+15005550006")
        sim.run()
    assert (seen_at, call.start_time) == (
        [datetime(2026, 3, 1, 16, 0, 0)],
        datetime(2026, 3, 1, 16, 0, 0, tzinfo=UTC),
    )

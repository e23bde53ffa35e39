"""A test that moves its own freezegun freeze (``tick()``, ``move_to()``) once calls have
run is told that the app's clock is the simulator's, and how to let time pass."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
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
        frozen.tick(60)  # before calls first ran: the simulation starts at the made time
        place(sim)
        sim.run()
        sim.run()
    assert seen_at[-1] == datetime(2031, 2, 3, 4, 5, 6)

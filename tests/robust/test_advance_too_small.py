"""``sim.advance`` by a positive time under half a microsecond (the clock's step) moved
nothing, silently: a test looping ``while ...: sim.advance(1e-7)`` never ended. It is
refused; ``sim.advance(0)`` still runs what is due now."""

from __future__ import annotations

import argparse

import pytest
import requests

from tests.support import CALLER_ID
from twimlsim import Simulator, serve

TOO_SMALL = (
    "sim.advance({0!r}): virtual time counts whole microseconds, and {0!r} s rounds to none, "
    "so the clock would not move; advance by 0.000001 s or more (sim.advance(0) runs what is "
    "due now)"
)


@pytest.mark.parametrize("seconds", [1e-7, 5e-7, 5e-324])
def test_a_positive_time_too_small_to_move_the_clock_is_refused(seconds: float) -> None:
    with Simulator() as sim:
        before = sim.clock.micros
        with pytest.raises(ValueError) as refused:
            sim.advance(seconds)
        assert str(refused.value) == TOO_SMALL.format(seconds)
        assert sim.clock.micros == before


@pytest.mark.parametrize(("seconds", "moved"), [(0, 0), (0.0, 0), (6e-7, 1), (1e-6, 1)])
def test_zero_and_a_microsecond_advance(seconds: float, moved: int) -> None:
    with Simulator() as sim:
        before = sim.clock.micros
        sim.advance(seconds)
        assert sim.clock.micros - before == moved


def test_the_control_api_refuses_it_too() -> None:
    parser = argparse.ArgumentParser()
    serve.add_arguments(parser)
    served = serve.start(parser.parse_args(["--number", CALLER_ID, "--clock", "manual"]))
    try:
        answer = requests.post(
            f"{served.url}/twimlsim/advance", data={"seconds": "1e-7"}, timeout=10
        )
    finally:
        served.stop()
    assert (answer.status_code, answer.json()["message"]) == (
        400,
        "advance: virtual time counts whole microseconds, and 1e-07 s rounds to none, so the "
        'clock would not move; advance by 0.000001 s or more ({"seconds": 0} runs what is due '
        "now)",
    )

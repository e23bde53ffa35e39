"""A test's own clock that ticks (freezegun's ``tick=True`` and ``auto_tick_seconds``,
time-machine's ``tick=True``) starts the simulation at the time the test set, the same
every run, and is not moved by the simulator reading it."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import time_machine
from freezegun import freeze_time

from twimlsim import Simulator

SET = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)


def one_call(sim: Simulator) -> tuple[datetime | None, datetime | None]:
    sim.number("+15005550006")
    call = sim.client().calls.create(
        to="+15558675310", from_="+15005550006", twiml='<Response><Pause length="5"/></Response>'
    )
    sim.run()
    return sim.calls[call.sid].start_time, sim.calls[call.sid].end_time


def test_a_ticking_freezegun_clock_starts_the_simulation_at_the_time_set() -> None:
    with freeze_time("2030-01-02 03:04:05", tick=True):
        datetime.now()
        time.sleep(0.002)  # the test's clock ticks on with the wall clock
        assert datetime.now() > datetime(2030, 1, 2, 3, 4, 5, 2000)
        with Simulator() as sim:
            assert sim.now == SET
            assert one_call(sim) == (SET, datetime(2030, 1, 2, 3, 4, 10, tzinfo=UTC))
            assert datetime.now() == datetime(2030, 1, 2, 3, 4, 10)  # the app's: virtual


def test_a_ticking_time_machine_clock_starts_the_simulation_at_the_time_set() -> None:
    with time_machine.travel(SET, tick=True):
        datetime.now()  # time-machine ticks from its first reading
        time.sleep(0.002)
        assert datetime.now(UTC) > datetime(2030, 1, 2, 3, 4, 5, 2000, tzinfo=UTC)
        with Simulator() as sim:
            assert sim.now == SET
            assert one_call(sim) == (SET, datetime(2030, 1, 2, 3, 4, 10, tzinfo=UTC))


def test_a_time_machine_clock_set_to_tick_and_never_read_is_not_started_by_the_simulator() -> None:
    with time_machine.travel(SET, tick=True) as traveller:
        Simulator()
        assert traveller._requested is False  # its ticking starts at the test's first reading


def test_an_auto_ticking_freezegun_clock_is_read_without_its_step() -> None:
    with freeze_time("2030-01-02 03:04:05", auto_tick_seconds=5):
        assert datetime.now() == datetime(2030, 1, 2, 3, 4, 5)  # then steps to :10
        sim = Simulator()
        assert sim.now == datetime(2030, 1, 2, 3, 4, 10, tzinfo=UTC)
        assert datetime.now() == datetime(2030, 1, 2, 3, 4, 10)  # the step the test expects
        assert datetime.now() == datetime(2030, 1, 2, 3, 4, 15)

"""A test's own freezegun freeze, started before the simulator, may be stopped before the
simulator is (a ``tearDown`` that stops it runs before the cleanups that stop the
simulator): the test's freeze ends, and time is not left frozen for the rest of the run."""

from __future__ import annotations

import time
import unittest
from datetime import UTC, datetime

from freezegun import api, freeze_time

from twimlsim import Simulator, freeze


def pause(sim: Simulator, seconds: int) -> None:
    sim.client().calls.create(
        to="+15558675310",
        from_="+15005550006",
        twiml=f'<Response><Pause length="{seconds}"/></Response>',
    )
    sim.run()


def unfrozen() -> bool:
    return (
        api.freeze_factories == []
        and time.time is api.real_time
        and __import__("datetime").datetime is api.real_datetime
    )


def test_the_tests_freeze_stopped_before_the_simulator_ends_and_virtual_time_goes_on() -> None:
    freezer = freeze_time("2030-01-01")
    freezer.start()
    sim = Simulator().start()
    sim.number("+15005550006")
    pause(sim, 5)
    assert datetime.now() == datetime(2030, 1, 1, 0, 0, 5)  # the app's: virtual
    freezer.stop()
    assert unfrozen()  # the test's freeze ended, with the simulator's in its place
    sim.advance(10)  # calls run again: the app's clock follows virtual time, on its own
    assert datetime.now() == datetime(2030, 1, 1, 0, 0, 15)
    pause(sim, 5)
    assert datetime.now() == datetime(2030, 1, 1, 0, 0, 20)
    sim.stop()
    assert unfrozen()
    assert freeze._FROZEN == []  # no simulator's freeze left behind to inherit the fakes


def test_a_teardown_that_stops_the_freeze_before_the_cleanup_stops_the_simulator() -> None:
    seen: list[datetime] = []

    class Case(unittest.TestCase):
        def setUp(self) -> None:
            self.freezer = freeze_time("2030-01-01")
            self.freezer.start()
            self.sim = Simulator().start()
            self.addCleanup(self.sim.stop)

        def tearDown(self) -> None:
            self.freezer.stop()

        def test_call(self) -> None:
            self.sim.number("+15005550006")
            pause(self.sim, 7)
            seen.append(datetime.now())

    result = unittest.TestResult()
    Case("test_call").run(result)
    assert (result.testsRun, result.errors, result.failures) == (1, [], [])
    assert seen == [datetime(2030, 1, 1, 0, 0, 7)]
    assert unfrozen()
    assert freeze._FROZEN == []


def test_a_twimlsim_mixin_test_whose_teardown_stops_its_freeze() -> None:
    """The mixin stops the simulator in a cleanup, after the test's tearDown."""
    from twimlsim.testcase import TwimlsimMixin

    class Case(TwimlsimMixin, unittest.TestCase):
        def setUp(self) -> None:
            self.freezer = freeze_time("2030-01-01")
            self.freezer.start()
            super().setUp()

        def tearDown(self) -> None:
            self.freezer.stop()

        def test_call(self) -> None:
            self.twimlsim.number("+15005550006")
            pause(self.twimlsim, 7)
            self.assertEqual(datetime.now(), datetime(2030, 1, 1, 0, 0, 7))

    result = unittest.TestResult()
    Case("test_call").run(result)
    assert (result.testsRun, result.errors, result.failures) == (1, [], [])
    assert unfrozen()
    assert freeze._FROZEN == []


def test_stopped_in_order_the_tests_freeze_is_back_in_its_place() -> None:
    with freeze_time("2030-01-01") as frozen:
        with Simulator() as sim:
            sim.number("+15005550006")
            pause(sim, 5)
            [standing] = api.freeze_factories  # in the test's place, not above it
            assert getattr(standing, "stands_for", None) is frozen
            # another simulator made now starts where the test set the clock
            assert Simulator().now == datetime(2030, 1, 1, tzinfo=UTC)
        assert api.freeze_factories == [frozen]
        assert datetime.now() == datetime(2030, 1, 1)
    assert unfrozen()

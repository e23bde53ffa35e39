"""``TwimlsimMixin`` set up wrong (after ``TestCase`` among the bases, or under a
``setUp`` that does not call ``super().setUp()``): ``self.twimlsim`` says what to write,
instead of an AttributeError that the class has no such attribute."""

from __future__ import annotations

import unittest

from twimlsim.testcase import TwimlsimMixin


class Base(unittest.TestCase):
    """A suite's own base class, set up without the mixin."""

    def setUp(self) -> None:
        super().setUp()
        self.settings = {"TWILIO_NUMBER": "+15005550006"}


def errors_of(case: type[unittest.TestCase]) -> list[str]:
    """The last line of each error a run of ``case.test_it`` reports."""
    result = unittest.TestResult()
    unittest.defaultTestLoader.loadTestsFromTestCase(case).run(result)
    assert not result.failures
    return [trace.strip().splitlines()[-1] for _, trace in result.errors]


def test_the_mixin_after_testcase_says_to_put_it_first() -> None:
    class CallTests(Base, TwimlsimMixin):
        def test_it(self) -> None:
            self.twimlsim.number("+15005550006")

    assert errors_of(CallTests) == [
        "AttributeError: test_the_mixin_after_testcase_says_to_put_it_first.<locals>.CallTests"
        ".twimlsim is set by TwimlsimMixin.setUp, which did not run: unittest.TestCase comes "
        "before TwimlsimMixin among the class's bases, and TestCase.setUp calls no setUp "
        "after it; put TwimlsimMixin first: class CallTests(TwimlsimMixin, Base)"
    ]


def test_a_setup_without_super_says_to_call_it() -> None:
    class CallTests(TwimlsimMixin, unittest.TestCase):
        def setUp(self) -> None:
            self.settings = {"TWILIO_NUMBER": "+15005550006"}

        def test_it(self) -> None:
            self.twimlsim.number("+15005550006")

    assert errors_of(CallTests) == [
        "AttributeError: test_a_setup_without_super_says_to_call_it.<locals>.CallTests.twimlsim "
        "is set by TwimlsimMixin.setUp, which did not run: the class's own setUp does not call "
        "it; call super().setUp() first in that setUp"
    ]


def test_set_up_right_the_simulator_is_there_and_other_attributes_are_as_usual() -> None:
    seen: list[object] = []

    class CallTests(TwimlsimMixin, Base):
        def test_it(self) -> None:
            seen.append(self.twimlsim.account_sid[:2])
            seen.append(hasattr(self, "no_such_attribute"))

    assert errors_of(CallTests) == []
    assert seen == ["AC", False]


def test_the_simulator_read_in_set_up_class_says_there_is_none_yet() -> None:
    class CallTests(TwimlsimMixin, unittest.TestCase):
        @classmethod
        def setUpClass(cls) -> None:
            super().setUpClass()
            cls.twimlsim.number("+15005550006")

        def test_it(self) -> None:
            pass

    assert errors_of(CallTests) == [
        "AttributeError: twimlsim.number: twimlsim is the running test's simulator, which "
        "TwimlsimMixin.setUp starts for each test; read on the class (cls.twimlsim in "
        "setUpClass, class-level code), before any test started one, it is none: do this in "
        "setUp, after super().setUp(), or in the test"
    ]
    # what tools look for on a class's attributes is simply absent
    assert not hasattr(CallTests.twimlsim, "__wrapped__")
    assert not hasattr(CallTests.twimlsim, "_pytestfixturefunction")

"""``TwimlsimMixin``: a simulator for each test of a ``unittest.TestCase`` suite.

A suite of ``unittest.TestCase`` or Django ``SimpleTestCase``/``TestCase`` classes has no
fixtures; the mixin gives each test what the ``twimlsim`` fixture gives a pytest test, under
``python -m unittest``, Django's ``manage.py test`` and pytest alike::

    class CallTests(TwimlsimMixin, TestCase):
        twimlsim_app = app  # routed under twimlsim_base_url in every test

        def test_call(self):
            self.twimlsim.number("+15005550006") ...

The vocabulary is the fixture's: ``self.twimlsim`` is a started ``Simulator``,
``twimlsim_app`` and ``twimlsim_base_url`` are what the fixtures of those names give, and
``twimlsim_options`` holds the ``Simulator`` keywords the marker would. As with the
fixture, the strict check (problems nobody asked about, far-end steps never reached) runs
when the test ends, and only after a test that passed: a failing test reports one failure,
its own. Outside pytest, whose report shows a failing test's calls in a section of its own,
the exception of a failing test method carries them as a note, which ``python -m unittest``
and ``manage.py test`` print under its traceback.
"""

from __future__ import annotations

import inspect
import sys
import unittest
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, overload

from twimlsim.defaults import FIXTURE_BASE_URL

if TYPE_CHECKING:
    from twimlsim.simulator import Simulator

__all__ = ["TwimlsimMixin"]

#: unittest leaves this module's frames out of a failing test's traceback
__unittest = True

# How the test method went: the strict check runs after a pass, and also when unittest
# never told (a runner that skips ``_callTestMethod``): better a second report than a
# problem unseen.
_PASSED, _FAILED, _UNKNOWN = "passed", "failed", "unknown"


class _StartedSimulator:
    """``self.twimlsim``: the simulator ``setUp`` started for the running test; reading it
    when that ``setUp`` never ran says why (an AttributeError naming the fix)."""

    @overload
    def __get__(self, test: None, owner: type) -> _StartedSimulator: ...

    @overload
    def __get__(self, test: object, owner: type) -> Simulator: ...

    def __get__(self, test: object, owner: type) -> Simulator | _StartedSimulator:
        if test is None:
            return self
        try:
            sim: Simulator = vars(test)["twimlsim"]
        except KeyError:
            raise AttributeError(_not_set_up(type(test))) from None
        return sim

    def __set__(self, test: object, sim: Simulator) -> None:
        vars(test)["twimlsim"] = sim

    def __getattr__(self, name: str) -> Any:
        # read on the class (cls.twimlsim in setUpClass): no test, so no simulator yet
        if name.startswith("_"):
            raise AttributeError(name)
        raise AttributeError(
            f"twimlsim.{name}: twimlsim is the running test's simulator, which "
            "TwimlsimMixin.setUp starts for each test; read on the class (cls.twimlsim in "
            "setUpClass, class-level code), before any test started one, it is none: do this "
            "in setUp, after super().setUp(), or in the test"
        )


def _not_set_up(cls: type) -> str:
    """Why ``TwimlsimMixin.setUp`` did not run for a test of ``cls``, and what to write."""
    order = cls.__mro__
    where = f"{cls.__qualname__}.twimlsim is set by TwimlsimMixin.setUp, which did not run"
    if unittest.TestCase in order and order.index(unittest.TestCase) < order.index(TwimlsimMixin):
        bases = ", ".join(
            base.__name__ for base in sorted(cls.__bases__, key=lambda b: b is not TwimlsimMixin)
        )
        return (
            f"{where}: unittest.TestCase comes before TwimlsimMixin among the class's bases, "
            "and TestCase.setUp calls no setUp after it; put TwimlsimMixin first: "
            f"class {cls.__name__}({bases})"
        )
    return (
        f"{where}: the class's own setUp does not call it; call super().setUp() first in that setUp"
    )


class TwimlsimMixin:
    """Put first among a ``unittest.TestCase``'s bases: ``self.twimlsim`` in every test.

    The simulator starts in ``setUp`` (call ``super().setUp()`` first in your own) and
    stops in a cleanup, after ``tearDown`` and the test's own cleanups.
    """

    #: ``Simulator(**twimlsim_options)``: the keywords ``@pytest.mark.twimlsim`` takes.
    twimlsim_options: ClassVar[Mapping[str, Any]] = {}
    #: The WSGI or ASGI app every test's webhooks go to (None: route in the test).
    twimlsim_app: ClassVar[Any] = None
    #: The base URL ``twimlsim_app`` is routed under.
    twimlsim_base_url: ClassVar[str] = FIXTURE_BASE_URL
    #: The started simulator of the running test.
    twimlsim = _StartedSimulator()

    def setUp(self) -> None:
        """Start the test's simulator (``twimlsim_options``), routing ``twimlsim_app``."""
        super().setUp()  # type: ignore[misc]
        from twimlsim.arguments import describe, keyword_error_text
        from twimlsim.simulator import Simulator

        self._twimlsim_outcome = _FAILED  # until set up: a failing setUp reports itself
        options: object = self.twimlsim_options
        if not isinstance(options, Mapping):
            raise TypeError(
                f"{type(self).__name__}.twimlsim_options: a dict of Simulator keywords such as "
                f"{{'strict': False}} (those @pytest.mark.twimlsim takes); got {describe(options)}"
            )
        try:
            sim = Simulator(**self.twimlsim_options)
        except TypeError as error:
            raise TypeError(
                f"{type(self).__name__}.twimlsim_options: {keyword_error_text(error, Simulator)}"
            ) from None
        sim.start()
        add_cleanup: Callable[..., None] = self.addCleanup  # type: ignore[attr-defined]
        add_cleanup(self._twimlsim_finish, sim)
        app = _class_attribute(self, "twimlsim_app")
        if app is not None:
            sim.route(self.twimlsim_base_url, app)
        self.twimlsim = sim
        self._twimlsim_outcome = _UNKNOWN

    def _callTestMethod(self, method: Callable[[], object]) -> None:  # noqa: N802 - unittest's
        # unittest's hook around the test method (Python 3.8+): how it went decides
        # whether the strict check runs
        __tracebackhide__ = True  # pytest: the test's own frames only
        self._twimlsim_outcome = _FAILED
        try:
            super()._callTestMethod(method)  # type: ignore[misc]
        except Exception as error:
            sim = vars(self).get("twimlsim")
            if sim is not None and not isinstance(error, unittest.SkipTest) and not _pytest():
                # python -m unittest and manage.py test print an exception's notes: the
                # calls, as pytest's report section shows them
                error.add_note(_calls_note(sim))
            raise
        outcome = getattr(self, "_outcome", None)
        # a failed subTest does not raise out of the method; unittest notes it here
        self._twimlsim_outcome = _PASSED if getattr(outcome, "success", True) else _FAILED

    def _twimlsim_finish(self, sim: Simulator) -> None:
        sim._end()
        if self._twimlsim_outcome != _FAILED:
            sim.check()


def _pytest() -> bool:
    """Whether pytest runs the test (its twimlsim plugin then shows the calls itself)."""
    seeing = sys.modules.get("twimlsim.pytest_seeing")  # imported only by pytest's plugin
    return seeing is not None and bool(getattr(seeing, "RUNNING", ()))


def _calls_note(sim: Simulator) -> str:
    """The calls of a failing test, as pytest's ``twimlsim calls`` section shows them."""
    from twimlsim.report import SHOWN_CALLS, SHOWN_ENTRIES, app_clock_note, format_simulator

    text = format_simulator(sim, limit=SHOWN_CALLS, max_entries=SHOWN_ENTRIES)
    return f"\ntwimlsim calls:\n\n{app_clock_note(sim)}{text or '(no calls)'}"


def _class_attribute(test: object, name: str) -> Any:
    """The attribute as the class holds it: a plain function (a WSGI app written as one)
    is not bound to the test."""
    value = inspect.getattr_static(test, name)
    if isinstance(value, staticmethod | classmethod):
        return getattr(test, name)
    return value

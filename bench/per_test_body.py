"""The test bodies of ``bench/per_test.py``'s suites, as functions of one process.

``simulated()`` does what the ``twimlsim`` fixture and one simulated test do (a started
``Simulator``, the test's call, then ``stop()`` and ``check()``, without pytest's own
machinery); ``stubbed()`` runs the hand-written test. The code is ``per_test``'s own
(its ``APP``, ``SIMULATED`` and ``STUB`` texts), so both benchmarks run the same tests.
"""

from __future__ import annotations

import sys
import types
from typing import Any

from bench import per_test
from twimlsim import Simulator

__all__ = ["simulated", "stubbed"]


def _module(name: str, source: str) -> dict[str, Any]:
    module = types.ModuleType(name)
    exec(compile(source, f"<bench {name}>", "exec"), module.__dict__)
    sys.modules[name] = module
    return module.__dict__


_module("bench_app", per_test.APP)
_simulated_test = _module("bench_simulated_test", per_test.SIMULATED)["_one"]
_stubbed_test = _module("bench_stubbed_test", per_test.STUB)["_one"]


def simulated() -> None:
    """The ``twimlsim`` fixture's work and one simulated test."""
    sim = Simulator()
    sim.start()
    try:
        _simulated_test(sim)
    finally:
        sim.stop()
    sim.check()


def stubbed() -> None:
    """One hand-written test."""
    _stubbed_test()

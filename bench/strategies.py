"""Property-based callers: what a ``@given(caller=callers())`` test costs.

The correct menu app of ``fixtures/voicemail_menu_app.py`` checked with every property, over
hypothesis's default example count (100), against a plain test: the same simulator set-up
and checks with one hand-written caller. Rounds alternate between the two sides and the
median is kept; the per-example figure is the property run's time over its example count.
Measured with the app's clock frozen (the default) and with ``freeze_time=False``.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable

from hypothesis import HealthCheck, Phase, given, settings

from bench.common import Row, now
from fixtures.voicemail_menu_app import SALES, make_app
from twimlsim import Simulator, properties
from twimlsim.strategies import Caller, Step, callers

ROUNDS = 5
EXAMPLES = 100  # hypothesis's default max_examples
HAND_WRITTEN = Caller(
    "+15558675310", (Step("presses", ("2",)), Step("records", (8,), (("key", "#"),)))
)


def _one_call(caller: Caller, *, freeze: bool, app: object) -> None:
    app.config["VOICEMAILS"].clear()  # type: ignore[attr-defined]
    with Simulator(strict=False, freeze_time=freeze) as sim:
        sim.route("https://app.test", app)
        sim.number("+15005550006", voice_url="https://app.test/voice")
        sim.phone(SALES).hangs_up(after=30)
        caller.call(sim, to="+15005550006")
        sim.run()
    properties.check_all(sim)


def _property_run(*, freeze: bool, app: object) -> Callable[[], None]:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        phases=[Phase.generate],  # the generation only: every example is a fresh caller
        suppress_health_check=list(HealthCheck),
    )
    @given(caller=callers())
    def run(caller: Caller) -> None:
        _one_call(caller, freeze=freeze, app=app)

    return run


def main() -> list[Row]:
    app = make_app()
    rows: list[Row] = []
    for freeze in (True, False):
        label = "frozen" if freeze else "no freeze"
        prop = _property_run(freeze=freeze, app=app)
        prop()  # warm up
        runs: list[float] = []
        plain: list[float] = []
        for _ in range(ROUNDS):
            start = now()
            prop()
            runs.append(now() - start)
            start = now()
            _one_call(HAND_WRITTEN, freeze=freeze, app=app)
            plain.append(now() - start)
        whole = statistics.median(runs)
        one = statistics.median(plain)
        rows.append(Row(f"strategies: 100 callers ({label})", whole * 1000, "ms"))
        rows.append(
            Row(
                f"strategies: per example ({label})",
                whole / EXAMPLES * 1000,
                "ms",
                baseline=one * 1000,
                baseline_name="plain test",
            )
        )
    return rows

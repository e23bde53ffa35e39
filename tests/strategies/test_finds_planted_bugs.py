"""The acceptance of property-based callers: planted bugs found, shrunk and printed exactly.

``fixtures/voicemail_menu_app.py`` with ``buggy=True`` loops forever when the caller
presses ``*`` and crashes its recording callback when the caller hangs up during the beep;
the one-line properties find each, and hypothesis prints the smallest far end that still
fails as the line that scripts it. The correct app keeps every property.
"""

from __future__ import annotations

import re

import pytest

pytest_plugins = ["pytester"]

SUITE = """
from hypothesis import Phase, given, settings
from twimlsim import Simulator, properties
from twimlsim.strategies import callers
from fixtures.voicemail_menu_app import SALES, make_app

app = make_app(buggy={buggy})

# no explain phase: it traces every line of a failing example again, which is slow
# derandomized: the same examples in every process, xdist workers included
# one bug a test: the search stops at the first (hypothesis stops looking for more ten
# seconds after it, so on a loaded machine the example it shrinks from would vary)
FAST = settings(
    deadline=None,
    derandomize=True,
    database=None,
    report_multiple_bugs=False,
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
)


def call(caller):
    app.config["VOICEMAILS"].clear()  # SIDs repeat in each fresh simulator: so must the app
    sim = Simulator(strict=False, freeze_time=False)
    with sim:
        sim.route("https://app.test", app)
        sim.number("+15005550006", voice_url="https://app.test/voice")
        sim.phone(SALES).hangs_up(after=30)
        caller.call(sim, to="+15005550006")
        sim.run()
    return sim


@FAST
@given(caller=callers(keys="12*"))  # the keys the menu offers
def test_every_call_ends(caller):
    properties.ends_before_time_limit(call(caller))


@settings(FAST, max_examples=1000)  # a hang-up at the beep, behind a key: two steps deep
@given(caller=callers(keys="12*"))  # the keys the menu offers
def test_no_webhook_fails(caller):
    properties.no_webhook_errors(call(caller))


@FAST
@given(caller=callers())
def test_every_property(caller):
    properties.check_all(call(caller))
"""


def run_suite(pytester: pytest.Pytester, *args: str, buggy: bool) -> pytest.RunResult:
    pytester.makepyfile(test_menu=SUITE.format(buggy=buggy))
    return pytester.runpytest("--hypothesis-seed=0", "-p", "no:cacheprovider", *args)


def test_the_correct_menu_keeps_every_property(pytester: pytest.Pytester) -> None:
    run_suite(pytester, "-k", "test_every_property", buggy=False).assert_outcomes(
        passed=1, deselected=2
    )


LOOP = ("test_every_call_ends", 'sim.phone("+15558675310").presses("*")')
# Twilio keeps silent recordings and this Record has no finishOnKey: only a hang-up at the
# beep leaves it absent, with no action before its recording callback
CRASH = ("test_no_webhook_fails", 'sim.phone("+15558675310").presses("2").hangs_up_at_wait()')


def assert_shrunk(result: pytest.RunResult, test: str, shrunk: str) -> None:
    result.stdout.re_match_lines(
        [
            rf"^E\s+Failing test case: {test}\($",
            rf"^E\s+caller={re.escape(shrunk)},$",
            r"^E\s+\)$",
        ],
        consecutive=True,
    )


@pytest.mark.parametrize("mode", [("--twimlsim",), ("-n", "2")], ids=["--twimlsim", "xdist"])
def test_a_planted_bug_is_found_the_same_under_twimlsim_and_xdist(
    pytester: pytest.Pytester, mode: tuple[str, ...]
) -> None:
    result = run_suite(pytester, "-k", "test_every_call_ends", *mode, buggy=True)
    result.assert_outcomes(failed=1, **({} if "-n" in mode else {"deselected": 2}))
    assert_shrunk(result, *LOOP)


def test_each_planted_bug_is_found_and_shrunk_to_the_smallest_caller(
    pytester: pytest.Pytester,
) -> None:
    result = run_suite(pytester, "-k", "not test_every_property", buggy=True)
    result.assert_outcomes(failed=2, deselected=1)
    for test, shrunk in [LOOP, CRASH]:
        assert_shrunk(result, test, shrunk)
    result.stdout.re_match_lines(
        [
            r"E\s+AssertionError: a call did not end on its own:",
            r"E\s+call CA\w{32} \(\+15558675310 -> \+15005550006\) fetched 100 documents "
            r"without time passing \(a <Redirect> loop\) and was stopped; the last was "
            r"https://app.test/menu/replay",
        ],
        consecutive=True,
    )
    result.stdout.re_match_lines(
        [
            r"E\s+AssertionError: a webhook failed:",
            r"E\s+recording-status webhook POST https://app.test/voicemail/saved of call "
            r"CA\w{32} answered 500; it raised KeyError: 'RE\w{32}'$",
        ],
        consecutive=True,
    )

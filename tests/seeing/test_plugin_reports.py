"""What pytest shows of the calls (pytester): a failing test's call log, timeline pages,
golden logs and IVR coverage."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .pytester_support import CALL_SID, CONFTEST, FAST

pytest_plugins = ["pytester"]

FAILING = """
def test_billing(call):
    assert call.said[-1] == "Goodbye."

def test_passes(call):
    assert call.status == "completed"
"""


def test_a_failing_test_shows_its_calls_as_a_report_section(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_menus=FAILING)
    result = pytester.runpytest(*FAST)
    result.assert_outcomes(passed=1, failed=1)
    out = result.stdout.str()
    section = out[out.index("- twimlsim calls -") :]
    lines = section.splitlines()
    assert lines[1:12] == [
        f"Call {CALL_SID} outbound-api +15005550006 -> +15558675310: completed, 11s",
        "",
        "Transcript:",
        "  09:00:00  answered",
        "  09:00:00  said 'Welcome to Example Company. For sales, press 1. For support, press 2.'",
        "  09:00:05  gathered digits='2', speech=None, confidence=None, finished_on_key='', "
        "timed_out=False",
        "  09:00:05  redirected to POST https://app.test/menus/support",
        "  09:00:05  said 'For billing, press 1. For a technician, press 2.'",
        "  09:00:09  gathered digits='1', speech=None, confidence=None, finished_on_key='', "
        "timed_out=False",
        "  09:00:09  said 'Billing is closed today. Goodbye.'",
        "  09:00:11  hung up by twiml: completed",
    ]
    assert "Webhooks (5):" in lines
    assert "  09:00:09  gather    POST https://app.test/menus/support-choice -> 200" in lines
    assert "REST requests (1):" in lines
    assert out.count("- twimlsim calls -") == 1  # the passing test shows nothing


def test_a_simulator_the_test_builds_itself_is_reported_too(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_own="""
from twimlsim import Simulator

def test_own():
    with Simulator() as sim:
        sim.number("+15005550006")
        sim.client().calls.create(to="+15558675310", from_="+15005550006",
                                  twiml="<Response><Say>Hi</Say></Response>")
        sim.run()
    assert False, "on purpose"
"""
    )
    result = pytester.runpytest(*FAST)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*- twimlsim calls -*",
            f"Call {CALL_SID} outbound-api +15005550006 -> +15558675310: completed, 1s",
            "  09:00:00  said 'Hi'",
        ]
    )


def test_a_test_with_many_simulators_shows_its_last_three(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_many="""
from twimlsim import Simulator

def test_examples():
    for index in range(5):  # as hypothesis makes one simulator per example
        with Simulator() as sim:
            sim.number("+15005550006")
            sim.client().calls.create(to="+15558675310", from_="+15005550006",
                                      twiml=f"<Response><Say>Example {index}</Say></Response>")
            sim.run()
    assert False, "on purpose"
"""
    )
    result = pytester.runpytest(*FAST)
    result.assert_outcomes(failed=1)
    out = result.stdout.str()
    section = out[out.index("- twimlsim calls -") :].splitlines()
    assert section[1] == (
        "(2 earlier simulators of this test are not shown, such as hypothesis's examples "
        "before the failing one; the last 3:)"
    )
    said = [line for line in section if "  said " in line]
    assert said == [f"  09:00:00  said 'Example {index}'" for index in (2, 3, 4)]


def test_calls_that_never_ran_are_said_to_need_a_run(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_norun="""
def test_forgot_to_run(twimlsim):
    twimlsim.number("+15005550006")
    call = twimlsim.client().calls.create(to="+15558675310", from_="+15005550006",
                                          twiml="<Response><Say>Hi</Say></Response>")
    assert twimlsim.calls[call.sid].said == ["Hi"]
"""
    )
    result = pytester.runpytest(*FAST)
    result.assert_outcomes(failed=1)
    out = result.stdout.str()
    section = out[out.index("- twimlsim calls -") :].splitlines()
    assert section[1:4] == [
        "No call has run: the test ended before any sim.run() (which runs every call to its "
        "end) or call.run() (one call, until it waits for input).",
        "",
        f"Call {CALL_SID} outbound-api +15005550006 -> +15558675310: queued",
    ]


def test_report_dir_gets_a_timeline_per_failing_test(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_menus=FAILING)
    result = pytester.runpytest(*FAST, "--twimlsim-report=out")
    result.assert_outcomes(passed=1, failed=1)
    page = pytester.path / "out" / "test_menus.py_test_billing.html"
    result.stdout.fnmatch_lines(
        ["*= twimlsim timelines =*", f"test_menus.py::test_billing: {page}"]
    )
    assert sorted(path.name for path in (pytester.path / "out").iterdir()) == [page.name]
    text = page.read_text(encoding="utf-8")
    assert text.count('<g class="lane" data-call=') == 1
    assert text.count('<rect class="span verb-Gather"') == 2
    assert "<script" not in text and "http-equiv" not in text


def test_report_all_writes_passing_tests_too(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_menus=FAILING)
    result = pytester.runpytest(*FAST, "--twimlsim-report=out", "--twimlsim-report-all")
    result.assert_outcomes(passed=1, failed=1)
    assert sorted(path.name for path in (pytester.path / "out").iterdir()) == [
        "test_menus.py_test_billing.html",
        "test_menus.py_test_passes.html",
    ]


GOLDEN = """
def test_billing(call, twimlsim_golden):
    assert twimlsim_golden(call) == {outcome!r}
"""


def golden_run(pytester: pytest.Pytester, outcome: str, *args: str) -> pytest.RunResult:
    pytester.makepyfile(test_menus=GOLDEN.format(outcome=outcome))
    # 'created' and 'matched' are as long: rewritten within the same second, the module's
    # cached byte code (keyed by its size and mtime) would be run again in its place
    shutil.rmtree(pytester.path / "__pycache__", ignore_errors=True)
    return pytester.runpytest(*FAST, *args)


def test_golden_log_is_created_matched_mismatched_and_refreshed(
    pytester: pytest.Pytester,
) -> None:
    pytester.makeconftest(CONFTEST)
    golden = pytester.path / "golden" / "test_menus" / "test_billing.txt"

    result = golden_run(pytester, "created")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*= twimlsim golden logs =*", f"created {golden}"])
    created = golden.read_text(encoding="utf-8")
    assert created.splitlines()[:4] == [
        "# twimlsim golden log of test_menus.py::test_billing",
        "# refresh: pytest --twimlsim-golden-update",
        "",
        f"Call {CALL_SID} outbound-api +15005550006 -> +15558675310: completed, 11s",
    ]
    assert "  09:00:09  said 'Billing is closed today. Goodbye.'" in created.splitlines()

    result = golden_run(pytester, "matched")
    result.assert_outcomes(passed=1)
    assert "twimlsim golden logs" not in result.stdout.str()

    golden.write_text(created.replace("closed today", "open"), encoding="utf-8")
    result = golden_run(pytester, "matched")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            f"E       AssertionError: the call log differs from the golden file {golden}; "
            "if the change is intended, run pytest --twimlsim-golden-update and review the "
            "file's diff",
            f"E       --- {golden} (golden)",
            "E       +++ this run",
            "E       @@ -11,5 +11,5 @@",
            "E          09:00:05  said 'For billing, press 1. For a technician, press 2.'",
            "E          09:00:09  gathered digits='1', speech=None, confidence=None, "
            "finished_on_key='', timed_out=False",
            "E       -  09:00:09  said 'Billing is open. Goodbye.'",
            "E       +  09:00:09  said 'Billing is closed today. Goodbye.'",
            "E          09:00:11  hung up by twiml: completed",
        ]
    )

    result = golden_run(pytester, "refreshed", "--twimlsim-golden-update")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines([f"refreshed {golden}"])
    assert golden.read_text(encoding="utf-8") == created


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("CI", "true"),
        ("TF_BUILD", "True"),
        ("TEAMCITY_VERSION", "2025.07"),
        ("CODEBUILD_BUILD_ARN", "arn:aws:codebuild:us-east-1:123456789012:build/app:1"),
    ],
)
def test_on_a_ci_machine_a_missing_golden_file_fails_and_is_not_written(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    pytester.makeconftest(CONFTEST)
    golden = pytester.path / "golden" / "test_menus" / "test_billing.txt"
    monkeypatch.setenv(variable, value)
    result = golden_run(pytester, "created")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            f"E       AssertionError: the golden file {golden} is missing, and this run is on a "
            f"CI machine ({variable} is set), where a file written now would be lost and the "
            "log would never be compared: run the test where you work to create the file and "
            "commit it (or run pytest --twimlsim-golden-update here to write it anyway)"
        ]
    )
    assert not golden.exists()

    result = golden_run(pytester, "created", "--twimlsim-golden-update")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines([f"created {golden}"])
    monkeypatch.setenv(variable, "false")  # CI=false is not a CI machine
    golden.unlink()
    golden_run(pytester, "created").assert_outcomes(passed=1)
    assert golden.exists()


SAME_FILE = """
import pytest


@pytest.mark.parametrize("desk", ["front desk", "front-desk"])
def test_desk(twimlsim_golden, desk):
    assert twimlsim_golden.check(f"log of the {desk}\\n") == "created"
"""


def test_two_tests_whose_golden_file_names_are_the_same_are_told_apart(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(test_desks=SAME_FILE)
    golden = pytester.path / "golden" / "test_desks" / "test_desk-front-desk-.txt"
    result = pytester.runpytest(*FAST, "--twimlsim-golden-update")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            f"E       AssertionError: the golden file {golden} is already the golden file of "
            "test_desks.py::test_desk[front desk] (the two tests' names differ only in "
            "characters a file name cannot hold): give this test's log its own name, "
            "twimlsim_golden(sim, name='...'), or rename one of the tests"
        ]
    )
    assert golden.read_text(encoding="utf-8").splitlines()[0] == (
        "# twimlsim golden log of test_desks.py::test_desk[front desk]"
    )


SAME_BUT_CASE = """
def test_front_desk(twimlsim_golden):
    assert twimlsim_golden.check("log of the front desk\\n") == "created"


def test_Front_Desk(twimlsim_golden):
    assert twimlsim_golden.check("log of the Front Desk\\n") == "created"
"""


def test_two_tests_whose_golden_file_names_differ_only_in_case_are_told_apart(
    pytester: pytest.Pytester,
) -> None:
    # on Linux they would be two files, on macOS and Windows one: refused everywhere
    pytester.makepyfile(test_desks=SAME_BUT_CASE)
    folder = pytester.path / "golden" / "test_desks"
    result = pytester.runpytest(*FAST, "-p", "no:randomly", "--twimlsim-golden-update")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            f"E       AssertionError: the golden file {folder / 'test_Front_Desk.txt'} is "
            "already the golden file of test_desks.py::test_front_desk (test_front_desk.txt "
            "and test_Front_Desk.txt differ only in letter case, and on macOS and Windows, "
            "whose file systems do not tell case apart, they are one file): give this "
            "test's log its own name, twimlsim_golden(sim, name='...'), or rename one of "
            "the tests"
        ]
    )
    assert sorted(path.name for path in folder.iterdir()) == ["test_front_desk.txt"]


COVERED_SUITE = """
def place(twimlsim, *keys):
    twimlsim.number("+15005550006")
    phone = twimlsim.phone("+15558675310")
    for key in keys:
        phone.presses(key)
    created = twimlsim.client().calls.create(
        to="+15558675310", from_="+15005550006", url="https://app.test/menus/main")
    twimlsim.run()
    return twimlsim.calls[created.sid]

def test_sales(twimlsim):
    twimlsim.phone("+15551230000").busy()
    assert place(twimlsim, "1").said[-1] == "Nobody is free right now. Please call again later."

def test_billing(twimlsim):
    assert place(twimlsim, "2", "1").said[-1] == "Billing is closed today. Goodbye."
"""


def test_coverage_names_the_branch_the_suite_never_took(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_menus=COVERED_SUITE)
    result = pytester.runpytest(*FAST, "--twimlsim-coverage", "--twimlsim-report=out")
    result.assert_outcomes(passed=2)
    out = result.stdout.str()
    expected = [
        "3 call legs; Seen from the TwiML the app served: a branch no test reached is named "
        "only when a served prompt announces it ('press 2', '2 for ...', 'press 1 to ..., 2 "
        "to ...') or a served verb never ran.",
        "",
        "document [verbs]                    served  verbs never run",
        "/menus/after-dial [Say]             1       -",
        "/menus/main [Gather Say Redirect]   2       #2 <Say> line 1, #3 <Redirect> line 1",
        "/menus/main-choice [Redirect]       1       -",
        "/menus/main-choice [Say Dial]       1       -",
        "/menus/support [Gather Redirect]    1       #2 <Redirect> line 1",
        "/menus/support-choice [Say Hangup]  1       -",
        "",
        "menu (Gather) -> action                     choices made  announced, never made",
        "/menus/main #1 -> /menus/main-choice        1 x1, 2 x1    -",
        "/menus/support #1 -> /menus/support-choice  1 x1          2 ('For a technician, press 2')",
        "",
        "Dial -> action                                           outcomes",
        "/menus/main-choice #2 +15551230000 -> /menus/after-dial  busy x1",
        f"written to {pytester.path / 'out' / 'coverage.html'}",
    ]
    table = out[out.index("= twimlsim IVR coverage =") :].splitlines()
    table = table[table.index(expected[0]) :]
    assert table[: len(expected)] == expected
    written = (pytester.path / "out" / "coverage.txt").read_text(encoding="utf-8")
    assert written.splitlines() == expected[:-1]  # the table, without where it went


def test_coverage_is_off_unless_asked(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_menus=COVERED_SUITE)
    result = pytester.runpytest(*FAST)
    result.assert_outcomes(passed=2)
    assert "twimlsim IVR coverage" not in result.stdout.str()


def test_report_options_are_documented_in_help(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--help")
    result.stdout.fnmatch_lines(
        [
            "*--twimlsim-report=DIR*",
            "*--twimlsim-report-all*",
            "*--twimlsim-golden-update*",
            "*--twimlsim-coverage*",
        ]
    )


def test_pages_are_named_after_the_test(tmp_path: Path) -> None:
    from twimlsim.pytest_seeing import _file_name

    assert _file_name("tests/test_x.py::TestY::test_z[a-1]", {}) == (
        "tests_test_x.py_TestY_test_z_a-1"
    )
    # a parameter a file name cannot hold (a space) adds a digest of the test's id
    assert _file_name("tests/test_x.py::TestY::test_z[a b-1]", {}) == (
        "tests_test_x.py_TestY_test_z_a_b-1-d4b4e725f1a36210"
    )


def test_a_teardown_failure_shows_the_calls_once(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(
        test_unused="""
def test_unused_step(twimlsim, call):
    twimlsim.phone("+15551239999").presses("5")  # never reached: strict fails at teardown
"""
    )
    result = pytester.runpytest(*FAST)
    result.assert_outcomes(passed=1, errors=1)
    out = result.stdout.str()
    assert out.count("- twimlsim calls -") == 1
    result.stdout.fnmatch_lines(
        [
            "*ConfigurationError: scripted far-end steps were never reached: "
            "sim.phone('+15551239999').presses('5')*",
            "*- twimlsim calls -*",
            f"Call {CALL_SID} outbound-api +15005550006 -> +15558675310: completed, 11s",
        ]
    )


def test_the_section_lists_rest_requests_about_no_call(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_list="""
def test_lists(twimlsim):
    twimlsim.client().calls.list(status="busy")
    assert False, "on purpose"
"""
    )
    result = pytester.runpytest(*FAST)
    result.assert_outcomes(failed=1)
    out = result.stdout.str()
    section = out[out.index("- twimlsim calls -") :].splitlines()[1:4]
    assert section == [
        "REST requests about no call (1):",
        "  09:00:00  calls.list GET /2010-04-01/Accounts/ACd45321710a9937d57a6f595c7099cd0b"
        "/Calls.json -> 200",
        "      Status=busy",
    ]


def test_under_xdist_the_controller_prints_what_the_workers_saw(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHONPATH", str(Path(__file__).resolve().parents[2]))  # fixtures/
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(
        test_menus=COVERED_SUITE
        + """
def test_golden(call, twimlsim_golden):
    twimlsim_golden(call)

def test_fails(call):
    assert False, "on purpose"
"""
    )
    result = pytester.runpytest(*FAST, "-n", "2", "--twimlsim-coverage", "--twimlsim-report=out")
    result.assert_outcomes(passed=3, failed=1)
    out = result.stdout.str()
    golden = pytester.path / "golden" / "test_menus" / "test_golden.txt"
    page = pytester.path / "out" / "test_menus.py_test_fails.html"
    result.stdout.fnmatch_lines(
        [
            "*- twimlsim calls -*",
            "*= twimlsim golden logs =*",
            f"created {golden}",
            "*= twimlsim timelines =*",
            f"test_menus.py::test_fails: {page}",
            "*= twimlsim IVR coverage =*",
        ]
    )
    table = out[out.index("= twimlsim IVR coverage =") :].splitlines()
    start = next(i for i, line in enumerate(table) if line.startswith("5 call legs;"))
    assert table[start + 2 : start + 5] == [
        "document [verbs]                    served  verbs never run",
        "/menus/after-dial [Say]             1       -",
        "/menus/main [Gather Say Redirect]   4       #2 <Say> line 1, #3 <Redirect> line 1",
    ]
    support = "/menus/support #1 -> /menus/support-choice  1 x3          2 ('For a technician, "
    assert support + "press 2')" in table


def problems_on(page: Path) -> str:
    """The 'What went wrong' section of a timeline page."""
    text = page.read_text(encoding="utf-8")
    start = text.index('<section class="problems">')
    return text[start : text.index("</section>", start) + len("</section>")]


WHY = """
import pytest


def test_billing(call):
    assert call.said[-1] == "Goodbye."


@pytest.mark.twimlsim(strict=False)
def test_unrouted(twimlsim):
    twimlsim.number("+15005550006")
    twimlsim.client().calls.create(
        to="+15558675310", from_="+15005550006", url="https://other.test/voice")
    twimlsim.run()
    assert twimlsim.calls
    raise AssertionError("the test's own check")


def test_step_never_reached(twimlsim):
    twimlsim.phone("+15558675310").presses("1")
"""


def test_a_timeline_page_says_first_why_its_test_failed(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_menus=WHY)
    result = pytester.runpytest(*FAST, "--twimlsim-report=out")
    result.assert_outcomes(failed=2, passed=1, errors=1)
    out = pytester.path / "out"
    assert problems_on(out / "test_menus.py_test_billing.html") == (
        '<section class="problems"><h2>What went wrong</h2>\n'
        "<pre>AssertionError: assert &#x27;Billing is c...day. Goodbye.&#x27; == "
        "&#x27;Goodbye.&#x27;\n  \n  - Goodbye.\n  + Billing is closed today. Goodbye.</pre>\n"
        "</section>"
    )
    # strict=False: the call's problem, which the test's failure does not say, follows it
    assert problems_on(out / "test_menus.py_test_unrouted.html") == (
        '<section class="problems"><h2>What went wrong</h2>\n'
        "<pre>AssertionError: the test&#x27;s own check</pre>\n"
        f"<pre>call {CALL_SID}: Twilio error 11205 (HTTP connection failure) at "
        "https://other.test/voice: no app is routed for https://other.test/voice (routed: "
        "https://app.test); call sim.route(&#x27;https://other.test&#x27;, app) for it; "
        "https://app.test is where the twimlsim fixture and TwimlsimMixin route twimlsim_app "
        "unless told otherwise: to route it at https://other.test, return "
        "&#x27;https://other.test&#x27; from a twimlsim_base_url fixture (in a TwimlsimMixin "
        "class: twimlsim_base_url = &#x27;https://other.test&#x27;); twimlsim then played "
        "Twilio&#x27;s application-error message and hung up, as Twilio does "
        "[https://www.twilio.com/docs/errors/11205]</pre>\n</section>"
    )
    assert problems_on(out / "test_menus.py_test_step_never_reached.html") == (
        '<section class="problems"><h2>What went wrong</h2>\n'
        "<pre>at teardown: twimlsim.errors.ConfigurationError: scripted far-end steps were "
        "never reached: sim.phone(&#x27;+15558675310&#x27;).presses(&#x27;1&#x27;); no call "
        "was made, so +15558675310 was never called: place the call (the app&#x27;s code, "
        "sim.client().calls.create(...) or sim.incoming_call(...)) and sim.run() before the "
        "test ends. Remove them, or pass strict=False to allow unused steps.</pre>\n</section>"
    )

"""The assertion helpers, as a test suite uses them (pytester): each one's pass and its
exact failure text."""

from __future__ import annotations

import pytest

from .pytester_support import ACCOUNT_SID, CALL_SID, CONFTEST, FAST, failure_lines

pytest_plugins = ["pytester"]

WELCOME = "Welcome to Example Company. For sales, press 1. For support, press 2."


def run(pytester: pytest.Pytester, tests: str) -> pytest.RunResult:
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(
        test_calls="from twimlsim.assertions import Match, assert_heard, assert_requests, "
        "assert_webhook_count\n\n" + tests
    )
    return pytester.runpytest(*FAST)


def test_assert_requests_in_order_passes_and_returns_the_matches(
    pytester: pytest.Pytester,
) -> None:
    result = run(
        pytester,
        """
def test_menus(call):
    voice, main, support, status = assert_requests(call, [
        Match("voice", "/menus/main"),
        Match("gather", "https://app.test/menus/main-choice", method="post", Digits="2"),
        ("gather", "/menus/support-*"),
        Match("status", CallStatus="completed", CallDuration=re.compile(r"\\d+")),
    ])
    assert (voice.kind, support.params["Digits"], status.params["CallStatus"]) == (
        "voice", "1", "completed")

import re
""",
    )
    result.assert_outcomes(passed=1)


def test_assert_requests_names_the_nearest_request_and_aligns_the_diff(
    pytester: pytest.Pytester,
) -> None:
    result = run(
        pytester,
        """
def test_menus(call):
    assert_requests(call, [
        Match("voice", "/menus/main"),
        Match("gather", "/menus/main-choice", Digits="1"),
        Match("status", CallStatus="completed"),
    ])
""",
    )
    result.assert_outcomes(failed=1)
    assert failure_lines(result, "test_menus") == [
        f"AssertionError: 1 of 3 expected requests not received (in order) on call {CALL_SID}",
        "  expected                                          received",
        "  voice  /menus/main                                #1 voice  POST /menus/main",
        "- gather /menus/main-choice Digits='1'              #2 gather POST /menus/main-choice "
        "Digits='2' <- nearest (Digits: expected '1', got '2')",
        "  status *                  CallStatus='completed'  #5 status POST /menus/status      "
        "CallStatus='completed'",
        "Received (5):",
        "  #1 voice    POST /menus/main",
        "  #2 gather   POST /menus/main-choice    Digits='2'",
        "  #3 redirect POST /menus/support",
        "  #4 gather   POST /menus/support-choice Digits='1'",
        "  #5 status   POST /menus/status         CallStatus='completed'",
    ]


def test_assert_requests_in_order_fails_on_the_wrong_order(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
def test_order(call):
    assert_requests(call, ["status", "voice"])

def test_any_order(call):
    assert_requests(call, ["status", "voice"], ordered=False)
""",
    )
    result.assert_outcomes(passed=1, failed=1)
    assert failure_lines(result, "test_order") == [
        f"AssertionError: 1 of 2 expected requests not received (in order) on call {CALL_SID}",
        "  expected  received",
        "  status *  #5 status POST /menus/status",
        "- voice  *  #1 voice  POST /menus/main   <- nearest (out of order)",
        "Received (5):",
        "  #1 voice    POST /menus/main",
        "  #2 gather   POST /menus/main-choice",
        "  #3 redirect POST /menus/support",
        "  #4 gather   POST /menus/support-choice",
        "  #5 status   POST /menus/status",
    ]


def test_assert_requests_complete_lists_what_no_expectation_names(
    pytester: pytest.Pytester,
) -> None:
    result = run(
        pytester,
        """
def test_complete(call):
    assert_requests(call, ["voice", "gather", "redirect", "gather", "status"], complete=True)

def test_incomplete(call):
    assert_requests(call, ["status", "voice", "gather"], ordered=False, complete=True)
""",
    )
    result.assert_outcomes(passed=1, failed=1)
    assert failure_lines(result, "test_incomplete") == [
        f"AssertionError: 2 requests received that no expectation names on call {CALL_SID}",
        "  expected  received",
        "  status *  #5 status   POST /menus/status",
        "  voice  *  #1 voice    POST /menus/main",
        "  gather *  #2 gather   POST /menus/main-choice",
        "+           #3 redirect POST /menus/support",
        "+           #4 gather   POST /menus/support-choice",
        "Received (5):",
        "  #1 voice    POST /menus/main",
        "  #2 gather   POST /menus/main-choice",
        "  #3 redirect POST /menus/support",
        "  #4 gather   POST /menus/support-choice",
        "  #5 status   POST /menus/status",
    ]


def test_assert_requests_on_the_apps_rest_requests(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
def test_created(twimlsim, call):
    assert_requests(call.api_requests, [
        Match("calls.create", "*/Calls.json", StatusCallback="https://app.test/menus/status"),
    ])

def test_wrong_callback(twimlsim, call):
    assert_requests(twimlsim.api_requests, [
        Match("calls.create", StatusCallback="https://app.test/status"),
    ])
""",
    )
    result.assert_outcomes(passed=1, failed=1)
    path = f"/2010-04-01/Accounts/{ACCOUNT_SID}/Calls.json"
    assert failure_lines(result, "test_wrong_callback") == [
        "AssertionError: 1 of 1 expected requests not received (in order)",
        "  expected                                                 received",
        f"- calls.create * StatusCallback='https://app.test/status'  #1 calls.create POST {path} "
        "StatusCallback='https://app.test/menus/status' <- nearest (StatusCallback: expected "
        "'https://app.test/status', got 'https://app.test/menus/status')",
        "Received (1):",
        f"  #1 calls.create POST {path} StatusCallback='https://app.test/menus/status'",
    ]


def test_assert_heard(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        f"""
import re

def test_heard(call):
    assert_heard(call, {WELCOME!r}, re.compile("billing"), "Billing is closed today. Goodbye.")

def test_not_heard(call):
    assert_heard(call, {WELCOME!r}, "Billing is closed")

def test_part_with_a_dot(call):
    assert_heard(call, "today. Goodbye")

def test_not_heard_at_all(call):
    assert_heard(call, "Sales is closed")
""",
    )
    result.assert_outcomes(passed=1, failed=3)
    assert failure_lines(result, "test_not_heard") == [
        f"AssertionError: 1 of 2 expected phrases not heard (in order) on call {CALL_SID}",
        f"  {'expected':<{len(repr(WELCOME))}}  heard",
        f"  {WELCOME!r}  #1 {WELCOME!r}",
        f"- {'Billing is closed'!r:<{len(repr(WELCOME))}}  "
        "nearest: #3 'Billing is closed today. Goodbye.' (it holds the text, and a text "
        "equals a whole <Say>: re.compile('Billing is closed') searches for a part)",
        "Heard (3):",
        f"  #1 {WELCOME!r}",
        "  #2 'For billing, press 1. For a technician, press 2.'",
        "  #3 'Billing is closed today. Goodbye.'",
    ]
    assert failure_lines(result, "test_part_with_a_dot")[2] == (
        "- 'today. Goodbye'  nearest: #3 'Billing is closed today. Goodbye.' (it holds the "
        "text, and a text equals a whole <Say>: re.compile(re.escape('today. Goodbye')) "
        "searches for a part)"
    )
    assert failure_lines(result, "test_not_heard_at_all")[2] == (
        "- 'Sales is closed'  nearest: #3 'Billing is closed today. Goodbye.'"
    )


def test_assert_webhook_count(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
def test_count(twimlsim, call):
    gathers = assert_webhook_count(call, "gather", 2)
    assert [(r.url, r.params["Digits"]) for r in gathers] == [
        ("https://app.test/menus/main-choice", "2"),
        ("https://app.test/menus/support-choice", "1"),
    ]
    assert_webhook_count(twimlsim, "gather", 1, path="/menus/support-choice")
    assert_webhook_count(call.api_requests, "calls.create", 1)

def test_wrong_count(call):
    assert_webhook_count(call, "gather", 3)

def test_none_of_the_kind(call):
    assert_webhook_count(call, "dial", 1, path="/menus/after-dial")

def test_a_misspelt_kind(call):
    assert_webhook_count(call, "gathers", 2)
""",
    )
    result.assert_outcomes(passed=1, failed=3)
    assert failure_lines(result, "test_a_misspelt_kind")[0] == (
        f"AssertionError: expected 2 'gathers' requests on call {CALL_SID}, received 0 (no "
        "request has the kind 'gathers'; did you mean 'gather'?)"
    )
    assert failure_lines(result, "test_wrong_count") == [
        f"AssertionError: expected 3 'gather' requests on call {CALL_SID}, received 2",
        "  #2 gather POST /menus/main-choice",
        "  #4 gather POST /menus/support-choice",
    ]
    assert failure_lines(result, "test_none_of_the_kind") == [
        f"AssertionError: expected 1 'dial' requests to /menus/after-dial on call {CALL_SID}, "
        "received 0 (no request has the kind 'dial'; the kinds received: 'voice', 'gather', "
        "'redirect', 'status')",
        "Received (5):",
        "  #1 voice    POST /menus/main",
        "  #2 gather   POST /menus/main-choice",
        "  #3 redirect POST /menus/support",
        "  #4 gather   POST /menus/support-choice",
        "  #5 status   POST /menus/status",
    ]

"""A suite that tests Twilio's magic numbers with its test credentials, run with
``pytest --twimlsim``: the account its credentials open is live (test credentials cannot be
told apart), so no magic number is refused, and the failing test is told so and what to do."""

from __future__ import annotations

import pytest

from .pytester_support import FAST

pytest_plugins = ["pytester"]

SUITE = """
import pytest
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

def client():
    return Client("AC" + "1" * 32, "f" * 32)

def test_an_unroutable_number_is_refused():
    with pytest.raises(TwilioRestException):
        client().calls.create(to="+15005550002", from_="+15005550006", twiml="<Response/>")

def test_a_full_queue_and_an_invalid_number_are_refused():
    client().messages.create(to="+14155551212", from_="+15005550008", body="hi")
    client().incoming_phone_numbers.create(phone_number="+15005550001")
    pytest.fail("not refused")

def test_another_failure():
    client().calls.create(to="+14155551212", from_="+15005550006", twiml="<Response/>")
    pytest.fail("its own")
"""


def _magic_note(numbers: str) -> str:
    return (
        f"The test used Twilio's magic test numbers ({numbers}), which answer with their "
        "errors only to test credentials: pytest --twimlsim cannot tell the suite's test "
        "credentials from live ones, so the account they opened is live and none was "
        "refused. A test of the magic numbers gives its client the simulator's test "
        "credentials (the twimlsim fixture's account_sid and test_auth_token), or is marked "
        "@pytest.mark.no_twimlsim."
    )


def test_a_test_expecting_a_magic_numbers_error_is_told_why_none_came(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(test_suite=SUITE)
    result = pytester.runpytest(*FAST, "--twimlsim")
    result.assert_outcomes(failed=3)
    sections = result.stdout.str().split("- twimlsim calls -")[1:]
    assert [section.splitlines()[5] for section in sections] == [
        _magic_note("+15005550002"),
        _magic_note("+15005550008, +15005550001"),
        "Call CAee4a56ad3092da64d5ba892549669298 outbound-api +15005550006 -> +14155551212: queued",
    ]

"""What ``pytest --twimlsim`` shows of a failing test of an existing suite, one that asks
for no simulator (pytester): nothing when it never reached Twilio's API, and otherwise
why its requests were answered and what to do when the test meant them to fail."""

from __future__ import annotations

import pytest

from .pytester_support import CALL_SID, FAST

pytest_plugins = ["pytester"]

SUITE = """
import pytest
import requests
import responses
from twilio.rest import Client

def remind():
    client = Client("ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "your_auth_token")
    return client.calls.create(to="+15558675310", from_="+15005550006",
                               twiml="<Response><Say>Hi</Say></Response>")

def test_unrelated():
    assert 1 == 2

@responses.activate
def test_outage_is_handled():
    with pytest.raises(requests.ConnectionError):  # the mock refuses what it lacks
        remind()
"""

#: What a failing test is told of the account its placeholder credentials opened.
ADOPTED_NOTE = (
    "The test's credentials opened ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx in the simulator, empty "
    "at first: the numbers, calls, recordings, messages and applications of the real "
    "account are not there, so a list of them holds only what the test created (a test "
    "that counts the real account's numbers buys them first, or is marked "
    "@pytest.mark.no_twimlsim)."
)


def test_a_failing_test_of_an_existing_suite_is_told_why_twilio_answered(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(test_suite=SUITE)
    result = pytester.runpytest(*FAST, "--twimlsim")
    result.assert_outcomes(failed=2)
    out = result.stdout.str()
    assert out.count("- twimlsim calls -") == 1  # not under test_unrelated: no Twilio there
    section = out[out.index("- twimlsim calls -") :].splitlines()
    assert section[1:7] == [
        "pytest --twimlsim answered this test's requests to Twilio's API with a simulator "
        "(the test asks for no twimlsim fixture, so nothing runs the calls it placed: they "
        "stay queued; a test that asks for it gets this same simulator and runs them with "
        "twimlsim.run()). A test that expects a Twilio request to fail (its own mock refusing a "
        "URL it did not register, to play an outage) registers that failure (responses: "
        "rsps.post(url, body=requests.ConnectionError()); requests-mock: "
        "requests_mock.post(url, exc=requests.ConnectionError)), or is marked "
        "@pytest.mark.no_twimlsim.",
        "",
        ADOPTED_NOTE,
        "",
        f"Call {CALL_SID} outbound-api +15005550006 -> +15558675310: queued",
        "",
    ]
    assert "No call has run" not in out  # the suite never runs calls: no sim.run() advice


def test_a_test_counting_the_real_accounts_numbers_is_told_its_account_starts_empty(
    pytester: pytest.Pytester,
) -> None:
    # twilio-python's cluster tests count the numbers of the account their credentials
    # name: offline that account holds only what the test created
    pytester.makepyfile(
        test_suite="""
from twilio.rest import Client

def test_the_account_has_its_numbers():
    client = Client("ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "your_auth_token")
    assert len(client.incoming_phone_numbers.list()) >= 2
"""
    )
    result = pytester.runpytest(*FAST, "--twimlsim")
    result.assert_outcomes(failed=1)
    out = result.stdout.str()
    section = out[out.index("- twimlsim calls -") :].splitlines()
    assert section[3:7] == [
        ADOPTED_NOTE,
        "",
        "REST requests about no call (1):",
        "  09:00:00  numbers.list GET /2010-04-01/Accounts/ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "/IncomingPhoneNumbers.json -> 200",
    ]


def test_a_relative_url_refused_says_to_write_the_routed_base_before_it() -> None:
    import requests

    from twimlsim import Simulator
    from twimlsim.report import format_api_request

    with Simulator(strict=False) as sim:
        sim.number("+15005550006")
        for url in ("/voice", "https://app.test/ voice"):
            requests.post(
                f"https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}/Calls.json",
                data={"To": "+15558675310", "From": "+15005550006", "Url": url},
                auth=(sim.account_sid, sim.auth_token),
                timeout=5,
            )
    relative, spaced = (format_api_request(r, params=False)[1] for r in sim.api_requests)
    assert relative == (
        "      Twilio error 21205: Url is not a valid URL: /voice (Twilio takes absolute http(s) "
        "URLs only: write the base URL the app is routed under (sim.route) before '/voice')"
    )
    assert spaced == "      Twilio error 21205: Url is not a valid URL: https://app.test/ voice"


def test_a_404_for_another_accounts_call_names_the_calls_account_and_the_paths() -> None:
    # a call-centre sample under pytest --twimlsim: the test places the caller's call on the
    # simulator's account; the app's client, made with other credentials, updates it
    import requests

    from twimlsim import Simulator
    from twimlsim.report import format_call

    with Simulator(strict=False) as sim:
        other = sim.subaccount("the app's")
        sim.number("+15005550006", voice_url="https://app.test/voice")
        call = sim.incoming_call(from_="+15558675310", to="+15005550006")
        requests.post(
            f"https://api.twilio.com/2010-04-01/Accounts/{other.sid}/Calls/{call.sid}.json",
            data={"Twiml": "<Response/>"},
            auth=(other.sid, other.auth_token),
            timeout=5,
        )
        lines = format_call(call, params=False).splitlines()
    path = f"/2010-04-01/Accounts/{other.sid}/Calls/{call.sid}.json"
    assert lines[-2:] == [
        f"  09:00:00  calls.update POST {path} -> 404",
        f"      Twilio error 20404: The requested resource {path} was not found (call "
        f"{call.sid} is of account {sim.account_sid}, not of {other.sid}, the account this "
        "request's path names: as on Twilio, an account reaches only its own calls; the "
        "client that sent it was made with the credentials of another account than the "
        "call's (under pytest --twimlsim an account opened from them, when they are the "
        "suite's own: a call the test placed with sim.incoming_call or sim.client() is the "
        "simulator's account's); give the app sim.account_sid and sim.auth_token, or "
        "sim.client(), where it makes its client)",
    ]

"""``pytest --twimlsim`` promises that an existing suite runs offline, yet a session- or
module-scoped fixture's teardown (run after the last test's simulator had stopped) sent
its requests to the real Twilio, with the credentials the app holds: "release the numbers
the suite bought" released real ones. Outside the tests' simulators Twilio's hosts are now
refused to every thread, saying why; a test marked ``no_twimlsim`` still reaches them."""

from __future__ import annotations

import pytest

from twimlsim.transports import left_behind

pytest_plugins = ["pytester"]

BLOCKED = (
    "pytest --twimlsim blocked a connection to api.twilio.com:443 made while no simulator "
    "ran, in the thread 'MainThread': outside the tests' own simulators (in a session-, "
    "package-, module- or class-scoped fixture's setup or teardown, or as a conftest or "
    "test module is imported), where it would reach the real Twilio with the credentials "
    "the app holds. Give such a fixture a simulator of its own (with "
    "Simulator(accept_any_credentials=True): around its setup and around its teardown), "
    "make it function-scoped so that each test's simulator answers it, or mark the tests "
    "that need the real Twilio no_twimlsim"
)

SUITE = """
import pytest
import requests

NUMBERS = "https://api.twilio.com/2010-04-01/Accounts/AC{}/IncomingPhoneNumbers.json"
seen = []


def list_numbers():
    try:
        answer = requests.get(NUMBERS.format("1" * 32), auth=("AC" + "1" * 32, "t"))
    except Exception as error:
        return f"{type(error).__name__}: {error}"
    return answer.status_code


@pytest.fixture(scope="module")
def numbers():
    seen.append(("setup", list_numbers()))
    yield
    seen.append(("teardown", list_numbers()))


def test_a_uses_them(numbers):
    pass


@pytest.mark.no_twimlsim
def test_b_reaches_the_network_itself():
    seen.append(("opted out", list_numbers()))


def test_c_last():
    pass
"""

LAST = """
from test_numbers import seen


def test_d_reads(capsys):
    with capsys.disabled():
        for when, what in seen:
            print(f"\\n{when}: {str(what)[:120]}")
"""


def test_a_module_fixture_s_teardown_is_refused_and_an_opted_out_test_is_not(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(test_numbers=SUITE, test_reads=LAST)
    result = pytester.runpytest(
        "-p", "no:randomly", "--twimlsim", "test_numbers.py", "test_reads.py"
    )
    result.assert_outcomes(passed=4)
    lines = [
        line for line in result.outlines if line.split(":")[0] in ("setup", "opted out", "teardown")
    ]
    assert lines[0] == "setup: 200"  # the first test's simulator answers it
    assert lines[1].startswith("opted out: ")  # a ConnectionError with no network
    assert "twimlsim" not in lines[1]
    assert lines[2] == f"teardown: NetworkEscapeError: {BLOCKED}"[:130]
    assert left_behind._EVERYWHERE == []  # the inner session's refusal ended with it


def test_an_error_at_teardown_names_the_fixture_s_request(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest
        import requests


        @pytest.fixture(scope="session")
        def bought():
            yield
            requests.delete("https://api.twilio.com/2010-04-01/Accounts/AC1/X.json")


        def test_one(bought):
            pass
        """
    )
    result = pytester.runpytest("-p", "no:randomly", "--twimlsim")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines([f"E   *NetworkEscapeError: {BLOCKED}".replace("[", "[[]")])


def test_without_the_option_nothing_is_refused(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import socket

        from twimlsim.errors import NetworkEscapeError


        def test_looks_up():
            try:
                socket.getaddrinfo("api.twilio.com", 443)
            except NetworkEscapeError:
                raise
            except OSError:
                pass
        """
    )
    pytester.runpytest("-p", "no:randomly").assert_outcomes(passed=1)

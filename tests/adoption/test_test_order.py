"""Each test stands alone: random order (pytest-randomly), repeats (pytest-repeat), ``-x``
and a suite without sockets (pytest-socket) give every test the same simulated world, and
nothing a simulator patched outlives it. Also a suite run with pytest-responses, which
mocks every test."""

from __future__ import annotations

import warnings
from typing import Any

import pytest
import pytest_socket
import requests

from twimlsim import Simulator
from twimlsim.errors import ConfigurationError

pytest_plugins = ["pytester"]

SUITE = """
import datetime

import pytest
import requests
import responses

from twimlsim import Simulator

ORIGINAL_SEND = requests.adapters.HTTPAdapter.send
ORIGINAL_FIND = responses.RequestsMock._find_match
FIRST = (
    "CAee4a56ad3092da64d5ba892549669298",
    datetime.datetime(2026, 1, 1, 9, 0, 1, tzinfo=datetime.timezone.utc),
    "GV3QXQV0ll2WEHY6nBOEW5HQ4Zc=",
)


def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/xml")])
    return [b"<Response><Say>Hi</Say></Response>"]


def place(sim):
    assert sim.calls == {} and sim.requests == []
    sim.route("https://app.test", app)
    sim.number("+15005550006")
    call = sim.client().calls.create(
        to="+15558675310", from_="+15005550006", url="https://app.test/voice"
    )
    sim.run()
    return call.sid, sim.now, sim.calls[call.sid].requests[0].headers["X-Twilio-Signature"]


@pytest.mark.parametrize("n", range(3))
def test_fixture(twimlsim, n):
    assert place(twimlsim) == FIRST


@pytest.mark.twimlsim(seed=0)
def test_marker(twimlsim):
    assert place(twimlsim) == FIRST


def test_with_block():
    with Simulator() as sim:
        assert place(sim) == FIRST


def test_nothing_left():
    assert requests.adapters.HTTPAdapter.send is ORIGINAL_SEND
    assert responses.RequestsMock._find_match is ORIGINAL_FIND
    assert datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0) != FIRST[1]
    assert responses.mock.registered() == []
"""


def test_random_order_repeats_and_no_sockets_give_each_test_the_same_world(
    pytester: pytest.Pytester,
) -> None:
    # pytest-socket's --disable-socket too: the simulator needs none, and the app's clock
    # is frozen without making an event loop (which needs a socketpair)
    pytester.makepyfile(test_suite=SUITE)
    arguments = ["-p", "randomly", "--randomly-seed", "1", "-p", "repeat", "--count", "2"]
    result = pytester.runpytest("-p", "no:cacheprovider", "-x", "--disable-socket", *arguments)
    result.assert_outcomes(passed=12)


def test_a_suite_under_pytest_responses(pytester: pytest.Pytester) -> None:
    # pytest-responses starts responses' mock in every test, and gives a RequestsMock
    # fixture: the simulator answers Twilio beside both, in either fixture order
    pytester.makepyfile(
        test_mocked="""
import pytest
import requests

OTHER = "https://crm.example.com/lookup"


def place(sim):
    sim.number("+15005550006")
    return sim.client().calls.create(
        to="+15558675310", from_="+15005550006", twiml="<Response/>"
    ).sid


def test_global_mock(twimlsim):
    import responses
    responses.get(OTHER, json={"name": "Ada"})
    assert requests.get(OTHER).json() == {"name": "Ada"}
    assert place(twimlsim) == "CAee4a56ad3092da64d5ba892549669298"


@pytest.mark.parametrize("order", ["fixture-first", "simulator-first"])
def test_fixture(request, order):
    names = ["responses", "twimlsim"] if order == "fixture-first" else ["twimlsim", "responses"]
    fixtures = {name: request.getfixturevalue(name) for name in names}
    fixtures["responses"].get(OTHER, json={"name": "Bo"})
    assert requests.get(OTHER).json() == {"name": "Bo"}
    assert place(fixtures["twimlsim"]) == "CAee4a56ad3092da64d5ba892549669298"


def test_unregistered_urls_are_still_refused(twimlsim):
    with pytest.raises(requests.ConnectionError, match="Connection refused by Responses"):
        requests.get("https://unregistered.example.com/")
"""
    )
    send = requests.adapters.HTTPAdapter.send
    try:
        result = pytester.runpytest("-p", "pytest-responses", "-p", "no:cacheprovider")
    finally:
        # pytest-responses stops its mock of every test before the test's fixtures end, so
        # its `responses` fixture puts that stopped mock back into requests when it ends,
        # twimlsim or not: undo it for the tests that run after this one in this process
        requests.adapters.HTTPAdapter.send = send  # type: ignore[method-assign]
    result.assert_outcomes(passed=4)


async def asgi_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """An ASGI app that answers nothing (its lifespan included)."""


@pytest.mark.parametrize("allow_unix_socket", [False, True])
def test_an_asgi_app_where_every_socket_is_forbidden_is_refused_saying_what_to_allow(
    allow_unix_socket: bool,
) -> None:
    # an ASGI app's event loop needs a Unix socket pair: it was pytest-socket's bare
    # "A test tried to use socket.socket." from inside asyncio
    with Simulator() as sim, warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # pytest-socket warns, then raises
        pytest_socket.disable_socket(allow_unix_socket=allow_unix_socket)
        try:
            if allow_unix_socket:
                sim.route("https://app.test", asgi_app)
                return
            with pytest.raises(ConfigurationError) as refused:
                sim.route("https://app.test", asgi_app)
        finally:
            pytest_socket.enable_socket()
    assert str(refused.value) == (
        f"{asgi_app!r} is an ASGI app, which runs on an asyncio event loop, and making one "
        "failed (SocketBlockedError: A test tried to use socket.socket.): a loop wakes "
        "itself through a pair of Unix sockets, which pytest-socket's --disable-socket "
        "blocks; add --allow-unix-socket (no network socket is opened)"
    )

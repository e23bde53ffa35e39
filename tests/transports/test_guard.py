"""While a simulator runs, no Twilio host name resolves: nothing can connect to Twilio."""

from __future__ import annotations

import contextlib
import socket

import pytest

from twimlsim import Simulator
from twimlsim.errors import NetworkEscapeError
from twimlsim.transports.guard import TWILIO_HOST, routing_message


@pytest.mark.parametrize(
    "host", ["api.twilio.com", "API.Twilio.COM", "api.dublin.ie1.twilio.com", "twilio.com."]
)
def test_twilio_names_do_not_resolve(host: str) -> None:
    with Simulator(strict=False), pytest.raises(NetworkEscapeError) as raised:
        socket.getaddrinfo(host, 443)
    assert str(raised.value) == routing_message(host, 443)
    assert str(raised.value).startswith(f"twimlsim blocked a connection to {host}:443: ")


def test_every_resolver_function_is_guarded_and_restored() -> None:
    originals = (socket.getaddrinfo, socket.gethostbyname, socket.gethostbyname_ex)
    with Simulator(strict=False):
        for resolve in (socket.gethostbyname, socket.gethostbyname_ex):
            with pytest.raises(NetworkEscapeError):
                resolve("api.twilio.com")
        with pytest.raises(NetworkEscapeError):
            socket.create_connection(("api.twilio.com", 443), timeout=1)
        with pytest.raises(NetworkEscapeError):
            socket.getaddrinfo(b"api.twilio.com", 443)
        assert socket.getaddrinfo("127.0.0.1", 80)[0][4][0] == "127.0.0.1"
    assert (socket.getaddrinfo, socket.gethostbyname, socket.gethostbyname_ex) == originals


def test_a_swallowed_escape_is_raised_again_by_the_check() -> None:
    with pytest.raises(NetworkEscapeError) as raised, Simulator():
        for _ in range(2):
            with contextlib.suppress(NetworkEscapeError):  # the code under test swallows it
                socket.getaddrinfo("api.twilio.com", 443)
    assert str(raised.value) == routing_message("api.twilio.com", 443) + " (2 attempts)"
    assert isinstance(raised.value.__cause__, NetworkEscapeError)


@pytest.mark.parametrize(
    ("host", "blocked"),
    [
        ("twilio.com", True),
        ("x.y.twilio.com", True),
        ("nottwilio.com", False),
        ("twilio.com.evil.test", False),
        ("app.test", False),
    ],
)
def test_only_twilio_hosts_are_blocked(host: str, blocked: bool) -> None:
    assert (TWILIO_HOST.match(host) is not None) is blocked

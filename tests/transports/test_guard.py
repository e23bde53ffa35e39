"""While a simulator runs, no Twilio host name resolves: nothing can connect to Twilio."""

from __future__ import annotations

import contextlib
import socket
from typing import Any

import pytest
import requests

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


def test_the_routing_message_names_every_client_answered() -> None:
    assert routing_message("api.twilio.com", 443) == (
        "twimlsim blocked a connection to api.twilio.com:443: this request to Twilio did not "
        "go through a transport the simulator answers, so it would have reached the real "
        "Twilio. twimlsim answers the twilio client's own transports (TwilioHttpClient, the "
        "default, over requests; AsyncTwilioHttpClient over aiohttp) and any request made "
        "with requests, urllib.request, urllib3, httpx, httpx2 or aiohttp. Route it: build "
        "the client as Client(account_sid, auth_token) or with "
        "http_client=AsyncTwilioHttpClient(), or make your custom HttpClient (or download) "
        "send with requests (a requests.Session), urllib.request, urllib3, httpx, httpx2 or "
        "aiohttp (a ClientSession on a TCPConnector, the default), or point it at `twimlsim "
        "serve`."
    )


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


#: What a failed lookup of a host sim.route serves adds to the resolver's own words.
ROUTED_ONLY = (
    "myapp.test is served by sim.route('https://myapp.test', app) for Twilio's webhooks only: "
    "twimlsim answers no other request to it, the test's own or one the app sends itself. "
    "Reach the app with its test client (Flask's app.test_client(), Django's Client, "
    "Starlette's or FastAPI's TestClient(app)) or call its code directly"
)


def routed_app(environ: object, start_response: Any) -> list[bytes]:
    start_response("200 OK", [("Content-Type", "text/xml")])
    return [b"<Response/>"]


def test_a_routed_host_that_does_not_resolve_says_it_serves_webhooks_only() -> None:
    """A test that posts to its routed app's URL with requests met a bare 'Name or service
    not known', as if the route did not exist."""
    with Simulator() as sim:
        sim.route("https://MyApp.test", routed_app)
        for host in ("myapp.test", b"MYAPP.test."):
            with pytest.raises(socket.gaierror) as raised:
                socket.getaddrinfo(host, 443)
            assert raised.value.args[1].split("; ", 1)[1] == ROUTED_ONLY
        with pytest.raises(requests.ConnectionError) as failed:
            requests.post("https://myapp.test/voice", timeout=5)
        assert f"; {ROUTED_ONLY}" in str(failed.value)
        # a name no route serves fails in the resolver's words alone
        with pytest.raises(socket.gaierror) as unrouted:
            socket.getaddrinfo("other.test", 443)
        assert "sim.route" not in str(unrouted.value)
    with pytest.raises(socket.gaierror) as stopped:  # the simulator's routes are gone
        socket.getaddrinfo("myapp.test", 443)
    assert "sim.route" not in str(stopped.value)


def _no_such_name(host: Any, *args: Any, **kwargs: Any) -> Any:
    raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")


def test_a_name_in_bytes_that_is_not_idna_fails_as_the_lookup_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """b'\\xff' was decoded as IDNA to be matched: a UnicodeDecodeError out of the lookup
    (and out of a failed lookup's hint), not the resolver's gaierror."""
    monkeypatch.setattr(socket, "getaddrinfo", _no_such_name)
    with Simulator(strict=False) as sim:
        sim.route("https://app.test", lambda environ, start_response: [])
        with pytest.raises(socket.gaierror) as failed:
            socket.getaddrinfo(b"\xff", 443)
        assert failed.value.args == (socket.EAI_NONAME, "Name or service not known")
        with pytest.raises(NetworkEscapeError) as refused:
            socket.getaddrinfo(b"api.twilio.com", 443)
    assert str(refused.value) == routing_message("api.twilio.com", 443)


def test_pytest_twimlsim_lets_a_name_in_bytes_that_is_not_idna_fail_as_it_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Under --twimlsim every lookup of the session is checked, outside simulators too."""
    from twimlsim.transports import left_behind

    monkeypatch.setattr(socket, "getaddrinfo", _no_such_name)
    left_behind.refuse_everywhere()
    try:
        with pytest.raises(socket.gaierror) as failed:
            socket.getaddrinfo(b"\xff", 443)
        with pytest.raises(NetworkEscapeError) as refused:
            socket.getaddrinfo(b"api.twilio.com", 443)
    finally:
        left_behind.refuse_no_more()
    assert failed.value.args == (socket.EAI_NONAME, "Name or service not known")
    assert str(refused.value).startswith(
        "pytest --twimlsim blocked a connection to api.twilio.com:443 made while no "
        "simulator ran, in the thread 'MainThread': "
    )

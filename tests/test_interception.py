"""What the simulator intercepts: Twilio's hosts only; every other URL passes through."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import requests
import responses
from werkzeug.wrappers import Request, Response

from tests.support import served_locally
from twimlsim import Simulator
from twimlsim.engine.webhooks import WebhookRequest
from twimlsim.transports.wsgi import WSGITransport


@pytest.fixture
def local_server() -> Iterator[str]:
    @Request.application
    def hello(request: Request) -> Response:
        return Response(f"real server saw {request.path}")

    with served_locally(hello) as url:
        yield url


def test_other_urls_pass_through_to_the_network(local_server: str) -> None:
    with Simulator():
        response = requests.get(f"{local_server}/ping", timeout=5)
    assert response.text == "real server saw /ping"


@pytest.mark.parametrize(
    ("host", "status", "code"),
    [
        ("api.twilio.com", 404, 20404),
        ("api.dublin.ie1.twilio.com", 404, 20404),
        ("messaging.twilio.com", 501, 20500),  # another product: answered, never sent
    ],
)
def test_every_twilio_host_is_answered_offline(host: str, status: int, code: int) -> None:
    with Simulator(allow_codes=[20500]) as sim:  # the 501 of another product, on purpose
        response = requests.get(
            f"https://{host}/2010-04-01/Accounts/{sim.account_sid}/Nothing.json",
            auth=(sim.account_sid, sim.auth_token),
            timeout=5,
        )
    assert (response.status_code, response.json()["code"]) == (status, code)


def test_interception_ends_with_the_simulator() -> None:
    original = requests.adapters.HTTPAdapter.send
    with Simulator():
        assert requests.adapters.HTTPAdapter.send is not original
        assert responses.mock.registered() == []  # a later mock asks the simulator itself
    assert requests.adapters.HTTPAdapter.send is original
    assert responses.mock.registered() == []


def test_interceptor_keeps_no_growing_log_of_its_own() -> None:
    with Simulator() as sim:
        sim.number("+15005550006")
        client = sim.client()
        for _ in range(3):
            client.calls.create(to="+15558675310", from_="+15005550006", twiml="<Response/>")
        mock = sim._interceptor.mock
        assert mock is not None
        # the twilio client's requests are answered without going through responses
        assert len(mock.calls) == 0
        url = f"https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}/Calls.json"
        for _ in range(3):  # another client's go through responses, which keeps the last
            assert requests.get(url, auth=(sim.account_sid, sim.auth_token)).status_code == 200
        assert len(mock.calls) == 1
        assert sum(len(route.calls) for route in mock.registered()) == 1


def test_the_first_request_through_requests_finds_the_routes_in_place(local_server: str) -> None:
    # the simulator's responses routes are added at the mock's first lookup: a request to
    # another host first still passes through, and a Twilio one then is still answered,
    # in each start of the same simulator
    sim = Simulator()
    url = f"https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}.json"
    for _ in range(2):
        with sim:
            mock = sim._interceptor.mock
            assert mock is not None and mock.registered() == []
            assert requests.get(f"{local_server}/first", timeout=5).text == (
                "real server saw /first"
            )
            answer = requests.get(url, auth=(sim.account_sid, sim.auth_token), timeout=5)
            assert (answer.status_code, answer.json()["sid"]) == (200, sim.account_sid)
            assert len(mock.registered()) == 1
        assert sim._interceptor._routes == []


def test_routes_need_an_absolute_http_base_url() -> None:
    with Simulator() as sim, pytest.raises(ValueError) as raised:
        sim.route("app.test", Response("x"))
    assert str(raised.value) == (
        "sim.route('app.test', ...): base_url 'app.test' is not an absolute http(s) URL with "
        "a host; give the app's base URL, such as 'https://app.test'"
    )


def test_gzip_answers_of_in_process_apps_are_decoded() -> None:
    @Request.application
    def gzipped(request: Request) -> Response:
        return Response(
            gzip.compress(b"<Response><Say>Zipped</Say></Response>"),
            content_type="text/xml",
            headers={"Content-Encoding": "gzip"},
        )

    transport = WSGITransport()
    transport.mount("https://app.test", gzipped)
    answer = transport.send(
        WebhookRequest(
            method="POST",
            url="https://app.test/voice",
            params={},
            headers={},
            kind="voice",
            call_sid="CA" + "0" * 32,
            at=datetime(2026, 1, 1, tzinfo=UTC),
        )
    )
    assert (answer.status, answer.body) == (200, b"<Response><Say>Zipped</Say></Response>")
    assert [k for k, _ in answer.headers if k.lower() == "content-encoding"] == []


def _create(sim: Simulator) -> str:
    sim.number("+15005550006")
    call = sim.client().calls.create(to="+15558675310", from_="+15005550006", twiml="<Response/>")
    return str(call.status)


@responses.activate
def test_a_simulator_inside_a_tests_own_responses_mock_passes_its_requests_on() -> None:
    responses.add(responses.GET, "https://other.example/api", json={"ok": True})
    with Simulator() as sim:
        assert _create(sim) == "queued"
        assert requests.get("https://other.example/api", timeout=5).json() == {"ok": True}
    assert [call.request.url for call in responses.calls] == ["https://other.example/api"]


def test_a_tests_own_responses_mock_inside_a_simulator_still_reaches_twilio() -> None:
    with Simulator() as sim:
        responses.start()  # what @responses.activate does inside a test using the fixture
        try:
            responses.add(responses.GET, "https://other.example/api", json={"ok": True})
            assert requests.get("https://other.example/api", timeout=5).json() == {"ok": True}
            assert _create(sim) == "queued"
        finally:
            responses.stop()
            responses.reset()
    assert responses.mock.registered() == []


def test_the_client_is_the_twilio_packages_client_as_it_is_now(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # sim.client() reads twilio.rest.Client when called: a test's patch of it is seen
    import twilio.rest

    made: list[tuple[str, str]] = []

    class RecordingClient(twilio.rest.Client):  # type: ignore[misc]
        def __init__(self, username: str, password: str, **kwargs: object) -> None:
            made.append((username, password))
            super().__init__(username, password, **kwargs)

    with Simulator() as sim:
        assert type(sim.client()) is twilio.rest.Client
        monkeypatch.setattr(twilio.rest, "Client", RecordingClient)
        client = sim.client()
        assert type(client) is RecordingClient
        assert made == [(sim.account_sid, sim.auth_token)]
        assert client.api.v2010.accounts(sim.account_sid).fetch().sid == sim.account_sid

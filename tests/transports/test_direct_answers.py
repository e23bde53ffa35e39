"""twilio-python's requests answered in ``requests.Session.send``: the same response
requests and ``responses`` build, and the usual way whenever something else is in the way."""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Iterator
from typing import Any
from unittest import mock

import pytest
import requests
import responses
from requests.adapters import HTTPAdapter
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client
from urllib3.util.retry import Retry

from twimlsim import Simulator
from twimlsim.transports.direct_answers import _response

OWN_SEND = requests.Session.send


class _Seen(TwilioHttpClient):
    """Keeps every ``requests.Response`` the client got (the client logs each)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.seen: list[requests.Response] = []

    def log_response(self, status_code: int, response: Any) -> None:
        self.seen.append(response)
        super().log_response(status_code, response)


class _SameAdapter(HTTPAdapter):
    """An adapter subclass that changes nothing: its requests take the usual way."""


def _traffic(sim: Simulator, client: Client) -> None:
    """Answers of every shape: created, read, listed, updated, deleted, and refused."""
    sim.number("+15005550006")
    call = client.calls.create(to="+15558675310", from_="+15005550006", twiml="<Response/>")
    client.calls(call.sid).fetch()
    client.calls.list(limit=2)
    client.calls(call.sid).update(status="canceled")
    refused = (
        lambda: client.calls.create(to="nope", from_="+15005550006", twiml="<Response/>"),
        lambda: client.calls("CA" + "0" * 32).fetch(),
        lambda: client.calls(call.sid).recordings.create(),
    )
    codes = []
    for request in refused:
        with pytest.raises(TwilioRestException) as raised:
            request()
        codes.append(raised.value.code)
    assert codes == [21211, 20404, 21220]
    client.calls(call.sid).delete()


def _described(response: requests.Response) -> dict[str, Any]:
    return {
        "status": response.status_code,
        "reason": response.reason,
        "headers": list(response.headers.items()),
        "content": response.content,
        "text": response.text,
        "encoding": response.encoding,
        "url": response.url,
        "request": (
            response.request.method,
            response.request.url,
            dict(response.request.headers),
            response.request.body,
        ),
        "history": response.history,
        "is_redirect": response.is_redirect,
        "next": response.next,
        "cookies": response.cookies.get_dict(),
        "connection": type(response.connection),  # type: ignore[attr-defined]
    }


def _responses_of(adapter: type[HTTPAdapter] | None) -> tuple[list[dict[str, Any]], int]:
    """What the client got for ``_traffic``, and how many requests went through responses."""
    with Simulator(seed=7) as sim:
        http = _Seen()
        if adapter is not None:
            assert http.session is not None
            http.session.mount("https://", adapter())
        client = Client(sim.account_sid, sim.auth_token, http_client=http)
        through_responses = 0
        mock_of_sim = sim._interceptor.mock
        assert mock_of_sim is not None
        on_request = mock_of_sim._on_request

        def counted(*args: Any, **kwargs: Any) -> Any:
            nonlocal through_responses
            through_responses += 1
            return on_request(*args, **kwargs)

        mock_of_sim._on_request = counted  # type: ignore[method-assign]
        _traffic(sim, client)
        return [_described(response) for response in http.seen], through_responses


def test_the_direct_answer_is_the_response_requests_and_responses_build() -> None:
    direct, through_responses = _responses_of(None)
    usual, through_responses_usual = _responses_of(_SameAdapter)
    assert through_responses == 0
    assert through_responses_usual == len(usual) == 8
    for got, expected in zip(direct, usual, strict=True):
        expected["connection"] = HTTPAdapter  # the only difference is the adapter's class
        assert got == expected
    assert [d["status"] for d in direct] == [201, 200, 200, 200, 400, 404, 400, 204]
    assert direct[0]["headers"] == [
        ("Content-Type", "application/json"),
        ("Content-Length", str(len(direct[0]["content"]))),
    ]
    assert direct[-1]["headers"] == [("Content-Type", "text/plain; charset=utf-8")]


@pytest.fixture
def simulator() -> Iterator[Simulator]:
    with Simulator() as sim:
        sim.number("+15005550006")
        yield sim


def _went_through_responses(sim: Simulator, act: Callable[[], object]) -> bool:
    mock_of_sim = sim._interceptor.mock
    assert mock_of_sim is not None
    mock_of_sim.calls.reset()
    act()
    return len(mock_of_sim.calls) == 1


def _create(client: Client) -> Callable[[], object]:
    return lambda: client.calls.create(to="+15558675310", from_="+15005550006", twiml="<Response/>")


def test_a_plain_client_is_answered_directly(simulator: Simulator) -> None:
    assert not _went_through_responses(simulator, _create(simulator.client()))


def test_retries_on_a_status_take_the_usual_way(simulator: Simulator) -> None:
    http = TwilioHttpClient()
    assert http.session is not None
    http.session.mount("https://", HTTPAdapter(max_retries=Retry(3, status_forcelist=[500])))
    client = Client(simulator.account_sid, simulator.auth_token, http_client=http)
    assert _went_through_responses(simulator, _create(client))


def test_response_hooks_see_the_usual_response(simulator: Simulator) -> None:
    hooked: list[int] = []
    http = TwilioHttpClient(
        request_hooks={"response": [lambda response, **_: hooked.append(response.status_code)]}
    )
    client = Client(simulator.account_sid, simulator.auth_token, http_client=http)
    assert _went_through_responses(simulator, _create(client))
    assert hooked == [201]


def test_a_mock_started_since_is_asked_first(simulator: Simulator) -> None:
    client = simulator.client()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.post(
            f"https://api.twilio.com/2010-04-01/Accounts/{simulator.account_sid}/Calls.json",
            json={"sid": "CA" + "9" * 32, "status": "queued"},
            status=201,
        )
        assert _create(client)().sid == "CA" + "9" * 32
    assert simulator.calls == {}


def test_a_session_send_patched_before_the_simulator_stays_in_charge() -> None:
    answered = requests.Response()
    answered.status_code, answered._content = 201, b'{"sid": "CA' + b"8" * 32 + b'"}'
    with (
        mock.patch.object(requests.Session, "send", return_value=answered) as send,
        Simulator() as sim,
    ):
        assert requests.Session.send is send
        call = _create(sim.client())()
        assert call.sid == "CA" + "8" * 32
        assert sim.calls == {}
    assert requests.Session.send is OWN_SEND


def test_send_is_requests_own_again_after_the_last_simulator_stops() -> None:
    with Simulator() as outer:
        patched = requests.Session.send
        assert patched is not OWN_SEND
        with Simulator() as inner:
            assert requests.Session.send is patched
            inner.number("+15005550006")
            call = _create(inner.client())()
            assert set(inner.calls) == {call.sid}
        assert requests.Session.send is patched
        outer.number("+15005550006")
        assert not _went_through_responses(outer, _create(outer.client()))
    assert requests.Session.send is OWN_SEND


def test_a_send_kept_by_a_wrapper_after_the_simulator_stops_passes_requests_on() -> None:
    with Simulator():
        direct = requests.Session.send  # what a library wrapping send now would keep
    with responses.RequestsMock() as rsps:
        rsps.get("https://api.twilio.com/x", body="from the test's mock")
        prepared = requests.Request(
            "GET", "https://api.twilio.com/x", headers={"User-Agent": "twilio-python/9.0"}
        ).prepare()
        assert direct(requests.Session(), prepared).text == "from the test's mock"


@pytest.mark.parametrize(
    "headers",
    [{}, {"X-Twilio-Thing": "1"}, {"Content-Type": "application/json", "X-A": "b"}],
)
def test_headers_are_those_responses_gives(headers: dict[str, str]) -> None:
    url = "https://api.twilio.com/2010-04-01/x.json"
    with responses.RequestsMock() as rsps:
        rsps.add_callback("GET", url, callback=lambda _: (200, headers, b"{}"))
        usual = requests.get(url, timeout=5)
    direct = _response(usual.request, HTTPAdapter(), 200, headers, b"{}")
    assert list(direct.headers.items()) == list(usual.headers.items())
    assert (direct.encoding, direct.reason, direct.text) == (usual.encoding, "OK", "{}")


def _twilio_style_request(sim: Simulator) -> requests.PreparedRequest:
    return requests.Request(
        "GET",
        f"https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}/Calls.json",
        auth=(sim.account_sid, sim.auth_token),
        headers={"User-Agent": "twilio-python/9.0"},
    ).prepare()


@pytest.mark.parametrize("by", ["argument", "session"])
def test_a_streamed_request_takes_the_usual_way_and_its_raw_body_can_be_read(
    simulator: Simulator, by: str
) -> None:
    session = requests.Session()
    request = _twilio_style_request(simulator)
    if by == "session":
        session.stream = True
        send: Callable[[], requests.Response] = lambda: session.send(request)  # noqa: E731
    else:
        send = lambda: session.send(request, stream=True)  # noqa: E731
    responses_seen: list[requests.Response] = []
    assert _went_through_responses(simulator, lambda: responses_seen.append(send()))
    assert responses_seen[0].raw.read(10) == b'{"calls": '


def test_a_tracing_wrapper_of_send_sees_every_twilio_request() -> None:
    traced: list[str] = []

    @functools.wraps(OWN_SEND)
    def traced_send(session: requests.Session, request: Any, **kwargs: Any) -> Any:
        traced.append(f"{request.method} {request.url}")
        return OWN_SEND(session, request, **kwargs)

    with mock.patch.object(requests.Session, "send", traced_send), Simulator() as sim:
        assert requests.Session.send is traced_send  # left in charge
        sim.number("+15005550006")
        call = _create(sim.client())()
        assert set(sim.calls) == {call.sid}
    assert traced == [
        f"POST https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}/Calls.json"
    ]


@pytest.mark.parametrize(
    "body",
    [
        lambda form: (piece for piece in (form[:10], form[10:])),  # streamed, chunked
        lambda form: iter([form.decode()]),
        lambda form: io.BytesIO(form),
    ],
    ids=["generator", "str pieces", "file"],
)
def test_a_body_given_as_a_generator_or_a_file_is_read_as_the_form_it_streams(
    body: Callable[[bytes], Any],
) -> None:
    # a generator was a raw "TypeError: object of type 'generator' has no len()"
    form = b"To=%2B15558675310&From=%2B15005550006&Twiml=%3CResponse%2F%3E"
    with Simulator() as sim:
        sim.number("+15005550006")
        answer = requests.post(
            f"https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}/Calls.json",
            data=body(form),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            auth=(sim.account_sid, sim.auth_token),
            timeout=5,
        )
        sim.run()
    assert (answer.status_code, answer.json()["to"]) == (201, "+15558675310")
    (logged,) = sim.api_requests
    assert (logged.kind, logged.params["Twiml"]) == ("calls.create", "<Response/>")

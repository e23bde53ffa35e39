"""requests' preparation of a twilio-python request while a simulator runs: the very
``PreparedRequest`` requests' own ``prepare_request`` makes, attribute by attribute, and
requests' own way for every request the quick one does not cover."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st
from requests.cookies import RequestsCookieJar
from requests.exceptions import InvalidHeader, InvalidURL
from requests.models import RequestEncodingMixin
from requests.structures import CaseInsensitiveDict

from twimlsim import Simulator
from twimlsim.transports import quick_preparation
from twimlsim.transports.quick_preparation import QuickPreparation
from twimlsim.transports.responses import TWILIO_URL, TwilioInterceptor

OWN_PREPARE = requests.Session.prepare_request
ACCOUNT = "AC00000000000000000000000000000000"
API = f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT}"
CALLS = f"{API}/Calls.json"
TWILIO_HEADERS = {
    "User-Agent": "twilio-python/9.13.0 (Linux x86_64) Python/3.11.7",
    "X-Twilio-Client": "python-9.13.0",
    "Accept-Charset": "utf-8",
    "Content-Type": "application/x-www-form-urlencoded",
    "Accept": "application/json",
}
AUTH = (ACCOUNT, "token")


def quick(own: Callable[..., requests.PreparedRequest] = OWN_PREPARE) -> Any:
    """The quick ``prepare_request`` as a running simulator puts it in place, around
    ``own``."""
    return QuickPreparation([object()], TWILIO_URL.match).replacement(own)


def twilio_request(**given: Any) -> requests.Request:
    arguments: dict[str, Any] = {
        "method": "POST",
        "url": CALLS,
        "params": {},
        "data": {"To": "+15558675310", "From": "+15005550006"},
        "headers": dict(TWILIO_HEADERS),
        "auth": AUTH,
        "hooks": {"response": []},
    }
    arguments.update(given)
    return requests.Request(**arguments)


def attributes(prepared: requests.PreparedRequest) -> dict[str, Any]:
    """Everything a ``PreparedRequest`` holds, comparable: the headers with their case and
    order, and the cookie jar's cookies (a jar compares by identity)."""
    found = dict(vars(prepared))
    assert type(found.pop("headers")) is CaseInsensitiveDict
    jar = found.pop("_cookies")
    assert type(jar) is RequestsCookieJar
    return {
        **found,
        "headers": list(prepared.headers.items()),
        "_cookies": list(jar),
    }


def both(session: requests.Session, request: requests.Request) -> tuple[Any, Any]:
    return attributes(quick()(session, request)), attributes(OWN_PREPARE(session, request))


def test_a_calls_create_is_prepared_as_requests_prepares_it() -> None:
    session = requests.Session()
    request = twilio_request(
        data={
            "To": "+15558675310",
            "From": "+15005550006",
            "Url": "https://ivr.test/voice?lang=fr&x=é",
            "StatusCallbackEvent": ["initiated", "answered", "completed"],
            "Timeout": 30,
            "Record": True,
            "SendDigits": None,
        }
    )
    ours, own = both(session, request)
    assert ours == own
    assert ours["body"] == (
        "To=%2B15558675310&From=%2B15005550006&Url=https%3A%2F%2Fivr.test%2Fvoice%3Flang%3Dfr"
        "%26x%3D%C3%A9&StatusCallbackEvent=initiated&StatusCallbackEvent=answered"
        "&StatusCallbackEvent=completed&Timeout=30&Record=True"
    )
    assert ours["headers"] == [
        ("User-Agent", "twilio-python/9.13.0 (Linux x86_64) Python/3.11.7"),
        ("Accept-Encoding", "gzip, deflate"),
        ("Accept", "application/json"),
        ("Connection", "keep-alive"),
        ("X-Twilio-Client", "python-9.13.0"),
        ("Accept-Charset", "utf-8"),
        ("Content-Type", "application/x-www-form-urlencoded"),
        ("Content-Length", "209"),
        ("Authorization", "Basic QUMwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDp0b2tlbg=="),
    ]
    assert ours["method"] == "POST"
    assert ours["url"] == CALLS


def test_a_fetch_a_filtered_list_and_a_delete_are_prepared_as_requests_prepares_them() -> None:
    session = requests.Session()
    headers = {k: v for k, v in TWILIO_HEADERS.items() if k != "Content-Type"}
    fetch = twilio_request(method="GET", url=f"{API}/Calls/CA{'0' * 32}.json", data=None)
    listing = twilio_request(
        method="GET",
        url=CALLS,
        params={"To": "+15558675310", "Status": None, "PageSize": 50},
        data=None,
        headers=headers,
    )
    delete = twilio_request(method="DELETE", url=f"{API}/Calls/CA{'0' * 32}.json", data=None)
    for request in (fetch, listing, delete):
        ours, own = both(session, request)
        assert ours == own
    ours, _ = both(session, listing)
    assert ours["url"] == f"{CALLS}?To=%2B15558675310&PageSize=50"
    assert ours["body"] is None
    ours, _ = both(session, delete)
    assert ("Content-Length", "0") in ours["headers"]


def test_the_sessions_own_headers_merge_as_requests_merges_them() -> None:
    session = requests.Session()
    session.headers["X-Trace"] = "abc"
    session.headers["accept"] = "text/xml"  # the request's Accept replaces it, in place
    session.headers["Connection"] = None  # dropped
    request = twilio_request(headers={**TWILIO_HEADERS, "X-Dropped": None, "user-agent": None})
    request.headers["User-Agent"] = TWILIO_HEADERS["User-Agent"]
    ours, own = both(session, request)
    assert ours == own


def test_a_bad_header_or_url_raises_requests_own_error() -> None:
    session = requests.Session()
    with pytest.raises(InvalidHeader) as ours:
        quick()(session, twilio_request(headers={**TWILIO_HEADERS, "X-Bad": "a\nb"}))
    with pytest.raises(InvalidHeader) as own:
        OWN_PREPARE(session, twilio_request(headers={**TWILIO_HEADERS, "X-Bad": "a\nb"}))
    assert str(ours.value) == str(own.value)
    bad_url = "https://api.twilio.com:99999/2010-04-01/Calls.json"
    with pytest.raises(InvalidURL) as ours_url:
        quick()(session, twilio_request(url=bad_url))
    with pytest.raises(InvalidURL) as own_url:
        OWN_PREPARE(session, twilio_request(url=bad_url))
    assert str(ours_url.value) == str(own_url.value)


_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
_value = st.one_of(
    _text,
    st.integers(-(10**6), 10**6),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.lists(_text, max_size=3),
)
_path = st.text(st.sampled_from("abcAZ09-._~%/ é?&=#+"), max_size=12)


@settings(max_examples=150, deadline=None)
@given(
    method=st.sampled_from(["GET", "POST", "DELETE", "post"]),
    path=_path,
    params=st.dictionaries(_text, _value, max_size=3),
    data=st.one_of(st.none(), st.dictionaries(_text, _value, max_size=4)),
    extra=st.dictionaries(
        st.sampled_from(["X-A", "x-twilio-client", "Accept", "Idempotency-Key"]),
        st.one_of(st.none(), st.sampled_from(["1", "v a l", "é"])),
        max_size=2,
    ),
    host=st.sampled_from(["api.twilio.com", "api.dublin.ie1.twilio.com", "API.Twilio.com"]),
)
def test_any_twilio_shaped_request_is_prepared_as_requests_prepares_it(
    method: str,
    path: str,
    params: dict[str, Any],
    data: dict[str, Any] | None,
    extra: dict[str, str | None],
    host: str,
) -> None:
    session = requests.Session()
    request = twilio_request(
        method=method,
        url=f"https://{host}/2010-04-01/Accounts/{ACCOUNT}/{path}",
        params=params,
        data=data,
        headers={**TWILIO_HEADERS, **extra},
    )
    try:
        own = attributes(OWN_PREPARE(session, request))
    except Exception as error:  # requests refuses it: the quick one refuses it alike
        with pytest.raises(type(error)) as raised:
            quick()(session, request)
        assert str(raised.value) == str(error)
        return
    assert attributes(quick()(session, request)) == own


def _cookie_session() -> requests.Session:
    session = requests.Session()
    session.cookies.set("name", "value", domain="api.twilio.com")
    return session


def _session(**attributes: Any) -> Callable[[], requests.Session]:
    def made() -> requests.Session:
        session = requests.Session()
        for name, value in attributes.items():
            setattr(session, name, value)
        return session

    return made


@pytest.mark.parametrize(
    ("make_session", "request_arguments"),
    [
        (_cookie_session, {}),
        (_session(auth=("user", "pass")), {}),
        (_session(params={"a": "1"}), {}),
        (requests.Session, {"cookies": {"a": "1"}}),
        (requests.Session, {"files": {"f": ("a.txt", b"x")}}),
        (requests.Session, {"json": {"a": 1}, "data": None}),
        (requests.Session, {"data": "To=%2B1"}),
        (requests.Session, {"auth": None}),
        (requests.Session, {"url": "https://example.com/Calls.json"}),
        (requests.Session, {"headers": {**TWILIO_HEADERS, "User-Agent": "python-requests"}}),
    ],
    ids=[
        "session-cookies",
        "session-auth",
        "session-params",
        "request-cookies",
        "files",
        "json",
        "text-body",
        "no-auth",
        "not-twilio",
        "not-twilio-python",
    ],
)
def test_anything_else_takes_requests_own_way(
    make_session: Callable[[], requests.Session], request_arguments: dict[str, Any]
) -> None:
    calls: list[requests.Request] = []

    def own(session: requests.Session, request: requests.Request) -> requests.PreparedRequest:
        calls.append(request)
        return OWN_PREPARE(session, request)

    request = twilio_request(**request_arguments)
    quick(own)(make_session(), request)
    assert calls == [request]


def test_a_plain_twilio_request_does_not_take_requests_own_way() -> None:
    calls: list[requests.Request] = []

    def own(session: requests.Session, request: requests.Request) -> requests.PreparedRequest:
        calls.append(request)
        return OWN_PREPARE(session, request)

    quick(own)(requests.Session(), twilio_request())
    assert calls == []


def test_a_prepared_url_is_kept_and_at_most_512_are(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(quick_preparation, "_prepared_urls", {})
    prepared_urls = quick_preparation._prepared_urls
    session = requests.Session()
    quick()(session, twilio_request(url=f"{API}/Calls/CA{'0' * 32}.json"))
    assert prepared_urls == {f"{API}/Calls/CA{'0' * 32}.json": f"{API}/Calls/CA{'0' * 32}.json"}
    for number in range(1, 512):
        quick()(session, twilio_request(url=f"{API}/Calls/CA{number:032d}.json"))
    assert len(prepared_urls) == 512
    quick()(session, twilio_request(url=f"{API}/Calls/CA{'1' * 32}.json"))
    assert list(prepared_urls) == [f"{API}/Calls/CA{'1' * 32}.json"]


def test_the_quick_method_is_in_place_only_while_a_simulator_runs() -> None:
    assert requests.Session.prepare_request is OWN_PREPARE
    with Simulator():
        assert requests.Session.prepare_request is not OWN_PREPARE
        with Simulator():
            assert requests.Session.prepare_request is not OWN_PREPARE
        assert requests.Session.prepare_request is not OWN_PREPARE
    assert requests.Session.prepare_request is OWN_PREPARE


def test_a_wrapper_in_place_is_left_and_the_api_sees_the_same_request(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    received: list[tuple[str, str, list[tuple[str, str]], Any]] = []
    answer = TwilioInterceptor._answer

    def noted(interceptor: TwilioInterceptor, request: requests.PreparedRequest) -> Any:
        received.append((request.method, request.url, list(request.headers.items()), request.body))
        return answer(interceptor, request)

    monkeypatch.setattr(TwilioInterceptor, "_answer", noted)
    in_place: list[Any] = []

    def create() -> None:
        with Simulator(seed=0) as sim:
            sim.number("+15005550006")
            sim.client().calls.create(
                to="+15558675310",
                from_="+15005550006",
                url="https://ivr.test/voice",
                status_callback_event=["initiated", "completed"],
            )
            in_place.append(requests.Session.prepare_request)

    create()
    assert in_place[-1] is not OWN_PREPARE

    def wrapped(session: requests.Session, request: requests.Request) -> Any:
        return OWN_PREPARE(session, request)

    monkeypatch.setattr(requests.Session, "prepare_request", wrapped)
    create()
    assert in_place[-1] is wrapped  # a test's wrapper stays: requests' own way throughout
    quick_made, own_made = received
    assert quick_made == own_made
    assert quick_made[3] == (
        "To=%2B15558675310&From=%2B15005550006&StatusCallbackEvent=initiated"
        "&StatusCallbackEvent=completed&Url=https%3A%2F%2Fivr.test%2Fvoice"
    )


_scalar = st.one_of(_text, st.binary(max_size=6), st.integers(), st.booleans(), st.none())


@settings(max_examples=200, deadline=None)
@given(
    data=st.dictionaries(
        st.one_of(_text, st.binary(max_size=6)),
        st.one_of(_scalar, st.lists(_scalar, max_size=3), st.tuples(_scalar, _scalar)),
        max_size=4,
    )
)
def test_a_form_is_encoded_as_requests_encodes_a_dict(data: dict[Any, Any]) -> None:
    assert quick_preparation._form(data) == RequestEncodingMixin._encode_params(data)


def test_a_request_without_a_text_method_raises_requests_own_error() -> None:
    # requests' own prepare_request upper-cases the method first: None is its AttributeError,
    # not a PreparedRequest without a method
    session = requests.Session()
    with pytest.raises(AttributeError) as ours:
        quick()(session, twilio_request(method=None))
    with pytest.raises(AttributeError) as own:
        OWN_PREPARE(session, twilio_request(method=None))
    assert str(ours.value) == str(own.value) == "'NoneType' object has no attribute 'upper'"


@pytest.mark.parametrize(
    "step",
    ["prepare", "prepare_url", "prepare_headers", "prepare_cookies", "prepare_body"],
)
def test_a_wrapped_step_of_requests_preparation_is_taken(
    monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    # a test spying on a step the quick preparation would leave out sees it run, once, as
    # requests' own prepare_request runs it, and the request is prepared as requests does
    own_step = getattr(requests.PreparedRequest, step)
    ran: list[str] = []

    def spied(prepared: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
        ran.append(step)
        return own_step(prepared, *args, **kwargs)

    monkeypatch.setattr(quick_preparation, "_prepared_urls", {CALLS: CALLS})
    session = requests.Session()
    expected = attributes(OWN_PREPARE(session, twilio_request()))
    monkeypatch.setattr(requests.PreparedRequest, step, spied)
    assert attributes(quick()(session, twilio_request())) == expected
    assert ran == [step]

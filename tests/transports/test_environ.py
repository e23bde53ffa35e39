"""The environ an in-process app receives is, key for key, werkzeug's ``EnvironBuilder``'s,
with what a server adds for a webhook, and its answer is read as ``run_wsgi_app(...,
buffered=True)`` reads it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask, request
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.test import EnvironBuilder, run_wsgi_app

from tests.support import CALLEE, CALLER_ID
from twimlsim import Simulator
from twimlsim.transports.wsgi import build_environ, run_app, run_app_unbuffered

SIGNED = {
    "User-Agent": "TwilioProxy/1.1",
    "Accept": "*/*",
    "Accept-Encoding": "gzip",
    "I-Twilio-Idempotency-Token": "0f3c7e2a-1",
    "Content-Type": "application/x-www-form-urlencoded",
    "X-Twilio-Signature": "kz8f2wQ1M0rX+o5m3h5nE0d7yqA=",
}


def werkzeug_environ(
    method: str, url: str, headers: dict[str, str], body: bytes | None
) -> dict[str, Any]:
    """What the transport built before: werkzeug's EnvironBuilder."""
    parts = urlsplit(url)
    builder = EnvironBuilder(
        path=parts.path or "/",
        base_url=f"{parts.scheme}://{parts.netloc}" if parts.netloc else None,
        query_string=parts.query,
        method=method,
        headers=list(headers.items()),
        data=body or b"",
    )
    try:
        return builder.get_environ()
    finally:
        builder.close()


def assert_same(method: str, url: str, headers: dict[str, str], body: bytes | None) -> None:
    expected = werkzeug_environ(method, url, headers, body)
    built = build_environ(method, url, headers, body)
    assert list(built) == list(expected)  # the same keys, in the same order
    for key in expected:
        if key == "wsgi.input":
            assert built[key].read() == expected[key].read()
        else:
            assert built[key] == expected[key], key


@pytest.mark.parametrize(
    ("method", "url", "headers", "body"),
    [
        ("POST", "https://app.test/voice", SIGNED, b"CallSid=CA1&From=%2B15005550006"),
        ("GET", "https://app.test/voice?CallSid=CA1&Digits=1%23", {"Accept": "*/*"}, None),
        ("POST", "https://app.test:8443/a/b/?x=1", SIGNED, b""),
        ("POST", "http://App.Test/caf%C3%A9/%2Fslash", {}, b"x"),
        ("POST", "https://xn--caf-dma.test/caf\u00e9?q=\u00e8", {"Content-Length": "99"}, b""),
        ("DELETE", "https://[::1]:8080/p", {"Content-Length": "3"}, b""),
        ("POST", "https://user:pw@app.test/", {"Host": "other.test", "accept": "a"}, b"1"),
        ("PUT", "https://app.test", {"Accept": "a", "ACCEPT": "b", "content-type": "x/y"}, b""),
    ],
)
def test_environ_is_werkzeugs(
    method: str, url: str, headers: dict[str, str], body: bytes | None
) -> None:
    assert_same(method, url, headers, body)


@settings(max_examples=150, deadline=None)
@given(
    method=st.sampled_from(["GET", "POST", "PUT"]),
    path=st.text(alphabet=st.characters(exclude_categories=("Cs", "Cc")), max_size=12),
    query=st.text(alphabet=st.characters(exclude_categories=("Cs", "Cc")), max_size=12),
    headers=st.dictionaries(
        st.sampled_from(["Accept", "accept", "Content-Type", "Content-Length", "X-A", "x-a"]),
        st.text(alphabet="abc/; =0123456789", max_size=8),
        max_size=4,
    ),
    body=st.one_of(st.none(), st.binary(max_size=8)),
)
def test_environ_is_werkzeugs_for_any_url_headers_and_body(
    method: str, path: str, query: str, headers: dict[str, str], body: bytes | None
) -> None:
    # werkzeug's EnvironBuilder, the reference here, refuses a '[' or ']' in the path (it
    # joins it to the host and reads an IPv6 address) and reads a path starting with '//'
    # as a host: see the tests below for those
    url = "https://app.test/" + path.translate(str.maketrans("", "", "?#[]")).lstrip("/")
    if query:
        url += "?" + query.replace("#", "")
    assert_same(method, url, headers, body)


def test_brackets_in_the_path_stay_in_the_path() -> None:
    environ = build_environ("GET", "https://app.test/a[1]/[?q=[x]", {}, None)
    assert (environ["PATH_INFO"], environ["QUERY_STRING"]) == ("/a[1]/[", "q=[x]")
    assert environ["HTTP_HOST"] == "app.test"


def test_a_path_starting_with_two_slashes_stays_the_path_as_servers_pass_it_on() -> None:
    # a URL joined from "https://api.twilio.com/" and a uri that starts with "/": werkzeug's
    # EnvironBuilder read "2010-04-01" as a host and served PATH_INFO "/Accounts/AC1.json"
    environ = build_environ(
        "DELETE", "https://api.twilio.com//2010-04-01/Accounts/AC1.json", {}, None
    )
    assert (environ["PATH_INFO"], environ["REQUEST_URI"], environ["RAW_URI"]) == (
        "//2010-04-01/Accounts/AC1.json",
        "//2010-04-01/Accounts/AC1.json",
        "//2010-04-01/Accounts/AC1.json",
    )
    assert (environ["HTTP_HOST"], environ["SCRIPT_NAME"]) == ("api.twilio.com", "")
    environ = build_environ("POST", "https://app.test///a%20b?x=1", {}, b"")
    assert (environ["PATH_INFO"], environ["REQUEST_URI"], environ["QUERY_STRING"]) == (
        "///a b",
        "///a%20b",
        "x=1",
    )


def test_a_newline_in_a_header_is_refused_as_werkzeug_refuses_it() -> None:
    headers = {"X-Bad": "a\r\nInjected: 1"}
    with pytest.raises(ValueError, match="^Header values must not contain newline characters.$"):
        werkzeug_environ("POST", "https://app.test/", headers, b"")
    with pytest.raises(ValueError, match="^Header values must not contain newline characters.$"):
        build_environ("POST", "https://app.test/", headers, b"")


class Answer:
    """An app's iterable answer that records being closed."""

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = chunks
        self.closed = 0

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.chunks)

    def close(self) -> None:
        self.closed += 1


def apps() -> list[Any]:
    def plain(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        start_response("200 OK", [("Content-Type", "text/xml"), ("X-N", 5)])
        return [b"<Response/>"]

    def lazy(environ: dict[str, Any], start_response: Any) -> Iterator[bytes]:
        yield b"a"
        start_response("201 Created", [("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")])
        yield b"b"

    def writes(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        start_response("200 OK", [])(b"written")
        return [b"returned"]

    return [plain, lazy, writes]


@pytest.mark.parametrize("app", apps(), ids=lambda app: app.__name__)
def test_answer_is_read_as_run_wsgi_app_reads_it(app: Any) -> None:
    environ = build_environ("GET", "https://app.test/", {}, None)
    expected_iter, expected_status, expected_headers = run_wsgi_app(app, environ, buffered=True)
    chunks, status, headers = run_app(app, build_environ("GET", "https://app.test/", {}, None))
    assert (chunks, status, headers) == (
        list(expected_iter),
        expected_status,
        expected_headers.to_wsgi_list(),
    )


def test_the_apps_close_is_called_once() -> None:
    answer = Answer([b"x", b"y"])

    def app(environ: dict[str, Any], start_response: Any) -> Answer:
        start_response("200 OK", [])
        return answer

    assert run_app(app, build_environ("GET", "https://app.test/", {}, None))[0] == [b"x", b"y"]
    assert answer.closed == 1


def test_an_error_passed_to_start_response_is_raised() -> None:
    def app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        try:
            raise KeyError("boom")
        except KeyError as error:
            start_response("500 Error", [], (type(error), error, error.__traceback__))
        return [b""]

    with pytest.raises(KeyError, match="boom"):
        run_app(app, build_environ("GET", "https://app.test/", {}, None))


@pytest.mark.parametrize("app", apps(), ids=lambda app: app.__name__)
def test_an_unbuffered_answer_is_read_as_run_wsgi_app_reads_it(app: Any) -> None:
    expected_iter, expected_status, expected_headers = run_wsgi_app(
        app, build_environ("GET", "https://app.test/", {}, None), buffered=False
    )
    chunks, status, headers, close = run_app_unbuffered(
        app, build_environ("GET", "https://app.test/", {}, None)
    )
    assert (list(chunks), status, headers) == (
        list(expected_iter),
        expected_status,
        expected_headers.to_wsgi_list(),
    )


def test_an_unbuffered_answer_reads_no_further_than_the_start_of_the_answer() -> None:
    read: list[bytes] = []

    def app(environ: dict[str, Any], start_response: Any) -> Iterator[bytes]:
        for chunk in (b"a", b"b", b"c"):
            read.append(chunk)
            if chunk == b"b":
                start_response("200 OK", [("Content-Type", "text/xml")])
            yield chunk

    chunks, status, headers, close = run_app_unbuffered(
        app, build_environ("GET", "https://app.test/", {}, None)
    )
    assert (status, headers, read) == ("200 OK", [("Content-Type", "text/xml")], [b"a", b"b"])
    assert list(chunks) == [b"a", b"b", b"c"]
    assert close is not None  # a generator's own close


def test_an_unbuffered_app_that_never_starts_its_answer_is_closed_and_refused() -> None:
    answer = Answer([b"x"])

    def app(environ: dict[str, Any], start_response: Any) -> Answer:
        return answer

    with pytest.raises(TypeError) as refused:
        run_app_unbuffered(app, build_environ("GET", "https://app.test/", {}, None))
    assert str(refused.value) == (
        "the WSGI app test_an_unbuffered_app_that_never_starts_its_answer_is_closed_and_refused"
        ".<locals>.app returned without calling start_response; a WSGI app calls "
        "start_response(status, headers) before its body ends (PEP 3333)"
    )
    assert answer.closed == 1


def test_a_webhooks_environ_has_what_a_server_adds_its_peer_and_the_target_as_sent() -> None:
    """werkzeug's server, gunicorn and uWSGI add the peer's address (Flask's
    request.remote_addr; Django's request.META["REMOTE_ADDR"], a KeyError without it) and
    the request target as sent, query included, to the environ werkzeug's test builder
    makes; an app reading them met None, a KeyError or a target without its query."""
    seen: list[tuple[object, ...]] = []
    app = Flask("voice")

    @app.post("/voice")
    def voice() -> tuple[str, int, dict[str, str]]:
        environ = request.environ
        seen.append(
            (
                request.remote_addr,
                environ["REMOTE_PORT"],
                environ["REQUEST_URI"],
                environ["RAW_URI"],
            )
        )
        return "<Response/>", 200, {"Content-Type": "text/xml"}

    with Simulator() as sim:
        sim.route("https://app.test", app)
        sim.number(CALLER_ID)
        for url in ("https://app.test/voice?lang=fr&x=%2B1", "https://app.test/voice"):
            sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=url)
        sim.run()
    assert seen == [
        ("198.51.100.7", "49152", "/voice?lang=fr&x=%2B1", "/voice?lang=fr&x=%2B1"),
        ("198.51.100.7", "49152", "/voice", "/voice"),
    ]

"""Webhook URLs as they go on the wire: credentials (Twilio's HTTP authentication), raw
Unicode, fragments. The URL signed is the URL requested; a password is never printed."""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

import pytest
from twilio.request_validator import RequestValidator

from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim import Simulator
from twimlsim.engine.interpreter import APPLICATION_ERROR_MESSAGE, APPLICATION_ERROR_THEN
from twimlsim.engine.urls import redact, wire_url
from twimlsim.engine.webhooks import WebhookDeliveryError, WebhookRequest
from twimlsim.transports.http import HTTPTransport
from twimlsim.transports.unrouted import unrouted_message

SECRET = "s3cret-word"
GOOD = "Basic " + base64.b64encode(f"alice:{SECRET}".encode()).decode()
VOICE = '<Response><Gather action="/menu" numDigits="1"><Say>Press</Say></Gather></Response>'


class ProtectedApp:
    """A WSGI app behind HTTP Basic authentication (realm ``ivr``)."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str, str | None]] = []

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        authorization = environ.get("HTTP_AUTHORIZATION")
        self.seen.append((environ["HTTP_HOST"], environ["PATH_INFO"], authorization))
        if authorization != GOOD:
            start_response("401 Unauthorized", [("WWW-Authenticate", 'Basic realm="ivr"')])
            return [b""]
        start_response("200 OK", [("Content-Type", "text/xml")])
        body = VOICE if environ["PATH_INFO"] == "/voice" else "<Response><Say>Bye</Say></Response>"
        return [body.encode()]


def place(sim: Simulator, url: str, **extra: str) -> str:
    sim.number(CALLER_ID)
    sim.phone(CALLEE).presses("1")
    sid: str = sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=url, **extra).sid
    return sid


@pytest.mark.parametrize("base", [APP_URL, f"https://alice:{SECRET}@app.test"])
def test_credentials_are_sent_when_the_app_asks_and_then_kept_for_the_call(base: str) -> None:
    app = ProtectedApp()
    with Simulator() as sim:
        sim.route(base, app)
        sid = place(
            sim,
            f"https://alice:{SECRET}@app.test/voice",
            status_callback=f"https://alice:{SECRET}@app.test/status",
        )
        sim.run()
    assert app.seen == [
        ("app.test", "/voice", None),
        ("app.test", "/voice", GOOD),
        ("app.test", "/menu", GOOD),  # signed in: no second challenge for the action
        ("app.test", "/status", GOOD),
    ]
    log = [
        (r.kind, r.url, r.headers.get("Authorization"), r.response.status if r.response else 0)
        for r in sim.requests
    ]
    assert log == [
        ("voice", f"{APP_URL}/voice", None, 401),
        ("voice", f"{APP_URL}/voice", GOOD, 200),
        ("gather", f"{APP_URL}/menu", GOOD, 200),
        ("status", f"{APP_URL}/status", GOOD, 200),
    ]
    validator = RequestValidator(sim.auth_token)
    for request in sim.requests:
        assert validator.validate(
            request.url, request.params, request.headers["X-Twilio-Signature"]
        )
    assert sim.calls[sid].said == ["Press", "Bye"]


def test_a_wrong_password_fails_the_call_without_printing_it() -> None:
    app = ProtectedApp()
    with Simulator(strict=False) as sim:
        sim.route(APP_URL, app)
        sid = place(sim, "https://alice:wrong-word@app.test/voice")
        sim.run()
    assert [(f.code, f.url, f.message) for f in sim.failures] == [
        (
            11200,
            f"{APP_URL}/voice",
            "the app answered HTTP 401 to POST; its body is empty; this was the request "
            "repeated with the credentials written in the webhook URL (user:password@host), "
            "as Twilio repeats it after a 401 Basic challenge, and the app refused them too. "
            "A password the app signs with a timestamp it checks (itsdangerous' "
            "TimestampSigner, as Flask-Twilio does) is refused when it was signed with the "
            "wall clock, before calls first ran, and is checked in virtual time: call "
            f"sim.run() once before the app builds the URL; {APPLICATION_ERROR_THEN}",
        )
    ]
    assert sim.calls[sid].said == [APPLICATION_ERROR_MESSAGE]
    assert [a for _, _, a in app.seen] == [
        None,
        "Basic " + base64.b64encode(b"alice:wrong-word").decode(),
    ]


def test_a_401_to_a_url_without_credentials_says_where_twilio_takes_them() -> None:
    """No credentials were sent, so none were refused: the hint says how to give them."""
    app = ProtectedApp()
    with Simulator(strict=False) as sim:
        sim.route(APP_URL, app)
        place(sim, f"{APP_URL}/voice")
        sim.run()
    assert [(f.code, f.message) for f in sim.failures] == [
        (
            11200,
            "the app answered HTTP 401 to POST; its body is empty; hint: the app asks for HTTP "
            "Basic authentication (WWW-Authenticate: Basic), and Twilio answers that challenge "
            "only with the credentials written in the webhook URL: write them into it as "
            "user:password@ before its host (the number's voice URL, the call's Url, the "
            f"TwiML's action); {APPLICATION_ERROR_THEN}",
        )
    ]
    assert [a for _, _, a in app.seen] == [None]


def test_an_unrouted_url_with_credentials_names_the_url_without_the_password() -> None:
    with Simulator(strict=False) as sim:
        sim.route(APP_URL, ProtectedApp())
        sim.number(CALLER_ID)
        sim.client().calls.create(
            to=CALLEE, from_=CALLER_ID, url=f"https://alice:{SECRET}@other.test/voice"
        )
        sim.run()
    assert [(f.code, f.url, f.message) for f in sim.failures] == [
        (
            11205,
            "https://other.test/voice",
            "no app is routed for https://other.test/voice (routed: https://app.test); "
            "call sim.route('https://other.test', app) for it; https://app.test is where the "
            "twimlsim fixture and TwimlsimMixin route twimlsim_app unless told otherwise: to "
            "route it at https://other.test, return 'https://other.test' from a "
            "twimlsim_base_url fixture (in a TwimlsimMixin class: twimlsim_base_url = "
            "'https://other.test'); " + APPLICATION_ERROR_THEN,
        )
    ]
    assert all(SECRET not in str(failure) for failure in sim.failures)


def test_redact_masks_every_password() -> None:
    assert redact(f"at https://alice:{SECRET}@a.test/x and http://bob:pw@b.test") == (
        "at https://alice:***@a.test/x and http://bob:***@b.test"
    )


@pytest.mark.parametrize(
    ("url", "sent"),
    [
        ("https://app.test/café?x=ä#rt=5000", "https://app.test/caf%C3%A9?x=%C3%A4"),
        ("https://App.Test/voice#fragment", "https://app.test/voice"),
        ("https://app.test/a%41%7e%2f", "https://app.test/aA~%2F"),
        ("https://app.test/100%", "https://app.test/100%25"),
        ("https://bücher.test/x", "https://xn--bcher-kva.test/x"),
        ("https://u:p%40ss@app.test:8443/x", "https://app.test:8443/x"),
        # brackets as written (sent so over HTTP too, raw_target.py); an escape stays one
        ("https://app.test/a[1]?ids[]=1&x=%5B", "https://app.test/a[1]?ids[]=1&x=%5B"),
    ],
)
def test_the_url_sent_is_encoded_as_an_http_client_sends_it(url: str, sent: str) -> None:
    assert wire_url(url).url == sent


def test_a_unicode_url_with_a_fragment_is_signed_exactly_as_sent() -> None:
    seen: list[tuple[str, str]] = []

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        seen.append((environ["PATH_INFO"], environ["QUERY_STRING"]))
        start_response("200 OK", [("Content-Type", "text/xml")])
        return [b"<Response><Say>Hi</Say></Response>"]

    with Simulator() as sim:
        sim.route(APP_URL, app)
        sim.number(CALLER_ID)
        sim.client().calls.create(
            to=CALLEE, from_=CALLER_ID, url="https://app.test/café?x=ä#rt=5000"
        )
        sim.run()
    request = sim.requests[0]
    assert request.url == "https://app.test/caf%C3%A9?x=%C3%A4"
    assert seen == [("/café".encode().decode("latin-1"), "x=%C3%A4")]
    assert RequestValidator(sim.auth_token).validate(
        request.url, request.params, request.headers["X-Twilio-Signature"]
    )


def test_an_unrouted_url_names_the_route_to_add() -> None:
    assert unrouted_message("https://ivr.example.com/ivr/welcome", ["https://other.test"]) == (
        "no app is routed for https://ivr.example.com/ivr/welcome (routed: "
        "https://other.test); call sim.route('https://ivr.example.com', app) for it"
    )


def test_an_unrouted_url_beside_the_fixtures_default_names_twimlsim_base_url() -> None:
    # a suite that overrode twimlsim_app alone: its app writes its own public URLs
    url = "https://voicebot.example.com/voice/answer"
    assert unrouted_message(url, ["https://app.test"]) == (
        "no app is routed for https://voicebot.example.com/voice/answer (routed: "
        "https://app.test); call sim.route('https://voicebot.example.com', app) for it; "
        "https://app.test is where the twimlsim fixture and TwimlsimMixin route twimlsim_app "
        "unless told otherwise: to route it at https://voicebot.example.com, return "
        "'https://voicebot.example.com' from a twimlsim_base_url fixture (in a TwimlsimMixin "
        "class: twimlsim_base_url = 'https://voicebot.example.com')"
    )
    # the same host with the other scheme keeps the advice to fix the URL's scheme
    assert "twimlsim_base_url" not in unrouted_message(
        "http://app.test/voice", ["https://app.test"]
    )


def test_the_fixtures_default_base_url_is_the_one_the_advice_names() -> None:
    from twimlsim.defaults import FIXTURE_BASE_URL
    from twimlsim.pytest_plugin import twimlsim_base_url
    from twimlsim.testcase import TwimlsimMixin

    default = getattr(twimlsim_base_url, "__wrapped__", twimlsim_base_url)
    assert (default(), TwimlsimMixin.twimlsim_base_url) == (FIXTURE_BASE_URL, FIXTURE_BASE_URL)


def test_a_route_of_a_host_spelt_almost_the_same_is_named_as_the_near_miss() -> None:
    assert unrouted_message("https://ivr.example.com/voice", ["https://ivr.example.org"]) == (
        "no app is routed for https://ivr.example.com/voice (routed: https://ivr.example.org); "
        "call sim.route('https://ivr.example.com', app) for it, or fix the URL's host: "
        "ivr.example.org is routed, the URL's host is ivr.example.com"
    )


def test_a_route_of_the_other_scheme_is_named_as_the_near_miss() -> None:
    assert unrouted_message("https://ivr.example.com/voice", ["http://ivr.example.com"]) == (
        "no app is routed for https://ivr.example.com/voice (routed: http://ivr.example.com); "
        "call sim.route('https://ivr.example.com', app) for it, or fix the URL's scheme: "
        "http://ivr.example.com is routed with http://, the URL is https://, and Twilio "
        "requests a URL as it is written"
    )


def test_a_route_under_another_path_of_the_host_is_named_as_the_near_miss() -> None:
    assert unrouted_message("https://ivr.example.com/voice", ["https://ivr.example.com/ivr"]) == (
        "no app is routed for https://ivr.example.com/voice (routed: https://ivr.example.com/ivr); "
        "call sim.route('https://ivr.example.com', app) for it, or fix the URL's path: this "
        "host is routed only under /ivr, and the URL is not under it"
    )


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "mailto:ops@app.test", "ftp://app.test/next", "file:///next"]
)
def test_a_url_that_is_not_http_is_11100_with_no_route_advice(url: str) -> None:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        start_response("200 OK", [("Content-Type", "text/xml")])
        return [f"<Response><Redirect>{url}</Redirect></Response>".encode()]

    with Simulator(strict=False) as sim:
        sim.route(APP_URL, app)
        sim.number(CALLER_ID, voice_url=f"{APP_URL}/voice")
        call = sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        sim.run()
    assert call.said == [APPLICATION_ERROR_MESSAGE]
    assert [(f.code, f.url, f.message) for f in sim.failures] == [
        (
            11100,
            url,
            f"{url} is not an http:// or https:// URL, the only ones Twilio requests; write "
            f"the URL of the app's TwiML; {APPLICATION_ERROR_THEN}",
        )
    ]


def test_over_http_a_url_that_is_not_http_is_11100_too() -> None:
    request = WebhookRequest(
        "POST", "mailto:ops@app.test", {}, {}, "voice", "CA1", datetime(2026, 1, 1, tzinfo=UTC)
    )
    with pytest.raises(WebhookDeliveryError) as failed:
        HTTPTransport().send(request)
    assert (failed.value.code, failed.value.message) == (
        11100,
        "mailto:ops@app.test is not an http:// or https:// URL, the only ones Twilio requests; "
        "write the URL of the app's TwiML",
    )


@pytest.mark.parametrize(
    "path",
    [
        "/2010-04-01/Accounts/AC123/Recordings/RE456",
        "/2010-04-01/Accounts/AC123/Recordings/RE456.mp3",
        "/2010-04-01/Accounts/AC123/Calls/CA789/Recordings/RE456.wav",
    ],
)
def test_a_recording_url_as_a_document_is_named_as_twilios_media(path: str) -> None:
    # a conference waitUrl playing a recorded greeting was told to sim.route api.twilio.com
    url = f"https://api.twilio.com{path}"
    assert unrouted_message(url, ["https://app.test"]) == (
        f"no app is routed for {url} (routed: https://app.test): it is a recording's media, "
        "which Twilio serves itself and twimlsim plays only where a TwiML document <Play>s it "
        "(for the recording's duration); have the waitUrl, holdUrl or URL name a document of "
        "your app that plays it (<Play>URL</Play>)"
    )


def test_an_app_in_another_process_is_not_told_of_the_test_clock(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # twimlsim call and serve reach the app over HTTP: its own clock signs and checks its
    # passwords, so only the refusal is said, not the in-process clock's advice
    app = ProtectedApp()
    with Simulator(strict=False) as sim:
        sim.route(APP_URL, app)
        monkeypatch.setattr(
            type(sim.engine.transport), "app_in_another_process", True, raising=False
        )
        place(sim, "https://alice:wrong-word@app.test/voice")
        sim.run()
    assert [(f.code, f.message) for f in sim.failures] == [
        (
            11200,
            "the app answered HTTP 401 to POST; its body is empty; this was the request "
            "repeated with the credentials written in the webhook URL (user:password@host), "
            "as Twilio repeats it after a 401 Basic challenge, and the app refused them too; "
            f"{APPLICATION_ERROR_THEN}",
        )
    ]

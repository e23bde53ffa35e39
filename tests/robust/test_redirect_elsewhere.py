"""A redirect of the app's that leads where no answer comes from (an unrouted host, a URL
Twilio cannot request) says that the URL came from the redirect's ``Location``, and a
``Location`` of blanks only is no ``Location``."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

import pytest

from twimlsim import Simulator

CALL = "CAee4a56ad3092da64d5ba892549669298"
QUERY = (  # Twilio's wire order (engine/wire_order.py)
    "Called=%2B15558675310&ToState=&CallerCountry=US&Direction=outbound-api&CallerState=&"
    f"ToZip=&CallSid={CALL}&To=%2B15558675310&CallerZip=&ToCountry=US&CalledZip=&"
    "ApiVersion=2010-04-01&CalledCity=&CallStatus=in-progress&From=%2B15005550006&"
    "AccountSid=ACd45321710a9937d57a6f595c7099cd0b&CalledCountry=US&CallerCity=&ToCity=&"
    "FromCountry=US&Caller=%2B15005550006&FromCity=&CalledState=&FromZip=&FromState="
)
TAIL = "; twimlsim then played Twilio's application-error message and hung up, as Twilio does"


def failures_redirected_to(location: str) -> list[str]:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        start_response("302 Found", [("Location", location)])
        return [b""]

    with Simulator(strict=False) as sim:
        sim.route("https://myapp.test", app)
        sim.number("+15005550006")
        sim.client().calls.create(
            to="+15558675310", from_="+15005550006", url="https://myapp.test/voice"
        )
        sim.run()
    return [str(failure) for failure in sim.failures]


def test_a_redirect_to_a_host_no_app_serves_names_the_redirect() -> None:
    assert failures_redirected_to("https://sso.example.com/login") == [
        f"call {CALL}: Twilio error 11205 (HTTP connection failure) at "
        f"https://sso.example.com/login: no app is routed for https://sso.example.com/login?"
        f"{QUERY} (routed: https://myapp.test); call sim.route('https://sso.example.com', app) "
        "for it (the app's HTTP 302 answer to https://myapp.test/voice redirected the request "
        "there, Location: 'https://sso.example.com/login': redirect to a URL the app answers, "
        f"or answer the TwiML itself){TAIL} [https://www.twilio.com/docs/errors/11205]"
    ]


def test_a_redirect_to_a_url_twilio_cannot_request_names_the_redirect() -> None:
    assert failures_redirected_to("mailto:ops@example.com") == [
        f"call {CALL}: Twilio error 11100 (Invalid URL format) at mailto:ops@example.com: "
        f"mailto:ops@example.com?{QUERY} is not an http:// or https:// URL, the only ones "
        "Twilio requests; write the URL of the app's TwiML (the app's HTTP 302 answer to "
        "https://myapp.test/voice redirected the request there, Location: "
        "'mailto:ops@example.com': redirect to a URL the app answers, or answer the TwiML "
        f"itself){TAIL} [https://www.twilio.com/docs/errors/11100]"
    ]


@pytest.mark.parametrize("location", ["   ", "\t"])
def test_a_location_of_blanks_only_is_no_location(location: str) -> None:
    assert failures_redirected_to(location) == [
        f"call {CALL}: Twilio error 11216 (HTTP invalid redirect) at "
        "https://myapp.test/voice: the app answered HTTP 302 to POST without a Location "
        "header, so there is no URL to follow: give the redirect a Location (the URL of the "
        f"TwiML) or answer the TwiML itself{TAIL} [https://www.twilio.com/docs/errors/11216]"
    ]


def test_an_app_failing_where_its_redirect_led_keeps_its_exception_and_no_other_url_advised() -> (
    None
):
    raised: list[BaseException] = []

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ["PATH_INFO"] == "/voice":
            start_response("302 Found", [("Location", "/next")])
            return [b""]
        raised.append(RuntimeError("database down"))
        raise raised[-1]

    with Simulator(strict=False) as sim:
        sim.route("https://myapp.test", app)
        sim.number("+15005550006")
        sim.client().calls.create(
            to="+15558675310", from_="+15005550006", url="https://myapp.test/voice"
        )
        sim.run()
    (failure,) = sim.failures
    # the redirect is not the fault: the app answers /next, and raised there
    assert (str(failure), failure.cause is raised[0]) == (
        f"call {CALL}: Twilio error 11200 (HTTP retrieval failure) at https://myapp.test/next: "
        "the app raised RuntimeError: database down (Twilio sees HTTP 500) (the app's HTTP 302 "
        "answer to https://myapp.test/voice redirected the request there, Location: '/next')"
        f"{TAIL} [https://www.twilio.com/docs/errors/11200]",
        True,
    )


def test_an_answer_held_past_the_read_timeout_where_a_redirect_led_is_held_as_any_other() -> None:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ["PATH_INFO"] == "/voice":
            start_response("302 Found", [("Location", "/slow")])
            return [b""]
        time.sleep(0.1)  # past the 0.05 s limit
        start_response("200 OK", [("Content-Type", "text/xml")])
        return [b"<Response/>"]

    with Simulator(strict=False, webhook_timeout=0.05) as sim:
        sim.route("https://myapp.test", app)
        sim.number("+15005550006")
        sim.client().calls.create(
            to="+15558675310", from_="+15005550006", url="https://myapp.test/voice"
        )
        sim.run()
    # the request redirected to /slow ran out the read timeout: its answer is held, as one
    # of a URL not redirected to is (a webhook due within Twilio's wait is then named)
    held = sim.engine.held
    assert (held.url if held is not None else None) == "https://myapp.test/slow"

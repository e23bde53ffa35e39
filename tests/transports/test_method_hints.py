"""A 405 to a request a TwiML element made says the element's own ``method`` sent it: a
voice URL configured with GET whose document loops with ``<Redirect/>`` (a radio call-in
workshop's DJ line) is requested again with POST, which a GET-only route refuses."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim import CallFailure, Simulator

ERRORS = "; twimlsim then played Twilio's application-error message and hung up, as Twilio does"
REFUSED = (
    "the app answered HTTP 405 to POST; its body: '405 Method Not Allowed Method Not "
    "Allowed The method is not allowed for the requested URL.'; hint: "
)


def failure_of(document: str, step: str | None = None) -> CallFailure:
    """Ring a number whose voice URL, configured with GET, answers ``document`` at a
    GET-only route, and ``/next`` at another; the failure the call ends with."""
    app = Flask("voice")
    app.add_url_rule("/voice", "voice", lambda: (document, {"Content-Type": "text/xml"}))
    app.add_url_rule("/next", "next", lambda: ("<Response/>", {"Content-Type": "text/xml"}))
    with Simulator(strict=False) as sim:
        sim.route(APP_URL, app)
        sim.number(CALLER_ID, voice_url=f"{APP_URL}/voice", voice_method="GET")
        if step == "presses":
            sim.phone(CALLEE).presses("1")
        elif step == "records":
            sim.phone(CALLEE).records(1)
        sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        sim.run()
    (failure,) = sim.failures
    return failure


@pytest.mark.parametrize(
    ("document", "step", "url", "element"),
    [
        ('<Response><Pause length="1"/><Redirect/></Response>', None, "/voice", "Redirect"),
        (
            '<Response><Gather numDigits="1" action="/next"><Say>Press 1</Say></Gather></Response>',
            "presses",
            "/next",
            "Gather",
        ),
        (  # without action, the document's own URL
            '<Response><Gather numDigits="1"><Say>Press 1</Say></Gather></Response>',
            "presses",
            "/voice",
            "Gather",
        ),
        (
            '<Response><Record action="/next" maxLength="2"/></Response>',
            "records",
            "/next",
            "Record",
        ),
    ],
)
def test_a_405_to_an_element_s_request_names_its_method_attribute(
    document: str, step: str | None, url: str, element: str
) -> None:
    failure = failure_of(document, step)
    name = f"<{element}>"
    assert (failure.code, failure.url, failure.element, failure.line, failure.message) == (
        11200,
        f"{APP_URL}{url}",
        element,
        1,
        f"{REFUSED}the app does not accept POST at this URL: the document's {name} requests "
        "it with its own method attribute (POST unless written), not with the method that "
        f'fetched the document; write method="GET" on the {name}, or allow POST on the '
        f"route{ERRORS}",
    )


def test_a_405_to_the_voice_url_names_the_webhook_s_method() -> None:
    app = Flask("voice")
    app.add_url_rule("/voice", "voice", lambda: ("<Response/>", {"Content-Type": "text/xml"}))
    with Simulator(strict=False) as sim:
        sim.route(APP_URL, app)
        sim.number(CALLER_ID, voice_url=f"{APP_URL}/voice")
        sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        sim.run()
    (failure,) = sim.failures
    assert (failure.url, failure.message) == (
        f"{APP_URL}/voice",
        f"{REFUSED}the app does not accept POST at this URL: allow POST on the route, or "
        f"configure the webhook's method to match it{ERRORS}",
    )


def test_a_405_to_an_element_s_get_names_its_method_attribute_not_the_webhook_s() -> None:
    app = Flask("voice")
    document = '<Response><Redirect method="GET">/next</Redirect></Response>'
    app.add_url_rule(
        "/voice", "voice", lambda: (document, {"Content-Type": "text/xml"}), methods=["POST"]
    )
    app.add_url_rule(
        "/next", "next", lambda: ("<Response/>", {"Content-Type": "text/xml"}), methods=["POST"]
    )
    with Simulator(strict=False) as sim:
        sim.route(APP_URL, app)
        sim.number(CALLER_ID, voice_url=f"{APP_URL}/voice")
        sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        sim.run()
    (failure,) = sim.failures
    assert (failure.code, failure.url, failure.element, failure.line, failure.message) == (
        11200,
        f"{APP_URL}/next",
        "Redirect",
        1,
        "the app answered HTTP 405 to GET; its body: '405 Method Not Allowed Method Not "
        "Allowed The method is not allowed for the requested URL.'; hint: the app does not "
        'accept GET at this URL: the document\'s <Redirect> requests it with its method="GET"; '
        "write the method the route takes on the <Redirect> (POST when the attribute is left "
        f"out), or allow GET on the route{ERRORS}",
    )

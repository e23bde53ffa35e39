"""Answers with no body (``return ("", 204)``), as voicemail samples give every webhook
that follows a ``<Record>``: after the caller hung up nothing reads them; on a live call the
empty TwiML is Twilio's 11770 (12300 without a Content-Type), whose message says what to
answer instead."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask

from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim import Simulator
from twimlsim.engine.interpreter import APPLICATION_ERROR_MESSAGE, APPLICATION_ERROR_THEN

NO_CONTENT = ("", 204)


def _voicemail_app() -> Flask:
    app = Flask(__name__)

    @app.post("/voice")
    def voice() -> tuple[str, dict[str, str]]:
        return (
            '<Response><Gather numDigits="1" action="/menu"><Say>Press 1.</Say></Gather>'
            '<Record action="/done" recordingStatusCallback="/ready" transcribe="true" '
            'transcribeCallback="/text"/></Response>',
            {"Content-Type": "text/xml"},
        )

    for path in ("/menu", "/done", "/ready", "/text"):
        app.add_url_rule(path, path, lambda: NO_CONTENT, methods=["POST"])
    return app


def _call(sim: Simulator) -> str:
    sim.route(APP_URL, _voicemail_app())
    sim.number(CALLER_ID)
    return str(sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice").sid)


def test_no_content_after_the_caller_hung_up_is_no_problem() -> None:
    with Simulator() as sim:
        sim.phone(CALLEE).silence().records(7, text="call me back", hangs_up=True)
        sid = _call(sim)
        sim.run()
    call = sim.calls[sid]
    assert [(r.kind, r.url, r.response.status) for r in call.requests[1:]] == [
        ("record", f"{APP_URL}/done", 204),
        ("recording-status", f"{APP_URL}/ready", 204),
        ("transcription", f"{APP_URL}/text", 204),
    ]
    assert (call.status, sim.failures) == ("completed", [])


def test_no_content_on_a_live_call_is_11770_saying_what_to_answer() -> None:
    with Simulator(strict=False) as sim:
        sim.phone(CALLEE).presses("1")
        sid = _call(sim)
        sim.run()
    assert [(f.code, f.level, f.url, f.message) for f in sim.failures] == [
        (
            11770,
            "error",
            f"{APP_URL}/menu",
            "TwiML response body is empty (as a 204 No Content answer is): answer the TwiML "
            f"the call is to run next, or <Response/> to end it; {APPLICATION_ERROR_THEN}",
        )
    ]
    assert sim.calls[sid].said == ["Press 1.", APPLICATION_ERROR_MESSAGE]


def _bare_no_content(
    environ: dict[str, object], start_response: Callable[..., object]
) -> list[bytes]:
    """A WSGI app answering every request 204 with no headers at all, as an ASGI
    framework's ``Response(status_code=204)`` does."""
    start_response("204 No Content", [])
    return [b""]


def test_a_bare_no_content_on_a_live_call_is_12300_saying_a_body_is_wanted_too() -> None:
    with Simulator(strict=False) as sim:
        sim.route(APP_URL, _bare_no_content)
        sim.number(CALLER_ID)
        sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice")
        sim.run()
    assert [(f.code, f.url, f.message) for f in sim.failures] == [
        (
            12300,
            f"{APP_URL}/voice",
            "the app's answer has no Content-Type header, and Twilio runs no document without "
            "one (its debugger shows 502 Bad Gateway); answer with Content-Type: text/xml and "
            "a body, which it lacks (as a 204 No Content answer does): the TwiML the call is "
            f"to run next, or <Response/> to end it; {APPLICATION_ERROR_THEN}",
        )
    ]


def test_twiml_sent_with_a_204_is_no_body_as_over_http() -> None:
    """A 204 with TwiML after it (a WSGI app of its own; werkzeug's Response drops such a
    body, Django's and an ASGI app's do not): on the wire no body follows a 204, so Twilio
    (and twimlsim over HTTP) reads none and fails with 11770; in process the TwiML ran, and
    the app passed under twimlsim where it fails on Twilio."""

    def app(environ: dict[str, object], start_response: Callable[..., object]) -> list[bytes]:
        start_response("204 No Content", [("Content-Type", "text/xml")])
        return [b"<Response><Say>Hello.</Say></Response>"]

    with Simulator(strict=False) as sim:
        sim.route(APP_URL, app)
        sim.number(CALLER_ID)
        sid = sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice").sid
        sim.run()
    call = sim.calls[sid]
    assert call.said == [APPLICATION_ERROR_MESSAGE]
    assert [(r.response.status, r.response.body) for r in call.requests] == [(204, b"")]
    assert [(f.code, f.url, f.message) for f in sim.failures] == [
        (
            11770,
            f"{APP_URL}/voice",
            "TwiML response body is empty (as a 204 No Content answer is): answer the TwiML "
            f"the call is to run next, or <Response/> to end it; {APPLICATION_ERROR_THEN}",
        )
    ]

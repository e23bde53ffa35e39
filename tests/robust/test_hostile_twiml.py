"""TwiML and answers that once stopped ``sim.run()`` with a Python exception: each is now a
failure of the call with Twilio's code, and the simulation goes on."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim import Simulator, parse_twiml
from twimlsim.engine.events import Paused, Said
from twimlsim.engine.interpreter import APPLICATION_ERROR_MESSAGE, APPLICATION_ERROR_THEN
from twimlsim.errors import RunawayCalls

WSGI = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def answering(body: bytes, status: str = "200 OK", location: str | None = None) -> WSGI:
    """An app answering ``/voice`` with ``body``; every other path hears "Elsewhere"."""

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ["PATH_INFO"] != "/voice":
            start_response("200 OK", [("Content-Type", "text/xml")])
            return [b"<Response><Say>Elsewhere</Say></Response>"]
        headers = [("Content-Type", "text/xml")]
        if location is not None:
            headers.append(("Location", location))
        start_response(status, headers)
        return [body]

    return app


def inbound(app: WSGI) -> tuple[Simulator, str]:
    with Simulator(strict=False) as sim:
        sim.route(APP_URL, app)
        sim.number(CALLER_ID, voice_url=f"{APP_URL}/voice")
        call = sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        sim.run()
    return sim, call.sid


def failures(sim: Simulator) -> list[tuple[int | None, str, str | None, str]]:
    return [(f.code, f.level, f.url, f.message) for f in sim.failures]


def test_a_redirect_to_an_unparsable_url_is_11100_not_a_python_error() -> None:
    sim, sid = inbound(answering(b"<Response><Redirect>http://[::1</Redirect></Response>"))
    assert sim.calls[sid].said == [APPLICATION_ERROR_MESSAGE]
    assert failures(sim) == [
        (
            11100,
            "error",
            "http://[::1",
            "http://[::1 is not a usable URL (Invalid IPv6 URL): Twilio cannot request it; "
            f"fix the URL; {APPLICATION_ERROR_THEN}",
        )
    ]


def test_a_url_with_a_port_that_is_not_a_number_is_11100() -> None:
    document = b"<Response><Redirect>https://app.test:abc/next</Redirect></Response>"
    sim, _ = inbound(answering(document))
    assert failures(sim) == [
        (
            11100,
            "error",
            "https://app.test:abc/next",
            "https://app.test:abc/next is not a usable URL (Port could not be cast to integer "
            f"value as 'abc'): Twilio cannot request it; fix the URL; {APPLICATION_ERROR_THEN}",
        )
    ]


def test_a_location_header_that_cannot_be_parsed_ends_the_fetch_with_11100() -> None:
    sim, sid = inbound(answering(b"", "302 Found", "http://[::1"))
    # the GET that follows carries the call's parameters in its query, after the bad URL
    assert [r.url.split("?")[0] for r in sim.calls[sid].requests] == [
        f"{APP_URL}/voice",
        "http://[::1",
    ]
    assert [(code, level) for code, level, _, _ in failures(sim)] == [(11100, "error")]


def test_a_status_line_that_is_not_http_is_11200() -> None:
    sim, sid = inbound(answering(b"<Response/>", status="abc"))
    assert sim.calls[sid].said == [APPLICATION_ERROR_MESSAGE]
    assert failures(sim) == [
        (
            11200,
            "error",
            f"{APP_URL}/voice",
            "the app passed start_response() the status 'abc', not a WSGI status line such as "
            f"'200 OK' (a WSGI server answers it with HTTP 500); {APPLICATION_ERROR_THEN}",
        )
    ]


def answering_with(status: Any, headers: list[tuple[Any, Any]]) -> WSGI:
    """An app passing ``start_response`` exactly ``status`` and ``headers``."""

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        start_response(status, headers)
        return [b"<Response><Say>Hi</Say></Response>"]

    return app


@pytest.mark.parametrize(
    ("status", "written"),
    [(200, "200 (int)"), (b"200 OK", "b'200 OK' (bytes)"), (None, "None (NoneType)")],
)
def test_a_status_that_is_not_a_str_is_11200_not_a_python_error(status: Any, written: str) -> None:
    sim, sid = inbound(answering_with(status, [("Content-Type", "text/xml")]))
    assert sim.calls[sid].said == [APPLICATION_ERROR_MESSAGE]
    assert failures(sim) == [
        (
            11200,
            "error",
            f"{APP_URL}/voice",
            f"the app passed start_response() the status {written}, not a WSGI status line "
            "(a str such as '200 OK'; a WSGI server answers it with HTTP 500); "
            f"{APPLICATION_ERROR_THEN}",
        )
    ]


@pytest.mark.parametrize(
    ("header", "written"),
    [
        ((b"Content-Type", b"text/xml"), "b'Content-Type'"),
        (("Content-Type", b"text/xml"), "b'text/xml'"),
    ],
    ids=["name", "value"],
)
def test_a_header_in_bytes_is_11200_not_a_missing_content_type(
    header: tuple[Any, Any], written: str
) -> None:
    sim, sid = inbound(answering_with("200 OK", [header]))
    assert sim.calls[sid].said == [APPLICATION_ERROR_MESSAGE]
    assert failures(sim) == [
        (
            11200,
            "error",
            f"{APP_URL}/voice",
            f"the app passed start_response() the header {header!r}, with {written} in bytes: "
            "WSGI headers are str (a WSGI server answers it with HTTP 500); write "
            f"('Content-Type', 'text/xml'); {APPLICATION_ERROR_THEN}",
        )
    ]


@pytest.mark.parametrize(
    ("headers", "written"),
    [
        ({"Content-Type": "text/xml"}, "{'Content-Type': 'text/xml'} (dict)"),
        (None, "None (NoneType)"),
        ("Content-Type: text/xml", "'Content-Type: text/xml' (str)"),
        ([("Content-Type", "text/xml", "x")], "[('Content-Type', 'text/xml', 'x')] (list)"),
        ([(1, "text/xml")], "[(1, 'text/xml')] (list)"),
    ],
    ids=["dict", "none", "str", "triple", "int-name"],
)
def test_headers_that_are_not_name_value_pairs_are_11200_saying_what_to_pass(
    headers: Any, written: str
) -> None:
    # a dict is the usual slip (Flask's and Django's own headers are mappings); werkzeug's
    # and gunicorn's servers answer it with a 500, as for the other shapes
    sim, sid = inbound(answering_with("200 OK", headers))
    assert sim.calls[sid].said == [APPLICATION_ERROR_MESSAGE]
    assert failures(sim) == [
        (
            11200,
            "error",
            f"{APP_URL}/voice",
            f"the app passed start_response() the headers {written}, not a list of (name, "
            "value) pairs of str (a WSGI server answers it with HTTP 500); write "
            f"[('Content-Type', 'text/xml')]; {APPLICATION_ERROR_THEN}",
        )
    ]


@pytest.mark.parametrize(("returned", "written"), [(None, "None (NoneType)"), (200, "200 (int)")])
def test_an_app_returning_no_iterable_is_11200_saying_what_to_return(
    returned: Any, written: str
) -> None:
    """A WSGI app that forgot its return read 'the app raised TypeError: NoneType object
    is not iterable': twimlsim's error, laid on the app."""

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        start_response("200 OK", [("Content-Type", "text/xml")])
        return returned

    sim, sid = inbound(app)
    assert sim.calls[sid].said == [APPLICATION_ERROR_MESSAGE]
    assert failures(sim) == [
        (
            11200,
            "error",
            f"{APP_URL}/voice",
            f"the app returned {written}, not an iterable of bytes (a WSGI server answers it "
            "with HTTP 500); return the body in a list: [body.encode()] for a str, [body] for "
            f"bytes; {APPLICATION_ERROR_THEN}",
        )
    ]


def test_a_first_pause_longer_than_the_clock_can_run_rings_at_most_the_time_limit() -> None:
    document = b'<Response><Pause length="99999999999999999999999"/><Say>Hi</Say></Response>'
    sim, sid = inbound(answering(document))
    call = sim.calls[sid]
    assert [type(e) for e in call.transcript if isinstance(e, Paused | Said)] == [Paused, Said]
    paused = next(e for e in call.transcript if isinstance(e, Paused))
    assert paused.seconds == 14400
    assert (call.status, call.said, failures(sim)) == ("completed", ["Hi"], [])
    assert call.answered_at == datetime(2026, 1, 1, 13, 0, tzinfo=UTC)


HUGE = "9" * 5000  # more digits than Python's int() reads (4,300)


def test_an_attribute_of_thousands_of_digits_is_a_warning_not_a_crash() -> None:
    document = f'<Response><Record maxLength="{HUGE}"/></Response>'.encode()
    parsed = parse_twiml(document, "text/xml")
    assert [(p.code, p.level, p.element, p.line) for p in parsed.problems] == [
        (13612, "warning", "Record", 1)
    ]
    # the value is shown cut to 80 characters
    assert parsed.problems[0].message == (
        f"<Record> maxLength='{HUGE[:76]}... is invalid: expected an integer from 1 to "
        "86400; using 3600"
    )


def test_a_pause_of_thousands_of_digits_in_a_call_ends_at_the_time_limit() -> None:
    document = f'<Response><Say>Hi</Say><Pause length="{HUGE}"/></Response>'.encode()
    sim, sid = inbound(answering(document))
    call = sim.calls[sid]
    assert (call.status, call.duration, [f.code for f in sim.failures]) == (
        "completed",
        14400,
        [32015],
    )


def test_a_dial_in_a_whisper_document_is_13201_and_dials_nobody() -> None:
    # every path answers the same document: the whisper of the dialled client dials again
    document = b'<Response><Dial><Client url="/whisper">alice</Client></Dial></Response>'
    with Simulator(strict=False) as sim:
        sim.route(APP_URL, answering_everywhere(document))
        sim.number(CALLER_ID, voice_url=f"{APP_URL}/voice")
        sim.phone(CALLEE).hangs_up(after=30)
        call = sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        sim.run()
    assert [leg.record.to for leg in call.children] == ["client:alice"]
    assert call.children[0].children == []
    assert [(f.code, f.level, f.element, f.line, f.call_sid) for f in sim.failures] == [
        (13201, "error", "Dial", 1, call.children[0].sid)
    ]
    assert sim.failures[0].message == (
        "<Dial> cannot run in the whisper document of a dialled leg (the url of <Number>, "
        "<Client> or <Sip>): Twilio does not dial out from a Dial call segment; twimlsim "
        "skipped it"
    )


def answering_everywhere(body: bytes) -> WSGI:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        start_response("200 OK", [("Content-Type", "text/xml")])
        return [body]

    return app


def test_an_application_that_dials_itself_is_stopped_by_max_calls_per_run() -> None:
    sids: list[str] = []

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        start_response("200 OK", [("Content-Type", "text/xml")])
        noun = f"<Application><ApplicationSid>{sids[0]}</ApplicationSid></Application>"
        return [f"<Response><Dial>{noun}</Dial></Response>".encode()]

    with Simulator(strict=False, max_calls_per_run=50) as sim:
        sim.route(APP_URL, app)
        sids.append(sim.application(voice_url=f"{APP_URL}/app").sid)
        sim.number(CALLER_ID, voice_url=f"{APP_URL}/voice")
        sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        with pytest.raises(RunawayCalls) as stopped:
            sim.run()
    assert len(sim.calls) == 52  # the caller's leg, then 51 dialled: the 51st stops the run
    assert [f.message for f in stopped.value.failures] == [
        "run stopped after 50 calls were created while it ran (52 calls are still queued or "
        "live): the app's webhooks keep placing calls (does each call place another?). Fix "
        "the app, or allow more with Simulator(max_calls_per_run=...)"
    ]


def test_a_get_redirect_to_an_unparsable_url_is_11100_not_a_python_error() -> None:
    document = b'<Response><Redirect method="GET">http://[::1</Redirect></Response>'
    sim, sid = inbound(answering(document))
    assert sim.calls[sid].said == [APPLICATION_ERROR_MESSAGE]
    assert [(f.code, f.url) for f in sim.failures] == [(11100, "http://[::1")]
    assert sim.calls[sid].requests[-1].url.startswith("http://[::1?Called=%2B")

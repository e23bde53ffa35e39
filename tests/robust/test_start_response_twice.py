"""A WSGI app that calls ``start_response`` a second time without ``exc_info`` is refused
as a WSGI server refuses it (PEP 3333: Headers already set), so the app fails with HTTP 500
as it would in production (the second status was taken: a ``500`` then a ``200`` passed);
with ``exc_info`` (an error page) the app's own error is told."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from typing import Any

import pytest

from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim import SimulationError, Simulator

SAY_HI = [b"<Response><Say>Hi</Say></Response>"]
THEN = "; twimlsim then played Twilio's application-error message and hung up, as Twilio does"


def failure_of(app: Callable[..., Iterable[bytes]]) -> tuple[str, list[str]]:
    """One call to ``app``: its one failure's message and what the call said."""
    with pytest.raises(SimulationError) as raised, Simulator() as sim:
        sim.route(APP_URL, app)
        sim.number(CALLER_ID)
        sid = sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice").sid
        sim.run()
    (failure,) = raised.value.failures
    assert (failure.code, failure.url) == (11200, f"{APP_URL}/voice")
    return failure.message, sim.calls[sid].said


def test_a_second_start_response_without_exc_info_fails_the_app_as_a_server_does() -> None:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        start_response("500 Internal Server Error", [("Content-Type", "text/plain")])
        start_response("200 OK", [("Content-Type", "text/xml")])
        return SAY_HI

    message, said = failure_of(app)
    assert message == (
        "the app raised AssertionError: start_response() was called again (with '200 OK') "
        "after '500 Internal Server Error' without exc_info: a WSGI server refuses it as "
        f"Headers already set (PEP 3333); call it once (Twilio sees HTTP 500){THEN}"
    )
    assert said == ["We are sorry, an application error has occurred. Goodbye."]


def test_exc_info_raises_the_apps_error_whenever_it_is_given() -> None:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        start_response("200 OK", [("Content-Type", "text/xml")])
        yield b"<Response>"
        try:
            raise LookupError("no such menu")
        except LookupError:
            start_response("500 Internal Server Error", [], sys.exc_info())

    message, _ = failure_of(app)
    assert message == f"the app raised LookupError: no such menu (Twilio sees HTTP 500){THEN}"

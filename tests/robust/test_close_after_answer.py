"""An app whose ``close()`` raises after its whole answer was read (a Flask
``call_on_close`` function that fails, teardown work): a WSGI server has sent the answer by
then and only logs the error, so the call goes on with the answer, as on Twilio; twimlsim
logs it to ``twimlsim.wsgi``. After an answer that could not be read, that failure is the
one reported, not the ``close()``'s."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask

from tests.robust.test_wsgi_body_pieces import not_bytes_message
from tests.support import APP_URL, called_in
from twimlsim import Simulator
from twimlsim.engine.interpreter import APPLICATION_ERROR_MESSAGE, APPLICATION_ERROR_THEN


def incoming(app: Any) -> Simulator:
    return called_in(app)


def flask_app() -> Flask:
    app = Flask(__name__)

    @app.post("/voice")
    def voice() -> Any:
        response = app.make_response(("<Response><Say>Hello</Say></Response>", 200))
        response.content_type = "text/xml"

        @response.call_on_close
        def audit() -> None:
            raise RuntimeError("the audit log is down")

        return response

    return app


def test_a_close_that_fails_after_the_answer_leaves_the_call_its_answer(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="twimlsim.wsgi"):
        sim = incoming(flask_app())
    assert sim.failures == []
    assert next(iter(sim.calls.values())).said == ["Hello"]
    (record,) = [r for r in caplog.records if r.name == "twimlsim.wsgi"]
    assert record.getMessage() == (
        f"the app's answer to {APP_URL}/voice was sent, then its close() raised: a WSGI "
        "server logs it and Twilio still has the answer, so the call went on with it"
    )
    assert record.exc_info is not None and str(record.exc_info[1]) == "the audit log is down"


class _BrokenBody:
    def __iter__(self) -> Iterator[Any]:
        return iter([None])

    def close(self) -> None:
        raise RuntimeError("close failed too")


def test_a_close_that_fails_after_a_failed_answer_leaves_that_failure_reported(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        start_response("200 OK", [("Content-Type", "text/xml")])
        return _BrokenBody()

    with caplog.at_level(logging.WARNING, logger="twimlsim.wsgi"):
        sim = incoming(app)
    assert [(f.code, f.message) for f in sim.failures] == [
        (
            11200,
            not_bytes_message("None (NoneType)"),
        )
    ]
    assert next(iter(sim.calls.values())).said == [APPLICATION_ERROR_MESSAGE]
    assert [r.getMessage() for r in caplog.records if r.name == "twimlsim.wsgi"] == [
        f"the app's answer to {APP_URL}/voice failed, and then its close() raised too"
    ]


class _UnIterable:
    def __init__(self, closed: list[str]) -> None:
        self.closed = closed

    def __iter__(self) -> Iterator[bytes]:
        raise ValueError("no body")

    def close(self) -> None:
        self.closed.append("closed")


def test_an_answer_that_cannot_even_be_iterated_is_still_closed() -> None:
    # PEP 3333: close() is called "whether the request was completed normally, or
    # terminated early due to an application error" (Django's request_finished)
    closed: list[str] = []

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        start_response("200 OK", [("Content-Type", "text/xml")])
        return _UnIterable(closed)

    sim = incoming(app)
    assert [(f.code, f.message) for f in sim.failures] == [
        (
            11200,
            "the app raised ValueError: no body (Twilio sees HTTP 500); " + APPLICATION_ERROR_THEN,
        )
    ]
    assert closed == ["closed"]

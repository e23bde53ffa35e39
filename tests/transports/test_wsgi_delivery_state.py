"""The in-process transport leaves nothing of a delivery behind: the read deadline it set
is put back however the app ends, a delivery's caught exception is its own, and a status
line is read exactly as a WSGI server reads it."""

from __future__ import annotations

import logging
import subprocess
import sys
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.support import APP_URL
from twimlsim.engine.webhooks import WebhookDeliveryError, WebhookRequest
from twimlsim.transports.timing import WallTimeLimit, read_deadline, reading_until
from twimlsim.transports.wsgi import _LOGGED_ERRORS, WSGITransport

WSGI = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def request() -> WebhookRequest:
    return WebhookRequest(
        "POST", f"{APP_URL}/voice", {}, {}, "voice", "CA1", datetime(2026, 1, 1, tzinfo=UTC)
    )


def routed(app: WSGI) -> WSGITransport:
    transport = WSGITransport()
    transport.mount(APP_URL, app)
    return transport


@pytest.mark.parametrize("outer", [None, 1234.5])
def test_the_read_deadline_is_put_back_after_an_app_that_raises(outer: float | None) -> None:
    seen: list[float | None] = []

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        seen.append(read_deadline())
        raise RuntimeError("database down")

    limited = WallTimeLimit(routed(app), 15.0, clock=lambda: 100.0)
    with reading_until(outer):
        with pytest.raises(WebhookDeliveryError) as raised:
            limited.send(request())
        assert read_deadline() == outer
    assert read_deadline() is None
    assert seen == [115.0]
    assert (raised.value.code, str(raised.value)) == (
        11200,
        "the app raised RuntimeError: database down (Twilio sees HTTP 500)",
    )


def test_a_delivery_ended_out_of_order_leaves_the_other_one_catching() -> None:
    factory = logging.getLogRecordFactory()
    handlers = list(logging.root.handlers)
    first = _LOGGED_ERRORS.begin()
    second = _LOGGED_ERRORS.begin()
    _LOGGED_ERRORS.end(first)
    try:
        raise LookupError("no such caller")
    except LookupError as error:
        logging.getLogger("app").error("failed", exc_info=True)
        caught = error
    assert first.error is None
    assert second.error is caught
    assert logging.root.handlers == handlers  # caught from the record made, no handler added
    _LOGGED_ERRORS.end(second)
    assert (logging.getLogRecordFactory(), logging.root.handlers) == (factory, handlers)


def answering(status: str) -> WSGI:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        start_response(status, [("Content-Type", "text/xml")])
        return [b"<Response/>"]

    return app


@pytest.mark.parametrize(("status", "code"), [("200 OK", 200), ("200", 200), ("404 ", 404)])
def test_a_status_line_gives_its_code(status: str, code: int) -> None:
    assert routed(answering(status)).send(request()).status == code


@pytest.mark.parametrize("status", ["\uff12\uff10\uff10 OK", "+20 OK", "2000 OK", "20 OK"])
def test_a_status_line_a_server_refuses_is_11200(status: str) -> None:
    with pytest.raises(WebhookDeliveryError) as raised:
        routed(answering(status)).send(request())
    assert (raised.value.code, str(raised.value)) == (
        11200,
        f"the app passed start_response() the status {status!r}, not a WSGI status line such "
        "as '200 OK' (a WSGI server answers it with HTTP 500)",
    )


# A program with no logging set up (a script driving a Simulator, twimlsim call --app): an
# app's warning while it answers, and twimlsim's own about the answer under way, reach
# standard error through logging's last resort, as they do without twimlsim's handler.
WARNS_WHILE_ANSWERING = """
import logging
from twimlsim import Simulator

def app(environ, start_response):
    logging.getLogger("shop.voice").warning("caller %s has no account", "+15558675310")
    logging.getLogger("shop.voice").info("not shown: below the last resort's level")
    start_response("200 OK", [("Content-Type", "text/xml")])
    return [b"<Response><Say>Welcome</Say></Response>"]

with Simulator() as sim:
    sim.route("https://app.test", app)
    sim.number("+15005550006")
    sim.client().calls.create(
        to="+15558675310", from_="+15005550006", url="https://app.test/voice"
    )
    sim.run()
logging.getLogger("shop.voice").warning("after the run")
"""


def test_a_warning_logged_while_the_app_answers_reaches_the_last_resort() -> None:
    done = subprocess.run(
        [sys.executable, "-c", WARNS_WHILE_ANSWERING],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert (done.returncode, done.stdout, done.stderr) == (
        0,
        "",
        "caller +15558675310 has no account\nafter the run\n",
    )


# the logger's own handler, a parent's, the root's (basicConfig), or none: printed once
@pytest.mark.parametrize("holder", ["shop.voice.told", "shop", "", None])
def test_a_warning_logged_while_an_app_answers_is_handled_once(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, holder: str | None
) -> None:
    caught: list[str] = []

    class Keeps(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            caught.append(record.getMessage())

    monkeypatch.setattr(logging.root, "handlers", [])  # no logging set up (pytest's gone)
    if holder is not None:
        taker = logging.getLogger(holder) if holder else logging.root
        monkeypatch.setattr(taker, "handlers", [Keeps()])
    slot = _LOGGED_ERRORS.begin()
    try:
        logging.getLogger("shop.voice.told").warning("told once")
    finally:
        _LOGGED_ERRORS.end(slot)
    expected = ([], "told once\n") if holder is None else (["told once"], "")
    assert (caught, capsys.readouterr().err) == expected


# Flask adds its default handler to an app's logger when it first makes it, unless a
# handler is found up the tree: an app first logging while it answers a webhook keeps it.
FLASK_LOGS_WHILE_ANSWERING = """
import logging
from flask import Flask
from flask.logging import default_handler
from twimlsim import Simulator

app = Flask("shop_voice")

@app.post("/voice")
def voice():
    app.logger.warning("answering %s", "+15558675310")
    return "<Response><Say>Welcome</Say></Response>", {"Content-Type": "text/xml"}

@app.post("/broken")
def broken():
    raise LookupError("no such caller")

with Simulator(strict=False) as sim:
    sim.route("https://app.test", app)
    sim.number("+15005550006")
    client = sim.client()
    for path in ("voice", "broken"):
        client.calls.create(
            to="+15558675310", from_="+15005550006", url=f"https://app.test/{path}"
        )
    sim.run()
print(app.logger.handlers == [default_handler], logging.getLogRecordFactory() is logging.LogRecord)
print(sim.failures[0].message)
"""


def test_a_flask_app_first_logging_while_it_answers_keeps_its_default_handler() -> None:
    done = subprocess.run(
        [sys.executable, "-c", FLASK_LOGS_WHILE_ANSWERING],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    # Flask's own format, as without twimlsim; the exception behind the 500 still named
    assert (done.returncode, done.stdout, done.stderr.splitlines()[:2], done.stderr[-28:]) == (
        0,
        "True True\nthe app answered HTTP 500 to POST; it raised LookupError: no such caller; "
        "its body: '500 Internal Server Error Internal Server Error The server encountered an "
        "internal error and was unable to complete your request. Either the server is "
        "overloaded or there is an error in the application.'; twimlsim then played Twilio's "
        "application-error message and hung up, as Twilio does\n",
        [
            "[2026-01-01 09:00:00,000] WARNING in <string>: answering +15558675310",
            "[2026-01-01 09:00:01,000] ERROR in app: Exception on /broken [POST]",
        ],
        "LookupError: no such caller\n",
    )


def test_an_exception_a_logger_keeps_to_itself_is_caught_and_a_factory_set_meanwhile_stays() -> (
    None
):
    original = logging.getLogRecordFactory()
    quiet = logging.getLogger("shop.audit")
    quiet.propagate = False  # its own handlers only: none reaches the root logger
    slot = _LOGGED_ERRORS.begin()
    ours = logging.getLogRecordFactory()

    def theirs(*args: Any, **kwargs: Any) -> logging.LogRecord:  # an app's, set while it answers
        return ours(*args, **kwargs)

    logging.setLogRecordFactory(theirs)
    try:
        try:
            raise LookupError("no such caller")
        except LookupError as error:
            quiet.error("failed", exc_info=True)
            caught = error
    finally:
        _LOGGED_ERRORS.end(slot)
        quiet.propagate = True
    try:
        assert (slot.error is caught, logging.getLogRecordFactory() is theirs) == (True, True)
    finally:
        logging.setLogRecordFactory(original)


def test_a_factory_the_app_set_around_ours_and_kept_is_wrapped_at_the_next_delivery() -> None:
    original = logging.getLogRecordFactory()
    made: list[str] = []
    first = _LOGGED_ERRORS.begin()
    ours = logging.getLogRecordFactory()

    def theirs(*args: Any, **kwargs: Any) -> logging.LogRecord:  # set once, never put back
        made.append(args[0])
        return ours(*args, **kwargs)

    logging.setLogRecordFactory(theirs)
    _LOGGED_ERRORS.end(first)
    second = _LOGGED_ERRORS.begin()
    try:
        try:
            raise LookupError("no such caller")
        except LookupError as error:
            # one shared factory wrapping the app's called itself through it: RecursionError
            logging.getLogger("shop").error("failed", exc_info=True)
            caught = error
    finally:
        _LOGGED_ERRORS.end(second)
    try:
        assert (first.error, second.error is caught, made, logging.getLogRecordFactory()) == (
            None,
            True,
            ["shop"],
            theirs,
        )
    finally:
        logging.setLogRecordFactory(original)

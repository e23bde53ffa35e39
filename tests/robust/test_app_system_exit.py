"""An app that raises ``SystemExit`` while answering a webhook (``sys.exit()`` in a view):
a WSGI server ends the thread or worker answering it (werkzeug's, gunicorn's), so Twilio's
connection closes without an answer. It is that call's failure; ``sim.run()`` goes on."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Callable, Iterable
from typing import Any

import pytest

from twimlsim import Simulator
from twimlsim.engine.interpreter import APPLICATION_ERROR_THEN


def exiting(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    sys.exit(3)


def test_system_exit_in_a_webhook_is_the_calls_failure() -> None:
    with Simulator(strict=False) as sim:
        sim.route("https://app.test", exiting)
        sim.number("+15005550006", voice_url="https://app.test/voice")
        call = sim.incoming_call(from_="+15555550001", to="+15005550006")
        sim.run()
    assert call.status == "completed"
    assert [(f.code, f.url, f.message, type(f.cause)) for f in sim.failures] == [
        (
            11205,
            "https://app.test/voice",
            "the app raised SystemExit(3) while answering: a WSGI server (werkzeug's, "
            "gunicorn's) ends the thread or worker answering the request, so Twilio's "
            "connection closed without an answer; return an error response instead of "
            f"exiting; {APPLICATION_ERROR_THEN}",
            SystemExit,
        )
    ]


async def exiting_asgi(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        return
    sys.exit(3)


def test_system_exit_in_an_asgi_webhook_is_uvicorns_500_not_a_hang() -> None:
    with Simulator(strict=False) as sim:
        sim.route("https://app.test", exiting_asgi)
        sim.number("+15005550006", voice_url="https://app.test/voice")
        call = sim.incoming_call(from_="+15555550001", to="+15005550006")
        sim.run()
    assert call.status == "completed"
    assert [(f.code, f.message) for f in sim.failures] == [
        (
            11200,
            "the app raised AppExited: SystemExit(3) while answering; uvicorn catches it as it "
            "catches any exception and answers HTTP 500: return an error response instead of "
            f"exiting (Twilio sees HTTP 500); {APPLICATION_ERROR_THEN}",
        )
    ]


def raising_asgi(raised: BaseException) -> Any:
    """An ASGI app whose voice webhook raises ``raised``, and whose /second answers."""

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            return
        if scope["path"] == "/voice":
            raise raised
        headers = [(b"content-type", b"text/xml")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"<Response><Say>On.</Say></Response>"})

    return app


def test_keyboard_interrupt_or_generator_exit_in_an_asgi_webhook_is_uvicorns_500() -> None:
    """Out of the app's task they stopped its event loop: every later webhook to it waited
    for ever (KeyboardInterrupt), or escaped sim.run() leaving the call ringing
    (GeneratorExit). No Ctrl-C reaches the loop's thread: the app raised them."""
    for raised, shown in (
        (KeyboardInterrupt(), "KeyboardInterrupt()"),
        (GeneratorExit(), "GeneratorExit()"),
    ):
        with Simulator(strict=False) as sim:
            sim.route("https://app.test", raising_asgi(raised))
            sim.number("+15005550006", voice_url="https://app.test/voice")
            call = sim.incoming_call(from_="+15555550001", to="+15005550006")
            sim.run()
            second = sim.client().calls.create(
                to="+15555550001", from_="+15005550006", url="https://app.test/second"
            )
            sim.run()
        assert (call.status, sim.calls[second.sid].said) == ("completed", ["On."])
        assert [(f.code, f.message) for f in sim.failures] == [
            (
                11200,
                f"the app raised AppInterrupted: {shown} while answering; uvicorn catches it "
                "as it catches any exception and answers HTTP 500: raise an Exception, or "
                f"return an error response (Twilio sees HTTP 500); {APPLICATION_ERROR_THEN}",
            )
        ]


@pytest.mark.parametrize("webhook_timeout", [15.0, None])
def test_a_cancelled_error_the_asgi_app_raises_itself_is_uvicorns_500(
    webhook_timeout: float | None,
) -> None:
    """A ``CancelledError`` out of the app (a task it awaited was cancelled) with no one
    cancelling its own task: a2wsgi dropped the answer without a word and the webhook
    waited for ever, past the read timeout (there is no wait_for to end it without one)."""
    with Simulator(strict=False, webhook_timeout=webhook_timeout) as sim:
        sim.route("https://app.test", raising_asgi(asyncio.CancelledError()))
        sim.number("+15005550006", voice_url="https://app.test/voice")
        call = sim.incoming_call(from_="+15555550001", to="+15005550006")
        sim.run()
        second = sim.client().calls.create(
            to="+15555550001", from_="+15005550006", url="https://app.test/second"
        )
        sim.run()
    assert (call.status, sim.calls[second.sid].said) == ("completed", ["On."])
    assert [(f.code, f.message) for f in sim.failures] == [
        (
            11200,
            "the app raised AppInterrupted: CancelledError() while answering; uvicorn catches "
            "it as it catches any exception and answers HTTP 500: raise an Exception, or "
            f"return an error response (Twilio sees HTTP 500); {APPLICATION_ERROR_THEN}",
        )
    ]


def test_generator_exit_in_a_wsgi_webhook_is_the_calls_failure() -> None:
    """It escaped sim.run(), the call left ringing with no failure."""

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        raise GeneratorExit

    with Simulator(strict=False) as sim:
        sim.route("https://app.test", app)
        sim.number("+15005550006", voice_url="https://app.test/voice")
        call = sim.incoming_call(from_="+15555550001", to="+15005550006")
        sim.run()
    assert call.status == "completed"
    assert [(f.code, f.message) for f in sim.failures] == [
        (
            11205,
            "the app raised GeneratorExit while answering: a WSGI server (werkzeug's, "
            "gunicorn's) ends the thread or worker answering the request, so Twilio's "
            "connection closed without an answer; raise an Exception, or return an error "
            f"response; {APPLICATION_ERROR_THEN}",
        )
    ]


def test_ctrl_c_during_an_asgi_webhook_warns_of_no_work_the_app_left_running(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Interrupted while the app was halfway through its answer, the simulator stopped with
    a warning that the app "still ran ASGIApp._serve(), _exit_caught()" (twimlsim's own
    functions) and lost work such as "a REST update of a call": advice for another case."""

    async def slow(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            return
        headers = [(b"content-type", b"text/xml")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"<Response>", "more_body": True})
        await asyncio.Event().wait()  # the rest of the answer never comes

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt  # Ctrl-C while the answer is read

    monkeypatch.setattr("twimlsim.transports.wsgi.read_answer", interrupted)
    caplog.set_level(logging.WARNING, logger="twimlsim")
    with pytest.raises(KeyboardInterrupt), Simulator(strict=False) as sim:
        sim.route("https://app.test", slow)
        sim.number("+15005550006", voice_url="https://app.test/voice")
        sim.incoming_call(from_="+15555550001", to="+15005550006")
        sim.run()
    assert [record.getMessage() for record in caplog.records] == []


def test_an_exception_without_text_is_named_by_its_type_alone() -> None:
    """``raise ValueError`` in a view read "the app raised ValueError:  (Twilio sees HTTP
    500)", a colon with nothing after it."""

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        raise ValueError

    with Simulator(strict=False) as sim:
        sim.route("https://app.test", app)
        sim.number("+15005550006", voice_url="https://app.test/voice")
        sim.incoming_call(from_="+15555550001", to="+15005550006")
        sim.run()
    assert [(f.code, f.message) for f in sim.failures] == [
        (11200, f"the app raised ValueError (Twilio sees HTTP 500); {APPLICATION_ERROR_THEN}")
    ]

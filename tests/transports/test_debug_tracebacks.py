"""A 500 whose exception the app did not log: a debug-mode traceback read from its body,
and Litestar's bare answer outside debug mode, which says how to see the exception."""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from tests.transports.test_app_errors import ERRORS, failure_of
from twimlsim.cli import main
from twimlsim.engine.diagnosis import explain
from twimlsim.engine.webhooks import WebhookResponse

#: The body Litestar 2 answers an exception in a handler with, outside debug mode (its
#: create_exception_response, as a Litestar 2.25 app sends it).
LITESTAR_500 = b'{"status_code":500,"detail":"Internal Server Error"}'

#: What Litestar 2 answers in debug mode: the traceback as plain text.
LITESTAR_DEBUG_500 = b"""Traceback (most recent call last):
  File "/site-packages/litestar/middleware/_internal/exceptions.py", line 158, in __call__
    await self.app(scope, receive, capture_response_started)
  File "/site-packages/litestar/routes/http.py", line 181, in _call_handler_function
    else await route_handler.fn(**parsed_kwargs)
  File "/srv/remindly/app.py", line 42, in reminder
    appt = store.APPOINTMENTS[appointment_id]
           ~~~~~~~~~~~~~~~~~~^^^^^^^^^^^^^^^^
KeyError: 1
"""

Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


def answering(body: bytes) -> Callable[[dict[str, Any], Receive, Send], Awaitable[None]]:
    """An ASGI app that answers every request 500 with ``body``, logging nothing."""

    async def app(scope: dict[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        headers = [(b"content-type", b"text/plain; charset=utf-8")]
        await send({"type": "http.response.start", "status": 500, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    return app


def test_a_debug_traceback_in_the_body_names_its_exception_and_innermost_frame() -> None:
    message, error = failure_of(answering(LITESTAR_DEBUG_500))
    assert message == (
        "https://app.test/voice: the app answered HTTP 500 to POST; its body is the "
        "traceback of KeyError: 1, raised in reminder (/srv/remindly/app.py, line 42)" + ERRORS
    )
    assert error.__cause__ is None


def test_litestars_500_outside_debug_mode_says_how_to_see_the_exception() -> None:
    message, _ = failure_of(answering(LITESTAR_500))
    assert message == (
        "https://app.test/voice: the app answered HTTP 500 to POST; its body: "
        '\'{"status_code":500,"detail":"Internal Server Error"}\'; hint: this is '
        "Litestar's answer to an exception in a handler, which it logs only in debug mode: "
        "give the routed app debug=True in the test (app.debug = True, or Litestar(..., "
        "debug=True)), and its 500 then carries the traceback, which twimlsim reads" + ERRORS
    )


def test_a_body_with_a_traceback_cut_short_is_quoted_as_it_is() -> None:
    cut = LITESTAR_DEBUG_500.split(b"\n")[:5]  # ends inside a frame: no exception line
    message, _ = failure_of(answering(b"\n".join(cut)))
    assert message == (
        "https://app.test/voice: the app answered HTTP 500 to POST; its body: 'Traceback "
        '(most recent call last): File "/site-packages/litestar/middleware/_internal/'
        'exceptions.py", line 158, in __call__ await self.app(scope, receive, '
        'capture_response_started) File "/site-packages/litestar/routes/http.py", line '
        "181, in _call_handler_function else await route_handler.fn(**par...'; hint: the app "
        "logged no exception; its own log may say more" + ERRORS
    )


def test_litestars_500_from_an_app_in_its_own_server_says_to_run_it_in_debug_mode() -> None:
    response = WebhookResponse(500, (("Content-Type", "text/plain"),), LITESTAR_500)
    assert explain(response, "POST", "http://127.0.0.1:8000/voice", over_http=True) == (
        'its body: \'{"status_code":500,"detail":"Internal Server Error"}\'; hint: this is '
        "Litestar's answer to an exception in a handler, which it logs only in debug mode: "
        "run it in debug mode (Litestar(..., debug=True), or litestar run --debug), and its "
        "500 then carries the traceback, which twimlsim reads"
    )


def test_twimlsim_call_with_app_says_to_make_the_litestar_app_in_debug_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "bare500.py").write_text(
        "from tests.transports.test_debug_tracebacks import LITESTAR_500, answering\n\n"
        "app = answering(LITESTAR_500)\n"
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.delitem(sys.modules, "bare500", raising=False)
    url = "https://app.test/voice"
    assert main(["call", url, "--no-interactive", "--app", "bare500.py:app"]) == 1
    (problem,) = [
        line for line in capsys.readouterr().out.splitlines() if "Twilio error 11200" in line
    ]
    assert problem == (
        "  call CAee4a56ad3092da64d5ba892549669298: Twilio error 11200 (HTTP retrieval failure) "
        "at https://app.test/voice: the app answered HTTP 500 to POST; "
        'its body: \'{"status_code":500,"detail":"Internal Server Error"}\'; hint: this is '
        "Litestar's answer to an exception in a handler, which it logs only in debug mode: "
        "make the app with Litestar(..., debug=True) for --app, and its 500 then carries the "
        "traceback, which twimlsim reads" + ERRORS
    )

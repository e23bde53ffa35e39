"""An app whose answer streams without end (empty pieces forever) or too slowly (a byte
at a time past the read timeout) fails its webhook with 11200, as Twilio's read timeout
ends it; the test is never held."""

from __future__ import annotations

import asyncio
import itertools
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from werkzeug.serving import make_server

from tests.support import APP_URL, called_in
from twimlsim import Simulator
from twimlsim.engine.interpreter import APPLICATION_ERROR_MESSAGE, APPLICATION_ERROR_THEN
from twimlsim.engine.webhooks import WebhookDeliveryError, WebhookRequest
from twimlsim.transports.answer import MAX_EMPTY_CHUNKS
from twimlsim.transports.asgi import AnswerTimeout, _AnswerGuard
from twimlsim.transports.http import HTTPTransport
from twimlsim.transports.timing import LIFT_THE_LIMIT

WSGI = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def streaming(body: Callable[[], Iterator[bytes]]) -> WSGI:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        start_response("200 OK", [("Content-Type", "text/xml")])
        return body()

    return app


def inbound(app: WSGI, **options: Any) -> Simulator:
    return called_in(app, freeze_time=False, **options)


def test_an_answer_of_empty_pieces_without_end_is_11200() -> None:
    def body() -> Iterator[bytes]:
        yield b"<Response>"
        yield from (b"" for _ in itertools.count())

    sim = inbound(streaming(body), webhook_timeout=None)  # no read timeout: still ends
    assert [(f.code, f.message) for f in sim.failures] == [
        (
            11200,
            f"the answer from {APP_URL}/voice sent {MAX_EMPTY_CHUNKS:,} empty pieces in a row "
            f"and no end (an endless body); end the body once the TwiML is sent; "
            f"{APPLICATION_ERROR_THEN}",
        )
    ]
    assert [str(said) for said in next(iter(sim.calls.values())).said] == [
        APPLICATION_ERROR_MESSAGE
    ]


def test_an_answer_still_arriving_at_the_read_timeout_is_11200() -> None:
    def body() -> Iterator[bytes]:
        yield b"<Response>"
        while True:
            time.sleep(0.02)
            yield b" "

    started = time.monotonic()
    sim = inbound(streaming(body), webhook_timeout=0.2)
    assert time.monotonic() - started < 2
    assert [(f.code, f.message) for f in sim.failures] == [
        (
            11200,
            f"the answer from {APP_URL}/voice was still arriving when Twilio's read timeout "
            "ran out (a slow or endless body); Twilio gives up on the request then. Send the "
            f"whole TwiML at once; {LIFT_THE_LIMIT}; {APPLICATION_ERROR_THEN}",
        )
    ]


def test_a_complete_answer_followed_by_an_endless_stream_is_used() -> None:
    document = b"<Response><Say>Hi</Say></Response>"

    def body() -> Iterator[bytes]:
        yield document
        yield from (b"" for _ in itertools.count())

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        start_response(
            "200 OK", [("Content-Type", "text/xml"), ("Content-Length", str(len(document)))]
        )
        return body()

    sim = inbound(app, webhook_timeout=None)
    assert (sim.failures, [str(s) for s in next(iter(sim.calls.values())).said]) == ([], ["Hi"])


def test_over_http_a_body_that_drips_past_the_read_timeout_is_11200() -> None:
    def drip() -> Iterator[bytes]:
        yield b"<Response>"
        for _ in range(200):  # 10 s in all: far past the 0.3 s read timeout
            time.sleep(0.05)
            yield b" "

    server = make_server("127.0.0.1", 0, streaming(drip), threaded=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.port}/voice"
    request = WebhookRequest("POST", url, {}, {}, "voice", "CA1", datetime(2026, 1, 1, tzinfo=UTC))
    started = time.monotonic()
    try:
        with pytest.raises(WebhookDeliveryError) as failed:
            HTTPTransport(read_timeout=0.3).send(request)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
    assert time.monotonic() - started < 3
    assert (failed.value.code, failed.value.message) == (
        11200,
        f"the answer from {url} was still arriving when Twilio's read timeout ran out (a "
        "slow or endless body); Twilio gives up on the request then. Send the whole TwiML "
        f"at once; {LIFT_THE_LIMIT}",
    )


@pytest.mark.parametrize("sent", [0, 1], ids=["before-its-answer", "halfway-through-its-body"])
def test_an_asgi_app_that_stops_answering_is_cut_at_the_read_timeout(sent: int) -> None:
    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        assert scope["type"] == "http"
        if sent:
            headers = [(b"content-type", b"text/xml")]
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": b"<Response>", "more_body": True})
        await asyncio.sleep(3600)

    started = time.monotonic()
    sim = inbound(app, webhook_timeout=0.2)  # type: ignore[arg-type]
    assert time.monotonic() - started < 5
    assert [(f.code, f.message) for f in sim.failures] == [
        (
            11200,
            "the ASGI app had not finished its answer when Twilio's read timeout ran out; it "
            "was cancelled (Twilio gives up on the request then). Answer sooner; "
            f"{LIFT_THE_LIMIT}; {APPLICATION_ERROR_THEN}",
        )
    ]


def test_an_async_view_that_blocks_its_loop_past_the_read_timeout_is_not_a_slow_body() -> None:
    """A blocking call in an async view (``time.sleep``, ``requests``) holds the loop until
    after the deadline; the app then starts its answer and is cancelled there, or gets it
    out first (which of the two, the threads decide). Cancelled, a2wsgi could end that
    answer without the error, and its empty end was read as a body still streaming ("send
    the whole TwiML at once", advice for another app)."""

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        assert scope["type"] == "http"
        time.sleep(0.5)  # the mistake under test
        body = b"<Response><Say>Late.</Say></Response>"
        headers = [(b"content-type", b"text/xml"), (b"content-length", b"%d" % len(body))]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    sim = inbound(app, webhook_timeout=0.2)  # type: ignore[arg-type]
    [(code, message)] = [(f.code, f.message) for f in sim.failures]
    cancelled = (
        "the ASGI app had not finished its answer when Twilio's read timeout ran out; it "
        "was cancelled (Twilio gives up on the request then). Answer sooner; "
        f"{LIFT_THE_LIMIT}; {APPLICATION_ERROR_THEN}"
    )
    late = re.compile(
        re.escape("the app took ")
        + r"0\.\d s"
        + re.escape(
            f" of wall time to answer {APP_URL}/voice; the simulator waits at most 0.2 s "
            "(webhook_timeout; Twilio's read timeout is 15 s) and then gives up on the "
            "request. Make the webhook answer sooner (move slow work out of the request, to "
            "a thread or a job queue, and answer the TwiML at once); "
            f"{LIFT_THE_LIMIT}; {APPLICATION_ERROR_THEN}"
        )
    )
    assert code == 11200
    assert message == cancelled or late.fullmatch(message), message


def test_the_error_of_an_answer_cut_short_is_raised_at_a2wsgis_empty_end() -> None:
    """The WSGI side of an answer cut after its start: a2wsgi's empty end piece, then
    nothing; the error is raised there, not read as a body still streaming."""
    guard = _AnswerGuard()
    guard.failure = AnswerTimeout("cut")
    pieces = guard.checked(iter([b"<Response>", b"", b"never read"]))
    assert next(pieces) == b"<Response>"
    with pytest.raises(AnswerTimeout, match="^cut$"):
        next(pieces)

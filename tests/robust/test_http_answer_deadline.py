"""Over real HTTP, Twilio's read timeout bounds every byte of an answer: ``requests``'
timeout bounds each read only, so an answer whose head, a chunk's size line or trailers
came a few bytes at a time held the webhook far past the limit, and one of ``100
Continue`` after ``100 Continue`` held it for ever."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from twimlsim.engine.webhooks import WebhookDeliveryError
from twimlsim.transports.answer_deadline import DeadlineResponse, answering_by
from twimlsim.transports.http import HTTPTransport
from twimlsim.transports.timing import LIFT_THE_LIMIT, reading_until, wall_seconds

from .test_http_answers import read_request_path, request

LIMIT = 0.5


def _dripping(pieces: Iterator[bytes]) -> tuple[socket.socket, threading.Thread]:
    """A listener answering one request with ``pieces``, one every 50 ms, until they end
    or the client goes away."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(5)

    def answer() -> None:
        conn, _ = listener.accept()
        with conn:
            read_request_path(conn)
            try:
                for piece in pieces:
                    conn.sendall(piece)
                    time.sleep(0.05)
            except OSError:  # the client gave up on the answer
                pass

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    return listener, thread


def _endless(piece: bytes, first: bytes = b"") -> Iterator[bytes]:
    """``first``, then ``piece`` for 4 s (without end for the answer's reader): long
    enough past the limit to tell, short enough for a test that fails to end."""
    yield first
    for _ in range(80):
        yield piece


def _refused_after_drip(pieces: Iterator[bytes]) -> tuple[str, WebhookDeliveryError, float]:
    """The URL of a server dripping ``pieces``, the error sending a webhook there raised,
    and how long that took."""
    listener, thread = _dripping(pieces)
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/voice"
    transport = HTTPTransport(read_timeout=LIMIT)
    started = time.monotonic()
    try:
        with pytest.raises(WebhookDeliveryError) as failed:
            transport.send(request(url))
        took = time.monotonic() - started
    finally:
        transport.close()
        thread.join(timeout=10)
        listener.close()
    return url, failed.value, took


@pytest.mark.parametrize(
    "pieces",
    [
        # the status line a byte at a time: each read is quick, the whole far too slow
        pytest.param(lambda: iter([bytes([b]) for b in b"HTTP/1.1 200 OK\r\n" * 4]), id="status"),
        pytest.param(lambda: _endless(b"X-Padding: 1\r\n", b"HTTP/1.1 200 OK\r\n"), id="headers"),
        pytest.param(lambda: _endless(b"HTTP/1.1 100 Continue\r\n\r\n"), id="continue"),
        pytest.param(lambda: _endless(b"HTTP/1.1 103 Early Hints\r\n\r\n"), id="early-hints"),
    ],
)
def test_an_answer_whose_head_drips_past_the_read_timeout_is_11200_at_the_timeout(
    pieces: object,
) -> None:
    url, failed, took = _refused_after_drip(pieces())  # type: ignore[operator]
    assert (failed.code, failed.message) == (
        11200,
        f"{url} sent no answer within 0.5 s (the read timeout: Twilio's is 15 s); make the "
        "app answer sooner (move slow work out of the request); if it was stopped at a "
        "debugger breakpoint, or is slow only under test, give the command "
        "--webhook-timeout none (no limit) or more seconds",
    )
    assert failed.read_timeout == LIMIT  # what a webhook due meanwhile is named after
    assert took < LIMIT + 1.5  # was: the whole drip (about 3 s; for ever for 100 Continue)


DOCUMENT = b"<Response><Say>Hello</Say></Response>"
CHUNKED = b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nTransfer-Encoding: chunked\r\n\r\n"
LAST_CHUNK = b"%x\r\n%s\r\n0\r\n" % (len(DOCUMENT), DOCUMENT)


@pytest.mark.parametrize(
    "pieces",
    [
        # the whole body, then trailer lines after the last chunk without end
        pytest.param(
            lambda: _endless(b"X-Trailer: 1\r\n", CHUNKED + LAST_CHUNK),
            id="trailers",
        ),
        # a chunk's size line whose extension drips in a byte at a time
        pytest.param(lambda: _endless(b"a", CHUNKED + b"22;"), id="chunk-size"),
    ],
)
def test_an_answer_whose_body_framing_drips_past_the_read_timeout_is_11200_at_the_timeout(
    pieces: object,
) -> None:
    url, failed, took = _refused_after_drip(pieces())  # type: ignore[operator]
    assert (failed.code, failed.message) == (
        11200,
        f"the answer from {url} was still arriving when Twilio's read timeout ran out (a "
        "slow or endless body); Twilio gives up on the request then. Send the whole TwiML "
        f"at once; {LIFT_THE_LIMIT}",
    )
    assert took < LIMIT + 1.5  # was: until the server stopped sending


def test_a_connection_kept_alive_after_a_quick_answer_serves_the_next_webhook() -> None:
    """The socket's own timeout is back once an answer is read: the next webhook on the
    kept-alive connection waits for its answer as long as the limit allows."""
    answer = b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: %d\r\n\r\n%s" % (
        len(DOCUMENT),
        DOCUMENT,
    )
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(5)

    def answer_twice() -> None:
        conn, _ = listener.accept()
        with conn:
            read_request_path(conn)
            conn.sendall(answer)
            read_request_path(conn)
            time.sleep(LIMIT / 2)  # slower than what the first answer left of its deadline
            conn.sendall(answer)

    thread = threading.Thread(target=answer_twice, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/voice"
    transport = HTTPTransport(read_timeout=LIMIT)
    try:
        bodies = [transport.send(request(url)).body, transport.send(request(url)).body]
    finally:
        transport.close()
        thread.join(timeout=10)
        listener.close()
    assert bodies == [DOCUMENT, DOCUMENT]


def test_a_body_read_until_the_connection_closes_after_a_quick_head_is_read_whole() -> None:
    """HTTP/1.0 without a Content-Length: the response reads on after the connection hands
    its socket over (closing it), as before."""
    body = DOCUMENT
    head = b"HTTP/1.0 200 OK\r\nContent-Type: text/xml\r\n\r\n"
    listener, thread = _dripping(iter([head, body[:10], body[10:]]))
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/voice"
    transport = HTTPTransport(read_timeout=5)
    try:
        response = transport.send(request(url))
    finally:
        transport.close()
        thread.join(timeout=10)
        listener.close()
    assert (response.status, response.body) == (200, body)


def test_informational_answers_before_the_final_one_are_skipped() -> None:
    """``http.client`` skips 100 Continue only: a 103 Early Hints (or 102 Processing) was
    taken for the app's answer, an empty one of status 103, where any HTTP client reads
    on to the final answer (RFC 9110, 15.2)."""
    final = b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: %d\r\n\r\n%s" % (
        len(DOCUMENT),
        DOCUMENT,
    )
    informational = (
        b"HTTP/1.1 103 Early Hints\r\nLink: </hold.mp3>; rel=preload\r\n\r\n"
        b"HTTP/1.1 100 Continue\r\n\r\n"
        b"HTTP/1.1 102 Processing\r\n\r\n"
    )
    listener, thread = _dripping(iter([informational, final]))
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/voice"
    transport = HTTPTransport(read_timeout=5)
    try:
        response = transport.send(request(url))
    finally:
        transport.close()
        thread.join(timeout=10)
        listener.close()
    assert (response.status, response.header("Content-Type"), response.body) == (
        200,
        "text/xml",
        DOCUMENT,
    )


def test_the_deadline_an_answer_is_read_by_is_its_own_threads() -> None:
    """``twimlsim serve`` may send two webhooks at once from two threads: the deadline is
    the one ``answering_by`` gave in this thread (a context variable), not the module-wide
    one another thread's webhook may have set meanwhile."""
    ours, theirs = socket.socketpair()
    try:
        theirs.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
        with reading_until(wall_seconds() - 1), answering_by(None):  # another thread's past
            response = DeadlineResponse(ours)
            response.begin()
        assert response.status == 200
        response.close()
        theirs.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
        with reading_until(None), answering_by(wall_seconds() - 1):
            late = DeadlineResponse(ours)
            with pytest.raises(TimeoutError):
                late.begin()
        late.close()
    finally:
        ours.close()
        theirs.close()

"""Over real HTTP (``twimlsim serve``), answers are read bounded and decoded the same way."""

from __future__ import annotations

import contextlib
import gzip
import re
import socket
import ssl
import threading
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import requests
import urllib3
from werkzeug.serving import make_server

from twimlsim.engine.webhooks import WebhookDeliveryError, WebhookRequest
from twimlsim.transports.http import HTTPTransport
from twimlsim.transports.tunnels import Tunnel

DOCUMENT = b"<Response><Say>Hello</Say></Response>"
BOMB = gzip.compress(b"\0" * (8 << 20))


def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    path = environ["PATH_INFO"]
    if path == "/bomb":
        start_response("200 OK", [("Content-Type", "text/xml"), ("Content-Encoding", "gzip")])
        return [BOMB]
    if path == "/not-gzip":
        start_response("200 OK", [("Content-Type", "text/xml"), ("Content-Encoding", "gzip")])
        return [DOCUMENT]
    if path == "/moved":
        body = b"<html><body>Moved to /voice</body></html>"
        start_response(
            "302 FOUND",
            [("Location", "/voice"), ("Content-Type", "text/html"), ("Content-Length", "41")],
        )
        return [body]
    if path == "/endless":
        start_response("200 OK", [("Content-Type", "text/xml")])
        return (b"<Response>" * 1000 for _ in range(100_000))
    start_response("200 OK", [("Content-Type", "text/xml"), ("Content-Encoding", "gzip")])
    return [gzip.compress(DOCUMENT)]


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


def request(url: str) -> WebhookRequest:
    return WebhookRequest(
        "POST", url, {"A": "b"}, {}, "voice", "CA1", datetime(2026, 1, 1, tzinfo=UTC)
    )


def test_a_gzip_answer_is_decoded(base: str) -> None:
    response = HTTPTransport().send(request(f"{base}/gzip"))
    assert (response.status, response.body, response.header("Content-Encoding")) == (
        200,
        DOCUMENT,
        None,
    )


@pytest.mark.parametrize("path", ["/bomb", "/endless"])
def test_a_huge_answer_is_read_no_further_than_64_kB(base: str, path: str) -> None:
    response = HTTPTransport().send(request(f"{base}{path}"))
    assert len(response.body) == 65_537


def test_a_redirect_is_answered_with_its_location_and_body_for_the_fetcher(base: str) -> None:
    response = HTTPTransport().send(request(f"{base}/moved"))
    assert (response.status, response.header("Location"), response.body) == (
        302,
        "/voice",
        b"<html><body>Moved to /voice</body></html>",
    )


def test_an_answer_that_is_not_gzip_is_11200(base: str) -> None:
    with pytest.raises(WebhookDeliveryError) as failed:
        HTTPTransport().send(request(f"{base}/not-gzip"))
    assert failed.value.code == 11200
    assert failed.value.message.startswith(
        f"the answer from {base}/not-gzip says Content-Encoding: gzip but its body is not "
        "valid gzip data"
    )


def test_a_body_cut_short_is_11200() -> None:
    listener = socket.create_server(("127.0.0.1", 0))

    def answer_short() -> None:
        conn, _ = listener.accept()
        with conn:
            read_request_path(conn)  # all of it: a close with a request unread resets
            conn.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 500\r\n\r\n"
                + DOCUMENT
            )

    url, failure = failure_sent_to(listener, answer_short, "/short")
    assert (failure.code, failure.message) == (
        11200,
        f"reading the answer from {url} failed: ('Connection broken: IncompleteRead("
        f"{len(DOCUMENT)} bytes read, {500 - len(DOCUMENT)} more expected)', IncompleteRead("
        f"{len(DOCUMENT)} bytes read, {500 - len(DOCUMENT)} more expected)){CUT_SHORT}",
    )


CUT_SHORT = (
    ": the app's server closed the connection before the body's end (an exception raised "
    "while a streamed body was sent, a server stopped mid-answer; its log says which): "
    "answer the whole TwiML"
)


def test_a_chunked_body_cut_short_says_the_server_closed_it_mid_answer() -> None:
    listener = socket.create_server(("127.0.0.1", 0))

    def answer_half_then_close() -> None:  # as a server whose streamed body raised
        conn, _ = listener.accept()
        with conn:
            read_request_path(conn)
            conn.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nTransfer-Encoding: chunked"
                b"\r\n\r\nA\r\n<Response>\r\n"
            )

    url, failure = failure_sent_to(listener, answer_half_then_close, "/streamed")
    assert (failure.code, failure.message) == (
        11200,
        f"reading the answer from {url} failed: Response ended prematurely{CUT_SHORT}",
    )


def read_request_path(conn: socket.socket) -> bytes:
    """Read one whole request (headers, then its Content-Length of body); its path."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += conn.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
    while len(body) < length:
        body += conn.recv(65536)
    return head.split(b" ", 2)[1]


def failure_sent_to(
    listener: socket.socket, serve: Callable[[], None], path: str
) -> tuple[str, WebhookDeliveryError]:
    """Send one webhook to ``path`` on ``listener``'s port while ``serve`` answers in a
    thread, then close the listener: the URL and the error the transport raised."""
    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}{path}"
    try:
        with pytest.raises(WebhookDeliveryError) as failed:
            HTTPTransport().send(request(url))
    finally:
        thread.join(timeout=10)
        listener.close()
    return url, failed.value


def test_a_kept_alive_connection_the_app_closed_is_replaced_by_a_fresh_one() -> None:
    """uvicorn closes a connection after an exception's 500 without saying so: the next
    webhook, sent on it before the close arrives, goes again on a fresh connection."""
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    seen: list[bytes] = []

    def answer_then_close_on_the_next_request() -> None:
        conn, _ = listener.accept()
        with conn:
            seen.append(read_request_path(conn))
            conn.sendall(b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 4\r\n\r\nboom")
            seen.append(read_request_path(conn))  # closed without an answer
        conn, _ = listener.accept()
        with conn:
            seen.append(read_request_path(conn))
            conn.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: "
                + str(len(DOCUMENT)).encode()
                + b"\r\n\r\n"
                + DOCUMENT
            )

    thread = threading.Thread(target=answer_then_close_on_the_next_request, daemon=True)
    thread.start()
    transport = HTTPTransport()
    try:
        first = transport.send(request(f"http://127.0.0.1:{port}/first"))
        second = transport.send(request(f"http://127.0.0.1:{port}/second"))
    finally:
        transport.close()
        thread.join(timeout=10)
        listener.close()
    assert (first.status, first.body, second.status, second.body) == (500, b"boom", 200, DOCUMENT)
    assert seen == [b"/first", b"/second", b"/second"]


def test_an_https_url_to_a_plain_http_app_is_a_tls_handshake_error_11220(base: str) -> None:
    url = base.replace("http://", "https://") + "/voice"
    host = re.escape(base.removeprefix("http://"))
    with pytest.raises(WebhookDeliveryError) as failed:
        HTTPTransport().send(request(url))
    assert failed.value.code == 11220
    assert re.fullmatch(
        rf"the TLS handshake with {re.escape(url)} failed \(\w+\): the app may serve plain "
        r"HTTP there; give an http:// URL, or serve HTTPS on that port; an app that builds its "
        r"https:// URLs itself \(from its Host, a public URL setting, a Twilio Function's "
        rf"DOMAIN_NAME\) is reached as through a tunnel with --tunnel https://{host}=http://{host}",
        failed.value.message,
    )


def test_an_https_url_on_a_tunnel_s_local_side_says_the_app_was_reached_there(
    base: str,
) -> None:
    # an app that builds its https:// URLs from its Host, asked at its local address (its
    # page opened at http://127.0.0.1:PORT rather than through ngrok), writes that address
    url = base.replace("http://", "https://") + "/conference/agent2"
    tunnel = Tunnel("https://abc.ngrok.app", base)
    transport = HTTPTransport(tunnels=[tunnel])
    with pytest.raises(WebhookDeliveryError) as failed:
        transport.send(request(url))
    assert failed.value.code == 11220
    handshake, rest = failed.value.message.split(": that is", 1)
    assert re.fullmatch(rf"the TLS handshake with {re.escape(url)} failed \(\w+\)", handshake)
    assert rest == (
        f" the local side of --tunnel https://abc.ngrok.app={base}, so the app built this URL "
        "from a request that reached it at its local address (a page opened, or a request "
        f"sent, at {base} rather than at https://abc.ngrok.app), which Twilio could not reach "
        "either: send that request through the tunnel's public address (a browser at "
        f"https://abc.ngrok.app, or curl -H 'Host: abc.ngrok.app' {base}/...)"
    )


@pytest.mark.parametrize(
    ("verify_code", "verify_message", "code"),
    [
        (18, "self-signed certificate", 11237),
        (20, "unable to get local issuer certificate", 11237),
        (62, "Hostname mismatch, certificate is not valid for 'app.test'.", 11235),
        (10, "certificate has expired", 11236),
    ],
)
def test_a_refused_certificate_is_twilios_certificate_code(
    verify_code: int, verify_message: str, code: int
) -> None:
    refused = ssl.SSLCertVerificationError(1, "[SSL: CERTIFICATE_VERIFY_FAILED]")
    refused.verify_code, refused.verify_message = verify_code, verify_message
    wrapped = requests.exceptions.SSLError(
        urllib3.exceptions.MaxRetryError(
            None,  # type: ignore[arg-type]
            "/voice",
            urllib3.exceptions.SSLError(refused),
        )
    )
    failure = HTTPTransport()._failure("https://app.test/voice", wrapped)
    assert failure == (
        code,
        f"the certificate of https://app.test/voice was refused ({verify_message}): Twilio "
        "accepts only a valid certificate from a public authority for that host name; serve "
        "one (a tunnel such as ngrok does), or give an http:// URL",
    )


def test_a_connection_closed_without_an_answer_is_11205_and_not_sent_again() -> None:
    listener = socket.create_server(("127.0.0.1", 0))
    seen: list[bytes] = []

    def close_without_answering() -> None:
        conn, _ = listener.accept()
        with conn:
            seen.append(read_request_path(conn))
        listener.settimeout(0.5)
        with contextlib.suppress(TimeoutError):
            conn, _ = listener.accept()  # a second try would come here
            seen.append(read_request_path(conn))
            conn.close()

    url, failure = failure_sent_to(listener, close_without_answering, "/crash")
    assert (failure.code, failure.message) == (
        11205,
        f"the app at {url} closed the connection without answering: its server's log says "
        "why (a crash, or a worker timeout shorter than Twilio's 15 s)",
    )
    assert seen == [b"/crash"]


def test_a_kept_alive_connection_closed_after_a_while_is_not_sent_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Closed after the app had the request for a while (``_STALE_WITHIN``, made 0 here):
    the app's own doing, such as a worker killed by its timeout, so the webhook fails."""
    monkeypatch.setattr("twimlsim.transports.http._STALE_WITHIN", -1.0)
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(5)
    port = listener.getsockname()[1]
    seen: list[bytes] = []

    def answer_then_close() -> None:
        conn, _ = listener.accept()
        with conn:
            seen.append(read_request_path(conn))
            conn.sendall(b"HTTP/1.1 204 No Content\r\n\r\n")
            seen.append(read_request_path(conn))
        listener.settimeout(0.5)
        with contextlib.suppress(TimeoutError):
            conn, _ = listener.accept()
            seen.append(read_request_path(conn))
            conn.close()

    thread = threading.Thread(target=answer_then_close, daemon=True)
    thread.start()
    transport = HTTPTransport()
    try:
        assert transport.send(request(f"http://127.0.0.1:{port}/first")).status == 204
        with pytest.raises(WebhookDeliveryError) as failed:
            transport.send(request(f"http://127.0.0.1:{port}/second"))
    finally:
        transport.close()
        thread.join(timeout=10)
        listener.close()
    assert failed.value.code == 11205
    assert seen == [b"/first", b"/second"]


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (b"\x00\x01\x02 hello", "BadStatusLine: '\\x00\\x01\\x02 hello'"),
        (DOCUMENT, f"BadStatusLine: {DOCUMENT.decode()!r}"),  # a body without its HTTP
        (b"HTTP/1.1 2000 OK\r\n\r\n", "BadStatusLine: 'HTTP/1.1 2000 OK\\r\\n'"),
        (
            b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * 70_000 + b"\r\n\r\n",
            "LineTooLong: 'got more than 65536 bytes when reading header line'",
        ),
    ],
)
def test_an_answer_that_is_not_http_is_11200_saying_so(answer: bytes, error: str) -> None:
    # it was 11205 "nothing answered at ...: start the app", though something did
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(5)

    def answer_garbled() -> None:
        conn, _ = listener.accept()
        with conn:
            read_request_path(conn)
            conn.sendall(answer)

    url, failure = failure_sent_to(listener, answer_garbled, "/voice")
    assert (failure.code, failure.message) == (
        11200,
        f"what answered at {url} is not an HTTP response twimlsim can read ({error}): check "
        "that the app's server speaks HTTP on that port and that nothing on the way rewrites "
        "its answers",
    )


@pytest.mark.parametrize(
    "framing",
    [
        b"Transfer-Encoding: chunked\r\nContent-Length: 3\r\n",
        b"Content-Length: 3\r\nTransfer-Encoding: chunked\r\n",
    ],
)
def test_a_content_length_beside_transfer_encoding_is_ignored(framing: bytes) -> None:
    # the chunks frame the body (RFC 9112 §6.3): it was cut to its first 3 bytes, 12100
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(5)
    port = listener.getsockname()[1]
    chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(DOCUMENT), DOCUMENT)

    def answer_chunked() -> None:
        conn, _ = listener.accept()
        with conn:
            read_request_path(conn)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\n" + framing + b"\r\n")
            conn.sendall(chunked)

    thread = threading.Thread(target=answer_chunked, daemon=True)
    thread.start()
    transport = HTTPTransport()
    try:
        answer = transport.send(request(f"http://127.0.0.1:{port}/voice"))
    finally:
        transport.close()
        thread.join(timeout=10)
        listener.close()
    assert (answer.status, answer.body) == (200, DOCUMENT)


@pytest.mark.parametrize(
    ("local_host", "url_host"),
    [("localhost", "127.0.0.1"), ("127.0.0.1", "localhost"), ("[::1]", "127.0.0.1")],
)
def test_localhost_and_127_0_0_1_are_the_same_local_side_of_a_tunnel(
    base: str, local_host: str, url_host: str
) -> None:
    # --tunnel https://abc.ngrok.app=http://localhost:PORT, the page opened at
    # http://127.0.0.1:PORT (or the other way round): the same app on the same port
    local = base.replace("127.0.0.1", local_host)
    url = base.replace("http://127.0.0.1", f"https://{url_host}") + "/conference/agent2"
    transport = HTTPTransport(tunnels=[Tunnel("https://abc.ngrok.app", local)])
    with pytest.raises(WebhookDeliveryError) as failed:
        transport.send(request(url))
    assert failed.value.code == 11220
    assert failed.value.message.split(": that is", 1)[1] == (
        f" the local side of --tunnel https://abc.ngrok.app={local}, so the app built this URL "
        "from a request that reached it at its local address (a page opened, or a request "
        f"sent, at {local} rather than at https://abc.ngrok.app), which Twilio could not reach "
        "either: send that request through the tunnel's public address (a browser at "
        f"https://abc.ngrok.app, or curl -H 'Host: abc.ngrok.app' {local}/...)"
    )


@pytest.mark.parametrize(
    ("local", "url", "same"),
    [
        # a local side on the scheme's port names none: the app builds its URLs from a Host
        # with none either
        ("http://127.0.0.1", "https://localhost/voice", True),
        ("http://[::1]", "https://127.0.0.1/voice", True),
        ("http://localhost", "https://localhost:8080/voice", False),
        ("http://127.0.0.1:8080", "https://LOCALHOST:8080/voice", True),
        ("http://app.internal:8080", "https://localhost:8080/voice", False),
    ],
)
def test_a_tunnel_s_local_side_is_found_with_or_without_a_port(
    local: str, url: str, same: bool
) -> None:
    tunnel = Tunnel("https://abc.ngrok.app", local)
    found = HTTPTransport(tunnels=[tunnel])._tunnel_whose_local_side_is(url)
    assert found == (tunnel if same else None)

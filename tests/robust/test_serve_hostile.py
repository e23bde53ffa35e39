"""``twimlsim serve`` answers a hostile-HTTP corpus (malformed, oversized, odd paths, bad
auth, out-of-range clock) in Twilio-shaped JSON, and keeps answering correctly after it."""

from __future__ import annotations

import argparse
import base64
import json
import logging
import socket
import ssl
from collections.abc import Iterator

import pytest
import requests

from tests.support import CALLEE, CALLER_ID
from twimlsim import serve

TIMEOUT = 10


def options(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    serve.add_arguments(parser)
    return parser.parse_args(["--number", CALLER_ID, "--clock", "manual", *argv])


@pytest.fixture(scope="module")
def served() -> Iterator[serve.Served]:
    running = serve.start(options("--keep-calls", "5"))
    yield running
    running.stop()


def exchange(served: serve.Served, raw: bytes) -> tuple[int, dict[str, object]]:
    """Send ``raw`` bytes on a fresh connection; return the status and the JSON body."""
    host, port = served.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=TIMEOUT) as conn:
        conn.sendall(raw)
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status_line = head.split(b"\r\n", 1)[0].decode("latin-1")
    headers = head.decode("latin-1").lower()
    assert "content-type: application/json" in headers, data[:300]
    return int(status_line.split()[1]), json.loads(body)


def auth(served: serve.Served) -> str:
    sim = served.sim
    token = base64.b64encode(f"{sim.account_sid}:{sim.auth_token}".encode()).decode()
    return f"Authorization: Basic {token}\r\n"


def calls_path(served: serve.Served) -> str:
    return f"/2010-04-01/Accounts/{served.sim.account_sid}/Calls.json"


def corpus(served: serve.Served) -> list[tuple[str, bytes, int, int]]:
    """(name, raw request, expected status, expected code)."""
    good = auth(served)
    calls = calls_path(served)
    form = f"To={CALLEE}&From={CALLER_ID}&Twiml=%3CResponse%2F%3E".encode()

    def request(line: str, headers: str = "", body: bytes = b"", *, length: bool = True) -> bytes:
        size = f"Content-Length: {len(body)}\r\n" if length and body else ""
        head = f"{line}\r\nHost: x\r\nConnection: close\r\n{headers}{size}\r\n"
        return head.encode("latin-1") + body

    big_chunk = b"x" * (1 << 20)
    chunked = b"%x\r\n" % len(big_chunk) + big_chunk + b"\r\n" + b"4\r\nmore\r\n0\r\n\r\n"
    return [
        ("garbage request line", b"GARBAGE\r\n\r\n", 400, 20400),
        ("bad version", b"GET / HTTP/9.9\r\nHost: x\r\n\r\n", 505, 20505),
        (
            "header line too long",
            request("GET / HTTP/1.1", "X-A: " + "a" * 70_000 + "\r\n"),
            431,
            20431,
        ),
        ("too many headers", request("GET / HTTP/1.1", "X-A: 1\r\n" * 120), 431, 20431),
        (
            "doubled slash",
            request(f"GET {calls.replace('/Accounts', '//Accounts')} HTTP/1.1", good),
            404,
            20404,
        ),
        ("NUL in path", request("GET /%00 HTTP/1.1", good), 404, 20404),
        ("dot segments", request("GET /..%2f..%2fetc%2fpasswd HTTP/1.1", good), 404, 20404),
        (
            "raw high bytes",
            b"GET /\xff\xfe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + good.encode() + b"\r\n",
            404,
            20404,
        ),
        ("long path", request("GET /" + "a" * 8000 + " HTTP/1.1", good), 404, 20404),
        ("unknown admin path", request("GET /twimlsim/nothing HTTP/1.1"), 404, 20404),
        ("no credentials", request(f"GET {calls} HTTP/1.1"), 401, 20003),
        (
            "bad base64",
            request(f"GET {calls} HTTP/1.1", "Authorization: Basic !!!\r\n"),
            401,
            20003,
        ),
        (
            "bearer token",
            request(f"GET {calls} HTTP/1.1", "Authorization: Bearer abc\r\n"),
            401,
            20003,
        ),
        (
            "wrong password",
            request(
                f"GET {calls} HTTP/1.1",
                "Authorization: Basic "
                + base64.b64encode(f"{served.sim.account_sid}:nope".encode()).decode()
                + "\r\n",
            ),
            401,
            20003,
        ),
        ("wrong method", request(f"DELETE {calls} HTTP/1.1", good), 405, 20004),
        (
            "declared 2 MiB body",
            request(f"POST {calls} HTTP/1.1", good + f"Content-Length: {2 << 20}\r\n") + form,
            413,
            20413,
        ),
        (
            "chunked 1 MiB + 4 body",
            request(f"POST {calls} HTTP/1.1", good + "Transfer-Encoding: chunked\r\n") + chunked,
            413,
            20413,
        ),
        (
            "malformed chunk size",
            request(f"POST {calls} HTTP/1.1", good + "Transfer-Encoding: chunked\r\n") + b"zz\r\n",
            400,
            20400,
        ),
        (
            "Content-Length not a number",
            request(f"POST {calls} HTTP/1.1", good + "Content-Length: abc\r\n") + form,
            400,
            20400,
        ),
        (
            "JSON nested 100,000 deep",
            request(
                "POST /twimlsim/phones HTTP/1.1",
                "Content-Type: application/json\r\n",
                b"[" * 100_000,
            ),
            400,
            20422,
        ),
        (
            "advance 1e12",
            request(
                "POST /twimlsim/advance HTTP/1.1",
                "Content-Type: application/x-www-form-urlencoded\r\n",
                b"seconds=1e12",
            ),
            400,
            20422,
        ),
        (
            "advance inf",
            request(
                "POST /twimlsim/advance HTTP/1.1",
                "Content-Type: application/x-www-form-urlencoded\r\n",
                b"seconds=inf",
            ),
            400,
            20422,
        ),
        (
            "advance nan",
            request(
                "POST /twimlsim/advance HTTP/1.1",
                "Content-Type: application/x-www-form-urlencoded\r\n",
                b"seconds=nan",
            ),
            400,
            20422,
        ),
        (
            "create with a blank Url",
            request(
                f"POST {calls} HTTP/1.1",
                good + "Content-Type: application/x-www-form-urlencoded\r\n",
                f"To={CALLEE}&From={CALLER_ID}&Url=https://a.test/v%20x".encode(),
            ),
            400,
            21205,
        ),
    ]


def test_every_hostile_request_is_answered_in_json(served: serve.Served) -> None:
    answers = {name: exchange(served, raw) for name, raw, _, _ in corpus(served)}
    got = {name: (status, body["code"]) for name, (status, body) in answers.items()}
    assert got == {name: (status, code) for name, _, status, code in corpus(served)}
    for status, body in answers.values():
        assert set(body) == {"code", "message", "more_info", "status"}
        assert body["status"] == status
    assert answers["JSON nested 100,000 deep"][1]["message"] == (
        "the body's JSON nests too deep to read; send a flat JSON object such as "
        '{"number": "+15558675310", "steps": [{"action": "presses", "digits": "1"}]}'
    )
    assert answers["malformed chunk size"][1]["message"] == (
        "Bad Request: the chunked request body cannot be read (Invalid chunk header); send "
        "each chunk as its size in hexadecimal, CRLF, the bytes, CRLF, and end with a chunk "
        "of size 0"
    )
    assert answers["advance 1e12"][1]["message"] == (
        "virtual time cannot reach 1,000,000,000,000 s after the start "
        "(2026-01-01T09:00:00+00:00): the clock runs at most 366,000 days from its start "
        "and up to year 9999; advance by a smaller number of seconds"
    )


def test_the_server_keeps_answering_correctly_afterwards(served: serve.Served) -> None:
    for _, raw, _, _ in corpus(served):
        exchange(served, raw)
    sim = served.sim
    before = requests.get(f"{served.url}/twimlsim/status", timeout=TIMEOUT).json()
    assert before["seconds"] == 0.0
    created = requests.post(
        f"{served.url}{calls_path(served)}",
        data={"To": CALLEE, "From": CALLER_ID, "Twiml": "<Response><Say>Hi</Say></Response>"},
        auth=(sim.account_sid, sim.auth_token),
        timeout=TIMEOUT,
    )
    assert created.status_code == 201, created.text
    status = requests.post(f"{served.url}/twimlsim/run", timeout=TIMEOUT).json()
    assert status["calls"][created.json()["sid"]] == "completed"
    assert status["failures"] == []
    advanced = requests.post(
        f"{served.url}/twimlsim/advance", data={"seconds": "60"}, timeout=TIMEOUT
    ).json()
    assert advanced["seconds"] == status["seconds"] + 60


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--speed", "1e11"],
            "twimlsim serve: --speed must be at most 1,000,000 virtual seconds per second, "
            "got 100000000000.0",
        ),
        (
            ["--keep-calls", "-1"],
            "twimlsim serve: --keep-calls/--keep-seconds: keep_calls and keep_seconds must be "
            "0 or more, got -1 and inf; give how many ended calls to keep and for how many "
            "seconds, such as 1000 and 3600",
        ),
    ],
)
def test_out_of_range_options_are_refused(argv: list[str], message: str) -> None:
    with pytest.raises(SystemExit) as refused:
        serve.start(options(*argv))
    assert str(refused.value) == message


BEYOND_FLOATS = "1" + "0" * 400  # an integer JSON reads, beyond what a float holds


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        (
            "advance",
            f'{{"seconds": {BEYOND_FLOATS}}}',
            "virtual time cannot reach an integer of about 401 digits s after now; advance "
            "by a smaller number of seconds",
        ),
        (
            "advance",
            f'{{"seconds": -{BEYOND_FLOATS}}}',
            "advance: seconds is not a number of seconds (0 or more): a negative integer of "
            'about 401 digits; send one such as {"seconds": 30}',
        ),
        (
            "media",
            f'{{"url": "https://app.test/hold.mp3", "seconds": {BEYOND_FLOATS}}}',
            "seconds must be a finite number, got an integer of about 401 digits",
        ),
        (
            "phones",
            f'{{"number": "{CALLEE}", '
            f'"steps": [{{"action": "answers", "after": {BEYOND_FLOATS}}}]}}',
            "after must be a finite number, got an integer of about 401 digits",
        ),
    ],
)
def test_a_json_integer_beyond_the_floats_is_a_400_not_a_500(
    served: serve.Served, path: str, body: str, message: str
) -> None:
    response = requests.post(
        f"{served.url}/twimlsim/{path}",
        data=body,
        headers={"Content-Type": "application/json"},
        timeout=TIMEOUT,
    )
    assert (response.status_code, response.json()) == (
        400,
        {
            "code": 20422,
            "message": message,
            "more_info": "https://www.twilio.com/docs/errors/20422",
            "status": 400,
        },
    )
    assert served.sim.rest.internal_errors == [] and list(served.driver_errors) == []


def test_form_digits_beyond_the_floats_are_too_far_to_advance(served: serve.Served) -> None:
    response = requests.post(
        f"{served.url}/twimlsim/advance", data={"seconds": BEYOND_FLOATS}, timeout=TIMEOUT
    )
    assert (response.status_code, response.json()["message"]) == (
        400,
        f"virtual time cannot reach '{BEYOND_FLOATS[:76]}... s after now; advance by a "
        "smaller number of seconds",
    )


def test_a_tls_handshake_is_logged_as_an_https_url_given_for_http(
    served: serve.Served, caplog: pytest.LogCaptureFixture
) -> None:
    """A client given https:// for the server's http:// URL: its ClientHello was logged as
    'code 400, message Bad request version' followed by the handshake's bytes."""
    host, port = served.url.removeprefix("http://").split(":")
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with (
        caplog.at_level(logging.ERROR, logger="werkzeug"),
        socket.create_connection((host, int(port)), timeout=TIMEOUT) as conn,
        pytest.raises(ssl.SSLError, match="WRONG_VERSION_NUMBER"),
    ):
        context.wrap_socket(conn)
    errors = [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR]
    assert [error.split("] ", 1)[1] for error in errors] == [
        "a TLS handshake reached twimlsim serve, which serves plain HTTP: the client was "
        "given an https:// URL for it (its TLS library reports 'wrong version number'); give "
        "it the banner's url, which starts with http://"
    ]

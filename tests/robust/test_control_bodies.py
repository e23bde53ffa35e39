"""``twimlsim serve``'s control API reads a body's text as UTF-8 or refuses it (bytes of
another charset were read as U+FFFD and reached the app's webhooks inside a URL, and a form
with one such byte was read as no fields at all), reads a POST's query string with the
body (a JSON body made it silently ignored, a form body silently won over), reads repeated
slashes as one (a 500 'please report this bug'), names JSON values as JSON wrote them, and
reads a body before holding the engine (a client slow to send one froze the whole server; one
that sent less than its Content-Length was a 500), and answers whatever Host was sent (one
of 300 characters was a 500)."""

from __future__ import annotations

import base64
import gzip
import json
import socket

import pytest
import requests

from tests.support import twilio_error_body
from twimlsim import serve

TIMEOUT = 10
JSON = {"Content-Type": "application/json"}
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def refusal(message: str) -> dict[str, object]:
    return twilio_error_body(400, 20422, message)


def seconds(served: serve.Served) -> float:
    status = requests.get(f"{served.url}/twimlsim/status", timeout=TIMEOUT).json()
    value: float = status["seconds"]
    return value


@pytest.mark.parametrize(
    ("body", "headers", "message"),
    [
        (
            b'{"number": "+15005550006", "voice_url": "https://app.test/caf\xe9"}',
            {"Content-Type": "application/json; charset=latin-1"},
            "the request's body is not UTF-8 text: byte 0xe9 at offset 61 "
            '(near https://app.test/caf\\xe9"}); send UTF-8, whatever charset the '
            "Content-Type names",
        ),
        (
            b"number=%2B15005550006&voice_url=https://app.test/caf\xe9",
            FORM,
            "the request's body is not UTF-8 text: byte 0xe9 at offset 52 "
            "(near https://app.test/caf\\xe9); send UTF-8, whatever charset the "
            "Content-Type names",
        ),
        (
            b"number=%2B15005550006&voice_url=https://app.test/caf%E9",
            FORM,
            "the request's form body has a %-escape of bytes that are not UTF-8 "
            "(near https://app.test/caf\\xe9); escape the UTF-8 bytes of each character "
            "(é is %C3%A9)",
        ),
        (
            b'{"number": "+15005550006", "voice_url": "https://app.test/a", '
            b'"voice_url": "https://app.test/b"}',
            JSON,
            "the body's JSON gives voice_url twice in one object ('https://app.test/a' and "
            "'https://app.test/b'); give it once",
        ),
        (
            b"number=%2B15005550006&number=%2B15005550007",
            FORM,
            "number is given twice in the form body ('+15005550006' and '+15005550007'); "
            "give it once",
        ),
    ],
)
def test_a_body_that_is_no_utf8_or_names_a_field_twice_is_refused(
    served: serve.Served, body: bytes, headers: dict[str, str], message: str
) -> None:
    answer = requests.post(
        f"{served.url}/twimlsim/numbers", data=body, headers=headers, timeout=TIMEOUT
    )
    assert (answer.status_code, answer.json()) == (400, refusal(message))
    assert "+15005550006" not in served.sim.account.numbers


def test_a_compressed_body_is_refused_not_misread(served: serve.Served) -> None:
    headers = {**JSON, "Content-Encoding": "gzip"}
    answer = requests.post(
        f"{served.url}/twimlsim/advance",
        data=gzip.compress(b'{"seconds": 1}'),
        headers=headers,
        timeout=TIMEOUT,
    )
    assert (answer.status_code, answer.json()) == (
        400,
        refusal(
            "the body was not read: it is 'gzip'-encoded (Content-Encoding), which the "
            "control API does not decode; send it uncompressed"
        ),
    )


@pytest.mark.parametrize(
    ("body", "content_type", "message"),
    [
        (
            b"seconds=1",
            "multipart/form-data; boundary=xx",
            "the multipart body could not be read as fields (Content-Type "
            "'multipart/form-data; boundary=xx'): its parts do not use the boundary it names; "
            "send JSON (Content-Type: application/json) or a form "
            "(application/x-www-form-urlencoded)",
        ),
        (
            b'--xx\r\nContent-Disposition: form-data; name="seconds"; filename="s.txt"\r\n'
            b"\r\n1\r\n--xx--\r\n",
            "multipart/form-data; boundary=xx",
            "the multipart body sends file(s) (seconds); the control API takes text fields: "
            "send JSON (Content-Type: application/json)",
        ),
        (
            b'--xx\r\nContent-Disposition: form-data; name="seconds"\r\n\r\n1\r\n'
            b'--xx\r\nContent-Disposition: form-data; name="seconds"\r\n\r\n2\r\n--xx--\r\n',
            "multipart/form-data; boundary=xx",
            "seconds is given twice in the multipart body ('1' and '2'); give it once",
        ),
    ],
)
def test_a_multipart_body_not_read_as_fields_is_refused(
    served: serve.Served, body: bytes, content_type: str, message: str
) -> None:
    before = seconds(served)
    answer = requests.post(
        f"{served.url}/twimlsim/advance",
        data=body,
        headers={"Content-Type": content_type},
        timeout=TIMEOUT,
    )
    assert (answer.status_code, answer.json()) == (400, refusal(message))
    assert seconds(served) == before


def test_a_multipart_form_is_read(served: serve.Served) -> None:
    before = seconds(served)
    answer = requests.post(
        f"{served.url}/twimlsim/advance", files={"seconds": (None, "3")}, timeout=TIMEOUT
    )
    assert answer.status_code == 200
    assert answer.json()["seconds"] == before + 3


def test_json_after_a_byte_order_mark_is_read(served: serve.Served) -> None:
    """Python's JSON parser refused it ('Unexpected UTF-8 BOM (decode using utf-8-sig)')."""
    before = seconds(served)
    body = b"\xef\xbb\xbf" + b'{"seconds": 2}'
    answer = requests.post(
        f"{served.url}/twimlsim/advance", data=body, headers=JSON, timeout=TIMEOUT
    )
    assert (answer.status_code, answer.json()["seconds"]) == (200, before + 2)


def test_a_multipart_form_of_many_parts_is_read(served: serve.Served) -> None:
    """werkzeug stops at 1,000 parts with its 413, which was a 20500 'twimlsim failed'."""
    before = seconds(served)
    fields = [("seconds", (None, "3"))] * 1500  # the same value again is allowed
    answer = requests.post(f"{served.url}/twimlsim/advance", files=fields, timeout=TIMEOUT)
    assert (answer.status_code, answer.json()["seconds"]) == (200, before + 3)


def test_a_posts_query_string_adds_fields_and_may_not_contradict_the_body(
    served: serve.Served,
) -> None:
    url = f"{served.url}/twimlsim/advance?seconds=5"
    before = seconds(served)
    assert requests.post(url, data=b"{}", headers=JSON, timeout=TIMEOUT).status_code == 200
    assert requests.post(url, timeout=TIMEOUT).status_code == 200
    same = requests.post(url, data=b"seconds=5", headers=FORM, timeout=TIMEOUT)
    assert same.status_code == 200
    assert seconds(served) == before + 15
    for body, headers, shown in ((b'{"seconds": 1}', JSON, "1"), (b"seconds=1", FORM, "'1'")):
        answer = requests.post(url, data=body, headers=headers, timeout=TIMEOUT)
        assert answer.json() == refusal(
            f"seconds is given twice, '5' in the query string and {shown} in the body; give it once"
        )
    assert seconds(served) == before + 15


def test_repeated_slashes_are_read_as_one(served: serve.Served) -> None:
    before = seconds(served)
    answer = requests.post(f"{served.url}/twimlsim//advance", json={"seconds": 2}, timeout=TIMEOUT)
    assert answer.status_code == 200
    assert answer.json()["seconds"] == before + 2


def test_the_control_apis_root_is_its_404_not_the_rest_apis_401(served: serve.Served) -> None:
    answer = requests.get(f"{served.url}/twimlsim", timeout=TIMEOUT)
    assert (answer.status_code, answer.json()) == (
        404,
        twilio_error_body(
            404,
            20404,
            "GET /twimlsim is not a twimlsim control endpoint; GET /twimlsim/openapi.json "
            "lists them",
        ),
    )


def test_a_utf8_escaped_path_is_read_as_utf8(served: serve.Served) -> None:
    answer = requests.get(f"{served.url}/twimlsim/calls/CA%C3%A9", timeout=TIMEOUT)
    assert answer.json()["message"] == "no call CAé in this simulation (calls: none yet)"


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        (
            "advance",
            b"null",
            "the body must be a JSON object of the request's fields, got null; send one "
            'such as {"number": "+15558675310"}, or {} (or no body) for a request without '
            "fields, such as POST /twimlsim/run",
        ),
        (
            "media",
            b'{"url": "https://app.test/a.mp3", "seconds": true}',
            "seconds must be a number, got true",
        ),
        (
            "verified-caller-ids",
            b'{"number": ["+15005550006"]}',
            'number must be text, got ["+15005550006"]',
        ),
        (
            "phones",
            b'{"number": "+15558675310", "steps": '
            b'[{"action": "presses", "digits": "1", "barge_in": 1}]}',
            "barge_in must be true or false, got 1",
        ),
        (
            "phones",
            b'{"number": "+15558675310", "steps": [{"action": null}]}',
            'steps[0] must be an object with an "action", got {"action": null}',
        ),
        (
            "phones",
            b'{"number": "+15558675310", "steps": {"action": "busy"}}',
            'phones: steps must be a list like [{"action": "presses", "digits": "1"}], got '
            '{"action": "busy"}',
        ),
        (
            "advance",
            b'{"seconds": 1, ' + b", ".join(b'"k%d": 0' % i for i in range(12)) + b"}",
            "advance: unknown field(s) k0, k1, k10, k11, k2, k3, k4, k5, k6, k7 and 2 more; "
            "allowed: seconds",
        ),
    ],
)
def test_refusals_show_values_as_json_wrote_them(
    served: serve.Served, path: str, body: bytes, message: str
) -> None:
    answer = requests.post(
        f"{served.url}/twimlsim/{path}", data=body, headers=JSON, timeout=TIMEOUT
    )
    assert (answer.status_code, answer.json()) == (400, refusal(message))


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("OPTIONS", "status", "GET, HEAD"),
        ("PUT", "run", "POST"),
        ("DELETE", "phones", "GET, HEAD, POST"),
    ],
)
def test_a_method_refused_names_the_allowed_ones_in_allow(
    served: serve.Served, method: str, path: str, allow: str
) -> None:
    answer = requests.request(method, f"{served.url}/twimlsim/{path}", timeout=TIMEOUT)
    assert (answer.status_code, answer.headers["Allow"], answer.json()) == (
        405,
        allow,
        twilio_error_body(
            405,
            20004,
            f"{method} /twimlsim/{path}: this control endpoint takes {allow.replace(', ', ' or ')}",
        ),
    )


def connect(served: serve.Served, path: str) -> socket.socket:
    """A connection that has sent a POST's head (with the account's credentials) and 5 of
    its 100 bytes of body."""
    host, port = served.url.removeprefix("http://").split(":")
    conn = socket.create_connection((host, int(port)), timeout=TIMEOUT)
    sim = served.sim
    token = base64.b64encode(f"{sim.account_sid}:{sim.auth_token}".encode()).decode()
    kind = FORM["Content-Type"] if path.startswith("/2010") else JSON["Content-Type"]
    head = (
        f"POST {path.format(sid=sim.account_sid)} HTTP/1.1\r\nHost: {host}:{port}\r\n"
        f"Authorization: Basic {token}\r\nContent-Type: {kind}\r\n"
    )
    conn.sendall(f'{head}Content-Length: 100\r\n\r\n{{"sec'.encode())
    return conn


@pytest.mark.parametrize("path", ["/twimlsim/advance", "/2010-04-01/Accounts/{sid}/Calls.json"])
def test_a_client_slow_to_send_its_body_holds_up_no_other_request(
    served: serve.Served, path: str
) -> None:
    with connect(served, path):
        status = requests.get(f"{served.url}/twimlsim/status", timeout=2)
    assert status.status_code == 200


def test_a_body_shorter_than_its_content_length_is_a_400(served: serve.Served) -> None:
    with connect(served, "/twimlsim/advance") as conn:
        conn.shutdown(socket.SHUT_WR)
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400 ")
    assert json.loads(body) == twilio_error_body(
        400,
        20400,
        "Bad Request: the request body ended before its Content-Length (100 bytes); send as "
        "many bytes as Content-Length says",
    )


def test_any_host_header_is_answered(served: serve.Served) -> None:
    answer = requests.get(
        f"{served.url}/twimlsim/status", headers={"Host": "a" * 300}, timeout=TIMEOUT
    )
    assert answer.status_code == 200
    assert sorted(answer.json()) == ["calls", "failures", "now", "pending_events", "seconds"]


@pytest.mark.parametrize("path", ["run", "reset", "calls/{sid}/run"])
def test_an_endpoint_that_takes_no_fields_refuses_one(served: serve.Served, path: str) -> None:
    url = f"{served.url}/twimlsim"
    if "{sid}" in path:
        number = {"number": "+15005550006", "voice_url": "https://app.test/voice"}
        assert requests.post(f"{url}/numbers", json=number, timeout=TIMEOUT).ok
        placed = {"from": "+15558675310", "to": "+15005550006"}
        call = requests.post(f"{url}/calls", json=placed, timeout=TIMEOUT).json()
        path = path.replace("{sid}", call["sid"])
        where = "calls/{sid}/run"
    else:
        where = path
    try:
        answer = requests.post(f"{url}/{path}", json={"until": 30}, timeout=TIMEOUT)
    finally:  # the call and number are forgotten, for the other tests
        requests.post(f"{url}/reset", timeout=TIMEOUT)
    assert (answer.status_code, answer.json()) == (
        400,
        refusal(f"{where}: unknown field(s) until; allowed: none"),
    )


def test_the_openapi_document_lists_the_refusals_of_running(served: serve.Served) -> None:
    spec = requests.get(f"{served.url}/twimlsim/openapi.json", timeout=TIMEOUT).json()
    statuses = {
        path: sorted(spec["paths"][f"/twimlsim/{path}"]["post"]["responses"])
        for path in ("advance", "run", "reset", "calls/{sid}/run")
    }
    assert statuses == {
        "advance": ["200", "400", "409"],
        "run": ["200", "400", "409", "500"],
        "reset": ["200", "400", "409"],
        "calls/{sid}/run": ["200", "400", "404", "409"],
    }
    assert spec["components"]["responses"]["Conflict"]["description"].endswith(
        "(code 20409); retry once the app has answered"
    )


def test_a_content_length_beyond_18_digits_is_told_as_written(served: serve.Served) -> None:
    host, port = served.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=TIMEOUT) as conn:
        conn.sendall(
            b"POST /twimlsim/advance HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 99999999999999999999999\r\nConnection: close\r\n\r\n"
        )
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    assert json.loads(data.partition(b"\r\n\r\n")[2]) == twilio_error_body(
        413,
        20413,
        "Request Entity Too Large: the request body is a 23-digit number of bytes; the API "
        "accepts at most 1,048,576 bytes. Send the parameters as a form of ordinary size.",
    )

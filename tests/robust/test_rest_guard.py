"""The fake REST API's gate: odd paths are Twilio's 404, oversized bodies Twilio's 413, and
an exception anywhere is Twilio's 20500 JSON, never an HTML page."""

from __future__ import annotations

import io
from typing import Any

import pytest
import requests
from werkzeug.test import Client

from tests.support import CALLEE, CALLER_ID
from twimlsim import Simulator
from twimlsim.rest.guard import MAX_REQUEST_BYTES, RequestGuard

API = "https://api.twilio.com/2010-04-01"


@pytest.mark.parametrize("any_credentials", [False, True])
def test_a_doubled_slash_is_twilios_404(any_credentials: bool) -> None:
    # (with any credentials accepted, its route table once redirected instead: a 20500)
    with Simulator(accept_any_credentials=any_credentials) as sim:
        for path in (
            f"/2010-04-01//Accounts/{sim.account_sid}/Calls.json",
            f"/2010-04-01/Accounts/{sim.account_sid}//Calls.json",
        ):
            answer = requests.get(
                f"https://api.twilio.com{path}", auth=(sim.account_sid, sim.auth_token), timeout=5
            )
            assert (answer.status_code, answer.json()) == (
                404,
                {
                    "code": 20404,
                    "message": f"The requested resource {path} was not found",
                    "more_info": "https://www.twilio.com/docs/errors/20404",
                    "status": 404,
                },
            )


def _no_content(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    start_response("204 No Content", [])
    return []


def test_a_path_starting_with_two_slashes_is_the_resource_it_names() -> None:
    # a voicemail cleaner deletes f"https://api.twilio.com/{recording['uri']}": the uri
    # starts with "/", so the path starts with "//"; in process "2010-04-01" was read as a
    # host and the delete was 20404 naming "/Accounts/..."
    with Simulator() as sim:
        sim.number(CALLER_ID)
        sim.phone(CALLEE).records(3, hangs_up=True)
        sim.client().calls.create(
            to=CALLEE,
            from_=CALLER_ID,
            twiml="<Response><Record action='https://a.test/r'/></Response>",
        )
        sim.route("https://a.test", _no_content)
        sim.run()
        (recording,) = sim.client().recordings.list()
        auth = (sim.account_sid, sim.auth_token)
        path = f"//2010-04-01/Accounts/{sim.account_sid}/Recordings/{recording.sid}.json"
        answer = requests.delete(f"https://api.twilio.com{path}", auth=auth, timeout=5)
        assert (answer.status_code, answer.content) == (204, b"")
        assert sim.client().recordings.list() == []
        logged = sim.api_requests[-2]
        assert (logged.kind, logged.method, logged.url) == (
            "recordings.delete",
            "DELETE",
            f"https://api.twilio.com{path}",
        )


def test_an_oversized_body_is_413_and_the_api_keeps_answering() -> None:
    with Simulator() as sim:
        sim.number(CALLER_ID)
        auth = (sim.account_sid, sim.auth_token)
        padding = "x" * MAX_REQUEST_BYTES
        answer = requests.post(
            f"{API}/Accounts/{sim.account_sid}/Calls.json",
            data={"To": CALLEE, "From": CALLER_ID, "Twiml": padding},
            auth=auth,
            timeout=5,
        )
        assert (answer.status_code, answer.json()) == (
            413,
            {
                "code": 20413,
                "message": "Request Entity Too Large: the request body is 1,048,620 bytes; the "
                "API accepts at most 1,048,576 bytes. Send the parameters as a form of "
                "ordinary size.",
                "more_info": "https://www.twilio.com/docs/errors/20413",
                "status": 413,
            },
        )
        assert answer.headers["Connection"] == "close"
        assert sim.calls == {}
        created = sim.client().calls.create(to=CALLEE, from_=CALLER_ID, twiml="<Response/>")
        assert created.status == "queued"


def failing_app(environ: dict[str, Any], start_response: Any) -> Any:
    raise RuntimeError("boom")


def test_any_exception_becomes_twilios_20500_json() -> None:
    guard = RequestGuard(failing_app)  # type: ignore[arg-type]
    answer = Client(guard).post("/2010-04-01/Accounts.json", data={"a": "b"})
    assert (answer.status_code, answer.content_type, answer.json) == (
        500,
        "application/json",
        {
            "code": 20500,
            "message": "Internal Server Error: twimlsim failed on POST /2010-04-01/Accounts.json "
            "(RuntimeError: boom); please report this bug",
            "more_info": "https://www.twilio.com/docs/errors/20500",
            "status": 500,
        },
    )
    assert [str(error) for error in guard.internal_errors] == ["boom"]


def test_a_chunked_body_is_read_only_up_to_the_limit() -> None:
    seen: list[bytes] = []

    def app(environ: dict[str, Any], start_response: Any) -> Any:
        seen.append(environ["wsgi.input"].read())
        start_response("200 OK", [("Content-Type", "application/json")])
        return [b"{}"]

    guard = RequestGuard(app, max_body=10)  # type: ignore[arg-type]

    def chunked(body: bytes) -> dict[str, Any]:
        return {"wsgi.input": io.BytesIO(body), "wsgi.input_terminated": True}

    small = Client(guard).post("/x", environ_overrides=chunked(b"0123456789"))
    big = Client(guard).post("/x", environ_overrides=chunked(b"0123456789A"))
    assert (small.status_code, seen) == (200, [b"0123456789"])
    assert (big.status_code, big.json["code"]) == (413, 20413)
    assert big.json["message"].startswith(
        "Request Entity Too Large: the request body is more than 10 bytes;"
    )


@pytest.mark.parametrize(
    ("method", "tail", "json_tail"),
    [
        ("POST", "/Calls", "/Calls.json"),
        ("GET", "/Calls.xml", "/Calls.json"),
        (
            "GET",
            "/Calls/CA0123456789abcdef0123456789abcdef",
            "/Calls/CA0123456789abcdef0123456789abcdef.json",
        ),
        ("GET", "/IncomingPhoneNumbers.xml", "/IncomingPhoneNumbers.json"),
        ("GET", "/Calls.csv", "/Calls.json"),
        (
            "GET",
            "/Calls/CA0123456789abcdef0123456789abcdef.csv",
            "/Calls/CA0123456789abcdef0123456789abcdef.json",
        ),
    ],
)
def test_the_xml_form_of_a_resource_is_named_not_a_missing_one(
    method: str, tail: str, json_tail: str
) -> None:
    """Twilio's 2010 API answers a resource without an extension, or with ``.xml``, in
    XML, and with ``.csv`` in CSV (its "API responses" page; the Call page: "append a .csv
    extension to any resource URI", ``GET .../Calls.csv``); twimlsim answers the JSON form
    only, and says so (it answered 20404, as for a resource that does not exist)."""
    form = "CSV" if tail.endswith(".csv") else "XML"
    with Simulator(allow_codes=[20500]) as sim:  # the 501, asked for on purpose
        path = f"/2010-04-01/Accounts/{sim.account_sid}{tail}"
        answer = requests.request(
            method,
            f"https://api.twilio.com{path}",
            auth=(sim.account_sid, sim.auth_token),
            timeout=5,
        )
    assert (answer.status_code, answer.json()) == (
        501,
        {
            "code": 20500,
            "message": f"{method} {path} asks for the {form} form of a Twilio API resource, which "
            "twimlsim does not simulate; it answers the JSON form, "
            f"/2010-04-01/Accounts/{sim.account_sid}{json_tail}, as Twilio's helper libraries "
            "request it",
            "more_info": "https://www.twilio.com/docs/errors/20500",
            "status": 501,
        },
    )


def test_an_unknown_path_without_an_extension_is_still_twilios_404() -> None:
    with Simulator() as sim:
        path = f"/2010-04-01/Accounts/{sim.account_sid}/Callz"
        answer = requests.get(
            f"https://api.twilio.com{path}", auth=(sim.account_sid, sim.auth_token), timeout=5
        )
    assert (answer.status_code, answer.json()["code"]) == (404, 20404)

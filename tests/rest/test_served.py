"""``twimlsim serve`` in process (``serve.start``/``run``/``main``), its admin endpoints, both
clocks, and the HTTP transport's mapping of network failures to Twilio codes."""

from __future__ import annotations

import argparse
import gzip
import json
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import requests
from werkzeug.serving import make_server

from fixtures.twiml_app import TwimlApp
from tests.support import CALLEE, CALLER_ID, SIMULATED_RESOURCES
from twimlsim import serve
from twimlsim.engine.webhooks import WebhookDeliveryError, WebhookRequest
from twimlsim.transports.http import HTTPTransport

TIMEOUT = 10
VOICE = "<Response><Say>Hi</Say><Pause length='2'/></Response>"


def local_server(app: Any) -> tuple[str, Callable[[], None]]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        server.server_close()
        thread.join(timeout=TIMEOUT)

    return f"http://127.0.0.1:{server.port}", stop


@pytest.fixture
def app() -> Iterator[tuple[str, TwimlApp]]:
    twiml = TwimlApp({"/voice": VOICE})
    url, stop = local_server(twiml)
    yield url, twiml
    stop()


def options(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    serve.add_arguments(parser)
    return parser.parse_args(["--number", CALLER_ID, *argv])


@pytest.fixture
def manual() -> Iterator[serve.Served]:
    served = serve.start(options("--clock", "manual", "--seed", "serve-tests"))
    yield served
    served.stop()


def create(served: serve.Served, url: str) -> str:
    sim = served.sim
    response = requests.post(
        f"{served.url}/2010-04-01/Accounts/{sim.account_sid}/Calls.json",
        data={"To": CALLEE, "From": CALLER_ID, "Url": url},
        auth=(sim.account_sid, sim.auth_token),
        timeout=TIMEOUT,
    )
    assert response.status_code == 201, response.text
    sid: str = response.json()["sid"]
    return sid


def test_manual_clock_admin_endpoints(manual: serve.Served, app: tuple[str, TwimlApp]) -> None:
    url, twiml = app
    sid = create(manual, f"{url}/voice")
    status = requests.get(f"{manual.url}/twimlsim/status", timeout=TIMEOUT)
    assert status.json() == {
        "now": "Thu, 01 Jan 2026 09:00:00 +0000",
        "seconds": 0.0,
        "pending_events": 1,
        "calls": {sid: "queued"},
        "failures": [],
    }
    advanced = requests.post(f"{manual.url}/twimlsim/advance", data={"seconds": "1.5"})
    assert advanced.json() == {
        "now": "Thu, 01 Jan 2026 09:00:01 +0000",
        "seconds": 1.5,
        "pending_events": 2,
        "calls": {sid: "in-progress"},
        "failures": [],
    }
    ran = requests.post(f"{manual.url}/twimlsim/run", timeout=TIMEOUT).json()
    assert (ran["calls"], ran["pending_events"], ran["failures"]) == ({sid: "completed"}, 0, [])
    assert [(method, path) for method, path, _ in twiml.seen] == [("POST", "/voice")]


def test_each_control_list_comes_in_an_object_named_after_it(
    manual: serve.Served, app: tuple[str, TwimlApp]
) -> None:
    # README: what a shell script's jq reads, .calls[], .transcript[], .api_requests[]
    url, _ = app
    sid = create(manual, f"{url}/voice")
    requests.post(f"{manual.url}/twimlsim/run", timeout=TIMEOUT)
    control = f"{manual.url}/twimlsim"
    shapes = {
        path: sorted(requests.get(f"{control}/{path}", timeout=TIMEOUT).json())
        for path in (
            "calls",
            f"calls/{sid}/transcript",
            f"calls/{sid}/requests",
            f"calls/{sid}/api-requests",
            "requests",
            "api-requests",
            "failures",
            "phones",
        )
    }
    assert shapes == {
        "calls": ["calls"],
        f"calls/{sid}/transcript": ["transcript"],
        f"calls/{sid}/requests": ["requests"],
        f"calls/{sid}/api-requests": ["api_requests"],
        "requests": ["requests"],
        "api-requests": ["api_requests"],
        "failures": ["failures", "unused_steps"],
        "phones": ["phones"],
    }
    calls = requests.get(f"{control}/calls", timeout=TIMEOUT).json()["calls"]
    assert [(call["sid"], call["status"]) for call in calls] == [(sid, "completed")]


@pytest.mark.parametrize(
    ("method", "path", "data", "status", "code", "message"),
    [
        (
            "POST",
            "/twimlsim/advance",
            {"seconds": "soon"},
            400,
            20422,
            "advance: seconds is not a number of seconds (0 or more): 'soon'; send one such "
            'as {"seconds": 30}',
        ),
        (
            "POST",
            "/twimlsim/advance",
            {"seconds": "-1"},
            400,
            20422,
            "advance: seconds is not a number of seconds (0 or more): '-1'; send one such "
            'as {"seconds": 30}',
        ),
        (
            "POST",
            "/twimlsim/advance",
            {"seconds": "nan"},
            400,
            20422,
            "advance: seconds is not a number of seconds (0 or more): 'nan'; send one such "
            'as {"seconds": 30}',
        ),
        (
            "GET",
            "/twimlsim/advance",
            None,
            405,
            20004,
            "GET /twimlsim/advance: this control endpoint takes POST",
        ),
        (
            "GET",
            "/twimlsim/nothing-here",
            None,
            404,
            20404,
            "GET /twimlsim/nothing-here is not a twimlsim control endpoint; "
            "GET /twimlsim/openapi.json lists them",
        ),
    ],
)
def test_admin_errors(
    manual: serve.Served,
    method: str,
    path: str,
    data: dict[str, str] | None,
    status: int,
    code: int,
    message: str,
) -> None:
    response = requests.request(method, manual.url + path, data=data, timeout=TIMEOUT)
    assert (response.status_code, response.json()) == (
        status,
        {
            "code": code,
            "message": message,
            "more_info": f"https://www.twilio.com/docs/errors/{code}",
            "status": status,
        },
    )


def test_realtime_clock_runs_calls_by_itself(app: tuple[str, TwimlApp]) -> None:
    url, twiml = app
    served = serve.start(options("--clock", "realtime", "--speed", "1000"))
    try:
        sid = create(served, f"{url}/voice")
        deadline = time.monotonic() + TIMEOUT
        calls: dict[str, str] = {}
        while time.monotonic() < deadline:
            calls = requests.get(f"{served.url}/twimlsim/status", timeout=TIMEOUT).json()["calls"]
            if calls[sid] == "completed":
                break
            time.sleep(0.01)
        assert calls == {sid: "completed"}
        assert served.sim.engine.calls[sid].record.duration == 3  # Say 'Hi' 1 s, Pause 2 s
    finally:
        served.stop()
    assert [(method, path) for method, path, _ in twiml.seen] == [("POST", "/voice")]


def test_speed_must_be_positive() -> None:
    with pytest.raises(SystemExit) as raised:
        serve.start(options("--speed", "0"))
    assert str(raised.value) == (
        "twimlsim serve: --speed must be more than 0, got 0.0; give the virtual seconds per "
        "real second, such as 1 (real time) or 60"
    )


def test_speed_is_refused_with_the_manual_clock() -> None:
    with pytest.raises(SystemExit) as raised:
        serve.start(options("--clock", "manual", "--speed", "2"))
    assert str(raised.value) == (
        "twimlsim serve: --speed 2 paces the realtime clock, but with --clock manual time "
        "moves only when you POST /twimlsim/advance; drop --speed, or use --clock realtime"
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_main_prints_the_banner_then_failures_on_exit(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    dead = f"http://127.0.0.1:{free_port()}/voice"
    placed: list[str] = []

    def interrupt(signals: object = None) -> str:
        banner = json.loads(capsys.readouterr().out)
        served_url = banner["url"]
        assert banner == {
            "url": served_url,
            "account_sid": banner["account_sid"],
            "auth_token": banner["auth_token"],
            "test_auth_token": banner["test_auth_token"],
            "clock": "manual",
            "numbers": [CALLER_ID],  # as the account owns it: E.164, once
            "control_url": f"{served_url}/twimlsim",
            "openapi_url": f"{served_url}/twimlsim/openapi.json",
        }
        response = requests.post(
            f"{served_url}/2010-04-01/Accounts/{banner['account_sid']}/Calls.json",
            data={"To": CALLEE, "From": CALLER_ID, "Url": dead},
            auth=(banner["account_sid"], banner["auth_token"]),
            timeout=TIMEOUT,
        )
        placed.append(response.json()["sid"])
        requests.post(f"{served_url}/twimlsim/run", timeout=TIMEOUT)
        return "SIGINT"

    monkeypatch.setattr(serve, "wait_for_shutdown", interrupt)
    monkeypatch.setattr(serve, "configure_logging", lambda level: None)  # leave logging be
    argv = ["twimlsim serve", "--clock", "manual", "--number", "(500) 555-0006"]
    argv += ["--number", CALLER_ID, "--log-level", "error"]
    monkeypatch.setattr(sys, "argv", argv)
    assert serve.main() == 1
    [sid] = placed
    errors = capsys.readouterr().err.splitlines()
    assert errors[0] == "twimlsim serve: stopped after 1 call; 1 problem Twilio would log:"
    assert errors[1].startswith(f"  call {sid}: Twilio error 11205 (")
    assert f"at {dead}: nothing answered at {dead} (ConnectionError)" in errors[1]
    assert errors[2:] == [
        "twimlsim serve: exit status 1; give --allow-code CODE for a code the app meets on "
        "purpose (a test of its error handling)"
    ]


# -- the HTTP transport on its own -------------------------------------------------------------


def webhook(url: str, method: str = "POST") -> WebhookRequest:
    return WebhookRequest(
        method=method,
        url=url,
        params={"CallSid": "CA" + "0" * 32},
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        kind="voice",
        call_sid="CA" + "0" * 32,
        at=datetime(2026, 1, 1, tzinfo=UTC),
    )


def test_gzip_answers_arrive_decoded_without_content_encoding() -> None:
    def gzipped(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "text/xml"), ("Content-Encoding", "gzip")])
        return [gzip.compress(b"<Response/>")]

    url, stop = local_server(gzipped)
    transport = HTTPTransport()
    try:
        answer = transport.send(webhook(f"{url}/voice", "GET"))
    finally:
        transport.close()
        stop()
    assert (answer.status, answer.body) == (200, b"<Response/>")
    assert [name for name, _ in answer.headers if name.lower() == "content-encoding"] == []
    assert ("Content-Type", "text/xml") in answer.headers


@pytest.mark.parametrize(
    ("exception", "code", "message"),
    [
        (
            requests.exceptions.InvalidURL("bad"),
            11100,
            "http://app.test/voice is not a usable URL: bad",
        ),
        (
            requests.exceptions.ConnectTimeout("slow"),
            11205,
            "connecting to http://app.test/voice timed out after 10 s",
        ),
        (
            requests.exceptions.ConnectionError("refused"),
            11205,
            "nothing answered at http://app.test/voice (ConnectionError): start the app, or "
            "check the URL's host and port",
        ),
        (
            requests.exceptions.ReadTimeout("late"),
            11200,
            "http://app.test/voice sent no answer within 15 s (the read timeout: Twilio's is "
            "15 s); make the app answer sooner (move slow work out of the request); if it was "
            "stopped at a debugger breakpoint, or is slow only under test, give the command "
            "--webhook-timeout none (no limit) or more seconds",
        ),
        (
            requests.exceptions.ChunkedEncodingError("cut"),
            11200,
            "HTTP request to http://app.test/voice failed: cut",
        ),
    ],
)
def test_network_failures_map_to_twilio_codes(
    monkeypatch: pytest.MonkeyPatch, exception: Exception, code: int, message: str
) -> None:
    transport = HTTPTransport()

    def fail(*args: object, **kwargs: object) -> None:
        raise exception

    monkeypatch.setattr(transport._session, "request", fail)
    with pytest.raises(WebhookDeliveryError) as raised:
        transport.send(webhook("http://app.test/voice"))
    assert (raised.value.code, raised.value.message) == (code, message)


def test_verified_caller_ids_are_listed_and_may_call(app: tuple[str, TwimlApp]) -> None:
    served = serve.start(options("--clock", "manual", "--verified-caller-id", "+15551230000"))
    try:
        sim = served.sim
        auth = (sim.account_sid, sim.auth_token)
        base = f"{served.url}/2010-04-01/Accounts/{sim.account_sid}"
        listed = requests.get(f"{base}/OutgoingCallerIds.json", auth=auth, timeout=TIMEOUT)
        assert [c["phone_number"] for c in listed.json()["outgoing_caller_ids"]] == ["+15551230000"]
        created = requests.post(
            f"{base}/Calls.json",
            data={"To": CALLEE, "From": "+15551230000", "Url": f"{app[0]}/voice"},
            auth=auth,
            timeout=TIMEOUT,
        )
        assert (created.status_code, created.json()["from"]) == (201, "+15551230000")
    finally:
        served.stop()


def test_reset_restarts_the_realtime_clock(app: tuple[str, TwimlApp]) -> None:
    url, twiml = app
    served = serve.start(options("--clock", "realtime", "--speed", "1000"))
    try:
        first = create(served, f"{url}/voice")
        wait_until_completed(served, first)
        time.sleep(0.5)  # 500 virtual seconds
        fresh = requests.post(f"{served.url}/twimlsim/reset", timeout=TIMEOUT).json()
        assert (fresh["seconds"], fresh["calls"], served.past_calls) == (0.0, {}, 1)
        second = create(served, f"{url}/voice")
        assert second == first  # a fresh simulator with the same seed
        wait_until_completed(served, second)
        # the clock counts from the reset, not from the start of the server
        seconds = requests.get(f"{served.url}/twimlsim/status", timeout=TIMEOUT).json()["seconds"]
        assert 3 <= seconds < 450
    finally:
        served.stop()
    assert [path for _, path, _ in twiml.seen] == ["/voice", "/voice"]


def wait_until_completed(served: serve.Served, sid: str) -> None:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        status = requests.get(f"{served.url}/twimlsim/status", timeout=TIMEOUT).json()
        if status["calls"].get(sid) == "completed":
            return
        time.sleep(0.01)
    raise AssertionError(f"call {sid} did not complete within {TIMEOUT} s")


def test_binding_beyond_loopback_warns_that_the_control_api_is_open(
    caplog: pytest.LogCaptureFixture,
) -> None:
    served = serve.start(options("--clock", "manual", "--host", "0.0.0.0"))
    try:
        assert served.url.startswith("http://0.0.0.0:")
    finally:
        served.stop()
    assert [
        record.getMessage() for record in caplog.records if record.name == "twimlsim.serve"
    ] == [
        f"serving on {served.url}: the control API under /twimlsim/ needs no credentials, so "
        "anyone who can reach this address can drive the simulation; the banner's url names "
        "every interface, an address no client can reach from elsewhere: another machine or "
        "container reaches this server by its host name (a Docker Compose service's name, "
        f"http://twimlsim:{served.server.port}) with the same port: give that URL as "
        "--public-url, for RecordingUrls to name it"
    ]


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ((), ("ACd45321710a9937d57a6f595c7099cd0b", "e56ddf2d2118610fee19c6e6a96da8ea")),
        (
            ("--start", "now", "--host", "0.0.0.0", "--clock", "realtime"),
            ("ACd45321710a9937d57a6f595c7099cd0b", "e56ddf2d2118610fee19c6e6a96da8ea"),
        ),
        (
            ("--seed", "7"),
            ("AC8dc1d7dd9b127c719dc7820ef5a1653b", "b3dfdc468b07ce3a32378b169a5f6cbc"),
        ),
    ],
)
def test_the_credentials_depend_on_the_seed_alone(
    argv: tuple[str, ...], expected: tuple[str, str]
) -> None:
    # README: a container set-up writes the banner's credentials into the app's environment
    served = serve.start(options("--clock", "manual", *argv))
    try:
        assert (served.sim.account_sid, served.sim.auth_token) == expected
    finally:
        served.stop()


def test_an_unsimulated_endpoint_names_no_in_process_stub_to_a_served_client(
    manual: serve.Served,
) -> None:
    sim = manual.sim
    path = f"/2010-04-01/Accounts/{sim.account_sid}/Addresses.json"
    answer = requests.get(
        f"{manual.url}{path}", auth=(sim.account_sid, sim.auth_token), timeout=TIMEOUT
    ).json()
    assert answer["message"] == (
        f"GET {path} is a Twilio API endpoint (Addresses) that twimlsim does not simulate; "
        + SIMULATED_RESOURCES
    )


def test_a_body_too_large_is_in_the_served_request_log(manual: serve.Served) -> None:
    sim = manual.sim
    path = f"/2010-04-01/Accounts/{sim.account_sid}/Calls.json"
    response = requests.post(
        manual.url + path,
        data={"Twiml": "x" * (2 << 20)},
        auth=(sim.account_sid, sim.auth_token),
        timeout=TIMEOUT,
    )
    assert (response.status_code, response.json()["code"]) == (413, 20413)
    control = requests.post(f"{manual.url}/twimlsim/advance", data="x" * (2 << 20), timeout=TIMEOUT)
    assert control.status_code == 413
    assert [(r.method, r.url, r.kind, r.status, r.params) for r in sim.api_requests] == [
        ("POST", manual.url + path, "calls.create", 413, {})
    ]


def test_start_sets_the_clock_and_a_reset_goes_back_to_it() -> None:
    served = serve.start(options("--clock", "manual", "--start", "2026-01-03T20:30-05:00"))
    try:
        status = requests.get(f"{served.url}/twimlsim/status", timeout=TIMEOUT).json()
        requests.post(f"{served.url}/twimlsim/advance", data={"seconds": "60"}, timeout=TIMEOUT)
        fresh = requests.post(f"{served.url}/twimlsim/reset", timeout=TIMEOUT).json()
    finally:
        served.stop()
    assert (status["now"], fresh["now"]) == (
        "Sun, 04 Jan 2026 01:30:00 +0000",
        "Sun, 04 Jan 2026 01:30:00 +0000",
    )


def test_start_now_is_the_wall_clock_to_the_second_when_the_option_is_read() -> None:
    # an app in another process reads the wall clock: with now its today is the API's
    before = datetime.now(UTC).replace(microsecond=0)
    args = options("--clock", "manual", "--start", "now")
    after = datetime.now(UTC)
    assert args.start.microsecond == 0
    assert before <= args.start <= after
    served = serve.start(args)
    try:
        status = requests.get(f"{served.url}/twimlsim/status", timeout=TIMEOUT).json()
    finally:
        served.stop()
    assert status["now"] == args.start.strftime("%a, %d %b %Y %H:%M:%S +0000")


def test_start_that_is_no_time_is_refused_naming_what_to_give(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as raised:
        options("--start", "tomorrow")
    assert raised.value.code == 2
    # argparse's error line starts with the program's name, which the test runner sets
    assert capsys.readouterr().err.splitlines()[-1].split(": error: ", 1)[1] == (
        "argument --start: 'tomorrow' is not a date and time: give ISO 8601, such as "
        "2026-01-03T20:30 (UTC) or 2026-01-03T20:30-05:00, or now (the wall clock)"
    )


def test_an_update_of_a_call_run_to_its_end_names_the_manual_clock(
    manual: serve.Served, caplog: pytest.LogCaptureFixture
) -> None:
    # the app answers an async AMD callback, then updates the call: /run got there first
    sim = manual.sim
    auth = (sim.account_sid, sim.auth_token)
    calls = f"{manual.url}/2010-04-01/Accounts/{sim.account_sid}/Calls"
    created = requests.post(
        f"{calls}.json",
        data={
            "To": CALLEE,
            "From": CALLER_ID,
            "Twiml": "<Response><Pause length='10'/></Response>",
        },
        auth=auth,
        timeout=TIMEOUT,
    ).json()
    requests.post(f"{manual.url}/twimlsim/run", timeout=TIMEOUT)
    with caplog.at_level("WARNING", logger="twimlsim.serve"):
        update = requests.post(
            f"{calls}/{created['sid']}.json",
            data={"Twiml": "<Response><Say>Hi</Say></Response>"},
            auth=auth,
            timeout=TIMEOUT,
        )
        requests.get(f"{manual.url}/twimlsim/status", timeout=TIMEOUT)
    assert (update.status_code, update.json()["code"]) == (400, 21220)
    (line,) = [r.getMessage() for r in caplog.records if r.name == "twimlsim.serve"]
    assert line == (
        f"REST 09:00:10 calls.update POST /2010-04-01/Accounts/{sim.account_sid}/Calls/"
        f"{created['sid']}.json -> 400, Twilio error 21220: Call is not in-progress. Cannot "
        "redirect. (with --clock manual, /twimlsim/run runs every call to its end at once, so "
        "an update the app sends after answering a webhook (an AMD or status callback) finds "
        "the call over, where on Twilio it would still be live: use --clock realtime (--speed "
        "paces it), or POST /twimlsim/advance in steps, each once the app's requests arrived)"
    )

"""``--webhook-timeout`` of ``twimlsim call`` and ``twimlsim serve``: Twilio's 15 s read
timeout is wall time, so an app stopped at a debugger breakpoint runs it out; the 11200
says how to lift it, in the command's own terms."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from werkzeug.serving import make_server

from twimlsim.cli import main
from twimlsim.engine.webhooks import WebhookDeliveryError, WebhookRequest
from twimlsim.transports.http import HTTPTransport

URL = "https://app.test/voice"
SLOW_APP = "tests.test_cli_webhook_timeout:slow_app"


def slow_app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    """An app that takes 0.15 s of wall time to answer (as at a breakpoint, only shorter)."""
    time.sleep(0.15)
    start_response("200 OK", [("Content-Type", "text/xml")])
    return [b"<Response><Say>Late but here.</Say></Response>"]


def test_the_11200_of_a_slow_app_names_the_option_that_lifts_the_limit(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["call", URL, "--app", SLOW_APP, "--webhook-timeout", "0.05"]) == 1
    out = capsys.readouterr().out
    [problem] = [line for line in out.splitlines() if "Twilio error 11200" in line]
    assert problem.startswith("  call CA")
    assert (
        " of wall time to answer https://app.test/voice; the simulator waits at most 0.05 s "
        "(webhook_timeout; Twilio's read timeout is 15 s) and then gives up on the request. "
    ) in problem
    assert problem.endswith(
        "Make the webhook answer sooner (move slow work out of the request, to a thread or a "
        "job queue, and answer the TwiML at once); if the time went by at a debugger "
        "breakpoint, or the app is slow only under test, give --webhook-timeout none (no "
        "limit) or more seconds; twimlsim then played Twilio's application-error message and "
        "hung up, as Twilio does [https://www.twilio.com/docs/errors/11200]"
    )


def test_webhook_timeout_none_waits_for_the_app_however_long(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["call", URL, "--app", SLOW_APP, "--webhook-timeout", "none"]) == 0
    assert "  09:00:00  said 'Late but here.'" in capsys.readouterr().out.splitlines()


@pytest.mark.parametrize("command", ["call", "serve"])
@pytest.mark.parametrize("given", ["soon", "0", "-3", "nan", "inf"])
def test_a_webhook_timeout_that_is_not_seconds_is_refused(
    command: str, given: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [command, "--webhook-timeout", given] + ([URL] if command == "call" else [])
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"twimlsim {command}: error: argument --webhook-timeout: {given!r} is not a read "
        "timeout: give seconds such as 15 (Twilio's), or none for no limit (a webhook "
        "stopped at a debugger breakpoint)"
    )


def dripping(environ: dict[str, Any], start_response: Any) -> Iterator[bytes]:
    """An answer whose body takes 0.3 s to arrive."""
    start_response("200 OK", [("Content-Type", "text/xml")])
    yield b"<Response>"
    for _ in range(6):
        time.sleep(0.05)
        yield b" "
    yield b"</Response>"


@pytest.mark.parametrize("limit", [None, 0.1])
def test_over_http_no_read_timeout_waits_for_the_whole_answer(limit: float | None) -> None:
    server = make_server("127.0.0.1", 0, dripping, threaded=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.port}/voice"
    request = WebhookRequest("POST", url, {}, {}, "voice", "CA1", datetime(2026, 1, 1, tzinfo=UTC))
    try:
        if limit is None:
            answer = HTTPTransport(read_timeout=None).send(request)
            assert (answer.status, answer.body) == (200, b"<Response>      </Response>")
        else:
            with pytest.raises(WebhookDeliveryError) as failed:
                HTTPTransport(read_timeout=limit).send(request)
            assert failed.value.code == 11200
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def test_serve_gives_its_own_option_in_a_slow_in_process_answers_advice() -> None:
    from twimlsim.serve import for_the_server
    from twimlsim.transports.timing import LIFT_THE_LIMIT

    assert for_the_server(f"Send the whole TwiML at once; {LIFT_THE_LIMIT}; then") == (
        "Send the whole TwiML at once; if the time went by at a debugger breakpoint, or the "
        "app is slow only under test, start twimlsim serve with --webhook-timeout none (no "
        "limit) or more seconds; then"
    )


def waits_on_the_api(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    """An app whose webhook waits on a REST request that never comes back (a Node handler
    whose calls.create to the real api.twilio.com rejects with no handler: no answer)."""
    time.sleep(0.5)
    start_response("200 OK", [("Content-Type", "text/xml")])
    return [b"<Response/>"]


def test_over_http_the_11200_of_call_says_it_serves_no_rest_api(
    capsys: pytest.CaptureFixture[str],
) -> None:
    server = make_server("127.0.0.1", 0, waits_on_the_api, threaded=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.port}/connect/agent"
    try:
        assert main(["call", url, "--incoming", "--webhook-timeout", "0.1"]) == 1
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
    out = capsys.readouterr().out
    [problem] = [line for line in out.splitlines() if "Twilio error 11200" in line]
    assert problem.split(": ", 1)[1] == (
        f"Twilio error 11200 (HTTP retrieval failure) at {url}: {url} sent no answer within "
        "0.1 s (the read timeout: Twilio's is 15 s); make the app answer sooner (move slow "
        "work out of the request); if it was stopped at a debugger breakpoint, or is slow "
        "only under test, give the command --webhook-timeout none (no limit) or more "
        "seconds; twimlsim call serves no REST API: an app that calls Twilio's while it "
        "answers (a calls.create placing an agent's leg, a call update) sends that request "
        "to the real api.twilio.com, where it fails (a promise rejected without a handler "
        "leaves the webhook unanswered): run such an app against twimlsim serve, its Twilio "
        "client pointed there (README: twimlsim serve, Twilio's helper libraries); twimlsim "
        "then played Twilio's application-error message and hung up, as Twilio does "
        "[https://www.twilio.com/docs/errors/11200]"
    )


def test_serve_s_transport_leaves_the_rest_api_note_out() -> None:
    server = make_server("127.0.0.1", 0, waits_on_the_api, threaded=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.port}/voice"
    request = WebhookRequest("POST", url, {}, {}, "voice", "CA1", datetime(2026, 1, 1, tzinfo=UTC))
    try:
        with pytest.raises(WebhookDeliveryError) as failed:
            HTTPTransport(read_timeout=0.1).send(request)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
    assert (failed.value.code, failed.value.message) == (
        11200,
        f"{url} sent no answer within 0.1 s (the read timeout: Twilio's is 15 s); make the app "
        "answer sooner (move slow work out of the request); if it was stopped at a debugger "
        "breakpoint, or is slow only under test, give the command --webhook-timeout none (no "
        "limit) or more seconds",
    )

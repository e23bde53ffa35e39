"""An app over HTTP whose webhook fails on its own request to the real Twilio REST API
(its client not pointed at ``twimlsim serve``; offline, the host does not resolve) answers
500 with that failure in its body: the 11200 names the real host and the way to the
simulated API."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from typing import Any

import pytest
from werkzeug.serving import make_server

from twimlsim.cli import main
from twimlsim.engine.real_api_hints import real_api_hint

HINT = (
    "the app's request to Twilio's REST API went to the real {host} and failed to "
    "connect, as its body says: run the app against twimlsim serve with its Twilio client "
    "pointed there (README: twimlsim serve, Twilio's helper libraries: TWIMLSIM_URL and the "
    "Node preload, sitecustomize.py, ...); twimlsim call serves no REST API"
)

#: An Express app's error page for a calls.create that could not resolve the host.
EXPRESS_PAGE = (
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>'
    "\n</head>\n<body>\n<pre>Error: getaddrinfo ENOTFOUND api.twilio.com<br> &nbsp; &nbsp;at "
    "GetAddrInfoReqWrap.onlookupall [as oncomplete] (node:dns:122:26)</pre>\n</body>\n</html>\n"
)


def failing_app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    """Answers every webhook as Express does when a handler passes such a failure on."""
    start_response("500 Internal Server Error", [("Content-Type", "text/html; charset=utf-8")])
    return [EXPRESS_PAGE.encode()]


@pytest.fixture
def app_url() -> Iterator[str]:
    server = make_server("127.0.0.1", 0, failing_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.port}/voice"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def _problems(out: str) -> list[str]:
    return [line for line in out.splitlines() if "Twilio error 11200" in line]


def test_call_over_http_names_the_real_host_and_twimlsim_serve(
    app_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["call", app_url, "--incoming"]) == 1
    [problem] = _problems(capsys.readouterr().out)
    assert problem.split(": ", 1)[1] == (
        f"Twilio error 11200 (HTTP retrieval failure) at {app_url}: the app answered HTTP "
        "500 to POST; its body: 'Error Error: getaddrinfo ENOTFOUND api.twilio.com at "
        "GetAddrInfoReqWrap.onlookupall [as oncomplete] (node:dns:122:26)'; hint: "
        + HINT.format(host="api.twilio.com")
        + "; twimlsim then played Twilio's application-error message and hung up, as Twilio "
        "does [https://www.twilio.com/docs/errors/11200]"
    )


def test_in_process_the_body_alone_is_quoted(capsys: pytest.CaptureFixture[str]) -> None:
    # an app run with --app reaches the simulated API in process: no such advice
    url = "https://app.test/voice"
    assert main(["call", url, "--app", "tests.test_real_api_hint:failing_app"]) == 1
    [problem] = _problems(capsys.readouterr().out)
    assert "twimlsim serve" not in problem
    assert "its body: 'Error Error: getaddrinfo ENOTFOUND api.twilio.com at " in problem


@pytest.mark.parametrize(
    ("body", "host"),
    [
        # twilio-python's requests, offline
        (
            "requests.exceptions.ConnectionError: HTTPSConnectionPool(host='api.twilio.com', "
            "port=443): Max retries exceeded with url: /2010-04-01/Accounts/AC1/Calls.json "
            "(Caused by NameResolutionError(\"HTTPSConnection(host='api.twilio.com', "
            "port=443): Failed to resolve 'api.twilio.com'\"))",
            "api.twilio.com",
        ),
        (
            "Failed to open TCP connection to api.twilio.com:443 (getaddrinfo: Name or "
            "service not known)",
            "api.twilio.com",
        ),
        (
            'Post "https://api.twilio.com/2010-04-01/Accounts/AC1/Calls.json": dial tcp: '
            "lookup api.twilio.com: no such host",
            "api.twilio.com",
        ),
        ("cURL error 6: Could not resolve host: lookups.twilio.com", "lookups.twilio.com"),
        ("java.net.UnknownHostException: api.sydney.au1.twilio.com", "api.sydney.au1.twilio.com"),
    ],
)
def test_each_language_s_resolution_failure_is_read(body: str, host: str) -> None:
    assert real_api_hint(body) == HINT.format(host=host)


@pytest.mark.parametrize(
    "body",
    [
        # the simulated API's own refusal, quoted by twilio-python: no failure to connect
        "TwilioRestException: HTTP 404 error: Unable to fetch record: The requested "
        "resource /2010-04-01/Accounts/AC1/Calls/CA1.json was not found "
        "https://api.twilio.com/2010-04-01/Accounts/AC1/Calls/CA1.json",
        "Error: getaddrinfo ENOTFOUND db.internal",
        "Internal Server Error",
    ],
)
def test_other_bodies_get_no_such_hint(body: str) -> None:
    assert real_api_hint(body) is None

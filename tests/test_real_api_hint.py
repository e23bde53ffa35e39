"""An app over HTTP whose webhook fails on its own request to the real Twilio REST API
(its client not pointed at ``twimlsim serve``; offline, the host does not resolve) answers
500 with that failure in its body: the 11200 names the real host and the way to the
simulated API."""

from __future__ import annotations

import html
from collections.abc import Iterable, Iterator
from typing import Any

import pytest

from tests.support import served_locally
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
    with served_locally(failing_app, threaded=True) as base:
        yield f"{base}/voice"


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
    assert problem.split(": ", 1)[1] == (
        f"Twilio error 11200 (HTTP retrieval failure) at {url}: the app answered HTTP 500 to "
        "POST; its body: 'Error Error: getaddrinfo ENOTFOUND api.twilio.com at "
        "GetAddrInfoReqWrap.onlookupall [as oncomplete] (node:dns:122:26)'; hint: the app "
        "logged no exception; its own log may say more; twimlsim then played Twilio's "
        "application-error message and hung up, as Twilio does "
        "[https://www.twilio.com/docs/errors/11200]"
    )


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
        # Go's resolver on a local address is not where the request went
        (
            'Post "https://api.twilio.com/2010-04-01/Accounts/AC1/Calls.json": dial tcp: '
            "lookup api.twilio.com on 127.0.0.53:53: no such host",
            "api.twilio.com",
        ),
        (
            "php_network_getaddresses: getaddrinfo for api.twilio.com failed: Name or service "
            "not known",
            "api.twilio.com",
        ),
    ],
)
def test_each_language_s_resolution_failure_is_read(body: str, host: str) -> None:
    assert real_api_hint(body, api_served=False) == HINT.format(host=host)


#: urllib3 1.x's words (requests' ConnectionError), the host named 255 characters before.
URLLIB3_1 = (
    "requests.exceptions.ConnectionError: HTTPSConnectionPool(host='{host}', port=443): Max "
    "retries exceeded with url: /2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/"
    "Calls.json (Caused by NewConnectionError('<urllib3.connection.HTTPSConnection object "
    "at 0x7f8b2c3d4e50>: Failed to establish a new connection: [Errno -3] Temporary failure "
    "in name resolution'))"
)


def test_urllib3_1_s_failure_is_read_with_the_host_its_pool_names() -> None:
    # twilio-python on urllib3 1.26 names no host in its failure's words: its pool does,
    # too far before them to be taken as near
    assert real_api_hint(URLLIB3_1.format(host="api.twilio.com"), api_served=False) == (
        HINT.format(host="api.twilio.com")
    )
    assert real_api_hint(URLLIB3_1.format(host="db.internal")) is None


@pytest.mark.parametrize(
    "body",
    [
        # .NET's HttpClient (twilio-csharp): the host follows the words in parentheses, the
        # exception's dotted class name precedes them (it was read as the host that failed)
        "System.Net.Http.HttpRequestException: No such host is known. (api.twilio.com:443)",
        "System.Net.Http.HttpRequestException: Name or service not known (api.twilio.com:443)",
        "java.net.UnknownHostException: api.twilio.com: Name or service not known",
    ],
)
def test_a_failure_after_an_exception_s_class_name_is_read_with_the_host_near_it(
    body: str,
) -> None:
    assert real_api_hint(body, api_served=False) == HINT.format(host="api.twilio.com")


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


@pytest.mark.parametrize(
    "body",
    [
        # the client pointed at a local address where nothing listens (twimlsim serve not
        # started): the request never went to the real host, whatever URL the body quotes
        "Error: connect ECONNREFUSED 127.0.0.1:8080 while creating a call at "
        "https://api.twilio.com/2010-04-01/Accounts/AC1/Calls.json",
        "Error: connect ECONNREFUSED ::1:8080 (url: https://api.twilio.com/2010-04-01/Calls)",
        "POST https://api.twilio.com/2010-04-01/Accounts/AC1/Calls.json failed: connect "
        "ECONNREFUSED [::1]:8080",
        "Error: getaddrinfo ENOTFOUND localhost (the Twilio client's api.twilio.com proxy)",
        # another host failed to resolve; the body mentions the Twilio API besides
        "Error: getaddrinfo ENOTFOUND db.internal\n    at connect (pg/client.js:12:3)\n"
        "calls are placed through https://api.twilio.com/2010-04-01",
        "Could not resolve host: redis.example.com; see api.twilio.com",
        "Failed to open TCP connection to db.internal:5432 (getaddrinfo: Name or service not "
        "known) before POST https://api.twilio.com/2010-04-01/Accounts/AC1/Calls.json",
        "dial tcp: lookup db.internal on 127.0.0.53:53: no such host (api.twilio.com next)",
    ],
)
def test_a_failure_of_another_address_beside_the_api_s_name_gets_no_such_hint(body: str) -> None:
    assert real_api_hint(body) is None


def test_the_failure_about_the_api_is_read_after_one_about_another_host() -> None:
    body = (
        "getaddrinfo ENOTFOUND db.internal (retrying); Error: getaddrinfo ENOTFOUND api.twilio.com"
    )
    assert real_api_hint(body, api_served=False) == HINT.format(host="api.twilio.com")


def test_a_failure_whose_line_ends_at_its_words_is_read_with_the_host_near_it() -> None:
    # the stack's next line names a function, not the address that failed
    body = (
        "Error: ETIMEDOUT\n    at Timeout._onTimeout (node_modules/request/request.js:849:19)"
        "\n    while calling https://api.twilio.com/2010-04-01/Accounts/AC1/Calls.json"
    )
    assert real_api_hint(body, api_served=False) == HINT.format(host="api.twilio.com")


def test_a_timeout_to_the_real_api_s_public_address_is_read() -> None:
    body = "Error: connect ETIMEDOUT 54.172.60.3:443 (api.twilio.com)"
    assert real_api_hint(body, api_served=False) == HINT.format(host="api.twilio.com")


def test_under_serve_the_hint_says_to_point_the_client_at_the_server(app_url: str) -> None:
    # twimlsim serve's transport serves the REST API: the app's client was not pointed there
    from twimlsim import Simulator
    from twimlsim.transports.http import HTTPTransport

    with Simulator(allow_codes={11200}) as sim:
        sim.engine.transport = HTTPTransport()
        sim.number("+15005550006", voice_url=app_url)
        sim.incoming_call(from_="+15558675310", to="+15005550006")
        sim.run()
        [failure] = sim.failures
    assert failure.message.split("; hint: ", 1)[1] == (
        "the app's request to Twilio's REST API went to the real api.twilio.com and failed to "
        "connect, as its body says: point the app's Twilio client at twimlsim serve (README: "
        "Twilio's helper libraries: TWIMLSIM_URL and the Node preload, sitecustomize.py, "
        "...); twimlsim then played Twilio's application-error message and hung up, as Twilio "
        "does"
    )


def test_a_long_body_of_failure_words_run_into_letters_is_read_in_linear_time() -> None:
    # each failure's address was tried against all the rest of the body (a 120 KB body
    # took about ten seconds, a megabyte minutes); it is looked for near the words only
    import time

    body = "getaddrinfoX" * 10_000 + "\nError: getaddrinfo ENOTFOUND api.twilio.com"
    began = time.perf_counter()
    assert real_api_hint(body, api_served=False) == HINT.format(host="api.twilio.com")
    assert time.perf_counter() - began < 5


def test_a_failure_s_address_is_looked_for_within_300_characters_after_its_words() -> None:
    # no host name is longer than 253 characters: a longer dotted word is none, and the
    # API's host near the failure is read
    word = "a" * 300 + ".example"
    body = f"POST https://api.twilio.com/2010-04-01/Calls.json; Could not resolve host: {word}"
    assert real_api_hint(body, api_served=False) == HINT.format(host="api.twilio.com")
    assert real_api_hint("getaddrinfo ENOTFOUND db.internal api.twilio.com") is None


#: requests' failure to resolve another host, as a traceback prints it.
_DB_FAILURE = (
    "requests.exceptions.ConnectionError: HTTPSConnectionPool(host='db.internal', port=443): "
    'Max retries exceeded with url: /x (Caused by NameResolutionError("<urllib3.connection.'
    "HTTPSConnection object at 0x7f>: Failed to resolve 'db.internal' ([Errno -3] Temporary "
    "failure in name resolution)\"))\n    client = Client(url='https://api.twilio.com')"
)


@pytest.mark.parametrize(
    "body",
    [
        # Werkzeug's and Django's debug pages (html.escape)
        html.escape(_DB_FAILURE),
        # Express's finalhandler (escape-html)
        "<pre>Error: getaddrinfo ENOTFOUND &quot;db.internal&quot; calling api.twilio.com</pre>",
        "<pre>Could not resolve host: &#39;redis.example.com&#39; (api.twilio.com next)</pre>",
    ],
)
def test_an_html_page_s_failure_of_another_host_gets_no_such_hint(body: str) -> None:
    # its quotes were character references, so the address it names was not read and the
    # API's host quoted near it was taken for the one that failed
    assert real_api_hint(body) is None


def test_an_html_page_s_failure_of_the_api_is_read_with_its_host() -> None:
    body = html.escape(_DB_FAILURE.replace("db.internal", "api.sydney.au1.twilio.com"))
    assert real_api_hint(body, api_served=False) == HINT.format(host="api.sydney.au1.twilio.com")


@pytest.mark.parametrize(
    "body",
    [
        # a container's host of one label (docker compose's db, redis), as Node names it
        "Error: getaddrinfo ENOTFOUND redis\n    at GetAddrInfoReqWrap.onlookup (node:dns:107:26)"
        "\n    while calling https://api.twilio.com/2010-04-01/Accounts/AC1/Calls.json",
        "Error: getaddrinfo EAI_AGAIN postgres (client: https://api.twilio.com)",
        # urllib3's, quoted, its errno and closing words after it
        "NameResolutionError: Failed to resolve 'db' ([Errno -3] Temporary failure in name "
        "resolution); client = Client(url='https://api.twilio.com')",
        "NameResolutionError: Failed to resolve 'db.internal' ([Errno -3] Temporary failure in "
        "name resolution); client = Client(url='https://api.twilio.com')",
    ],
)
def test_a_failure_of_a_one_label_or_quoted_host_beside_the_api_s_name_gets_no_hint(
    body: str,
) -> None:
    # the host was not read as an address (one label; urllib3's closing words read apart
    # from it), so the API's host quoted near the failure was taken for the one that failed
    assert real_api_hint(body) is None


def test_urllib3_s_failure_to_resolve_the_api_is_read_with_its_host() -> None:
    body = (
        "NameResolutionError: Failed to resolve 'api.twilio.com' ([Errno -3] Temporary failure "
        "in name resolution)"
    )
    assert real_api_hint(body, api_served=False) == HINT.format(host="api.twilio.com")


@pytest.mark.parametrize(
    "body",
    [
        "aiohttp.client_exceptions.ClientConnectorError: Cannot connect to host db.internal:5432 "
        "ssl:default [Name or service not known] (client: https://api.twilio.com)",
        "aiohttp.client_exceptions.ClientConnectorDNSError: Cannot connect to host db:443 "
        "ssl:default [Temporary failure in name resolution] (client: https://api.twilio.com)",
        "redis.exceptions.ConnectionError: Error -2 connecting to redis:6379. Name or service "
        "not known. (client: https://api.twilio.com)",
        'psycopg2.OperationalError: could not translate host name "db" to address: Name or '
        "service not known (client: https://api.twilio.com)",
    ],
    ids=["aiohttp", "aiohttp-one-label", "redis-py", "libpq"],
)
def test_a_client_library_s_failure_of_another_host_gets_no_hint(body: str) -> None:
    # the host each names before the resolver's words, other words between, was not read
    assert real_api_hint(body) is None


def test_aiohttp_s_failure_to_reach_the_api_is_read_with_its_host() -> None:
    body = (
        "aiohttp.client_exceptions.ClientConnectorDNSError: Cannot connect to host "
        "api.twilio.com:443 ssl:default [Temporary failure in name resolution]"
    )
    assert real_api_hint(body, api_served=False) == HINT.format(host="api.twilio.com")

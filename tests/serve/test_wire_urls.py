"""Over real HTTP, the URL ``twimlsim serve`` signs is the URL on the wire: an app that
rebuilds it from its request line (PHP's ``REQUEST_URI``, Rails' ``request.url``, Go's
``r.URL.RequestURI()``) validates every webhook, brackets (``ids[]=1``, as PHP and Rails
write arrays: sent as written, where urllib3 would escape them), an escape the URL has
(``%5B``), non-ASCII and a GET's added parameters included."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any
from urllib.parse import parse_qsl

import pytest
from twilio.request_validator import RequestValidator
from werkzeug.serving import make_server

from tests.serve.client import TIMEOUT, ServeProcess
from tests.serve.ivr import CALLER_ID

CALLEE = "+15558675310"
DOCUMENTS = {
    "/voice": '<Response><Redirect method="GET">/next?ids[]=2&amp;name=Zoë</Redirect></Response>',
    "/next": "<Response><Say>Hi.</Say></Response>",
}


class RawApp:
    """Records each request's raw request-line URI and whether its signature validates
    over ``http://`` + Host + that URI."""

    def __init__(self, token: str) -> None:
        self.validator = RequestValidator(token)
        self.seen: list[tuple[str, str, bool]] = []

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        method, uri = environ["REQUEST_METHOD"], environ["REQUEST_URI"]
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length).decode() if length else ""
        params = dict(parse_qsl(body, keep_blank_values=True)) if method == "POST" else {}
        url = f"http://{environ['HTTP_HOST']}{uri}"
        valid = self.validator.validate(url, params, environ["HTTP_X_TWILIO_SIGNATURE"])
        self.seen.append((method, uri.split("&Called=")[0], valid))
        start_response("200 OK", [("Content-Type", "text/xml")])
        return [DOCUMENTS.get(environ["PATH_INFO"], "<Response/>").encode()]


@pytest.fixture
def raw_app(serve: ServeProcess) -> Iterator[tuple[RawApp, str]]:
    app = RawApp(serve.banner["auth_token"])
    server = make_server("127.0.0.1", 0, app)  # type: ignore[arg-type]
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield app, f"http://127.0.0.1:{server.port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=TIMEOUT)


def test_a_url_with_brackets_is_signed_as_sent(
    serve: ServeProcess, raw_app: tuple[RawApp, str]
) -> None:
    app, base = raw_app
    sid = serve.create_call(To=CALLEE, From=CALLER_ID, Url=f"{base}/voice?ids[]=1&x=%5B")
    serve.post("run")
    assert app.seen == [
        ("POST", "/voice?ids[]=1&x=%5B", True),
        ("GET", "/next?ids[]=2&name=Zo%C3%AB", True),
    ]
    logged = [each["url"] for each in serve.get(f"calls/{sid}/requests")["requests"]]
    assert [url.split("&Called=")[0] for url in logged] == [
        f"{base}/voice?ids[]=1&x=%5B",
        f"{base}/next?ids[]=2&name=Zo%C3%AB",
    ]

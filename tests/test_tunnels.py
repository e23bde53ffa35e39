"""``--tunnel PUBLIC=LOCAL``: webhooks to the public base URL an app builds its URLs from
reach the app's local server, as through ngrok (the Host header and X-Forwarded-Proto of the
public URL, signed over it)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from flask import Flask, Response, request
from twilio.request_validator import RequestValidator

from tests.support import BLANK_VALUES_SIGNED, served_locally
from twimlsim.cli import main
from twimlsim.engine.webhooks import WebhookDeliveryError, WebhookRequest
from twimlsim.serve_options import add_arguments
from twimlsim.transports.http import HTTPTransport
from twimlsim.transports.tunnels import Tunnel, parse_tunnel

#: The simulated account's auth token (seed 0, as ``twimlsim call`` uses).
AUTH_TOKEN = "e56ddf2d2118610fee19c6e6a96da8ea"
EXAMPLE = "https://abc.ngrok.app=http://127.0.0.1:3000"


def _voice_webhook(url: str) -> WebhookRequest:
    """A voice webhook to ``url``, as the HTTP transport is handed one."""
    return WebhookRequest(
        "POST", url, {"A": "b"}, {}, "voice", "CA1", datetime(2026, 1, 1, tzinfo=UTC)
    )


def functions_style_app() -> Flask:
    """An app that builds its action URL as ``https://`` + its Host (a Twilio Function's
    ``https://${DOMAIN_NAME}${PATH}``) and checks the signature over the URL Twilio used,
    rebuilt from X-Forwarded-Proto and Host."""
    app = Flask(__name__)
    app.config["seen"] = []

    def signed() -> bool:
        scheme = request.headers.get("X-Forwarded-Proto", request.scheme)
        url = f"{scheme}://{request.host}{request.full_path.rstrip('?')}"
        signature = request.headers.get("X-Twilio-Signature", "")
        app.config["seen"].append((request.host, scheme, request.full_path.rstrip("?")))
        return RequestValidator(AUTH_TOKEN).validate(url, request.form, signature)

    @app.post("/ivr/voice")
    def voice() -> Response | tuple[str, int]:
        if not signed():
            return "invalid signature", 403
        action = f"https://{request.host}/ivr/menu?step=1"
        return Response(
            f'<Response><Gather numDigits="1" action="{action}"><Say>Press 1.</Say></Gather>'
            "</Response>",
            200,
            {"Content-Type": "text/xml"},
        )

    @app.post("/ivr/menu")
    def menu() -> Response | tuple[str, int]:
        if not signed():
            return "invalid signature", 403
        return Response(
            f"<Response><Say>You pressed {request.form['Digits']}.</Say></Response>",
            200,
            {"Content-Type": "text/xml"},
        )

    return app


def test_a_call_reaches_the_app_through_the_tunnel_with_the_public_host_and_scheme(
    capsys: pytest.CaptureFixture[str],
) -> None:
    app = functions_style_app()
    with served_locally(app) as base:
        status = main(
            [
                "call",
                "https://myapp.test/ivr/voice",
                "--tunnel",
                f"https://MyApp.test:443={base}/",
                "--press",
                "1",
                "--json",
            ]
        )
    legs = json.loads(capsys.readouterr().out)["calls"]
    assert status == 0
    assert legs[0]["said"] == ["Press 1.", "You pressed 1."]
    assert [(r["url"], r["response"]["status"]) for r in legs[0]["requests"]] == [
        ("https://myapp.test/ivr/voice", 200),
        ("https://myapp.test/ivr/menu?step=1", 200),
    ]
    assert app.config["seen"] == [
        ("myapp.test", "https", "/ivr/voice"),
        ("myapp.test", "https", "/ivr/menu?step=1"),
    ]


def test_a_public_base_with_a_path_forwards_only_the_urls_under_it() -> None:
    tunnel = parse_tunnel("https://Abc.ngrok.app/fn/=http://127.0.0.1:3000/")
    assert tunnel == Tunnel("https://abc.ngrok.app/fn", "http://127.0.0.1:3000")
    assert (tunnel.public_host, tunnel.public_scheme) == ("abc.ngrok.app", "https")
    assert [
        tunnel.target(url)
        for url in (
            "https://abc.ngrok.app/fn",
            "https://abc.ngrok.app/fn/voice?x=1",
            "https://abc.ngrok.app/fn?x=1",
            "https://abc.ngrok.app:443/fn/voice",
            "https://abc.ngrok.app/fnord",
            "http://abc.ngrok.app/fn/voice",
            "https://other.ngrok.app/fn/voice",
        )
    ] == [
        "http://127.0.0.1:3000",
        "http://127.0.0.1:3000/voice?x=1",
        "http://127.0.0.1:3000?x=1",
        "http://127.0.0.1:3000/voice",
        None,
        None,
        None,
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "https://abc.ngrok.app",
            "'https://abc.ngrok.app' is not a tunnel: give the public base URL Twilio "
            f"requests, '=', and the local one the app serves, such as {EXAMPLE}",
        ),
        (
            "abc.ngrok.app=http://127.0.0.1:3000",
            "tunnel 'abc.ngrok.app=http://127.0.0.1:3000': its public URL 'abc.ngrok.app' is "
            f"not an absolute http(s) URL; such as {EXAMPLE}",
        ),
        (
            "https://abc.ngrok.app=http://127.0.0.1:3000/?x=1",
            "tunnel 'https://abc.ngrok.app=http://127.0.0.1:3000/?x=1': its local URL "
            "'http://127.0.0.1:3000/?x=1' has a query or fragment: give the base only; such "
            f"as {EXAMPLE}",
        ),
        (
            "https://abc.ngrok.app=http://127.0.0.1:port",
            "tunnel 'https://abc.ngrok.app=http://127.0.0.1:port': its local URL "
            "'http://127.0.0.1:port' is not a usable URL (Port could not be cast to integer "
            f"value as 'port'); such as {EXAMPLE}",
        ),
        (
            "http://127.0.0.1:3000=http://127.0.0.1:3000/",
            "tunnel 'http://127.0.0.1:3000=http://127.0.0.1:3000/' sends http://127.0.0.1:3000 "
            f"to itself: the local side is where the app listens, such as {EXAMPLE}",
        ),
    ],
)
def test_a_tunnel_that_cannot_be_used_is_refused_saying_why(text: str, message: str) -> None:
    with pytest.raises(ValueError) as refused:
        parse_tunnel(text)
    assert str(refused.value) == message


def test_serve_takes_tunnels_and_refuses_a_bad_one(capsys: pytest.CaptureFixture[str]) -> None:
    import argparse

    parser = argparse.ArgumentParser(prog="twimlsim serve")
    add_arguments(parser)
    args = parser.parse_args(["--tunnel", EXAMPLE, "--tunnel", "http://a.test=http://b.test"])
    assert args.tunnel == [
        Tunnel("https://abc.ngrok.app", "http://127.0.0.1:3000"),
        Tunnel("http://a.test", "http://b.test"),
    ]
    with pytest.raises(SystemExit) as exited:
        parser.parse_args(["--tunnel", "https://abc.ngrok.app"])
    assert exited.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "twimlsim serve: error: argument --tunnel: 'https://abc.ngrok.app' is not a tunnel: "
        "give the public base URL Twilio requests, '=', and the local one the app serves, "
        f"such as {EXAMPLE}"
    )


def test_call_refuses_a_tunnel_with_an_app_in_process(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(
        ["call", "https://myapp.test/voice", "--app", "fixtures.flask_app"]
        + [
            "--tunnel",
            EXAMPLE,
        ]
    )
    assert status == 2
    assert capsys.readouterr().err == (
        "twimlsim call: error: --tunnel sends webhooks to an app over HTTP; with --app the app "
        "runs in process and is reached at the URL's host: drop --tunnel, or --app and start "
        "the app\n"
    )


def test_nothing_answering_at_the_local_side_names_both_urls() -> None:
    transport = HTTPTransport(tunnels=[parse_tunnel("https://abc.ngrok.app=http://127.0.0.1:9")])
    webhook = _voice_webhook("https://abc.ngrok.app/voice")
    with pytest.raises(WebhookDeliveryError) as failed:
        transport.send(webhook)
    assert (failed.value.code, failed.value.message) == (
        11205,
        "nothing answered at http://127.0.0.1:9/voice (--tunnel's local side for "
        "https://abc.ngrok.app/voice) (ConnectionError): start the app, or check the URL's "
        "host and port",
    )


def test_a_public_name_without_a_tunnel_is_told_of_the_tunnel_option() -> None:
    """A Voice SDK quickstart's README has its TwiML App's voice URL on the ngrok address;
    without --tunnel the name resolves nowhere: Twilio's 11210 (HTTP bad host name), which
    says how to stand in for it
    (a name under .invalid never resolves, so no lookup leaves the machine)."""
    transport = HTTPTransport(tunnels=[parse_tunnel("https://abc.ngrok.app=http://127.0.0.1:9")])
    webhook = _voice_webhook("https://asdf456.ngrok.invalid/voice?x=1")
    with pytest.raises(WebhookDeliveryError) as failed:
        transport.send(webhook)
    assert (failed.value.code, failed.value.message) == (
        11210,
        "nothing answered at https://asdf456.ngrok.invalid/voice?x=1 (its host name does not "
        "resolve): check the URL's host; an app reached through a tunnel (ngrok) at that "
        "address is reached with --tunnel https://asdf456.ngrok.invalid=http://127.0.0.1:PORT "
        "(the port the app listens on)",
    )


def test_an_http_url_on_an_https_tunnels_host_is_told_of_the_scheme() -> None:
    """A Flask app behind the tunnel writes its Gather action with url_for(_external=True),
    which, without werkzeug's ProxyFix, builds it from the local side's http: the action
    was said to be on a host name that does not resolve, the tunnel's own."""
    transport = HTTPTransport(
        tunnels=[parse_tunnel("https://abc.ngrok.invalid=http://127.0.0.1:9")]
    )
    webhook = _voice_webhook("http://abc.ngrok.invalid/menu")
    with pytest.raises(WebhookDeliveryError) as failed:
        transport.send(webhook)
    assert (failed.value.code, failed.value.message) == (
        11210,
        "nothing answered at http://abc.ngrok.invalid/menu: --tunnel takes "
        "https://abc.ngrok.invalid only, and this URL is http:// (an app behind a tunnel that "
        "builds its URLs from its request's own scheme sees the local side's http: Flask's "
        "url_for(_external=True) without werkzeug's ProxyFix, Express's req.protocol without "
        "trust proxy, as behind ngrok); have the app read X-Forwarded-Proto, which the tunnel "
        "sends (https), or write https:// URLs; a tunnel that takes http too is given as "
        "--tunnel http://abc.ngrok.invalid=http://127.0.0.1:9",
    )


def test_an_https_url_on_an_http_tunnels_host_is_told_of_the_scheme() -> None:
    transport = HTTPTransport(tunnels=[parse_tunnel("http://abc.ngrok.invalid=http://127.0.0.1:9")])
    webhook = _voice_webhook("https://abc.ngrok.invalid/menu")
    with pytest.raises(WebhookDeliveryError) as failed:
        transport.send(webhook)
    assert (failed.value.code, failed.value.message) == (
        11210,
        "nothing answered at https://abc.ngrok.invalid/menu: --tunnel takes "
        "http://abc.ngrok.invalid only, and this URL is https://; write http:// URLs, or a "
        "tunnel that takes https too is given as --tunnel "
        "https://abc.ngrok.invalid=http://127.0.0.1:9",
    )


def test_a_check_of_the_apps_own_scheme_behind_the_tunnel_is_told_of_x_forwarded_proto(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Twilio's Express validation sample (twilio.webhook() without trust proxy) rebuilds
    the URL as http://: behind ngrok it answers Twilio 403 (twilio-node's issue #321), and
    so it does here; the failure says which header carries the public scheme."""
    app = Flask(__name__)

    @app.post("/voice")
    def voice() -> Response | tuple[str, int]:
        url = f"{request.scheme}://{request.host}{request.path}"
        signature = request.headers.get("X-Twilio-Signature", "")
        if not RequestValidator(AUTH_TOKEN).validate(url, request.form, signature):
            return "Twilio Request Validation Failed.", 403
        return Response("<Response/>", 200, {"Content-Type": "text/xml"})

    with served_locally(app) as base:
        status = main(
            [
                "call",
                "https://abc.ngrok.app/voice",
                "--tunnel",
                f"https://abc.ngrok.app={base}",
                "--json",
            ]
        )
    [failure] = json.loads(capsys.readouterr().out)["failures"]
    assert status == 1
    assert failure["message"] == (
        "the app answered HTTP 403 to POST; its body: 'Twilio Request Validation Failed.'; "
        "hint: a 403 is most often the app's own X-Twilio-Signature check failing: give "
        "twimlsim call the app's auth token with --auth-token and validate the URL as "
        "requested (this one, scheme and all); twimlsim signs every webhook as Twilio does. "
        "Through "
        "--tunnel, as through ngrok, the app is reached over plain HTTP with the public Host "
        "and X-Forwarded-Proto: https; a check that rebuilds the URL from the request's own "
        "scheme checks http:// and fails, on Twilio behind ngrok too: have it read "
        "X-Forwarded-Proto (Express: app.set('trust proxy', true); twilio.webhook({ protocol: "
        "'https' }); Flask: werkzeug's ProxyFix; Laravel: $middleware->trustProxies(at: '*'); "
        "Spring Boot: server.forward-headers-strategy=framework; aiohttp: request.clone("
        "scheme=request.headers.get('X-Forwarded-Proto', request.scheme)); Quart under "
        "Hypercorn: hypercorn.middleware.ProxyFixMiddleware(app, mode='legacy'); plain PHP, "
        "Go or Java: the X-Forwarded-Proto header itself) or validate the public URL itself"
        f"{BLANK_VALUES_SIGNED}; twimlsim then played Twilio's application-error message and "
        "hung up, as Twilio does"
    )

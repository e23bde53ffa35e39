"""``sim.route(..., behind_proxy=True)``: the app as deployed behind a TLS-terminating proxy
gets each webhook over plain HTTP with ``X-Forwarded-Proto``; one that reads the header
passes its signature check, one that does not fails it, as it would in production."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import Response
from flask import Flask, abort, request
from twilio.request_validator import RequestValidator
from werkzeug.middleware.proxy_fix import ProxyFix

from tests.support import CALLEE, CALLER_ID
from twimlsim import Simulator

BASE = "https://myapp.test"


def validating_app(token: str, seen: list[dict[str, str]]) -> Flask:
    app = Flask("proxied")

    @app.post("/voice")
    def voice() -> Any:
        seen.append(
            {
                "scheme": request.scheme,
                "host": request.host,
                "url": request.url,
                "port": request.environ["SERVER_PORT"],
                "forwarded": request.headers.get("X-Forwarded-Proto", ""),
            }
        )
        signature = request.headers.get("X-Twilio-Signature", "")
        if not RequestValidator(token).validate(request.url, request.form, signature):
            abort(403)
        return "<Response><Say>Signed</Say></Response>", 200, {"Content-Type": "text/xml"}

    return app


def _call(sim: Simulator) -> Any:
    sim.number(CALLER_ID)
    call = sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{BASE}/voice")
    sim.run()
    return sim.calls[call.sid]


def test_an_app_reading_x_forwarded_proto_behind_the_proxy_passes_its_check() -> None:
    seen: list[dict[str, str]] = []
    with Simulator() as sim:
        app = validating_app(sim.auth_token, seen)
        app.wsgi_app = ProxyFix(app.wsgi_app, x_proto=1)  # type: ignore[method-assign]
        sim.route(BASE, app, behind_proxy=True)
        call = _call(sim)
        assert call.said == ["Signed"]
    assert seen == [
        {
            "scheme": "https",
            "host": "myapp.test",
            "url": "https://myapp.test/voice",
            "port": "80",
            "forwarded": "https",
        }
    ]


def test_an_app_that_forgets_the_proxy_fails_its_check_as_in_production() -> None:
    seen: list[dict[str, str]] = []
    with Simulator(strict=False) as sim:
        sim.route(BASE, validating_app(sim.auth_token, seen), behind_proxy=True)
        call = _call(sim)
        assert call.said == ["We are sorry, an application error has occurred. Goodbye."]
        assert [failure.code for failure in sim.failures] == [11200]
    assert seen == [
        {
            "scheme": "http",
            "host": "myapp.test",
            "url": "http://myapp.test/voice",
            "port": "80",
            "forwarded": "https",
        }
    ]


def test_without_the_option_the_app_gets_https_directly() -> None:
    seen: list[dict[str, str]] = []
    with Simulator() as sim:
        sim.route(BASE, validating_app(sim.auth_token, seen))
        assert _call(sim).said == ["Signed"]
    assert seen == [
        {
            "scheme": "https",
            "host": "myapp.test",
            "url": "https://myapp.test/voice",
            "port": "443",
            "forwarded": "",
        }
    ]


def test_an_asgi_app_behind_the_proxy_sees_http_and_the_header() -> None:
    api = FastAPI()
    seen: list[tuple[str, str | None]] = []

    @api.post("/voice")
    async def voice(request: Request) -> Response:
        seen.append((request.url.scheme, request.headers.get("x-forwarded-proto")))
        return Response("<Response><Say>Hi</Say></Response>", media_type="text/xml")

    with Simulator() as sim:
        sim.route(BASE, api, behind_proxy=True)
        assert _call(sim).said == ["Hi"]
    assert seen == [("http", "https")]


def test_behind_proxy_takes_a_bool() -> None:
    with Simulator() as sim, pytest.raises(TypeError) as raised:
        sim.route(BASE, validating_app("x", []), behind_proxy="yes")  # type: ignore[arg-type]
    assert str(raised.value) == (
        "sim.route('https://myapp.test', ...): behind_proxy must be True or False, got 'yes'"
    )


def https_only_app() -> Flask:
    """An app that redirects plain http to https, as Django's SECURE_SSL_REDIRECT and
    Flask-Talisman's force_https do."""
    app = Flask("https_only")

    @app.before_request
    def force_https() -> Any:
        if not request.is_secure:
            return Flask.redirect(app, request.url.replace("http://", "https://", 1), 301)
        return None

    @app.route("/voice", methods=["GET", "POST"])
    def voice() -> Any:
        return "<Response><Say>Secure</Say></Response>", 200, {"Content-Type": "text/xml"}

    return app


def test_an_https_redirect_that_forgets_the_proxy_loops_and_is_told_so() -> None:
    """Behind Heroku's router an app forcing https without reading X-Forwarded-Proto
    redirects each request to itself; 11215 named the last URL only."""
    with Simulator(strict=False) as sim:
        sim.route(BASE, https_only_app(), behind_proxy=True)
        sim.number(CALLER_ID)
        sid = sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{BASE}/voice").sid
        sim.run()
        (failure,) = sim.failures
        assert (failure.code, failure.message.split("; twimlsim then")[0]) == (
            11215,
            f"more than 10 redirects, each back to {BASE}/voice itself; Twilio stops there. An "
            "app that redirects plain http to https (Django's SECURE_SSL_REDIRECT, "
            "Flask-Talisman's force_https, Starlette's HTTPSRedirectMiddleware) does so without "
            "end when it is reached over plain HTTP behind a TLS-terminating proxy "
            "(sim.route(..., behind_proxy=True), --tunnel, Heroku's router) and does not read "
            "X-Forwarded-Proto: Django's SECURE_PROXY_SSL_HEADER = ('HTTP_X_FORWARDED_PROTO', "
            "'https'), werkzeug's ProxyFix(app.wsgi_app, x_proto=1), uvicorn's --proxy-headers "
            "with --forwarded-allow-ips '*' (ProxyHeadersMiddleware(app, trusted_hosts='*') "
            "around an ASGI app: it trusts only 127.0.0.1 by default)",
        )
        assert len(sim.calls[sid].requests) == 11
        # the advice holds
        app = https_only_app()
        app.wsgi_app = ProxyFix(app.wsgi_app, x_proto=1)  # type: ignore[method-assign]
        sim.route(BASE, app, behind_proxy=True)
        sid = sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{BASE}/voice").sid
        sim.run()
        assert sim.calls[sid].said == ["Secure"]

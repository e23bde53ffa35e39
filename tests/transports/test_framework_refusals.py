"""A framework's middleware that refuses Twilio's webhooks says which and what to change:
Flask-WTF's CSRFProtect and Litestar's CSRF config (Twilio sends no CSRF token), FastAPI's
security dependencies (nor credentials), Starlette's TrustedHostMiddleware (the routed host
is not among its allowed hosts)."""

from __future__ import annotations

from typing import Any

import flask
import pytest
from fastapi import Depends, FastAPI
from fastapi.responses import Response
from fastapi.security import HTTPBearer
from flask import Flask
from flask_wtf.csrf import CSRFProtect
from starlette.middleware.trustedhost import TrustedHostMiddleware

from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim import Simulator


def refusal_of(app: Any) -> str:
    """The message of the one failure of a call to ``app``'s ``/voice``, placed by REST."""
    with Simulator(strict=False) as sim:
        sim.route(APP_URL, app)
        sim.number(CALLER_ID)
        sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice")
        sim.run()
    (failure,) = sim.failures
    return failure.message


def protected_app(exempt: bool) -> Flask:
    """A voice app behind CSRFProtect, its view exempted or not."""
    app = Flask("voice")
    app.config["SECRET_KEY"] = "not-a-secret"
    csrf = CSRFProtect(app)

    def voice() -> tuple[str, int, dict[str, str]]:
        return "<Response><Say>Hi</Say></Response>", 200, {"Content-Type": "text/xml"}

    app.post("/voice")(csrf.exempt(voice) if exempt else voice)
    return app


def test_a_webhook_csrfprotect_refused_is_told_to_exempt_the_view() -> None:
    with Simulator(strict=False) as sim:
        sim.route(APP_URL, protected_app(exempt=False))
        sim.number(CALLER_ID)
        sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice")
        sim.run()
        (failure,) = sim.failures
        assert failure.message == (
            "the app answered HTTP 400 to POST; its body: '400 Bad Request Bad Request The CSRF "
            "token is missing.'; hint: Flask-WTF's CSRFProtect refused the webhook (Twilio "
            "sends no CSRF token): exempt the webhook views, @csrf.exempt on each (csrf = "
            "CSRFProtect(app)) or csrf.exempt(blueprint) for a blueprint of them, and check "
            "X-Twilio-Signature instead; twimlsim then played Twilio's application-error "
            "message and hung up, as Twilio does"
        )
        # the advice holds
        sim.route(APP_URL, protected_app(exempt=True))
        sid = sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice").sid
        sim.run()
        assert sim.calls[sid].said == ["Hi"]


def test_starlettes_trusted_host_400_names_allowed_hosts() -> None:
    """A FastAPI app configured for its production host refuses the routed one."""
    app = FastAPI()
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=["voice.example.com"])
    assert refusal_of(app) == (
        "the app answered HTTP 400 to POST; its body: 'Invalid host header'; hint: Starlette's "
        "TrustedHostMiddleware (FastAPI's) answers this to a host not in its allowed_hosts: "
        "add the routed host (app.test) to allowed_hosts; twimlsim then played Twilio's "
        "application-error message and hung up, as Twilio does"
    )


def refusing(body: bytes, content_type: str) -> Any:
    """A WSGI app answering every webhook 403 with ``body``, as a CSRF check does."""

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        start_response("403 Forbidden", [("Content-Type", content_type)])
        return [body]

    return app


@pytest.mark.parametrize(
    ("body", "content_type", "hint"),
    [
        (
            # Litestar 2.25's answer with csrf_config set (checked by hand, as its advice)
            b'{"status_code":403,"detail":"CSRF token verification failed"}',
            "application/json",
            "Litestar's CSRF protection (its csrf_config) refused the webhook (Twilio sends no "
            "CSRF token): leave the webhook routes out of it, CSRFConfig(..., "
            "exclude=['/voice', ...]) or opt={'exclude_from_csrf': True} on each route "
            "handler, and check X-Twilio-Signature instead",
        ),
        (
            b"CSRF token verification failed",
            "text/plain",
            "the app's CSRF protection refused the webhook (Twilio sends no CSRF token): leave "
            "the webhook routes out of it and check X-Twilio-Signature instead",
        ),
    ],
)
def test_a_csrf_refusal_not_djangos_is_not_told_of_csrf_exempt(
    body: bytes, content_type: str, hint: str
) -> None:
    """Every 403 mentioning CSRF was given Django's @csrf_exempt advice."""
    assert refusal_of(refusing(body, content_type)).split("; hint: ")[1] == (
        f"{hint}; twimlsim then played Twilio's application-error message and hung up, as "
        "Twilio does"
    )


def test_fastapis_security_dependency_refusing_a_webhook_is_named() -> None:
    """An API whose every route needs a bearer token refuses Twilio's webhooks too."""
    app = FastAPI(dependencies=[Depends(HTTPBearer())])

    @app.post("/voice")
    async def voice() -> Response:
        return Response("<Response><Say>Hi</Say></Response>", media_type="text/xml")

    assert refusal_of(app) == (
        'the app answered HTTP 401 to POST; its body: \'{"detail":"Not authenticated"}\'; '
        "hint: FastAPI's security dependency (HTTPBearer, OAuth2PasswordBearer, "
        "APIKeyHeader...) refused the webhook: Twilio sends no credentials; serve the webhook "
        "routes without it (an APIRouter of their own, not under the app's or router's "
        "dependencies=[...]) and check X-Twilio-Signature instead; twimlsim then played "
        "Twilio's application-error message and hung up, as Twilio does"
    )


def test_a_basic_challenge_to_a_url_without_credentials_says_where_twilio_takes_them() -> None:
    """Twilio answers a Basic challenge with the credentials written in the webhook URL; a
    401 with the challenge said nothing of it."""

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        if environ.get("HTTP_AUTHORIZATION") != "Basic dHdpbGlvOnMzY3JldA==":  # twilio:s3cret
            start_response("401 Unauthorized", [("WWW-Authenticate", 'Basic realm="voice"')])
            return [b"Unauthorized"]
        start_response("200 OK", [("Content-Type", "text/xml")])
        return [b"<Response><Say>Signed in</Say></Response>"]

    with Simulator(strict=False) as sim:
        sim.route(APP_URL, app)
        sim.number(CALLER_ID)
        sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice")
        sim.run()
        (failure,) = sim.failures
        assert failure.message == (
            "the app answered HTTP 401 to POST; its body: 'Unauthorized'; hint: the app asks "
            "for HTTP Basic authentication (WWW-Authenticate: Basic), and Twilio answers that "
            "challenge only with the credentials written in the webhook URL: write them into "
            "it as user:password@ before its host (the number's voice URL, the call's Url, the "
            "TwiML's action); twimlsim then played Twilio's application-error message and hung "
            "up, as Twilio does"
        )
        # the advice holds
        sid = (
            sim.client()
            .calls.create(to=CALLEE, from_=CALLER_ID, url="https://twilio:s3cret@app.test/voice")
            .sid
        )
        sim.run()
        assert sim.calls[sid].said == ["Signed in"]


def test_a_rate_limits_429_says_webhooks_come_together_and_how_to_exempt_them() -> None:
    """Flask-Limiter's 3 per minute by address refused the fourth of five calls' webhooks
    (its body: '429 Too Many Requests Too Many Requests 3 per 1 minute'), with no hint."""
    seen: list[str] = []

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        seen.append(environ["REMOTE_ADDR"])
        if len(seen) > 3:
            start_response("429 Too Many Requests", [("Content-Type", "text/plain")])
            return [b"3 per 1 minute"]
        start_response("200 OK", [("Content-Type", "text/xml")])
        return [b"<Response><Say>Hi</Say></Response>"]

    with Simulator(strict=False, cps=10) as sim:
        sim.route(APP_URL, app)
        sim.number(CALLER_ID)
        for last in "01234":
            sim.client().calls.create(
                to=CALLEE[:-1] + last, from_=CALLER_ID, url=f"{APP_URL}/voice"
            )
        sim.run()
    assert [f.message for f in sim.failures] == 2 * [
        "the app answered HTTP 429 to POST; its body: '3 per 1 minute'; hint: the app's rate "
        "limit refused the webhook: a limit keyed on the client's address counts every call's "
        "webhooks together, as they come from Twilio's proxies (in a simulation from one "
        "address) and many at once when calls run together; exempt Twilio's webhook routes "
        "from it (Flask-Limiter's and slowapi's @limiter.exempt) and check X-Twilio-Signature "
        "instead, or key it on the call (CallSid); twimlsim then played Twilio's "
        "application-error message and hung up, as Twilio does"
    ]
    assert set(seen) == {"198.51.100.7"}


def test_a_401_without_a_challenge_says_twilio_sends_no_credentials() -> None:
    # Flask-Login's @login_required with no login_view aborts with this 401
    app = Flask("voice")

    @app.post("/voice")
    def voice() -> Any:
        flask.abort(401)

    assert refusal_of(app) == (
        'the app answered HTTP 401 to POST; its body: "401 Unauthorized Unauthorized The '
        "server could not verify that you are authorized to access the URL requested. You "
        "either supplied the wrong credentials (e.g. a bad password), or your browser doesn't "
        'understand how to supply the credentials required."; hint: the app refused the '
        "webhook as not signed in (401): Twilio sends no credentials (only those written in "
        "the webhook URL, user:password@ before its host, and only after a WWW-Authenticate: "
        "Basic challenge); leave the webhook views out of the app's login or token check "
        "(Flask-Login's @login_required without a login_view answers this 401) and check "
        "X-Twilio-Signature instead; twimlsim then played Twilio's application-error message "
        "and hung up, as Twilio does"
    )

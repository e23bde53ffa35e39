"""A 403 to a webhook URL whose path has escapes werkzeug decodes: Flask's
``request.url`` and ``request.base_url`` both give them decoded (``/men%C3%BC`` as
``/menü``), so the query-only advice would fail too; the request target the server
received keeps them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask, request
from twilio.request_validator import RequestValidator

from tests.support import APP_URL, BLANK_VALUES_SIGNED, CALLEE, CALLER_ID
from twimlsim import SimulationError, Simulator
from twimlsim.engine.decoded_escapes import decoded_escapes_hint

PATH_HINT = (
    ". This URL's path has escapes ({}) that Flask's request.url and request.base_url "
    "(werkzeug's) give decoded, so a check validating either checks another URL than the "
    "one Twilio signed, and fails on Twilio too: validate the URL as the server received it, "
    "request.host_url.rstrip('/') + (request.environ.get('RAW_URI') or "
    "request.environ['REQUEST_URI']) (gunicorn fills RAW_URI, waitress and uWSGI "
    "REQUEST_URI, werkzeug's server and twimlsim both)"
)


def app_validating(url_of: str, token: list[str]) -> Flask:
    """A voice app at ``/menü`` checking X-Twilio-Signature over the URL ``url_of`` names."""
    app = Flask("voice")

    @app.post("/menü")
    def menu() -> tuple[str, int]:
        url = {
            "request.url": request.url,
            "as received": request.host_url.rstrip("/")
            + (request.environ.get("RAW_URI") or request.environ["REQUEST_URI"]),
        }[url_of]
        signature = request.headers.get("X-Twilio-Signature", "")
        if not RequestValidator(token[0]).validate(url, request.form, signature):
            return "", 403
        return "<Response><Say>Hi</Say></Response>", 200

    return app


@pytest.mark.parametrize(
    ("url", "hint"),
    [
        ("https://app.test/a%2Fb", PATH_HINT.format("%2F")),
        ("https://app.test/a%2Cb%3Ac?x=1", PATH_HINT.format("%2C, %3A")),
        ("https://app.test/a%20b%23c%3Fd", ""),  # written escaped again
        ("https://app.test/voice", ""),
    ],
)
def test_which_path_escapes_are_named(url: str, hint: str) -> None:
    assert decoded_escapes_hint(url) == hint


STARLETTE_PATH_HINT = (
    ". This URL's path has escapes ({}) that Starlette's request.url (FastAPI's) gives "
    "decoded, as the ASGI scope's path has them, so a check validating it checks another URL "
    "than the one Twilio signed, and fails on Twilio too: validate the URL with the path as "
    "the server received it, str(request.url.replace(path=request.scope['raw_path'].decode()))"
    " (uvicorn and twimlsim both fill raw_path)"
)


class _SignatureMiddleware:
    """A pure ASGI middleware of the app's own, holding the Starlette app as ``app``."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self.app(scope, receive, send)


def starlette_validating(url_of: str, token: list[str]) -> Any:
    """A Starlette voice app at ``/menü`` checking X-Twilio-Signature over the URL
    ``url_of`` names, behind an ASGI middleware of its own."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    async def menu(request: Request) -> Response:
        url = {
            "request.url": str(request.url),
            "as received": str(request.url.replace(path=request.scope["raw_path"].decode())),
        }[url_of]
        form = await request.form()
        signature = request.headers.get("X-Twilio-Signature", "")
        if not RequestValidator(token[0]).validate(url, form, signature):
            return Response(status_code=403)
        return Response("<Response><Say>Hi</Say></Response>", media_type="text/xml")

    return _SignatureMiddleware(Starlette(routes=[Route("/menü", menu, methods=["POST"])]))


@pytest.mark.parametrize(
    ("validating", "query", "path_hint"),
    [
        (app_validating, "team=a%2Cb", PATH_HINT),
        # Starlette's request.url decodes the path (the scope's) but keeps the query as
        # sent: the hint names the path's escapes alone, with the scope's raw_path, not
        # Flask's request.host_url and environ, which a Starlette request has not
        (starlette_validating, "team=a%2Fb", STARLETTE_PATH_HINT),
    ],
    ids=["flask", "starlette"],
)
def test_a_path_in_another_alphabet_names_the_escapes_and_the_url_as_received(
    validating: Callable[[str, list[str]], Any], query: str, path_hint: str
) -> None:
    token: list[str] = []
    url = f"{APP_URL}/men%C3%BC?{query}"
    with Simulator() as sim:
        token.append(sim.auth_token)
        sim.route(APP_URL, validating("request.url", token))
        sim.number(CALLER_ID)
        sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=url)
        with pytest.raises(SimulationError) as raised:
            sim.run()
        (failure,) = raised.value.failures
        assert failure.message.split("; hint: ")[1].split(". A token")[0] == (
            "a 403 is most often the app's own X-Twilio-Signature check failing: give the app "
            "the simulator's auth token (sim.auth_token) and validate the URL as requested "
            "(this one, scheme and all); twimlsim signs every webhook as Twilio does"
            + path_hint.format("%BC, %C3")
            + BLANK_VALUES_SIGNED
        )
        # the advice holds
        sim.route(APP_URL, validating("as received", token))
        sid = sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=url).sid
        sim.run()
        assert sim.calls[sid].said == ["Hi"]


@pytest.mark.parametrize(
    ("url", "hint"),
    [
        ("https://app.test/a%2Fb?x=%2C", STARLETTE_PATH_HINT.format("%2F")),
        # a space comes back as itself in request.url (werkzeug's writes it %20 again);
        # "?", "#" and a backslash Starlette escapes again
        ("https://app.test/John%20Smith", STARLETTE_PATH_HINT.format("%20")),
        ("https://app.test/a%3Fb%23c%5Cd%5c", ""),
        # Starlette's request.url writes the query as it was sent
        ("https://app.test/voice?team=a%2Fb&city=S%C3%A3o", ""),
    ],
)
def test_which_escapes_are_named_for_a_starlette_app(url: str, hint: str) -> None:
    from starlette.applications import Starlette

    assert decoded_escapes_hint(url, _SignatureMiddleware(Starlette())) == hint
    assert decoded_escapes_hint(url, None) != hint  # Flask's words for any other app


def test_starlette_s_middleware_around_another_app_keeps_the_flask_words() -> None:
    """Only the innermost app's framework builds request.url: a Starlette middleware around
    another framework's app is not a Starlette app."""
    from starlette.middleware.cors import CORSMiddleware

    url = "https://app.test/a%2Fb"

    async def other(scope: Any, receive: Any, send: Any) -> None:
        return None

    assert decoded_escapes_hint(url, CORSMiddleware(other)) == PATH_HINT.format("%2F")
    assert decoded_escapes_hint(url, CORSMiddleware(_SignatureMiddleware(other))) == (
        PATH_HINT.format("%2F")
    )


def test_a_starlette_router_routed_alone_is_a_starlette_app() -> None:
    """A Router's ``app`` is its own ASGI method, not an app it wraps: it was walked into
    (a bound method, of no framework) and the Router given Flask's words."""
    from starlette.routing import Router

    url = "https://app.test/a%2Fb"
    assert decoded_escapes_hint(url, Router()) == STARLETTE_PATH_HINT.format("%2F")
    assert decoded_escapes_hint(url, _SignatureMiddleware(Router())) == (
        STARLETTE_PATH_HINT.format("%2F")
    )

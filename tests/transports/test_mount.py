"""A route with a path prefix mounts the app there, the WSGI way (SCRIPT_NAME)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import Response
from twilio.request_validator import RequestValidator

from tests.support import CALLEE, CALLER_ID
from twimlsim import Simulator

BASE = "https://host.test/myivr"


def ivr_app() -> Any:
    from flask import Flask, request, url_for
    from flask import Response as FlaskResponse

    app = Flask("ivr")
    seen: list[tuple[str, str, str]] = []
    app.config["SEEN"] = seen

    @app.post("/ivr/welcome")
    def welcome() -> FlaskResponse:
        seen.append((request.environ["SCRIPT_NAME"], request.environ["PATH_INFO"], request.url))
        menu = url_for("menu")
        twiml = f'<Response><Gather numDigits="1" action="{menu}"><Say>Hi</Say></Gather></Response>'
        return FlaskResponse(twiml, mimetype="text/xml")

    @app.post("/ivr/menu")
    def menu() -> FlaskResponse:
        seen.append((request.environ["SCRIPT_NAME"], request.environ["PATH_INFO"], request.url))
        return FlaskResponse(f"<Response><Say>You chose {request.form['Digits']}</Say></Response>")

    return app


def test_a_prefix_route_is_the_apps_script_name() -> None:
    app = ivr_app()
    with Simulator() as sim:
        sim.route(BASE, app)
        sim.number(CALLER_ID)
        sim.phone(CALLEE).presses("2")
        sid = sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{BASE}/ivr/welcome").sid
        sim.run()
    call = sim.calls[sid]
    assert call.said == ["Hi", "You chose 2"]
    assert app.config["SEEN"] == [
        ("/myivr", "/ivr/welcome", f"{BASE}/ivr/welcome"),
        ("/myivr", "/ivr/menu", f"{BASE}/ivr/menu"),  # url_for kept the prefix
    ]
    validator = RequestValidator(sim.auth_token)
    for request in call.requests[:2]:
        url = request.url
        assert validator.validate(url, request.params, request.headers["X-Twilio-Signature"])


def test_the_root_of_a_prefix_route_and_a_longer_route_beside_it() -> None:
    seen: list[tuple[str, str, str]] = []

    def recorder(name: str) -> Any:
        def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
            seen.append((name, environ["SCRIPT_NAME"], environ["PATH_INFO"]))
            start_response("200 OK", [("Content-Type", "text/xml")])
            return [b"<Response><Redirect>/myivr/deeper/x%20y</Redirect></Response>"]

        return app

    def deeper(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        seen.append(("deeper", environ["SCRIPT_NAME"], environ["PATH_INFO"]))
        start_response("200 OK", [("Content-Type", "text/xml")])
        return [b"<Response><Hangup/></Response>"]

    with Simulator() as sim:
        sim.route(BASE + "/", recorder("ivr"))
        sim.route(BASE + "/deeper", deeper)
        sim.number(CALLER_ID)
        sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=BASE)
        sim.run()
    assert seen == [("ivr", "/myivr", ""), ("deeper", "/myivr/deeper", "/x y")]


def test_an_asgi_app_under_a_prefix_gets_it_as_root_path() -> None:
    app = FastAPI()
    seen: list[tuple[str, str, str]] = []

    @app.post("/ivr/welcome")
    async def welcome(request: Request) -> Response:
        seen.append((request.scope["root_path"], request.scope["path"], str(request.url)))
        return Response("<Response><Say>Hi</Say></Response>", media_type="text/xml")

    with Simulator() as sim:
        sim.route(BASE, app)
        sim.number(CALLER_ID)
        sid = sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{BASE}/ivr/welcome").sid
        sim.run()
    assert sim.calls[sid].said == ["Hi"]
    # ASGI's path includes the root path (a2wsgi's mapping of SCRIPT_NAME)
    assert seen == [("/myivr", "/myivr/ivr/welcome", f"{BASE}/ivr/welcome")]


def test_a_default_port_written_in_the_route_or_the_url_reaches_the_same_app() -> None:
    for route, url in (
        ("https://host.test:443", "https://host.test/ivr/welcome"),
        ("https://host.test", "https://host.test:443/ivr/welcome"),
        ("http://host.test:80/", "http://host.test/ivr/welcome"),
    ):
        app = ivr_app()
        with Simulator() as sim:
            sim.route(route, app)
            sim.number(CALLER_ID)
            sim.phone(CALLEE).presses("2")
            sid = sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=url).sid
            sim.run()
        call = sim.calls[sid]
        assert call.said == ["Hi", "You chose 2"], (route, url)
        # the URL requested and signed is the one the app gave, port and all
        assert call.requests[0].url == url
        assert app.config["SEEN"][0][:2] == ("", "/ivr/welcome")


def test_a_webhook_path_starting_with_two_slashes_reaches_the_app_as_sent() -> None:
    # a base URL setting with a trailing slash joined to "/voice": gunicorn and uvicorn pass
    # "//voice" on; in process the app got PATH_INFO "" (werkzeug read "voice" as a host)
    # and Flask redirected the webhook to the root
    seen: list[tuple[str, str]] = []

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        seen.append((environ["SCRIPT_NAME"], environ["PATH_INFO"]))
        start_response("200 OK", [("Content-Type", "text/xml")])
        return [b"<Response><Say>Hello</Say></Response>"]

    with Simulator() as sim:
        sim.route("https://host.test", app)
        sim.number(CALLER_ID)
        sid = (
            sim.client()
            .calls.create(to=CALLEE, from_=CALLER_ID, url="https://host.test//voice")
            .sid
        )
        sim.run()
    assert sim.calls[sid].said == ["Hello"]
    assert seen == [("", "//voice")]
    assert sim.calls[sid].requests[0].url == "https://host.test//voice"


def _saying(words: str) -> Any:
    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "text/xml")])
        return [f"<Response><Say>{words}</Say></Response>".encode()]

    return app


def test_routing_a_base_again_replaces_its_app_and_leaves_the_others() -> None:
    with Simulator() as sim:
        sim.route("https://app.test", _saying("first"))
        sim.route("https://app.test/deep", _saying("deep"))
        sim.route("https://APP.test/", _saying("second"))  # the same base, written otherwise
        sim.number(CALLER_ID)
        client = sim.client()
        top = client.calls.create(to=CALLEE, from_=CALLER_ID, url="https://app.test/voice").sid
        deep = client.calls.create(to=CALLEE, from_=CALLER_ID, url="https://app.test/deep/v").sid
        sim.run()
    assert sim.calls[top].said == ["second"]
    assert sim.calls[deep].said == ["deep"]

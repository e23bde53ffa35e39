"""A 404 from an app routed in process names the app's routes that take the method Twilio
used (a sample's README names /webhook for a view at /handle_call), or, when one of them
matches the path, says its view answered 404 itself: the app has the route after all."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, HTTPException
from fastapi.responses import Response as FastAPIResponse
from flask import Flask, abort

from tests.transports.test_app_errors import ERRORS, failure_of
from twimlsim.engine.route_hints import routes_taking

FLASK_404 = (
    "its body: '404 Not Found Not Found The requested URL was not found on the server. If "
    "you entered the URL manually please check your spelling and try again.'"
)


def forwarding_app() -> Flask:
    app = Flask("forwarding")
    app.add_url_rule("/handle_call", "handle_call", lambda: "<Response/>", methods=["POST"])
    app.add_url_rule("/transcription", "transcription", lambda: ("", 204), methods=["POST"])
    app.add_url_rule("/health", "health", lambda: "ok")
    return app


def test_a_404_names_the_routes_that_take_the_method() -> None:
    message, _ = failure_of(forwarding_app(), "/webhook")
    assert message == (
        f"https://app.test/webhook: the app answered HTTP 404 to POST; {FLASK_404}; hint: "
        "the app has no route for this path: check the URL against the app's routes; the "
        f"app's routes that take POST: /handle_call, /transcription{ERRORS}"
    )


def test_a_404_to_a_get_names_the_get_routes() -> None:
    message, _ = failure_of(forwarding_app(), "/webhook", "GET")
    assert message.endswith(
        "hint: the app has no route for this path: check the URL against the app's routes; "
        f"the app's routes that take GET: /health{ERRORS}"
    )


def test_a_404_of_an_app_without_a_route_for_the_method_says_so() -> None:
    app = Flask("status")
    app.get("/voice")(lambda: "<Response/>")
    message, _ = failure_of(app, "/webhook")
    assert message.endswith(
        f"check the URL against the app's routes; the app has no route that takes POST{ERRORS}"
    )


def test_a_404_names_ten_routes_then_how_many_more() -> None:
    app = Flask("many")
    for number in range(12):
        app.add_url_rule(f"/r{number:02}", f"r{number}", lambda: "<Response/>", methods=["POST"])
    message, _ = failure_of(app, "/webhook")
    assert message.endswith(
        "the app's routes that take POST: /r00, /r01, /r02, /r03, /r04, /r05, /r06, /r07, "
        f"/r08, /r09 and 2 more{ERRORS}"
    )


def test_a_404_a_flask_view_answered_itself_names_its_route() -> None:
    app = Flask("lookup")

    @app.post("/calls/<int:number>")
    def call(number: int) -> str:
        abort(404)

    message, _ = failure_of(app, "/calls/7")
    assert message == (
        f"https://app.test/calls/7: the app answered HTTP 404 to POST; {FLASK_404}; hint: the "
        "app's route /calls/<int:number> matches this path, so its view answered 404 itself "
        "(abort(404), or a record it looked up with the request's parameters was not found): "
        f"check what the view looks up{ERRORS}"
    )


def test_a_404_of_a_fastapi_app_names_its_routes_or_the_one_that_matched() -> None:
    app = FastAPI()
    app.post("/voice")(lambda: FastAPIResponse("<Response/>", media_type="text/xml"))

    @app.post("/leads/{source}")
    def lead(source: str) -> None:
        raise HTTPException(status_code=404, detail="Not Found")

    message, _ = failure_of(app, "/webhook")
    assert message == (
        "https://app.test/webhook: the app answered HTTP 404 to POST; its body: "
        '\'{"detail":"Not Found"}\'; hint: the app has no route for this path: check the URL '
        "against the app's routes; the app's routes that take POST: /leads/{source}, /voice"
        f"{ERRORS}"
    )
    message, _ = failure_of(app, "/leads/billboard")
    assert message.endswith(
        "hint: the app's route /leads/{source} matches this path, so its view answered 404 "
        "itself (abort(404), or a record it looked up with the request's parameters was not "
        f"found): check what the view looks up{ERRORS}"
    )


def test_a_404_of_an_app_whose_routes_cannot_be_read_keeps_the_plain_hint() -> None:
    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"nothing here"]

    message, _ = failure_of(app, "/webhook")
    assert message == (
        "https://app.test/webhook: the app answered HTTP 404 to POST; its body: 'nothing "
        "here'; hint: the app has no route for this path: check the URL against the app's "
        f"routes{ERRORS}"
    )


def test_routes_are_read_through_a_middleware_s_app_attribute() -> None:
    from werkzeug.middleware.proxy_fix import ProxyFix

    routes = routes_taking(ProxyFix(forwarding_app()), "POST", "/transcription")
    assert routes is not None
    assert (routes.paths, routes.matched) == (["/handle_call", "/transcription"], "/transcription")
    assert routes_taking(object(), "POST", "/voice") is None


def _starlette_app() -> Any:
    from starlette.applications import Starlette
    from starlette.responses import PlainTextResponse
    from starlette.routing import Mount, Route, Router, WebSocketRoute

    async def ok(request: Any) -> PlainTextResponse:
        return PlainTextResponse("<Response/>", media_type="text/xml")

    async def socket(websocket: Any) -> None:
        await websocket.close()

    ivr = Router([Route("/menu", ok, methods=["POST"]), Route("/status", ok, methods=["GET"])])
    return Starlette(
        routes=[
            Route("/voice", ok, methods=["POST"]),
            WebSocketRoute("/media", socket),
            Mount("/ivr", routes=ivr.routes),
        ]
    )


def test_a_starlette_app_s_mounted_routes_are_listed_below_their_prefix() -> None:
    routes = routes_taking(_starlette_app(), "POST", "/ivr/nowhere")
    assert routes is not None
    assert (routes.paths, routes.matched) == (["/ivr/menu", "/voice"], None)
    routes = routes_taking(_starlette_app(), "POST", "/ivr/menu")
    assert routes is not None
    assert (routes.paths, routes.matched) == (["/ivr/menu", "/voice"], "/ivr/menu")
    routes = routes_taking(_starlette_app(), "GET", "/ivr/status")
    assert routes is not None
    assert (routes.paths, routes.matched) == (["/ivr/status"], "/ivr/status")


def test_routes_that_cannot_all_be_read_are_not_listed() -> None:
    """A route of a kind whose paths are not known (a Host route, a mounted app of another
    framework) could hide the very route the URL meant: no list at all, rather than one
    that leaves it out."""
    from starlette.applications import Starlette
    from starlette.routing import Host, Mount, Route
    from werkzeug.middleware.dispatcher import DispatcherMiddleware

    async def ok(request: Any) -> None:
        return None

    async def other_framework(scope: Any, receive: Any, send: Any) -> None:
        return None

    other = Flask("legacy")
    hosted = Starlette(
        routes=[Route("/voice", ok, methods=["POST"]), Host("api.app.test", app=other_framework)]
    )
    mounted = Starlette(
        routes=[Route("/voice", ok, methods=["POST"]), Mount("/old", app=other_framework)]
    )
    dispatched = DispatcherMiddleware(forwarding_app(), {"/legacy": other})
    assert routes_taking(hosted, "POST", "/nowhere") is None
    assert routes_taking(mounted, "POST", "/nowhere") is None
    assert routes_taking(dispatched, "POST", "/nowhere") is None


def test_a_starlette_endpoint_class_s_route_takes_the_methods_it_handles() -> None:
    """Starlette leaves a route's methods unset when its endpoint is an HTTPEndpoint class
    (it answers the methods it has handlers for): such a route is listed for those
    methods, and named when its view answered the 404 itself, not left out of a list that
    then said the app had no route for the webhook."""
    from starlette.applications import Starlette
    from starlette.endpoints import HTTPEndpoint
    from starlette.exceptions import HTTPException as StarletteHTTPException
    from starlette.routing import Route

    class CallView(HTTPEndpoint):
        async def post(self, request: Any) -> None:
            raise StarletteHTTPException(404)

    class Health(HTTPEndpoint):
        async def get(self, request: Any) -> None:
            return None

    app = Starlette(routes=[Route("/calls/{sid}", CallView), Route("/health", Health)])
    message, _ = failure_of(app, "/calls/CA1")
    assert message == (
        "https://app.test/calls/CA1: the app answered HTTP 404 to POST; its body: 'Not "
        "Found'; hint: the app's route /calls/{sid} matches this path, so its view answered "
        "404 itself (abort(404), or a record it looked up with the request's parameters was "
        f"not found): check what the view looks up{ERRORS}"
    )
    routes = routes_taking(app, "POST", "/webhook")
    assert routes is not None
    assert (routes.paths, routes.matched) == (["/calls/{sid}"], None)
    routes = routes_taking(app, "GET", "/webhook")
    assert routes is not None
    assert (routes.paths, routes.matched) == (["/health"], None)


def test_a_blueprint_s_static_files_are_not_listed(tmp_path: Any) -> None:
    """Flask serves an app's static files (endpoint "static") and a blueprint's
    ("ivr.static") with GET routes no webhook of Twilio's is: neither is listed."""
    from flask import Blueprint

    ivr = Blueprint("ivr", __name__, static_folder=str(tmp_path), url_prefix="/ivr")
    ivr.get("/menu")(lambda: "<Response/>")
    app = Flask("ivr_app", static_folder=str(tmp_path))
    app.register_blueprint(ivr)
    routes = routes_taking(app, "GET", "/nowhere")
    assert routes is not None
    assert (routes.paths, routes.matched) == (["/ivr/menu"], None)


def test_the_routes_of_an_app_s_own_fastapi_subclass_are_read() -> None:
    """An app made from its own subclass of FastAPI (class VoiceApp(FastAPI)) is read as
    FastAPI's: its routes were not listed, its class's module being the app's."""

    class VoiceApp(FastAPI):
        pass

    app = VoiceApp()
    app.post("/voice")(lambda: FastAPIResponse("<Response/>", media_type="text/xml"))
    routes = routes_taking(app, "POST", "/webhook")
    assert routes is not None
    assert (routes.paths, routes.matched) == (["/voice"], None)


def test_the_routes_of_routers_fastapi_included_are_read() -> None:
    """FastAPI keeps a router it includes (include_router) as an _IncludedRouter route,
    whose paths were not read: an app of routers listed no route at all on a 404."""
    from fastapi import APIRouter

    ivr = APIRouter(prefix="/ivr")
    ivr.post("/menu")(lambda: FastAPIResponse("<Response/>", media_type="text/xml"))
    ivr.get("/status")(lambda: FastAPIResponse("<Response/>", media_type="text/xml"))
    nested = APIRouter()
    nested.post("/agent")(lambda: FastAPIResponse("<Response/>", media_type="text/xml"))
    ivr.include_router(nested, prefix="/queue")
    app = FastAPI()
    app.post("/voice")(lambda: FastAPIResponse("<Response/>", media_type="text/xml"))
    app.include_router(ivr, prefix="/v1")
    routes = routes_taking(app, "POST", "/v1/ivr/menus")
    assert routes is not None
    assert (routes.paths, routes.matched) == (
        ["/v1/ivr/menu", "/v1/ivr/queue/agent", "/voice"],
        None,
    )
    routes = routes_taking(app, "POST", "/v1/ivr/queue/agent")
    assert routes is not None
    assert routes.matched == "/v1/ivr/queue/agent"

"""Routing a part of an app (a blueprint, a router, a REST layer) names the app to route.

The frameworks' classes are stood in for by classes of the same module and name, so that
the suite needs none of them but Flask."""

from __future__ import annotations

import types

import flask
import pytest

from twimlsim import Simulator

HEAD = (
    "sim.route('https://app.test', ...): app must be a WSGI or ASGI application (a Flask, "
    "Django or FastAPI app object, a callable), got "
)


def stand_in(module: str, name: str) -> type:
    """A class as ``module`` names it, with the framework's name, objects shown plainly."""
    return type(name, (), {"__module__": module, "__repr__": lambda self: f"<{name}>"})


class SmorestBlueprint(flask.Blueprint):
    """Flask-smorest's Blueprint subclasses Flask's."""

    __module__ = "flask_smorest.blueprint"


def routed(app: object) -> str:
    with Simulator() as sim, pytest.raises(TypeError) as raised:
        sim.route("https://app.test", app)
    return str(raised.value)


def test_a_blueprint_subclass_is_told_as_flasks_blueprint() -> None:
    assert routed(SmorestBlueprint("voice", "voice")) == (
        f"{HEAD}<SmorestBlueprint 'voice'> (SmorestBlueprint); a Blueprint is part of an "
        "app, not one: route the app it is registered on (app.register_blueprint(bp), the "
        "app your factory makes), at the base URL the blueprint's url_prefix goes under"
    )


def test_a_flask_restx_api_names_the_flask_app_it_was_given() -> None:
    api = stand_in("flask_restx.api", "Api")()
    flask_app = flask.Flask("ivr")
    api.app = flask_app
    assert routed(api) == (
        f"{HEAD}<Api> (Api); flask_restx's Api adds its resources to a Flask app and is not "
        "one: route the Flask app given to Api(app) or api.init_app(app): this one's is "
        "<Flask 'ivr'>"
    )


def test_a_flask_smorest_api_names_the_flask_app_it_keeps_privately() -> None:
    api = stand_in("flask_smorest", "Api")()
    api._app = flask.Flask("ivr")
    assert routed(api) == (
        f"{HEAD}<Api> (Api); flask_smorest's Api adds its resources to a Flask app and is "
        "not one: route the Flask app given to Api(app) or api.init_app(app): this one's is "
        "<Flask 'ivr'>"
    )


@pytest.mark.parametrize(
    ("module", "name", "advice"),
    [
        (
            "sanic.blueprints",
            "Blueprint",
            "a Sanic Blueprint is part of an app, not one: route the Sanic app it is "
            "registered on (app.blueprint(bp)), at the base URL its url_prefix goes under",
        ),
        (
            "flask_restful",
            "Api",
            "flask_restful's Api adds its resources to a Flask app and is not one: route the "
            "Flask app given to Api(app) or api.init_app(app)",
        ),
        (
            "flask_restx.namespace",
            "Namespace",
            "a flask_restx Namespace is part of an Api, not an app: route the Flask app of "
            "the Api it is added to (api.add_namespace(ns)), at the base URL its path goes "
            "under",
        ),
        (
            "litestar.router",
            "Router",
            "a Litestar Router is part of an app, not one: route the Litestar app whose "
            "route_handlers include it (Litestar(route_handlers=[router]))",
        ),
        (
            "pyramid.config",
            "Configurator",
            "a Pyramid Configurator builds an app and is not one: route the WSGI app it "
            "makes, config.make_wsgi_app()",
        ),
    ],
)
def test_a_part_of_an_app_names_the_app_to_route(module: str, name: str, advice: str) -> None:
    assert routed(stand_in(module, name)()) == f"{HEAD}<{name}> ({name}); {advice}"


def test_a_falcon_resource_names_the_app_it_is_added_to() -> None:
    class Voice:
        def on_post(self, req: object, resp: object) -> None:
            """A Falcon responder."""

        def __repr__(self) -> str:
            return "<Voice>"

    assert routed(Voice()) == (
        f"{HEAD}<Voice> (Voice); an object with responders (on_post...) is a Falcon "
        "resource, part of an app: route the falcon.App (or falcon.asgi.App) it is added to "
        "(app.add_route('/voice', resource))"
    )


def test_a_module_routed_for_its_app_names_the_app_it_holds() -> None:
    module = types.ModuleType("app")  # `import app` where `from app import app` was meant
    module.app = flask.Flask("app")  # type: ignore[attr-defined]
    module.helper = lambda: None  # type: ignore[attr-defined]
    assert routed(module) == (
        f"{HEAD}<module 'app'> (module); pass the app itself, not its module: the module "
        "holds app.app (<Flask 'app'>)"
    )


def test_bottles_module_names_its_default_app() -> None:
    assert routed(types.ModuleType("bottle")) == (
        f"{HEAD}<module 'bottle'> (module); pass the app itself, not its module: "
        "bottle.default_app(), the app the module-level @route decorators add to (or the "
        "Bottle() the app made)"
    )


def test_a_module_with_no_app_under_the_usual_names_is_told_to_pass_the_app() -> None:
    module = types.ModuleType("views")
    module.app = flask.Flask  # type: ignore[attr-defined]  # a class: not an app
    assert routed(module) == (
        f"{HEAD}<module 'views'> (module); pass the app itself, not its name or module"
    )

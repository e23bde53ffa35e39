"""What to route instead of a part of an app: a blueprint, a router, a REST layer.

``sim.route`` takes a WSGI or ASGI app. A framework's parts of an app (a Flask, Quart or
Sanic blueprint, Flask-RESTX's or Flask-smorest's ``Api``, a Litestar ``Router``, a Falcon
resource) and Pyramid's ``Configurator`` are not callable as apps are: the advice names
the app they belong to, found by the classes of the object (a subclass, such as
Flask-smorest's ``Blueprint`` of Flask's, is told as its base is).
"""

from __future__ import annotations

import types

__all__ = ["module_advice", "part_of_app_advice"]

#: The names a module commonly keeps its app under (Flask's, uvicorn's and gunicorn's).
_APP_NAMES = ("app", "application", "api", "asgi_app", "wsgi_app")

#: A Falcon resource answers through its responders (``on_post``...), as the app calls them.
_RESPONDERS = ("on_get", "on_post", "on_put", "on_delete", "on_patch", "on_head")


#: The Flask extensions whose ``Api`` adds REST resources to a Flask app.
_REST_LAYERS = ("flask_restx", "flask_restful", "flask_smorest")


def part_of_app_advice(app: object) -> str | None:
    """What to route instead of ``app`` when it is part of an app, or None."""
    kinds = {(kind.__module__.split(".", 1)[0], kind.__name__) for kind in type(app).__mro__}
    if ("flask", "Blueprint") in kinds or ("quart", "Blueprint") in kinds:
        return (
            "a Blueprint is part of an app, not one: route the app it is registered on "
            "(app.register_blueprint(bp), the app your factory makes), at the base URL "
            "the blueprint's url_prefix goes under"
        )
    if ("sanic", "Blueprint") in kinds:
        return (
            "a Sanic Blueprint is part of an app, not one: route the Sanic app it is "
            "registered on (app.blueprint(bp)), at the base URL its url_prefix goes under"
        )
    for module in _REST_LAYERS:
        if (module, "Api") in kinds:
            given = getattr(app, "app", None) or getattr(app, "_app", None)
            where = f": this one's is {given!r}" if callable(given) else ""
            return (
                f"{module}'s Api adds its resources to a Flask app and is not one: route the "
                f"Flask app given to Api(app) or api.init_app(app){where}"
            )
    if ("flask_restx", "Namespace") in kinds:
        return (
            "a flask_restx Namespace is part of an Api, not an app: route the Flask app of "
            "the Api it is added to (api.add_namespace(ns)), at the base URL its path goes under"
        )
    if ("litestar", "Router") in kinds:
        return (
            "a Litestar Router is part of an app, not one: route the Litestar app whose "
            "route_handlers include it (Litestar(route_handlers=[router]))"
        )
    if ("pyramid", "Configurator") in kinds:
        return (
            "a Pyramid Configurator builds an app and is not one: route the WSGI app it "
            "makes, config.make_wsgi_app()"
        )
    if any(callable(getattr(app, responder, None)) for responder in _RESPONDERS):
        return (
            "an object with responders (on_post...) is a Falcon resource, part of an app: "
            "route the falcon.App (or falcon.asgi.App) it is added to "
            "(app.add_route('/voice', resource))"
        )
    return None


def module_advice(module: types.ModuleType | str) -> str:
    """What to route instead of a module (``import app`` where ``from app import app`` was
    meant): the app objects it holds under the usual names, or Bottle's default app; or
    instead of an app's name."""
    if isinstance(module, str):
        return "pass the app itself, not its name or module"
    name = module.__name__
    if name == "bottle":
        return (
            "pass the app itself, not its module: bottle.default_app(), the app the "
            "module-level @route decorators add to (or the Bottle() the app made)"
        )
    found = [
        f"{name}.{attribute} ({value!r})"
        for attribute in _APP_NAMES
        if callable(value := getattr(module, attribute, None))
        and not isinstance(value, (type, types.FunctionType, types.ModuleType))
    ]
    if not found:
        return "pass the app itself, not its name or module"
    return f"pass the app itself, not its module: the module holds {' and '.join(found)}"

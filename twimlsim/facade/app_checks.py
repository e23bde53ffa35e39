"""The app given to ``sim.route``: what cannot be a WSGI or ASGI app refused before any
webhook is sent, each with the way to route the app it stands for (an app class, an
APIRouter, an Azure Functions app, a WSGI callable of the wrong shape, an ASGI function
under green threads)."""

from __future__ import annotations

import contextlib
import functools
import inspect
import sys
import types
import weakref
from typing import Any

from twimlsim.arguments import describe
from twimlsim.errors import ConfigurationError

__all__ = [
    "check_app",
    "check_asgi_function",
    "check_real_threads",
    "check_wsgi_call",
    "subject",
]


def check_app(where: str, app: object) -> None:
    """A ``TypeError`` for what cannot be a WSGI or ASGI app, with the way to route the
    app it stands for: an Azure Functions app, what is not callable, a class whose objects
    are the apps, a FastAPI ``APIRouter``."""
    if type(app).__module__.startswith(_AZURE_FUNCTIONS):
        # a FunctionApp is not callable, and a function it decorated takes any
        # arguments: both were refused as no app or taken as WSGI to fail every webhook
        raise TypeError(
            f"{where}: {describe(app)} is an Azure Functions app, served by the Functions "
            "host: it is neither a WSGI app (called with environ and start_response) nor "
            f"an ASGI app; {_azure_wrapped_advice(app) or _AZURE_SERVED}"
        )
    if not callable(app):
        raise TypeError(
            f"{where}: app must be a WSGI or ASGI application (a Flask, Django or FastAPI "
            f"app object, a callable), got {_given(app)}; {_not_callable_advice(app)}"
        )
    _check_not_an_app_class(where, app)


def _check_not_an_app_class(where: str, app: object) -> None:
    """A ``TypeError`` for a class whose objects are the apps (``Flask`` rather than
    ``Flask(__name__)``): its constructor would take each webhook's arguments. A class
    that is itself a WSGI application (PEP 3333: its objects are the answers) is taken."""
    if isinstance(app, type) and any("__call__" in vars(cls) for cls in app.__mro__[:-1]):
        raise TypeError(
            f"{where}: app is the class {app.__qualname__}, whose objects are the "
            f"applications; pass the app object made from it (app = {app.__qualname__}(...), "
            "as the app's module makes it)"
        )
    if any(
        cls.__name__ == "APIRouter" and cls.__module__.startswith("fastapi.")
        for cls in type(app).__mro__
    ):
        name = type(app).__name__
        kind = "a FastAPI APIRouter" + ("" if name == "APIRouter" else f" ({name})")
        raise TypeError(
            f"{where}: app is {kind}, part of an app, not one: route the FastAPI app it is "
            "included in (app.include_router(router)), whose middleware, exception handlers "
            "and dependency_overrides its routes run under (routed alone, its webhooks fail: "
            "recent FastAPI raises 'fastapi_middleware_astack not found in request scope')"
        )


def _green_threads() -> str | None:
    """The library whose green threads stand in for ``threading`` in this process (its
    monkey-patching), or None."""
    gevent = sys.modules.get("gevent.monkey")
    if gevent is not None and gevent.is_module_patched("threading"):
        return "gevent (gevent.monkey.patch_all())"
    eventlet = sys.modules.get("eventlet.patcher")
    if eventlet is not None and eventlet.is_monkey_patched("thread"):
        return "eventlet (eventlet.monkey_patch())"
    return None


def check_real_threads(where: str, app: object) -> None:
    """A ``ConfigurationError`` for an ASGI app in a process whose threads are green (gevent
    or eventlet patched ``threading``): the first webhook waited for ever on a2wsgi's event
    for the loop's thread, a green one then (a WSGI app, served on the test's own thread,
    is not affected)."""
    green = _green_threads()
    if green is not None:
        raise ConfigurationError(
            f"{where}: {describe(app)} is an ASGI app, served on an asyncio event loop in a "
            f"thread of its own, and this process's threading is monkey-patched by {green}: "
            "its webhooks would wait for ever on the loop's green thread. Leave the patching "
            "out of the test process (gunicorn's gevent and eventlet workers patch where the "
            "app is served), or run the app under its server and drive it over HTTP with "
            "`twimlsim serve` or `twimlsim call URL`; a WSGI app is served on the test's own "
            "thread and works patched"
        )


#: Frameworks whose application objects speak neither WSGI nor ASGI (module prefix: name).
_HTTP_ONLY = {"tornado": "Tornado", "sanic": "Sanic"}


#: What was found callable as WSGI, by what decides its signature (a function, or the type
#: of an app object): reading a signature costs more than the rest of a test's routing, and
#: a suite routes the same app in every test.
_CALLABLE_AS_WSGI: weakref.WeakKeyDictionary[Any, bool] = weakref.WeakKeyDictionary()


def _signature_owner(app: object) -> Any:
    if inspect.isfunction(app):
        return app
    if inspect.ismethod(app):
        return app.__func__
    return type(app)


def check_wsgi_call(where: str, app: object) -> None:
    """A ``TypeError`` at route time for a callable that cannot be called as WSGI
    (``environ, start_response``), such as a Tornado ``Application``; before,
    each webhook failed as if the app had raised (11200). A callable whose signature
    cannot be read is taken as given."""
    owner = _signature_owner(app)
    try:
        if _CALLABLE_AS_WSGI.get(owner):
            return
    except TypeError:  # an owner that cannot be weakly referenced: checked every time
        owner = None
    try:
        signature = inspect.signature(app)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return  # no signature to read (a builtin, a C extension's callable)
    if list(signature.parameters)[:2] == ["event", "context"]:
        # an AWS Lambda handler (a function, Mangum's, a Chalice app) binds two arguments
        # as WSGI does, and every webhook then failed as an app that never called
        # start_response
        raise TypeError(
            f"{where}: {subject(app)} takes ({', '.join(signature.parameters)}), as an AWS "
            "Lambda handler does: it is neither a WSGI app (called with environ and "
            "start_response) nor an ASGI app; route the app it serves when it wraps one "
            "(the Flask or Django app serverless-wsgi hands the event to, the ASGI app given "
            "to Mangum), or a few lines of WSGI that build API Gateway's proxy event from "
            "the request and answer its statusCode, headers and body (README: Running a "
            "Twilio sample app), or run it locally (sam local start-api, chalice local) and "
            "drive it over HTTP with `twimlsim call http://127.0.0.1:PORT/voice` or "
            "`twimlsim serve`"
        )
    view_class = getattr(app, "view_class", None)
    if view_class is not None and "request" in list(signature.parameters)[:2]:
        # Django's as_view() (a class-based view, Django REST framework's too) takes
        # (request, *args, **kwargs), or reads as dispatch's (self, request, ...) when a
        # method_decorator copied dispatch's __wrapped__ onto it: either binds WSGI's two
        # arguments, and every webhook failed inside the view ('dict' has no 'user')
        raise TypeError(
            f"{where}: app is {view_class.__qualname__}.as_view(), a Django view, which "
            "Django calls with a request, not a WSGI app: route the project, "
            "get_wsgi_application(), whose URLconf maps the webhook's path to the view"
        )
    try:
        signature.bind(None, None)
    except TypeError:
        pass
    else:
        if owner is not None:
            with contextlib.suppress(TypeError):
                _CALLABLE_AS_WSGI[owner] = True
        return
    framework = _HTTP_ONLY.get(type(app).__module__.split(".", 1)[0])
    served = (
        f"{framework} apps are served over HTTP: run it on a port and drive it with "
        "`twimlsim call http://127.0.0.1:PORT/voice`, or point its Twilio client at "
        "`twimlsim serve` (README: Command line)"
        if framework
        else _cloud_function_advice(app)
        or _azure_function_advice(app)
        or "pass the WSGI or ASGI application object itself (Flask's app, Django's "
        "get_wsgi_application(), FastAPI's app)"
    )
    raise TypeError(
        f"{where}: {subject(app)} is neither a WSGI app (called with environ and "
        "start_response) nor an ASGI app (an async callable of scope, receive and send): it "
        f"takes ({', '.join(signature.parameters)}); {served}"
    )


def check_asgi_function(where: str, app: Any) -> None:
    """A ``TypeError`` at route time for an ``async def`` that cannot be called with
    ``(scope, receive, send)``: an async factory of the app, not the app (each webhook
    failed with the TypeError of its call). One whose signature cannot be read is taken."""
    try:
        signature = inspect.signature(app)
    except (TypeError, ValueError):
        return
    try:
        signature.bind(None, None, None)
    except TypeError:
        parameters = ", ".join(signature.parameters)
        # a functools.partial of the factory has no __name__ of its own
        factory = getattr(app, "func", app)
        name = getattr(factory, "__name__", "make_app")
        raise TypeError(
            f"{where}: {subject(app)} is an async def taking ({parameters}), and an ASGI app "
            "is called with (scope, receive, send): an async factory of the app is awaited "
            f"for the app it makes (app = await {name}(...), or asyncio.run({name}(...)) "
            "outside a running event loop), then the app is routed"
        ) from None


def _given(app: object) -> str:
    """How a refusal names the object given as the app (a coroutine by its function's name,
    not its address)."""
    if inspect.iscoroutine(app):
        return f"the coroutine of {app.__qualname__}()"
    return describe(app)


def _not_callable_advice(app: object) -> str:
    """What to route instead of ``app``, which is not callable as every WSGI and ASGI app is."""
    if isinstance(app, (str, types.ModuleType)):
        from twimlsim.facade.app_parts import module_advice

        return module_advice(app)
    if app is None:
        return (
            "the name given holds no app (one made only outside tests, under if "
            "__name__ == '__main__' or a setting?); pass the app object, or call the factory "
            "that makes it (create_app())"
        )
    if inspect.iscoroutine(app):
        return (
            "a coroutine is what an async def function returns before it is awaited: await "
            "the factory that makes the app (app = await make_app()) and route the app"
        )
    from twimlsim.facade.app_parts import part_of_app_advice

    part = part_of_app_advice(app)
    if part is not None:
        return part
    kind = type(app)
    if "Client" in kind.__name__:
        advice = (
            "a test client is no app: route the app it sends its requests to (the one given "
            "to TestClient(app), the Flask or Quart app of app.test_client(), Django's "
            "get_wsgi_application() for its Client), and keep the client for the test's own "
            "requests"
        )
        # Flask's (werkzeug's) client keeps it as .application, Starlette's and Quart's as .app
        for attribute in ("application", "app"):
            wrapped = getattr(app, attribute, None)
            if callable(wrapped):
                return f"{advice}: this one's is client.{attribute}, {wrapped!r}"
        return advice
    return (
        "it is not callable, as WSGI and ASGI apps are: pass the app object itself (Flask's "
        "app, Django's get_wsgi_application(), FastAPI's app); the app object of a framework "
        "that speaks neither (Robyn's, served by its own server) is run on a port and driven "
        "over HTTP, with `twimlsim call http://127.0.0.1:PORT/voice` or its Twilio client "
        "pointed at `twimlsim serve` (README: Command line)"
    )


def _cloud_function_advice(app: object) -> str:
    """How to route a Google Cloud Functions function (``@functions_framework.http``, a
    function of the request): the Flask app functions-framework serves it with, or ""."""
    if "functions_framework" not in sys.modules or not inspect.isfunction(app):
        return ""
    try:  # the decorator wraps the function (functools.wraps): name the one written
        source = inspect.getsourcefile(inspect.unwrap(app))
    except (TypeError, ValueError):
        return ""
    return (
        "a Cloud Functions function is served by the Flask app functions-framework makes "
        "for it: route functions_framework.create_app(target="
        f"{app.__name__!r}, source={source!r}) at the function's host alone "
        "(https://REGION-PROJECT.cloudfunctions.net), where every path reaches the "
        "function as on Google Cloud (under the function's own URL its root path is empty, "
        "which Flask answers with a redirect, 11216)"
    )


#: The package of Azure Functions' Python programming model (``azure.functions``).
_AZURE_FUNCTIONS = "azure.functions"

#: How an Azure Functions app or function is driven.
_AZURE_SERVED = (
    "run it with `func start` and drive it over HTTP with `twimlsim call "
    "http://localhost:7071/api/voice` or `twimlsim serve`, or route a few lines of WSGI "
    "that build an azure.functions.HttpRequest (method, url, headers, params, body) from "
    "the request, call the function with it and answer its HttpResponse (status_code, its "
    "mimetype as the Content-Type, headers, get_body()) (README: Running a Twilio sample app)"
)


#: Azure Functions' wrappers of a WSGI or ASGI app, and what each wraps.
_AZURE_WRAPPERS = {
    "AsgiFunctionApp": "ASGI",
    "AsgiMiddleware": "ASGI",
    "WsgiFunctionApp": "WSGI",
    "WsgiMiddleware": "WSGI",
}


def _azure_wrapped_advice(app: object) -> str:
    """For Azure Functions' wrapper of a WSGI or ASGI app (``func.AsgiFunctionApp(app=...)``,
    ``func.WsgiMiddleware(app)``), to route the app it wraps, which is one; or ""."""
    name = type(app).__name__
    kind = _AZURE_WRAPPERS.get(name)
    if kind is None:
        return ""
    return (
        f"it wraps the {kind} app given to {name}(...) for the Functions host: route that "
        f"app itself (sim.route(base_url, app), with the app you pass to {name}), which "
        "takes Twilio's webhooks as the Functions host hands them on"
    )


def _azure_function_advice(app: object) -> str:
    """How to drive an Azure Functions function of the request (``main(req:
    func.HttpRequest)``, the v1 programming model), or ""."""
    if _AZURE_FUNCTIONS not in sys.modules or not inspect.isfunction(app):
        return ""
    for kind in getattr(app, "__annotations__", {}).values():
        # text under `from __future__ import annotations`
        named = "HttpRequest" in kind if isinstance(kind, str) else kind is _azure_request()
        if named:
            return f"an Azure Functions function is served by the Functions host: {_AZURE_SERVED}"
    return ""


def _azure_request() -> object:
    return getattr(sys.modules[_AZURE_FUNCTIONS], "HttpRequest", None)


def subject(app: object) -> str:
    """How a refusal names the callable given as the app."""
    if inspect.isfunction(app) or inspect.ismethod(app):
        return f"the function {app.__qualname__}"
    if isinstance(app, functools.partial):
        return f"a functools.partial of {subject(app.func)}"
    return describe(app)

"""The app and the far end, as a test sets them up: where webhooks go (``route``), the
scripted far ends (``phone``), media lengths, and calls that come in (``incoming_call``,
``sdk_call``).

``FarEndSetup`` is a part of ``Simulator`` (``twimlsim.simulator``); its methods are the
simulator's (``sim.route(...)``, ``sim.phone(...)``...).
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import sys
import types
import weakref
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from twimlsim.arguments import (
    check_base_url,
    check_seconds,
    check_text,
    check_text_mapping,
    check_unicode_items,
    describe,
    literal,
    shown,
)
from twimlsim.engine import sdk_calls
from twimlsim.engine.inbound import number_owner, refuse_unverified_caller, sip_domain_call
from twimlsim.engine.urls import wire_url
from twimlsim.errors import ConfigurationError
from twimlsim.model.access_token import read_voice_token
from twimlsim.rest.addresses import check_far_end
from twimlsim.rest.params import valid_url

if TYPE_CHECKING:
    from twimlsim.engine.caller import Phone
    from twimlsim.engine.engine import Engine
    from twimlsim.engine.session import SimCall
    from twimlsim.model.store import Account, AccountStore
    from twimlsim.transports.asgi import ASGIApp
    from twimlsim.transports.wsgi import WSGITransport

__all__ = ["FarEndSetup"]


class FarEndSetup:
    """The app's and the far ends' side of ``Simulator``."""

    # the simulator's world (``Simulator._build``) and its routes (``Simulator.__init__``)
    _account: Account
    _webhooks: WSGITransport
    _asgi_apps: list[ASGIApp]
    store: AccountStore
    engine: Engine

    def _refuse_when_stopped(self, where: str) -> None: ...  # Simulator's

    def _open_app_sockets(self) -> None: ...  # Simulator's

    def _follow_test_freeze(self) -> None: ...  # Simulator's

    def route(self, base_url: str, app: Any, *, behind_proxy: bool = False) -> None:
        """Deliver webhooks for URLs under ``base_url`` to ``app``, in process.

        ``app`` is a WSGI app (Flask, Django's ``get_wsgi_application()``, ...) or an ASGI
        app (FastAPI, Starlette, ...; needs a2wsgi, the wheel's ``asgi`` extra). An ASGI app's
        lifespan startup runs here, its shutdown when the simulator stops. Credentials in
        ``base_url`` are ignored: URLs with and without them reach the same app. A path
        in ``base_url`` is where the app is mounted: it gets the path as ``SCRIPT_NAME`` and
        the rest as ``PATH_INFO``, as under werkzeug's ``DispatcherMiddleware``. A ``ws://``
        or ``wss://`` base routes an ASGI app's WebSocket routes alone (the sockets Twilio
        opens), beside the app its ``https://`` base serves webhooks by. Routing a base URL
        again replaces the app it served (a test overriding the ``twimlsim_app`` fixture's
        app); routes under other bases stay. A base on a host twimlsim answers itself
        (``api.twilio.com``, ``lookups.twilio.com`` and their edge forms, ``demo.twilio.com``,
        ``twimlets.com``) is refused: no request would reach the app routed there.

        ``behind_proxy=True`` serves the app as deployed behind a TLS-terminating reverse
        proxy (Heroku's router, a load balancer, ngrok): it gets each webhook over plain
        HTTP on port 80 with Twilio's ``Host`` and ``X-Forwarded-Proto: https``, so an app
        that rebuilds the signed URL from that header (``ProxyFix``,
        ``SECURE_PROXY_SSL_HEADER``) is tested as it runs there.
        """
        from twimlsim.transports.asgi import ASGIApp, is_asgi

        where = f"sim.route({literal(base_url)}, ...)"
        base_url = check_base_url(where, base_url, sockets=True)
        if not isinstance(behind_proxy, bool):
            raise TypeError(
                f"{where}: behind_proxy must be True or False, got {describe(behind_proxy)}"
            )
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
        # webhooks go out as ``wire_url`` writes them (no credentials, the scheme and host
        # lower-cased, IDNA): the base is matched in the same form, so that
        # "https://MyApp.test" routes the app's "https://myapp.test/voice"
        base_url = wire_url(base_url).url
        _check_not_an_app_class(where, app)
        if base_url.startswith(("ws://", "wss://")) and not is_asgi(app):
            raise TypeError(
                f"{where}: a ws:// or wss:// base URL routes an ASGI app's WebSocket routes "
                f"(a Media Streams or ConversationRelay server), and {_subject(app)} is no "
                "ASGI app; route a WSGI app at the https:// base URL of its webhooks"
            )
        if type(app).__module__ == "aiohttp.web_app":  # an aiohttp.web Application
            from twimlsim.transports.aiohttp_web import as_asgi

            app = as_asgi(app, where, [known.app for known in self._asgi_apps])
        if not is_asgi(app):
            _check_wsgi_call(where, app)
            self._webhooks.mount(base_url, app, behind_proxy=behind_proxy)
            if hasattr(app, "url_map"):  # a Flask app: a Flask-Sock route does not run
                from twimlsim.transports.wsgi_socket_routes import warn_of_websocket_routes

                warn_of_websocket_routes(base_url, app)
            return
        if inspect.iscoroutinefunction(app):
            _check_asgi_function(where, app)
        _check_real_threads(where, app)
        # the same app object routed again (at its wss:// base beside its https:// one) is
        # the one process uvicorn runs: one loop, one lifespan, whose state both share
        served = next((known for known in self._asgi_apps if known.app is app), None)
        if served is None:
            served = ASGIApp(app)
            try:
                served.startup()  # the app's lifespan, once, as its own test client runs it
            except BaseException:
                served.shutdown()
                raise
            self._asgi_apps.append(served)
        self._webhooks.mount(base_url, served, behind_proxy=behind_proxy)
        self._open_app_sockets()

    def phone(self, number: str) -> Phone:
        """The scripted far end at ``number``: chain ``answers()``, ``busy()``..."""
        where = f"sim.phone({literal(number)})"
        phone = self.engine.phone(check_far_end(where, number, withheld=True))
        if not phone.steps:
            phone.scripted_late = self.engine.only_ended_calls_with(phone.number)
        return phone

    def media(self, url: str, *, seconds: float) -> None:
        """Say how long the media at ``url`` plays (``<Play>``); unknown URLs play for
        ``twimlsim.engine.flow.DEFAULT_MEDIA_SECONDS``. Media URLs are never fetched."""
        where = f"sim.media({literal(url)}, seconds=...)"
        check_text(where, "url", url, "'https://app.test/hold.mp3'")
        if not url.strip():
            raise ConfigurationError(
                f"{where}: url is empty; give the media URL a <Play> plays, such as "
                "'https://app.test/hold.mp3'"
            )
        if not valid_url(url):  # it would never match: a <Play> URL is looked up resolved
            raise ConfigurationError(
                f"{where}: url {url!r} is not an absolute http(s) URL; give the URL the "
                "<Play> plays, resolved against its document's URL as Twilio resolves it, "
                "such as 'https://app.test/hold.mp3' for <Play>/hold.mp3</Play>"
            )
        length = check_seconds(where, "seconds", seconds, positive=True, error=ConfigurationError)
        self.engine.media[url] = length

    def incoming_call(
        self, *, from_: str, to: str, params: Mapping[str, str] | None = None
    ) -> SimCall:
        """A caller at ``from_`` dials the account's number ``to`` (configured with
        ``number(to, voice_url=...)``); the call rings at once. ``sim.phone(from_)``
        scripts the caller. A number of another account of the simulation (a subaccount,
        one an app's own credentials opened under ``pytest --twimlsim``) rings in that
        account, as Twilio routes a call to its number's owner. A trial account receives
        calls only from its verified caller IDs, as on Twilio.

        ``params`` are what Twilio adds to the call's first voice request beyond the
        standard parameters, for the number's configuration: its Add-ons' results
        (``AddOns``, a JSON text), ``StirVerstat``, ``CallerName``... They are sent as
        given; a standard parameter's name (``From``, ``CallSid``, ...) is refused.

        A ``to`` that is a SIP URI at a SIP Domain of ``sim.sip_domain``
        (``sip:+15551234567@office.sip.twilio.com``) is a call a PBX or softphone at
        ``from_`` (``sip:alice@office.sip.twilio.com``) sends to that domain: its voice URL
        answers it, with Twilio's ``SipDomain``, ``SipDomainSid``, ``SipCallId`` and
        ``SipSourceIp``, and ``params`` such as ``SipHeader_X-Customer`` or ``SipUsername``
        (``twimlsim.engine.inbound.sip_domain_call``)."""
        where = f"sim.incoming_call(from_={literal(from_)}, to={literal(to)})"
        from_ = check_far_end(where, from_, withheld=True, error=ConfigurationError)
        if isinstance(to, str) and to[:4].lower() == "sip:":
            to = check_far_end(where, to, error=ConfigurationError)
            _check_extra_params(where, params, _SIP_DOMAIN_PARAMS)
            self._refuse_when_stopped(where)
            self._follow_test_freeze()
            with self.engine.lock:
                return sip_domain_call(self.engine, from_, to, params)
        to = check_far_end(where, to, endpoints=False, error=ConfigurationError)
        _check_extra_params(where, params)
        self._refuse_when_stopped(where)
        self._follow_test_freeze()
        with self.engine.lock:  # the accounts' numbers as the app's REST requests leave them
            owner = number_owner(self.store, self._account, to)
            refuse_unverified_caller(owner, self._account, from_)
            return self.engine.incoming_call(owner, from_, to, params)

    def sdk_call(
        self,
        identity: str | None = None,
        *,
        application_sid: str | None = None,
        params: Mapping[str, str] | None = None,
        token: str | None = None,
    ) -> SimCall:
        """A Voice SDK device signed in as ``identity`` connects to the TwiML App
        ``application_sid`` (``device.connect({"params": params})``): the application's
        voice URL is requested from ``client:<identity>`` with ``params`` (``To`` among
        them, if given). ``sim.phone("client:<identity>")`` scripts the device's user.

        With ``token`` (the Access Token the app's token endpoint gave the device) the
        identity, application and grant params come from the token, checked as Twilio
        checks it (signed by an API key of ``sim.api_key()``, a voice grant with an
        outgoing application); a token Twilio would refuse is a ``ConfigurationError``
        with Twilio's code."""
        where = "sim.sdk_call(...)"
        if identity is not None:
            check_text(where, "identity", identity, "'alice'")
        if application_sid is not None:
            check_text(where, "application_sid", application_sid, "the .sid of sim.application()")
        if params is not None:
            check_text_mapping(where, "params", params, "parameter names", "{'To': '+15558675310'}")
            check_unicode_items(where, "params", params.items(), error=ConfigurationError)
        account = self._account
        if token is not None:
            check_text("sim.sdk_call(token=...)", "token", token, "the JWT string of the app")
            grant = read_voice_token(token, self.store.api_keys)
            identity, application_sid = grant.connect_as(identity, application_sid)
            params = {**grant.params, **(params or {})}
            account = self.store.accounts[grant.account_sid]  # a subaccount's key signs its own
        if identity is None or application_sid is None:
            raise ConfigurationError(
                "sim.sdk_call() needs the device's identity and application_sid, or the "
                "token=... the app gave the device"
            )
        application = account.applications.get(application_sid)
        if application is None or application.voice_url is None:
            raise ConfigurationError(
                f"sim.sdk_call({identity!r}): {application_sid!r} is not an application of "
                "the account with a voice URL; create it with sim.application(voice_url=...)"
            )
        self._refuse_when_stopped(where)  # after the arguments, as incoming_call() checks
        self._follow_test_freeze()
        with self.engine.lock:
            return sdk_calls.sdk_call(self.engine, account, identity, application, params or {})


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


def _check_real_threads(where: str, app: object) -> None:
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


def _check_wsgi_call(where: str, app: object) -> None:
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
            f"{where}: {_subject(app)} takes ({', '.join(signature.parameters)}), as an AWS "
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
        f"{where}: {_subject(app)} is neither a WSGI app (called with environ and "
        "start_response) nor an ASGI app (an async callable of scope, receive and send): it "
        f"takes ({', '.join(signature.parameters)}); {served}"
    )


def _check_asgi_function(where: str, app: Any) -> None:
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
            f"{where}: {_subject(app)} is an async def taking ({parameters}), and an ASGI app "
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


def _subject(app: object) -> str:
    """How a refusal names the callable given as the app."""
    if inspect.isfunction(app) or inspect.ismethod(app):
        return f"the function {app.__qualname__}"
    if isinstance(app, functools.partial):
        return f"a functools.partial of {_subject(app.func)}"
    return describe(app)


#: Parameters every request about a call carries: ``incoming_call(params=)`` cannot set them.
_STANDARD_PARAMS = frozenset(
    {"AccountSid", "ApiVersion", "CallSid", "CallStatus", "Direction", "ApplicationSid"}
    | {
        f"{side}{part}"
        for side in ("From", "To", "Called", "Caller")
        for part in ("", "City", "State", "Zip", "Country")
    }
)


#: What a call to a SIP Domain carries from the domain itself: ``params`` cannot set it.
_SIP_DOMAIN_PARAMS = frozenset({"SipDomain", "SipDomainSid"})


def _check_extra_params(where: str, params: object, reserved: frozenset[str] = frozenset()) -> None:
    """``params`` of ``incoming_call``: names to text, none of them a standard parameter
    (nor one of ``reserved``, what the call's destination sets)."""
    if params is None:
        return
    params = check_text_mapping(
        where, "params", params, "parameter names", "{'StirVerstat': 'TN-Validation-Passed-A'}"
    )
    check_unicode_items(where, "params", params.items(), error=ConfigurationError)
    if "" in params:
        raise ConfigurationError(
            f"{where}: params has a parameter with an empty name (value {shown(params[''])}); "
            "every parameter Twilio sends has a name: give it one, such as 'CallerName'"
        )
    standard = sorted(name for name in params if name in _STANDARD_PARAMS)
    if standard:
        raise ConfigurationError(
            f"{where}: params {', '.join(standard)} "
            f"{'is a parameter' if len(standard) == 1 else 'are parameters'} Twilio sets on "
            "every request of the call; give only the extra ones (AddOns, StirVerstat, ...)"
        )
    taken = sorted(name for name in params if name in reserved)
    if taken:
        raise ConfigurationError(
            f"{where}: params {', '.join(taken)} {'comes' if len(taken) == 1 else 'come'} "
            "from the SIP Domain the call is sent to "
            "(sim.sip_domain); give only what the INVITE brings (SipHeader_X-..., SipUsername)"
        )

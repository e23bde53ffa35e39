"""The same voice app in Flask, Django (WSGI) and FastAPI (ASGI) gets the same webhooks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import Response as FastAPIResponse
from twilio.request_validator import RequestValidator

from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim import SimulationError, Simulator

MENU = '<Response><Gather numDigits="1" action="/menu"><Say>Press 1</Say></Gather></Response>'


def reply(digits: str, cookie: str | None) -> str:
    return f"<Response><Say>You pressed {digits}, session {cookie}</Say></Response>"


def flask_app() -> Any:
    from flask import Flask, Response, request

    app = Flask("voice")

    @app.post("/voice")
    def voice() -> Response:
        response = Response(MENU, mimetype="text/xml")
        response.set_cookie("session", "s1")
        return response

    @app.post("/menu")
    def menu() -> Response:
        body = reply(request.form["Digits"], request.cookies.get("session"))
        return Response(body, mimetype="text/xml")

    return app


def django_app() -> Any:
    from django.conf import settings

    if not settings.configured:
        settings.configure(
            DEBUG=False,
            ALLOWED_HOSTS=["app.test"],
            ROOT_URLCONF=__name__,
            SECRET_KEY="test",
            MIDDLEWARE=[],
            INSTALLED_APPS=[],
        )
    import django
    from django.core.wsgi import get_wsgi_application

    django.setup()
    return get_wsgi_application()


def _django_views() -> list[Any]:
    from django.http import HttpRequest, HttpResponse
    from django.urls import path

    def voice(request: HttpRequest) -> HttpResponse:
        response = HttpResponse(MENU, content_type="text/xml")
        response.set_cookie("session", "s1")
        return response

    def menu(request: HttpRequest) -> HttpResponse:
        body = reply(request.POST["Digits"], request.COOKIES.get("session"))
        return HttpResponse(body, content_type="text/xml")

    return [path("voice", voice), path("menu", menu)]


def __getattr__(name: str) -> Any:
    if name == "urlpatterns":  # Django's ROOT_URLCONF, built on first use
        return _django_views()
    raise AttributeError(name)


def fastapi_app() -> Any:
    # FastAPI reads the annotations at run time: Request must be a module-level name.
    app = FastAPI()

    @app.post("/voice")
    async def voice() -> FastAPIResponse:
        response = FastAPIResponse(MENU, media_type="text/xml")
        response.set_cookie("session", "s1")
        return response

    @app.post("/menu")
    async def menu(request: Request) -> FastAPIResponse:
        form = await request.form()
        body = reply(str(form["Digits"]), request.cookies.get("session"))
        return FastAPIResponse(body, media_type="text/xml")

    return app


@pytest.mark.parametrize("make_app", [flask_app, django_app, fastapi_app])
def test_every_framework_gets_the_same_signed_webhooks(make_app: Callable[[], Any]) -> None:
    with Simulator() as sim:
        sim.route(APP_URL, make_app())
        sim.number(CALLER_ID)
        sim.phone(CALLEE).presses("7")
        sid = sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice").sid
        sim.run()
    call = sim.calls[sid]
    assert call.said == ["Press 1", "You pressed 7, session s1"]
    assert [(r.kind, r.url, r.response.status if r.response else None) for r in call.requests] == [
        ("voice", f"{APP_URL}/voice", 200),
        ("gather", f"{APP_URL}/menu", 200),
    ]
    assert call.requests[1].headers["Cookie"] == "session=s1"
    validator = RequestValidator(sim.auth_token)
    for request in call.requests:
        assert validator.validate(
            request.url, request.params, request.headers["X-Twilio-Signature"]
        )


def test_a_django_view_without_csrf_exempt_gets_the_hint() -> None:
    from django.core.handlers.wsgi import WSGIHandler
    from django.test import override_settings

    django_app()  # settings configured, django set up
    with override_settings(MIDDLEWARE=["django.middleware.csrf.CsrfViewMiddleware"]):
        app = WSGIHandler()
    with Simulator() as sim:
        sim.route(APP_URL, app)
        sim.number(CALLER_ID)
        sid = sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice").sid
        with pytest.raises(SimulationError) as raised:
            sim.run()
    assert str(raised.value.failures[0]) == (
        f"call {sid}: Twilio error 11200 (HTTP retrieval failure) at {APP_URL}/voice: the app "
        "answered HTTP 403 to POST; its body: '403 Forbidden Forbidden (403) CSRF verification "
        "failed. Request aborted. You are seeing this message because this HTTPS site requires "
        "a “Referer header” to be sent by your web browser, but none was sent. This header "
        "is required for security reasons, to ensure that your browser is not being hijack...'; "
        "hint: Django's CSRF protection refused the webhook (Twilio sends no CSRF token): "
        "decorate the webhook view with @csrf_exempt "
        "(from django.views.decorators.csrf import csrf_exempt); a class-based view takes "
        "@method_decorator(csrf_exempt, name='dispatch') on the class, or "
        "csrf_exempt(TheView.as_view()) in the URLconf. A view that reads its parameters "
        "from the query string (request.GET) needs the webhook configured with GET instead, "
        "which CSRF does not check; twimlsim then played "
        "Twilio's application-error message and hung up, as Twilio does "
        "[https://www.twilio.com/docs/errors/11200]"
    )


def test_a_flask_session_in_a_partitioned_cookie_lasts_the_call() -> None:
    """Flask's SESSION_COOKIE_PARTITIONED adds the Partitioned attribute, which Python's
    SimpleCookie does not know: the session cookie was dropped, and the next webhook saw
    an empty session."""
    from flask import Flask, session

    app = Flask("sessions")
    app.secret_key = "test"
    app.config.update(
        SESSION_COOKIE_PARTITIONED=True, SESSION_COOKIE_SECURE=True, SESSION_COOKIE_SAMESITE="None"
    )

    @app.post("/voice")
    def voice() -> tuple[str, int, dict[str, str]]:
        session["caller"] = "known"
        return "<Response><Redirect>/next</Redirect></Response>", 200, {"Content-Type": "text/xml"}

    @app.post("/next")
    def after() -> tuple[str, int, dict[str, str]]:
        said = f"<Response><Say>{session.get('caller')}</Say></Response>"
        return said, 200, {"Content-Type": "text/xml"}

    with Simulator() as sim:
        sim.route(APP_URL, app)
        sim.number(CALLER_ID, voice_url=f"{APP_URL}/voice")
        call = sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        sim.run()
    assert [str(said) for said in call.said] == ["known"]


class SignatureMiddleware:
    """A project's X-Twilio-Signature middleware that reads the token once, in __init__."""

    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        from django.conf import settings

        self.get_response = get_response
        self.validator = RequestValidator(settings.TWILIO_AUTH_TOKEN)

    def __call__(self, request: Any) -> Any:
        from django.http import HttpResponseForbidden

        signature = request.META.get("HTTP_X_TWILIO_SIGNATURE", "")
        if not self.validator.validate(request.build_absolute_uri(), request.POST, signature):
            return HttpResponseForbidden()
        return self.get_response(request)


def _django_handler_with_signature_middleware(token: str) -> Any:
    from django.core.handlers.wsgi import WSGIHandler
    from django.test import override_settings

    django_app()  # settings configured, django set up
    middleware = [f"{__name__}.SignatureMiddleware"]
    with override_settings(MIDDLEWARE=middleware, TWILIO_AUTH_TOKEN=token):
        return WSGIHandler()  # as get_wsgi_application() makes it, middleware and all


def test_a_django_middleware_that_read_the_token_when_the_handler_was_made_is_named() -> None:
    # the handler made by a twimlsim_app fixture, before the test set the token
    app = _django_handler_with_signature_middleware("the-projects-own-token")
    with Simulator() as sim:
        sim.route(APP_URL, app)
        sim.number(CALLER_ID)
        sim.phone(CALLEE).answers()
        sid = sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice").sid
        with pytest.raises(SimulationError) as raised:
            sim.run()
    assert str(raised.value.failures[0]).split(" (monkeypatch.setattr(")[1] == (
        "'django_twilio.decorators.TWILIO_AUTH_TOKEN', sim.auth_token)). Django makes its "
        "middleware when its WSGI handler is made (get_wsgi_application(), which a "
        "twimlsim_app fixture or a TwimlsimMixin class attribute calls before the test sets "
        "the token): a middleware that reads the token in its __init__ keeps the one it read "
        "then; make the handler after setting it, routing it where the test sets "
        "settings.TWILIO_AUTH_TOKEN (twimlsim.route(base_url, get_wsgi_application()) in that "
        "fixture, or in setUp after override_settings); twimlsim then played Twilio's "
        "application-error message and hung up, as Twilio does "
        "[https://www.twilio.com/docs/errors/11200]"
    )
    assert str(raised.value.failures[0]).startswith(
        f"call {sid}: Twilio error 11200 (HTTP retrieval failure) at {APP_URL}/voice: the app "
        "answered HTTP 403 to POST; its body is empty; hint: a 403 is most often the app's own "
        "X-Twilio-Signature check failing"
    )


def test_the_handler_made_after_the_token_is_set_passes() -> None:
    with Simulator() as sim:
        sim.route(APP_URL, _django_handler_with_signature_middleware(sim.auth_token))
        sim.number(CALLER_ID)
        sim.phone(CALLEE).answers()
        sid = sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice").sid
        sim.run()
    assert sim.calls[sid].said == ["Press 1"]

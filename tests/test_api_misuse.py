"""The Python API refuses a wrong argument where it is given, saying which call, the value,
what it expects and an example: a wrong type is ``TypeError``, a wrong value the call's
own error (``ValueError`` for far-end steps and routes, ``ConfigurationError`` for the
simulated account), never a bare error from deep inside."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from unittest import mock

import django.views
import fastapi
import flask
import pytest
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt

from twimlsim import Simulator
from twimlsim.errors import ConfigurationError

CALLEE = "+15558675310"
WHERE = f"sim.phone('{CALLEE}')"


def wsgi_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
    start_response("200 OK", [("Content-Type", "text/xml")])
    return [b"<Response/>"]


class WsgiAppClass:
    """A class whose objects are WSGI apps (as Flask's are)."""

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        return wsgi_app(environ, start_response)


async def make_app() -> Callable[..., list[bytes]]:
    return wsgi_app


def _route_a_coroutine(sim: Simulator) -> None:
    coroutine = make_app()
    try:
        sim.route("https://app.test", coroutine)
    finally:
        coroutine.close()  # never awaited, as the app's test forgot to


class VoiceView(django.views.View):
    """A Django class-based view, routed by mistake instead of the project."""


@method_decorator(csrf_exempt, name="dispatch")
class ExemptVoiceView(django.views.View):
    """The same, as webhook views are written: its as_view() reads as dispatch's signature."""


class NotAnApp:
    """Stands in for an app object of a framework that serves it itself (Robyn's)."""

    def __repr__(self) -> str:
        return "<NotAnApp>"


def create_app() -> Callable[..., list[bytes]]:
    return wsgi_app


class HttpOnlyApplication:
    """Stands in for a Tornado ``web.Application``: callable, but not as WSGI or ASGI."""

    __module__ = "tornado.web"

    def __call__(self) -> HttpOnlyApplication:
        return self

    def __repr__(self) -> str:
        return "<Application 0x1>"


def view(request: object) -> str:
    """A view, not an app: it takes the request alone."""
    return "<Response/>"


def handler(event: dict[str, object], context: object) -> dict[str, object]:
    """An AWS Lambda handler behind API Gateway: neither WSGI nor ASGI."""
    return {"statusCode": 200, "body": "<Response/>"}


class LambdaAdapter:
    """What Mangum(app) is: an object called as a Lambda handler."""

    def __call__(self, event: dict[str, object], context: object) -> dict[str, object]:
        return handler(event, context)

    def __repr__(self) -> str:
        return "<Mangum 0x1>"


LAMBDA_ADVICE = (
    "as an AWS Lambda handler does: it is neither a WSGI app (called with environ and "
    "start_response) nor an ASGI app; route the app it serves when it wraps one (the Flask "
    "or Django app serverless-wsgi hands the event to, the ASGI app given to Mangum), or a "
    "few lines of WSGI that build API Gateway's proxy event from the request and answer its "
    "statusCode, headers and body (README: Running a Twilio sample app), or run it locally "
    "(sam local start-api, chalice local) and drive it over HTTP with `twimlsim call "
    "http://127.0.0.1:PORT/voice` or `twimlsim serve`"
)


MISUSES: list[tuple[str, Callable[[Simulator], object], type[Exception], str]] = [
    (
        "route(url, Tornado app)",
        lambda sim: sim.route("https://app.test", HttpOnlyApplication()),
        TypeError,
        "sim.route('https://app.test', ...): <Application 0x1> (HttpOnlyApplication) is "
        "neither a WSGI app (called with environ and start_response) nor an ASGI app (an "
        "async callable of scope, receive and send): it takes (); Tornado apps are served "
        "over HTTP: run it on a port and drive it with `twimlsim call "
        "http://127.0.0.1:PORT/voice`, or point its Twilio client at `twimlsim serve` "
        "(README: Command line)",
    ),
    (
        "route(url, a view)",
        lambda sim: sim.route("https://app.test", view),
        TypeError,
        "sim.route('https://app.test', ...): the function view is neither a WSGI app "
        "(called with environ and start_response) nor an ASGI app (an async callable of "
        "scope, receive and send): it takes (request); pass the WSGI or ASGI application "
        "object itself (Flask's app, Django's get_wsgi_application(), FastAPI's app)",
    ),
    (
        "route(url, a Lambda handler)",
        lambda sim: sim.route("https://app.test", handler),
        TypeError,
        "sim.route('https://app.test', ...): the function handler takes (event, context), "
        + LAMBDA_ADVICE,
    ),
    (
        "route(url, Mangum's handler)",
        lambda sim: sim.route("https://app.test", LambdaAdapter()),
        TypeError,
        "sim.route('https://app.test', ...): <Mangum 0x1> (LambdaAdapter) takes (event, "
        "context), " + LAMBDA_ADVICE,
    ),
    (
        "phone(123)",
        lambda sim: sim.phone(123),  # type: ignore[arg-type]
        TypeError,
        "sim.phone(123): the number must be a string such as '+15558675310', 'client:alice' "
        "or 'sip:alice@example.com'; got 123 (int)",
    ),
    (
        "phone('abc')",
        lambda sim: sim.phone("abc"),
        ValueError,
        "sim.phone('abc'): 'abc' is not a phone number (E.164, or ten digits of a US number) "
        "nor a client: or sip: address; give one such as '+15558675310', 'client:alice' or "
        "'sip:alice@example.com'",
    ),
    (
        "phone('sip:alice@')",  # a SIP address without its host: the REST API refuses it
        lambda sim: sim.phone("sip:alice@"),
        ValueError,
        "sim.phone('sip:alice@'): 'sip:alice@' is not a phone number (E.164, or ten digits of a "
        "US number) nor a client: or sip: address; give one such as '+15558675310', "
        "'client:alice' or 'sip:alice@example.com'",
    ),
    (
        "presses(None)",
        lambda sim: sim.phone(CALLEE).presses(None),  # type: ignore[arg-type]
        TypeError,
        f"{WHERE}.presses(): the keys must be a string such as '1' or '123#'; got None (NoneType)",
    ),
    (
        "says(None)",
        lambda sim: sim.phone(CALLEE).says(None),  # type: ignore[arg-type]
        TypeError,
        f"{WHERE}.says(): text must be a string such as 'sales'; got None (NoneType)",
    ),
    (
        "says(confidence='high')",
        lambda sim: sim.phone(CALLEE).says("sales", confidence="high"),  # type: ignore[arg-type]
        TypeError,
        f"{WHERE}.says(): confidence must be a number between 0.0 and 1.0 such as 0.9; got 'high'",
    ),
    (
        "answers(after='3')",
        lambda sim: sim.phone(CALLEE).answers(after="3"),  # type: ignore[arg-type]
        TypeError,
        f"{WHERE}.answers(): after must be a number of seconds such as 2 or 0.5; got '3'",
    ),
    (
        "hangs_up(after=nan)",
        lambda sim: sim.phone(CALLEE).hangs_up(after=float("nan")),
        ValueError,
        f"{WHERE}.hangs_up(): after must be a finite number of seconds; got nan",
    ),
    (
        "records(text=3)",
        lambda sim: sim.phone(CALLEE).records(5, text=3),  # type: ignore[arg-type]
        TypeError,
        f"{WHERE}.records(): text must be a string such as 'Call me back'; got 3 (int)",
    ),
    (
        "records(hangs_up='no')",
        lambda sim: sim.phone(CALLEE).records(5, hangs_up="no"),  # type: ignore[arg-type]
        TypeError,
        f"{WHERE}.records(): hangs_up must be True or False; got 'no'",
    ),
    (
        "presses(barge_in='false')",
        lambda sim: sim.phone(CALLEE).presses("1", barge_in="false"),  # type: ignore[arg-type]
        TypeError,
        f"{WHERE}.presses(): barge_in must be True or False; got 'false'",
    ),
    (
        "says(barge_in=1)",
        lambda sim: sim.phone(CALLEE).says("sales", barge_in=1),  # type: ignore[arg-type]
        TypeError,
        f"{WHERE}.says(): barge_in must be True or False; got 1 (int)",
    ),
    (
        "hangs_up_at_wait(barge_in=None)",
        lambda sim: sim.phone(CALLEE).hangs_up_at_wait(barge_in=None),  # type: ignore[arg-type]
        TypeError,
        f"{WHERE}.hangs_up_at_wait(): barge_in must be True or False; got None (NoneType)",
    ),
    (
        "machine(answered_by=['human'])",
        lambda sim: sim.phone(CALLEE).machine(answered_by=["human"]),  # type: ignore[arg-type]
        TypeError,
        f"{WHERE}.machine(): answered_by must be a string such as 'machine_start'; "
        "got ['human'] (list)",
    ),
    (
        "answers(sip_headers={'Agent': 'bob'})",
        lambda sim: sim.phone(CALLEE).answers(sip_headers={"Agent": "bob"}),
        ValueError,
        f"{WHERE}.answers(): sip_headers names must start with 'X-' (custom SIP headers, "
        "such as {'X-Agent': 'bob'}); got ['Agent']",
    ),
    (
        "records(key='#', hangs_up=True)",
        lambda sim: sim.phone(CALLEE).records(5, key="#", hangs_up=True),
        ValueError,
        f"{WHERE}.records(): got key='#' and hangs_up=True, which cannot both end the "
        "recording; give key to press it after talking, or hangs_up=True to hang up",
    ),
    (
        "located(country='USA')",
        lambda sim: sim.phone(CALLEE).located(country="USA"),
        ValueError,
        f"{WHERE}.located(): country must be an ISO 3166 two-letter code such as 'US' or "
        "'GB' (or None for the number's own); got 'USA'",
    ),
    (
        "route(url, None)",
        lambda sim: sim.route("https://app.test", None),
        TypeError,
        "sim.route('https://app.test', ...): app must be a WSGI or ASGI application (a "
        "Flask, Django or FastAPI app object, a callable), got None (NoneType); the name "
        "given holds no app (one made only outside tests, under if __name__ == '__main__' or "
        "a setting?); pass the app object, or call the factory that makes it (create_app())",
    ),
    (
        "route(url, its name)",
        lambda sim: sim.route("https://app.test", "app:app"),
        TypeError,
        "sim.route('https://app.test', ...): app must be a WSGI or ASGI application (a "
        "Flask, Django or FastAPI app object, a callable), got 'app:app'; pass the app "
        "itself, not its name or module",
    ),
    (
        "route(url, a Flask blueprint)",
        lambda sim: sim.route("https://app.test", flask.Blueprint("voice", "voice")),
        TypeError,
        "sim.route('https://app.test', ...): app must be a WSGI or ASGI application (a "
        "Flask, Django or FastAPI app object, a callable), got <Blueprint 'voice'> "
        "(Blueprint); a Blueprint is part of an app, not one: route the app it is registered "
        "on (app.register_blueprint(bp), the app your factory makes), at the base URL the "
        "blueprint's url_prefix goes under",
    ),
    (
        "route(url, a FastAPI router)",
        lambda sim: sim.route("https://app.test", fastapi.APIRouter(prefix="/voice")),
        TypeError,
        "sim.route('https://app.test', ...): app is a FastAPI APIRouter, part of an app, not "
        "one: route the FastAPI app it is included in (app.include_router(router)), whose "
        "middleware, exception handlers and dependency_overrides its routes run under "
        "(routed alone, its webhooks fail: recent FastAPI raises 'fastapi_middleware_astack "
        "not found in request scope')",
    ),
    (
        "route(url, a coroutine)",
        lambda sim: _route_a_coroutine(sim),
        TypeError,
        "sim.route('https://app.test', ...): app must be a WSGI or ASGI application (a "
        "Flask, Django or FastAPI app object, a callable), got the coroutine of make_app(); "
        "a coroutine is what an async def function returns before it is "
        "awaited: await the factory that makes the app (app = await make_app()) and route "
        "the app",
    ),
    (
        "route(url, an async factory)",
        lambda sim: sim.route("https://app.test", make_app),
        TypeError,
        "sim.route('https://app.test', ...): the function make_app is an async def taking (), "
        "and an ASGI app is called with (scope, receive, send): an async factory of the app "
        "is awaited for the app it makes (app = await make_app(...), or "
        "asyncio.run(make_app(...)) outside a running event loop), then the app is routed",
    ),
    (
        "route(url, a functools.partial of an async factory)",
        lambda sim: sim.route("https://app.test", functools.partial(make_app)),
        TypeError,
        "sim.route('https://app.test', ...): a functools.partial of the function make_app is "
        "an async def taking (), and an ASGI app is called with (scope, receive, send): an "
        "async factory of the app is awaited for the app it makes (app = await "
        "make_app(...), or asyncio.run(make_app(...)) outside a running event loop), then "
        "the app is routed",
    ),
    (
        "route(url, a Django class-based view)",
        lambda sim: sim.route("https://app.test", VoiceView.as_view()),
        TypeError,
        "sim.route('https://app.test', ...): app is VoiceView.as_view(), a Django view, which "
        "Django calls with a request, not a WSGI app: route the project, "
        "get_wsgi_application(), whose URLconf maps the webhook's path to the view",
    ),
    (
        "route(url, a csrf_exempt Django class-based view)",
        lambda sim: sim.route("https://app.test", ExemptVoiceView.as_view()),
        TypeError,
        "sim.route('https://app.test', ...): app is ExemptVoiceView.as_view(), a Django view, "
        "which Django calls with a request, not a WSGI app: route the project, "
        "get_wsgi_application(), whose URLconf maps the webhook's path to the view",
    ),
    (
        "route(url, an object that is no app)",
        lambda sim: sim.route("https://app.test", NotAnApp()),
        TypeError,
        "sim.route('https://app.test', ...): app must be a WSGI or ASGI application (a "
        "Flask, Django or FastAPI app object, a callable), got <NotAnApp> (NotAnApp); it is not "
        "callable, as WSGI and ASGI apps are: pass the app object itself (Flask's app, "
        "Django's get_wsgi_application(), FastAPI's app); the app object of a framework that "
        "speaks neither (Robyn's, served by its own server) is run on a port and driven over "
        "HTTP, with `twimlsim call http://127.0.0.1:PORT/voice` or its Twilio client pointed "
        "at `twimlsim serve` (README: Command line)",
    ),
    (
        "route(url, a test client)",
        lambda sim: sim.route("https://app.test", flask.Flask("voice").test_client()),
        TypeError,
        "sim.route('https://app.test', ...): app must be a WSGI or ASGI application (a "
        "Flask, Django or FastAPI app object, a callable), got <FlaskClient <Flask 'voice'>> "
        "(FlaskClient); a test client is no app: route the app it sends its requests to (the "
        "one given to TestClient(app), the Flask or Quart app of app.test_client(), Django's "
        "get_wsgi_application() for its Client), and keep the client for the test's own "
        "requests: this one's is client.application, <Flask 'voice'>",
    ),
    (
        "route(url, a class)",
        lambda sim: sim.route("https://app.test", WsgiAppClass),
        TypeError,
        "sim.route('https://app.test', ...): app is the class WsgiAppClass, whose objects are "
        "the applications; pass the app object made from it (app = WsgiAppClass(...), as the "
        "app's module makes it)",
    ),
    (
        "route(url, a factory)",
        lambda sim: sim.route("https://app.test", create_app),
        TypeError,
        "sim.route('https://app.test', ...): the function create_app is neither a WSGI app "
        "(called with environ and start_response) nor an ASGI app (an async callable of "
        "scope, receive and send): it takes (); pass the WSGI or ASGI application object "
        "itself (Flask's app, Django's get_wsgi_application(), FastAPI's app)",
    ),
    (
        "media('', seconds=5)",
        lambda sim: sim.media("", seconds=5),
        ConfigurationError,
        "sim.media('', seconds=...): url is empty; give the media URL a <Play> plays, such as "
        "'https://app.test/hold.mp3'",
    ),
    (  # a <Play> URL is looked up resolved: a relative one never matched, silently
        "media('/hold.mp3', seconds=30)",
        lambda sim: sim.media("/hold.mp3", seconds=30),
        ConfigurationError,
        "sim.media('/hold.mp3', seconds=...): url '/hold.mp3' is not an absolute http(s) URL; "
        "give the URL the <Play> plays, resolved against its document's URL as Twilio "
        "resolves it, such as 'https://app.test/hold.mp3' for <Play>/hold.mp3</Play>",
    ),
    (
        "api_key(5)",
        lambda sim: sim.api_key(5),  # type: ignore[arg-type]
        TypeError,
        "sim.api_key(): friendly_name must be a string such as 'Support line'; got 5 (int)",
    ),
    (
        "subaccount(b'x')",
        lambda sim: sim.subaccount(b"x"),  # type: ignore[arg-type]
        TypeError,
        "sim.subaccount(): friendly_name must be a string such as 'Support line'; got b'x' (bytes)",
    ),
    (
        "route(123, app)",
        lambda sim: sim.route(123, wsgi_app),  # type: ignore[arg-type]
        TypeError,
        "sim.route(123, ...): base_url must be a string such as 'https://app.test'; got 123 (int)",
    ),
    (
        "route(unclosed IPv6)",
        lambda sim: sim.route("https://[::1", wsgi_app),
        ValueError,
        "sim.route('https://[::1', ...): base_url 'https://[::1' is not a usable URL "
        "(Invalid IPv6 URL); give the app's base URL, such as 'https://app.test'",
    ),
    (
        "route(no scheme)",
        lambda sim: sim.route("app.test", wsgi_app),
        ValueError,
        "sim.route('app.test', ...): base_url 'app.test' is not an absolute http(s) URL with "
        "a host; give the app's base URL, such as 'https://app.test'",
    ),
    (
        "route(ftp)",
        lambda sim: sim.route("ftp://app.test", wsgi_app),
        ValueError,
        "sim.route('ftp://app.test', ...): base_url 'ftp://app.test' is not an absolute "
        "http(s) URL with a host; give the app's base URL, such as 'https://app.test'",
    ),
    (
        "route(query)",
        lambda sim: sim.route("https://app.test?x=1", wsgi_app),
        ValueError,
        "sim.route('https://app.test?x=1', ...): base_url 'https://app.test?x=1' has a query "
        "or fragment; a base URL is the start of the URLs the app serves, such as "
        "'https://app.test' or 'https://app.test/ivr'",
    ),
    (
        "number('abc')",
        lambda sim: sim.number("abc"),
        ConfigurationError,
        "sim.number('abc'): 'abc' is not a phone number (E.164, or ten digits of a US "
        "number) that the account can own; give one such as '+15558675310'",
    ),
    (
        "number(+1 and nine digits)",
        lambda sim: sim.number("+1234567890"),
        ConfigurationError,
        "sim.number('+1234567890'): '+1234567890' cannot be a complete number of its country "
        "(an unknown country code, or too few or too many digits for it: a US number is +1 "
        "and ten digits), so no account can own it: Twilio refuses a call from it (21212 "
        "'From is not a valid phone number: +1234567890') and to it (21211); give one such as "
        "'+15005550006'",
    ),
    (
        "verified_caller_id(+44 and six digits)",
        lambda sim: sim.verified_caller_id("+44123456"),
        ConfigurationError,
        "sim.verified_caller_id('+44123456'): '+44123456' cannot be a complete number of its "
        "country (an unknown country code, or too few or too many digits for it: a US number "
        "is +1 and ten digits), so no account can own it: Twilio refuses a call from it "
        "(21212 'From is not a valid phone number: +44123456') and to it (21211); give one such "
        "as '+15005550006'",
    ),
    (
        "number(voice_url='voice')",
        lambda sim: sim.number("+15005550006", voice_url="/voice"),
        ConfigurationError,
        "sim.number('+15005550006'): voice_url '/voice' is not an absolute http(s) URL with a "
        "host, which Twilio needs to request it; give one such as 'https://app.test/voice'",
    ),
    (
        "number(voice_method='PUT')",
        lambda sim: sim.number("+15005550006", voice_method="PUT"),
        ConfigurationError,
        "sim.number('+15005550006'): voice_method must be 'GET' or 'POST' (Twilio's webhook "
        "methods); got 'PUT'",
    ),
    (
        "application(voice_method='PUT')",
        lambda sim: sim.application(voice_method="PUT"),
        ConfigurationError,
        "sim.application(): voice_method must be 'GET' or 'POST' (Twilio's webhook methods); "
        "got 'PUT'",
    ),
    (
        "media(seconds='5')",
        lambda sim: sim.media("https://app.test/a.mp3", seconds="5"),  # type: ignore[arg-type]
        TypeError,
        "sim.media('https://app.test/a.mp3', seconds=...): seconds must be a number of "
        "seconds such as 2 or 0.5; got '5'",
    ),
    (
        "advance(None)",
        lambda sim: sim.advance(None),  # type: ignore[arg-type]
        TypeError,
        "sim.advance(seconds): seconds must be a number such as 30 or 0.5; got None (NoneType)",
    ),
    (
        "advance(timedelta(minutes=5))",
        lambda sim: sim.advance(timedelta(minutes=5)),  # type: ignore[arg-type]
        TypeError,
        "sim.advance(seconds): seconds must be a number such as 30 or 0.5; got "
        "datetime.timedelta(seconds=300) (timedelta): give its seconds, sim.advance(300)",
    ),
    (
        "queue(max_size=0)",
        lambda sim: sim.queue("support", max_size=0),
        ConfigurationError,
        "sim.queue('support'): max_size must be a whole number from 1 to 5000 (Twilio's "
        "MaxSize), or None for 1,000; got 0 (int)",
    ),
    (
        "subaccount(cps='2')",
        lambda sim: sim.subaccount(cps="2"),  # type: ignore[arg-type]
        TypeError,
        "sim.subaccount(cps=...): cps must be a number of calls per second such as 1 or 0.5; "
        "got '2'",
    ),
    (
        "sdk_call(token=5)",
        lambda sim: sim.sdk_call(token=5),  # type: ignore[arg-type]
        TypeError,
        "sim.sdk_call(token=...): token must be a string such as the JWT string of the app; "
        "got 5 (int)",
    ),
    (
        "incoming_call(to=5)",
        lambda sim: sim.incoming_call(from_=CALLEE, to=5),  # type: ignore[arg-type]
        TypeError,
        "sim.incoming_call(from_='+15558675310', to=5): the number must be a string such as "
        "'+15558675310'; got 5 (int)",
    ),
]


@pytest.fixture(scope="module")
def sim() -> Simulator:
    return Simulator(freeze_time=False)


@pytest.mark.parametrize(
    ("call", "error", "message"), [m[1:] for m in MISUSES], ids=[m[0] for m in MISUSES]
)
def test_a_misused_call_says_what_failed_and_what_it_expects(
    sim: Simulator, call: Callable[[Simulator], object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as raised:
        call(sim)
    assert type(raised.value) is error
    assert str(raised.value) == message


def test_a_cloud_function_is_told_the_flask_app_functions_framework_makes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # a voice webhook written for Google Cloud Functions, @functions_framework.http on a
    # function of the request, is served by functions_framework.create_app
    monkeypatch.setitem(sys.modules, "functions_framework", type(sys)("functions_framework"))

    @functools.wraps(view)  # as @functions_framework.http wraps it, in its own module
    def wrapper(request: object) -> str:
        return view(request)

    with Simulator() as sim, pytest.raises(TypeError) as refused:
        sim.route("https://app.test", wrapper)
    assert str(refused.value) == (
        "sim.route('https://app.test', ...): the function view is neither a WSGI app (called "
        "with environ and start_response) nor an ASGI app (an async callable of scope, "
        "receive and send): it takes (request); a Cloud Functions function is served by the "
        "Flask app functions-framework makes for it: route functions_framework.create_app("
        f"target='view', source={__file__!r}) at the function's host alone "
        "(https://REGION-PROJECT.cloudfunctions.net), where every path reaches the function "
        "as on Google Cloud (under the function's own URL its root path is empty, which "
        "Flask answers with a redirect, 11216)"
    )


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        (
            {"cps": 0},
            ConfigurationError,
            "Simulator(cps=...): cps must be a positive number of calls per second such as 1 "
            "or 0.5; got 0",
        ),
        (
            {"cps": float("inf")},
            ConfigurationError,
            "Simulator(cps=...): cps must be a positive number of calls per second such as 1 "
            "or 0.5; got inf",
        ),
        (
            {"cps": 5e-324},  # 1/cps overflowed: a 500 from inside twimlsim on the 1st create
            ConfigurationError,
            "Simulator(cps=...): cps must be at least 1e-09 calls per second (one call in "
            "about 32 years); got 5e-324",
        ),
        (
            {"cps": "1"},
            TypeError,
            "Simulator(cps=...): cps must be a number of calls per second such as 1 or 0.5; "
            "got '1'",
        ),
        (
            {"start": 20260101},
            TypeError,
            "Simulator(start=...): start must be a timezone-aware datetime such as "
            "datetime(2026, 1, 1, 9, tzinfo=timezone.utc), or ISO 8601 text such as "
            "'2026-01-03T20:30' (UTC); got 20260101 (int)",
        ),
        (
            {"start": "9999-06-01"},
            ValueError,
            "Simulator(start=...): '9999-06-01' is out of the simulated clock's range: give a "
            "time from year 1900 to 9998 (a call may run for a day; the clock stops at the "
            "end of year 9999)",
        ),
        (  # a call then stopped sim.run() with a ValueError about advancing too far
            {"start": datetime(9999, 12, 31, 23, 59, tzinfo=UTC)},
            ValueError,
            "Simulator(start=...): datetime.datetime(9999, 12, 31, 23, 59, "
            "tzinfo=datetime.timezone.utc) is out of the simulated clock's range: give a time "
            "from year 1900 to 9998 (a call may run for a day; the clock stops at the end of "
            "year 9999)",
        ),
        (  # the twilio client read its dates as year 2001
            {"start": datetime(1, 1, 1, tzinfo=UTC)},
            ValueError,
            "Simulator(start=...): datetime.datetime(1, 1, 1, 0, 0, "
            "tzinfo=datetime.timezone.utc) is out of the simulated clock's range: give a time "
            "from year 1900 to 9998 (a call may run for a day; the clock stops at the end of "
            "year 9999)",
        ),
        (
            {"strict": "false"},
            TypeError,
            "Simulator(strict=...): strict must be True or False; got 'false'",
        ),
        (
            {"trial": 0},
            TypeError,
            "Simulator(trial=...): trial must be True or False; got 0 (int)",
        ),
        (
            {"webhook_timeout": "15"},
            TypeError,
            "Simulator(webhook_timeout=...): webhook_timeout must be a number of seconds such "
            "as 15 (or None for no limit); got '15'",
        ),
    ],
)
def test_a_simulator_option_of_the_wrong_kind_is_refused(
    options: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as raised:
        Simulator(**options)
    assert str(raised.value) == message


def test_national_and_formatted_numbers_are_read_as_the_rest_api_reads_them() -> None:
    sim = Simulator(freeze_time=False)
    owned = sim.number("(500) 555-0006", voice_url="https://app.test/voice")
    phone = sim.phone("555 867 5310")
    assert (owned.number, phone.number) == ("+15005550006", CALLEE)
    assert sim.phone(CALLEE) is phone
    assert sim.phone("client:alice").number == "client:alice"


def gather_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
    start_response("200 OK", [("Content-Type", "text/xml")])
    return [b'<Response><Gather input="dtmf speech" numDigits="1"/></Response>']


@pytest.mark.parametrize(
    ("drive", "error", "message"),
    [
        (
            lambda call: call.press(None),
            TypeError,
            "call.press(None): the keys must be a string such as '1' or '123#'; got None "
            "(NoneType)",
        ),
        (
            lambda call: call.press("z"),
            ValueError,
            "call.press('z'): digits must be keys 0-9, *, #, A-D (w/W pause); got 'z'",
        ),
        (
            lambda call: call.say("yes", confidence=5),
            ValueError,
            "call.say('yes'): confidence must be between 0.0 and 1.0, got 5",
        ),
        (
            lambda call: call.records("10"),
            TypeError,
            "call.records('10'): seconds must be a number of seconds such as 2 or 0.5; got '10'",
        ),
    ],
)
def test_a_call_driven_by_hand_refuses_input_it_cannot_give(
    drive: Callable[[Any], object], error: type[Exception], message: str
) -> None:
    with Simulator(freeze_time=False, strict=False) as sim:
        sim.route("https://app.test", gather_app)
        sim.number("+15005550006", voice_url="https://app.test/voice")
        call = sim.incoming_call(from_=CALLEE, to="+15005550006")
        call.run()
        with pytest.raises(error) as raised:
            drive(call)
        assert str(raised.value) == message
        assert (call.waiting_for is not None, sim.requests[-1].kind) == (True, "voice")


@pytest.mark.parametrize("base", ["HTTPS://MyApp.test", "https://user:secret@myapp.test"])
def test_a_base_url_routes_as_webhook_urls_are_written(base: str) -> None:
    with Simulator(freeze_time=False) as sim:
        sim.route(base, gather_app)
        sim.number("+15005550006", voice_url="https://myapp.test/voice")
        sim.phone(CALLEE).presses("1")
        call = sim.incoming_call(from_=CALLEE, to="+15005550006")
        sim.run()
    assert [(r.kind, r.url, r.response.status if r.response else None) for r in call.requests] == [
        ("voice", "https://myapp.test/voice", 200),
        ("gather", "https://myapp.test/voice", 200),
    ]


#: What a failed look-up adds for a key that is no call SID's shape (a stub's 'CA123').
STUB_SID_NOTE = (
    "; 'CA123' is no call SID Twilio makes (CA and 32 hexadecimal digits): a stub "
    "of the test's own answered calls.create in place of the simulator (a mock.patch of "
    "twilio's Client, a responses or requests-mock answer to Calls.json), so the simulator "
    "never saw the call; take that mock out of the test"
)


#: What a failed look-up adds for a call SID when the simulator has made no call (a
#: hand-rolled fake client's ``f"CA{n:032d}"``).
NO_CALL_MADE_NOTE = (
    "; the simulator has made no call, so that SID came from elsewhere: a stub of the "
    "test's own answered calls.create in place of the simulator (a hand-rolled fake of the "
    "app's client, a mock.patch of twilio's Client, a responses or requests-mock answer to "
    "Calls.json), or another simulator (this one before a reset()); take that stub out of "
    "the test"
)


def test_a_call_looked_up_by_a_wrong_key_says_what_the_simulation_has() -> None:
    with Simulator() as sim:
        with pytest.raises(KeyError) as raised:
            sim.calls["CA123"]
        assert raised.value.args == (
            f"no call 'CA123' in this simulation (it has no calls yet{STUB_SID_NOTE})",
        )
        with pytest.raises(KeyError) as raised:
            sim.calls["CA" + "0" * 32]  # the shape of a SID, and no call made: a stub's
        assert raised.value.args == (
            f"no call 'CA{'0' * 32}' in this simulation (it has no calls yet{NO_CALL_MADE_NOTE})",
        )
        with pytest.raises(KeyError) as raised:
            sim.calls["CF" + "0" * 32]  # a conference's SID: no stub note
        assert raised.value.args == (
            f"no call 'CF{'0' * 32}' in this simulation (it has no calls yet; 'CF{'0' * 32}' "
            "is the SID of another kind of resource (CF...), not a call's (CA...): index by "
            "the call's SID, call.sid)",
        )
        with pytest.raises(KeyError) as raised:
            sim.calls["+15558675310"]  # a phone number: no stub note
        assert raised.value.args == (
            "no call '+15558675310' in this simulation (it has no calls yet; '+15558675310' "
            "is a phone number, and calls are kept by their SID: index by the call's SID, "
            "call.sid, or look the number's calls up among sim.calls.values())",
        )
        with mock.patch("twilio.rest.Client") as patched:
            stubbed = patched.return_value.calls.create(to="+15558675310").sid
        with pytest.raises(KeyError) as raised:
            sim.calls[stubbed]
        assert raised.value.args == (
            f"no call {stubbed!r} in this simulation (got MagicMock, a mock's attribute: the "
            "SID came from the test's own mock of twilio's Client (mock.patch), which "
            "answered calls.create in place of the simulator; take that patch out of the test)",
        )
        sim.number("+15005550006")
        created = [
            sim.client().calls.create(to="+15558675310", from_="+15005550006", twiml="<Response/>")
            for _ in range(4)
        ]
        sids = [call.sid for call in created]
        with pytest.raises(KeyError) as raised:
            sim.calls["CA123"]
        assert raised.value.args == (
            f"no call 'CA123' in this simulation (it has 4 calls: {sids[0]}, {sids[1]}, "
            f"{sids[2]} and 1 more{STUB_SID_NOTE})",
        )
        with pytest.raises(KeyError) as raised:
            sim.calls["CA" + "0" * 32]  # the shape of a SID, once calls were made: no note
        assert raised.value.args == (
            f"no call 'CA{'0' * 32}' in this simulation (it has 4 calls: {sids[0]}, {sids[1]}, "
            f"{sids[2]} and 1 more)",
        )
        with pytest.raises(KeyError) as raised:
            sim.calls[created[0]]  # type: ignore[index]
        assert raised.value.args == (
            "no call <Twilio.Api.V2010.CallInstance "
            f"account_sid={sim.account_sid} sid={sids[0]}> in this simulation (got "
            "CallInstance: index by the call's SID, call.sid)",
        )
        sim.run()


def test_a_phone_asked_to_drive_a_call_by_hand_names_its_script_step() -> None:
    with Simulator() as sim:
        phone = sim.phone(CALLEE)
        with pytest.raises(AttributeError) as press:
            phone.press("1")  # type: ignore[attr-defined]
        with pytest.raises(AttributeError) as hangup:
            phone.hangup()  # type: ignore[attr-defined]
        with pytest.raises(AttributeError) as other:
            phone.dials  # type: ignore[attr-defined]  # noqa: B018
    assert str(press.value) == (
        f"{WHERE} has no method press(): its script step is presses(); press() drives a call "
        "by hand (call.press() on the SimCall, while call.run() has it waiting)"
    )
    assert str(hangup.value) == (
        f"{WHERE} has no method hangup(): its script step is hangs_up(); hangup() drives a "
        "call by hand (call.hangup() on the SimCall, while call.run() has it waiting)"
    )
    assert str(other.value) == "'Phone' object has no attribute 'dials'"
    assert (other.value.name, other.value.obj) == ("dials", phone)


@pytest.mark.parametrize(
    ("name", "step", "doc"),
    [
        (
            "does_not_answer",
            "no_answer",
            "Ring until the call's timeout: the call ends ``no-answer``.",
        ),
        (
            "never_answers",
            "no_answer",
            "Ring until the call's timeout: the call ends ``no-answer``.",
        ),
        ("declines", "busy", "Return a busy signal: the call ends ``busy``."),
        ("unreachable", "fails", "The number cannot be reached: the call ends ``failed``."),
    ],
)
def test_a_phone_asked_to_ring_out_by_another_name_names_the_step(
    name: str, step: str, doc: str
) -> None:
    with Simulator() as sim:
        phone = sim.phone(CALLEE)
        with pytest.raises(AttributeError) as unanswered:
            getattr(phone, name)()
    assert str(unanswered.value) == f"{WHERE} has no step {name}(); the step is {step}(): {doc}"
    assert (unanswered.value.name, unanswered.value.obj) == (name, phone)


@pytest.mark.parametrize("name", ["waits", "wait", "pauses", "sleeps"])
def test_a_phone_asked_to_wait_says_how_a_script_lets_time_pass(name: str) -> None:
    with Simulator() as sim:
        phone = sim.phone(CALLEE)
        with pytest.raises(AttributeError) as waits:
            getattr(phone, name)(20)
    assert str(waits.value) == (
        f"{WHERE} has no step {name}(): steps are not timed, each input step (presses, says, "
        "records, silence) is taken where the call next waits for input (a Gather, a Record, "
        "a hangupOnStar Dial or room); to let time pass: answers(after=s) rings s seconds "
        "first, hangs_up(after=s) hangs up s seconds after the answer, hangs_up_at_wait("
        "after=s) s seconds into the next wait, silence() lets a Gather time out; "
        "sim.advance(s) moves the clock from the test"
    )
    assert (waits.value.name, waits.value.obj) == (name, phone)


@pytest.mark.parametrize("step", ["hangs_up", "answers", "hangs_up_at_wait", "machine"])
def test_a_phone_asked_for_a_step_after_seconds_names_its_after_keyword(step: str) -> None:
    with Simulator() as sim:
        phone = sim.phone(CALLEE)
        with pytest.raises(AttributeError) as timed:
            getattr(phone, f"{step}_after")(5)
    assert str(timed.value) == (
        f"{WHERE} has no step {step}_after(): the seconds are {step}()'s keyword, {step}(after=s)"
    )
    assert (timed.value.name, timed.value.obj) == (f"{step}_after", phone)


def test_a_call_given_a_script_step_names_how_to_drive_it_by_hand() -> None:
    with Simulator() as sim:
        sim.number("+15005550006", voice_url="https://app.test/voice")
        sim.route("https://app.test", wsgi_app)
        call = sim.incoming_call(from_=CALLEE, to="+15005550006")
        with pytest.raises(AttributeError) as presses:
            call.presses("1")  # type: ignore[attr-defined]
        with pytest.raises(AttributeError) as hang_up:
            call.hang_up()  # type: ignore[attr-defined]
        with pytest.raises(AttributeError) as other:
            call.digits  # type: ignore[attr-defined]  # noqa: B018
        sim.run()
    assert str(presses.value) == (
        "SimCall has no method presses(): driving a call by hand is call.press() (while "
        f"call.run() has it waiting); a script step given ahead is {WHERE}.presses()"
    )
    assert str(hang_up.value) == (
        "SimCall has no method hang_up(): driving a call by hand is call.hangup() (while "
        f"call.run() has it waiting); a script step given ahead is {WHERE}.hangs_up()"
    )
    assert str(other.value) == "'SimCall' object has no attribute 'digits'"


def test_a_localhost_base_url_is_refused_by_route_as_twilio_refuses_its_urls() -> None:
    # an auto-dialler sample creates its calls with Url=http://localhost:5000/voice: Twilio
    # answers that create 21205 ("Url is not a valid url: http://localhost:3000/..."), so a
    # test routed at localhost would pass where every call is refused
    with Simulator(freeze_time=False) as sim:
        with pytest.raises(ValueError) as routed:
            sim.route("http://LocalHost:5000", gather_app)
        sim.route("http://127.0.0.1:5000", gather_app)  # a loopback address is routed
    assert str(routed.value) == (
        "sim.route('http://LocalHost:5000', ...): base_url 'http://LocalHost:5000' is on "
        "localhost, which Twilio cannot reach and refuses in a webhook URL (calls.create "
        "answers 21205 'Url is not a valid URL'), so a test routed there would pass where "
        "Twilio refuses the call; route the app at a host it would have on the internet, such "
        "as 'https://app.test', and have it build its webhook URLs from that host (its base "
        "URL setting, or a test client's base_url); a live server (Django's "
        "LiveServerTestCase, pytest-django's live_server) keeps its localhost URL for the "
        "test's own requests, its app routed at that host"
    )


def test_a_host_with_an_underscore_is_refused_by_route_and_number_naming_it() -> None:
    # a sample's placeholder ("https://your_domain.ngrok.app") kept in a test: Twilio's
    # docs say "URLs must contain a valid hostname (underscores are not permitted)"
    with Simulator(freeze_time=False) as sim:
        with pytest.raises(ValueError) as routed:
            sim.route("https://your_domain.ngrok.app", gather_app)
        with pytest.raises(ConfigurationError) as numbered:
            sim.number("+15005550006", voice_url="https://your_domain.ngrok.app/voice")
    assert str(routed.value) == (
        "sim.route('https://your_domain.ngrok.app', ...): base_url "
        "'https://your_domain.ngrok.app' has an underscore in its host 'your_domain.ngrok.app', "
        "which is not a valid host name: Twilio refuses webhook URLs on it (21205 as a REST "
        "Url), so no webhook would reach this route; give a host without one, such as "
        "'your-domain.ngrok.app'"
    )
    assert str(numbered.value) == (
        "sim.number('+15005550006'): voice_url 'https://your_domain.ngrok.app/voice' has an "
        "underscore in its host 'your_domain.ngrok.app', which is not a valid host name: "
        "Twilio refuses such a URL (21205 as a REST Url), so no webhook could reach it; give "
        "a host without one, such as 'your-domain.ngrok.app'"
    )


@pytest.mark.parametrize(
    ("misuse", "message"),
    [
        (
            lambda sim: sim.number("+15005550006", voiceurl="https://app.test/voice"),
            "Simulator.number() got an unexpected keyword argument 'voiceurl'"
            # Python 3.13 suggests the nearest keyword itself
            + (". Did you mean 'voice_url'?" if sys.version_info >= (3, 13) else ""),
        ),
        (
            lambda sim: sim.phone(CALLEE, answers=True),
            "Simulator.phone() got an unexpected keyword argument 'answers'",
        ),
        (
            lambda sim: sim.application(url="x"),
            "Simulator.application() got an unexpected keyword argument 'url'",
        ),
    ],
)
def test_a_wrong_keyword_names_the_simulators_method(
    misuse: Callable[[Simulator], object], message: str
) -> None:
    """The error named the class the method comes from (AccountSetup.number(),
    FarEndSetup.phone()), which no user has met."""
    with Simulator() as sim, pytest.raises(TypeError) as raised:
        misuse(sim)
    assert str(raised.value) == message

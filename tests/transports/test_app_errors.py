"""A webhook the app answers with an error says why: body, exception and a framework hint."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI, Form, Request
from fastapi.responses import Response as FastAPIResponse
from flask import Blueprint, Flask, request
from pydantic import BaseModel
from twilio.request_validator import RequestValidator
from twilio.rest import Client
from werkzeug.middleware.proxy_fix import ProxyFix

from tests.support import APP_URL, BLANK_VALUES_SIGNED, CALLEE, CALLER_ID
from twimlsim import CallFailure, SimulationError, Simulator
from twimlsim.engine.diagnosis import root_relative_hint

#: What every failure here ends with: what the call did next, and the code's page.
ERRORS = (
    "; twimlsim then played Twilio's application-error message and hung up, as Twilio does "
    "[https://www.twilio.com/docs/errors/11200]"
)


def run_to_failure(sim: Simulator, url: str, method: str = "POST") -> SimulationError:
    """Place one call to ``url`` and run it to the SimulationError it ends with."""
    sim.number(CALLER_ID)
    sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=url, method=method)
    with pytest.raises(SimulationError) as raised:
        sim.run()
    return raised.value


def failure_of(app: Any, path: str = "/voice", method: str = "POST") -> tuple[str, SimulationError]:
    """Place one call to ``app``; the one failure it ends with, and the error raised."""
    with Simulator() as sim:
        sim.route(APP_URL, app)
        error = run_to_failure(sim, f"{APP_URL}{path}", method)
    (failure,) = error.failures
    head = f"call {failure.call_sid}: Twilio error 11200 (HTTP retrieval failure) at "
    assert str(failure).startswith(head)
    return str(failure)[len(head) :], error


def incoming_failure_of(app: Any) -> CallFailure:
    """Ring the account's number, whose voice URL is ``app``'s ``/voice``; the one failure
    the call ends with."""
    with Simulator() as sim:
        sim.route(APP_URL, app)
        sim.number(CALLER_ID, voice_url=f"{APP_URL}/voice")
        sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        with pytest.raises(SimulationError) as raised:
            sim.run()
    (failure,) = raised.value.failures
    return failure


def signature_checking_app(
    token: Callable[[], str | None],
    *,
    method: str = "POST",
    params: Callable[[Any], Any] = lambda request: request.form,
    refusal: str = "",
) -> Flask:
    """A Flask voice app that checks X-Twilio-Signature with twilio's RequestValidator and
    ``token()`` (read at each request), answers 403 with ``refusal`` when the check fails,
    and says "Hi" when it passes."""
    app = Flask("voice")

    @app.route("/voice", methods=[method])
    def voice() -> tuple[str, int]:
        validator = RequestValidator(token())
        signature = request.headers.get("X-Twilio-Signature", "")
        if not validator.validate(request.url, params(request), signature):
            return refusal, 403
        return "<Response><Say>Hi</Say></Response>", 200

    return app


def test_a_flask_400_shows_the_body_and_the_missing_form_key_hint() -> None:
    app = Flask("voice")

    @app.post("/voice")
    def voice() -> str:
        return f"<Response><Say>{request.form['Digits']}</Say></Response>"

    message, _ = failure_of(app)
    assert message == (
        f"{APP_URL}/voice: the app answered HTTP 400 to POST; its body: '400 Bad Request Bad "
        "Request The browser (or proxy) sent a request that this server could not "
        "understand.'; hint: Flask answers 400 when a view reads a form key the request does "
        "not have (request.form['Key'] raises BadRequestKeyError): compare the keys the view "
        "reads with the parameters Twilio sent (sim.requests[-1].params); of the parameters "
        "Twilio sends only on some calls, this request has no AnsweredBy (sent on a call "
        f"placed with machine detection){ERRORS}"
    )


def test_a_flask_400_on_an_inbound_call_names_caller_name_sent_only_with_its_lookup() -> None:
    # an on-call voicemail app reads request.form['CallerName'] to label the message
    app = Flask("voice")

    @app.post("/voice")
    def voice() -> str:
        return f"<Response><Say>{request.form['CallerName']}</Say></Response>"

    failure = incoming_failure_of(app)
    assert str(failure).split("; hint: ")[1] == (
        "Flask answers 400 when a view reads a form key the request does not have "
        "(request.form['Key'] raises BadRequestKeyError): compare the keys the view reads "
        "with the parameters Twilio sent (sim.requests[-1].params); of the parameters Twilio "
        "sends only on some calls, this request has no CallerName (sent when the called "
        "number has caller ID lookup on: sim.number(n, voice_caller_id_lookup=True)), no "
        "ForwardedFrom (sent when a carrier forwarded the call and said so: "
        f"sim.incoming_call(..., params={{'ForwardedFrom': ...}})){ERRORS}"
    )
    with Simulator() as sim:  # with the lookup on, the request has it and the view answers
        sim.route(APP_URL, app)
        sim.number(CALLER_ID, voice_url=f"{APP_URL}/voice", voice_caller_id_lookup=True)
        sim.phone("+14155550100").caller_name("ALICE SMITH")
        call = sim.incoming_call(from_="+14155550100", to=CALLER_ID)
        sim.run()
    assert call.said == ["ALICE SMITH"]


def test_a_flask_400_to_a_get_says_the_parameters_are_in_the_query_string() -> None:
    # a conference statusCallback with statusCallbackMethod="GET" read with request.form
    app = Flask("voice")

    @app.get("/voice")
    def voice() -> str:
        return f"<Response><Say>{request.form['CallSid']}</Say></Response>"

    message, _ = failure_of(app, method="GET")
    assert message.split("; hint: ")[1] == (
        "Flask answers 400 when a view reads a form key the request does not have "
        "(request.form['Key'] raises BadRequestKeyError): Twilio sent this request with GET, "
        "as the webhook's method says, and a GET carries Twilio's parameters in the query "
        "string, so request.form is empty; read them from request.values (either method) or "
        f"request.args, or configure the webhook with POST{ERRORS}"
    )


@pytest.mark.parametrize(
    ("body", "hint"),
    [
        (
            '{"statusCode":415,"code":"FST_ERR_CTP_INVALID_MEDIA_TYPE","error":"Unsupported '
            'Media Type","message":"Unsupported Media Type"}',
            "Fastify answers 415 to a body type it has no parser for, and Twilio sends its "
            "parameters form-encoded (application/x-www-form-urlencoded): register "
            "@fastify/formbody (fastify.register(formbody)) before the routes",
        ),
        (
            # a Chalice route without content_types, under `chalice local` or API Gateway
            '{"Code":"UnsupportedMediaType","Message":"Unsupported media type: '
            'application/x-www-form-urlencoded"}',
            "a Chalice route takes only application/json unless it lists other content "
            "types, and Twilio sends its parameters form-encoded "
            "(application/x-www-form-urlencoded): give the webhook's @app.route "
            "content_types=['application/x-www-form-urlencoded'] and read the form from "
            "app.current_request.raw_body (urllib.parse.parse_qs)",
        ),
        (
            "Unsupported Media Type",
            "the app refused the request's Content-Type (415): Twilio sends its parameters "
            "form-encoded (application/x-www-form-urlencoded), so the webhook's handler must "
            "read a form, not a JSON body (Spring: @RequestParam rather than @RequestBody; "
            "ASP.NET: [FromForm] rather than [FromBody])",
        ),
    ],
)
def test_a_415_says_twilio_sends_a_form(body: str, hint: str) -> None:
    # a Fastify voice server without @fastify/formbody refuses every webhook
    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        start_response("415 Unsupported Media Type", [("Content-Type", "application/json")])
        return [body.encode()]

    message, _ = failure_of(app)
    assert message.split("; hint: ")[1] == f"{hint}{ERRORS}"


def test_an_express_500_reading_an_undefined_body_names_the_form_parser() -> None:
    # an Express app without express.urlencoded() reads req.body.From of undefined
    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        start_response("500 Internal Server Error", [("Content-Type", "text/html")])
        return [
            b"<pre>TypeError: Cannot read properties of undefined (reading &#39;From&#39;)<br> "
            b"&nbsp; &nbsp;at /app/index.js:4:59</pre>"
        ]

    message, _ = failure_of(app)
    assert message.split("; hint: ")[1] == (
        "the handler read a parameter from an undefined request body (req.body): Express "
        "parses Twilio's form only with app.use(express.urlencoded({ extended: false })) (or "
        f"body-parser's urlencoded()) before the routes{ERRORS}"
    )


def test_an_asgi_apps_exception_is_the_failures_cause() -> None:
    app = FastAPI()

    @app.post("/voice")
    async def voice() -> FastAPIResponse:
        raise LookupError("no such caller")

    message, raised = failure_of(app)
    assert message == (
        f"{APP_URL}/voice: the app answered HTTP 500 to POST; it raised LookupError: no such "
        f"caller; its body: 'Internal Server Error'{ERRORS}"
    )
    cause = raised.__cause__
    assert isinstance(cause, LookupError) and cause.__traceback__ is not None


def test_a_fastapi_422_names_the_unbound_parameter() -> None:
    app = FastAPI()

    @app.post("/voice")
    async def voice(Digits: str = Form()) -> FastAPIResponse:  # noqa: N803 - Twilio's name
        return FastAPIResponse("<Response/>", media_type="text/xml")

    message, _ = failure_of(app)
    assert message == (
        f"{APP_URL}/voice: the app answered HTTP 422 to POST; its body: "
        """'{"detail":[{"type":"missing","loc":["body","Digits"],"msg":"Field required","""
        """"input":null}]}'; hint: FastAPI could not bind the endpoint's parameters (422): a """
        "Form(...) parameter has no Twilio parameter of that name, or python-multipart is not "
        f"installed; the detail above names the field; this request has no Digits{ERRORS}"
    )


def test_a_fastapi_422_for_an_empty_digits_says_fastapi_takes_it_as_missing() -> None:
    # a FastAPI menu whose <Gather actionOnEmptyResult="true"> got no key: Twilio sends
    # Digits= and FastAPI answers 422 'Field required' for a Form(...) given an empty
    # value; the hint said the field had no Twilio parameter of that name
    app = FastAPI()

    @app.post("/voice")
    async def voice() -> FastAPIResponse:
        menu = '<Response><Gather actionOnEmptyResult="true" action="/menu"/></Response>'
        return FastAPIResponse(menu, media_type="text/xml")

    @app.post("/menu")
    async def menu(
        Digits: str = Form(),  # noqa: N803 - Twilio's names
        CallerName: str = Form(),  # noqa: N803
    ) -> FastAPIResponse:
        return FastAPIResponse("<Response/>", media_type="text/xml")

    failure = incoming_failure_of(app)
    assert str(failure).split("the detail above names the field")[1] == (
        "; Digits was sent empty (Digits=), which FastAPI takes as missing: give it a "
        "default (Form('')); this request has no CallerName (sent when the called number "
        "has caller ID lookup on: sim.number(n, voice_caller_id_lookup=True))"
        f"{ERRORS}"
    )


def test_a_django_rest_framework_403_for_no_credentials_names_the_permission_classes() -> None:
    """Django REST framework's answer when its permission classes need a user: the
    signature hint would send the developer the wrong way."""

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        start_response("403 Forbidden", [("Content-Type", "application/json"), ("Vary", "Accept")])
        return [b'{"detail":"Authentication credentials were not provided."}']

    message, _ = failure_of(app)
    assert message == (
        f"{APP_URL}/voice: the app answered HTTP 403 to POST; its body: "
        """'{"detail":"Authentication credentials were not provided."}'; hint: Django REST """
        "framework refused the webhook: the view's permission classes (the "
        "DEFAULT_PERMISSION_CLASSES setting unless the view sets its own) need an "
        "authenticated user, and Twilio sends no credentials; give the webhook view "
        f"permission_classes = [AllowAny] and check X-Twilio-Signature instead{ERRORS}"
    )


def test_a_flask_view_reading_request_json_says_twilio_sends_a_form() -> None:
    app = Flask("voice")

    @app.post("/voice")
    def voice() -> str:
        return f"<Response><Say>{request.json}</Say></Response>"

    message, _ = failure_of(app)
    assert message == (
        f'{APP_URL}/voice: the app answered HTTP 415 to POST; its body: "415 Unsupported Media '
        "Type Unsupported Media Type Did not attempt to load JSON data because the request "
        "Content-Type was not 'application/json'.\"; hint: Flask's request.json (get_json) "
        "refuses a body that is not JSON: Twilio sends its parameters form-encoded "
        "(application/x-www-form-urlencoded); read them from request.form or "
        f"request.values{ERRORS}"
    )


def test_an_app_decoding_the_body_as_json_says_twilio_sends_a_form() -> None:
    app = FastAPI()

    @app.post("/voice")
    async def voice(request: Request) -> FastAPIResponse:
        event = await request.json()
        return FastAPIResponse(f"<Response><Say>{event}</Say></Response>", media_type="text/xml")

    message, raised = failure_of(app)
    assert message == (
        f"{APP_URL}/voice: the app answered HTTP 500 to POST; it raised JSONDecodeError: "
        "Expecting value: line 1 column 1 (char 0); its body: 'Internal Server Error'; hint: "
        "the app read the body as JSON (request.json(), json.loads(body)): Twilio sends its "
        "parameters form-encoded (application/x-www-form-urlencoded); read them as a form "
        f"(await request.form(), Form(...) parameters, request.POST){ERRORS}"
    )
    assert isinstance(raised.__cause__, json.JSONDecodeError)


class StatusReport(BaseModel):
    CallSid: str  # noqa: N815 - Twilio's name
    CallStatus: str  # noqa: N815


def test_a_fastapi_422_for_a_model_read_as_json_says_twilio_sends_a_form() -> None:
    """A status endpoint taking a pydantic model reads a JSON body: Twilio's form-encoded
    callback cannot bind, whatever its parameters."""
    app = FastAPI()

    @app.post("/voice")
    async def voice() -> FastAPIResponse:
        return FastAPIResponse("<Response><Say>Hi</Say></Response>", media_type="text/xml")

    @app.post("/status")
    async def status(report: StatusReport) -> dict[str, str]:
        return {"received": report.CallStatus}

    with Simulator(strict=False) as sim:
        sim.route(APP_URL, app)
        sim.number(CALLER_ID)
        client = sim.client()
        client.calls.create(
            to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice", status_callback=f"{APP_URL}/status"
        )
        sim.run()
    (failure,) = sim.failures
    assert (failure.code, failure.url) == (15003, f"{APP_URL}/status")
    assert failure.message.endswith(
        "...'; hint: FastAPI could not read the body as the endpoint's model (422): a "
        "pydantic model (or dict) parameter takes a JSON body, and Twilio sends its parameters "
        "form-encoded; read them with Form(...) parameters (or the model as "
        "Annotated[Model, Form()], FastAPI 0.113 and later) or await request.form(); twimlsim "
        "went on, as Twilio does: this webhook's answer cannot change the call. Answer 204, "
        "or 200 with an empty <Response/>"
    )


@pytest.mark.parametrize(
    ("path", "method", "expected"),
    [
        (
            "/nowhere",
            "POST",
            "the app answered HTTP 404 to POST; its body: '404 Not Found Not Found The "
            "requested URL was not found on the server. If you entered the URL manually please "
            "check your spelling and try again.'; hint: the app has no route for this path: "
            "check the URL against the app's routes; the app's routes that take POST: /voice",
        ),
        (
            "/true",
            "POST",
            "the app answered HTTP 404 to POST; its body: '404 Not Found Not Found The "
            "requested URL was not found on the server. If you entered the URL manually please "
            "check your spelling and try again.'; hint: the app has no route for this path, "
            "which ends with 'true': an attribute that takes a URL (partialResultCallback, "
            "statusCallback, action...) was given 'true', which Twilio resolves as a URL "
            "relative to the document's; give it the URL of the app's route; the app's routes "
            "that take POST: /voice",
        ),
        (
            "/v/www.myexample.com/recordings",
            "POST",
            "the app answered HTTP 404 to POST; its body: '404 Not Found Not Found The "
            "requested URL was not found on the server. If you entered the URL manually please "
            "check your spelling and try again.'; hint: the app has no route for this path, "
            "whose segment 'www.myexample.com' looks like a host name: a URL written without "
            "its scheme is relative, and Twilio resolves it against the document's URL; write "
            "it with its scheme, https://www.myexample.com/recordings, or give the path of the "
            "app's route; the app's routes that take POST: /voice",
        ),
        (
            "/handleLeaveConference.php",
            "POST",
            "the app answered HTTP 404 to POST; its body: '404 Not Found Not Found The "
            "requested URL was not found on the server. If you entered the URL manually please "
            "check your spelling and try again.'; hint: the app has no route for this path: "
            "check the URL against the app's routes; the app's routes that take POST: /voice",
        ),
        (
            "/voice/",
            "POST",
            "the app answered HTTP 404 to POST; its body: '404 Not Found Not Found The "
            "requested URL was not found on the server. If you entered the URL manually please "
            "check your spelling and try again.'; hint: the app has no route for this path, and "
            "it ends with a slash: /voice/ and /voice are different routes to Flask and many "
            "other routers; write the URL as the app's route is written; the app's routes that "
            "take POST: /voice",
        ),
        (
            "/voice",
            "GET",
            "the app answered HTTP 405 to GET; its body: '405 Method Not Allowed Method Not "
            "Allowed The method is not allowed for the requested URL.'; hint: the app does not "
            "accept GET at this URL: allow GET on the route, or configure the webhook's method "
            "to match it",
        ),
    ],
)
def test_wrong_paths_and_methods_get_a_hint(path: str, method: str, expected: str) -> None:
    app = Flask("voice")
    app.post("/voice")(lambda: "<Response/>")
    message, _ = failure_of(app, path, method)
    assert message.startswith(f"{APP_URL}{path}")  # a GET carries the call's parameters
    assert message.endswith(f": {expected}{ERRORS}")


@pytest.mark.parametrize(
    "path", ["/v1.0/voice", "/api/status.json", "/assets/app.js", "/calls/CA123.xml"]
)
def test_a_dotted_segment_that_is_no_host_name_gets_the_plain_404_hint(path: str) -> None:
    app = Flask("voice")
    app.post("/voice")(lambda: "<Response/>")
    message, _ = failure_of(app, path, "POST")
    assert message.endswith(
        "; hint: the app has no route for this path: check the URL against the app's routes; "
        f"the app's routes that take POST: /voice{ERRORS}"
    )


def test_a_post_redirected_to_add_a_slash_names_the_redirect_not_the_method() -> None:
    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        if environ["PATH_INFO"] == "/voice":  # Django's APPEND_SLASH, without DEBUG
            start_response("301 Moved Permanently", [("Location", "/voice/")])
        else:  # a view decorated with @require_POST
            start_response("405 Method Not Allowed", [("Allow", "POST")])
        return [b""]

    message, _ = failure_of(app)
    assert message == (
        f"{APP_URL}/voice/: the app answered HTTP 405 to GET; it was redirected there: POST "
        f"{APP_URL}/voice answered 301 (Twilio follows a 301, 302 or 303 with a GET, the "
        "call's parameters in its query string); the redirect only added a trailing slash, as "
        "Django's APPEND_SLASH does: write the webhook URL with the slash; its body is empty"
        f"{ERRORS}"
    )


def test_a_403_points_at_the_apps_signature_check() -> None:
    app = signature_checking_app(lambda: "not-the-simulators-token", refusal="bad signature")
    message, _ = failure_of(app)
    assert message == (
        f"{APP_URL}/voice: the app answered HTTP 403 to POST; its body: 'bad signature'; hint: "
        "a 403 is most often the app's own X-Twilio-Signature check failing: give the app the "
        "simulator's auth token (sim.auth_token) and validate the URL as requested (this one, "
        f"scheme and all); twimlsim signs every webhook as Twilio does{BLANK_VALUES_SIGNED}. "
        "A token the app read once, at import (django-twilio's @twilio_view does), stays the "
        "one it read first, whatever settings a later test gives: patch it where the app keeps it "
        "(monkeypatch.setattr('django_twilio.decorators.TWILIO_AUTH_TOKEN', sim.auth_token))"
        f"{ERRORS}"
    )


def test_a_403_of_an_app_routed_behind_a_proxy_names_x_forwarded_proto_and_the_fix_holds() -> None:
    token: list[str] = []

    def app_validating(proxy_fix: bool) -> Flask:
        app = signature_checking_app(lambda: token[0])
        if proxy_fix:
            app.wsgi_app = ProxyFix(app.wsgi_app, x_proto=1)  # type: ignore[method-assign]
        return app

    with Simulator() as sim:
        token.append(sim.auth_token)
        sim.route(APP_URL, app_validating(proxy_fix=False), behind_proxy=True)
        (failure,) = run_to_failure(sim, f"{APP_URL}/voice").failures
        assert failure.message.split("as Twilio does. ")[1].split(". A token")[0] == (
            "It is routed behind a proxy (behind_proxy=True): it got the webhook over plain "
            "HTTP with the public Host and X-Forwarded-Proto: https, as behind a load balancer "
            "or ngrok; a check that rebuilds the URL from the request's own scheme checks "
            "http:// and fails there too: have it read X-Forwarded-Proto (Flask: app.wsgi_app "
            "= ProxyFix(app.wsgi_app, x_proto=1), werkzeug's; Django: SECURE_PROXY_SSL_HEADER = "
            "('HTTP_X_FORWARDED_PROTO', 'https'); an ASGI app: uvicorn's "
            "ProxyHeadersMiddleware(app, trusted_hosts='*'), --proxy-headers "
            "--forwarded-allow-ips '*') or validate the public URL itself"
            f"{BLANK_VALUES_SIGNED}"
        )
        # the advice holds
        sim.route(APP_URL, app_validating(proxy_fix=True), behind_proxy=True)
        sid = sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice").sid
        sim.run()
        assert sim.calls[sid].said == ["Hi"]


def test_a_403_of_an_app_configured_with_an_api_key_says_a_keys_secret_signs_no_webhook() -> None:
    """Twilio recommends API keys for the REST API, and an app configured with a key and
    no auth token validates webhooks with the key's secret: that fails on Twilio too."""
    secret: list[str] = []
    app = signature_checking_app(lambda: secret[0])
    with Simulator() as sim:
        key = sim.api_key()
        secret.append(key.secret)
        sim.route(APP_URL, app)
        sim.number(CALLER_ID)
        client = Client(key.sid, key.secret, sim.account_sid)
        client.calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice")
        with pytest.raises(SimulationError) as raised:
            sim.run()
    (failure,) = raised.value.failures
    assert failure.message.split("sim.auth_token)); ")[1] == (
        f"the account has API key {key.sid}, whose secret authenticates REST requests but "
        "signs no webhook: Twilio signs them with the account's auth token (sim.auth_token) "
        "whatever credentials placed the call, so an app that validates with the key's "
        "secret fails there too; twimlsim then played Twilio's application-error message and "
        "hung up, as Twilio does"
    )


def test_a_signature_check_given_no_token_says_to_set_it() -> None:
    settings: dict[str, str | None] = {"TWILIO_AUTH_TOKEN": None}  # unset in the test
    message, _ = failure_of(signature_checking_app(lambda: settings["TWILIO_AUTH_TOKEN"]))
    assert message.split("; hint: ")[1] == (
        "the app's X-Twilio-Signature check (twilio's RequestValidator) was given no auth token "
        "(None): the setting or environment variable the app reads it from (TWILIO_AUTH_TOKEN, "
        "say) is unset; set it to the simulator's auth token (sim.auth_token)"
        f"{ERRORS}"
    )


def test_a_403_to_a_get_says_a_get_is_signed_over_its_url_alone() -> None:
    """django-twilio's @twilio_view validates a GET with request.GET as the parameters: on
    Twilio that 403s every GET webhook (its issue #83), and so it does here."""

    def app_validating(params_of: Any) -> Flask:
        return signature_checking_app(lambda: sim_token[0], method="GET", params=params_of)

    sim_token: list[str] = []
    with Simulator() as sim:
        sim_token.append(sim.auth_token)
        sim.route(APP_URL, app_validating(lambda request: request.args))
        (failure,) = run_to_failure(sim, f"{APP_URL}/voice", "GET").failures
        assert failure.message.split("; hint: ")[1].split(". A token")[0] == (
            "a 403 is most often the app's own X-Twilio-Signature check failing: give the app "
            "the simulator's auth token (sim.auth_token) and validate the URL as requested "
            "(this one, scheme and all); twimlsim signs every webhook as Twilio does. Twilio "
            "signs a GET over its URL alone, the query string it added included: a check that "
            "also passes the query's parameters to RequestValidator.validate (django-twilio's "
            "@twilio_view passes request.GET) fails on Twilio as here; validate a GET with no "
            "parameters ({}), or configure the webhook with POST"
        )
        # the advice holds: the same check with no parameters lets the GET in
        sim.route(APP_URL, app_validating(lambda request: {}))
        sid = (
            sim.client()
            .calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice", method="GET")
            .sid
        )
        sim.run()
        assert sim.calls[sid].said == ["Hi"]


def test_a_403_to_a_url_whose_escapes_flask_decodes_names_them_and_the_query_as_sent() -> None:
    """Flask's request.url gives %2F and UTF-8 escapes of the query decoded: a check
    validating it refuses a URL Twilio signed with them, on Twilio too; the query as sent
    passes."""
    sim_token: list[str] = []
    url = f"{APP_URL}/voice?team=sales%2Fsupport&city=S%C3%A3o%20Paulo"
    with Simulator() as sim:
        sim_token.append(sim.auth_token)
        sim.route(APP_URL, signature_checking_app(lambda: sim_token[0]))
        (failure,) = run_to_failure(sim, url).failures
        assert failure.message.split("; hint: ")[1].split(". A token")[0] == (
            "a 403 is most often the app's own X-Twilio-Signature check failing: give the app "
            "the simulator's auth token (sim.auth_token) and validate the URL as requested "
            "(this one, scheme and all); twimlsim signs every webhook as Twilio does. This "
            "URL's query has escapes (%2F, %A3, %C3) that Flask's request.url (werkzeug's) "
            "gives decoded, so a check validating request.url checks another URL than the one "
            "Twilio signed, and fails on Twilio too: validate request.base_url + '?' + "
            f"request.query_string.decode() (the query as sent){BLANK_VALUES_SIGNED}"
        )
        app = Flask("voice")

        @app.post("/voice")
        def voice() -> tuple[str, int]:
            as_sent = f"{request.base_url}?{request.query_string.decode()}"
            signature = request.headers.get("X-Twilio-Signature", "")
            if not RequestValidator(sim_token[0]).validate(as_sent, request.form, signature):
                return "", 403
            return "<Response><Say>Hi</Say></Response>", 200

        sim.route(APP_URL, app)
        sid = sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=url).sid
        sim.run()
        assert sim.calls[sid].said == ["Hi"]


def test_a_404_of_a_url_written_from_the_root_under_a_blueprint_prefix_says_so() -> None:
    """A FastAPI router's or Flask blueprint's prefix left out of an action written with a
    leading slash: Twilio resolves it from the host's root, so the app has no such route."""
    voice = Blueprint("voice", "voice", url_prefix="/api")
    voice.add_url_rule(
        "/voice/incoming",
        "incoming",
        lambda: '<Response><Gather action="/voice/menu" numDigits="1"/></Response>',
        methods=["POST"],
    )
    voice.add_url_rule("/voice/menu", "menu", lambda: "<Response/>", methods=["POST"])
    app = Flask("voice")
    app.register_blueprint(voice)
    with Simulator() as sim:
        sim.route(APP_URL, app)
        sim.phone(CALLEE).presses("1")
        (failure,) = run_to_failure(sim, f"{APP_URL}/api/voice/incoming").failures
    assert failure.url == f"{APP_URL}/voice/menu"
    assert failure.message.split("; hint: ")[1] == (
        "the app has no route for this path: check the URL against the app's routes; the "
        "app's routes that take POST: /api/voice/incoming, /api/voice/menu; the "
        "TwiML wrote '/voice/menu', which starts with '/': Twilio resolves it from the host's "
        "root, not below the path of the document that wrote it (/api/voice/incoming); the "
        "app's routes look mounted under /api (a router's or blueprint's prefix): write "
        "'/api/voice/menu', or 'menu' relative to the document; twimlsim then played "
        "Twilio's application-error message and hung up, as Twilio does"
    )


@pytest.mark.parametrize(
    ("written", "document", "hint"),
    [
        ("/menu", "https://a.test/voice", None),  # at the root both resolve alike
        ("/ivr/menu", "https://a.test/ivr/start", None),  # the same top path
        ("menu", "https://a.test/api/start", None),  # relative
        ("//b.test/menu", "https://a.test/api/start", None),  # another host
        (
            "/menu",
            "https://a.test/api/start",
            "the TwiML wrote '/menu', which starts with '/': Twilio resolves it from the "
            "host's root, not below the path of the document that wrote it (/api/start); if "
            "the app's routes sit under a prefix, write the URL with it",
        ),
    ],
)
def test_the_root_relative_hint_speaks_only_of_a_url_written_from_the_root(
    written: str, document: str, hint: str | None
) -> None:
    assert root_relative_hint(written, document) == hint


def test_a_404_of_an_app_mounted_under_a_path_its_routes_repeat_says_so() -> None:
    app = Flask("voice")
    app.post("/ivr/voice")(lambda: "<Response/>")  # its own routes carry /ivr
    with Simulator() as sim:
        sim.route(f"{APP_URL}/ivr", app)
        (failure,) = run_to_failure(sim, f"{APP_URL}/ivr/voice").failures
    assert failure.message.split("; hint: ")[1] == (
        f"the app is routed at {APP_URL}/ivr, so it sees the path /voice (SCRIPT_NAME /ivr), "
        "as a mounted WSGI app does; if its own routes start with /ivr, route the host alone: "
        f"sim.route('{APP_URL}', app); twimlsim then played Twilio's application-error "
        "message and hung up, as Twilio does"
    )


def test_a_404_at_the_root_from_a_dot_relative_url_says_how_it_resolved() -> None:
    """Twilio's Forward Funlet writes action=".?Dial=true": from /forward that is /."""
    app = Flask("forward")
    app.post("/forward")(lambda: "<Response><Redirect>.?Dial=true</Redirect></Response>")
    message, _ = failure_of(app, "/forward")
    assert message == (
        f"{APP_URL}/?Dial=true in <Redirect> (line 1): the app answered HTTP 404 to POST; "
        "its body: '404 Not Found "
        "Not Found The requested URL was not found on the server. If you entered the URL "
        "manually please check your spelling and try again.'; hint: the app has no route for "
        "the root path /: a relative URL such as '.' or '.?Dial=true' resolves to the "
        "directory of the document that gave it (from /forward, '.' is /), as Twilio resolves "
        "relative URLs; give the route's own path, such as 'forward?Dial=true' or "
        "'/forward?Dial=true'; the app's routes that take POST: /forward"
        f"{ERRORS}"
    )


def test_a_failed_action_names_the_verb_that_gave_its_url_and_the_line() -> None:
    """The voice URL answered; the <Gather>'s action did not: the report says which of the
    document's verbs asked for the URL that failed."""
    app = Flask("gather")
    app.post("/voice")(
        lambda: (
            '<Response>\n<Gather action="/menu" numDigits="1"><Say>Press</Say></Gather>\n'
            "</Response>"
        )
    )
    with Simulator() as sim:
        sim.route(APP_URL, app)
        sim.phone(CALLEE).presses("1")
        (failure,) = run_to_failure(sim, f"{APP_URL}/voice").failures
    assert (failure.code, failure.url, failure.element, failure.line) == (
        11200,
        f"{APP_URL}/menu",
        "Gather",
        2,
    )
    assert str(failure).startswith(
        f"call {failure.call_sid}: Twilio error 11200 (HTTP retrieval failure) at "
        f"{APP_URL}/menu in <Gather> (line 2): the app answered HTTP 404 to POST; "
    )


def test_a_404_of_the_voice_url_at_the_root_says_no_route_without_relative_urls() -> None:
    """The voice URL is configured whole (on the call, on a number): no relative URL was
    resolved, so the '.' explanation would mislead."""
    app = Flask("voice")
    app.post("/voice")(lambda: "<Response/>")
    message, _ = failure_of(app, "/")
    assert message == (
        f"{APP_URL}/: the app answered HTTP 404 to POST; its body: '404 Not Found Not Found "
        "The requested URL was not found on the server. If you entered the URL manually "
        "please check your spelling and try again.'; hint: the app has no route for this "
        "path: check the URL against the app's routes; the app's routes that take POST: "
        f"/voice{ERRORS}"
    )


def test_a_404_of_a_path_with_an_empty_segment_names_the_base_urls_trailing_slash() -> None:
    """A PUBLIC_URL of 'https://app.test/' joined to '/voice': Starlette does not match
    //voice (werkzeug does, so a Flask app answers it)."""
    app = FastAPI()
    app.post("/voice")(lambda: FastAPIResponse("<Response/>", media_type="text/xml"))
    message, _ = failure_of(app, "//voice")
    assert message == (
        f"{APP_URL}//voice: the app answered HTTP 404 to POST; its body: "
        '\'{"detail":"Not Found"}\'; hint: the app has no route for this path, which has '
        "an empty segment (//): //voice is what a base URL ending in '/' joined to a path "
        "starting with '/' makes; Twilio requests the URL as written, and a router such as "
        "Starlette's (FastAPI's) does not match it: strip the trailing slash from the base "
        "URL the app builds its webhook URLs from; the app's routes that take POST: /voice"
        f"{ERRORS}"
    )


def test_a_sqlite_lock_in_a_django_view_says_the_webhook_had_another_connection() -> None:
    """Django's ASGI handler runs a TestCase's webhooks on a connection of its own: SQLite
    refuses the rows the test's open transaction wrote (a Flask app stands in here: it
    logs the exception behind its 500 as Django does)."""
    from django.db.utils import OperationalError

    app = Flask(__name__)

    @app.post("/voice")
    def voice() -> str:
        raise OperationalError("database table is locked: calls_calllog")

    message, raised = failure_of(app)
    assert message == (
        f"{APP_URL}/voice: the app answered HTTP 500 to POST; it raised OperationalError: "
        "database table is locked: calls_calllog; its body: '500 Internal Server Error Internal "
        "Server Error The server encountered an internal error and was unable to complete "
        "your request. Either the server is overloaded or there is an error in the "
        "application.'; hint: the webhook's database connection is not the test's, and "
        "SQLite locked a table the test's transaction wrote to: Django's ASGI handler "
        "(get_asgi_application()) runs the views in a thread of its own, with a connection "
        "of its own, outside a TestCase's (or django_db's) transaction; route "
        "get_wsgi_application() instead (the same URLs and views: Django runs async views "
        f"under WSGI too){ERRORS}"
    )
    assert isinstance(raised.__cause__, OperationalError)

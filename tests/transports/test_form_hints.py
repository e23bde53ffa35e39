"""A webhook whose app read another form than Twilio sent says so: a form parsed without
its empty values (the signature check fails), a form a middleware read first (empty in
the endpoint)."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import parse_qsl

from fastapi import FastAPI, Form
from fastapi.responses import Response as FastAPIResponse
from flask import Flask
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.support import APP_URL, BLANK_VALUES_SIGNED, CALLEE, CALLER_ID
from tests.transports.test_app_errors import run_to_failure, signature_checking_app
from twimlsim import Simulator

#: The hint for an endpoint whose form lacked the caller's number, which the request carried.
FORM_READ_BEFORE = (
    f"the app found no 'From' in its form, yet the request carries From='{CALLER_ID}': the "
    "form the endpoint read lacked it, as when a middleware read the body first: a "
    "Starlette BaseHTTPMiddleware (FastAPI's @app.middleware('http')) that awaits "
    "request.form() leaves the endpoint no form, on Twilio too; read await request.body() "
    "there instead (the endpoint still gets its form), or check the request in the "
    "endpoint or a dependency"
)


def test_a_403_of_a_check_given_the_form_without_its_empty_values_names_them() -> None:
    """BlackSheep's request.form() (urllib's parse_qsl) drops parameters with empty values,
    such as the geo keys of a number with no known place; Twilio signs them, so a check
    given that form fails on Twilio as here."""

    def app_validating(keep_blank_values: bool) -> Flask:
        def parsed(request: Any) -> dict[str, str]:
            return dict(parse_qsl(request.get_data(as_text=True), keep_blank_values))

        return signature_checking_app(lambda: sim_token[0], params=parsed)

    sim_token: list[str] = []
    with Simulator() as sim:
        sim_token.append(sim.auth_token)
        sim.route(APP_URL, app_validating(keep_blank_values=False))
        (failure,) = run_to_failure(sim, f"{APP_URL}/voice").failures
        assert (
            failure.message.split("as Twilio does; ")[1].split(". A token")[0]
            == (BLANK_VALUES_SIGNED[2:])
        )
        # the advice holds: the same check given every parameter lets the call in
        sim.route(APP_URL, app_validating(keep_blank_values=True))
        sid = sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice").sid
        sim.run()
        assert sim.calls[sid].said == ["Hi"]


def test_a_403_of_a_request_with_no_empty_value_leaves_the_note_out() -> None:
    with Simulator() as sim:
        sim.route(APP_URL, signature_checking_app(lambda: "not-the-simulators-token"))
        for number in (CALLER_ID, CALLEE):
            sim.phone(number).located(city="OAKLAND", state="CA", zip="94612")
        (failure,) = run_to_failure(sim, f"{APP_URL}/voice").failures
    assert failure.message.split("; hint: ")[1].split(". A token")[0] == (
        "a 403 is most often the app's own X-Twilio-Signature check failing: give the app the "
        "simulator's auth token (sim.auth_token) and validate the URL as requested (this one, "
        "scheme and all); twimlsim signs every webhook as Twilio does"
    )


def starlette_app(middleware_reads_form: bool) -> Starlette:
    """A Starlette voice app greeting the caller by number, behind a middleware that reads
    the form (or the raw body) before the endpoint does, as a signature check would."""

    class ReadsTheBody(BaseHTTPMiddleware):
        async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Any:
            if middleware_reads_form:
                await request.form()
            else:
                await request.body()
            return await call_next(request)

    async def voice(request: Request) -> Response:
        caller = (await request.form())["From"]
        return Response(f"<Response><Say>Hi {caller}</Say></Response>", media_type="text/xml")

    return Starlette(
        routes=[Route("/voice", voice, methods=["POST"])], middleware=[Middleware(ReadsTheBody)]
    )


def fastapi_app(middleware_reads_form: bool) -> FastAPI:
    """The same app in FastAPI, the caller's number a Form(...) parameter."""
    app = FastAPI()

    @app.middleware("http")
    async def reads_the_body(request: Request, call_next: RequestResponseEndpoint) -> Any:
        if middleware_reads_form:
            await request.form()
        else:
            await request.body()
        return await call_next(request)

    @app.post("/voice")
    async def voice(From: Annotated[str, Form()]) -> FastAPIResponse:  # noqa: N803
        return FastAPIResponse(f"<Response><Say>Hi {From}</Say></Response>", media_type="text/xml")

    return app


def incoming_call_to(app: Any) -> tuple[Simulator, str]:
    """A simulator with ``app`` answering CALLEE's number, called from CALLER_ID."""
    sim = Simulator(strict=False).start()
    sim.route(APP_URL, app)
    sim.number(CALLEE, voice_url=f"{APP_URL}/voice")
    sid = sim.incoming_call(from_=CALLER_ID, to=CALLEE).sid
    sim.run()
    return sim, sid


def test_a_keyerror_for_a_parameter_the_request_carries_says_a_middleware_read_the_form() -> None:
    sim, _ = incoming_call_to(starlette_app(middleware_reads_form=True))
    sim.stop()
    (failure,) = sim.failures
    assert failure.message.split("; hint: ")[1] == (
        f"{FORM_READ_BEFORE}; twimlsim then played Twilio's application-error message and hung "
        "up, as Twilio does"
    )
    # the advice holds: a middleware that reads the raw body leaves the endpoint its form
    sim, sid = incoming_call_to(starlette_app(middleware_reads_form=False))
    sim.stop()
    assert (sim.failures, sim.calls[sid].said) == ([], [f"Hi {CALLER_ID}"])


def test_fastapis_422_for_a_form_field_the_request_carries_says_a_middleware_read_the_form() -> (
    None
):
    sim, _ = incoming_call_to(fastapi_app(middleware_reads_form=True))
    sim.stop()
    (failure,) = sim.failures
    assert failure.message == (
        'the app answered HTTP 422 to POST; its body: \'{"detail":[{"type":"missing",'
        '"loc":["body","From"],"msg":"Field required","input":null}]}\'; hint: '
        f"{FORM_READ_BEFORE}; twimlsim then played Twilio's application-error message and hung "
        "up, as Twilio does"
    )
    sim, sid = incoming_call_to(fastapi_app(middleware_reads_form=False))
    sim.stop()
    assert (sim.failures, sim.calls[sid].said) == ([], [f"Hi {CALLER_ID}"])


def test_a_keyerror_of_the_apps_own_table_keeps_its_own_message() -> None:
    """The request carries From, but the KeyError came from the app's own dict, not its
    form: nothing says the form lacked it."""
    app = Flask("voice")
    agents: dict[str, str] = {}

    @app.post("/voice")
    def voice() -> str:
        return agents["From"]

    sim, _ = incoming_call_to(app)
    sim.stop()
    (failure,) = sim.failures
    assert failure.message == (
        "the app answered HTTP 500 to POST; it raised KeyError: 'From'; its body: '500 "
        "Internal Server Error Internal Server Error The server encountered an internal error "
        "and was unable to complete your request. Either the server is overloaded or there is "
        "an error in the application.'; twimlsim then played Twilio's application-error "
        "message and hung up, as Twilio does"
    )

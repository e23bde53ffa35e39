"""FastAPI's 422s of a form the endpoint declares otherwise than Twilio sends it: a form model
that forbids extra fields (FastAPI's docs' "Forbid Extra Form Fields") refuses every
webhook with extra_forbidden, and a Form(...) parameter typed int refuses Digits='*'; each
hint says why."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, FastAPI, Form
from fastapi.responses import Response as FastAPIResponse
from pydantic import BaseModel, ConfigDict

from tests.support import APP_URL, CALLEE, CALLER_ID
from tests.transports.test_app_errors import ERRORS, failure_of
from twimlsim import Simulator


class Forbidding(BaseModel):
    model_config = ConfigDict(extra="forbid")
    CallSid: str
    From: str


class Ignoring(BaseModel):
    CallSid: str
    From: str


def test_a_form_model_forbidding_extra_fields_is_named() -> None:
    app = FastAPI()

    @app.post("/voice")
    async def voice(form: Annotated[Forbidding, Form()]) -> FastAPIResponse:
        return FastAPIResponse("<Response/>", media_type="text/xml")

    message, _ = failure_of(app)
    body, hint = message.split("; hint: ")
    assert body.startswith(
        f"{APP_URL}/voice: the app answered HTTP 422 to POST; its body: "
        """'{"detail":[{"type":"extra_forbidden","loc":["body","Called"],"""
    )
    assert hint == (
        "FastAPI refused the form (422 extra_forbidden): the endpoint reads it as a form "
        "model that forbids extra fields (model_config = {'extra': 'forbid'}, read as "
        "Annotated[Model, Form()]), and Twilio sends parameters the model does not name "
        "(AccountSid, ApiVersion, CallStatus and 20 more), more on some calls and new ones "
        f"over time; let the model ignore them (pydantic's default, extra='ignore'){ERRORS}"
    )


def test_the_model_ignoring_extra_fields_reads_the_webhook() -> None:
    app = FastAPI()

    @app.post("/voice")
    async def voice(form: Annotated[Ignoring, Form()]) -> FastAPIResponse:
        return FastAPIResponse(
            f"<Response><Say>{form.From}</Say></Response>", media_type="text/xml"
        )

    with Simulator() as sim:
        sim.route(APP_URL, app)
        sim.number(CALLER_ID)
        sid = sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice").sid
        sim.run()
        assert sim.calls[sid].said == [CALLER_ID]


def test_a_form_parameter_whose_type_refuses_twilios_text_is_named() -> None:
    app = FastAPI()

    @app.post("/voice")
    async def voice() -> FastAPIResponse:
        gather = '<Response><Gather numDigits="1" action="/menu"/></Response>'
        return FastAPIResponse(gather, media_type="text/xml")

    @app.post("/menu")
    async def menu(Digits: Annotated[int, Form()]) -> FastAPIResponse:  # noqa: N803
        return FastAPIResponse(f"<Response><Say>{Digits}</Say></Response>", media_type="text/xml")

    with Simulator(strict=False) as sim:
        sim.route(APP_URL, app)
        sim.number(CALLER_ID)
        sim.phone(CALLEE).presses("*")
        sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice")
        sim.run()
    (failure,) = sim.failures
    assert failure.message.split("; hint: ")[1] == (
        "FastAPI could not read Digits='*' (Input should be a valid integer, unable to parse "
        "string as an integer) as the type its Form(...) parameter declares (422): Twilio "
        "sends every parameter as text, and some hold what such a type refuses (Digits may be "
        "'*', '#' or empty, SpeechResult any words); declare the parameter str and convert in "
        "the endpoint what it needs; twimlsim then played Twilio's application-error message "
        "and hung up, as Twilio does"
    )


#: Django Ninja's 422 bodies (django-ninja 1.7) for Form[int] Digits given '*', then with a
#: Form[str] CallerName beside it, which the request lacks.
NINJA_TYPE = (
    '{"detail": [{"type": "int_parsing", "loc": ["form", "Digits"], "msg": "Input should be '
    'a valid integer, unable to parse string as an integer"}]}'
)
NINJA_MISSING = NINJA_TYPE.removesuffix("]}") + (
    ', {"type": "missing", "loc": ["form", "CallerName"], "msg": "Field required"}]}'
)


def ninja_like(body: str) -> Any:
    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        start_response("422 Unprocessable Entity", [("Content-Type", "application/json")])
        return [body.encode()]

    return app


def test_django_ninjas_422_is_named_as_ninjas() -> None:
    message, _ = failure_of(ninja_like(NINJA_TYPE))
    assert message.split("; hint: ")[1] == (
        "Django Ninja could not read Digits (Input should be a valid integer, unable to parse "
        "string as an integer) as the type its Form[...] parameter declares (422): Twilio "
        "sends every parameter as text, and some hold what such a type refuses (Digits may be "
        "'*', '#' or empty, SpeechResult any words); declare the parameter str and convert in "
        f"the endpoint what it needs{ERRORS}"
    )
    message, _ = failure_of(ninja_like(NINJA_MISSING))
    assert message.split("; hint: ")[1] == (
        "Django Ninja could not bind the operation's parameters (422): a Form[...] parameter "
        "has no Twilio parameter of that name; the detail above names the field; this request "
        f"has no CallerName{ERRORS}"
    )


def get_client() -> Any:
    raise NotImplementedError("overridden in the test")


def test_a_bound_method_given_as_a_dependency_override_says_to_use_a_lambda() -> None:
    app = FastAPI()

    @app.post("/voice")
    async def voice(client: Annotated[Any, Depends(get_client)]) -> FastAPIResponse:
        return FastAPIResponse("<Response/>", media_type="text/xml")

    with Simulator(strict=False) as sim:
        app.dependency_overrides[get_client] = sim.client  # as the README says not to
        sim.route(APP_URL, app)
        sim.number(CALLER_ID)
        sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice")
        sim.run()
    (failure,) = sim.failures
    assert failure.message == (
        "the app answered HTTP 422 to POST; its body: "
        """'{"detail":[{"type":"missing","loc":["query","kwargs"],"msg":"Field required","""
        """"input":null}]}'; hint: FastAPI asks for a query parameter 'kwargs' (422): a """
        "dependency was given a function taking **kwargs, as "
        "app.dependency_overrides[get_client] = twimlsim.client is, and FastAPI reads its "
        "parameters as the request's; override with a lambda: lambda: twimlsim.client(); "
        "twimlsim then played Twilio's application-error message and hung up, as Twilio does"
    )

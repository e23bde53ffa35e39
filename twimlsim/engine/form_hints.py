"""Hints about the form an app read from a webhook: what it lacked that Twilio sent, or
why it refused the form outright (a 415).

Two ways an app reads another form than Twilio signed and sent: a parser that drops the
parameters with empty values (its signature check then fails), and a middleware that read
the body before the endpoint did (the endpoint's form is then empty, so a parameter the
request carries is missing: a ``KeyError``, or FastAPI's 422 for a ``Form(...)`` field).
"""

from __future__ import annotations

import json
import re
from typing import Any

from .webhooks import WebhookRequest, WebhookResponse

__all__ = [
    "blank_values_signed",
    "extra_fields_forbidden",
    "form_read_before_the_endpoint",
    "form_refused",
    "unconvertible_fields",
    "unprocessable_hint",
]


def blank_values_signed(request: WebhookRequest) -> str:
    """The 403 hint's addition for a POST that carries parameters with empty values (the
    geo keys of a number with no known place): Twilio signs them too, and a form parser
    that drops them (BlackSheep's ``request.form()``, Sanic's ``request.form``, urllib's
    ``parse_qsl`` without ``keep_blank_values=True``) hands the app's check a smaller form,
    whose signature differs on Twilio as here."""
    if request.method != "POST":
        return ""
    blank = sorted(name for name, value in request.params.items() if not value)
    if not blank:
        return ""
    named = ", ".join(blank[:3]) + (f" and {len(blank) - 3} more" if len(blank) > 3 else "")
    return (
        f"; the request also carries parameters with empty values ({named}), which "
        "Twilio signs too: a check given the form parsed without them (BlackSheep's "
        "request.form(), Sanic's request.form, urllib's parse_qsl without "
        "keep_blank_values=True; Sanic's request.get_form(keep_blank_values=True) keeps "
        "them) fails on Twilio as here"
    )


#: What the hint says once it has found a parameter the endpoint's form lacked.
_READ_BEFORE = (
    ": the form the endpoint read lacked it, as when a middleware read the body first: "
    "a Starlette BaseHTTPMiddleware (FastAPI's @app.middleware('http')) that awaits "
    "request.form() leaves the endpoint no form, on Twilio too; read await request.body() "
    "there instead (the endpoint still gets its form), or check the request in the "
    "endpoint or a dependency"
)


def form_read_before_the_endpoint(
    response: WebhookResponse, request: WebhookRequest | None
) -> str | None:
    """The hint for an app that failed on a parameter missing from its form although the
    POST carried it (a ``KeyError`` of its name raised by the form, or FastAPI's 422
    "missing" for the ``Form(...)`` field); None for any other failure."""
    if request is None or request.method != "POST":
        return None
    params = request.params
    missing = _missing_form_fields(response) if response.status == 422 else []
    error = response.app_error
    if not missing and isinstance(error, KeyError) and error.args and _from_a_form(error):
        missing = [error.args[0]]
    names = [name for name in missing if isinstance(name, str) and name in params]
    if not names or len(names) != len(missing):
        return None
    named = ", ".join(f"{name}={params[name]!r}" for name in names[:3])
    return f"the app found no {names[0]!r} in its form, yet the request carries {named}" + (
        _READ_BEFORE
    )


#: Where a form's lookup raises the ``KeyError`` of a name it lacks: Starlette's
#: ``FormData`` (FastAPI's), Django's ``QueryDict`` (``MultiValueDictKeyError``), werkzeug's
#: ``MultiDict`` outside Flask (which answers 400).
_FORM_MODULES = ("/starlette/datastructures.py", "/django/utils/datastructures.py", "/werkzeug/")


def _from_a_form(error: KeyError) -> bool:
    """Whether ``error`` was raised by a form's lookup, not by the app's own dict (a
    ``KeyError('CallDuration')`` of a table of its own says nothing about the form)."""
    traceback = error.__traceback__
    while traceback is not None and traceback.tb_next is not None:
        traceback = traceback.tb_next
    if traceback is None:
        return False
    path = traceback.tb_frame.f_code.co_filename.replace("\\", "/")
    return any(module in path for module in _FORM_MODULES)


def extra_fields_forbidden(response: WebhookResponse) -> str | None:
    """The hint for FastAPI's 422 of a form model that forbids extra fields (``extra_forbidden``
    for Twilio's parameters the model does not name), or None for any other answer."""
    detail = _detail(response)
    if detail is None:
        return None
    names = [
        str(item["loc"][1])
        for item in detail
        if isinstance(item, dict)
        and item.get("type") == "extra_forbidden"
        and isinstance(item.get("loc"), list)
        and len(item["loc"]) == 2
        and item["loc"][0] == "body"
    ]
    if not names:
        return None
    names.sort()
    named = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    return (
        "FastAPI refused the form (422 extra_forbidden): the endpoint reads it as a form "
        "model that forbids extra fields (model_config = {'extra': 'forbid'}, read as "
        f"Annotated[Model, Form()]), and Twilio sends parameters the model does not name "
        f"({named}), more on some calls and new ones over time; let the model ignore them "
        "(pydantic's default, extra='ignore')"
    )


#: FastAPI's 422 types that are no conversion of a value sent: a field missing or unnamed.
_NOT_CONVERSIONS = ("missing", "extra_forbidden")

#: Django Ninja answers a 422 in FastAPI's shape, its form fields' ``loc`` starting "form".
_NINJA_FORM_LOC = re.compile(r'"loc":\s*\["form"')


def unprocessable_hint(response: WebhookResponse, request: WebhookRequest | None) -> str:
    """The hint for FastAPI's (or Django Ninja's) 422 of the webhook's form: a form model
    forbidding extra fields, a parameter whose type refused the text sent, or one the
    request does not carry."""
    fields = extra_fields_forbidden(response) or unconvertible_fields(response)
    if fields is not None:
        return fields
    body = response.text
    if '"loc":["query","kwargs"]' in body:
        return (
            "FastAPI asks for a query parameter 'kwargs' (422): a dependency was given a "
            "function taking **kwargs, as app.dependency_overrides[get_client] = "
            "twimlsim.client is, and FastAPI reads its parameters as the request's; "
            "override with a lambda: lambda: twimlsim.client()"
        )
    from .conditional_params import unbound_form_fields  # only such a 422 needs it

    if _NINJA_FORM_LOC.search(body):
        hint = (
            "Django Ninja could not bind the operation's parameters (422): a Form[...] "
            "parameter has no Twilio parameter of that name; the detail above names the field"
        )
    else:
        hint = (
            "FastAPI could not bind the endpoint's parameters (422): a Form(...) parameter "
            "has no Twilio parameter of that name, or python-multipart is not installed; "
            "the detail above names the field"
        )
    return hint + ("" if request is None else unbound_form_fields(body, request.params))


def unconvertible_fields(response: WebhookResponse) -> str | None:
    """The hint for FastAPI's 422 of ``Form(...)`` parameters whose type refused the text
    Twilio sent (``Digits: int`` given ``*``), or None for any other answer."""
    detail = _detail(response)
    if not detail:
        return None
    named: list[str] = []
    where = "body"
    for item in detail:
        if not isinstance(item, dict) or item.get("type") in _NOT_CONVERSIONS:
            return None
        loc = item.get("loc")
        if not isinstance(loc, list) or len(loc) != 2 or loc[0] not in ("body", "form"):
            return None
        sent = f"={item['input']!r}" if "input" in item else ""  # (Ninja's 422 has no input)
        named.append(f"{loc[1]}{sent} ({item.get('msg')})")
        where = loc[0]
    framework, parameter = ("FastAPI", "Form(...)")
    if where == "form":
        framework, parameter = ("Django Ninja", "Form[...]")
    return (
        f"{framework} could not read {', '.join(named[:3])} as the type its {parameter} "
        "parameter declares (422): Twilio sends every parameter as text, and some hold what "
        "such a type refuses (Digits may be '*', '#' or empty, SpeechResult any words); "
        "declare the parameter str and convert in the endpoint what it needs"
    )


def _detail(response: WebhookResponse) -> list[Any] | None:
    """The ``detail`` list of a FastAPI (or Django Ninja) 422's JSON body, or None."""
    try:
        detail = json.loads(response.text).get("detail")
    except (ValueError, AttributeError):
        return None
    return detail if isinstance(detail, list) else None


def _missing_form_fields(response: WebhookResponse) -> list[object]:
    """The body fields FastAPI's 422 says are missing (``"loc": ["body", name]``)."""
    missing: list[object] = []
    for item in _detail(response) or ():
        if not isinstance(item, dict) or item.get("type") != "missing":
            return []
        loc = item.get("loc")
        if not isinstance(loc, list) or len(loc) != 2 or loc[0] != "body":
            return []
        missing.append(loc[1])
    return missing


def form_refused(body: str) -> str:
    """The hint for a webhook the app answered 415 (Unsupported Media Type) with ``body``:
    it refused Twilio's form-encoded parameters, as the framework named by ``body`` does
    until told to take a form."""
    if "Did not attempt to load JSON data" in body:
        return (
            "Flask's request.json (get_json) refuses a body that is not JSON: Twilio sends its "
            "parameters form-encoded (application/x-www-form-urlencoded); read them from "
            "request.form or request.values"
        )
    # Fastify parses JSON and text only until @fastify/formbody is registered
    if "FST_ERR_CTP_INVALID_MEDIA_TYPE" in body:
        return (
            "Fastify answers 415 to a body type it has no parser for, and Twilio sends "
            "its parameters form-encoded (application/x-www-form-urlencoded): register "
            "@fastify/formbody (fastify.register(formbody)) before the routes"
        )
    # a Chalice route takes application/json alone unless its content_types say otherwise,
    # and answers any other type with this error, locally and behind API Gateway alike
    if '"UnsupportedMediaType"' in body and "application/x-www-form-urlencoded" in body:
        return (
            "a Chalice route takes only application/json unless it lists other content "
            "types, and Twilio sends its parameters form-encoded "
            "(application/x-www-form-urlencoded): give the webhook's @app.route "
            "content_types=['application/x-www-form-urlencoded'] and read the form from "
            "app.current_request.raw_body (urllib.parse.parse_qs)"
        )
    # Spring's @RequestBody and ASP.NET's [FromBody] refuse a form the same way
    return (
        "the app refused the request's Content-Type (415): Twilio sends its parameters "
        "form-encoded (application/x-www-form-urlencoded), so the webhook's handler must "
        "read a form, not a JSON body (Spring: @RequestParam rather than @RequestBody; "
        "ASP.NET: [FromForm] rather than [FromBody])"
    )

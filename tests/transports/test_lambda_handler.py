"""An AWS Lambda handler behind API Gateway, routed through the few lines of WSGI the
README describes, reads the GET webhooks' parameters from ``queryStringParameters``; one
behind a function URL (payload 2.0) routes on ``rawPath`` and decodes its base64 body."""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qsl

from werkzeug.wrappers import Request, Response

from twimlsim import Simulator
from twimlsim.engine.events import Played

GATEWAY = "https://abc123.execute-api.us-east-1.amazonaws.com"
ENTRY_NUMBER = "+15005550006"
VISITOR = "+15558675310"

Handler = Callable[[dict[str, Any], object], dict[str, Any]]


def behind_api_gateway(handler: Handler) -> Callable[..., Iterable[bytes]]:
    """A WSGI app that calls ``handler`` with API Gateway's proxy event."""

    def wsgi(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        event = {
            "httpMethod": request.method,
            "path": request.path,
            "queryStringParameters": dict(request.args) or None,
            "body": request.get_data(as_text=True) or None,
        }
        answer = handler(event, None)
        response = Response(answer["body"], answer["statusCode"], answer["headers"])
        return response(environ, start_response)

    return wsgi


def door_entry(event: dict[str, Any], context: object) -> dict[str, Any]:
    """Asks for a code with a GET Gather back to itself; the right code opens the door."""
    query = event["queryStringParameters"] or {}
    if "Digits" not in query:
        body = (
            '<Response><Gather method="GET" numDigits="4" timeout="5">'
            "<Say>Enter your code</Say></Gather><Say>No code, goodbye</Say></Response>"
        )
    elif query["Digits"] == "2468":
        body = '<Response><Say>Welcome</Say><Play digits="9w9"/></Response>'
    else:
        body = "<Response><Say>Wrong code</Say></Response>"
    return {"statusCode": 200, "headers": {"Content-Type": "text/xml"}, "body": body}


def test_a_lambda_handler_reads_the_gather_digits_from_its_query_string() -> None:
    with Simulator() as sim:
        sim.route(GATEWAY, behind_api_gateway(door_entry))
        sim.number(ENTRY_NUMBER, voice_url=f"{GATEWAY}/prod/door", voice_method="GET")
        sim.phone(VISITOR).presses("2468")
        call = sim.incoming_call(from_=VISITOR, to=ENTRY_NUMBER)
        sim.run()
    assert call.said == ["Enter your code", "Welcome"]
    assert [event.digits for event in call.transcript if isinstance(event, Played)] == ["9w9"]
    first, gathered = call.requests
    assert (first.method, first.url.split("?")[0], first.params.get("Digits")) == (
        "GET",
        f"{GATEWAY}/prod/door",
        None,
    )
    assert (gathered.kind, gathered.method, gathered.url.split("?")[0]) == (
        "gather",
        "GET",
        f"{GATEWAY}/prod/door",
    )
    assert (gathered.params["Digits"], gathered.params["FinishedOnKey"]) == ("2468", "")
    # in Twilio's order (a hash map's): msg first, Digits third
    query = gathered.url.split("?")[1]
    assert query.startswith("msg=Gather+End&Called=%2B15005550006&Digits=2468&")


def behind_function_url(handler: Handler) -> Callable[..., Iterable[bytes]]:
    """A WSGI app that calls ``handler`` with the payload 2.0 event of a Lambda function URL
    or an HTTP API: the body base64-encoded, the headers' names in lower case."""

    def wsgi(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        event = {
            "version": "2.0",
            "rawPath": request.path,
            "rawQueryString": request.query_string.decode(),
            "headers": {name.lower(): value for name, value in request.headers.items()},
            "requestContext": {"http": {"method": request.method, "path": request.path}},
            "body": base64.b64encode(request.get_data()).decode(),
            "isBase64Encoded": True,
        }
        answer = handler(event, None)
        response = Response(answer["body"], answer["statusCode"], answer["headers"])
        return response(environ, start_response)

    return wsgi


def speech_line(event: dict[str, Any], context: object) -> dict[str, Any]:
    """Routes on ``rawPath``; asks a question by speech, then repeats the answer."""
    body = event["body"]
    if event.get("isBase64Encoded"):
        body = base64.b64decode(body).decode()
    form = dict(parse_qsl(body))
    if event["rawPath"].rstrip("/") == "/twilio/answer":
        twiml = (
            '<Response><Gather input="speech" action="/twilio/respond/" speechTimeout="auto">'
            "<Say>How can I help?</Say></Gather></Response>"
        )
    else:
        twiml = f"<Response><Say>You said {form.get('SpeechResult', 'nothing')}</Say></Response>"
    return {"statusCode": 200, "headers": {"Content-Type": "text/xml"}, "body": twiml}


def test_a_payload_2_handler_reads_its_route_and_decodes_the_form() -> None:
    # a Lambda behind a function URL routes on event["rawPath"] and base64-decodes the
    # form; the README's glue built the REST API's event only (httpMethod, path)
    url = "https://abc123.lambda-url.us-east-1.on.aws"
    with Simulator() as sim:
        sim.route(url, behind_function_url(speech_line))
        sim.number(ENTRY_NUMBER, voice_url=f"{url}/twilio/answer")
        sim.phone(VISITOR).says("opening hours")
        call = sim.incoming_call(from_=VISITOR, to=ENTRY_NUMBER)
        sim.run()
    assert call.said == ["How can I help?", "You said opening hours"]
    assert [(r.kind, r.method, r.url) for r in call.requests] == [
        ("voice", "POST", f"{url}/twilio/answer"),
        ("gather", "POST", f"{url}/twilio/respond/"),
    ]

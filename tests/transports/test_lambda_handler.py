"""An AWS Lambda handler behind API Gateway, routed through the few lines of WSGI the
README describes, reads the GET webhooks' parameters from ``queryStringParameters``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

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
    assert gathered.url.endswith("&msg=Gather+End&Digits=2468&FinishedOnKey=")

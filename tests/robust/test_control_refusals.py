"""``twimlsim serve``'s control API refuses what the simulation could not use with a 400 in
Twilio's error shape, before anything changes: a lone surrogate escape in a JSON body (it
had created a call whose first webhook then failed to encode, and the 400 came back on a
later, unrelated advance), a parameter without a name, an unknown or true/false
``seconds``."""

from __future__ import annotations

import json

import pytest
import requests

from fixtures.twiml_app import TwimlApp
from tests.support import CALLEE, served_locally, twilio_error_body
from twimlsim import serve
from twimlsim.rest.control import STEP_ARGUMENTS

TIMEOUT = 10


def post(served: serve.Served, path: str, body: bytes) -> requests.Response:
    return requests.post(
        f"{served.url}/twimlsim/{path}",
        data=body,
        headers={"Content-Type": "application/json"},
        timeout=TIMEOUT,
    )


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        (
            "calls",
            b'{"from": "+15558675310", "to": "+15005550006", "params": {"CallerName": "\\ud800"}}',
            "the body's JSON has a lone surrogate escape (\\ud800), which is no character; "
            "send whole characters (UTF-8 text, or an escaped pair such as \\ud83d\\ude00)",
        ),
        (
            "calls",
            b'{"from": "+15558675310", "to": "+15005550006", "params": {"": "Jane"}}',
            "sim.incoming_call(from_='+15558675310', to='+15005550006'): params has a "
            "parameter with an empty name (value 'Jane'); every parameter Twilio sends has a "
            "name: give it one, such as 'CallerName'",
        ),
        (
            "phones",
            b'{"number": "+15558675310", "steps": [{"action": "says", "text": "\\udfff"}]}',
            "the body's JSON has a lone surrogate escape (\\udfff), which is no character; "
            "send whole characters (UTF-8 text, or an escaped pair such as \\ud83d\\ude00)",
        ),
        ("advance", b'{"secs": 5}', "advance: unknown field(s) secs; allowed: seconds"),
        (
            "advance",
            b'{"seconds": ' + b"9" * 5000 + b"}",
            "the body's JSON has an integer of more than 4,300 digits, which cannot be read; "
            "send a smaller number",
        ),
        (
            "advance",
            b'{"seconds": true}',
            "advance: seconds is not a number of seconds (0 or more): true; send one such as "
            '{"seconds": 30}',
        ),
        (
            "phones",
            b"[1]",
            "the body must be a JSON object of the request's fields, got [1]; send one such "
            'as {"number": "+15558675310"}, or {} (or no body) for a request without fields, '
            "such as POST /twimlsim/run",
        ),
        ("calls", b'{"from": "+15558675310"}', "calls: missing required field(s) to"),
        (
            "phones",
            b'{"number": 15558675310, "steps": []}',
            'phones: number must be the far end\'s phone number, such as "+15558675310", got '
            "15558675310",
        ),
        (
            "phones",
            b'{"steps": []}',
            'phones: number must be the far end\'s phone number, such as "+15558675310", got null',
        ),
        (
            "phones",
            b'{"number": "+15558675310", "steps": [{"action": "presses", "digits": "1"}, 5]}',
            'steps[1] must be an object with an "action", got 5',
        ),
        (
            "phones",
            b'{"number": "+15558675310", "steps": [{"action": "presess", "digits": "1"}]}',
            "steps[0]: unknown action 'presess' (did you mean 'presses'?); one of "
            + ", ".join(STEP_ARGUMENTS),
        ),
        (
            "phones",
            b'{"number": "+15558675310", "steps": [{"action": "presses", "digits": "x"}]}',
            "steps[0] (presses): sim.phone('+15558675310').presses(): digits must be keys 0-9, "
            "*, #, A-D (w/W pause); got 'x'",
        ),
    ],
)
def test_a_refused_body_changes_nothing(
    served: serve.Served, path: str, body: bytes, message: str
) -> None:
    requests.post(f"{served.url}/twimlsim/reset", timeout=TIMEOUT)
    post(served, "numbers", b'{"number": "+15005550006", "voice_url": "https://app.test/v"}')
    answer = post(served, path, body)
    assert (answer.status_code, answer.json()) == (400, twilio_error_body(400, 20422, message))
    status = requests.get(f"{served.url}/twimlsim/status", timeout=TIMEOUT).json()
    assert (status["seconds"], status["calls"], status["pending_events"]) == (0.0, {}, 0)
    phones = requests.get(f"{served.url}/twimlsim/phones", timeout=TIMEOUT).json()
    assert phones == {"phones": []}


def test_an_escaped_pair_is_one_character(served: serve.Served) -> None:
    requests.post(f"{served.url}/twimlsim/reset", timeout=TIMEOUT)
    body = b'{"number": "+15558675310", "steps": [{"action": "says", "text": "\\ud83d\\ude00"}]}'
    answer = post(served, "phones", body)
    assert (answer.status_code, answer.json()) == (
        200,
        {
            "number": CALLEE,
            "steps": [
                {"action": "says", "step": "says('\U0001f600', confidence=0.9)", "used": False}
            ],
        },
    )


def test_params_sent_as_a_form_field_say_to_send_json(served: serve.Served) -> None:
    requests.post(f"{served.url}/twimlsim/reset", timeout=TIMEOUT)
    answer = requests.post(
        f"{served.url}/twimlsim/calls",
        data={"from": "+15558675310", "to": "+15005550006", "params": "CallerName=Jane"},
        timeout=TIMEOUT,
    )
    message = (
        'params must be a JSON object of text values such as {"CallerName": "Jane"}; a form '
        "field cannot hold one: send the body as JSON (Content-Type: application/json); got "
        "'CallerName=Jane'"
    )
    assert (answer.status_code, answer.json()) == (400, twilio_error_body(400, 20422, message))
    status = requests.get(f"{served.url}/twimlsim/status", timeout=TIMEOUT).json()
    assert status["calls"] == {}


def test_input_at_a_connect_is_refused_with_the_control_requests_to_use(
    served: serve.Served,
) -> None:
    connect = '<Response><Connect><Stream url="wss://ai.test/media"/></Connect></Response>'
    requests.post(f"{served.url}/twimlsim/reset", timeout=TIMEOUT)
    with served_locally(TwimlApp({"/voice": connect})) as base:
        number = {"number": "+15005550006", "voice_url": f"{base}/voice"}
        post(served, "numbers", json.dumps(number).encode())
        caller = {"from": "+15558675310", "to": "+15005550006"}
        sid = post(served, "calls", json.dumps(caller).encode()).json()["sid"]
        calls = f"{served.url}/twimlsim/calls/{sid}"
        ran = requests.post(f"{calls}/run", timeout=TIMEOUT).json()
        assert ran["waiting_for"]["verb"] == "Connect"
        pressed = requests.post(f"{calls}/press", json={"digits": "1"}, timeout=TIMEOUT)
        control = f"POST /twimlsim/calls/{sid}"
        message = (
            f"call.press('1'): call {sid} is connected to a <Connect><Stream> "
            "(wss://ai.test/media), which takes no keys, speech or recording from the far end "
            f"(they go to the app's server); end it as that server would with {control}"
            f"/close-stream, or hang up with {control}/hangup"
        )
        assert (pressed.status_code, pressed.json()) == (
            400,
            twilio_error_body(400, 20422, message),
        )
        requests.post(f"{calls}/close-stream", json={}, timeout=TIMEOUT)
        twice = requests.post(f"{calls}/close-stream", json={}, timeout=TIMEOUT)
        message = (
            f"call.close_stream(): call {sid} has already been given call.close_stream() at "
            "this <Connect>, which has not run yet: a second answer at one wait would be lost; "
            f"run the call ({control}/run) and give the next input when its waiting_for is set "
            "again"
        )
        assert (twice.status_code, twice.json()) == (400, twilio_error_body(400, 20422, message))
        ended = requests.post(f"{calls}/run", timeout=TIMEOUT).json()
        assert ended["status"] == "completed"


def test_speech_without_words_names_the_silence_request(served: serve.Served) -> None:
    gather = '<Response><Gather input="speech"/></Response>'
    requests.post(f"{served.url}/twimlsim/reset", timeout=TIMEOUT)
    with served_locally(TwimlApp({"/voice": gather})) as base:
        number = {"number": "+15005550006", "voice_url": f"{base}/voice"}
        post(served, "numbers", json.dumps(number).encode())
        caller = {"from": "+15558675310", "to": "+15005550006"}
        sid = post(served, "calls", json.dumps(caller).encode()).json()["sid"]
        calls = f"{served.url}/twimlsim/calls/{sid}"
        requests.post(f"{calls}/run", timeout=TIMEOUT)
        said = requests.post(f"{calls}/say", json={"text": " "}, timeout=TIMEOUT)
        requests.post(f"{calls}/hangup", json={}, timeout=TIMEOUT)
        requests.post(f"{calls}/run", timeout=TIMEOUT)
    message = (
        "call.say(' '): text ' ' has no words, and Twilio recognises no speech in silence; for "
        f"a far end that says nothing, use POST /twimlsim/calls/{sid}/silence"
    )
    assert (said.status_code, said.json()) == (400, twilio_error_body(400, 20422, message))


def test_a_body_of_another_content_type_is_refused_not_ignored(served: serve.Served) -> None:
    requests.post(f"{served.url}/twimlsim/reset", timeout=TIMEOUT)
    for content_type, shown in (("text/plain", "text/plain"), (None, "not given")):
        headers = {"Content-Type": content_type} if content_type else {}
        answer = requests.post(
            f"{served.url}/twimlsim/advance",
            data=b'{"seconds": 5}',
            headers=headers,
            timeout=TIMEOUT,
        )
        message = (
            f"the body was not read: its Content-Type is {shown}; send JSON (Content-Type: "
            "application/json) or a form (application/x-www-form-urlencoded)"
        )
        assert (answer.status_code, answer.json()) == (400, twilio_error_body(400, 20422, message))
    status = requests.get(f"{served.url}/twimlsim/status", timeout=TIMEOUT).json()
    assert status["seconds"] == 0.0  # it said seconds is not a number: ''

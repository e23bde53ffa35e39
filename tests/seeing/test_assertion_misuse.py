"""The assertion helpers refuse what would make them pass or fail for the wrong reason (a
string where a list belongs, a count as text, no text to hear, an int parameter value),
saying what they take."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from twimlsim import Simulator
from twimlsim.assertions import Match, assert_heard, assert_requests, assert_webhook_count
from twimlsim.engine.session import SimCall


def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
    start_response("200 OK", [("Content-Type", "text/xml")])
    return [b"<Response><Say>Hi</Say></Response>"]


@pytest.fixture(scope="module")
def call() -> Iterator[SimCall]:
    with Simulator(freeze_time=False) as sim:
        sim.route("https://app.test", app)
        sim.number("+15005550006", voice_url="https://app.test/voice")
        answered = sim.incoming_call(from_="+15558675310", to="+15005550006")
        sim.run()
        yield answered


@pytest.mark.parametrize(
    ("check", "message"),
    [
        (
            lambda call: assert_requests(call, "voice"),
            "assert_requests() takes a list of expectations, got 'voice': write "
            "assert_requests(call, ['voice'])",
        ),
        (
            lambda call: assert_requests(call, [123]),
            "an expectation is a Match, a kind ('voice') or a tuple of Match's arguments "
            "(('gather', '/menu')); got 123 (int)",
        ),
        (
            lambda call: assert_requests(None, ["voice"]),
            "the source must be a call (sim.calls[sid]), a conference room "
            "(sim.conferences[name]), the simulator, or a list of requests "
            "(call.requests, sim.api_requests); got None (NoneType)",
        ),
        (
            lambda call: assert_requests(call, {"voice": "/voice"}),
            "assert_requests() takes a list of expectations, got {'voice': '/voice'} (dict), "
            "whose keys would be read as kinds: write assert_requests(call, ['voice'])",
        ),
        (
            # a set's order changes from run to run (PYTHONHASHSEED): it passed or failed by
            # chance
            lambda call: assert_requests(call, {"voice", "status"}),
            "assert_requests() checks the expectations in the order given, and a set has "
            "none (its order changes from run to run): give a list, or ordered=False",
        ),
        (
            lambda call: Match("voice", params=[("CallStatus", "ringing")]),
            "Match(...): params must be a dict of parameter names to their expected values, "
            "such as params={'Digits': '1'}; got [('CallStatus', 'ringing')] (list)",
        ),
        (
            # the text 'false' is true: the order was checked, the test failed on it
            lambda call: assert_heard(call, "Hi", ordered="false"),
            "assert_heard(): ordered must be True or False; got 'false'",
        ),
        (
            lambda call: assert_requests(call, ["voice"], ordered="no"),
            "assert_requests(): ordered must be True or False; got 'no'",
        ),
        (
            lambda call: assert_requests(call, ["voice"], complete=1),
            "assert_requests(): complete must be True or False; got 1 (int)",
        ),
        (
            lambda call: Match("gather", Digits=1),
            "Match(...): Digits must be a string, a compiled pattern or a list of strings "
            "(Twilio sends every parameter as text), such as Digits='1'; got 1 (int)",
        ),
        (
            lambda call: assert_heard(call),
            "assert_heard() names no text to check on call CAee4a56ad3092da64d5ba892549669298, "
            "so it can never fail: give the texts the far end must hear, "
            "assert_heard(call, 'Welcome.')",
        ),
        (
            lambda call: assert_heard(call, 123),
            "assert_heard() takes texts (strings) or compiled patterns; got 123 (int)",
        ),
        (
            lambda call: assert_webhook_count(call, "voice", "1"),
            "assert_webhook_count() takes the count as a whole number, 0 or more; got '1' (str)",
        ),
    ],
)
def test_a_misused_assertion_is_a_type_error_saying_what_it_takes(
    call: SimCall, check: Callable[[SimCall], object], message: str
) -> None:
    with pytest.raises(TypeError) as raised:
        check(call)
    assert str(raised.value) == message


def test_the_right_uses_still_pass(call: SimCall) -> None:
    voice = call.requests[0]
    assert assert_requests(call, {"voice"}, ordered=False) == [voice]
    assert assert_requests(call, [Match("voice", params={"CallStatus": "ringing"})]) == [voice]
    assert assert_requests(call, [Match("voice", CallStatus=re.compile("ring.*"))]) == [voice]
    assert assert_webhook_count(call, "voice", 1) == [voice]
    assert_heard(call, "Hi")


def test_a_kind_no_request_has_names_the_kinds_received(call: SimCall) -> None:
    with pytest.raises(AssertionError) as raised:
        assert_webhook_count(call, "action", 1)
    assert str(raised.value) == (
        f"expected 1 'action' requests on call {call.sid}, received 0 (no request has the "
        "kind 'action'; the kinds received: 'voice')\n"
        "Received (1):\n"
        "  #1 voice POST /voice"
    )


def test_a_status_callback_never_asked_for_says_where_twilio_sends_them(call: SimCall) -> None:
    with pytest.raises(AssertionError) as raised:
        assert_requests(call, ["voice", Match("status", CallStatus="completed")])
    assert str(raised.value).splitlines()[4:] == [
        "No request has the kind 'status'; the kinds received: 'voice'; Twilio sends a call's "
        "status callbacks only to the StatusCallback it was given: "
        "calls.create(status_callback=...), or sim.number(..., status_callback=...) for calls "
        "to the number",
        "Received (1):",
        "  #1 voice POST /voice",
    ]


def test_a_near_kind_is_still_named(call: SimCall) -> None:
    with pytest.raises(AssertionError) as raised:
        assert_requests(call, ["voices"])
    assert str(raised.value).splitlines()[3] == (
        "No request has the kind 'voices'; did you mean 'voice'?"
    )

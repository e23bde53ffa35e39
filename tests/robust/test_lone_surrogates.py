"""Text that is not whole Unicode characters (a lone surrogate, what a JSON ``"\\ud800"``
escape or a bad decode gives) is refused where it is given, naming the argument: it has no
UTF-8 form, so the webhook that was to carry it raised ``UnicodeEncodeError`` from inside
the engine, mid-call."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.engine.helpers import place, response, simulator
from tests.support import CALLEE, CALLER_ID
from twimlsim import ConfigurationError, Simulator

LONE = "ok\ud800"
HOLDS = (
    "holds a lone surrogate ('\\ud800' at position 2), which is not a character and cannot "
    "be sent as UTF-8; give text of whole characters"
)


@pytest.mark.parametrize(
    ("give", "error", "message"),
    [
        (
            lambda sim: sim.phone(CALLEE).says(LONE),
            ValueError,
            f"sim.phone('+15558675310').says(): text 'ok\\ud800' {HOLDS}",
        ),
        (
            lambda sim: sim.phone(CALLEE).answers(sip_headers={"X-Agent": LONE}),
            ValueError,
            f"sim.phone('+15558675310').answers(): sip_headers['X-Agent'] 'ok\\ud800' {HOLDS}",
        ),
        (
            lambda sim: sim.incoming_call(from_=CALLEE, to=CALLER_ID, params={LONE: "x"}),
            ConfigurationError,
            "sim.incoming_call(from_='+15558675310', to='+15005550006'): params name "
            f"'ok\\ud800' {HOLDS}",
        ),
        (
            lambda sim: sim.incoming_call(from_=CALLEE, to=CALLER_ID, params={"CallerName": LONE}),
            ConfigurationError,
            "sim.incoming_call(from_='+15558675310', to='+15005550006'): params['CallerName'] "
            f"'ok\\ud800' {HOLDS}",
        ),
        (
            lambda sim: sim.sdk_call(
                "alice",
                application_sid=sim.application(voice_url="https://app.test/voice").sid,
                params={"To": LONE},
            ),
            ConfigurationError,
            f"sim.sdk_call(...): params['To'] 'ok\\ud800' {HOLDS}",
        ),
        (
            lambda sim: sim.number("+15005550007", voice_url=f"https://app.test/{LONE}"),
            ConfigurationError,
            "sim.number('+15005550007'): voice_url 'https://app.test/ok\\ud800' holds a lone "
            "surrogate ('\\ud800' at position 19), which is not a character and cannot be "
            "sent as UTF-8; give text of whole characters",
        ),
    ],
)
def test_the_python_api_refuses_a_lone_surrogate_where_it_is_given(
    give: Callable[[Simulator], object], error: type[Exception], message: str
) -> None:
    with simulator({"/voice": response("<Hangup/>")}) as (sim, _):
        with pytest.raises(error) as refused:
            give(sim)
        assert str(refused.value) == message
        assert sim.calls == {}


def test_a_call_driven_by_hand_refuses_one_and_goes_on() -> None:
    relay = '<Connect action="/ended"><ConversationRelay url="wss://ai.test/r"/></Connect>'
    routes = {
        "/voice": response('<Gather input="speech" action="/relay"/>'),
        "/relay": response(relay),
        "/ended": response("<Hangup/>"),
    }
    with simulator(routes) as (sim, _):
        call = place(sim)
        call.run()
        with pytest.raises(ValueError) as said:
            call.say(LONE)
        call.say("agent").run()
        with pytest.raises(ValueError) as closed:
            call.close_stream(handoff_data=LONE)
        call.close_stream(handoff_data="{}").run()
    assert str(said.value) == f"call.say('ok\\ud800'): text 'ok\\ud800' {HOLDS}"
    assert str(closed.value) == f"call.close_stream(...): handoff_data 'ok\\ud800' {HOLDS}"
    assert [r.kind for r in call.requests] == ["voice", "gather", "connect"]
    assert call.requests[1].params["SpeechResult"] == "agent"
    assert call.status == "completed"


def test_an_empty_parameter_name_is_refused() -> None:
    with simulator({"/voice": response("<Hangup/>")}) as (sim, _):
        with pytest.raises(ConfigurationError) as refused:
            sim.incoming_call(from_=CALLEE, to=CALLER_ID, params={"": "Jane"})
        assert sim.calls == {}
    assert str(refused.value) == (
        "sim.incoming_call(from_='+15558675310', to='+15005550006'): params has a parameter "
        "with an empty name (value 'Jane'); every parameter Twilio sends has a name: give it "
        "one, such as 'CallerName'"
    )

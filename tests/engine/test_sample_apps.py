"""Behaviour that Twilio's own sample apps rely on: an invalid dialled number, a
transcribeCallback without transcribe, Twilio-hosted hold music, an endless prompt in a
Gather, cut-off wait music, a forgotten ``sim.run()``."""

from __future__ import annotations

import pytest

from tests.engine.helpers import base, place, response, simulator
from tests.support import APP_URL, CALLEE
from twimlsim import CallFailure, ConfigurationError
from twimlsim.engine.events import Dialed, Said

VOICE = f"{APP_URL}/voice"


# -- a dialled number that is not a phone number -----------------------------------------


@pytest.mark.parametrize(
    ("body", "element"),
    [
        ("<Number>call-me-maybe</Number>", "Number"),
        ("call-me-maybe", "Dial"),
        ("<Number>+1234567890123456</Number>", "Number"),  # 16 digits
    ],
)
def test_dial_to_text_that_is_not_a_number_fails_its_leg_at_once(body: str, element: str) -> None:
    routes = {"/voice": response(f'<Dial action="/dialed">{body}</Dial><Say>after</Say>')}
    with simulator(routes, strict=False) as (sim, _):
        call = place(sim)
        sim.run()
    (child,) = call.children
    target = child.to
    assert (child.status, child.duration, child.answered_by) == ("failed", 0, None)
    (dialed,) = [e for e in call.transcript if isinstance(e, Dialed)]
    assert (dialed.targets, dialed.status, dialed.child_sid, dialed.bridged, dialed.seconds) == (
        (target,),
        "failed",
        child.sid,
        False,
        0,
    )
    (action,) = [r for r in call.requests if r.kind == "dial"]
    assert action.params == dict(
        base(sim, call, "in-progress"),
        DialBridged="false",
        DialCallDuration="0",
        DialCallSid=child.sid,
        DialCallStatus="failed",
    )
    number = target if element == "Number" else "call-me-maybe"
    assert [(f.code, f.level, f.element, f.message) for f in sim.failures] == [
        (
            13223,
            "warning",
            element,
            f"<{element}> phone number {number!r} is not valid: expected E.164 (+ and at most "
            "15 digits) or an unformatted national number; nobody can be called there: its "
            "leg fails at once (DialCallStatus=failed)",
        )
    ]
    assert call.duration == 0 and call.status == "completed"


def test_dial_to_text_that_is_not_a_number_goes_on_with_the_next_verb() -> None:
    routes = {"/voice": response("<Dial><Number>call-me-maybe</Number></Dial><Say>after</Say>")}
    with simulator(routes, allow_codes={13223}) as (sim, _):
        call = place(sim)
        sim.run()
    assert call.said == ["after"]
    assert [f.code for f in sim.failures] == [13223]  # no 32015: nothing was bridged
    assert [(c.status, c.duration) for c in call.children] == [("failed", 0)]


# -- transcribeCallback without transcribe="true" ----------------------------------------


def test_transcribe_callback_without_transcribe_passes_with_its_code_allowed() -> None:
    body = '<Record action="/done" transcribeCallback="/transcribed" maxLength="10"/>'
    with simulator({"/voice": response(body)}, allow_codes={13614}) as (sim, _):
        sim.phone("+15558675310").records(5, "#")
        call = place(sim)
        sim.run()
    assert [r.kind for r in call.requests] == ["voice", "record"]
    assert [(f.code, f.level, f.element, f.line) for f in sim.failures] == [
        (13614, "warning", "Record", 1)
    ]


# -- a test that forgot sim.run() --------------------------------------------------------


def test_unused_steps_error_says_when_no_call_has_run() -> None:
    with pytest.raises(ConfigurationError) as raised, simulator({}) as (sim, _):
        sim.phone(CALLEE).presses("1")
        call = place(sim)
        assert call.said == []  # what `call.said[-1]` trips over
    assert str(raised.value) == (
        f"scripted far-end steps were never reached: sim.phone('{CALLEE}').presses('1'); "
        "no call has run yet: call sim.run() (or call.run()) before asserting"
    )


def test_unused_steps_error_after_a_run_keeps_its_advice() -> None:
    with pytest.raises(ConfigurationError) as raised, simulator(
        {"/voice": response("<Say>Hi</Say>")}
    ) as (sim, _):
        sim.phone(CALLEE).presses("1")
        place(sim)
        sim.run()
    assert str(raised.value) == (
        f"scripted far-end steps were never reached: sim.phone('{CALLEE}').presses('1'). "
        "Remove them, or pass strict=False to allow unused steps."
    )

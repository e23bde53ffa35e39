"""TwiML given inline (``Twiml`` on a call create or update) has no URL of its own: a
``<Gather>``/``<Record>`` action missing or relative there is Twilio's 15004 (a
``<Record>`` without one 11100), any other relative URL 11100 (Twilio cannot request it);
absolute URLs work as from any document."""

from __future__ import annotations

import pytest

from tests.engine.helpers import place, response, simulator
from tests.support import APP_URL, CALLEE
from twimlsim import CallFailure

THEN = "twimlsim requested nothing and went on with the next verb. Give an absolute action (https://...)"
INLINE = "in TwiML given inline (the Twiml parameter of a call create or update)"


@pytest.mark.parametrize(
    ("body", "code", "written"),
    [
        ('<Gather numDigits="1" action="/menu"/>', 15004, "action '/menu' is relative"),
        ('<Gather numDigits="1"/>', 15004, "has no action"),
        ('<Record action="menu" maxLength="9"/>', 15004, "action 'menu' is relative"),
        ('<Record maxLength="9"/>', 11100, "has no action"),
    ],
)
def test_an_action_inline_twiml_cannot_resolve_is_reported_and_not_requested(
    body: str, code: int, written: str
) -> None:
    with simulator({}, strict=False) as (sim, _):
        phone = sim.phone(CALLEE)
        phone.records(4, "#") if body.startswith("<Record") else phone.presses("5")
        call = place(sim, url=None, twiml=response(f"{body}<Say>After</Say>"))
        sim.run()
    tag = body[1:].split(" ")[0]
    assert sim.failures == [
        CallFailure(
            call.sid,
            code,
            f"<{tag}> {written} {INLINE}: there is no document URL to resolve it against, "
            f"so Twilio cannot request it; {THEN}",
            None,
            tag,
            1,
            level="error",
        )
    ]
    assert (call.said, call.requests) == (["After"], [])


def test_a_gather_that_times_out_requests_nothing_and_reports_nothing() -> None:
    with simulator({}) as (sim, _):
        call = place(sim, url=None, twiml=response('<Gather action="/menu"/><Say>After</Say>'))
        sim.run()
    assert (call.said, sim.failures) == (["After"], [])


@pytest.mark.parametrize(
    ("body", "relative", "written"),
    [
        ("<Redirect>/next</Redirect>", "/next", "'/next' is a relative URL"),
        (
            '<Dial action="/dialed" timeout="5">+15557770001</Dial>',
            "/dialed",
            "'/dialed' is a relative URL",
        ),
        ("<Redirect/>", "", "an empty URL (this document's)"),
    ],
)
def test_any_other_relative_url_of_inline_twiml_is_11100(
    body: str, relative: str, written: str
) -> None:
    with simulator({}, strict=False) as (sim, _):
        sim.phone("+15557770001").no_answer()
        call = place(sim, url=None, twiml=response(body))
        sim.run()
    assert [(f.code, f.url, f.message) for f in sim.failures] == [
        (
            11100,
            relative or None,
            f"{written} {INLINE}, which has no document URL to resolve it against; write it "
            "absolute (https://...); twimlsim then played Twilio's application-error message "
            "and hung up, as Twilio does",
        )
    ]
    assert call.said == ["We are sorry, an application error has occurred. Goodbye."]
    assert [r.kind for r in call.requests] == []


def test_absolute_actions_of_inline_twiml_are_requested() -> None:
    body = f'<Gather numDigits="1" action="{APP_URL}/menu"/>'
    with simulator({"/menu": response("<Say>Menu</Say>")}) as (sim, _):
        sim.phone(CALLEE).presses("5")
        call = place(sim, url=None, twiml=response(body))
        sim.run()
    assert [(r.kind, r.url, r.params["Digits"]) for r in call.requests] == [
        ("gather", f"{APP_URL}/menu", "5")
    ]
    assert call.said == ["Menu"]


def test_a_rest_update_to_inline_twiml_with_a_relative_action_is_15004() -> None:
    routes = {"/voice": response('<Pause length="60"/>')}
    with simulator(routes, strict=False) as (sim, _):
        sim.phone(CALLEE).presses("2")
        call = place(sim)
        sim.advance(10)
        twiml = response('<Gather numDigits="1" action="/transfer"/>')
        sim.client().calls(call.sid).update(twiml=twiml)
        sim.run()
    assert [(f.code, f.url, f.element) for f in sim.failures] == [(15004, None, "Gather")]
    assert [r.kind for r in call.requests] == ["voice"]

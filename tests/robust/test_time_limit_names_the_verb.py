"""The 32015 of a call held to the default 4-hour limit names the document, element and
line of the verb of the call's own document that was still running (a wait document's
verbs run inside it), as every other TwiML problem does."""

from __future__ import annotations

import pytest

from fixtures.twiml_app import TwimlApp
from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim import Simulator

HOLD = '<Response><Say>Please hold</Say><Pause length="30"/></Response>'


@pytest.mark.parametrize(
    ("voice", "where"),
    [
        (
            '<Response>\n  <Say>Hi</Say>\n  <Enqueue waitUrl="/hold">support</Enqueue>\n'
            "</Response>",
            ("Enqueue", 3),
        ),
        (
            '<Response>\n  <Dial>\n    <Conference waitUrl="/hold">room</Conference>\n'
            "  </Dial>\n</Response>",
            ("Dial", 2),
        ),
        ("<Response>\n<Say>Hi</Say>\n<Echo/>\n</Response>", ("Echo", 3)),
        ("<Response>\n<Dial>+15551230000</Dial>\n</Response>", ("Dial", 2)),
    ],
)
def test_the_time_limit_warning_names_the_running_verb_and_its_line(
    voice: str, where: tuple[str, int]
) -> None:
    with Simulator(strict=False) as sim:
        sim.route(APP_URL, TwimlApp({"/voice": voice, "/hold": HOLD}))
        sim.number(CALLER_ID)
        sid = sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice").sid
        sim.run()
    assert sim.calls[sid].duration == 14400
    assert [(f.code, f.url, f.element, f.line) for f in sim.failures] == [
        (32015, f"{APP_URL}/voice", *where)
    ]


def test_a_bridged_dial_is_one_warning_on_the_parent_naming_its_dial() -> None:
    with Simulator(strict=False) as sim:
        sim.route(APP_URL, TwimlApp({"/voice": "<Response><Dial>+15551230000</Dial></Response>"}))
        sim.number(CALLER_ID)
        sid = sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice").sid
        sim.run()
    (leg,) = sim.calls[sid].children
    assert leg.duration is not None and leg.duration >= 14399
    assert [(f.call_sid, f.element, f.line) for f in sim.failures] == [(sid, "Dial", 1)]

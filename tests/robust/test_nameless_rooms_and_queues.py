"""A ``<Conference>``, ``<Enqueue>`` or ``<Dial><Queue>`` without a name is one problem,
with its Twilio code, element and line, and what to write instead (the empty conference
was also logged a second time as an error, the empty Enqueue as 'not simulated', which no
``allow_codes`` could let pass)."""

from __future__ import annotations

import pytest

from fixtures.twiml_app import TwimlApp
from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim import SimulationError, Simulator

NAMELESS = {
    "Conference": (
        '<Response>\n<Dial action="/after"><Conference> </Conference></Dial>\n'
        "<Say>next</Say></Response>",
        13237,
        "warning",
        "Dial->Conference: Invalid Conference Name: <Conference> has no room name, so the "
        "<Dial> joins no room; name the room, e.g. <Conference>Support</Conference>",
    ),
    "Enqueue": (
        '<Response>\n<Enqueue action="/after"></Enqueue>\n<Say>next</Say></Response>',
        14204,
        "error",
        "<Enqueue> has no queue name, so the caller joins no queue; name the queue, e.g. "
        "<Enqueue>support</Enqueue>",
    ),
    "Queue": (
        '<Response>\n<Dial action="/after"><Queue/></Dial>\n<Say>next</Say></Response>',
        14212,
        "error",
        "<Queue> has no queue name, so the <Dial> takes no caller; name the queue, e.g. "
        "<Queue>support</Queue>",
    ),
}


def call_with(sim: Simulator, document: str) -> str:
    sim.route(APP_URL, TwimlApp({"/voice": document, "/after": "<Response/>"}))
    sim.number(CALLER_ID)
    created = sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice")
    return str(created.sid)


@pytest.mark.parametrize("element", sorted(NAMELESS))
def test_a_nameless_room_or_queue_is_one_problem_naming_the_element_and_line(
    element: str,
) -> None:
    document, code, level, message = NAMELESS[element]
    with pytest.raises(SimulationError) as raised, Simulator() as sim:
        call_with(sim, document)
        sim.run()
    assert [(f.code, f.level, f.element, f.line, f.message) for f in raised.value.failures] == [
        (code, level, element, 2, message)
    ]


@pytest.mark.parametrize(
    ("element", "said", "dialed", "queued"),
    [
        ("Conference", ["next"], [], []),
        # an <Enqueue> in error requests its action with QueueResult=error (Twilio's table)
        ("Enqueue", [], [], [("error", None)]),
        ("Queue", [], ["failed"], []),
    ],
)
def test_allowing_its_code_lets_the_call_go_on_as_before(
    element: str, said: list[str], dialed: list[str], queued: list[tuple[str, None]]
) -> None:
    document, code, _, _ = NAMELESS[element]
    with Simulator(allow_codes={code}) as sim:
        sid = call_with(sim, document)
        sim.run()
    call = sim.calls[sid]
    assert call.said == said
    assert [r.params["DialCallStatus"] for r in call.requests if r.kind == "dial"] == dialed
    assert [
        (r.params["QueueResult"], r.params.get("QueueSid"))
        for r in call.requests
        if r.kind == "enqueue"
    ] == queued


def test_a_room_name_over_128_characters_is_13237_and_joins_no_room() -> None:
    """Twilio's 13237 page: "Conference names must be between 1 and 128 characters"; a
    name of 128 opens its room, one of 129 is the warning and the call goes on with the
    verb after the <Dial> (as for a nameless room)."""
    longest, too_long = "r" * 128, "r" * 129
    document = (
        '<Response>\n<Dial action="/after"><Conference>{}</Conference></Dial>\n'
        "<Say>next</Say></Response>"
    )
    with Simulator(allow_codes={13237}) as sim:
        refused = call_with(sim, document.format(too_long))
        sim.run()
        sim.phone(CALLEE).hangs_up(after=5)
        joined = call_with(sim, document.format(longest))
        sim.run()
    assert [(f.code, f.level, f.element, f.line, f.message) for f in sim.failures] == [
        (
            13237,
            "warning",
            "Conference",
            2,
            "Dial->Conference: Invalid Conference Name: the room name is 129 characters long "
            "and Twilio's limit is 128, so the <Dial> joins no room; use a shorter name (a "
            "ticket or call SID, not a description)",
        )
    ]
    assert (sim.calls[refused].said, [r.kind for r in sim.calls[refused].requests]) == (
        ["next"],
        ["voice"],
    )
    assert [room.friendly_name for room in sim.conferences.values()] == [longest]
    assert [r.params["DialCallStatus"] for r in sim.calls[joined].requests if r.kind == "dial"] == [
        "answered"
    ]


def test_a_second_room_in_one_dial_is_ignored_with_13000() -> None:
    document = (
        "<Response>\n<Dial><Conference>first</Conference><Conference>second</Conference></Dial>"
        "</Response>"
    )
    with Simulator(allow_codes={13000}) as sim:
        sim.phone(CALLEE).hangs_up(after=5)
        call_with(sim, document)
        sim.run()
    assert [(f.code, f.element, f.line) for f in sim.failures] == [(13000, "Dial", 2)]
    assert [room.friendly_name for room in sim.conferences.values()] == ["first"]

"""A REST update that redirects a ``<Dial>``'s bridged leg: the leg leaves the bridge and
runs the new TwiML as a call of its own, the parent's Dial ends (its action without
``DialCallDuration``): how apps turn a bridged call into a conference."""

from __future__ import annotations

import pytest

from tests.engine.helpers import base, place, response, simulator, wrapped_bodies
from tests.support import APP_URL
from twimlsim import Simulator
from twimlsim.engine.events import Dialed
from twimlsim.engine.session import SimCall

AGENT = "+15551230001"
ROOM = '<Dial><Conference endConferenceOnExit="true">transfer</Conference></Dial>'


def redirect_the_bridged_leg(sim: Simulator) -> tuple[SimCall, SimCall]:
    """Place a call whose Dial the agent answers after 2 s (hanging up 40 s later), and at
    10 s redirect the bridged leg to /leg-room by REST: the call and its leg."""
    sim.phone(AGENT).answers(after=2).hangs_up(after=40)
    call = place(sim)
    sim.advance(10)
    (leg,) = call.children
    sim.client().calls(leg.sid).update(url=f"{APP_URL}/leg-room")
    return call, leg


def test_a_redirected_leg_and_the_parents_action_meet_in_a_conference() -> None:
    routes = {
        "/voice": response(f'<Dial action="/parent-room">{AGENT}</Dial>'),
        "/leg-room": response(ROOM),
        "/parent-room": response(ROOM),
    }
    with simulator(routes) as (sim, _):
        call, leg = redirect_the_bridged_leg(sim)
        sim.run()
    update, music = leg.requests  # the leg waits alone in the room: Twilio's hold music
    assert (music.kind, music.method, music.url.split("&")[0]) == (
        "wait",
        "GET",
        "http://twimlets.com/holdmusic?Bucket=com.twilio.music.classical",
    )
    assert (update.kind, update.url, update.params) == (
        "update",
        f"{APP_URL}/leg-room",
        base(sim, leg, "in-progress", to=AGENT),  # ParentCallSid among them
    )
    action = call.requests[1]
    expected = base(sim, call, "in-progress")
    expected.update(DialBridged="true", DialCallSid=leg.sid, DialCallStatus="completed")
    assert (action.kind, action.url, action.params) == (
        "dial",
        f"{APP_URL}/parent-room",
        expected,
    )  # no DialCallDuration: reference §5.6, "absent ... if child was redirected"
    dialed = next(event for event in call.transcript if isinstance(event, Dialed))
    assert (dialed.status, dialed.child_sid, dialed.bridged, dialed.seconds) == (
        "completed",
        leg.sid,
        True,
        8,  # bridged from the answer at 09:00:02 to the update at 09:00:10
    )
    room = sim.conferences["transfer"]
    assert [p.sid for p in room.participants] == [leg.sid, call.sid]
    assert (room.status, call.status, leg.status) == ("completed", "completed", "completed")
    # both ended when the agent hung up, 40 seconds after answering (at 09:00:42)
    assert (call.duration, leg.duration) == (42, 40)


def test_the_parent_redirected_at_the_same_instant_leaves_the_redirected_leg_alone() -> None:
    # A hold button's endpoint: it redirects the bridged leg into a room, then the parent
    # into the same room, in one request; the parent's Dial has not yet heard of the leg
    # leaving when the parent's redirect takes it out of the Dial. The leg is a call of its
    # own by then: the parent leaving the Dial does not hang it up.
    routes = {
        "/voice": response(f'<Dial action="/after">{AGENT}</Dial>'),
        "/after": response("<Hangup/>"),
        "/leg-room": response(ROOM),
        "/parent-room": response(ROOM),
    }
    with simulator(routes) as (sim, _):
        call, leg = redirect_the_bridged_leg(sim)
        sim.client().calls(call.sid).update(url=f"{APP_URL}/parent-room")
        sim.run()
    assert [(r.kind, r.url) for r in call.requests[1:]] == [
        ("dial", f"{APP_URL}/after"),  # requested, its TwiML not run: the redirect wins
        ("update", f"{APP_URL}/parent-room"),
    ]
    room = sim.conferences["transfer"]
    assert [p.sid for p in room.participants] == [leg.sid, call.sid]
    assert list(sim.conferences) == [room.sid]  # one room: the leg was not hung up
    assert (room.status, call.status, leg.status) == ("completed", "completed", "completed")
    assert (call.duration, leg.duration) == (42, 40)  # both until the agent hung up


def test_the_parent_hung_up_at_the_same_instant_leaves_the_redirected_leg_alone() -> None:
    # The same with the parent hung up by REST right after the leg's redirect: the leg,
    # a call of its own by then, stays in its room until its far end hangs up.
    routes = {
        "/voice": response(f'<Dial action="/after">{AGENT}</Dial>'),
        "/after": response("<Hangup/>"),
        "/leg-room": response(ROOM),
    }
    with simulator(routes) as (sim, _):
        call, leg = redirect_the_bridged_leg(sim)
        sim.client().calls(call.sid).update(status="completed")
        sim.run()
    assert (call.status, call.duration) == ("completed", 10)
    assert (leg.status, leg.duration) == ("completed", 40)  # until its far end hung up
    assert [p.sid for p in sim.conferences["transfer"].participants] == [leg.sid]


def test_a_leg_redirected_during_its_whisper_runs_the_new_twiml_unbridged() -> None:
    # Twilio's <Number> page: "To modify the child call, make a POST request to
    # Calls/{CallSid} with a new TwiML URL". The leg was hung up and the URL never requested.
    routes = {
        "/voice": response(
            f'<Dial action="/after"><Number url="/whisper">{AGENT}</Number></Dial>'
            "<Say>not run</Say>"
        ),
        "/whisper": response('<Say>whisper</Say><Pause length="20"/><Say>not said</Say>'),
        "/leg-new": response('<Say>new</Say><Pause length="3"/>'),
        "/after": response("<Say>after</Say>"),
    }
    with simulator(routes) as (sim, _):
        sim.phone(AGENT).answers(after=1)
        call = place(sim)
        sim.advance(5)
        (leg,) = call.children
        assert leg.status == "in-progress"
        sim.client().calls(leg.sid).update(url=f"{APP_URL}/leg-new")
        sim.run()
    assert [(r.kind, r.url) for r in leg.requests] == [
        ("whisper", f"{APP_URL}/whisper"),
        ("update", f"{APP_URL}/leg-new"),
    ]
    assert leg.requests[1].params == base(sim, leg, "in-progress", to=AGENT)
    assert (leg.said, call.said) == (["whisper", "new"], ["after"])
    action = call.requests[1]
    expected = base(sim, call, "in-progress")
    expected.update(DialBridged="false", DialCallSid=leg.sid, DialCallStatus="completed")
    assert (action.kind, action.url, action.params) == ("dial", f"{APP_URL}/after", expected)
    # answered at 09:00:01, redirected at 09:00:05, then "new" (1 s) and the 3 s pause
    assert (leg.status, leg.duration, call.status) == ("completed", 8, "completed")


@pytest.mark.parametrize(
    "noun",
    [
        f'<Number sendDigits="1234567890wwwwwwwwww">{AGENT}</Number>',
        f'<Number machineDetection="Enable" url="/whisper">{AGENT}</Number>',
    ],
    ids=["sendDigits", "machineDetection"],
)
def test_a_leg_redirected_before_its_whisper_runs_the_new_twiml(noun: str) -> None:
    # redirected while it sends its digits or its machine detection listens: the same
    routes = {
        "/voice": response(f'<Dial action="/after">{noun}</Dial>'),
        "/whisper": response("<Say>not said</Say>"),
        "/leg-new": response('<Say>new</Say><Pause length="3"/>'),
        "/after": response("<Say>after</Say>"),
    }
    with simulator(routes) as (sim, _):
        sim.phone(AGENT).answers(after=1)
        call = place(sim)
        sim.advance(2)
        (leg,) = call.children
        sim.client().calls(leg.sid).update(url=f"{APP_URL}/leg-new")
        sim.run()
    assert [(r.kind, r.url) for r in leg.requests] == [("update", f"{APP_URL}/leg-new")]
    assert (leg.said, call.said) == (["new"], ["after"])
    action = call.requests[1]
    expected = base(sim, call, "in-progress")
    expected.update(DialBridged="false", DialCallSid=leg.sid, DialCallStatus="completed")
    assert (action.kind, action.url, action.params) == ("dial", f"{APP_URL}/after", expected)
    # answered at 09:00:01, redirected at 09:00:02, then "new" (1 s) and the 3 s pause
    assert (leg.status, leg.duration) == ("completed", 5)


@pytest.mark.parametrize(
    ("noun", "wrapped"),
    [
        (f"<Number>{AGENT}</Number>", 0),
        ("<Client>agent</Client>", 0),
        (f'<Number sendDigits="12">{AGENT}</Number>', 1),
        (f'<Number machineDetection="Enable">{AGENT}</Number>', 1),
        (f'<Number url="/whisper">{AGENT}</Number>', 1),
    ],
)
def test_only_a_leg_that_waits_before_its_bridge_can_be_redirected_then(
    monkeypatch: pytest.MonkeyPatch, noun: str, wrapped: int
) -> None:
    """The wrapper that takes a redirect before the bridge is for a leg that waits then
    (its sendDigits, machine detection or whisper), not on the path of every other leg."""
    from twimlsim.engine import dialing

    taken = wrapped_bodies(monkeypatch, dialing)
    routes = {
        "/voice": response(f'<Dial action="/after">{noun}</Dial>'),
        "/whisper": response("<Say>whisper</Say>"),
        "/after": response("<Say>after</Say>"),
    }
    with simulator(routes) as (sim, _):
        dialled = "client:agent" if "<Client>" in noun else AGENT
        sim.phone(dialled).answers(after=1).hangs_up(after=10)
        call = place(sim)
        sim.run()
    (leg,) = call.children
    assert (len(taken), leg.status, call.said) == (wrapped, "completed", ["after"])
    assert call.requests[1].params["DialBridged"] == "true"

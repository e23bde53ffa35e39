"""A real-time transcription hears the app of one of the simulation's own numbers when
that app is the far end: what the number's call says is the other call's
``inbound_track`` (and, through a bridged ``<Dial>``, the dialling call's
``outbound_track``), and the reverse."""

from __future__ import annotations

from tests.engine.helpers import place, response, simulator
from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim.engine.session import SimCall

SUPPORT = "+15005550010"
LISTEN = '<Start><Transcription statusCallbackUrl="/rt"/></Start>'


def heard(call: SimCall) -> list[tuple[str, str]]:
    return [(u.track, u.text) for t in call.realtime_transcriptions or [] for u in t.utterances]


def support_call(sim_calls: dict[str, SimCall]) -> SimCall:
    [call] = [c for c in sim_calls.values() if c.to == SUPPORT and c.direction == "inbound"]
    return call


def test_a_dial_to_an_own_number_hears_its_app_through_the_bridge() -> None:
    routes = {
        "/voice": response(f"{LISTEN}<Say>Connecting</Say><Dial>{SUPPORT}</Dial>"),
        "/support": response(f"{LISTEN}<Say>Support, how can I help?</Say>"),
        "/rt": response(""),
    }
    with simulator(routes) as (sim, _):
        sim.number(SUPPORT, voice_url=f"{APP_URL}/support")
        sim.phone(CALLEE).says("My order is late")
        caller = sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        sim.run()
    assert heard(caller) == [
        ("outbound_track", "Connecting"),
        ("inbound_track", "My order is late"),
        ("outbound_track", "Support, how can I help?"),
    ]
    # the caller's words in the bridge reach the number's app: its call's inbound track
    assert heard(support_call(sim.calls)) == [
        ("inbound_track", "My order is late"),
        ("outbound_track", "Support, how can I help?"),
    ]


def test_a_rest_call_to_an_own_number_and_the_number_hear_each_other() -> None:
    routes = {
        "/voice": response(f'{LISTEN}<Pause length="1"/><Say>This is a reminder</Say>'),
        "/support": response(f'{LISTEN}<Say>Thanks for calling</Say><Pause length="3"/>'),
        "/rt": response(""),
    }
    with simulator(routes) as (sim, _):
        sim.number(SUPPORT, voice_url=f"{APP_URL}/support")
        leg = place(sim, to=SUPPORT)
        sim.run()
    support = support_call(sim.calls)
    assert heard(leg) == [
        ("inbound_track", "Thanks for calling"),
        ("outbound_track", "This is a reminder"),
    ]
    assert heard(support) == [
        ("outbound_track", "Thanks for calling"),
        ("inbound_track", "This is a reminder"),
    ]
    assert (leg.app_peer, support.app_peer) == (None, None)  # unlinked once ended

"""A coach's words in a conference are heard by the participant it coaches only: the
real-time transcription of the coached call hears them, the other participants' do not."""

from __future__ import annotations

from tests.engine.helpers import place, response, simulator
from tests.support import CALLEE, CALLER_ID

CUSTOMER = "+15558675398"
COACH = "+15558675397"


def test_only_the_coached_agent_hears_the_coach() -> None:
    routes = {
        "/voice": response(
            '<Start><Transcription statusCallbackUrl="/rt" track="outbound_track"/></Start>'
            "<Dial><Conference>support</Conference></Dial>"
        ),
        "/rt": response(""),
    }
    with simulator(routes) as (sim, _):
        sim.phone(CALLEE).hangs_up(after=20)
        sim.phone(CUSTOMER).says("My order is late").hangs_up(after=20)
        sim.phone(COACH).says("Offer the discount").hangs_up(after=15)
        agent = sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        customer = place(sim, to=CUSTOMER)
        sim.advance(2)
        room = sim.conferences["support"]
        sim.client().conferences(room.sid).participants.create(
            from_=CALLER_ID, to=COACH, coaching=True, call_sid_to_coach=agent.sid
        )
        sim.run()
    heard = {
        name: [(u.track, u.text) for t in call.realtime_transcriptions or [] for u in t.utterances]
        for name, call in (("agent", agent), ("customer", customer))
    }
    assert heard == {
        "agent": [("outbound_track", "My order is late"), ("outbound_track", "Offer the discount")],
        "customer": [],
    }

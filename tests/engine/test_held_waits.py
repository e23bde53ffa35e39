"""``call.run()`` stops where a call is held, a wait only another call, the app's REST
request or time ends: in a queue (``<Enqueue>``), in a conference room that has not
started, or on hold in a room. Before, a call-centre test driving the caller and the agent
by hand saw the caller's ``run()`` play the wait music for four hours (32015)."""

from __future__ import annotations

import pytest

from tests.engine.helpers import log, response, simulator
from tests.support import APP_URL, CALLER_ID
from twimlsim import ConfigurationError
from twimlsim.as_json import waiting_json
from twimlsim.engine.events import Dequeued, Enqueued, JoinedConference
from twimlsim.engine.process import Waiting

CUSTOMER = "+15557770001"
AGENT = "+15557770002"
HOLD = '<Say>Please hold</Say><Pause length="9"/>'  # one wait loop: 10 seconds


def routes_by_caller(customer: str, agent: str) -> dict[str, object]:
    """The customer's and the agent's documents, told apart by ``From``."""

    def voice(form: dict[str, str]) -> str:
        return response(customer if form["From"] == CUSTOMER else agent)

    return {"/voice": voice, "/wait": response(HOLD)}


def test_run_stops_while_the_caller_waits_in_the_queue_and_the_agent_run_takes_it() -> None:
    routes = routes_by_caller(
        '<Enqueue waitUrl="/wait">support</Enqueue>', "<Dial><Queue>support</Queue></Dial>"
    )
    with simulator(routes) as (sim, _):  # type: ignore[arg-type]
        customer = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        customer.run()
        assert (sim.now.isoformat(), customer.status) == (
            "2026-01-01T09:00:00+00:00",
            "in-progress",
        )
        assert customer.waiting_for == Waiting("Enqueue", (), None)
        sim.advance(25)  # the wait document plays three times meanwhile
        assert customer.waiting_for == Waiting("Enqueue", (), None)
        sim.phone(AGENT).hangs_up(after=30)
        agent = sim.incoming_call(from_=AGENT, to=CALLER_ID)
        agent.run()  # the agent takes the caller and talks until hanging up
        sim.run()
    assert log(customer) == [
        ("voice", "POST", f"{APP_URL}/voice"),
        ("wait", "POST", f"{APP_URL}/wait"),
        ("wait", "POST", f"{APP_URL}/wait"),
        ("wait", "POST", f"{APP_URL}/wait"),
        ("status", "POST", f"{APP_URL}/status"),
    ]
    queued = [e for e in customer.transcript if isinstance(e, Enqueued | Dequeued)]
    assert [(type(e).__name__, e.at.second) for e in queued] == [("Enqueued", 0), ("Dequeued", 25)]
    assert (customer.status, customer.duration, agent.duration) == ("completed", 55, 30)


def test_run_stops_in_a_room_that_has_not_started_and_after_it_starts_at_the_far_end() -> None:
    routes = routes_by_caller(
        '<Dial><Conference waitUrl="">Waiting Room</Conference></Dial>',
        "<Dial><Conference>Waiting Room</Conference></Dial>",
    )
    with simulator(routes) as (sim, _):  # type: ignore[arg-type]
        customer = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        customer.run()
        assert (sim.now.isoformat(), customer.status) == (
            "2026-01-01T09:00:00+00:00",
            "in-progress",
        )
        assert customer.waiting_for == Waiting("Conference", (), None)
        assert sim.conferences["Waiting Room"].status == "init"
        sim.advance(10)
        agent = sim.incoming_call(from_=AGENT, to=CALLER_ID)
        agent.run()
        customer.run()  # what was due at this instant runs: the room starts
        # The room started: each now waits on its far end (speech or keys), as in any room.
        in_room = Waiting("Conference", ("dtmf", "speech"), None)
        assert (customer.waiting_for, agent.waiting_for) == (in_room, in_room)
        assert sim.conferences["Waiting Room"].status == "in-progress"
        agent.hangup()
        customer.hangup()
        sim.run()
    joined = [e.at.second for e in customer.transcript if isinstance(e, JoinedConference)]
    assert (joined, customer.duration, agent.duration) == ([0], 10, 0)


def test_a_held_wait_is_a_wait_without_input_in_the_control_apis_json() -> None:
    routes = {"/voice": response('<Enqueue waitUrl="">support</Enqueue>')}
    with simulator(routes) as (sim, _):
        customer = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        customer.run()
        assert waiting_json(customer.waiting_for) == {
            "verb": "Enqueue",
            "input": [],
            "timeout": None,
            "prompting": False,
        }
        customer.hangup()
        sim.run()
    assert (customer.status, customer.waiting_for) == ("completed", None)


def test_input_given_to_a_held_call_says_what_moves_it_instead() -> None:
    routes = {"/voice": response('<Enqueue waitUrl="">support</Enqueue>')}
    with simulator(routes) as (sim, _):
        customer = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        customer.run()
        with pytest.raises(ConfigurationError) as pressed:
            customer.press("1")
        with pytest.raises(ConfigurationError) as closed:
            customer.close_stream()
        customer.hangup()
        sim.run()
    held = (
        f"call {customer.sid} is held in its queue (call.waiting_for.verb == 'Enqueue', no "
        "input): its far end's keys and words change nothing there; another call takes it "
        "(<Dial><Queue>), the app dequeues or redirects it (REST), or time passes "
        "(sim.advance(seconds)); call.hangup() hangs it up"
    )
    assert (str(pressed.value), str(closed.value)) == (held, f"call.close_stream(): {held}")


@pytest.mark.parametrize(
    ("document", "where"),
    [
        (
            '<Enqueue waitUrl="/wait">support</Enqueue>',
            "waiting in queue 'support', where nobody took the call",
        ),
        (
            "<Dial><Conference>Waiting Room</Conference></Dial>",
            "in conference 'Waiting Room', waiting for it to start or on hold",
        ),
    ],
)
def test_a_caller_held_to_the_time_limit_is_said_to_be_held(document: str, where: str) -> None:
    """The 32015 names the queue or room, not the wait music's last <Play>."""
    with simulator({"/voice": response(document), "/wait": response(HOLD)}, strict=False) as (
        sim,
        _,
    ):
        customer = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.run()
    (limit,) = [f for f in sim.failures if f.code == 32015]
    assert limit.message.split(": ", 1)[1].split(" and its far end")[0] == (
        f"its TwiML was still running ({where})"
    )
    assert customer.duration == 14400

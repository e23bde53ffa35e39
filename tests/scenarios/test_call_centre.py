"""Acceptance: a call centre. Three callers wait in a queue, two agents take callers with
``<Dial><Queue>``, the third caller is dequeued through the REST Members resource; queue
sizes and wait times are asserted as the dashboard (REST) and the app (webhooks) see them."""

from __future__ import annotations

from tests.engine.helpers import base, log, response, simulator
from tests.support import APP_URL, CALLER_ID
from twimlsim import Simulator

CUSTOMERS = ("+15557770001", "+15557770002", "+15557770003")
AGENTS = ("+15556660001", "+15556660002")
ENQUEUE = '<Enqueue action="/queued" waitUrl="/wait">support</Enqueue>'
ROUTES = {
    "/voice": response(ENQUEUE),
    "/wait": response('<Say>Please hold</Say><Pause length="9"/>'),  # 10 s a loop
    "/agent": response('<Dial action="/dialed"><Queue>support</Queue></Dial>'),
    "/voicemail": response("<Say>Please leave a message</Say><Hangup/>"),
}


def at(sim: Simulator, seconds: int) -> object:
    return sim.clock.at(seconds * 1_000_000)


def dashboard(sim: Simulator, queue_sid: str) -> tuple[int, int, list[tuple[int, int]]]:
    """``current_size``, ``average_wait_time`` and each member's (position, wait_time)."""
    client = sim.client()
    queue = client.queues(queue_sid).fetch()
    members = client.queues(queue_sid).members.list()
    return (
        queue.current_size,
        queue.average_wait_time,
        [(member.position, member.wait_time) for member in members],
    )


def test_three_callers_two_agents_and_a_rest_dequeue() -> None:
    with simulator(ROUTES) as (sim, _):
        for agent in AGENTS:
            sim.phone(agent).hangs_up(after=60)
        callers = []
        for customer in CUSTOMERS:
            callers.append(sim.incoming_call(from_=customer, to=CALLER_ID))
            sim.advance(5)
        sim.advance(5)  # t=20
        queue = sim.queues["support"]
        assert queue.members == [call.sid for call in callers]
        assert dashboard(sim, queue.sid) == (3, 15, [(1, 20), (2, 15), (3, 10)])
        client = sim.client()
        agents = [
            sim.calls[client.calls.create(to=agent, from_=CALLER_ID, url=f"{APP_URL}/agent").sid]
            for agent in AGENTS
        ]  # paced at 1 CPS: the first leaves the queue at t=20, the second at t=21
        sim.advance(2)  # t=22
        assert dashboard(sim, queue.sid) == (1, 12, [(1, 12)])
        front = client.queues(queue.sid).members("Front").update(url=f"{APP_URL}/voicemail")
        assert (front.call_sid, front.position, front.wait_time) == (callers[2].sid, 1, 12)
        assert dashboard(sim, queue.sid) == (0, 0, [])
        sim.run()
    first, second, third = callers
    assert [(r.kind, r.at) for r in first.requests] == [
        ("voice", at(sim, 0)),
        ("wait", at(sim, 0)),
        ("wait", at(sim, 10)),
        ("wait", at(sim, 20)),  # its third loop began at the instant the first agent came
        ("enqueue", at(sim, 80)),
        ("status", at(sim, 80)),
    ]
    for caller, customer, seconds, ended in ((first, 0, 20, 80), (second, 1, 16, 81)):
        expected = base(sim, caller, "in-progress", from_=CUSTOMERS[customer], to=CALLER_ID)
        expected.update(QueueResult="bridged", QueueSid=queue.sid, QueueTime=str(seconds))
        action = caller.requests[-2]
        assert (action.kind, action.at, action.params) == ("enqueue", at(sim, ended), expected)
    action = third.requests[-3]
    expected = base(sim, third, "in-progress", from_=CUSTOMERS[2], to=CALLER_ID)
    expected.update(QueueResult="redirected", QueueSid=queue.sid, QueueTime="12")
    assert (action.kind, action.at, action.params) == ("enqueue", at(sim, 22), expected)
    assert log(third)[-2:] == [
        ("update", "POST", f"{APP_URL}/voicemail"),
        ("status", "POST", f"{APP_URL}/status"),
    ]
    assert third.said[-1] == "Please leave a message"
    for agent, number, caller, seconds, ended in (
        (agents[0], AGENTS[0], first, 20, 80),
        (agents[1], AGENTS[1], second, 16, 81),
    ):
        dialed = agent.requests[1]
        expected = base(sim, agent, "completed", to=number)
        expected.update(
            DialBridged="true",
            DialCallDuration="60",
            DialCallSid=caller.sid,
            DialCallStatus="completed",
            QueueSid=queue.sid,
            QueueTime=str(seconds),
        )
        assert (dialed.kind, dialed.at, dialed.params) == ("dial", at(sim, ended), expected)
    assert [(c.status, c.duration) for c in (*callers, *agents)] == [
        ("completed", 80),
        ("completed", 76),
        ("completed", 14),
        ("completed", 60),
        ("completed", 60),
    ]

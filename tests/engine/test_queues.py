"""Call queues: ``<Enqueue>`` (wait document loop, ``<Leave>``, hang-up, full queue, REST
redirect), ``<Dial><Queue>`` (caller first, agent first, the ``<Queue url>`` document, an
empty or missing queue) and the queue model."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.engine.helpers import base, log, place, response, simulator
from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim import CallFailure
from twimlsim.engine.events import Dequeued, Dialed, Enqueued, LeftQueue
from twimlsim.model.queue import Queue

CUSTOMER = "+15557770001"
CUSTOMER2 = "+15557770002"
HOLD = '<Say>Please hold</Say><Pause length="9"/>'  # one wait loop: 10 seconds
ENQUEUE = '<Enqueue action="/queued" waitUrl="/wait">support</Enqueue><Say>not reached</Say>'
AGENT = '<Dial action="/dialed"><Queue url="/whisper">support</Queue></Dial>'


def caller_params(sim, call, status="in-progress", from_=CUSTOMER):  # type: ignore[no-untyped-def]
    return base(sim, call, status, from_=from_, to=CALLER_ID)


def at(sim, seconds):  # type: ignore[no-untyped-def]
    return sim.clock.at(seconds * 1_000_000)


def test_caller_first_waits_in_the_loop_then_is_dequeued_and_bridged() -> None:
    routes = {
        "/voice": response(ENQUEUE),
        "/wait": response(HOLD),
        "/whisper": response("<Say>Connecting you</Say>"),
        "/agent": response(AGENT),
        "/queued": response("<Say>Thanks for calling</Say>"),
    }
    with simulator(routes) as (sim, _):
        sim.phone(CALLEE).hangs_up(after=60)
        caller = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.advance(25)
        queue = sim.queues["support"]
        assert (queue.sid, queue.members) == (sim.queues["support"].sid, [caller.sid])
        assert queue.sid.startswith("QU") and len(queue.sid) == 34
        agent = place(sim, url=f"{APP_URL}/agent")
        sim.run()
    assert log(caller) == [
        ("voice", "POST", f"{APP_URL}/voice"),
        ("wait", "POST", f"{APP_URL}/wait"),
        ("wait", "POST", f"{APP_URL}/wait"),
        ("wait", "POST", f"{APP_URL}/wait"),
        ("queue", "POST", f"{APP_URL}/whisper"),
        ("enqueue", "POST", f"{APP_URL}/queued"),
        ("status", "POST", f"{APP_URL}/status"),
    ]
    waits = [r for r in caller.requests if r.kind == "wait"]
    for request, seconds in zip(waits, (0, 10, 20), strict=True):
        expected = caller_params(sim, caller)
        expected.update(
            QueuePosition="1",
            QueueSid=queue.sid,
            QueueTime=str(seconds),
            AvgQueueTime=str(seconds),
            CurrentQueueSize="1",
            MaxQueueSize="1000",
        )
        assert (request.at, request.params) == (at(sim, seconds), expected)
    whisper = caller.requests[4]
    expected = caller_params(sim, caller)
    expected.update(QueueSid=queue.sid, QueueTime="25", DequeingCallSid=agent.sid)
    assert (whisper.at, whisper.params) == (at(sim, 25), expected)
    # the agent hangs up 60 s after its answer (t=85); bridged from t=26 (after the whisper)
    action = caller.requests[5]
    expected = caller_params(sim, caller)
    expected.update(QueueResult="bridged", QueueSid=queue.sid, QueueTime="25")
    assert (action.at, action.params) == (at(sim, 85), expected)
    assert caller.said == ["Please hold"] * 3 + ["Connecting you", "Thanks for calling"]
    assert (caller.status, caller.duration) == ("completed", 87)
    assert [r.kind for r in agent.requests] == ["voice", "dial"]
    dial_action = agent.requests[1]
    expected = base(sim, agent, "completed")
    expected.update(
        DialBridged="true",
        DialCallDuration="59",
        DialCallSid=caller.sid,
        DialCallStatus="completed",
        QueueSid=queue.sid,
        QueueTime="25",
    )
    assert (dial_action.at, dial_action.params) == (at(sim, 85), expected)
    assert queue.members == []
    queue_events = [e for e in caller.transcript if isinstance(e, Enqueued | Dequeued | LeftQueue)]
    assert queue_events == [
        Enqueued(at(sim, 0), "support", queue.sid, 1),
        Dequeued(at(sim, 25), "support", agent.sid, 25),
        LeftQueue(at(sim, 85), "support", "bridged", 25),
    ]
    assert [e for e in agent.transcript if isinstance(e, Dialed)] == [
        Dialed(at(sim, 85), ("support",), "completed", caller.sid, True, 59)
    ]


def test_agent_first_takes_the_next_caller_at_once() -> None:
    routes = {
        "/voice": response(ENQUEUE),
        "/wait": response(HOLD),
        "/agent": response('<Dial action="/dialed"><Queue>support</Queue></Dial>'),
        "/dialed": response("<Say>Next caller</Say>"),
    }
    with simulator(routes) as (sim, _):
        queue = sim.queue("support")
        sim.phone(CUSTOMER).hangs_up(after=40)
        agent = place(sim, url=f"{APP_URL}/agent")
        sim.advance(5)
        caller = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.run()
    # no wait document: the waiting Dial took the caller as it joined
    assert log(caller) == [
        ("voice", "POST", f"{APP_URL}/voice"),
        ("enqueue", "POST", f"{APP_URL}/queued"),
        ("status", "POST", f"{APP_URL}/status"),
    ]
    action = caller.requests[1]
    expected = caller_params(sim, caller, "completed")
    expected.update(QueueResult="bridged", QueueSid=queue.sid, QueueTime="0")
    assert (action.at, action.params) == (at(sim, 45), expected)
    dial_action = agent.requests[1]
    expected = base(sim, agent, "in-progress")
    expected.update(
        DialBridged="true",
        DialCallDuration="40",
        DialCallSid=caller.sid,
        DialCallStatus="completed",
        QueueSid=queue.sid,
        QueueTime="0",
    )
    assert (dial_action.kind, dial_action.at, dial_action.params) == ("dial", at(sim, 45), expected)
    assert agent.said == ["Next caller"]
    assert (caller.status, caller.duration, agent.duration) == ("completed", 40, 46)


def test_leave_in_the_wait_document_requests_the_action() -> None:
    def wait(form: dict[str, str]) -> str:
        return response('<Pause length="10"/>' if form["QueueTime"] == "0" else "<Leave/>")

    routes = {
        "/voice": response(ENQUEUE),
        "/wait": wait,
        "/queued": response("<Say>Leaving the queue</Say>"),
    }
    with simulator(routes) as (sim, _):
        caller = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.run()
    queue = sim.queues["support"]
    assert [r.kind for r in caller.requests] == ["voice", "wait", "wait", "enqueue", "status"]
    action = caller.requests[3]
    expected = caller_params(sim, caller)
    expected.update(QueueResult="leave", QueueSid=queue.sid, QueueTime="10")
    assert (action.at, action.params) == (at(sim, 10), expected)
    assert caller.said == ["Leaving the queue"]
    assert (queue.members, caller.duration) == ([], 12)


def test_a_wait_document_that_cannot_be_had_takes_the_caller_out_with_error() -> None:
    def wait(form: dict[str, str]) -> str:
        if form["QueueTime"] == "0":
            return response('<Say>Please hold</Say><Pause length="4"/>')
        raise RuntimeError("the hold music service is down")

    routes = {
        "/voice": response(ENQUEUE),
        "/wait": wait,
        "/queued": response("<Say>Sorry, please call back</Say>"),
    }
    with simulator(routes, allow_codes={11200}) as (sim, _):
        caller = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.run()
    queue = sim.queues["support"]
    assert [r.kind for r in caller.requests] == ["voice", "wait", "wait", "enqueue", "status"]
    action = caller.requests[3]
    expected = caller_params(sim, caller)
    expected.update(QueueResult="error", QueueSid=queue.sid, QueueTime="5")
    assert (action.at, action.params) == (at(sim, 5), expected)
    assert [(f.code, f.message) for f in sim.failures] == [
        (
            11200,
            "the app raised RuntimeError: the hold music service is down (Twilio sees HTTP "
            "500); twimlsim then took the caller out of the queue with QueueResult=error "
            "(Twilio's <Enqueue> page: an error in the TwiML retrieved from a waitUrl) and went "
            "on with the <Enqueue> action, or the next verb",
        )
    ]
    assert caller.said == ["Please hold", "Sorry, please call back"]
    assert (queue.members, caller.status) == ([], "completed")


def test_leave_without_action_goes_on_with_the_next_verb() -> None:
    body = '<Enqueue waitUrl="/wait">support</Enqueue><Say>Back again</Say>'
    routes = {"/voice": response(body), "/wait": response("<Say>Hold on</Say><Leave/>")}
    with simulator(routes) as (sim, _):
        caller = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.run()
    assert [r.kind for r in caller.requests] == ["voice", "wait", "status"]
    assert caller.said == ["Hold on", "Back again"]


def test_leave_outside_a_queue_does_nothing() -> None:
    with simulator({"/voice": response("<Leave/><Say>Still here</Say>")}) as (sim, _):
        caller = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.run()
    assert (caller.said, sim.failures) == (["Still here"], [])


def test_caller_hanging_up_while_queued_reports_hangup() -> None:
    routes = {"/voice": response(ENQUEUE), "/wait": response(HOLD)}
    with simulator(routes) as (sim, _):
        sim.phone(CUSTOMER).hangs_up(after=15)
        caller = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.run()
    queue = sim.queues["support"]
    assert [(r.kind, r.at) for r in caller.requests] == [
        ("voice", at(sim, 0)),
        ("wait", at(sim, 0)),
        ("wait", at(sim, 10)),
        ("enqueue", at(sim, 15)),
        ("status", at(sim, 15)),
    ]
    expected = caller_params(sim, caller, "completed")
    expected.update(QueueResult="hangup", QueueSid=queue.sid, QueueTime="15")
    assert caller.requests[3].params == expected
    assert (queue.members, caller.status) == ([], "completed")


def test_a_full_queue_answers_queue_full_at_once() -> None:
    body = '<Enqueue action="/queued" maxQueueSize="1">support</Enqueue>'
    routes = {"/voice": response(body), "/queued": response("<Say>Call back later</Say>")}
    with simulator(routes, allow_codes={14207}) as (sim, _):
        sim.phone(CUSTOMER).hangs_up(after=30)
        first = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.advance(3)
        second = sim.incoming_call(from_=CUSTOMER2, to=CALLER_ID)
        sim.run()
    assert sim.failures == [
        CallFailure(
            second.sid,
            14207,
            "queue 'support' is full (1 of 1 callers): Twilio rejects the <Enqueue> "
            "(QueueResult=queue-full) and logs this warning; raise the <Enqueue>'s maxQueueSize "
            "(up to 5000), or allow code 14207 in a test of a full queue",
            f"{APP_URL}/voice",
            "Enqueue",
            1,
            level="warning",
        )
    ]
    queue = sim.queues["support"]
    assert queue.max_size == 1
    full = second.requests[1]
    expected = caller_params(sim, second, from_=CUSTOMER2)
    expected.update(QueueResult="queue-full")  # not enqueued: no QueueSid, no QueueTime
    assert (full.kind, full.at, full.params) == ("enqueue", at(sim, 3), expected)
    assert second.said == ["Call back later"]
    # the first caller heard Twilio's hold music (no waitUrl) until it hung up
    expected = caller_params(sim, first, "completed")
    expected.update(QueueResult="hangup", QueueSid=queue.sid, QueueTime="30")
    assert [(r.kind, r.method) for r in first.requests[1:2]] == [("wait", "GET")]
    assert [(r.kind, r.params) for r in first.requests[2:3]] == [("enqueue", expected)]


def test_an_empty_queue_makes_the_dial_wait_until_its_timeout() -> None:
    body = '<Dial action="/dialed" timeout="20"><Queue>support</Queue></Dial>'
    with simulator({"/voice": response(body)}) as (sim, _):
        sim.queue("support")
        agent = place(sim)
        sim.run()
    action = agent.requests[1]
    expected = base(sim, agent, "in-progress")
    expected.update(DialBridged="false", DialCallDuration="0", DialCallStatus="no-answer")
    assert (action.kind, action.at, action.params) == ("dial", at(sim, 20), expected)


def test_a_queue_that_does_not_exist_fails_the_dial_at_once() -> None:
    body = '<Dial action="/dialed"><Queue>nobody</Queue></Dial>'
    with simulator({"/voice": response(body)}) as (sim, _):
        agent = place(sim)
        sim.run()
    action = agent.requests[1]
    expected = base(sim, agent, "in-progress")
    expected.update(DialBridged="false", DialCallDuration="0", DialCallStatus="failed")
    assert (action.at, action.params) == (at(sim, 0), expected)


def test_a_rest_redirect_takes_the_caller_out_of_the_queue() -> None:
    routes = {
        "/voice": response(ENQUEUE),
        "/wait": response(HOLD),
        "/elsewhere": response("<Say>Redirected</Say>"),
    }
    with simulator(routes) as (sim, _):
        caller = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.advance(12)
        sim.client().calls(caller.sid).update(url=f"{APP_URL}/elsewhere")
        sim.run()
    queue = sim.queues["support"]
    assert [(r.kind, r.at) for r in caller.requests] == [
        ("voice", at(sim, 0)),
        ("wait", at(sim, 0)),
        ("wait", at(sim, 10)),
        ("enqueue", at(sim, 12)),
        ("update", at(sim, 12)),
        ("status", at(sim, 13)),
    ]
    expected = caller_params(sim, caller)
    expected.update(QueueResult="redirected", QueueSid=queue.sid, QueueTime="12")
    assert caller.requests[3].params == expected
    assert caller.said[-1] == "Redirected"
    assert queue.members == []


def test_dequeue_is_first_in_first_out() -> None:
    routes = {
        "/voice": response('<Enqueue waitUrl="/wait">support</Enqueue>'),
        "/wait": response(HOLD),
        "/agent": response("<Dial><Queue>support</Queue></Dial>"),
    }
    with simulator(routes) as (sim, _):
        sim.phone(CUSTOMER).hangs_up(after=100)
        sim.phone(CUSTOMER2).hangs_up(after=100)
        sim.phone(CALLEE).hangs_up(after=10)
        first = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.advance(1)
        second = sim.incoming_call(from_=CUSTOMER2, to=CALLER_ID)
        sim.advance(1)
        assert sim.queues["support"].members == [first.sid, second.sid]
        second_wait = second.requests[1].params
        assert (second_wait["QueuePosition"], second_wait["CurrentQueueSize"]) == ("2", "2")
        place(sim, url=f"{APP_URL}/agent")
        sim.advance(1)
        assert sim.queues["support"].members == [second.sid]
        sim.run()
    (agent,) = (c for c in sim.calls.values() if c.record.to == CALLEE)
    assert [e for e in first.transcript if isinstance(e, Dequeued)] == [
        Dequeued(at(sim, 2), "support", agent.sid, 2)
    ]
    assert [e for e in second.transcript if isinstance(e, Dequeued)] == []
    # the agent hung up at t=12; the first caller went on with nothing after its Enqueue
    assert (first.status, first.duration, second.duration) == ("completed", 12, 100)


def test_queue_model_keeps_order_position_and_average_wait() -> None:
    queue = Queue("QU" + "0" * 32, "AC" + "0" * 32, "support", datetime(2026, 1, 1, tzinfo=UTC))
    assert (queue.front(), queue.average_wait(0), queue.max_size) == (None, 0, 1000)
    for sid, joined in (("CA1", 10), ("CA2", 20), ("CA3", 30)):
        queue.add(sid, joined * 1_000_000)
    assert queue.average_wait(40 * 1_000_000) == 20  # (30 + 20 + 10) / 3
    assert queue.remove("CA2") == 20_000_000
    assert queue.remove("CA2") is None
    assert (queue.members, queue.size, queue.front()) == (["CA1", "CA3"], 2, "CA1")
    assert (queue.position("CA1"), queue.position("CA3"), "CA3" in queue) == (1, 2, True)
    assert queue.average_wait(40 * 1_000_000) == 20  # (30 + 10) / 2
    queue.add("CA4", 40 * 1_000_000)
    assert (queue.members, queue.position("CA4"), queue.joined_at("CA4")) == (
        ["CA1", "CA3", "CA4"],
        3,
        40_000_000,
    )


def test_a_gather_in_the_wait_document_can_lead_to_leave() -> None:
    gather = '<Gather numDigits="1" action="/choice"><Say>Press 1 to leave</Say></Gather>'
    routes = {
        "/voice": response(ENQUEUE),
        "/wait": response(gather),
        "/choice": response("<Leave/>"),
        "/queued": response("<Say>Leave a message</Say><Hangup/>"),
    }
    with simulator(routes) as (sim, _):
        sim.phone(CUSTOMER).presses("1")
        caller = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.run()
    queue = sim.queues["support"]
    assert [(r.kind, r.url) for r in caller.requests] == [
        ("voice", f"{APP_URL}/voice"),
        ("wait", f"{APP_URL}/wait"),
        ("gather", f"{APP_URL}/choice"),
        ("enqueue", f"{APP_URL}/queued"),
        ("status", f"{APP_URL}/status"),
    ]
    choice = caller.requests[2].params
    assert (choice["Digits"], "QueueSid" in choice) == ("1", False)
    expected = caller_params(sim, caller)
    # the prompt lasts 2 s; the key ends the Gather at once
    expected.update(QueueResult="leave", QueueSid=queue.sid, QueueTime="2")
    assert (caller.requests[3].at, caller.requests[3].params) == (at(sim, 2), expected)
    assert caller.said == ["Press 1 to leave", "Leave a message"]


def test_a_caller_waiting_in_a_gather_is_dequeued() -> None:
    gather = '<Gather timeout="30"><Say>Press a key any time</Say></Gather>'
    routes = {
        "/voice": response(ENQUEUE),
        "/wait": response(gather),
        "/agent": response("<Dial><Queue>support</Queue></Dial>"),
    }
    with simulator(routes) as (sim, _):
        sim.phone(CALLEE).hangs_up(after=20)
        caller = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.advance(8)
        agent = place(sim, url=f"{APP_URL}/agent")
        sim.run()
    queue = sim.queues["support"]
    assert [r.kind for r in caller.requests] == ["voice", "wait", "enqueue", "status"]
    expected = caller_params(sim, caller)
    expected.update(QueueResult="bridged", QueueSid=queue.sid, QueueTime="8")
    assert (caller.requests[2].at, caller.requests[2].params) == (at(sim, 28), expected)
    assert [e for e in agent.transcript if isinstance(e, Dialed)] == [
        Dialed(at(sim, 28), ("support",), "completed", caller.sid, True, 20)
    ]
    # the Gather was cut short by the dequeue (no gather request); the action's empty
    # document ends the call when the agent leaves
    assert (caller.status, caller.duration) == ("completed", 28)


def test_hangup_in_the_wait_document_ends_the_call() -> None:
    routes = {"/voice": response(ENQUEUE), "/wait": response("<Say>Closed</Say><Hangup/>")}
    with simulator(routes) as (sim, _):
        caller = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.run()
    queue = sim.queues["support"]
    assert [r.kind for r in caller.requests] == ["voice", "wait", "enqueue", "status"]
    expected = caller_params(sim, caller, "completed")
    expected.update(QueueResult="hangup", QueueSid=queue.sid, QueueTime="1")
    assert (caller.requests[2].at, caller.requests[2].params) == (at(sim, 1), expected)
    assert (caller.said, caller.duration, queue.members) == (["Closed"], 1, [])


def test_a_rest_redirect_of_a_bridged_caller_ends_the_agents_dial() -> None:
    routes = {
        "/voice": response('<Enqueue action="/queued">support</Enqueue>'),
        "/agent": response('<Dial action="/dialed"><Queue>support</Queue></Dial>'),
        "/survey": response("<Say>Rate the call</Say>"),
    }
    with simulator(routes) as (sim, _):
        caller = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.advance(4)
        agent = place(sim, url=f"{APP_URL}/agent")
        sim.advance(30)
        sim.client().calls(caller.sid).update(url=f"{APP_URL}/survey")
        sim.run()
    queue = sim.queues["support"]
    assert [(r.kind, r.at) for r in caller.requests] == [
        ("voice", at(sim, 0)),
        ("wait", at(sim, 0)),  # Twilio's hold music, until the agent takes the caller
        ("enqueue", at(sim, 34)),
        ("update", at(sim, 34)),
        ("status", at(sim, 36)),
    ]
    expected = caller_params(sim, caller)
    expected.update(QueueResult="redirected-from-bridged", QueueSid=queue.sid, QueueTime="4")
    assert caller.requests[2].params == expected
    dial_action = agent.requests[1]
    expected = base(sim, agent, "in-progress")
    expected.update(
        DialBridged="true",
        DialCallDuration="30",
        DialCallSid=caller.sid,
        DialCallStatus="completed",
        QueueSid=queue.sid,
        QueueTime="4",
    )
    assert (dial_action.at, dial_action.params) == (at(sim, 34), expected)


def test_a_long_hold_loop_is_not_taken_for_a_runaway_call() -> None:
    routes = {
        "/voice": response(ENQUEUE),
        "/wait": response('<Pause length="1"/>'),  # a wait document a second, for 25 minutes
        "/whisper": response("<Say>Connecting you</Say>"),
        "/agent": response(AGENT),
        "/queued": response("<Say>Thanks for calling</Say>"),
    }
    with simulator(routes) as (sim, _):
        sim.phone(CALLEE).hangs_up(after=60)
        caller = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.advance(1500)
        place(sim, url=f"{APP_URL}/agent")
        sim.run()
    assert sum(1 for r in caller.requests if r.kind == "wait") == 1501  # at 0, 1, ... 1500 s
    assert [r.kind for r in caller.requests][-3:] == ["queue", "enqueue", "status"]
    assert sim.failures == []


def test_a_wait_document_that_takes_no_time_is_named_as_such() -> None:
    routes = {"/voice": response(ENQUEUE), "/wait": response("")}
    with simulator(routes, strict=False) as (sim, _):
        caller = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.run()
    assert sum(1 for r in caller.requests if r.kind == "wait") == 99  # and the voice document
    assert [(f.code, f.url, f.message) for f in sim.failures] == [
        (
            None,
            f"{APP_URL}/wait",
            "100 documents fetched without virtual time passing (a wait document is "
            "requested again each time it ends, and this one takes no time: give it a "
            "<Play>, <Say> or <Pause>); twimlsim ended the call",
        )
    ]
    assert (caller.status, caller.duration) == ("completed", 0)


def test_verbs_a_wait_document_may_not_hold_are_reported_and_skipped() -> None:
    """Another <Enqueue> (here the same document, as waitUrl="#" asks) or a <Dial> in the
    wait document: reported without a Twilio code, skipped; the wait goes on."""
    body = '<Enqueue waitUrl="#" maxQueueSize="2">support</Enqueue><Leave/>'
    with simulator({"/voice": response(body)}, strict=False) as (sim, _):
        caller = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.run()
    assert [r.kind for r in caller.requests] == ["voice", "wait", "status"]
    assert [(f.code, f.element, f.line, f.message) for f in sim.failures] == [
        (
            None,
            "Enqueue",
            1,
            "<Enqueue> cannot run in an <Enqueue>'s waitUrl document: it may contain only "
            "Play, Say, Pause, Hangup, Redirect, Leave, Gather; twimlsim skipped it",
        )
    ]
    assert (sim.queues["support"].members, caller.status) == ([], "completed")


def test_hangup_on_star_ends_the_bridge_with_the_caller_taken() -> None:
    """``<Dial hangupOnStar>`` with a ``<Queue>``: the agent's ``*`` ends the bridge; the caller
    taken goes on after its ``<Enqueue>`` (``QueueResult=bridged``), the agent's action
    reports the bridge."""
    routes = {
        "/voice": response('<Enqueue action="/queued">support</Enqueue>'),
        "/queued": response("<Say>Thanks for waiting</Say>"),
        "/agent": response(
            '<Dial action="/dialed" hangupOnStar="true"><Queue>support</Queue></Dial>'
        ),
        "/dialed": response("<Say>Next caller</Say>"),
    }
    with simulator(routes) as (sim, _):
        queue = sim.queue("support")
        caller = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.advance(3)
        sim.phone(CALLEE).presses("*")
        agent = place(sim, url=f"{APP_URL}/agent")
        sim.run()
    dial_action = agent.requests[1]
    expected = base(sim, agent, "in-progress")
    expected.update(
        DialBridged="true",
        DialCallDuration="0",
        DialCallSid=caller.sid,
        DialCallStatus="completed",
        QueueSid=queue.sid,
        QueueTime="3",
    )
    assert (dial_action.kind, dial_action.at, dial_action.params) == ("dial", at(sim, 3), expected)
    wait, action = caller.requests[1:3]
    assert (wait.kind, wait.at) == ("wait", at(sim, 0))  # Twilio's hold music
    expected = caller_params(sim, caller)
    expected.update(QueueResult="bridged", QueueSid=queue.sid, QueueTime="3")
    assert (action.kind, action.at, action.params) == ("enqueue", at(sim, 3), expected)
    assert (agent.said, caller.said) == (["Next caller"], ["Thanks for waiting"])
    assert (caller.status, agent.status) == ("completed", "completed")


def test_the_dial_s_time_limit_counts_from_the_bridge() -> None:
    """``<Dial timeLimit="20"><Queue>``: the agent waits 10 s for a caller, the whisper takes
    1 s, then the two talk 20 s. Counted from the Dial's start, the bridge would end 9 s in;
    restarted at a wake (the agent's key 10 s in, ``hangupOnStar``), 30 s in."""
    routes = {
        "/voice": response('<Enqueue action="/queued">support</Enqueue>'),
        "/agent": response(
            '<Dial action="/dialed" timeout="60" timeLimit="20" hangupOnStar="true">'
            '<Queue url="/whisper">support</Queue></Dial>'
        ),
        "/whisper": response("<Say>A caller</Say>"),  # one second
    }
    with simulator(routes) as (sim, _):
        queue = sim.queue("support")
        agent = place(sim, url=f"{APP_URL}/agent")
        sim.advance(10)
        caller = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.advance(10)
        assert agent.waiting_for is not None and agent.waiting_for.verb == "Dial"
        agent.press("1")  # not the star: the bridge goes on, its time limit unchanged
        sim.run()
    dial_action = agent.requests[1]
    expected = base(sim, agent, "in-progress")
    expected.update(
        DialBridged="true",
        DialCallDuration="20",
        DialCallSid=caller.sid,
        DialCallStatus="completed",
        QueueSid=queue.sid,
        QueueTime="0",
    )
    assert (dial_action.kind, dial_action.url, dial_action.at, dial_action.params) == (
        "dial",
        f"{APP_URL}/dialed",
        at(sim, 31),
        expected,
    )
    assert [event for event in agent.transcript if isinstance(event, Dialed)] == [
        Dialed(at(sim, 31), ("support",), "completed", caller.sid, True, 20)
    ]
    assert [(r.kind, r.at, r.params.get("QueueResult")) for r in caller.requests] == [
        ("voice", at(sim, 10), None),
        ("queue", at(sim, 10), None),
        ("enqueue", at(sim, 31), "bridged"),
        ("status", at(sim, 31), None),
    ]


def test_an_agent_redirected_by_rest_requests_its_dial_action() -> None:
    """Twilio's TwiML changelog (Dial, 2021.05.13): the Dial's action is requested when the
    call is transferred to new TwiML by a REST update; the caller taken goes on."""
    routes = {
        "/voice": response(ENQUEUE),
        "/wait": response(HOLD),
        "/whisper": response("<Say>Connecting you</Say>"),
        "/agent": response(AGENT),
        "/dialed": response("<Say>Not run</Say>"),
        "/queued": response("<Say>Thanks for calling</Say>"),
        "/wrap-up": response("<Say>Wrap up</Say>"),
    }
    with simulator(routes) as (sim, _):
        caller = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.advance(5)
        agent = place(sim, url=f"{APP_URL}/agent")
        sim.advance(20)
        sim.client().calls(agent.sid).update(url=f"{APP_URL}/wrap-up")
        sim.run()
    assert [(kind, url) for kind, _, url in log(agent)] == [
        ("voice", f"{APP_URL}/agent"),
        ("dial", f"{APP_URL}/dialed"),
        ("update", f"{APP_URL}/wrap-up"),
    ]
    queue = sim.queues["support"]
    dialed = agent.requests[1].params
    assert {k: v for k, v in dialed.items() if k.startswith(("Dial", "Queue"))} == {
        "DialBridged": "true",
        "DialCallDuration": "19",  # bridged from t=6 (after the whisper) to the redirect
        "DialCallSid": caller.sid,
        "DialCallStatus": "completed",
        "QueueSid": queue.sid,
        "QueueTime": "5",
    }
    assert dialed["CallStatus"] == "in-progress"
    assert agent.said == ["Wrap up"]
    assert caller.said[-1] == "Thanks for calling"


def test_a_redirect_in_the_wait_document_carries_where_the_caller_stands() -> None:
    routes = {
        "/voice": response(ENQUEUE),
        "/wait": response('<Say>Please hold</Say><Pause length="4"/><Redirect/>'),
        "/queued": response(""),
    }
    with simulator(routes, strict=False) as (sim, _):
        sim.phone(CUSTOMER).hangs_up(after=12)
        sim.phone(CUSTOMER2).hangs_up(after=20)
        caller = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.advance(3)
        sim.incoming_call(from_=CUSTOMER2, to=CALLER_ID)
        sim.run()
    queue_sid = sim.queues["support"].sid

    def where(position: str, seconds: str, average: str, size: str) -> dict[str, str]:
        return {
            **caller_params(sim, caller),
            "QueuePosition": position,
            "QueueSid": queue_sid,
            "QueueTime": seconds,
            "AvgQueueTime": average,
            "CurrentQueueSize": size,
            "MaxQueueSize": "1000",
        }

    # the empty <Redirect/> requests the same document after "Please hold" (1 s) and the
    # 4 s pause, with the queue's parameters as they are then (the second caller joined
    # at 3 s)
    assert [(r.kind, r.method, r.url, r.params) for r in caller.requests[1:4]] == [
        ("wait", "POST", f"{APP_URL}/wait", where("1", "0", "0", "1")),
        ("redirect", "POST", f"{APP_URL}/wait", where("1", "5", "3", "2")),
        ("redirect", "POST", f"{APP_URL}/wait", where("1", "10", "8", "2")),
    ]
    assert [r.at for r in caller.requests[1:4]] == [at(sim, 0), at(sim, 5), at(sim, 10)]


def test_verbs_a_queue_url_document_may_not_hold_are_reported_and_skipped() -> None:
    """Twilio's <Queue> page: "The allowed verbs in this TwiML document are Play, Say,
    Pause, and Redirect". A <Gather> or <Hangup> there is reported (no Twilio code) and
    skipped: the caller is still bridged to the agent."""
    routes = {
        "/voice": response('<Enqueue waitUrl="">support</Enqueue>'),
        "/agent": response('<Dial action="/dialed"><Queue url="/whisper">support</Queue></Dial>'),
        "/whisper": response('<Say>An agent</Say><Gather numDigits="1"/><Hangup/>'),
    }
    with simulator(routes, strict=False) as (sim, _):
        sim.phone(CALLEE).hangs_up(after=20)
        caller = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        agent = place(sim, url=f"{APP_URL}/agent")
        sim.run()
    assert [(f.call_sid, f.code, f.url, f.element, f.message) for f in sim.failures] == [
        (
            caller.sid,
            None,
            f"{APP_URL}/whisper",
            verb,
            f"<{verb}> cannot run in a <Queue url> document: it may contain only Play, Say, "
            "Pause, Redirect; twimlsim skipped it",
        )
        for verb in ("Gather", "Hangup")
    ]
    assert caller.said == ["An agent"]
    dialed = [e for e in agent.transcript if isinstance(e, Dialed)]
    assert [(d.status, d.child_sid, d.bridged, d.seconds) for d in dialed] == [
        ("completed", caller.sid, True, 19)  # bridged after the 1 s whisper, to the hang-up
    ]
    assert caller.status == "completed"


def test_a_caller_hanging_up_while_its_queue_url_document_runs_reports_bridging() -> None:
    # taken by the agent's <Dial><Queue> but not yet bridged (the <Queue url> document runs
    # on its leg): Twilio's QueueResult table, "bridging-in-process: Twilio has been
    # instructed to bridge the enqueued party"; it was reported bridged, a bridge never made
    routes = {
        "/voice": response(ENQUEUE),
        "/wait": response(HOLD),
        "/agent": response(AGENT),
        "/whisper": response('<Say>Connecting you</Say><Pause length="10"/>'),
    }
    with simulator(routes) as (sim, _):
        sim.phone(CUSTOMER).hangs_up(after=8)
        caller = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.advance(2)
        agent = place(sim, url=f"{APP_URL}/agent")
        sim.run()
    queue = sim.queues["support"]
    assert [(r.kind, r.at) for r in caller.requests] == [
        ("voice", at(sim, 0)),
        ("wait", at(sim, 0)),
        ("queue", at(sim, 2)),
        ("enqueue", at(sim, 8)),
        ("status", at(sim, 8)),
    ]
    expected = caller_params(sim, caller, "completed")
    expected.update(QueueResult="bridging-in-process", QueueSid=queue.sid, QueueTime="2")
    assert caller.requests[3].params == expected
    assert [e.result for e in caller.transcript if isinstance(e, LeftQueue)] == [
        "bridging-in-process"
    ]
    (dialed,) = [e for e in agent.transcript if isinstance(e, Dialed)]
    assert (dialed.bridged, dialed.seconds) == (False, 0)


def test_an_enqueue_in_error_requests_its_action_with_error_and_joins_no_queue() -> None:
    # Twilio's QueueResult table: "error: The TwiML contained an error, either in the
    # <Enqueue> verb itself or in the TwiML retrieved from a waitUrl"; QueueSid and
    # QueueTime only "if the call was actually enqueued". A name over 64 characters (14205)
    # made a queue of that name and held the caller in it
    long_name = "q" * 65
    routes = {
        "/voice": response(f'<Enqueue action="/queued">{long_name}</Enqueue><Say>next</Say>'),
        "/queued": response("<Say>Sorry</Say>"),
        "/bare": response(f"<Enqueue>{long_name}</Enqueue><Say>next</Say>"),
    }
    with simulator(routes, allow_codes={14205}) as (sim, _):
        sim.number("+15005550007", voice_url=f"{APP_URL}/bare")
        caller = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        bare = sim.incoming_call(from_=CUSTOMER2, to="+15005550007")
        sim.run()
    assert [(f.call_sid, f.code, f.level) for f in sim.failures] == [
        (caller.sid, 14205, "error"),
        (bare.sid, 14205, "error"),
    ]
    assert [(r.kind, r.at) for r in caller.requests] == [
        ("voice", at(sim, 0)),
        ("enqueue", at(sim, 0)),
        ("status", caller.requests[2].at),
    ]
    expected = caller_params(sim, caller)
    expected["QueueResult"] = "error"
    assert caller.requests[1].params == expected
    assert (caller.said, bare.said) == (["Sorry"], ["next"])
    assert [
        (e.queue, e.result, e.seconds) for e in caller.transcript if isinstance(e, LeftQueue)
    ] == [(long_name, "error", 0)]
    assert (dict(sim.queues), [r.kind for r in bare.requests]) == ({}, ["voice"])

"""``<Dial record>`` around a ``<Queue>`` noun (an agent recording the caller it takes):
a DialVerb recording of the agent's call, from the bridge (``record-from-answer``) or the
Dial's start (``record-from-ringing``) until the Dial ends, in its action and its
recording status callbacks, with exact parameters."""

from __future__ import annotations

from tests.engine.helpers import base, dial_recording_status, place, response, simulator
from tests.support import APP_URL, CALLEE, CALLER_ID

CUSTOMER = "+15557770001"
ENQUEUE = '<Enqueue action="/queued">support</Enqueue>'


def at(sim, seconds):  # type: ignore[no-untyped-def]
    return sim.clock.at(seconds * 1_000_000)


def test_record_from_answer_records_the_bridge_with_the_caller_taken() -> None:
    """The agent waits 10 s for a caller, the ``<Queue url>`` document takes 1 s, then the
    two talk until the caller hangs up 20 s later: the recording covers those 20 s."""
    routes = {
        "/voice": response(ENQUEUE),
        "/agent": response(
            '<Dial action="/dialed" timeout="60" record="record-from-answer" '
            'recordingStatusCallback="/rec" recordingStatusCallbackEvent="in-progress completed">'
            '<Queue url="/whisper">support</Queue></Dial>'
        ),
        "/whisper": response("<Say>A caller</Say>"),  # one second
        "/dialed": response("<Hangup/>"),
    }
    with simulator(routes) as (sim, _):
        queue = sim.queue("support")
        sim.phone(CUSTOMER).hangs_up(after=21)
        agent = place(sim, url=f"{APP_URL}/agent")
        sim.advance(10)
        caller = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.run()
    (recording,) = agent.recordings
    assert caller.recordings == []
    assert (recording.call_sid, recording.source.value, recording.duration) == (
        agent.sid,
        "DialVerb",
        20,
    )
    assert (recording.start_time, recording.status.value) == (at(sim, 11), "completed")
    kinds = [(r.kind, r.url, r.at) for r in agent.requests]
    assert kinds == [
        ("voice", f"{APP_URL}/agent", at(sim, 0)),
        ("recording-status", f"{APP_URL}/rec", at(sim, 11)),
        ("dial", f"{APP_URL}/dialed", at(sim, 31)),
        ("recording-status", f"{APP_URL}/rec", at(sim, 31)),
    ]
    assert agent.requests[1].params == dial_recording_status(
        sim, agent, recording, "in-progress", "1", "both", 11
    )
    assert agent.requests[3].params == dial_recording_status(
        sim, agent, recording, "completed", "1", "both", 11, 20
    )
    expected = base(sim, agent, "in-progress")
    expected.update(
        DialBridged="true",
        DialCallDuration="20",
        DialCallSid=caller.sid,
        DialCallStatus="completed",
        QueueSid=queue.sid,
        QueueTime="0",
        RecordingDuration="20",
        RecordingSid=recording.sid,
        RecordingUrl=(
            f"https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}"
            f"/Recordings/{recording.sid}"
        ),
    )
    assert agent.requests[2].params == expected


def test_record_from_ringing_dual_records_from_the_dial_s_start_even_with_nobody_taken() -> None:
    """An empty queue: the Dial waits its 20 s timeout (no-answer); a ``-from-ringing``
    recording ran all that time, and the action carries it."""
    routes = {
        "/agent": response(
            '<Dial action="/dialed" timeout="20" record="record-from-ringing-dual">'
            "<Queue>support</Queue></Dial>"
        ),
        "/dialed": response("<Hangup/>"),
    }
    with simulator(routes) as (sim, _):
        sim.queue("support")
        agent = place(sim, url=f"{APP_URL}/agent")
        sim.run()
    (recording,) = agent.recordings
    assert (recording.start_time, recording.duration, recording.channels) == (at(sim, 0), 20, 2)
    dialed = agent.requests[1]
    expected = base(sim, agent, "in-progress")
    expected.update(
        DialBridged="false",
        DialCallDuration="0",
        DialCallStatus="no-answer",
        RecordingDuration="20",
        RecordingSid=recording.sid,
        RecordingUrl=(
            f"https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}"
            f"/Recordings/{recording.sid}"
        ),
    )
    assert (dialed.kind, dialed.at, dialed.params) == ("dial", at(sim, 20), expected)


def test_without_record_the_queue_s_bridge_is_not_recorded() -> None:
    routes = {
        "/voice": response(ENQUEUE),
        "/agent": response("<Dial><Queue>support</Queue></Dial>"),
    }
    with simulator(routes) as (sim, _):
        sim.queue("support")
        sim.phone(CUSTOMER).hangs_up(after=5)
        caller = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        agent = place(sim, url=f"{APP_URL}/agent")
        sim.run()
        listed = sim.client().recordings.list()
    assert (agent.recordings, caller.recordings, listed) == ([], [], [])


def test_an_agent_hanging_up_while_bridged_ends_the_recording_with_the_call() -> None:
    routes = {
        "/voice": response(ENQUEUE),
        "/agent": response(
            '<Dial action="/dialed" record="true" recordingStatusCallback="/rec">'
            "<Queue>support</Queue></Dial>"
        ),
    }
    with simulator(routes) as (sim, _):
        sim.queue("support")
        sim.phone(CALLEE).hangs_up(after=12)
        caller = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        agent = place(sim, url=f"{APP_URL}/agent")
        sim.run()
    (recording,) = agent.recordings
    assert [(r.kind, r.at) for r in agent.requests] == [
        ("voice", at(sim, 0)),
        ("dial", at(sim, 12)),
        ("recording-status", at(sim, 12)),
    ]
    assert agent.requests[2].params == dial_recording_status(
        sim, agent, recording, "completed", "1", "both", 0, 12
    )
    dialed = agent.requests[1].params
    assert (dialed["CallStatus"], dialed["DialCallSid"], dialed["RecordingDuration"]) == (
        "completed",
        caller.sid,
        "12",
    )


def test_an_agent_redirected_by_rest_while_bridged_reports_the_recording() -> None:
    """A REST update moves the agent on: the Dial's action is requested (its TwiML not
    run) with the recording, which ends there."""
    routes = {
        "/voice": response(ENQUEUE),
        "/agent": response(
            '<Dial action="/dialed" record="record-from-answer" recordingStatusCallback="/rec">'
            "<Queue>support</Queue></Dial>"
        ),
        "/next": response("<Say>Next</Say>"),
        "/dialed": response("<Say>not run</Say>"),
    }
    with simulator(routes) as (sim, _):
        sim.queue("support")
        caller = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        agent = place(sim, url=f"{APP_URL}/agent")
        sim.advance(7)
        sim.client().calls(agent.sid).update(url=f"{APP_URL}/next")
        sim.run()
    (recording,) = agent.recordings
    assert [(r.kind, r.at) for r in agent.requests] == [
        ("voice", at(sim, 0)),
        ("dial", at(sim, 7)),
        ("recording-status", at(sim, 7)),
        ("update", at(sim, 7)),
    ]
    assert (recording.duration, agent.requests[1].params["RecordingSid"]) == (7, recording.sid)
    assert agent.said == ["Next"]
    assert caller.status == "completed"

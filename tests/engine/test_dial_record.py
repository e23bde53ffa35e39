"""<Dial> recording (every mode, its callbacks, trim, recordingTrack), answerOnBridge and
timeLimit, with exact parameters."""

from __future__ import annotations

import pytest
from twilio.base.exceptions import TwilioRestException

from tests.engine.helpers import (
    base,
    dial_recording_status,
    dial_recording_url,
    first_voice,
    get_url,
    place,
    response,
    simulator,
)
from tests.support import APP_URL, CALLEE, CALLER_ID

AGENT = "+15551230001"


@pytest.mark.parametrize(
    ("mode", "channels", "started", "seconds"),
    [
        ("record-from-answer", "1", 4, 30),
        ("record-from-answer-dual", "2", 4, 30),
        ("record-from-ringing", "1", 0, 34),
        ("record-from-ringing-dual", "2", 0, 34),
    ],
)
@pytest.mark.parametrize("track", ["both", "inbound", "outbound"])
def test_record_modes_tracks_and_every_recording_event(
    mode: str, channels: str, started: int, seconds: int, track: str
) -> None:
    body = (
        f'<Dial record="{mode}" recordingTrack="{track}" trim="trim-silence" action="/dialed" '
        'recordingStatusCallback="rec?leg=1" recordingStatusCallbackMethod="GET" '
        f'recordingStatusCallbackEvent="in-progress completed absent">{AGENT}</Dial>'
    )
    with simulator({"/voice": response(body)}) as (sim, _):
        sim.phone(AGENT).answers(after=4).hangs_up(after=30)
        call = place(sim)
        sim.run()
    (recording,) = call.recordings
    (child,) = call.children
    if track != "both":
        # Twilio's "How to record a single side of a call": "When inbound or outbound
        # audio track is recorded, the resulting recording file will always be
        # mono-channel", -dual or not
        channels = "1"
    kinds = [(r.kind, r.method, r.at) for r in call.requests]
    t = sim.clock.at
    assert kinds == [
        ("voice", "POST", t(0)),
        ("recording-status", "GET", t(started * 1_000_000)),
        ("dial", "POST", t(34_000_000)),
        ("recording-status", "GET", t(34_000_000)),
    ]
    in_progress, completed = call.requests[1], call.requests[3]
    assert in_progress.url == get_url(f"{APP_URL}/rec?leg=1", in_progress.params)
    assert in_progress.params == dial_recording_status(
        sim, call, recording, "in-progress", channels, track, started
    )
    assert completed.params == dial_recording_status(
        sim, call, recording, "completed", channels, track, started, seconds
    )
    action = base(sim, call, "in-progress")
    action.update(
        DialBridged="true",
        DialCallDuration="30",
        DialCallSid=child.sid,
        DialCallStatus="completed",
        RecordingDuration=str(seconds),
        RecordingSid=recording.sid,
        RecordingUrl=dial_recording_url(sim, recording.sid),
    )
    assert call.requests[2].params == action
    # trim="trim-silence" changes nothing: twimlsim models no silence in a conversation
    assert (recording.duration, recording.channels, recording.track) == (
        seconds,
        int(channels),
        track,
    )


def test_a_dial_recording_of_nothing_is_absent() -> None:
    body = (
        f'<Dial record="record-from-ringing" action="/dialed" recordingStatusCallback="/rec" '
        f'recordingStatusCallbackEvent="absent">{AGENT}</Dial>'
    )
    with simulator({"/voice": response(body)}) as (sim, _):
        sim.phone(AGENT).busy()
        call = place(sim)
        sim.run()
    (recording,) = call.recordings
    (child,) = call.children
    absent = dial_recording_status(sim, call, recording, "absent", "1", "both", 0, 0)
    absent["ErrorCode"] = "16101"
    assert [r.kind for r in call.requests] == ["voice", "dial", "recording-status"]
    assert call.requests[2].params == absent
    action = base(sim, call, "in-progress")
    action.update(
        DialBridged="false",
        DialCallDuration="0",
        DialCallSid=child.sid,
        DialCallStatus="busy",
        RecordingDuration="0",
        RecordingSid=recording.sid,
        RecordingUrl=dial_recording_url(sim, recording.sid),
    )
    assert call.requests[1].params == action


def test_answer_on_bridge_answers_the_inbound_call_with_the_child() -> None:
    body = f'<Dial answerOnBridge="true" action="/dialed">{AGENT}</Dial>'
    with simulator({"/voice": response(body)}) as (sim, _):
        sim.phone(AGENT).answers(after=7).hangs_up(after=10)
        call = sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        sim.run()
    (child,) = call.children
    voice, dialed, status = call.requests
    assert voice.params == first_voice(sim, call)
    expected = base(sim, call, "in-progress", from_=CALLEE, to=CALLER_ID)
    expected.update(
        DialBridged="true", DialCallDuration="10", DialCallSid=child.sid, DialCallStatus="completed"
    )
    assert (dialed.at, dialed.params) == (sim.clock.at(17_000_000), expected)
    assert (status.params["CallDuration"], status.params["Duration"]) == ("10", "1")
    assert call.answered_at == child.answered_at == sim.clock.at(7_000_000)


def test_answer_on_bridge_without_an_answer_leaves_the_call_ringing() -> None:
    body = f'<Dial answerOnBridge="true" timeout="15" action="/dialed">{AGENT}</Dial>'
    routes = {"/voice": response(body), "/dialed": response("<Reject/>")}
    with simulator(routes) as (sim, _):
        sim.phone(AGENT).no_answer()
        call = sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        sim.run()
    (child,) = call.children
    expected = base(sim, call, "ringing", from_=CALLEE, to=CALLER_ID)
    expected.update(
        DialBridged="false", DialCallDuration="0", DialCallSid=child.sid, DialCallStatus="no-answer"
    )
    assert call.requests[1].params == expected
    assert (call.status, call.answered_at, call.duration) == ("no-answer", None, 0)


def test_time_limit_ends_the_bridge_with_exact_parameters() -> None:
    noun = f'<Number statusCallback="/leg">{AGENT}</Number>'
    body = f'<Dial timeLimit="60" action="/dialed">{noun}</Dial>'
    with simulator({"/voice": response(body)}) as (sim, _):
        sim.phone(AGENT).answers(after=5)
        call = place(sim)
        sim.run()
    (child,) = call.children
    leg = base(sim, child, "completed", to=AGENT)
    leg.update(
        CallbackSource="call-progress-events",
        SequenceNumber="0",
        Timestamp="Thu, 01 Jan 2026 09:01:05 +0000",
        CallDuration="60",
        Duration="1",
        SipResponseCode="200",
    )
    assert [r.params for r in child.requests] == [leg]
    expected = base(sim, call, "in-progress")
    expected.update(
        DialBridged="true", DialCallDuration="60", DialCallSid=child.sid, DialCallStatus="completed"
    )
    assert (call.requests[1].at, call.requests[1].params) == (sim.clock.at(65_000_000), expected)
    assert sim.failures == []  # a Dial's own timeLimit is no stuck-call warning


@pytest.mark.parametrize("who_hangs_up", ["callee", "caller"])
def test_the_answered_legs_completed_callback_carries_the_dial_recording(
    who_hangs_up: str,
) -> None:
    """Twilio's <Number> page: the leg's status callback has RecordingUrl, RecordingSid and
    RecordingDuration when record is set on the <Dial>, in the completed event only."""
    body = (
        '<Dial record="record-from-answer" action="/done">'
        '<Number statusCallback="/leg" statusCallbackEvent="answered completed">'
        f"{AGENT}</Number></Dial>"
    )
    routes = {"/voice": response(body), "/done": response(""), "/leg": response("")}
    with simulator(routes) as (sim, _):
        sim.phone(AGENT).answers(after=4)
        if who_hangs_up == "callee":
            sim.phone(AGENT).hangs_up(after=30)
        else:
            sim.phone(CALLEE).hangs_up(after=34)
        call = place(sim)
        sim.run()
    (recording,) = call.recordings
    (leg,) = call.children
    answered, completed = [r.params for r in leg.requests if r.kind == "status"]
    assert "RecordingUrl" not in answered
    assert {k: completed[k] for k in completed if k.startswith("Recording")} == {
        "RecordingDuration": "30",
        "RecordingSid": recording.sid,
        "RecordingUrl": dial_recording_url(sim, recording.sid),
    }
    assert recording.duration == 30


def test_a_leg_of_a_dial_that_does_not_record_has_no_recording_parameters() -> None:
    body = f'<Dial><Number statusCallback="/leg">{AGENT}</Number></Dial>'
    routes = {"/voice": response(body), "/leg": response("")}
    with simulator(routes) as (sim, _):
        sim.phone(AGENT).answers(after=4).hangs_up(after=30)
        call = place(sim)
        sim.run()
    (leg,) = call.children
    (completed,) = [r.params for r in leg.requests if r.kind == "status"]
    assert not [k for k in completed if k.startswith("Recording")]


def test_a_dial_record_of_a_conference_records_the_callers_time_in_the_room() -> None:
    """Twilio's <Dial> page: with a nested <Conference> a dual-channel record gives two
    channels (the caller, then the conference's audio); the action carries the recording
    as for any <Dial record>."""
    body = (
        '<Dial record="record-from-answer-dual" recordingStatusCallback="/rec" '
        'action="/done" timeLimit="10"><Conference>room</Conference></Dial>'
    )
    routes = {"/voice": response(body), "/rec": response(""), "/done": response("")}
    with simulator(routes) as (sim, _):
        call = place(sim)
        sim.run()
    (recording,) = call.recordings
    assert (recording.duration, recording.channels, recording.source) == (10, 2, "DialVerb")
    (action,) = [r.params for r in call.requests if r.kind == "dial"]
    assert (action["DialCallStatus"], action["RecordingDuration"]) == ("answered", "10")
    assert action["RecordingSid"] == recording.sid
    assert action["RecordingUrl"] == dial_recording_url(sim, recording.sid)
    (callback,) = [r for r in call.requests if r.kind == "recording-status"]
    assert callback.params == dial_recording_status(
        sim, call, recording, "completed", "2", "both", 0, 10
    )
    assert callback.at == sim.clock.at(10_000_000)


def test_a_conference_dial_without_record_records_nothing() -> None:
    body = '<Dial action="/done" timeLimit="5"><Conference>room</Conference></Dial>'
    with simulator({"/voice": response(body), "/done": response("")}) as (sim, _):
        call = place(sim)
        sim.run()
    assert call.recordings == []
    (action,) = [r.params for r in call.requests if r.kind == "dial"]
    # no Recording* parameter: the call's own and the Dial's outcome only
    assert action == {**base(sim, call, "in-progress"), "DialCallStatus": "answered"}


def _paused_dial(stop_at: int | None) -> tuple:  # type: ignore[type-arg]
    """A bridged ``<Dial record>`` the app pauses 10 s in (``skip``, through
    ``Twilio.CURRENT``), resumes 20 s later and, given ``stop_at``, stops then; the agent
    hangs up 60 s after answering."""
    body = (
        '<Dial record="record-from-answer" action="/dialed" recordingStatusCallback="/rec">'
        f'<Number statusCallback="/leg">{AGENT}</Number></Dial>'
    )
    with simulator({"/voice": response(body)}) as (sim, _):
        sim.phone(AGENT).hangs_up(after=60)
        call = place(sim)
        current = sim.client().calls(call.sid).recordings("Twilio.CURRENT")
        sim.advance(10)
        paused = current.update(status="paused", pause_behavior="skip")
        sim.advance(20)
        resumed = current.update(status="in-progress")
        stopped = None
        if stop_at is not None:
            sim.advance(stop_at - 30)
            stopped = current.update(status="stopped")
        sim.run()
        with pytest.raises(TwilioRestException) as refused:  # the Dial's recording has ended
            sim.client().calls(call.sid).recordings(paused.sid).update(status="paused")
    return sim, call, (paused, resumed, stopped), refused.value


def test_a_dial_recording_is_paused_and_resumed_through_the_rest_api() -> None:
    """Twilio's "Call Recording Controls": a recording a <Dial> started can be paused and
    resumed by REST; with ``skip`` the pause is left out of it (60 s bridged, 20 s paused:
    40 s), in the action, the recording callback and the leg's completed callback."""
    sim, call, (paused, resumed, _), _ = _paused_dial(None)
    (recording,) = call.recordings
    (child,) = call.children
    assert (paused.sid, paused.status, paused.source) == (recording.sid, "paused", "DialVerb")
    assert (resumed.sid, resumed.status) == (recording.sid, "in-progress")
    dialed = next(r for r in call.requests if r.kind == "dial")
    assert (dialed.params["RecordingSid"], dialed.params["RecordingDuration"]) == (
        recording.sid,
        "40",
    )
    (completed,) = [r for r in call.requests if r.kind == "recording-status"]
    assert completed.params == dial_recording_status(
        sim, call, recording, "completed", "1", "both", 0, 40
    )
    assert (recording.status.value, recording.duration) == ("completed", 40)
    leg_end = next(r for r in child.requests if r.params["CallStatus"] == "completed")
    assert leg_end.params["RecordingDuration"] == "40"


def test_a_dial_recording_stopped_by_rest_reports_once_at_the_stop() -> None:
    sim, call, (_, _, stopped), refused = _paused_dial(45)
    (recording,) = call.recordings
    assert stopped is not None and (stopped.status, stopped.duration) == ("stopped", "25")
    events = [(r.kind, r.at) for r in call.requests if r.kind in ("recording-status", "dial")]
    t = sim.clock.at
    assert events == [("recording-status", t(45_000_000)), ("dial", t(60_000_000))]
    dialed = next(r for r in call.requests if r.kind == "dial")
    assert dialed.params["RecordingDuration"] == "25"
    assert (refused.status, refused.code) == (400, 21220)


def test_a_conference_dial_recording_is_paused_through_the_rest_api() -> None:
    """The caller's ``<Dial record>`` recording in a room is under REST control too: 30 s in
    the room, 12 of them paused with ``skip``, give 18 s."""
    body = (
        '<Dial record="record-from-answer" recordingStatusCallback="/rec" action="/done" '
        'timeLimit="30"><Conference>room</Conference></Dial>'
    )
    routes = {"/voice": response(body), "/rec": response(""), "/done": response("")}
    with simulator(routes) as (sim, _):
        call = place(sim)
        sim.advance(5)
        current = sim.client().calls(call.sid).recordings("Twilio.CURRENT")
        paused = current.update(status="paused", pause_behavior="skip")
        sim.advance(12)
        resumed = current.update(status="in-progress")
        sim.run()
    (recording,) = call.recordings
    assert (paused.sid, paused.status, resumed.status) == (recording.sid, "paused", "in-progress")
    assert (recording.duration, recording.status.value) == (18, "completed")
    action = next(r for r in call.requests if r.kind == "dial").params
    assert (action["DialCallStatus"], action["RecordingDuration"]) == ("answered", "18")
    (callback,) = [r for r in call.requests if r.kind == "recording-status"]
    assert callback.params == dial_recording_status(
        sim, call, recording, "completed", "1", "both", 0, 18
    )
    assert callback.at == sim.clock.at(30_000_000)

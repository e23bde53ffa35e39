"""Recordings around a conference: a REST-added participant's own call recording
(``Record=true`` on the Participants create) and the room recording's REST control
(update with ``Status``/``PauseBehavior``, delete); exact callbacks and JSON."""

from __future__ import annotations

from tests.engine.helpers import response, simulator
from tests.support import APP_URL, CALLER_ID, account_api, twilio_error_body

CUSTOMER = "+15557770001"
AGENT = "+15558880001"
AGENT2 = "+15558880002"
T0 = "Thu, 01 Jan 2026 09:00:00 +0000"


def stamp(seconds: int) -> str:
    return f"Thu, 01 Jan 2026 09:00:{seconds:02d} +0000"


def test_a_participant_created_with_record_has_its_call_recorded() -> None:
    room_twiml = response(
        '<Dial><Conference waitUrl="" statusCallback="/conf" statusCallbackEvent="join leave end">'
        "Support</Conference></Dial>"
    )
    with simulator({"/voice": room_twiml}) as (sim, _):
        sim.phone(CUSTOMER).hangs_up(after=60)
        sim.phone(AGENT).hangs_up(after=50)
        sim.phone(AGENT2).no_answer()
        customer = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        created = account_api(
            sim,
            "POST",
            "/Conferences/Support/Participants.json",
            From=CALLER_ID,
            To=AGENT,
            Record="true",
            RecordingChannels="dual",
            RecordingTrack="inbound",
            Trim="do-not-trim",
            RecordingStatusCallback=f"{APP_URL}/rec",
            RecordingStatusCallbackMethod="GET",
            RecordingStatusCallbackEvent="started in-progress completed",
            TimeLimit="10",
            EndConferenceOnExit="true",
            Muted="true",
        )
        assert created.status_code == 201
        unanswered = account_api(
            sim,
            "POST",
            "/Conferences/Support/Participants.json",
            From=CALLER_ID,
            To=AGENT2,
            Timeout="7",
        )
        sim.run()
        agent = sim.calls[created.json()["call_sid"]]
        [recording] = agent.recordings
        fetched = sim.client().recordings(recording.sid).fetch()
    root = f"/2010-04-01/Accounts/{sim.account_sid}"
    common = {
        "AccountSid": sim.account_sid,
        "CallSid": agent.sid,
        "ErrorCode": "0",
        "RecordingChannels": "2",
        "RecordingSid": recording.sid,
        "RecordingSource": "OutboundAPI",
        "RecordingStartTime": T0,
        "RecordingTrack": "inbound",
        "RecordingUrl": f"https://api.twilio.com{root}/Recordings/{recording.sid}",
    }
    callbacks = [r for r in sim.requests if r.kind == "recording-status"]
    assert [(r.method, r.url.split("?")[0], r.at, r.params) for r in callbacks] == [
        ("GET", f"{APP_URL}/rec", sim.clock.start, common | {"RecordingStatus": "in-progress"}),
        (
            "GET",
            f"{APP_URL}/rec",
            sim.clock.at(10_000_000),
            common | {"RecordingStatus": "completed", "RecordingDuration": "10"},
        ),
    ]
    assert (fetched.call_sid, fetched.conference_sid, fetched.source) == (
        agent.sid,
        None,
        "OutboundAPI",
    )
    assert (fetched.duration, fetched.channels) == ("10", 2)
    room = sim.conferences["Support"]
    events = [
        (r.params["StatusCallbackEvent"], r.params.get("CallSid"), r.params.get("Muted"), r.at)
        for r in room.requests
    ]
    at = sim.clock.at
    missed = unanswered.json()["call_sid"]
    assert events == [
        ("participant-join", customer.sid, "false", at(0)),
        ("participant-join", agent.sid, "true", at(0)),
        ("participant-leave", missed, "false", at(8_000_000)),  # 1 s in the queue, 7 s ringing
        ("participant-leave", agent.sid, "true", at(10_000_000)),  # its TimeLimit
        ("participant-leave", customer.sid, "false", at(10_000_000)),
        ("conference-end", None, None, at(10_000_000)),
    ]
    assert room.requests[-1].params["ReasonConferenceEnded"] == (
        "participant-with-end-conference-on-exit-left"
    )
    assert customer.status == "completed" and sim.calls[missed].status == "no-answer"


def test_a_participant_recording_event_outside_twilios_list_is_refused() -> None:
    with simulator({}) as (sim, _):
        refused = account_api(
            sim,
            "POST",
            "/Conferences/Support/Participants.json",
            From=CALLER_ID,
            To=AGENT,
            Record="true",
            RecordingStatusCallbackEvent="in-progress finished",
        )
    assert (refused.status_code, refused.json()) == (
        400,
        twilio_error_body(400, 20422, "RecordingStatusCallbackEvent is not valid: finished"),
    )

"""Recordings around a conference: a REST-added participant's own call recording
(``Record=true`` on the Participants create) and the room recording's REST control
(update with ``Status``/``PauseBehavior``, delete); exact callbacks and JSON."""

from __future__ import annotations

from tests.engine.helpers import response, simulator
from tests.support import APP_URL, CALLER_ID, account_api, twilio_error_body
from twimlsim import Simulator

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
            TimeLimit="15",
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
        "RecordingChannels": "1",  # one track is mono, dual asked or not
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
            sim.clock.at(15_000_000),
            common | {"RecordingStatus": "completed", "RecordingDuration": "15"},
        ),
    ]
    assert (fetched.call_sid, fetched.conference_sid, fetched.source) == (
        agent.sid,
        None,
        "OutboundAPI",
    )
    assert (fetched.duration, fetched.channels) == ("15", 1)
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
        # 1 s in the queue, then its Timeout of 7 s and the 5 s Twilio always adds
        ("participant-leave", missed, "false", at(13_000_000)),
        ("participant-leave", agent.sid, "true", at(15_000_000)),  # its TimeLimit
        ("participant-leave", customer.sid, "false", at(15_000_000)),
        ("conference-end", None, None, at(15_000_000)),
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
        twilio_error_body(
            400,
            20422,
            "RecordingStatusCallbackEvent is not valid: finished. Use one of started, "
            "in-progress, paused, resumed, stopped, completed, failed, absent; send several "
            "separated by spaces or each as its own RecordingStatusCallbackEvent parameter",
        ),
    )


def _recorded_room(sim: Simulator) -> None:
    """Two REST-added participants; the first records the room, reporting to /room-rec."""
    sim.phone(AGENT).hangs_up(after=60)
    sim.phone(AGENT2).hangs_up(after=60)
    participants = sim.client().conferences("Standup").participants
    participants.create(
        from_=CALLER_ID,
        to=AGENT,
        conference_record="record-from-start",
        conference_recording_status_callback=f"{APP_URL}/room-rec",
        conference_recording_status_callback_event=["in-progress", "completed", "absent"],
    )
    participants.create(from_=CALLER_ID, to=AGENT2)


def test_a_conference_recording_is_paused_resumed_and_stopped_by_rest() -> None:
    with simulator({}) as (sim, _):
        _recorded_room(sim)
        sim.advance(11)  # the room started at t=1, when the second participant answered
        room = sim.conferences["Standup"]
        [recording] = room.recordings
        path = f"/Conferences/{room.sid}/Recordings/{recording.sid}.json"
        paused = account_api(sim, "POST", path, Status="paused", PauseBehavior="skip")
        sim.advance(10)
        resumed = account_api(
            sim,
            "POST",
            f"/Conferences/{room.sid}/Recordings/Twilio.CURRENT.json",
            Status="in-progress",
        )
        sim.advance(10)
        stopped = (
            sim.client().conferences(room.sid).recordings(recording.sid).update(status="stopped")
        )
        again = account_api(sim, "POST", path, Status="paused")
        current = account_api(
            sim, "POST", f"/Conferences/{room.sid}/Recordings/Twilio.CURRENT.json", Status="paused"
        )
        sim.run()
        fetched = account_api(sim, "GET", path).json()
    root = f"/2010-04-01/Accounts/{sim.account_sid}"
    body = {
        "account_sid": sim.account_sid,
        "api_version": "2010-04-01",
        "call_sid": room.participants[0].sid,
        "conference_sid": room.sid,
        "date_created": stamp(1),
        "date_updated": stamp(11),
        "start_time": stamp(1),
        "duration": "-1",
        "sid": recording.sid,
        "price": None,
        "price_unit": "USD",
        "status": "paused",
        "channels": 1,
        "source": "Conference",
        "error_code": None,
        "encryption_details": None,
        "uri": f"{root}/Conferences/{room.sid}/Recordings/{recording.sid}.json",
    }
    assert (paused.status_code, paused.json()) == (200, body)
    assert resumed.json() == body | {"status": "in-progress", "date_updated": stamp(21)}
    assert (stopped.status, stopped.duration) == ("stopped", "20")  # 10 s paused, skipped
    assert fetched == body | {"status": "completed", "duration": "20", "date_updated": stamp(31)}
    assert (again.status_code, again.json()) == (
        400,
        twilio_error_body(
            400,
            21220,
            f"Recording {recording.sid} is completed; only a recording of a conference still "
            "in progress can be paused, resumed or stopped",
        ),
    )
    assert (current.status_code, current.json()["code"]) == (404, 20404)
    callbacks = [r for r in room.requests if r.kind == "recording-status"]
    assert [
        (r.url, r.at, r.params["RecordingStatus"], r.params.get("RecordingDuration"))
        for r in callbacks
    ] == [
        (f"{APP_URL}/room-rec", sim.clock.at(1_000_000), "in-progress", None),
        (f"{APP_URL}/room-rec", sim.clock.at(31_000_000), "completed", "20"),
    ]


def test_deleting_a_conference_recording_removes_it_and_ends_it_silently() -> None:
    with simulator({}) as (sim, _):
        _recorded_room(sim)
        sim.advance(5)
        room = sim.conferences["Standup"]
        [recording] = room.recordings
        path = f"/Conferences/{room.sid}/Recordings/{recording.sid}.json"
        deleted = account_api(sim, "DELETE", path)
        missing = account_api(sim, "GET", path)
        listed = account_api(sim, "GET", f"/Conferences/{room.sid}/Recordings.json").json()
        update_gone = account_api(sim, "POST", path, Status="paused")
        soft = account_api(sim, "GET", f"/Recordings/{recording.sid}.json?IncludeSoftDeleted=true")
        sim.run()
    assert (deleted.status_code, deleted.content) == (204, b"")
    # Twilio keeps a deleted recording's metadata (its fetchIncludeSoftDeleted example)
    assert (soft.status_code, soft.json()["status"], soft.json()["conference_sid"]) == (
        200,
        "deleted",
        room.sid,
    )
    assert (missing.status_code, missing.json()["code"]) == (404, 20404)
    assert (update_gone.status_code, update_gone.json()["code"]) == (404, 20404)
    assert listed["recordings"] == [] and sim.store.recordings == {}
    assert [r.params["RecordingStatus"] for r in room.requests if r.kind == "recording-status"] == [
        "in-progress"
    ]
    assert room.status == "completed"


def test_a_conference_recording_deleted_through_the_account_ends_silently_too() -> None:
    with simulator({}) as (sim, _):
        _recorded_room(sim)
        sim.advance(5)
        room = sim.conferences["Standup"]
        [recording] = room.recordings
        deleted = account_api(sim, "DELETE", f"/Recordings/{recording.sid}.json")
        current = f"/Conferences/{room.sid}/Recordings/Twilio.CURRENT.json"
        update_gone = account_api(sim, "POST", current, Status="paused")
        listed = account_api(sim, "GET", f"/Conferences/{room.sid}/Recordings.json").json()
        sim.run()
    assert (deleted.status_code, deleted.content) == (204, b"")
    assert (update_gone.status_code, update_gone.json()["code"]) == (404, 20404)
    assert listed["recordings"] == []
    assert [r.params["RecordingStatus"] for r in room.requests if r.kind == "recording-status"] == [
        "in-progress"
    ]


def test_a_rooms_recordings_list_filters_by_date_created() -> None:
    with simulator({}) as (sim, _):
        _recorded_room(sim)
        sim.advance(5)
        room = sim.conferences["Standup"]
        [recording] = room.recordings
        path = f"/Conferences/{room.sid}/Recordings.json"
        listed = {
            query: [r["sid"] for r in account_api(sim, "GET", path + query).json()["recordings"]]
            for query in (
                "?DateCreated=2026-01-01",
                "?DateCreated=2026-01-02",
                "?DateCreated>=2026-01-02",
                "?DateCreated<=2026-01-02",
            )
        }
        refused = account_api(sim, "GET", path + "?DateCreated=today")
        sim.run()
    assert listed == {
        "?DateCreated=2026-01-01": [recording.sid],
        "?DateCreated=2026-01-02": [],
        "?DateCreated>=2026-01-02": [],
        "?DateCreated<=2026-01-02": [recording.sid],
    }
    assert refused.status_code == 400
    assert refused.json() == twilio_error_body(
        400, 20422, "DateCreated is not a valid date: today. Use YYYY-MM-DD (UTC)"
    )

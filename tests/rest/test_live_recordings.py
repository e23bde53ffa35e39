"""Recording control on a live call: start, pause (skip or silence), resume, stop, fetch and
list while live; the recording's length, media and callbacks follow what was recorded."""

from __future__ import annotations

import io
import wave

import pytest
import requests
from flask import Flask, request

from tests.rest.test_edges import api, assert_error
from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim import Simulator

RECORDED = "https://recorded.test"
MINUTE_OF_SILENCE = '<Response><Pause length="60"/></Response>'


@pytest.fixture
def callbacks(sim: Simulator) -> list[dict[str, str]]:
    """Recording status callbacks received at ``RECORDED/status``."""
    received: list[dict[str, str]] = []
    app = Flask("recording-callbacks")

    @app.post("/status")
    def status() -> tuple[str, int]:
        received.append(request.form.to_dict())
        return "", 204

    sim.route(RECORDED, app)
    return received


def live_call(sim: Simulator) -> str:
    """A call answered at once that lasts 60 s; the clock is at its answer."""
    sid = str(sim.client().calls.create(to=CALLEE, from_=CALLER_ID, twiml=MINUTE_OF_SILENCE).sid)
    sim.advance(0)
    assert sim.calls[sid].status == "in-progress"
    return sid


def start(sim: Simulator, call_sid: str, **form: str) -> requests.Response:
    return api(sim, "POST", f"/2010-04-01/Accounts/{{ac}}/Calls/{call_sid}/Recordings.json", form)


def update(sim: Simulator, call_sid: str, sid: str, **form: str) -> requests.Response:
    path = f"/2010-04-01/Accounts/{{ac}}/Calls/{call_sid}/Recordings/{sid}.json"
    return api(sim, "POST", path, form)


def wav_seconds(sim: Simulator, recording_sid: str) -> tuple[float, int]:
    url = f"https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}/Recordings/{recording_sid}"
    media = requests.get(url, timeout=5)
    with wave.open(io.BytesIO(media.content)) as wav:
        return wav.getnframes() / wav.getframerate(), wav.getnchannels()


def test_paused_ten_seconds_of_a_sixty_second_call_with_skip_gives_fifty(
    sim: Simulator, callbacks: list[dict[str, str]]
) -> None:
    call_sid = live_call(sim)
    started = start(
        sim,
        call_sid,
        RecordingStatusCallback=f"{RECORDED}/status",
        RecordingStatusCallbackEvent="in-progress completed absent",
        RecordingChannels="dual",
    )
    assert started.status_code == 201
    body = started.json()
    sid = body["sid"]
    uri = f"/2010-04-01/Accounts/{sim.account_sid}/Calls/{call_sid}/Recordings/{sid}.json"
    at_start = "Thu, 01 Jan 2026 09:00:00 +0000"
    assert body == {
        "account_sid": sim.account_sid,
        "api_version": "2010-04-01",
        "call_sid": call_sid,
        "conference_sid": None,
        "date_created": at_start,
        "date_updated": at_start,
        "start_time": at_start,
        "duration": "-1",
        "sid": sid,
        "price": None,
        "price_unit": "USD",
        "status": "in-progress",
        "channels": 2,
        "source": "StartCallRecordingAPI",
        "error_code": None,
        "encryption_details": None,
        "uri": uri,
        "track": "both",
    }
    sim.advance(20)
    paused = update(sim, call_sid, sid, Status="paused", PauseBehavior="skip").json()
    assert (paused["status"], paused["duration"], paused["date_updated"]) == (
        "paused",
        "-1",
        "Thu, 01 Jan 2026 09:00:20 +0000",
    )
    listed = sim.client().calls(call_sid).recordings.list()
    assert [(r.sid, r.status) for r in listed] == [(sid, "paused")]
    sim.advance(10)
    resumed = update(sim, call_sid, sid, Status="in-progress").json()
    assert resumed["status"] == "in-progress"
    sim.run()
    fetched = sim.client().calls(call_sid).recordings(sid).fetch()
    assert (fetched.status, fetched.duration) == ("completed", "50")
    assert wav_seconds(sim, sid) == (50.0, 2)
    common = {
        "AccountSid": sim.account_sid,
        "CallSid": call_sid,
        "ErrorCode": "0",
        "RecordingChannels": "2",
        "RecordingSid": sid,
        "RecordingSource": "StartCallRecordingAPI",
        "RecordingStartTime": at_start,
        "RecordingTrack": "both",
        "RecordingUrl": (
            f"https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}/Recordings/{sid}"
        ),
    }
    assert callbacks == [
        {**common, "RecordingStatus": "in-progress"},
        {**common, "RecordingStatus": "completed", "RecordingDuration": "50"},
    ]
    assert [r.kind for r in sim.calls[call_sid].requests] == ["recording-status"] * 2


def test_silence_keeps_the_pause_and_stop_ends_the_recording_early(
    sim: Simulator, callbacks: list[dict[str, str]]
) -> None:
    call_sid = live_call(sim)
    sim.advance(5)
    sid = start(sim, call_sid, RecordingStatusCallback=f"{RECORDED}/status").json()["sid"]
    sim.advance(10)
    update(sim, call_sid, sid, Status="paused")  # PauseBehavior defaults to silence
    sim.advance(10)
    update(sim, call_sid, sid, Status="in-progress")
    sim.advance(5)
    stopped = update(sim, call_sid, sid, Status="stopped")
    assert (stopped.status_code, stopped.json()["status"], stopped.json()["duration"]) == (
        200,
        "stopped",
        "25",
    )
    assert [(c["RecordingStatus"], c["RecordingDuration"]) for c in callbacks] == [
        ("completed", "25")
    ]
    sim.run()
    assert sim.calls[call_sid].status == "completed"
    assert sim.client().recordings(sid).fetch().status == "completed"
    assert wav_seconds(sim, sid) == (25.0, 1)
    assert len(callbacks) == 1  # the call's end sends nothing more for a stopped recording
    again = update(sim, call_sid, sid, Status="in-progress")
    assert_error(
        again,
        400,
        21220,
        f"Recording {sid} is completed; only a recording started with POST "
        "/Calls/{CallSid}/Recordings.json, <Start><Recording>, Record=true on create or "
        "<Dial record>, and still under way can be paused, resumed or stopped",
    )


def test_twilio_current_names_the_recording_under_way(sim: Simulator) -> None:
    call_sid = live_call(sim)
    path = f"/2010-04-01/Accounts/{{ac}}/Calls/{call_sid}/Recordings/Twilio.CURRENT.json"
    none_yet = api(sim, "POST", path, {"Status": "paused"})
    assert none_yet.status_code == 404 and none_yet.json()["code"] == 20404
    recording = sim.client().calls(call_sid).recordings.create(recording_track="inbound")
    assert (recording.track, recording.status) == ("inbound", "in-progress")
    paused = sim.client().calls(call_sid).recordings("Twilio.CURRENT").update(status="paused")
    assert (paused.sid, paused.status) == (recording.sid, "paused")
    sim.run()
    assert sim.client().recordings(recording.sid).fetch().duration == "60"  # silence: all 60 s


def test_twilio_current_with_two_recordings_under_way_is_16108(sim: Simulator) -> None:
    """Twilio's 16108, "Voice Recording: Request failed due to concurrent recordings":
    "The request failed because there is more than one active recording for the provided
    Call SID". A Record=true recording and a REST one are both under way: Twilio.CURRENT
    names neither; each is still updated by its SID."""
    recorded = sim.client().calls.create(
        to=CALLEE, from_=CALLER_ID, twiml=MINUTE_OF_SILENCE, record=True
    )
    sim.advance(0)
    (first,) = sim.client().calls(recorded.sid).recordings.list()
    second = sim.client().calls(recorded.sid).recordings.create()
    current = f"/2010-04-01/Accounts/{{ac}}/Calls/{recorded.sid}/Recordings/Twilio.CURRENT.json"
    assert_error(
        api(sim, "POST", current, {"Status": "paused"}),
        400,
        16108,
        "Voice Recording: Request failed due to concurrent recordings: call "
        f"{recorded.sid} has 2 recordings under way ({first.sid}, {second.sid}), so "
        "Twilio.CURRENT names none of them; update each by its SID",
    )
    stopped = sim.client().calls(recorded.sid).recordings(second.sid).update(status="stopped")
    assert stopped.status == "stopped"
    paused = sim.client().calls(recorded.sid).recordings("Twilio.CURRENT").update(status="paused")
    assert (paused.sid, paused.status) == (first.sid, "paused")
    sim.run()


def test_a_recording_deleted_under_way_ends_silently(
    sim: Simulator, callbacks: list[dict[str, str]]
) -> None:
    call_sid = live_call(sim)
    sid = start(
        sim,
        call_sid,
        RecordingStatusCallback=f"{RECORDED}/status",
        RecordingStatusCallbackEvent="in-progress completed",
    ).json()["sid"]
    sim.advance(5)
    deleted = api(sim, "DELETE", f"/2010-04-01/Accounts/{{ac}}/Recordings/{sid}.json", {})
    assert (deleted.status_code, deleted.content) == (204, b"")
    current = f"/2010-04-01/Accounts/{{ac}}/Calls/{call_sid}/Recordings/Twilio.CURRENT.json"
    assert_error(
        api(sim, "POST", current, {"Status": "paused"}),
        404,
        20404,
        f"The requested resource /2010-04-01/Accounts/{sim.account_sid}/Calls/{call_sid}"
        "/Recordings/Twilio.CURRENT.json was not found",
    )
    assert update(sim, call_sid, sid, Status="stopped").json()["code"] == 20404
    sim.run()
    # it records no more and reports no completion whose RecordingUrl would answer 404
    assert [c["RecordingStatus"] for c in callbacks] == ["in-progress"]
    soft = sim.client().recordings(sid).fetch(include_soft_deleted=True)
    assert (soft.status, soft.call_sid) == ("deleted", call_sid)
    assert sim.client().calls(call_sid).recordings.list() == []


def test_a_zero_second_recording_is_absent(sim: Simulator, callbacks: list[dict[str, str]]) -> None:
    call_sid = live_call(sim)
    sid = start(
        sim,
        call_sid,
        RecordingStatusCallback=f"{RECORDED}/status",
        RecordingStatusCallbackEvent="absent",
    ).json()["sid"]
    update(sim, call_sid, sid, Status="stopped")
    assert [(c["RecordingStatus"], c["ErrorCode"], c["RecordingDuration"]) for c in callbacks] == [
        ("absent", "16101", "0")
    ]
    sim.run()


def test_refusals(sim: Simulator) -> None:
    queued = sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice")
    sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice")
    assert_error(
        start(sim, queued.sid),
        400,
        21220,
        f"Call {queued.sid} is queued; only an in-progress call can be recorded. Start the "
        "recording once the call is answered",
    )
    sim.advance(0)
    assert_error(
        start(sim, queued.sid, RecordingChannels="stereo"),
        400,
        20422,
        "RecordingChannels is not valid: stereo. Use one of mono, dual",
    )
    sid = start(sim, queued.sid).json()["sid"]
    assert_error(
        update(sim, queued.sid, sid),
        400,
        20001,
        "Missing required parameter Status in the post body: give paused, in-progress or stopped",
    )
    assert_error(
        update(sim, queued.sid, sid, Status="paused", PauseBehavior="mute"),
        400,
        20422,
        "PauseBehavior is not valid: mute. Use one of skip, silence",
    )
    missing = start(sim, "CA" + "0" * 32)
    assert missing.status_code == 404
    sim.run()


def test_a_recording_started_by_record_true_on_create_is_paused_and_stopped_by_rest(
    sim: Simulator, callbacks: list[dict[str, str]]
) -> None:
    """Twilio's "Call Recording Controls": a recording started in the create request
    (``Record=true``) is paused, resumed and stopped like one the REST API started;
    ``Twilio.CURRENT`` names it."""
    call_sid = str(
        sim.client()
        .calls.create(
            to=CALLEE,
            from_=CALLER_ID,
            twiml=MINUTE_OF_SILENCE,
            record=True,
            recording_status_callback=f"{RECORDED}/status",
            recording_status_callback_event=["completed"],
        )
        .sid
    )
    sim.advance(12)
    current = f"/2010-04-01/Accounts/{{ac}}/Calls/{call_sid}/Recordings/Twilio.CURRENT.json"
    paused = api(sim, "POST", current, {"Status": "paused", "PauseBehavior": "skip"})
    sid = sim.calls[call_sid].recordings[0].sid
    assert (paused.status_code, paused.json()["sid"], paused.json()["status"]) == (
        200,
        sid,
        "paused",
    )
    assert paused.json()["source"] == "OutboundAPI"
    sim.advance(20)
    resumed = update(sim, call_sid, sid, Status="in-progress")
    assert (resumed.status_code, resumed.json()["status"]) == (200, "in-progress")
    sim.advance(8)
    stopped = update(sim, call_sid, sid, Status="stopped")
    assert (stopped.status_code, stopped.json()["status"], stopped.json()["duration"]) == (
        200,
        "stopped",
        "20",
    )
    assert [(c["RecordingStatus"], c["RecordingDuration"]) for c in callbacks] == [
        ("completed", "20")
    ]
    sim.run()
    call = sim.calls[call_sid]
    assert (call.status, call.duration) == ("completed", 60)
    assert len(callbacks) == 1  # the call's end does not report the stopped recording again
    assert sim.client().recordings(sid).fetch().duration == "20"
    assert wav_seconds(sim, sid) == (20.0, 1)


def test_a_record_true_recording_paused_with_silence_keeps_the_whole_call(
    sim: Simulator, callbacks: list[dict[str, str]]
) -> None:
    call_sid = str(
        sim.client()
        .calls.create(
            to=CALLEE,
            from_=CALLER_ID,
            twiml=MINUTE_OF_SILENCE,
            record=True,
            recording_status_callback=f"{RECORDED}/status",
        )
        .sid
    )
    sim.advance(30)
    paused = sim.client().calls(call_sid).recordings("Twilio.CURRENT").update(status="paused")
    assert paused.status == "paused"
    sim.run()
    assert [(c["RecordingStatus"], c["RecordingDuration"]) for c in callbacks] == [
        ("completed", "60")
    ]
    assert sim.client().recordings(paused.sid).fetch().status == "completed"


@pytest.mark.parametrize("track", ["inbound", "outbound"])
def test_a_recording_of_one_track_is_mono_though_dual_is_asked(sim: Simulator, track: str) -> None:
    """Twilio's "How to record a single side of a call": "When inbound or outbound audio
    track is recorded, the resulting recording file will always be mono-channel"."""
    call_sid = live_call(sim)
    started = start(sim, call_sid, RecordingChannels="dual", RecordingTrack=track)
    assert (started.status_code, started.json()["channels"], started.json()["track"]) == (
        201,
        1,
        track,
    )
    sim.run()
    assert wav_seconds(sim, started.json()["sid"]) == (60.0, 1)


def test_a_second_rest_recording_of_a_call_is_the_one_under_way(
    sim: Simulator, callbacks: list[dict[str, str]]
) -> None:
    """Twilio answered a second create on a call it was already recording through the API
    without error, and made one recording only (a public live test of its recording
    methods): the second answer is the recording under way, paused or not."""
    call_sid = live_call(sim)
    first = start(sim, call_sid, RecordingStatusCallback=f"{RECORDED}/status").json()
    sim.advance(10)
    update(sim, call_sid, first["sid"], Status="paused")
    second = start(
        sim, call_sid, RecordingChannels="dual", RecordingStatusCallback=f"{RECORDED}/status"
    )
    assert second.status_code == 201
    assert {k: second.json()[k] for k in ("sid", "status", "channels", "source")} == {
        "sid": first["sid"],
        "status": "paused",
        "channels": 1,
        "source": "StartCallRecordingAPI",
    }
    sim.run()
    listed = sim.client().calls(call_sid).recordings.list()
    assert [(r.sid, r.status, r.duration) for r in listed] == [(first["sid"], "completed", "60")]
    assert [c["RecordingStatus"] for c in callbacks] == ["completed"]


def test_a_rest_recording_is_made_beside_one_record_true_started(sim: Simulator) -> None:
    """The same test saw a REST recording made beside the one ``Record=true`` started."""
    created = sim.client().calls.create(
        to=CALLEE, from_=CALLER_ID, twiml=MINUTE_OF_SILENCE, record=True
    )
    sim.advance(0)
    started = start(sim, str(created.sid)).json()
    sim.run()
    listed = sim.client().calls(str(created.sid)).recordings.list()
    assert sorted((r.source, r.sid == started["sid"]) for r in listed) == [
        ("OutboundAPI", False),
        ("StartCallRecordingAPI", True),
    ]

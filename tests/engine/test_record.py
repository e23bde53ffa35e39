"""<Record>: how a recording ends, the action request, recording and transcription
callbacks, empty recordings, hang-up."""

from __future__ import annotations

import pytest

from tests.engine.helpers import base, get_url, place, response, simulator
from tests.support import APP_URL, CALLEE
from twimlsim import CallFailure, SimulationError, Simulator
from twimlsim.engine.events import Recorded
from twimlsim.engine.session import SimCall

CALLBACK = f"{APP_URL}/rec"


def rec_url(sim: Simulator, sid: str) -> str:
    return f"https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}/Recordings/{sid}"


def action_params(
    sim: Simulator, call: SimCall, seconds: int, digits: str | None
) -> dict[str, str]:
    params = base(sim, call, "in-progress" if digits != "hangup" else "completed")
    (recording,) = call.recordings
    params.update(
        RecordingDuration=str(seconds),
        RecordingSid=recording.sid,
        RecordingUrl=rec_url(sim, recording.sid),
    )
    if digits is not None:
        params["Digits"] = digits
    return params


# ``seconds``: the recording's (trimmed) duration; ``recorded``: the action's
# RecordingDuration, the whole time recorded before trimming (Twilio's Record page).
@pytest.mark.parametrize(
    ("attrs", "script", "seconds", "recorded", "digits", "ended_at", "ended_by"),
    [
        ("", ("records", 12, "#"), 12, 12, "#", 12, "#"),
        ("", ("records", 12, None), 12, 17, None, 17, "silence"),  # 5 s of silence end it
        ('timeout="2"', ("records", 8, None), 8, 10, None, 10, "silence"),
        ('maxLength="10"', ("records", 30, "#"), 10, 10, None, 10, "max-length"),
        ('finishOnKey="*"', ("records", 6, "#"), 6, 11, None, 11, "silence"),  # # not a key
        ('trim="do-not-trim"', ("records", 4, None), 9, 9, None, 9, "silence"),
        ('timeout="0" maxLength="60"', ("records", 4, None), 4, 60, None, 60, "max-length"),
        ("", ("says", "leave it at the door please", None), 3, 8, None, 7.4, "silence"),
    ],
)
def test_how_a_recording_ends(
    attrs: str,
    script: tuple[str, object, object],
    seconds: int,
    recorded: int,
    digits: str | None,
    ended_at: float,
    ended_by: str,
) -> None:
    with simulator({"/voice": response(f'<Record action="/done" {attrs}/>')}) as (sim, _):
        phone = sim.phone(CALLEE)
        if script[0] == "records":
            phone.records(script[1], key=script[2])  # type: ignore[arg-type]
        else:
            phone.says(str(script[1]))
        call = place(sim)
        sim.run()
    (recording,) = call.recordings
    at = sim.clock.at(round(ended_at * 1_000_000))
    assert call.transcript[1] == Recorded(at, recording.sid, seconds, ended_by)
    action = call.requests[1]
    assert (action.kind, action.url, action.at) == ("record", f"{APP_URL}/done", at)
    assert action.params == action_params(sim, call, recorded, digits)
    assert (recording.status.value, recording.duration, recording.source.value) == (
        "completed",
        seconds,
        "RecordVerb",
    )


def test_an_invalid_trim_records_untrimmed() -> None:
    """Twilio's 13699 page: a recording with an invalid trim value "defaults to no trim"
    (not to the attribute's default, trim-silence)."""
    body = response('<Record action="/done" trim="yes"/>')
    with pytest.raises(SimulationError) as raised, simulator({"/voice": body}) as (sim, _):
        sim.phone(CALLEE).records(4)
        call = place(sim)
        sim.run()
    (recording,) = call.recordings
    assert (recording.duration, call.requests[1].params["RecordingDuration"]) == (9, "9")
    assert raised.value.failures == (
        CallFailure(
            call.sid,
            13699,
            "<Record> trim='yes' is invalid: expected one of trim-silence, do-not-trim; "
            "using 'do-not-trim'",
            f"{APP_URL}/voice",
            "Record",
            1,
            level="warning",
        ),
    )


def test_recording_status_callback_events_in_order() -> None:
    body = (
        '<Record action="/done" recordingStatusCallback="/rec" '
        'recordingStatusCallbackEvent="in-progress completed" recordingStatusCallbackMethod="GET"/>'
    )
    with simulator({"/voice": response("<Say>Hi</Say>" + body)}) as (sim, _):
        sim.phone(CALLEE).records(12, key="#")
        call = place(sim)
        sim.run()
    (recording,) = call.recordings
    common = {
        "AccountSid": sim.account_sid,
        "CallSid": call.sid,
        "ErrorCode": "0",
        "RecordingChannels": "1",
        "RecordingSid": recording.sid,
        "RecordingSource": "RecordVerb",
        "RecordingTrack": "both",
        "RecordingStartTime": "Thu, 01 Jan 2026 09:00:01 +0000",
        "RecordingUrl": rec_url(sim, recording.sid),
    }
    kinds = [(r.kind, r.method, r.params) for r in call.requests]
    assert kinds[1:] == [
        ("recording-status", "GET", dict(common, RecordingStatus="in-progress")),
        ("record", "POST", action_params(sim, call, 12, "#")),
        (
            "recording-status",
            "GET",
            dict(common, RecordingStatus="completed", RecordingDuration="12"),
        ),
    ]
    assert [r.url for r in call.requests[1::2]] == [
        get_url(CALLBACK, r.params) for r in call.requests[1::2]
    ]


def test_silent_recording_is_kept_by_default_and_its_action_requested() -> None:
    body = (
        '<Record action="/done" recordingStatusCallback="/rec" '
        'recordingStatusCallbackEvent="completed absent"/><Say>Next verb</Say>'
    )
    with simulator({"/voice": response(body)}) as (sim, _):
        sim.phone(CALLEE).silence()
        call = place(sim)
        sim.run()
    (recording,) = call.recordings
    assert [r.kind for r in call.requests] == ["voice", "record", "recording-status"]
    assert call.requests[1].params == action_params(sim, call, 5, None)
    assert call.requests[2].params == {
        "AccountSid": sim.account_sid,
        "CallSid": call.sid,
        "ErrorCode": "0",
        "RecordingChannels": "1",
        "RecordingDuration": "5",
        "RecordingSid": recording.sid,
        "RecordingSource": "RecordVerb",
        "RecordingTrack": "both",
        "RecordingStartTime": "Thu, 01 Jan 2026 09:00:00 +0000",
        "RecordingStatus": "completed",
        "RecordingUrl": rec_url(sim, recording.sid),
    }
    assert (recording.status.value, recording.duration, recording.error_code) == (
        "completed",
        5,
        None,
    )
    assert call.said == []  # the action's empty answer ended the call


def test_silent_recording_is_absent_where_the_account_deletes_them() -> None:
    body = (
        '<Record action="/done" recordingStatusCallback="/rec" '
        'recordingStatusCallbackEvent="completed absent"/><Say>Next verb</Say>'
    )
    with simulator({"/voice": response(body)}, delete_silent_recordings=True) as (sim, _):
        sim.phone(CALLEE).silence()
        call = place(sim)
        sim.run()
    (recording,) = call.recordings
    assert [r.kind for r in call.requests] == ["voice", "recording-status"]
    assert call.requests[1].params == {
        "AccountSid": sim.account_sid,
        "CallSid": call.sid,
        "ErrorCode": "16102",
        "RecordingChannels": "1",
        "RecordingDuration": "0",
        "RecordingSid": recording.sid,
        "RecordingSource": "RecordVerb",
        "RecordingTrack": "both",
        "RecordingStartTime": "Thu, 01 Jan 2026 09:00:00 +0000",
        "RecordingStatus": "absent",
        "RecordingUrl": rec_url(sim, recording.sid),
    }
    assert call.said == ["Next verb"]
    assert recording.status.value == "absent"


def test_hangup_during_record_still_requests_the_action() -> None:
    body = '<Record action="/done" recordingStatusCallback="/rec"/><Say>never</Say>'
    with simulator({"/voice": response(body)}) as (sim, _):
        sim.phone(CALLEE).records(30).hangs_up(after=9)
        call = place(sim, status_callback=f"{APP_URL}/status")
        sim.run()
    assert [r.kind for r in call.requests] == ["voice", "record", "recording-status", "status"]
    assert call.requests[1].params == action_params(sim, call, 9, "hangup")
    (recording,) = call.recordings
    assert call.requests[2].params == {
        "AccountSid": sim.account_sid,
        "CallSid": call.sid,
        "ErrorCode": "0",
        "RecordingChannels": "1",
        "RecordingDuration": "9",
        "RecordingSid": recording.sid,
        "RecordingSource": "RecordVerb",
        "RecordingTrack": "both",
        "RecordingStartTime": "Thu, 01 Jan 2026 09:00:00 +0000",
        "RecordingStatus": "completed",
        "RecordingUrl": rec_url(sim, recording.sid),
    }
    completed = base(sim, call, "completed")
    completed.update(
        CallbackSource="call-progress-events",
        SequenceNumber="0",
        Timestamp="Thu, 01 Jan 2026 09:00:09 +0000",
        CallDuration="9",
        Duration="1",
        SipResponseCode="200",
    )
    assert call.requests[3].params == completed
    assert call.said == []


def test_transcription_callback() -> None:
    body = '<Record action="/done" transcribe="true" transcribeCallback="/transcribed"/>'
    with simulator({"/voice": response(body)}) as (sim, _):
        sim.phone(CALLEE).records(6, key="#", text="call me back")
        call = place(sim)
        sim.run()
    (recording,) = call.recordings
    request = call.requests[2]
    tr_sid = request.params["TranscriptionSid"]
    expected = {
        k: v
        for k, v in base(sim, call, "in-progress").items()
        if not k.endswith(("City", "State", "Zip", "Country"))
    }
    # no ForwardedFrom: the captured callbacks of outbound-api calls carry none
    expected.update(
        RecordingSid=recording.sid,
        RecordingUrl=rec_url(sim, recording.sid),
        TranscriptionSid=tr_sid,
        TranscriptionStatus="completed",
        TranscriptionText="call me back",
        TranscriptionType="fast",
        TranscriptionUrl=f"{rec_url(sim, recording.sid)}/Transcriptions/{tr_sid}",
        url=f"{APP_URL}/transcribed",
    )
    assert (request.kind, request.method, request.params) == ("transcription", "POST", expected)
    assert (tr_sid[:2], len(tr_sid)) == ("TR", 34)


def test_an_inbound_calls_transcription_callback_carries_forwarded_from() -> None:
    body = '<Record action="/done" transcribe="true" transcribeCallback="/transcribed"/>'
    with simulator({"/voice": response(body)}) as (sim, _):
        sim.number("+15005550006", voice_url=f"{APP_URL}/voice")
        sim.phone("+14155551212").records(4, key="#", text="back soon")
        call = sim.incoming_call(from_="+14155551212", to="+15005550006")
        sim.run()
    (recording,) = call.recordings
    (request,) = [r for r in call.requests if r.kind == "transcription"]
    tr_sid = request.params["TranscriptionSid"]
    rec = f"https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}/Recordings/{recording.sid}"
    assert request.params == {
        "AccountSid": sim.account_sid,
        "ApiVersion": "2010-04-01",
        "CallSid": call.sid,
        "CallStatus": "in-progress",
        "Called": "+15005550006",
        "Caller": "+14155551212",
        "Direction": "inbound",
        "From": "+14155551212",
        "To": "+15005550006",
        "RecordingSid": recording.sid,
        "RecordingUrl": rec,
        "TranscriptionSid": tr_sid,
        "TranscriptionStatus": "completed",
        "TranscriptionText": "back soon",
        "TranscriptionType": "fast",
        "TranscriptionUrl": f"{rec}/Transcriptions/{tr_sid}",
        "url": f"{APP_URL}/transcribed",
        "ForwardedFrom": "",
    }


def test_record_step_by_step() -> None:
    with simulator({"/voice": response('<Record action="/done" maxLength="20"/>')}) as (sim, _):
        call = place(sim)
        call.run()
        assert call.waiting_for is not None
        assert (call.waiting_for.verb, call.waiting_for.timeout) == ("Record", 5.0)
        call.records(7, key="1").run()
        sim.run()
    assert call.requests[1].params == action_params(sim, call, 7, "1")


@pytest.mark.parametrize(
    ("attrs", "seconds", "recorded"),
    [
        ('transcribe="true"', 120, 120),  # a transcribed recording's default maxLength
        ("", 200, 205),  # the 3,600 s default: the talk, then 5 s of silence end it
        ('transcribe="true" maxLength="100"', 100, 100),  # as written
    ],
)
def test_a_transcribed_recording_lasts_120_seconds_by_default(
    attrs: str, seconds: int, recorded: int
) -> None:
    """Twilio's Record page: maxLength defaults to 3600 seconds for a normal recording and
    120 seconds for a transcribed one (one of 120 s is not transcribed: the page says
    transcription takes recordings of less than 120 seconds)."""
    body = f'<Record action="/done" {attrs}/>'
    with simulator({"/voice": response(body), "/done": response("")}, strict=False) as (sim, _):
        sim.phone(CALLEE).records(200, text="a long message")
        call = place(sim)
        sim.run()
    (recording,) = call.recordings
    assert recording.duration == seconds
    assert call.requests[1].params["RecordingDuration"] == str(recorded)
    assert [f.code for f in sim.failures] == ([13617] if seconds == 120 else [])


@pytest.mark.parametrize(
    ("attrs", "seconds"),
    [
        ("", 600),  # the 3,600 s default, cut to the SDK's 600
        ('maxLength="900"', 600),
        ('maxLength="300"', 300),  # a shorter maxLength as written
    ],
)
@pytest.mark.parametrize("device_calls", [True, False])
def test_a_voice_sdk_call_records_600_seconds_at_most(
    attrs: str, seconds: int, device_calls: bool
) -> None:
    """Twilio's Record page: "Twilio Voice SDK calls using <Record> are limited to 600
    seconds (ten minutes)", whether the device called in or the app called the device."""
    routes = {"/voice": response(f'<Record action="/done" {attrs}/>'), "/done": response("")}
    with simulator(routes) as (sim, _):
        sim.phone("client:alice").records(700)
        if device_calls:
            app = sim.application(voice_url=f"{APP_URL}/voice")
            call = sim.sdk_call("alice", application_sid=app.sid)
        else:
            call = place(sim, to="client:alice")
        sim.run()
    (recording,) = call.recordings
    assert recording.duration == seconds
    assert call.requests[1].params["RecordingDuration"] == str(seconds)
    assert "Digits" not in call.requests[1].params
    assert call.transcript[-2] == Recorded(
        sim.clock.at(seconds * 1_000_000), recording.sid, seconds, "max-length"
    )


def test_a_phone_call_records_past_600_seconds() -> None:
    routes = {"/voice": response('<Record action="/done"/>'), "/done": response("")}
    with simulator(routes) as (sim, _):
        sim.phone(CALLEE).records(700, key="#")
        call = place(sim)
        sim.run()
    assert call.requests[1].params["RecordingDuration"] == "700"


@pytest.mark.parametrize("update", ["url", "twiml"])
def test_a_rest_redirect_during_record_keeps_the_recording_made_so_far(update: str) -> None:
    """The recording a redirect cuts short is closed then, reported and listed as
    ``completed`` (it stayed ``in-progress``, duration -1, with no status callback), and
    the action is not requested: the call runs its new TwiML."""
    body = '<Record action="/done" recordingStatusCallback="/rec" timeout="0"/><Say>never</Say>'
    routes = {"/voice": response(body), "/new": response("<Say>new document</Say>")}
    with simulator(routes) as (sim, _):
        sim.phone(CALLEE).records(30)
        call = place(sim)
        sim.advance(10)
        new = {"url": f"{APP_URL}/new"} if update == "url" else {}
        if update == "twiml":
            new["twiml"] = "<Response><Say>new document</Say></Response>"
        sim.client().calls(call.sid).update(**new)
        sim.run()
        (recording,) = call.recordings
        fetched = sim.client().recordings(recording.sid).fetch()
        assert (fetched.status, fetched.duration) == ("completed", "10")
    kinds = ["voice", "recording-status"] + (["update"] if update == "url" else [])
    assert [r.kind for r in call.requests] == kinds
    assert call.requests[1].params == {
        "AccountSid": sim.account_sid,
        "CallSid": call.sid,
        "ErrorCode": "0",
        "RecordingChannels": "1",
        "RecordingDuration": "10",
        "RecordingSid": recording.sid,
        "RecordingSource": "RecordVerb",
        "RecordingTrack": "both",
        "RecordingStartTime": "Thu, 01 Jan 2026 09:00:00 +0000",
        "RecordingStatus": "completed",
        "RecordingUrl": rec_url(sim, recording.sid),
    }
    (recorded,) = [e for e in call.transcript if isinstance(e, Recorded)]
    assert (recorded.seconds, recorded.ended_by) == (10, "redirect")
    assert call.said == ["new document"]

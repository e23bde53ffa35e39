"""The order of a webhook's parameters on the wire: Twilio's Java hash map's, name by name."""

from __future__ import annotations

from urllib.parse import parse_qsl

from tests.engine.helpers import response, simulator
from tests.support import APP_URL, CALLEE
from twimlsim.engine.wire_order import java_hash, wire_order


def test_java_hash_is_strings_hash_code() -> None:
    # values Java's String.hashCode gives (unsigned): over UTF-16 code units, wrapping
    assert java_hash("") == 0
    assert java_hash("a") == 97
    assert java_hash("ab") == 3105
    assert java_hash("hello") == 99162322
    assert java_hash("polygenelubricants") == 2**31  # Integer.MIN_VALUE
    assert java_hash("é") == 233
    assert java_hash("\U0001f600") == 0xD83D * 31 + 0xDE00  # a surrogate pair


def test_a_list_already_in_bucket_order_is_kept_and_others_are_sorted_stably() -> None:
    assert wire_order(("RecordingSource", "RecordingSid")) == (
        ("RecordingSource", "RecordingSid"),
        None,
    )
    assert wire_order(("RecordingSid", "RecordingSource")) == (
        ("RecordingSource", "RecordingSid"),
        (1, 0),
    )


STANDARD = [
    "Called",
    "ToState",
    "CallerCountry",
    "Direction",
    "CallerState",
    "ToZip",
    "CallSid",
    "To",
    "CallerZip",
    "ToCountry",
    "CalledZip",
    "ApiVersion",
    "CalledCity",
    "CallStatus",
    "From",
    "AccountSid",
    "CalledCountry",
    "CallerCity",
    "ToCity",
    "FromCountry",
    "Caller",
    "FromCity",
    "CalledState",
    "FromZip",
    "FromState",
]


def test_a_calls_requests_and_callbacks_come_in_twilios_order() -> None:
    """The orders of requests Twilio sent (captured in public code, 2022-2026): a voice
    request, a <Gather> and a <Record> action, call-progress callbacks, a recording's
    status callback and a transcription's, each in its hash map's order."""
    routes = {
        "/voice": response('<Gather numDigits="1" action="/gathered"><Say>Hi</Say></Gather>'),
        "/gathered": response(
            '<Record action="/recorded" finishOnKey="#" transcribe="true" '
            'transcribeCallback="/transcribed" recordingStatusCallback="/rsc"/>'
        ),
        "/recorded": response("<Hangup/>"),
    }
    with simulator(routes) as (sim, _):
        sim.phone(CALLEE).presses("2").records(5, key="#", text="hello there")
        sid = (
            sim.client()
            .calls.create(
                to=CALLEE,
                from_="+15005550006",
                url=f"{APP_URL}/voice",
                status_callback=f"{APP_URL}/status",
                status_callback_event=["initiated", "ringing", "answered", "completed"],
            )
            .sid
        )
        sim.run()
    requests = sim.calls[sid].requests
    names = {(r.kind, r.params.get("CallStatus")): list(r.params) for r in requests}
    assert names["voice", "in-progress"] == STANDARD
    assert names["gather", "in-progress"] == [
        "msg",
        "Called",
        "Digits",
        *STANDARD[1:10],
        "FinishedOnKey",
        *STANDARD[10:],
    ]
    assert names["record", "in-progress"] == [
        "Called",
        "Digits",
        "RecordingUrl",
        *STANDARD[1:14],
        "RecordingSid",
        *STANDARD[14:],
        "RecordingDuration",
    ]
    progress = [
        "Called",
        "ToState",
        "CallerCountry",
        "Direction",
        "Timestamp",
        "CallbackSource",
        "CallerState",
        "ToZip",
        "SequenceNumber",
        *STANDARD[6:],
    ]
    assert names["status", "initiated"] == progress
    assert names["status", "completed"] == [
        *progress[:6],
        "SipResponseCode",
        *progress[6:17],
        "Duration",
        "From",
        "CallDuration",
        *progress[18:],
    ]
    (recording_status,) = [r for r in requests if r.kind == "recording-status"]
    assert list(recording_status.params) == [
        "RecordingSource",
        "RecordingTrack",
        "RecordingSid",
        "RecordingUrl",
        "RecordingStatus",
        "RecordingChannels",
        "ErrorCode",
        "CallSid",
        "RecordingStartTime",
        "AccountSid",
        "RecordingDuration",
    ]
    (transcription,) = [r for r in requests if r.kind == "transcription"]
    assert list(transcription.params) == [
        "ApiVersion",
        "TranscriptionType",
        "TranscriptionUrl",
        "TranscriptionSid",
        "Called",
        "RecordingSid",
        "CallStatus",
        "RecordingUrl",
        "From",
        "Direction",
        "url",
        "AccountSid",
        "TranscriptionText",
        "Caller",
        "TranscriptionStatus",
        "CallSid",
        "To",
    ]
    # the body is written in that order, so an app reading it by position, or checking a
    # signature over the parameters unsorted, sees what it would see from Twilio
    voice = next(r for r in requests if r.kind == "voice")
    assert [name for name, _ in parse_qsl(voice.body.decode(), keep_blank_values=True)] == (
        STANDARD
    )


def test_a_dial_action_comes_sorted_by_name() -> None:
    """The <Dial> actions captured since DialBridged exists (2023 on) are sorted by name,
    unlike the call's other requests."""
    routes = {"/voice": response('<Dial action="/dialed">+15551230000</Dial>')}
    with simulator(routes) as (sim, _):
        sim.phone("+15551230000").answers(after=2).hangs_up(after=10)
        call = sim.incoming_call(from_=CALLEE, to="+15005550006")
        sim.run()
    (action,) = [r for r in call.requests if r.kind == "dial"]
    assert [name for name, _ in parse_qsl(action.body.decode(), keep_blank_values=True)] == [
        "AccountSid",
        "ApiVersion",
        "CallSid",
        "CallStatus",
        "Called",
        "CalledCity",
        "CalledCountry",
        "CalledState",
        "CalledZip",
        "Caller",
        "CallerCity",
        "CallerCountry",
        "CallerState",
        "CallerZip",
        "DialBridged",
        "DialCallDuration",
        "DialCallSid",
        "DialCallStatus",
        "Direction",
        "From",
        "FromCity",
        "FromCountry",
        "FromState",
        "FromZip",
        "To",
        "ToCity",
        "ToCountry",
        "ToState",
        "ToZip",
    ]
    assert list(action.params) == sorted(action.params)


def test_a_completed_callback_after_machine_detection_has_answered_by_before_from_state() -> None:
    """As a captured completed callback of a call created with machine detection (2025):
    AnsweredBy comes in FromZip's bucket, after it, before FromState."""
    with simulator({"/voice": response("<Say>Hi</Say>")}) as (sim, _):
        sim.phone(CALLEE).answers()
        sid = (
            sim.client()
            .calls.create(
                to=CALLEE,
                from_="+15005550006",
                url=f"{APP_URL}/voice",
                machine_detection="Enable",
                status_callback=f"{APP_URL}/status",
            )
            .sid
        )
        sim.run()
    (completed,) = [r for r in sim.calls[sid].requests if r.kind == "status"]
    assert list(completed.params)[-6:] == [
        "Caller",
        "FromCity",
        "CalledState",
        "FromZip",
        "AnsweredBy",
        "FromState",
    ]
    assert completed.params["AnsweredBy"] == "human"

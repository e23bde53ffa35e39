"""Acceptance: an IVR across several documents (Gather -> menu -> Dial busy -> Record
voicemail -> recording callback), scripted in one test and driven by hand in another, with
identical request logs."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fixtures import ivr_app
from tests.engine.helpers import assert_signed, base, first_voice, get_url
from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim import Simulator

VOICE = f"{APP_URL}/ivr/welcome"


@pytest.fixture
def ivr() -> Iterator[Simulator]:
    ivr_app.VOICEMAILS.clear()
    with Simulator() as sim:
        sim.route(APP_URL, ivr_app.app)  # type: ignore[arg-type]
        sim.number(CALLER_ID, voice_url=VOICE)
        yield sim
    assert_signed(sim)


def request_log(sim: Simulator) -> list[tuple[str, str, str, dict[str, str], str | None]]:
    return [(r.kind, r.method, r.url, r.params, r.headers.get("Cookie")) for r in sim.requests]


def check_flow(sim: Simulator, sid: str) -> None:
    call = sim.calls[sid]
    assert call.status == "completed"
    (child,) = call.children
    assert child.parent is call
    assert (child.status, child.record.direction.value) == ("busy", "outbound-dial")
    (recording,) = call.recordings
    assert recording.duration == 12
    live = base(sim, call, "in-progress", from_=CALLEE, to=CALLER_ID)
    live["Direction"] = "inbound"
    ringing = first_voice(sim, call)
    rec_url = (
        f"https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}/Recordings/{recording.sid}"
    )
    gather = dict(live, msg="Gather End", Digits="1", FinishedOnKey="")
    dial = dict(
        live,
        DialBridged="false",
        DialCallDuration="0",
        DialCallSid=child.sid,
        DialCallStatus="busy",
    )
    record = dict(
        live, RecordingDuration="12", RecordingSid=recording.sid, RecordingUrl=rec_url, Digits="#"
    )
    callback = {
        "AccountSid": sim.account_sid,
        "CallSid": sid,
        "ErrorCode": "0",
        "RecordingChannels": "1",
        "RecordingDuration": "12",
        "RecordingSid": recording.sid,
        "RecordingSource": "RecordVerb",
        "RecordingTrack": "both",
        "RecordingStartTime": "Thu, 01 Jan 2026 09:00:12 +0000",
        "RecordingStatus": "completed",
        "RecordingUrl": rec_url,
    }
    log = request_log(sim)
    cookie = log[1][4]
    assert cookie is not None and cookie.startswith("session=")
    assert log == [
        ("voice", "POST", VOICE, ringing, None),
        ("gather", "POST", f"{APP_URL}/ivr/menu?step=1", gather, cookie),
        # the 302's GET keeps the query of the URL redirected (TwiML changelog 2024.03.11)
        # and carries the POST's parameters after it (2024.07.09: it "resends the Digits")
        ("gather", "GET", get_url(f"{APP_URL}/ivr/sales?step=1", gather), gather, cookie),
        ("dial", "POST", f"{APP_URL}/ivr/after-sales?try=1", dial, cookie),
        (
            "dial",
            "GET",
            get_url(f"{APP_URL}/ivr/voicemail?try=1", dial, order="name"),
            dial,
            cookie,
        ),
        ("record", "POST", f"{APP_URL}/ivr/goodbye", record, cookie),
        # a status callback carries none of the TwiML webhooks' cookies (TwiML changelog)
        ("recording-status", "POST", f"{APP_URL}/ivr/recording", callback, None),
    ]
    assert [callback] == ivr_app.VOICEMAILS
    assert call.said == [
        "Welcome. For sales press 1. To leave a message press 2.",
        "Connecting you to sales.",
        f"Sorry {CALLEE}, nobody is free. Leave a message after the beep.",
        "Thank you. Goodbye.",
    ]
    assert call.duration == 26


def test_ivr_scripted(ivr: Simulator) -> None:
    ivr.phone(CALLEE).presses("1").records(12, key="#")
    ivr.phone(ivr_app.SALES).busy()
    call = ivr.incoming_call(from_=CALLEE, to=CALLER_ID)
    ivr.run()
    check_flow(ivr, call.sid)


def test_ivr_step_by_step_gives_the_same_log(ivr: Simulator) -> None:
    ivr.phone(ivr_app.SALES).busy()
    call = ivr.incoming_call(from_=CALLEE, to=CALLER_ID)
    call.run()
    assert call.waiting_for is not None
    assert (call.waiting_for.verb, call.waiting_for.input) == ("Gather", ("dtmf",))
    assert call.said[-1] == "Welcome. For sales press 1. To leave a message press 2."
    call.press("1").run()
    assert call.waiting_for is not None and call.waiting_for.verb == "Record"
    call.records(12, key="#").run()
    assert call.ended and call.waiting_for is None
    ivr.run()
    check_flow(ivr, call.sid)


def test_scripted_and_by_hand_logs_are_identical() -> None:
    logs = []
    for by_hand in (False, True):
        with Simulator() as sim:
            sim.route(APP_URL, ivr_app.app)  # type: ignore[arg-type]
            sim.number(CALLER_ID, voice_url=VOICE)
            sim.phone(ivr_app.SALES).busy()
            if not by_hand:
                sim.phone(CALLEE).presses("1").records(12, key="#")
            call = sim.incoming_call(from_=CALLEE, to=CALLER_ID)
            if by_hand:
                call.run().press("1").run().records(12, key="#").run()
            sim.run()
            logs.append([(r.kind, r.url, r.params, r.headers, r.at) for r in sim.requests])
    assert logs[0] == logs[1]
    assert len(logs[0]) == 7

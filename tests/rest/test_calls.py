"""Calls: create with every parameter, fetch, list filters, live update and delete."""

from __future__ import annotations

import pytest
import requests
from twilio.base.exceptions import TwilioRestException

from fixtures import flask_app
from tests.engine.helpers import response, simulator
from tests.support import APP_URL, CALLEE, CALLER_ID, account_api
from twimlsim import Simulator


def test_create_accepts_every_parameter_and_ignores_unknown_ones(sim: Simulator) -> None:
    client = sim.client()
    call = client.calls.create(
        to=CALLEE,
        from_=CALLER_ID,
        url=f"{APP_URL}/voice",
        method="post",
        fallback_url=f"{APP_URL}/fallback",
        fallback_method="GET",
        status_callback=f"{APP_URL}/status",
        status_callback_event=["initiated", "answered"],
        status_callback_method="POST",
        send_digits="1234w#",
        timeout=900,
        record=True,
        recording_channels="dual",
        recording_status_callback=f"{APP_URL}/recording",
        recording_status_callback_method="GET",
        recording_status_callback_event=["in-progress completed"],
        recording_configuration_id="RC123",
        sip_auth_username="user",
        sip_auth_password="pass",
        machine_detection="Enable",
        machine_detection_timeout=10,
        machine_detection_speech_threshold=2000,
        machine_detection_speech_end_threshold=1000,
        machine_detection_silence_timeout=3000,
        async_amd="true",
        async_amd_status_callback=f"{APP_URL}/amd",
        async_amd_status_callback_method="POST",
        byoc="BY" + "0" * 32,
        call_reason="Appointment",
        call_token="token",
        recording_track="inbound",
        time_limit=600,
        trim="do-not-trim",
        caller_id="Acme",
        passports="ignored",
        client_notification_url=f"{APP_URL}/push",
    )
    options = sim.calls[call.sid].options
    assert options is not None
    assert (options.method, options.fallback_method, options.timeout) == ("POST", "GET", 600)
    assert options.status_callback_events == frozenset({"initiated", "answered"})
    assert options.recording_status_callback_events == frozenset({"in-progress", "completed"})
    assert options.send_digits == "1234w#"
    assert options.machine_detection is None  # SendDigits wins over MachineDetection
    assert (options.record, options.recording_channels, options.async_amd) == (True, "dual", True)
    assert (options.time_limit, options.trim, options.caller_id) == (600, "do-not-trim", "Acme")
    assert sim.calls[call.sid].record.timeout == 600
    sim.strict = False  # the example app has no /recording route; its 404s are not the point
    sim.run()
    recording = [r for r in sim.calls[call.sid].requests if r.kind == "recording-status"]
    assert [
        (r.method, r.params["RecordingStatus"], r.params["RecordingChannels"]) for r in recording
    ] == [("GET", "in-progress", "1"), ("GET", "completed", "1")]
    # one track is one channel, dual asked or not (Twilio's "How to record a single side
    # of a call": "the resulting recording file will always be mono-channel")
    assert {r.params["RecordingTrack"] for r in recording} == {"inbound"}


def test_fetch_while_ringing_and_after_the_end(sim: Simulator) -> None:
    sim.phone(CALLEE).answers(after=4)
    client = sim.client()
    sid = client.calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice").sid
    sim.advance(2)
    path = f"/2010-04-01/Accounts/{sim.account_sid}/Calls/{sid}.json"
    auth = (sim.account_sid, sim.auth_token)
    ringing = requests.get(f"https://api.twilio.com{path}", auth=auth, timeout=5).json()
    number_sid = sim.account.numbers[CALLER_ID].sid
    # reference §II.9: a real ringing fetch has dates, duration "0" and "" (not null) names
    assert ringing == {
        "account_sid": sim.account_sid,
        "annotation": None,
        "answered_by": None,
        "api_version": "2010-04-01",
        "caller_name": "",
        "date_created": "Thu, 01 Jan 2026 09:00:00 +0000",
        "date_updated": "Thu, 01 Jan 2026 09:00:00 +0000",
        "direction": "outbound-api",
        "duration": "0",
        "end_time": None,
        "forwarded_from": None,
        "from": CALLER_ID,
        "from_formatted": "(500) 555-0006",
        "group_sid": None,
        "parent_call_sid": None,
        "phone_number_sid": number_sid,
        "price": None,
        "price_unit": "USD",
        "sid": sid,
        "start_time": "Thu, 01 Jan 2026 09:00:00 +0000",
        "status": "ringing",
        "subresource_uris": ringing["subresource_uris"],
        "to": CALLEE,
        "to_formatted": "(555) 867-5310",
        "trunk_sid": "",
        "uri": path,
        "queue_time": "0",
    }
    sim.advance(3)
    answered = client.calls(sid).fetch()
    assert (answered.status, answered.duration, answered.end_time) == ("in-progress", "0", None)
    sim.run()
    done = requests.get(f"https://api.twilio.com{path}", auth=auth, timeout=5).json()
    assert (done["status"], done["duration"], done["end_time"], done["date_updated"]) == (
        "completed",
        "7",
        "Thu, 01 Jan 2026 09:00:11 +0000",
        "Thu, 01 Jan 2026 09:00:11 +0000",
    )


def test_calls_ended_unanswered_have_duration_0_an_end_time_and_no_price(sim: Simulator) -> None:
    """Busy, no-answer, failed and canceled calls: ``duration`` "0" and ``end_time`` set, as
    their completed callback's ``CallDuration`` is 0 (a choice: the Call page says both are
    empty then); ``price`` stays null (billing is not simulated)."""
    busy, silent, broken, ringing = "+15558675311", "+15558675312", "+15558675313", CALLEE
    sim.phone(busy).busy()
    sim.phone(silent).no_answer()
    sim.phone(broken).fails()
    sim.phone(ringing).answers(after=30)
    client = sim.client()
    sids = [
        client.calls.create(to=to, from_=CALLER_ID, url=f"{APP_URL}/voice", timeout=10).sid
        for to in (busy, silent, broken, ringing)
    ]
    sim.advance(5)
    client.calls(sids[3]).update(status="canceled")
    sim.run()
    fields = ("status", "start_time", "end_time", "duration", "price", "price_unit")
    auth = (sim.account_sid, sim.auth_token)
    base = f"https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}/Calls"
    bodies = [requests.get(f"{base}/{sid}.json", auth=auth, timeout=5).json() for sid in sids]
    got = [tuple(body[f] for f in fields) for body in bodies]
    assert got == [
        ("busy", *["Thu, 01 Jan 2026 09:00:00 +0000"] * 2, "0", None, "USD"),
        ("no-answer", "Thu, 01 Jan 2026 09:00:01 +0000", "Thu, 01 Jan 2026 09:00:11 +0000")
        + ("0", None, "USD"),
        ("failed", *["Thu, 01 Jan 2026 09:00:02 +0000"] * 2, "0", None, "USD"),
        ("canceled", "Thu, 01 Jan 2026 09:00:03 +0000", "Thu, 01 Jan 2026 09:00:05 +0000")
        + ("0", None, "USD"),
    ]


def test_phone_number_sid_names_the_number_or_caller_id_the_call_is_placed_from(
    sim: Simulator,
) -> None:
    """The Call resource: for an outbound call ``phone_number_sid`` "is the SID of the
    OutgoingCallerId resource from which the call was placed"; an owned number's is its
    IncomingPhoneNumber's, and a call from a client identity has none."""
    verified = sim.verified_caller_id("+15558670001")
    client = sim.client()
    (caller_id,) = client.outgoing_caller_ids.list(phone_number="+15558670001")
    calls = [
        client.calls.create(to=to, from_=from_, twiml="<Response/>")
        for to, from_ in (
            (CALLEE, CALLER_ID),
            (CALLEE, "+15558670001"),
            ("client:bob", "client:alice"),
        )
    ]
    assert [call.phone_number_sid for call in calls] == [
        sim.account.numbers[CALLER_ID].sid,
        caller_id.sid,
        None,
    ]
    assert caller_id.sid == verified.sid
    sim.run()


def test_calls_created_ringing_have_date_updated_from_the_start() -> None:
    """An inbound call and a <Dial> leg are never queued: their JSON while ringing has
    date_updated as date_created, as a ringing REST-created call has."""
    dial = response('<Dial answerOnBridge="true">+15551230000</Dial>')
    with simulator({"/voice": dial}, strict=False) as (sim, _):
        sim.phone("+15551230000").answers(after=5)
        sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        sim.advance(2)
        client = sim.client()
        calls = {c.direction: c for c in client.calls.list()}
        sim.run()
    assert set(calls) == {"inbound", "outbound-dial"}
    for call in calls.values():
        assert call.status == "ringing"
        assert call.date_updated == call.date_created is not None


def test_list_filters_by_to_from_status_parent_and_times(sim: Simulator) -> None:
    other = "+15558675311"
    client = sim.client()
    first = client.calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice").sid
    second = client.calls.create(to=other, from_=CALLER_ID, url=f"{APP_URL}/voice").sid
    sim.phone(other).busy()
    sim.run()
    third = client.calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice").sid

    def sids(**filters: object) -> list[str]:
        return [call.sid for call in client.calls.list(**filters)]

    assert sids() == [third, second, first]
    assert sids(to=CALLEE) == [third, first]
    assert sids(to="(555) 867-5311") == [second]
    assert sids(from_=CALLER_ID) == [third, second, first]
    assert sids(status="busy") == [second]
    assert sids(status="queued") == [third]
    assert sids(parent_call_sid="CA" + "0" * 32) == []
    start = sim.calls[second].record.start_time
    assert start is not None
    assert sids(start_time_after=start) == [second]
    assert sids(start_time_before=start) == [first]
    assert sids(start_time=start.date()) == [second, first]
    first_end = sim.calls[first].record.end_time  # 09:00:07; the busy call ended at 09:00:01
    assert sids(end_time_before=first_end) == [second]
    assert sids(end_time_after=first_end) == [first]
    sim.run()


def test_redirect_live_call_to_new_url_at_once(sim: Simulator) -> None:
    client = sim.client()
    sid = client.calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice").sid
    sim.advance(1)  # the greeting is being spoken
    updated = client.calls(sid).update(url=f"{APP_URL}/goodbye")
    assert updated.status == "in-progress"
    call = sim.calls[sid]
    assert [(r.kind, r.url) for r in call.requests] == [
        ("voice", f"{APP_URL}/voice"),
        ("update", f"{APP_URL}/goodbye"),
    ]
    assert call.requests[-1].at == sim.now
    sim.run()
    assert call.said == ["Hello from the twimlsim example app.", "Thanks for calling. Goodbye!"]
    assert (call.status, call.duration) == ("completed", 3)  # 1 s of greeting + 2 s of goodbye


def test_redirect_live_call_to_inline_twiml_and_change_status_callback(sim: Simulator) -> None:
    client = sim.client()
    sid = client.calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice").sid
    sim.advance(1)
    client.calls(sid).update(
        twiml="<Response><Say>Moved.</Say></Response>",
        status_callback=f"{APP_URL}/status",
    )
    sim.run()
    call = sim.calls[sid]
    assert call.said == ["Hello from the twimlsim example app.", "Moved."]
    assert [entry["CallStatus"] for entry in flask_app.STATUS_LOG] == ["completed"]


@pytest.mark.parametrize(
    "change",
    [
        {"Twiml": "<Response><Hangup/></Response>"},
        {"Url": f"{APP_URL}/hangup"},
    ],
)
def test_a_redirect_answers_the_call_as_accepted_before_its_twiml_runs(
    change: dict[str, str],
) -> None:
    """The "Modify calls in progress" tutorial's hang-up by new TwiML: Twilio answers the
    update before it fetches or runs that TwiML, so the answer reads ``in-progress`` even
    though the new document ends the call at once."""
    routes = {"/voice": response('<Pause length="30"/>'), "/hangup": response("<Hangup/>")}
    with simulator(routes) as (sim, _):
        sid = sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice").sid
        sim.advance(3)
        answer = account_api(sim, "POST", f"/Calls/{sid}.json", **change)
        body = answer.json()
        assert answer.status_code == 200
        assert {k: body[k] for k in ("status", "duration", "end_time", "date_updated")} == {
            "status": "in-progress",
            "duration": "0",
            "end_time": None,
            "date_updated": "Thu, 01 Jan 2026 09:00:03 +0000",
        }
        fetched = sim.client().calls(sid).fetch()
        assert (fetched.status, fetched.duration) == ("completed", "3")
        sim.run()


TWIML_IGNORED = (
    "Twiml and Voice URL are both set. Using Voice URL: the call requests its Url and the "
    "Twiml sent with it is ignored; send only one of them"
)


def test_url_and_twiml_together_use_the_url_with_warning_32019() -> None:
    with Simulator(strict=False) as sim:
        sim.route(APP_URL, flask_app.app)
        sim.number(CALLER_ID)
        client = sim.client()
        inline = "<Response><Say>Inline.</Say></Response>"
        sid = client.calls.create(
            to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice", twiml=inline
        ).sid
        sim.advance(1)
        moved = client.calls(sid).update(url=f"{APP_URL}/voice", twiml=inline)
        assert moved.status == "in-progress"  # answered, not refused
        sim.run()
    call = sim.calls[sid]
    hello, goodbye = "Hello from the twimlsim example app.", "Thanks for calling. Goodbye!"
    assert call.said == [hello, hello, goodbye]  # the Url both times, never the Twiml
    assert [(r.kind, r.url) for r in call.requests] == [
        ("voice", f"{APP_URL}/voice"),
        ("update", f"{APP_URL}/voice"),
        ("redirect", f"{APP_URL}/goodbye"),
    ]
    assert [(f.call_sid, f.code, f.level, f.url, f.message) for f in sim.failures] == [
        (sid, 32019, "warning", f"{APP_URL}/voice", TWIML_IGNORED)
    ] * 2


def test_status_callback_change_without_url_is_ignored(sim: Simulator) -> None:
    client = sim.client()
    sid = client.calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice").sid
    sim.advance(1)
    client.calls(sid).update(status_callback=f"{APP_URL}/status")
    sim.run()
    assert flask_app.STATUS_LOG == []


def test_cancel_queued_call_sends_no_status_callback(sim: Simulator) -> None:
    client = sim.client()
    events = ["initiated", "ringing", "answered", "completed"]
    kwargs = {"status_callback": f"{APP_URL}/status", "status_callback_event": events}
    client.calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice", **kwargs)
    queued = client.calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice", **kwargs)
    assert queued.queue_time == "1000"
    canceled = client.calls(queued.sid).update(status="canceled")
    assert (canceled.status, canceled.duration) == ("canceled", "0")
    sim.run()
    assert sim.calls[queued.sid].requests == []
    assert sim.calls[queued.sid].status == "canceled"
    assert len(flask_app.STATUS_LOG) == 4  # only the first call's callbacks


def test_cancel_ringing_call_sends_canceled_callback(sim: Simulator) -> None:
    sim.phone(CALLEE).answers(after=10)
    client = sim.client()
    sid = client.calls.create(
        to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice", status_callback=f"{APP_URL}/status"
    ).sid
    sim.advance(3)
    assert client.calls(sid).update(status="canceled").status == "canceled"
    sim.run()
    [completed] = flask_app.STATUS_LOG
    assert (completed["CallStatus"], completed["SipResponseCode"]) == ("canceled", "487")
    assert (completed["CallDuration"], completed["SequenceNumber"]) == ("0", "0")
    assert sim.calls[sid].record.end_time == sim.calls[sid].record.start_time.replace(second=3)  # type: ignore[union-attr]


def test_canceled_status_leaves_answered_call_alone(sim: Simulator) -> None:
    client = sim.client()
    sid = client.calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice").sid
    sim.advance(1)
    assert client.calls(sid).update(status="canceled").status == "in-progress"
    sim.run()
    assert sim.calls[sid].status == "completed"


def test_completed_status_hangs_up_a_live_call(sim: Simulator) -> None:
    client = sim.client()
    sid = client.calls.create(
        to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice", status_callback=f"{APP_URL}/status"
    ).sid
    sim.advance(2)
    hung = client.calls(sid).update(status="completed")
    assert (hung.status, hung.duration) == ("completed", "2")
    assert [entry["CallStatus"] for entry in flask_app.STATUS_LOG] == ["completed"]
    sim.run()
    assert sim.calls[sid].said == ["Hello from the twimlsim example app."]


def test_updating_an_ended_call_is_21220(sim: Simulator) -> None:
    client = sim.client()
    sid = client.calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice").sid
    sim.run()
    for change in ({"status": "completed"}, {"url": f"{APP_URL}/voice"}):
        with pytest.raises(TwilioRestException) as raised:
            client.calls(sid).update(**change)
        error = raised.value
        assert (error.status, error.code) == (400, 21220)
        assert error.msg == "Unable to update record: Call is not in-progress. Cannot redirect."


def test_delete_only_ended_calls(sim: Simulator) -> None:
    # Twilio's 20009 page: "You attempted to delete a call or message resource before it
    # was completed ... verify that the call is not still in-progress"
    sim.phone(CALLEE).answers(after=2)
    client = sim.client()
    sid = client.calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice").sid
    for status in ("queued", "ringing", "in-progress"):
        with pytest.raises(TwilioRestException) as raised:
            client.calls(sid).delete()
        assert (raised.value.status, raised.value.code) == (400, 20009)
        assert raised.value.msg == (
            f"Unable to delete record: Cannot delete this resource before it is complete: "
            f"call {sid} is {status}; only a call that has ended can be deleted. End it with "
            "Status=completed first (Status=canceled while it is queued or ringing)"
        )
        sim.advance(1 if status == "queued" else 2)
    assert client.calls(sid).fetch().status == "in-progress"
    sim.run()
    assert client.calls(sid).delete() is True
    with pytest.raises(TwilioRestException) as missing:
        client.calls(sid).fetch()
    path = f"/2010-04-01/Accounts/{sim.account_sid}/Calls/{sid}.json"
    assert (missing.value.status, missing.value.code) == (404, 20404)
    assert (
        missing.value.msg == f"Unable to fetch record: The requested resource {path} was not found"
    )
    assert client.calls.list() == []


def test_calls_created_with_the_same_parameters_share_one_frozen_options(sim: Simulator) -> None:
    import dataclasses

    client = sim.client()
    made = [
        client.calls.create(to=to, from_=CALLER_ID, url=f"{APP_URL}/voice")
        for to in (CALLEE, CALLEE, "+15558675311")
    ]
    first, again, other = (sim.calls[call.sid].options for call in made)
    assert first is again and first is not None
    assert other is not first and other is not None
    assert (first.to, other.to) == (CALLEE, "+15558675311")
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.twiml = "<Response/>"  # type: ignore[misc]


def test_a_client_identity_of_256_characters_is_called(sim: Simulator) -> None:
    """Twilio's TwiML changelog (2024.03.20) raised the Client ID limit of POST /Calls to
    256 characters: one more is 21211 (tests/rest/test_errors.py)."""
    to = "client:" + "a" * 256
    call = sim.client().calls.create(to=to, from_=CALLER_ID, twiml="<Response/>")
    sim.run()
    assert (call.to, sim.calls[call.sid].status) == (to, "completed")

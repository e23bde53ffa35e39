"""Conferences and Participants: list/fetch/update a room, list/fetch/update/delete and
create participants; exact JSON, events, Twilio's errors."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import unquote

import pytest
from twilio.base.exceptions import TwilioRestException

from tests.engine.helpers import response, simulator
from tests.support import APP_URL, CALLER_ID, account_api, twilio_error_body
from twimlsim import Simulator
from twimlsim.engine.conferences import SimConference
from twimlsim.engine.session import SimCall

CUSTOMER = "+15557770001"
AGENT = "+15558880001"
AGENT2 = "+15558880002"
EVENTS = "start end join leave mute hold modify announcement"
ROOM = response(
    f'<Dial action="/after"><Conference statusCallback="/conf" statusCallbackEvent="{EVENTS}" '
    'waitUrl="" participantLabel="customer">Support</Conference></Dial>'
)
T0 = "Thu, 01 Jan 2026 09:00:00 +0000"
NOT_A_SID = (
    "Method not allowed: 'Support' is not a conference SID (CF and 32 hex digits); a friendly "
    "name is taken only by a participant create (POST /Conferences/Support/Participants.json): "
    "find the SID with GET /Conferences.json?FriendlyName=Support&Status=in-progress"
)


def customer_and_agent_in_the_room(sim: Simulator) -> tuple[SimCall, SimCall, SimConference]:
    """The customer rings in at 0 s (into ROOM), the app adds the agent at 1 s; 3 s pass."""
    customer = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
    sim.advance(1)
    room = sim.conferences["Support"]
    agent = sim.client().conferences(room.sid).participants.create(from_=CALLER_ID, to=AGENT)
    sim.advance(2)
    return customer, sim.calls[agent.call_sid], room


def stamp(seconds: int) -> str:
    return f"Thu, 01 Jan 2026 09:00:{seconds:02d} +0000"


def conference_body(sim: Simulator, sid: str, **changes: object) -> dict[str, object]:
    base = f"/2010-04-01/Accounts/{sim.account_sid}/Conferences/{sid}"
    body: dict[str, object] = {
        "account_sid": sim.account_sid,
        "api_version": "2010-04-01",
        "call_sid_ending_conference": None,
        "date_created": T0,
        "date_updated": T0,
        "friendly_name": "Support",
        "reason_conference_ended": None,
        "region": "unknown",
        "sid": sid,
        "status": "init",
        "subresource_uris": {
            "participants": f"{base}/Participants.json",
            "recordings": f"{base}/Recordings.json",
        },
        "uri": f"{base}.json",
    }
    body.update(changes)
    return body


def participant_body(
    sim: Simulator, room_sid: str, call_sid: str, **changes: object
) -> dict[str, object]:
    body: dict[str, object] = {
        "account_sid": sim.account_sid,
        "call_sid": call_sid,
        "label": None,
        "conference_sid": room_sid,
        "date_created": T0,
        "date_updated": T0,
        "end_conference_on_exit": False,
        "muted": False,
        "hold": False,
        "status": "connected",
        "start_conference_on_enter": True,
        "coaching": False,
        "call_sid_to_coach": None,
        "queue_time": None,
        "uri": f"/2010-04-01/Accounts/{sim.account_sid}/Conferences/{room_sid}/Participants/"
        f"{call_sid}.json",
    }
    body.update(changes)
    return body


def test_fetch_and_list_conferences_with_filters() -> None:
    with simulator({"/voice": ROOM}) as (sim, _):
        customer = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.advance(1)
        room = sim.conferences["Support"]
        fetched = account_api(sim, "GET", f"/Conferences/{room.sid}.json")
        assert (fetched.status_code, fetched.json()) == (200, conference_body(sim, room.sid))
        listed = account_api(
            sim, "GET", "/Conferences.json?FriendlyName=Support&Status=init"
        ).json()
        assert listed["conferences"] == [conference_body(sim, room.sid)]
        assert (
            account_api(sim, "GET", "/Conferences.json?Status=in-progress").json()["conferences"]
            == []
        )
        on_day = account_api(sim, "GET", "/Conferences.json?DateCreated=2026-01-01").json()
        assert [c["sid"] for c in on_day["conferences"]] == [room.sid]
        assert (
            account_api(sim, "GET", "/Conferences.json?DateCreated<=2026-01-01").json()[
                "conferences"
            ]
            == []
        )
        ended = account_api(sim, "POST", f"/Conferences/{room.sid}.json", Status="completed")
        expected = conference_body(
            sim,
            room.sid,
            status="completed",
            reason_conference_ended="conference-ended-via-api",
            date_updated=stamp(1),
        )
        assert (ended.status_code, ended.json()) == (200, expected)
        sim.run()
        assert [c.sid for c in sim.client().conferences.list(status="completed")] == [room.sid]
    assert customer.requests[1].params["DialCallStatus"] == "answered"
    assert [r.params["StatusCallbackEvent"] for r in room.requests][-2:] == [
        "participant-leave",
        "conference-end",
    ]
    leave, end = room.requests[-2].params, room.requests[-1].params
    assert leave["ReasonParticipantLeft"] == "conference_ended_via_api"
    assert (end["ReasonConferenceEnded"], "CallSidEndingConference" in end) == (
        "conference-ended-via-api",
        False,
    )


@pytest.mark.parametrize(
    ("method", "path", "form", "status", "code", "message"),
    [
        ("GET", "/Conferences/Support.json", {}, 405, 20004, NOT_A_SID),
        ("GET", "/Conferences/Support/Participants.json", {}, 405, 20004, NOT_A_SID),
        (
            "GET",
            "/Conferences/CF" + "0" * 32 + ".json",
            {},
            404,
            20404,
            "The requested resource /2010-04-01/Accounts/{ac}/Conferences/CF"
            + "0" * 32
            + ".json was not found",
        ),
        (
            "GET",
            "/Conferences/{cf}/Participants/nobody.json",
            {},
            404,
            20404,
            "The requested resource /2010-04-01/Accounts/{ac}/Conferences/{cf}/Participants/"
            "nobody.json was not found",
        ),
        (
            "POST",
            "/Conferences/{cf}.json",
            {"Status": "in-progress"},
            400,
            20422,
            "Status is not valid: in-progress. Use one of completed",
        ),
        (
            "POST",
            "/Conferences/{cf}/Participants.json",
            {"From": CALLER_ID, "To": AGENT, "Label": "customer"},
            400,
            16026,
            "Label customer is already in use",
        ),
        (
            "POST",
            "/Conferences/{cf}/Participants.json",
            {"From": CALLER_ID},
            400,
            21201,
            "No 'To' number is specified",
        ),
        (
            "POST",
            "/Conferences/{cf}/Participants.json",
            {"From": CALLER_ID, "To": AGENT, "Label": "a/b"},
            400,
            16024,
            "Label a/b is not valid: a label may not look like a call SID or contain '/'",
        ),
        (
            "POST",
            "/Conferences/{cf}/Participants.json",
            {"From": CALLER_ID, "To": AGENT, "CallSidToCoach": "CA" + "0" * 32},
            400,
            16028,
            "Participant to be whispered is not present in the conference",
        ),
        (
            "POST",
            "/Conferences/{cf}/Participants/customer.json",
            {"CallSidToCoach": "CA" + "1" * 32, "Coaching": "true"},
            400,
            16028,
            "Participant to be whispered is not present in the conference",
        ),
        (
            "POST",
            "/Conferences/{cf}/Participants.json",
            {"From": CALLER_ID, "To": AGENT, "Coaching": "true"},
            400,
            20422,
            "Coaching=true needs CallSidToCoach: the call SID of the participant to coach",
        ),
        (
            "POST",
            "/Conferences/{cf}/Participants/customer.json",
            {"Coaching": "true"},
            400,
            20422,
            "Coaching=true needs CallSidToCoach: the call SID of the participant to coach",
        ),
        (
            "POST",
            "/Conferences/CF" + "0" * 32 + "/Participants.json",
            {"From": CALLER_ID, "To": AGENT},
            400,
            16022,
            "Conference does not exist or is completed",
        ),
    ],
)
def test_errors(
    method: str, path: str, form: dict[str, str], status: int, code: int, message: str
) -> None:
    with simulator({"/voice": ROOM}) as (sim, _):
        sim.phone(CUSTOMER).hangs_up(after=5)
        sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.advance(1)
        names = {"ac": sim.account_sid, "cf": sim.conferences["Support"].sid}
        answer = account_api(sim, method, path.format(**names), **form)
        assert (answer.status_code, answer.json()) == (
            status,
            twilio_error_body(status, code, message.format(**names)),
        )
        sim.run()


def test_a_room_addressed_by_its_name_is_refused_saying_how_to_find_its_sid() -> None:
    # Twilio's conference samples name the room ('My conference'); only a participant
    # create takes the name, and Twilio's 405 says only "Method not allowed"
    with simulator({"/voice": ROOM}) as (sim, _):
        sim.phone(CUSTOMER).hangs_up(after=5)
        customer = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.advance(1)
        room = sim.client().conferences("My conference")
        with pytest.raises(TwilioRestException) as refused:
            room.participants(customer.sid).update(muted=True)
        assert (refused.value.status, refused.value.code, refused.value.msg) == (
            405,
            20004,
            "Unable to update record: Method not allowed: 'My conference' is not a conference "
            "SID (CF and 32 hex digits); a friendly name is taken only by a participant create "
            "(POST /Conferences/My%20conference/Participants.json): find the SID with GET "
            "/Conferences.json?FriendlyName=My%20conference&Status=in-progress",
        )
        sim.run()


def test_ending_an_ended_conference_is_refused() -> None:
    with simulator({"/voice": ROOM}) as (sim, _):
        sim.phone(CUSTOMER).hangs_up(after=5)
        sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.run()
        sid = sim.conferences["Support"].sid
        with pytest.raises(TwilioRestException) as raised:
            sim.client().conferences(sid).update(status="completed")
        assert (raised.value.status, raised.value.code) == (400, 20409)
        announced = account_api(
            sim, "POST", f"/Conferences/{sid}.json", AnnounceUrl=f"{APP_URL}/news"
        )
        message = (
            f"Conference {sid} has already ended; only a conference in progress can play an "
            "announcement"
        )
        assert (announced.status_code, announced.json()) == (
            400,
            twilio_error_body(400, 20409, message),
        )
        assert sim.client().conferences(sid).participants.list() == []


def test_participants_create_list_fetch_update_and_delete() -> None:
    routes = {"/voice": ROOM, "/hold": response('<Say>On hold</Say><Pause length="4"/>')}
    with simulator(routes) as (sim, _):
        sim.phone(CUSTOMER).hangs_up(after=30)
        sim.phone(AGENT).hangs_up(after=40)
        customer = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        client = sim.client()
        created = account_api(
            sim,
            "POST",
            "/Conferences/Support/Participants.json",
            From=CALLER_ID,
            To=AGENT,
            Label="agent",
            StatusCallback=f"{APP_URL}/agent-status",
            StatusCallbackEvent="initiated answered completed",
        )
        room = sim.conferences["Support"]
        agent = sim.calls[created.json()["call_sid"]]
        expected = participant_body(
            sim, room.sid, agent.sid, label="agent", status="queued", queue_time="0"
        )
        assert (created.status_code, created.json()) == (201, expected)
        second = client.conferences(room.sid).participants.create(from_=CALLER_ID, to=AGENT2)
        assert (second.status, second.queue_time) == ("queued", "1000")  # paced at 1 CPS
        sim.advance(2)
        listed = account_api(sim, "GET", f"/Conferences/{room.sid}/Participants.json").json()
        assert [p["call_sid"] for p in listed["participants"]] == [
            customer.sid,
            agent.sid,
            second.call_sid,
        ]
        assert listed["participants"][1] == participant_body(
            sim, room.sid, agent.sid, label="agent"
        )
        assert (
            account_api(sim, "GET", f"/Conferences/{room.sid}/Participants/agent.json").json()
            == (listed["participants"][1])
        )
        updated = account_api(
            sim,
            "POST",
            f"/Conferences/{room.sid}/Participants/agent.json",
            Muted="true",
            Hold="true",
            HoldUrl=f"{APP_URL}/hold",
        )
        assert updated.json() == participant_body(
            sim, room.sid, agent.sid, label="agent", muted=True, hold=True, date_updated=stamp(2)
        )
        held = account_api(
            sim, "GET", f"/Conferences/{room.sid}/Participants.json?Hold=true"
        ).json()
        assert [p["call_sid"] for p in held["participants"]] == [agent.sid]
        with pytest.raises(TwilioRestException) as on_hold:
            client.conferences(room.sid).participants.create(
                from_=CALLER_ID, to=CUSTOMER, call_sid_to_coach=agent.sid
            )
        assert (on_hold.value.status, on_hold.value.code) == (400, 16027)
        sim.advance(5)
        client.conferences(room.sid).participants("agent").update(hold=False)
        deleted = account_api(
            sim, "DELETE", f"/Conferences/{room.sid}/Participants/{second.call_sid}.json"
        )
        assert (deleted.status_code, deleted.content) == (204, b"")
        sim.run()
    assert agent.record.direction.value == "outbound-api"
    assert [(r.kind, r.params.get("CallStatus")) for r in agent.requests] == [
        ("status", "initiated"),
        ("status", "in-progress"),
        ("hold", "in-progress"),
        ("status", "completed"),
    ]
    assert agent.requests[2].method == "GET" and agent.said == ["On hold"]
    events = [
        (r.params["StatusCallbackEvent"], r.params.get("CallSid"), r.params.get("Muted"))
        for r in room.requests
    ]
    assert events == [
        ("participant-join", customer.sid, "false"),
        ("participant-join", agent.sid, "false"),
        ("conference-start", None, None),
        ("participant-join", second.call_sid, "false"),
        ("participant-mute", agent.sid, "true"),
        ("participant-hold", agent.sid, "true"),
        ("participant-unhold", agent.sid, "true"),
        ("participant-leave", second.call_sid, "false"),
        ("participant-leave", customer.sid, "false"),
        ("participant-leave", agent.sid, "true"),
        ("conference-end", None, None),
    ]
    kicked = room.requests[7].params
    assert (kicked["ReasonParticipantLeft"], kicked["ParticipantCallStatus"]) == (
        "participant_updated_via_api",
        "in-progress",
    )
    assert room.requests[1].params["ParticipantLabel"] == "agent"
    assert sim.calls[second.call_sid].status == "completed"


def test_a_participant_who_does_not_answer_leaves_with_participant_add_failed() -> None:
    with simulator({}) as (sim, _):
        sim.phone(AGENT).busy()
        created = (
            sim.client()
            .conferences("Lonely")
            .participants.create(
                from_=CALLER_ID,
                to=AGENT,
                conference_status_callback=f"{APP_URL}/conf",
                conference_status_callback_event=["join", "leave", "end"],
            )
        )
        sim.run()
    room = sim.conferences["Lonely"]
    assert [r.params["StatusCallbackEvent"] for r in room.requests] == [
        "participant-leave",
        "conference-end",
    ]
    leave = room.requests[0].params
    assert (leave["CallSid"], leave["ParticipantCallStatus"], leave["ReasonParticipantLeft"]) == (
        created.call_sid,
        "busy",
        "participant_add_failed",
    )
    assert room.status == "completed" and room.participants == []


def test_a_recorded_conference_reports_its_recording() -> None:
    recorded = response(
        '<Dial><Conference waitUrl="" record="record-from-start" recordingStatusCallback="/rec" '
        'recordingStatusCallbackEvent="in-progress completed">Support</Conference></Dial>'
    )
    with simulator({"/voice": recorded}) as (sim, _):
        sim.phone(CUSTOMER).hangs_up(after=30)
        sim.phone(AGENT).hangs_up(after=20)
        first = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.advance(5)
        sim.number("+15005550007", voice_url=f"{APP_URL}/voice")
        sim.incoming_call(from_=AGENT, to="+15005550007")
        sim.run()
        room = sim.conferences["Support"]
        [recording] = room.recordings
        listed = account_api(sim, "GET", f"/Conferences/{room.sid}/Recordings.json").json()
        fetched = account_api(
            sim, "GET", f"/Conferences/{room.sid}/Recordings/{recording.sid}.json"
        )
        account_wide = sim.client().recordings(recording.sid).fetch()
    root = f"/2010-04-01/Accounts/{sim.account_sid}"
    expected = {
        "account_sid": sim.account_sid,
        "api_version": "2010-04-01",
        "call_sid": first.sid,
        "conference_sid": room.sid,
        "date_created": stamp(5),
        "date_updated": stamp(30),
        "start_time": stamp(5),
        "duration": "25",
        "sid": recording.sid,
        "price": None,
        "price_unit": "USD",
        "status": "completed",
        "channels": 1,
        "source": "Conference",
        "error_code": None,
        "encryption_details": None,
        "uri": f"{root}/Conferences/{room.sid}/Recordings/{recording.sid}.json",
    }
    assert listed["recordings"] == [expected]
    assert (fetched.status_code, fetched.json()) == (200, expected)
    assert (account_wide.conference_sid, account_wide.source) == (room.sid, "Conference")
    callbacks = [r for r in room.requests if r.kind == "recording-status"]
    common = {
        "AccountSid": sim.account_sid,
        "ConferenceSid": room.sid,
        "ErrorCode": "0",
        "RecordingChannels": "1",
        "RecordingSid": recording.sid,
        "RecordingSource": "Conference",
        "RecordingStartTime": stamp(5),
        "RecordingUrl": f"https://api.twilio.com{root}/Recordings/{recording.sid}",
    }
    assert [(r.url, r.params) for r in callbacks] == [
        (f"{APP_URL}/rec", common | {"RecordingStatus": "in-progress"}),
        (f"{APP_URL}/rec", common | {"RecordingStatus": "completed", "RecordingDuration": "25"}),
    ]


@pytest.mark.parametrize(("record", "recordings"), [("true", 1), ("false", 0)])
def test_a_conference_record_of_true_or_false_records_or_not(record: str, recordings: int) -> None:
    # twilio-python writes conference(..., record=True) as record="true": read as the
    # Participants API reads ConferenceRecord=true (a choice, in the Fidelity notes)
    room_twiml = response(
        f'<Dial><Conference waitUrl="" record="{record}" recordingStatusCallback="/rec">'
        "Support</Conference></Dial>"
    )
    with simulator({"/voice": room_twiml}) as (sim, _):
        sim.phone(CUSTOMER).hangs_up(after=30)
        sim.phone(AGENT).hangs_up(after=20)
        sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.advance(5)
        sim.number("+15005550007", voice_url=f"{APP_URL}/voice")
        sim.incoming_call(from_=AGENT, to="+15005550007")
        sim.run()
        room = sim.conferences["Support"]
    assert (len(room.recordings), sim.failures) == (recordings, [])
    assert [r.params["RecordingStatus"] for r in room.requests] == ["completed"] * recordings


def test_announcements_coaching_and_modify_events() -> None:
    routes: dict[str, object] = {
        "/voice": ROOM,
        "/news": response("<Say>The office closes early today</Say>"),
        "/private": response('<Pause length="2"/>'),
    }
    with simulator(routes) as (sim, app):  # type: ignore[arg-type]
        sim.phone(CUSTOMER).hangs_up(after=60)
        sim.phone(AGENT).hangs_up(after=60)
        sim.phone(AGENT2).hangs_up(after=60)
        customer = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.advance(1)
        room = sim.conferences["Support"]
        client = sim.client()
        participants = client.conferences(room.sid).participants
        agent = participants.create(from_=CALLER_ID, to=AGENT, label="agent")
        sim.advance(2)  # t=3
        coach = participants.create(
            from_=CALLER_ID, to=AGENT2, label="coach", call_sid_to_coach=agent.call_sid
        )
        assert (coach.coaching, coach.call_sid_to_coach) == (True, agent.call_sid)
        sim.advance(2)  # t=5
        client.conferences(room.sid).update(announce_url=f"{APP_URL}/news")
        sim.advance(5)  # t=10
        participants("agent").update(announce_url=f"{APP_URL}/private", announce_method="GET")
        participants("coach").update(coaching=False)
        participants("customer").update(end_conference_on_exit=False)
        fetched = participants("coach").fetch()
        assert (fetched.coaching, fetched.call_sid_to_coach) == (False, None)
        # CallSidToCoach alone coaches again: Coaching "defaults to false unless
        # call_sid_to_coach is defined"
        again = participants("coach").update(call_sid_to_coach=agent.call_sid)
        assert (again.coaching, again.call_sid_to_coach) == (True, agent.call_sid)
        sim.run()
    events = [
        (
            int((r.at - sim.clock.start).total_seconds()),
            r.params["StatusCallbackEvent"],
            r.params.get("ParticipantLabel", ""),
            r.params.get("Coaching", ""),
        )
        for r in room.requests
    ]
    assert events[:10] == [
        (0, "participant-join", "customer", "false"),
        (1, "participant-join", "agent", "false"),
        (1, "conference-start", "", ""),
        (3, "participant-join", "coach", "true"),
        (7, "announcement-end", "", ""),
        (10, "participant-modify", "coach", "false"),
        (10, "participant-modify", "customer", "false"),
        (10, "participant-modify", "coach", "true"),
        (12, "announcement-end", "agent", "false"),
        (60, "participant-leave", "customer", "false"),
    ]
    assert room.requests[4].params["AnnounceUrl"] == f"{APP_URL}/news"
    assert room.requests[8].params["AnnounceUrl"] == f"{APP_URL}/private"
    [news] = [r for r in sim.requests if r.url == f"{APP_URL}/news"]  # once for the room
    assert (news.kind, news.method, news.at, news.params) == (
        "announce",
        "POST",
        sim.clock.at(5_000_000),
        {"AccountSid": sim.account_sid, "ConferenceSid": room.sid, "FriendlyName": "Support"},
    )
    for heard in (customer, sim.calls[agent.call_sid], sim.calls[coach.call_sid]):
        assert heard.said == ["The office closes early today"]


def test_a_room_wide_announcement_is_requested_once_with_its_redirects() -> None:
    routes = {
        "/voice": ROOM,
        "/news": response("<Say>Hello</Say><Gather/><Redirect>/more</Redirect>"),
        "/more": response("<Say>Goodbye</Say>"),
    }
    with simulator(routes, strict=False) as (sim, _):
        sim.phone(CUSTOMER).hangs_up(after=30)
        sim.phone(AGENT).hangs_up(after=3)  # t=4: during the announcement
        customer, agent, room = customer_and_agent_in_the_room(sim)  # t=3
        sim.client().conferences(room.sid).update(announce_url=f"{APP_URL}/news")
        sim.run()
    announced = [(r.url, r.call_sid) for r in sim.requests if r.kind == "announce"]
    assert announced == [(f"{APP_URL}/news", customer.sid), (f"{APP_URL}/more", customer.sid)]
    assert [(f.call_sid, f.code, f.element) for f in sim.failures] == [
        (customer.sid, 13238, "Gather")
    ]
    assert customer.said == ["Hello", "Goodbye"]
    assert agent.said == ["Hello"]
    ends = [r for r in room.requests if r.params["StatusCallbackEvent"] == "announcement-end"]
    assert [(r.at, r.params["AnnounceUrl"]) for r in ends] == [
        (sim.clock.at(5_000_000), f"{APP_URL}/news")  # two Says of 1 s from t=3
    ]


@pytest.mark.parametrize(
    ("end_on_exit", "reason", "sentence"),
    [
        (False, "last-participant-kicked", "Last participant was removed from the conference"),
        (
            True,
            "participant-with-end-conference-on-exit-kicked",
            "Participant {ca} with endConferenceOnExit was removed from the conference",
        ),
    ],
)
def test_removing_a_participant_can_end_the_room(
    end_on_exit: bool, reason: str, sentence: str
) -> None:
    flag = str(end_on_exit).lower()
    room_twiml = response(
        f'<Dial action="/after"><Conference statusCallback="/conf" statusCallbackEvent="end" '
        f'waitUrl="" endConferenceOnExit="{flag}" participantLabel="customer">Support'
        "</Conference></Dial>"
    )
    with simulator({"/voice": room_twiml, "/after": response("<Say>Goodbye</Say>")}) as (sim, _):
        sim.phone(CUSTOMER).hangs_up(after=30)
        customer = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.advance(1)
        room = sim.conferences["Support"]
        if end_on_exit:  # someone else stays: only the flag can end the room
            sim.client().conferences(room.sid).participants.create(from_=CALLER_ID, to=AGENT)
            sim.advance(1)
        sim.client().conferences(room.sid).participants("customer").delete()
        fetched = account_api(sim, "GET", f"/Conferences/{room.sid}.json").json()
        sim.run()
    ended = stamp(2 if end_on_exit else 1)
    assert fetched == conference_body(
        sim,
        room.sid,
        status="completed",
        reason_conference_ended=reason,
        call_sid_ending_conference=customer.sid,
        date_updated=ended,
        region="us1" if end_on_exit else "unknown",  # chosen once a room starts
    )
    assert [r.params for r in room.requests] == [
        {
            "AccountSid": sim.account_sid,
            "ConferenceSid": room.sid,
            "FriendlyName": "Support",
            "SequenceNumber": "0",
            "StatusCallbackEvent": "conference-end",
            "Timestamp": ended,
            "ReasonConferenceEnded": reason,
            "CallSidEndingConference": customer.sid,
            "ParticipantLabelEndingConference": "customer",
            "Reason": sentence.format(ca=customer.sid),
        }
    ]
    assert customer.said == ["Goodbye"]  # its <Dial> is over: the action runs
    assert customer.requests[1].params["DialCallStatus"] == "answered"


def test_ending_the_room_during_an_announcement_sends_no_announcement_end() -> None:
    routes = {"/voice": ROOM, "/after": response(""), "/news": response('<Pause length="4"/>')}
    with simulator(routes) as (sim, _):
        sim.phone(CUSTOMER).hangs_up(after=30)
        customer = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.advance(1)
        room = sim.conferences["Support"]
        sim.client().conferences(room.sid).update(announce_url=f"{APP_URL}/news")
        sim.advance(1)
        sim.client().conferences(room.sid).update(status="completed")
        sim.run()
    assert [r.params["StatusCallbackEvent"] for r in room.requests] == [
        "participant-join",
        "participant-leave",
        "conference-end",  # the room's last event
    ]
    assert [(r.kind, r.url) for r in customer.requests][1:3] == [
        ("announce", f"{APP_URL}/news"),
        ("dial", f"{APP_URL}/after"),
    ]


def test_a_rooms_region_is_unknown_until_it_starts_unless_a_participant_chose_one() -> None:
    third = "+15558880003"
    with simulator({}) as (sim, _):
        for number in (AGENT, AGENT2, third):
            sim.phone(number).answers(after=1).hangs_up(after=5)
        client = sim.client()
        dublin = client.conferences("Dublin").participants.create(
            from_=CALLER_ID, to=AGENT, region="ie1"
        )
        anywhere = client.conferences("Anywhere").participants.create(from_=CALLER_ID, to=AGENT2)
        sim.advance(3)  # one participant in each room: neither has started

        def region(sid: str) -> object:
            return account_api(sim, "GET", f"/Conferences/{sid}.json").json()["region"]

        assert (region(dublin.conference_sid), region(anywhere.conference_sid)) == (
            "ie1",  # the first participant chose it
            "unknown",  # Twilio's spec example of an init room
        )
        client.conferences("Anywhere").participants.create(from_=CALLER_ID, to=third)
        sim.advance(2)
        assert client.conferences(anywhere.conference_sid).fetch().status == "in-progress"
        assert region(anywhere.conference_sid) == "us1"  # chosen as the room started
        sim.run()


def test_a_room_wide_announcement_redirecting_to_itself_meets_the_loop_bound() -> None:
    """Its documents came from the room's shared copies after the first request, so a
    <Redirect> cycle taking no time was never requested again: the run hung for ever."""
    routes = {"/voice": ROOM, "/news": response("<Redirect>/news</Redirect>")}
    with simulator(routes, strict=False) as (sim, _):
        sim.phone(CUSTOMER).hangs_up(after=30)
        sim.phone(AGENT).hangs_up(after=20)
        customer, agent, room = customer_and_agent_in_the_room(sim)  # t=3
        sim.client().conferences(room.sid).update(announce_url=f"{APP_URL}/news")
        sim.run()
    announced = [(r.url, r.call_sid, r.at) for r in sim.requests if r.kind == "announce"]
    assert announced == [(f"{APP_URL}/news", customer.sid, sim.clock.at(3_000_000))] * 100
    assert [(f.call_sid, f.code, f.url, f.message) for f in sim.failures] == [
        (
            customer.sid,
            None,
            f"{APP_URL}/news",
            "100 documents fetched without virtual time passing (a <Redirect> loop?); twimlsim "
            "then skipped the announcement for this participant",
        )
    ]
    assert (customer.status, customer.duration) == ("completed", 30)
    assert (agent.status, agent.duration) == (
        "completed",
        20,
    )


@pytest.mark.parametrize(
    ("update", "instead"),
    [
        (
            {"hold": True, "hold_url": f"{APP_URL}/loop"},
            "the participant then heard silence while on hold",
        ),
        (
            {"announce_url": f"{APP_URL}/loop"},
            "twimlsim then skipped the announcement for this participant",
        ),
    ],
)
def test_a_participant_s_hold_or_announcement_loop_says_what_went_on(
    update: dict[str, object], instead: str
) -> None:
    """The loop bound said 'twimlsim ended the call', which went on in the room."""
    routes = {"/voice": ROOM, "/loop": response("<Redirect>/loop</Redirect>")}
    with simulator(routes, strict=False) as (sim, _):
        sim.phone(CUSTOMER).hangs_up(after=30)
        customer, agent, room = customer_and_agent_in_the_room(sim)  # t=3
        sim.client().conferences(room.sid).participants(customer.sid).update(**update)
        sim.advance(2)
        assert customer.status == "in-progress"
        sim.client().calls(agent.sid).update(status="completed")
        sim.run()
    assert [(f.call_sid, f.code, f.url, f.message) for f in sim.failures] == [
        (
            customer.sid,
            None,
            f"{APP_URL}/loop",
            f"100 documents fetched without virtual time passing (a <Redirect> loop?); {instead}",
        )
    ]
    assert (customer.status, customer.duration) == ("completed", 30)


@pytest.mark.parametrize(
    "query",
    [
        "DateCreated=2026-01-01T09:00:00-0400",
        "DateCreated%3C=2026-01-01T09:00:00Z",
        "DateUpdated%3E=Thu,%2001%20Jan%202026%2009:00:00%20%2B0000",
        "DateUpdated=01/01/2026%2009:00:00%20MST",
    ],
)
def test_the_conferences_list_takes_dates_only(query: str) -> None:
    # Twilio's notice "Twilio Voice Conference API Improvements" (2019): the Conferences
    # list's dateCreated and dateUpdated take YYYY-MM-DD, <=YYYY-MM-DD, >=YYYY-MM-DD, and
    # "We do not support the ISO8601 date-time format ... this format will now return 400"
    with simulator({"/voice": ROOM}) as (sim, _):
        sim.phone(CUSTOMER).hangs_up(after=5)
        sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.run()
        refused = account_api(sim, "GET", f"/Conferences.json?{query}")
        by_date = sim.client().conferences.list(date_created=datetime(2026, 1, 1, 9, tzinfo=UTC))
    key, raw = unquote(query).split("=", 1)
    assert (refused.status_code, refused.json()) == (
        400,
        twilio_error_body(
            400,
            20422,
            f"{key} is not a valid date: {raw}. The Conferences list takes a date only, "
            "YYYY-MM-DD (UTC), as Twilio answers a date-time there with 400 Bad Request; "
            "pass a date (twilio-python: date_created=date(2026, 1, 1))",
        ),
    )
    # the twilio client sends a date, even of a datetime: the room is found
    assert [c.friendly_name for c in by_date] == ["Support"]


def test_a_room_wide_announcement_loop_met_after_its_first_leg_left_meets_the_loop_bound() -> None:
    """The first participant to play it hung up during its first document: the next one,
    reading the room's copies, requested the documents missing (/b, /c), then took /b from
    the room's copies again and again, with no request and no time passing: the run hung."""
    routes = {
        "/voice": ROOM,
        "/a": response('<Pause length="5"/><Redirect>/b</Redirect>'),
        "/b": response("<Redirect>/c</Redirect>"),
        "/c": response("<Redirect>/b</Redirect>"),
    }
    with simulator(routes, strict=False) as (sim, _):
        sim.phone(CUSTOMER).hangs_up(after=5)
        sim.phone(AGENT).hangs_up(after=20)
        customer, agent, room = customer_and_agent_in_the_room(sim)  # t=3
        sim.client().conferences(room.sid).update(announce_url=f"{APP_URL}/a")
        sim.run()
    announced = [(r.url, r.call_sid, r.at) for r in sim.requests if r.kind == "announce"]
    assert announced == [(f"{APP_URL}/a", customer.sid, sim.clock.at(3_000_000))] + [
        (f"{APP_URL}/{page}", agent.sid, sim.clock.at(8_000_000)) for page in "bc" * 50
    ]
    assert [(f.call_sid, f.code, f.url, f.message) for f in sim.failures] == [
        (
            agent.sid,
            None,
            f"{APP_URL}/b",
            "100 documents fetched without virtual time passing (a <Redirect> loop?); twimlsim "
            "then skipped the announcement for this participant",
        )
    ]
    assert (customer.status, customer.duration) == ("completed", 5)
    assert (agent.status, agent.duration) == (
        "completed",
        20,
    )


def test_an_announcement_looping_by_its_redirect_plays_until_the_call_ends() -> None:
    """Like a hold document, an announcement document that loops by its own <Redirect>
    counted toward the 1,000 documents a call may fetch: the bound said 'twimlsim ended the
    call', which went on in the room (the announcement was skipped)."""
    routes = {"/voice": ROOM, "/loop": response('<Pause length="1"/><Redirect>/loop</Redirect>')}
    with simulator(routes, strict=False) as (sim, _):
        sim.phone(CUSTOMER).hangs_up(after=1200)
        sim.phone(AGENT).hangs_up(after=1300)
        customer, agent, room = customer_and_agent_in_the_room(sim)  # t=3
        sim.client().conferences(room.sid).participants(customer.sid).update(
            announce_url=f"{APP_URL}/loop"
        )
        sim.run()
    announced = [r.at for r in customer.requests if r.kind == "announce"]
    assert announced == [sim.clock.at(seconds * 1_000_000) for seconds in range(3, 1200)]
    assert sim.failures == []
    assert (customer.status, customer.duration) == ("completed", 1200)
    assert (agent.status, agent.duration) == ("completed", 1300)

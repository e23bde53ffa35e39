"""Participants added, changed and removed while they are still being called or in the
room: what their calls do, the events they cause, labels, paging and refusals; exact
JSON, callback parameters and Twilio's errors."""

from __future__ import annotations

from tests.engine.helpers import base, get_url, response, simulator
from tests.rest.test_conferences import (
    AGENT,
    AGENT2,
    CUSTOMER,
    ROOM,
    participant_body,
    stamp,
)
from tests.support import APP_URL, CALLER_ID, account_api, twilio_error_body
from twimlsim.engine.events import Played


def test_removing_a_participant_still_being_called_cancels_its_call() -> None:
    with simulator({"/voice": ROOM}) as (sim, _):
        sim.phone(CUSTOMER).hangs_up(after=30)
        sim.phone(AGENT).answers(after=10)
        sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.advance(1)
        room = sim.conferences["Support"]
        participants = sim.client().conferences(room.sid).participants
        ringing = participants.create(
            from_=CALLER_ID,
            to=AGENT,
            label="agent",
            status_callback=f"{APP_URL}/agent-status",
            status_callback_event=["initiated", "ringing", "answered", "completed"],
        )
        queued = participants.create(from_=CALLER_ID, to=AGENT2)  # paced: 1 s in the queue
        sim.client().calls(queued.call_sid).update(status="canceled")
        sim.advance(0.5)
        assert participants("agent").fetch().status == "ringing"
        removed = account_api(sim, "DELETE", f"/Conferences/{room.sid}/Participants/agent.json")
        assert (removed.status_code, removed.content) == (204, b"")
        assert account_api(
            sim, "GET", f"/Conferences/{room.sid}/Participants/agent.json"
        ).status_code == (404)
        assert [p.call_sid for p in participants.list()] == [room.participants[0].sid]
        sim.run()
    agent = sim.calls[ringing.call_sid]
    assert (agent.status, sim.calls[queued.call_sid].status) == ("canceled", "canceled")
    assert [(r.kind, r.params["CallStatus"]) for r in agent.requests] == [
        ("status", "initiated"),
        ("status", "ringing"),
        ("status", "canceled"),
    ]
    leaves = room.requests[1:3]
    common = {
        "AccountSid": sim.account_sid,
        "ConferenceSid": room.sid,
        "FriendlyName": "Support",
        "StatusCallbackEvent": "participant-leave",
        "Timestamp": stamp(1),
        "Coaching": "false",
        "EndConferenceOnExit": "false",
        "Hold": "false",
        "Muted": "false",
        "StartConferenceOnEnter": "true",
        "ParticipantCallStatus": "canceled",
        "ReasonParticipantLeft": "participant_add_failed",
    }
    assert [(r.at, r.params) for r in leaves] == [
        (sim.clock.at(1_000_000), common | {"SequenceNumber": "1", "CallSid": queued.call_sid}),
        (
            sim.clock.at(1_500_000),
            common
            | {
                "SequenceNumber": "2",
                "Timestamp": stamp(1),
                "CallSid": agent.sid,
                "ParticipantLabel": "agent",
            },
        ),
    ]
    assert [r.params["StatusCallbackEvent"] for r in room.requests][3:] == [
        "participant-leave",
        "conference-end",
    ]


def test_a_participant_is_updated_when_its_call_rings_and_when_it_joins() -> None:
    """Twilio's Participant page: ``date_updated`` is when the resource was last updated;
    its status going from queued to ringing to connected updates it."""
    with simulator({"/voice": ROOM}) as (sim, _):
        sim.phone(CUSTOMER).hangs_up(after=30)
        sim.phone(AGENT).answers(after=4).hangs_up(after=10)
        sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.advance(1)
        room = sim.conferences["Support"]
        created = (
            sim.client()
            .conferences(room.sid)
            .participants.create(from_=CALLER_ID, to=AGENT, label="agent")
        )
        path = f"/Conferences/{room.sid}/Participants/{created.call_sid}.json"
        seen = []
        for seconds in (0, 2, 3):
            sim.advance(seconds)
            seen.append(account_api(sim, "GET", path).json())
        sim.run()
    assert (created.status, created.date_updated) == ("queued", created.date_created)
    assert seen == [
        participant_body(
            sim, room.sid, created.call_sid, label="agent", status=status,
            date_created=stamp(1), date_updated=stamp(updated),
        )
        for status, updated in (("ringing", 1), ("ringing", 1), ("connected", 5))
    ]  # fmt: skip


def test_an_update_while_the_participant_is_being_called_applies_when_it_joins() -> None:
    with simulator({"/voice": ROOM}) as (sim, _):
        sim.phone(CUSTOMER).hangs_up(after=60)
        sim.phone(AGENT).answers(after=5).hangs_up(after=10)
        customer = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.advance(1)
        room = sim.conferences["Support"]
        participants = sim.client().conferences(room.sid).participants
        created = participants.create(from_=CALLER_ID, to=AGENT, label="agent")
        sim.advance(1)
        updated = account_api(
            sim,
            "POST",
            f"/Conferences/{room.sid}/Participants/agent.json",
            Muted="true",
            EndConferenceOnExit="true",
        )
        expected = participant_body(
            sim,
            room.sid,
            created.call_sid,
            label="agent",
            status="ringing",
            muted=True,
            end_conference_on_exit=True,
            date_created=stamp(1),
            date_updated=stamp(2),
        )
        assert (updated.status_code, updated.json()) == (200, expected)
        sim.run()
    events = [
        (r.params["StatusCallbackEvent"], r.params.get("CallSid"), r.params.get("Muted"))
        for r in room.requests
    ]
    assert events == [
        ("participant-join", customer.sid, "false"),
        ("participant-join", created.call_sid, "true"),
        ("conference-start", None, None),
        ("participant-leave", created.call_sid, "true"),
        ("participant-leave", customer.sid, "false"),
        ("conference-end", None, None),
    ]
    joined, end = room.requests[1].params, room.requests[-1].params
    assert joined["EndConferenceOnExit"] == "true"
    assert (end["ReasonConferenceEnded"], end["CallSidEndingConference"]) == (
        "participant-with-end-conference-on-exit-left",
        created.call_sid,
    )
    assert customer.record.duration == 16  # the agent answered at 6 s and hung up at 16 s


def test_participant_update_events_carry_the_participant_exactly() -> None:
    room_twiml = response(
        '<Dial><Conference statusCallback="/conf" statusCallbackEvent="mute hold modify '
        'announcement" waitUrl="" participantLabel="customer">Support</Conference></Dial>'
    )
    routes = {"/voice": room_twiml, "/note": response("<Say>Recording starts</Say>")}
    with simulator(routes) as (sim, _):
        sim.phone(CUSTOMER).hangs_up(after=30)
        sim.phone(AGENT).hangs_up(after=30)
        customer = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.advance(1)
        room = sim.conferences["Support"]
        participants = sim.client().conferences(room.sid).participants
        participants.create(from_=CALLER_ID, to=AGENT)
        sim.advance(1)
        participants("customer").update(muted=True)
        participants("customer").update(hold=True)
        participants("customer").update(hold=False, end_conference_on_exit=True)
        participants("customer").update(muted=False, announce_url=f"{APP_URL}/note")
        sim.run()
    customer_flags = {
        "CallSid": customer.sid,
        "Coaching": "false",
        "EndConferenceOnExit": "false",
        "Hold": "false",
        "Muted": "false",
        "StartConferenceOnEnter": "true",
        "ParticipantLabel": "customer",
    }

    def event(number: int, name: str, at: int, **changes: str) -> dict[str, str]:
        return (
            {
                "AccountSid": sim.account_sid,
                "ConferenceSid": room.sid,
                "FriendlyName": "Support",
                "SequenceNumber": str(number),
                "StatusCallbackEvent": name,
                "Timestamp": stamp(at),
            }
            | customer_flags
            | changes
        )

    assert [r.params for r in room.requests] == [
        event(0, "participant-mute", 2, Muted="true"),
        event(1, "participant-hold", 2, Muted="true", Hold="true"),
        event(2, "participant-unhold", 2, Muted="true"),
        event(3, "participant-modify", 2, Muted="true", EndConferenceOnExit="true"),
        event(4, "participant-unmute", 2, EndConferenceOnExit="true"),
        event(5, "announcement-end", 3, EndConferenceOnExit="true", AnnounceUrl=f"{APP_URL}/note"),
    ]
    [note] = [r for r in customer.requests if r.kind == "announce"]
    assert note.params == base(sim, customer, "in-progress", from_=CUSTOMER, to=CALLER_ID)


def test_an_announcement_plays_to_its_end_and_ends_when_its_listener_leaves() -> None:
    room_twiml = response(
        '<Dial><Conference statusCallback="/conf" statusCallbackEvent="hold leave '
        'announcement" waitUrl="" participantLabel="customer">Support</Conference></Dial>'
    )
    routes = {
        "/voice": room_twiml,
        "/long": response('<Pause length="5"/>'),
        "/hold": response("<Say>You are on hold</Say>"),
    }
    with simulator(routes) as (sim, _):
        sim.phone(CUSTOMER).hangs_up(after=30)
        customer = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.advance(1)
        room = sim.conferences["Support"]
        participants = sim.client().conferences(room.sid).participants
        agent = participants.create(from_=CALLER_ID, to=AGENT, label="agent").call_sid
        sim.advance(1)  # t=2
        participants("customer").update(announce_url=f"{APP_URL}/long")
        sim.advance(1)  # t=3: the announcement goes on; the hold music comes after it
        participants("customer").update(hold=True, hold_url=f"{APP_URL}/hold")
        sim.advance(5)  # t=8
        participants("agent").update(announce_url=f"{APP_URL}/long")
        sim.advance(1)  # t=9: the agent is removed during its announcement
        participants("agent").delete()
        sim.run()
    events = [
        (
            int((r.at - sim.clock.start).total_seconds()),
            r.params["StatusCallbackEvent"],
            r.params.get("CallSid"),
            r.params.get("AnnounceUrl"),
        )
        for r in room.requests
    ]
    assert events == [
        (3, "participant-hold", customer.sid, None),
        (7, "announcement-end", customer.sid, f"{APP_URL}/long"),
        (9, "participant-leave", agent, None),
        (9, "announcement-end", None, f"{APP_URL}/long"),  # the agent has left
        (30, "participant-leave", customer.sid, None),
    ]
    assert room.requests[1].params["Hold"] == "true"
    [held] = [r for r in customer.requests if r.kind == "hold"]
    assert (held.at, customer.said) == (sim.clock.at(7_000_000), ["You are on hold"])
    assert sim.calls[agent].status == "completed"


def test_a_refused_participant_create_by_name_leaves_no_room_behind() -> None:
    with simulator({}) as (sim, _):
        path = "/Conferences/NewRoom/Participants.json"
        refusals = [
            account_api(sim, "POST", path, From=CALLER_ID, To=AGENT, Label="a/b"),
            account_api(
                sim, "POST", path, From=CALLER_ID, To=AGENT, CallSidToCoach="CA" + "1" * 32
            ),
        ]
        assert [(r.status_code, r.json()) for r in refusals] == [
            (
                400,
                twilio_error_body(
                    400,
                    16024,
                    "Label a/b is not valid: a label may not look like a call SID or contain '/'",
                ),
            ),
            (
                400,
                twilio_error_body(
                    400, 16028, "Participant to be whispered is not present in the conference"
                ),
            ),
        ]
        # the account's call queue is full (24 hours at 1 CPS): refused as a Calls create is
        sim.account.next_slot_us = 86_400 * 1_000_000
        full = account_api(sim, "POST", path, From=CALLER_ID, To=AGENT)
        message = (
            "Call Queue Full: there are more than 24 hours of calls in the call queue of "
            f"account {sim.account_sid} (at 1 calls per second, 86,400 calls); calls are not "
            "accepted until the queue shortens. Place fewer calls at once, or raise the "
            "account's CPS"
        )
        assert (full.status_code, full.json()) == (400, twilio_error_body(400, 22005, message))
        assert account_api(sim, "GET", "/Conferences.json").json()["conferences"] == []
        assert (len(sim.conferences), len(sim.calls)) == (0, 0)


def test_participant_pages_carry_participant_page_tokens() -> None:
    numbers = (AGENT, AGENT2, "+15558880003")
    with simulator({}) as (sim, _):
        for number in numbers:
            sim.phone(number).hangs_up(after=10)
        participants = sim.client().conferences("Line").participants
        sids = [participants.create(from_=CALLER_ID, to=n).call_sid for n in numbers]
        sim.advance(3)
        room = sim.conferences["Line"]
        root = f"/2010-04-01/Accounts/{sim.account_sid}/Conferences/{room.sid}/Participants.json"
        first = account_api(sim, "GET", f"/Conferences/{room.sid}/Participants.json?PageSize=2")
        token = "PACP" + sids[1][2:]
        assert first.json()["next_page_uri"] == f"{root}?PageSize=2&Page=1&PageToken={token}"
        account_root = f"/2010-04-01/Accounts/{sim.account_sid}"
        second = account_api(sim, "GET", first.json()["next_page_uri"][len(account_root) :])
        assert [p["call_sid"] for p in second.json()["participants"]] == [sids[2]]
        listed = sim.client().conferences(room.sid).participants.list(page_size=2)
        assert [p.call_sid for p in listed] == sids
        sim.run()


def test_a_label_held_by_a_participant_still_being_called_is_in_use() -> None:
    labelled = response(
        '<Dial><Conference waitUrl="" participantLabel="agent">Support</Conference></Dial>'
        "<Say>The label is taken</Say>"
    )
    with simulator({"/voice": labelled}, allow_codes={16025}) as (sim, _):
        sim.phone(AGENT).answers(after=10).hangs_up(after=5)
        ringing = (
            sim.client()
            .conferences("Support")
            .participants.create(from_=CALLER_ID, to=AGENT, label="agent")
        )
        caller = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.run()
    room = sim.conferences["Support"]
    assert [(f.call_sid, f.code, f.message) for f in sim.failures] == [
        (caller.sid, 16025, "participantLabel 'agent' is already used in the conference")
    ]
    assert caller.said == ["The label is taken"]
    assert [call.sid for call in room.participants] == [ringing.call_sid]


def test_machine_detection_reports_to_the_participants_amd_status_callback() -> None:
    kicked: list[str] = []

    def amd(form: dict[str, str]) -> str:
        if form["AnsweredBy"] != "human":  # a voicemail: take it out of the room
            sim.client().conferences(room.sid).participants(form["CallSid"]).delete()
            kicked.append(form["CallSid"])
        return ""

    with simulator({"/voice": ROOM, "/amd": amd}) as (sim, _):
        sim.phone(CUSTOMER).hangs_up(after=30)
        sim.phone(AGENT).machine("machine_end_beep", after=2)
        sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.advance(1)
        room = sim.conferences["Support"]
        voicemail = (
            sim.client()
            .conferences(room.sid)
            .participants.create(
                from_=CALLER_ID,
                to=AGENT,
                machine_detection="DetectMessageEnd",  # Enable never says machine_end_beep
                amd_status_callback=f"{APP_URL}/amd",
                amd_status_callback_method="GET",
            )
        )
        sim.run()
    call = sim.calls[voicemail.call_sid]
    [report] = [r for r in call.requests if r.kind == "amd"]
    assert (report.method, report.at, report.params) == (
        "GET",
        sim.clock.at(6_000_000),  # answered at 3 s, three seconds of detection
        {
            "AccountSid": sim.account_sid,
            "AnsweredBy": "machine_end_beep",
            "CallSid": voicemail.call_sid,
            "MachineDetectionDuration": "3000",
        },
    )
    assert kicked == [voicemail.call_sid]
    assert (call.record.answered_by, call.status, call.duration) == (
        "machine_end_beep",
        "completed",
        3,
    )
    events = [(r.params["StatusCallbackEvent"], r.params.get("CallSid")) for r in room.requests]
    assert events[1:4] == [
        ("participant-join", voicemail.call_sid),
        ("conference-start", None),
        ("participant-leave", voicemail.call_sid),
    ]


def test_a_participant_redirected_while_ringing_runs_the_new_twiml_and_never_joins() -> None:
    routes = {"/voice": ROOM, "/elsewhere": response("<Say>You were moved</Say>")}
    with simulator(routes) as (sim, _):
        sim.phone(CUSTOMER).hangs_up(after=30)
        sim.phone(AGENT).answers(after=5)
        sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.advance(1)
        room = sim.conferences["Support"]
        created = (
            sim.client()
            .conferences(room.sid)
            .participants.create(from_=CALLER_ID, to=AGENT, label="agent")
        )
        sim.advance(2)
        sim.client().calls(created.call_sid).update(url=f"{APP_URL}/elsewhere")
        sim.advance(5)  # answered at 6 s
        assert account_api(
            sim, "GET", f"/Conferences/{room.sid}/Participants/agent.json"
        ).status_code == (404)
        sim.run()
    call = sim.calls[created.call_sid]
    assert [(r.kind, r.url, r.params["CallStatus"]) for r in call.requests] == [
        ("update", f"{APP_URL}/elsewhere", "in-progress")
    ]
    assert (call.said, call.status) == (["You were moved"], "completed")
    leave = room.requests[1].params
    assert (leave["StatusCallbackEvent"], leave["CallSid"], leave["Timestamp"]) == (
        "participant-leave",
        created.call_sid,
        stamp(6),
    )
    assert (leave["ReasonParticipantLeft"], leave["ParticipantCallStatus"]) == (
        "participant_updated_via_api",
        "in-progress",
    )
    assert [r.params["StatusCallbackEvent"] for r in room.requests][2:] == [
        "participant-leave",
        "conference-end",
    ]


def room_events(room: object) -> list[tuple[str, str | None, str | None, str | None]]:
    requests = room.requests  # type: ignore[attr-defined]
    return [
        (
            r.params["StatusCallbackEvent"],
            r.params.get("CallSid"),
            r.params.get("ParticipantCallStatus"),
            r.params.get("ReasonParticipantLeft") or r.params.get("ReasonConferenceEnded"),
        )
        for r in requests
    ]


def test_a_room_ended_while_a_participant_is_being_called_tells_it_first() -> None:
    """conference-end is the room's last event: a participant still being called leaves
    (its add failed) before it, not after it when its call is answered."""
    with simulator({"/voice": ROOM}) as (sim, _):
        sim.phone(CUSTOMER).hangs_up(after=60)
        sim.phone(AGENT).answers(after=10).hangs_up(after=5)
        customer = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.advance(1)
        room = sim.conferences["Support"]
        agent = sim.client().conferences(room.sid).participants.create(from_=CALLER_ID, to=AGENT)
        sim.advance(3)
        sim.client().conferences(room.sid).update(status="completed")
        sim.run()
    assert room_events(room) == [
        ("participant-join", customer.sid, None, None),
        ("participant-leave", agent.call_sid, "ringing", "participant_add_failed"),
        ("participant-leave", customer.sid, "in-progress", "conference_ended_via_api"),
        ("conference-end", None, None, "conference-ended-via-api"),
    ]


def test_the_last_one_seated_leaving_keeps_the_room_for_one_being_called() -> None:
    with simulator({"/voice": ROOM}) as (sim, _):
        sim.phone(CUSTOMER).hangs_up(after=60)
        sim.phone(AGENT).answers(after=10).hangs_up(after=5)
        customer = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.advance(1)
        room = sim.conferences["Support"]
        agent = sim.client().conferences(room.sid).participants.create(from_=CALLER_ID, to=AGENT)
        sim.advance(3)
        sim.client().conferences(room.sid).participants(customer.sid).delete()
        assert room.status == "init"  # open still for the agent being called (it had ended)
        sim.run()
    assert room_events(room) == [
        ("participant-join", customer.sid, None, None),
        ("participant-leave", customer.sid, "in-progress", "participant_updated_via_api"),
        ("participant-join", agent.call_sid, None, None),
        ("participant-leave", agent.call_sid, "completed", "participant_hung_up"),
        ("conference-end", None, None, "last-participant-left"),
    ]


def test_machine_detection_true_on_a_participant_is_warning_21234_and_detects_nothing() -> None:
    with simulator({"/voice": ROOM, "/amd": ""}, strict=False) as (sim, _):
        sim.phone(CUSTOMER).hangs_up(after=30)
        sim.phone(AGENT).machine("machine_end_beep", after=2).hangs_up(after=5)
        sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.advance(1)
        created = (
            sim.client()
            .conferences("Support")
            .participants.create(
                from_=CALLER_ID,
                to=AGENT,
                machine_detection="true",
                amd_status_callback=f"{APP_URL}/amd",
            )
        )
        sim.run()
    call = sim.calls[created.call_sid]
    assert ([r.kind for r in call.requests], call.record.answered_by) == ([], None)
    assert [(f.call_sid, f.code, f.level) for f in sim.failures] == [
        (created.call_sid, 21234, "warning")
    ]


def test_async_amd_parameters_on_a_participant_are_warning_21263_and_ignored() -> None:
    """Twilio's 21263 page: AsyncAmd, AsyncAmdStatusCallback and AsyncAmdStatusCallbackMethod
    are POST /Calls parameters; given to POST /Participants they are a warning, and the
    participant's own AmdStatusCallback is the one that reports."""
    with simulator({"/voice": ROOM, "/amd": "", "/async": ""}, strict=False) as (sim, _):
        sim.phone(CUSTOMER).hangs_up(after=30)
        sim.phone(AGENT).machine("machine_start", after=2).hangs_up(after=5)
        sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.advance(1)
        created = account_api(
            sim,
            "POST",
            "/Conferences/Support/Participants.json",
            From=CALLER_ID,
            To=AGENT,
            MachineDetection="Enable",
            AmdStatusCallback=f"{APP_URL}/amd",
            AsyncAmd="true",
            AsyncAmdStatusCallback=f"{APP_URL}/async",
        )
        assert created.status_code == 201
        sim.run()
    call_sid = created.json()["call_sid"]
    assert [(r.kind, r.url) for r in sim.calls[call_sid].requests] == [("amd", f"{APP_URL}/amd")]
    assert [(f.call_sid, f.code, f.level, f.message) for f in sim.failures] == [
        (
            call_sid,
            21263,
            "warning",
            "AsyncAmd, AsyncAmdStatusCallback are parameters of POST /Calls, not of POST "
            "/Participants: ignored. A participant's answering machine detection is "
            "MachineDetection with AmdStatusCallback and AmdStatusCallbackMethod; drop the "
            "AsyncAmd parameters, or allow code 21263",
        )
    ]


def test_conference_trim_and_jitter_buffer_size_take_the_values_the_spec_lists() -> None:
    """Participants create: ``ConferenceTrim`` (trim-silence, do-not-trim),
    ``JitterBufferSize`` (off, small, medium, large) and ``Region`` (us1, us2, ie1, de1,
    sg1, br1, au1, jp1) are checked like every enumeration."""
    with simulator({}) as (sim, _):
        path = "/Conferences/NewRoom/Participants.json"
        refused = [
            account_api(sim, "POST", path, From=CALLER_ID, To=AGENT, ConferenceTrim="none"),
            account_api(sim, "POST", path, From=CALLER_ID, To=AGENT, JitterBufferSize="huge"),
            account_api(sim, "POST", path, From=CALLER_ID, To=AGENT, Region="eu1"),
        ]
        assert [(r.status_code, r.json()) for r in refused] == [
            (
                400,
                twilio_error_body(
                    400,
                    20422,
                    "ConferenceTrim is not valid: none. Use one of trim-silence, do-not-trim",
                ),
            ),
            (
                400,
                twilio_error_body(
                    400,
                    20422,
                    "JitterBufferSize is not valid: huge. Use one of off, small, medium, large",
                ),
            ),
            (
                400,
                twilio_error_body(
                    400,
                    20422,
                    "Region is not valid: eu1. Use one of us1, us2, ie1, de1, sg1, br1, au1, jp1",
                ),
            ),
        ]
        assert (len(sim.conferences), len(sim.calls)) == (0, 0)
        taken = account_api(
            sim,
            "POST",
            path,
            From=CALLER_ID,
            To=AGENT,
            ConferenceTrim="do-not-trim",
            JitterBufferSize="off",
            Region="ie1",
        )
        assert (taken.status_code, taken.json()["status"]) == (201, "queued")


def test_a_hold_without_hold_url_plays_twilios_hold_music_and_an_empty_one_silence() -> None:
    """Twilio's post introducing hold: "If omitted, Twilio will play default hold music"
    (its playlist, requested with GET, HoldMethod's default); HoldUrl='' is silence."""
    with simulator({"/voice": ROOM}) as (sim, _):
        sim.phone(CUSTOMER).hangs_up(after=30)
        sim.phone(AGENT).hangs_up(after=30)
        customer = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.advance(1)
        room = sim.conferences["Support"]
        participants = sim.client().conferences(room.sid).participants
        agent = sim.calls[participants.create(from_=CALLER_ID, to=AGENT).call_sid]
        sim.advance(2)  # t=3: the agent has joined, the room has started
        participants(customer.sid).update(hold=True)
        participants(agent.sid).update(hold=True, hold_url="")
        sim.advance(12)  # t=15
        participants(customer.sid).update(hold=False)
        sim.run()
    [held] = [r for r in customer.requests if r.kind == "hold"]
    params = base(sim, customer, "in-progress", from_=CUSTOMER, to=CALLER_ID)
    assert (held.method, held.url, held.params, held.at) == (
        "GET",
        get_url("http://twimlets.com/holdmusic?Bucket=com.twilio.music.classical", params),
        params,
        sim.clock.at(3_000_000),
    )
    classical = "http://com.twilio.music.classical.s3.amazonaws.com/"
    assert [
        (e.url, int((e.at - sim.clock.start).total_seconds()), e.interrupted)
        for e in customer.transcript
        if isinstance(e, Played)
    ] == [
        (classical + "BusyStrings.mp3", 3, False),
        (classical + "ClockworkWaltz.mp3", 8, False),
        (classical + "MARKOVICHAMP-Borghestral.mp3", 13, True),  # unheld at t=15
    ]
    assert [r.kind for r in agent.requests] == []  # held in silence
    assert [e for e in agent.transcript if isinstance(e, Played)] == []


def test_beep_and_conference_record_take_python_bools_as_twilio_python_sends_them() -> None:
    """twilio-python types ``beep`` and ``conference_record`` as text, so ``beep=False``
    goes on the wire as ``Beep=False`` (a browser dialler sample's warm transfer adds its
    agent so): the words true and false are taken in any case, as a bool parameter's are;
    other values stay exact."""
    with simulator({}) as (sim, _):
        sim.phone(AGENT).answers(after=2).hangs_up(after=20)
        sim.phone(AGENT2).answers(after=2).hangs_up(after=20)
        participants = sim.client().conferences("Standup").participants
        first = participants.create(
            from_=CALLER_ID, to=AGENT, beep=False, conference_record=True, label="first"
        )
        participants.create(from_=CALLER_ID, to=AGENT2, label="second")
        sent = [r.params for r in sim.api_requests if r.kind == "participants.create"]
        assert (sent[0]["Beep"], sent[0]["ConferenceRecord"]) == ("False", "True")
        sim.advance(4)  # both have joined: the room has started, recorded
        room = sim.conferences["Standup"]
        seated = room.record.participants[first.call_sid]
        assert (seated.beep, len(room.recordings)) == ("false", 1)
        refused = account_api(
            sim,
            "POST",
            f"/Conferences/{room.sid}/Participants.json",
            From=CALLER_ID,
            To=CUSTOMER,
            Beep="OnEnter",
        )
        assert (refused.status_code, refused.json()) == (
            400,
            twilio_error_body(
                400, 20422, "Beep is not valid: OnEnter. Use one of true, false, onEnter, onExit"
            ),
        )
        sim.run()


def test_one_held_while_the_room_waits_hears_its_hold_music_on_as_the_room_starts() -> None:
    """A browser dialler's hold button holds the leg it moved into a room not yet started;
    when the other leg joins and the room starts, nothing about the hold changed: the hold
    document is not requested again and its music plays on (UNCONFIRMED: Twilio's pages
    do not say)."""
    waiting_room = response(
        f'<Dial><Conference startConferenceOnEnter="false" waitUrl="{APP_URL}/wait">'
        "Room</Conference></Dial>"
    )
    routes = {
        "/voice": waiting_room,
        "/wait": response('<Play loop="0">https://media.test/wait.mp3</Play>'),
        "/hold": response('<Play loop="0">https://media.test/hold.mp3</Play>'),
        "/agent": response("<Dial><Conference>Room</Conference></Dial>"),
    }
    with simulator(routes) as (sim, _):
        sim.phone(CUSTOMER).hangs_up(after=30)
        sim.phone(AGENT).hangs_up(after=20)
        customer = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.advance(1)
        room = sim.conferences["Room"]
        sim.client().conferences(room.sid).participants(customer.sid).update(
            hold=True, hold_url=f"{APP_URL}/hold"
        )
        sim.advance(4)  # t=5: the agent calls in and starts the room
        sim.client().calls.create(to=AGENT, from_=CALLER_ID, url=f"{APP_URL}/agent")
        sim.run()
    assert [(r.kind, int((r.at - sim.clock.start).total_seconds())) for r in customer.requests] == [
        ("voice", 0),
        ("wait", 0),
        ("hold", 1),
        ("status", 30),
    ]
    assert [
        (e.url, int((e.at - sim.clock.start).total_seconds()), e.interrupted)
        for e in customer.transcript
        if isinstance(e, Played)
    ] == [
        ("https://media.test/wait.mp3", 0, True),  # held at t=1
        ("https://media.test/hold.mp3", 1, True),  # on until the caller hung up at t=30
    ]


def test_muted_is_lenient_on_an_update_and_strict_on_a_create() -> None:
    """The update's ``Muted`` is documented as "Anything value other than true or false is
    interpreted as false"; the create's says only "Can be true or false"."""
    with simulator({"/voice": ROOM}) as (sim, _):
        sim.phone(CUSTOMER).hangs_up(after=30)
        customer = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.advance(1)
        room = sim.conferences["Support"]
        base_path = f"/Conferences/{room.sid}/Participants"
        muted = account_api(sim, "POST", f"{base_path}/{customer.sid}.json", Muted="true")
        unmuted = account_api(sim, "POST", f"{base_path}/{customer.sid}.json", Muted="maybe")
        refused = account_api(
            sim, "POST", f"{base_path}.json", From=CALLER_ID, To=AGENT, Muted="maybe"
        )
        sim.run()
    assert (muted.json()["muted"], unmuted.status_code, unmuted.json()["muted"]) == (
        True,
        200,
        False,
    )
    assert (refused.status_code, refused.json()) == (
        400,
        twilio_error_body(400, 20422, "Muted is not a valid boolean: maybe. Use true or false"),
    )
    # the refused create opened no call and joined no one
    assert [r.params["StatusCallbackEvent"] for r in room.requests] == [
        "participant-join",
        "participant-mute",
        "participant-unmute",
        "participant-leave",
        "conference-end",
    ]
    assert list(sim.calls) == [customer.sid]


def test_a_coach_added_while_the_coached_caller_waits_alone_is_told_the_room_has_not_started() -> (
    None
):
    """The create is accepted (the coached call is in the room), but the room is ``init``
    until a second participant comes: the coach's call is refused at its join with 13240,
    whose message names the room not having started rather than a missing participant."""
    with simulator({"/voice": ROOM}, allow_codes={13240}) as (sim, _):
        sim.phone(CUSTOMER).hangs_up(after=30)
        customer = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.advance(1)
        room = sim.conferences["Support"]
        assert room.status == "init"
        coach = (
            sim.client()
            .conferences(room.sid)
            .participants.create(
                from_=CALLER_ID, to=AGENT, coaching=True, call_sid_to_coach=customer.sid
            )
        )
        assert (coach.status, coach.call_sid_to_coach) == ("queued", customer.sid)
        sim.run()
    assert [(f.call_sid, f.code, f.level, f.message) for f in sim.failures] == [
        (
            coach.call_sid,
            13240,
            "error",
            f"Invalid Whisper SID: the call to coach, {customer.sid}, waits in the conference "
            "'Support', which has not started (status init: a conference starts once two "
            "participants are in it, one with startConferenceOnEnter); the coached call must "
            "be in the in-progress conference: add the coach once the room has started (its "
            "conference-start event)",
        )
    ]
    assert sim.calls[coach.call_sid].status == "completed"


def test_a_coach_whose_coached_caller_was_held_while_it_rang_is_refused_with_16027() -> None:
    """The create is accepted (the coached call is in the room and not held), then the
    coached call is put on hold while the coach's call rings: as it answers the coach is
    refused with 16027 (its page: "the coach to the participant cannot be added to the
    conference") and leaves with ``participant_add_failed``."""
    with simulator({"/voice": ROOM, "/conf": response("")}, allow_codes={16027}) as (sim, _):
        sim.phone(CUSTOMER).hangs_up(after=60)
        sim.phone(AGENT2).hangs_up(after=60)
        customer = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.advance(1)
        room = sim.conferences["Support"]
        client = sim.client()
        client.conferences(room.sid).participants.create(from_=CALLER_ID, to=AGENT2)
        sim.advance(10)
        assert room.status == "in-progress"
        coach = client.conferences(room.sid).participants.create(
            from_=CALLER_ID, to=AGENT, call_sid_to_coach=customer.sid
        )
        client.conferences(room.sid).participants(customer.sid).update(hold=True)
        sim.run()
    assert [(f.call_sid, f.code, f.level, f.message) for f in sim.failures] == [
        (
            coach.call_sid,
            16027,
            "error",
            f"Participant to be whispered is on hold: the call to coach, {customer.sid}, is on "
            "hold in the conference 'Support', and a coach cannot be added to a held "
            "participant; take it off hold (Hold=false) before adding its coach",
        )
    ]
    leaves = [
        r.params
        for r in room.requests
        if r.params["StatusCallbackEvent"] == "participant-leave"
        and r.params["CallSid"] == coach.call_sid
    ]
    assert [(p["ReasonParticipantLeft"], p["ParticipantCallStatus"]) for p in leaves] == [
        ("participant_add_failed", "in-progress")
    ]
    assert coach.call_sid not in [seat.sid for seat in room.participants]

"""Acceptance: a conference line. Five participants are called in through the Participants
resource and wait for the moderator (``startConferenceOnEnter``), who dials in; the app
mutes, holds and removes participants through REST, then ends the conference by REST."""

from __future__ import annotations

from tests.engine.helpers import response, simulator
from tests.support import APP_URL, CALLER_ID

MODERATOR = "+15557770009"
MEMBERS = tuple(f"+1555888000{n}" for n in range(1, 6))
EVENTS = ["start", "end", "join", "leave", "mute", "hold", "speaker"]


def test_five_participants_a_moderator_rest_control_and_a_rest_end() -> None:
    routes = {
        "/voice": response(
            '<Dial><Conference startConferenceOnEnter="true">standup</Conference></Dial>'
            "<Say>Standup over</Say>"
        ),
        "/hold": response('<Say>You are on hold</Say><Pause length="3"/>'),
    }
    with simulator(routes) as (sim, _):
        client = sim.client()
        sim.phone(MEMBERS[0]).says("good morning team")
        created = [
            client.conferences("standup").participants.create(
                from_=CALLER_ID,
                to=number,
                label=f"member{n}",
                start_conference_on_enter=False,
                conference_status_callback=f"{APP_URL}/conf",
                conference_status_callback_event=EVENTS,
            )
            for n, number in enumerate(MEMBERS, start=1)
        ]
        assert [(p.status, p.queue_time) for p in created] == [
            ("queued", str(n * 1000)) for n in range(5)
        ]
        room = sim.conferences["standup"]
        participants = client.conferences(room.sid).participants
        sim.advance(10)
        assert (room.status, len(participants.list())) == ("init", 5)
        moderator = sim.incoming_call(from_=MODERATOR, to=CALLER_ID)
        sim.advance(5)  # t=15
        assert (client.conferences(room.sid).fetch().status, len(participants.list())) == (
            "in-progress",
            6,
        )
        participants("member2").update(muted=True)
        participants("member3").update(hold=True, hold_url=f"{APP_URL}/hold")
        sim.advance(5)  # t=20
        participants("member4").delete()
        assert [p.label for p in participants.list(muted=True)] == ["member2"]
        assert [p.label for p in participants.list(hold=True)] == ["member3"]
        sim.advance(5)  # t=25
        participants("member3").update(hold=False)
        assert len(participants.list()) == 5
        sim.advance(5)  # t=30
        ended = client.conferences(room.sid).update(status="completed")
        assert (ended.status, ended.reason_conference_ended) == (
            "completed",
            "conference-ended-via-api",
        )
        sim.run()
    members = [sim.calls[p.call_sid] for p in created]
    at = {r.params["SequenceNumber"]: r for r in room.requests}
    assert sorted(int(n) for n in at) == list(range(len(room.requests)))
    timeline = [
        (
            int((r.at - sim.clock.start).total_seconds()),
            r.params["StatusCallbackEvent"],
            r.params.get("ParticipantLabel", "moderator" if "CallSid" in r.params else ""),
        )
        for r in room.requests
    ]
    assert timeline == [
        (0, "participant-join", "member1"),
        (1, "participant-join", "member2"),
        (2, "participant-join", "member3"),
        (3, "participant-join", "member4"),
        (4, "participant-join", "member5"),
        (10, "participant-join", "moderator"),
        (10, "conference-start", ""),
        (10, "participant-speech-start", "member1"),
        (11, "participant-speech-stop", "member1"),
        (15, "participant-mute", "member2"),
        (15, "participant-hold", "member3"),
        (20, "participant-leave", "member4"),
        (25, "participant-unhold", "member3"),
        (30, "participant-leave", "member1"),
        (30, "participant-leave", "member2"),
        (30, "participant-leave", "member3"),
        (30, "participant-leave", "member5"),
        (30, "participant-leave", "moderator"),
        (30, "conference-end", ""),
    ]
    kicked = room.requests[11].params
    assert (kicked["ReasonParticipantLeft"], kicked["ParticipantCallStatus"]) == (
        "participant_updated_via_api",
        "in-progress",
    )
    assert {r.params["ReasonParticipantLeft"] for r in room.requests[13:18]} == {
        "conference_ended_via_api"
    }
    end = room.requests[-1].params
    assert (end["ReasonConferenceEnded"], "CallSidEndingConference" in end) == (
        "conference-ended-via-api",
        False,
    )
    assert room.requests[9].params["Muted"] == "true"
    assert room.requests[12].params["Hold"] == "false"
    assert [(c.status, c.duration) for c in members] == [
        ("completed", 30),
        ("completed", 29),
        ("completed", 28),
        ("completed", 17),
        ("completed", 26),
    ]
    assert [r.kind for r in members[2].requests] == ["wait", "hold"]  # hold music, then /hold
    assert members[2].said == ["You are on hold"]
    assert moderator.said == ["Standup over"] and moderator.status == "completed"
    assert room.participants == [*members, moderator] and room.present == []
    assert room.spoke == [members[0].sid]

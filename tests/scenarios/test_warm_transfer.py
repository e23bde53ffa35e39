"""Acceptance: a warm transfer. A customer calls in and waits in a conference (a waitUrl
loop) while the app, from inside the customer's own voice webhook, dials an agent with
``calls.create``; the agent hears a whisper and joins, adds a second agent through the
Participants resource, leaves; the customer hangs up. The whole request log is asserted,
and the SIDs are the same on every run."""

from __future__ import annotations

from typing import Any

from fixtures.twiml_app import TwimlApp
from tests.engine.helpers import assert_signed, base, first_voice, response
from tests.support import APP_URL, CALLER_ID
from twimlsim import Simulator

CUSTOMER = "+15557770001"
AGENT1 = "+15558880001"
AGENT2 = "+15558880002"
ROOM = "customer-1"


def run_scenario() -> tuple[Simulator, dict[str, Any]]:
    seen: dict[str, Any] = {}
    sim = Simulator(seed=7)

    def voice(form: dict[str, str]) -> str:
        # the app dials the first agent while answering the customer's own webhook
        agent = sim.client().calls.create(
            to=AGENT1,
            from_=CALLER_ID,
            url=f"{APP_URL}/agent",
            status_callback=f"{APP_URL}/agent-status",
        )
        seen["agent1"] = agent.sid
        return response(
            '<Dial action="/customer-after"><Conference waitUrl="/hold-music" '
            'startConferenceOnEnter="false" endConferenceOnExit="true" '
            'participantLabel="customer" statusCallback="/conference" '
            f'statusCallbackEvent="start end join leave">{ROOM}</Conference></Dial>'
        )

    routes: dict[str, Any] = {
        "/voice": voice,
        "/hold-music": response(
            '<Play>https://cdn.test/hold.mp3</Play><Redirect method="POST">/hold-music</Redirect>'
        ),
        "/agent": response(
            "<Say>Customer on the line</Say><Dial><Conference "
            f'participantLabel="agent1">{ROOM}</Conference></Dial>'
        ),
    }
    with sim:
        sim.route(APP_URL, TwimlApp(routes))  # type: ignore[arg-type]
        sim.number(CALLER_ID, voice_url=f"{APP_URL}/voice", status_callback=f"{APP_URL}/status")
        sim.media("https://cdn.test/hold.mp3", seconds=4)
        sim.phone(AGENT1).answers(after=3).hangs_up(after=40)
        sim.phone(CUSTOMER).hangs_up(after=70)
        customer = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.advance(20)
        room = sim.conferences[ROOM]
        second = (
            sim.client()
            .conferences(room.sid)
            .participants.create(from_=CALLER_ID, to=AGENT2, label="agent2")
        )
        seen["agent2"] = second.call_sid
        sim.run()
    assert_signed(sim)
    seen["customer"] = customer.sid
    seen["room"] = room.sid
    return sim, seen


def stamp(seconds: int) -> str:
    return f"Thu, 01 Jan 2026 09:{seconds // 60:02d}:{seconds % 60:02d} +0000"


def test_warm_transfer_request_log() -> None:
    sim, sids = run_scenario()
    room = sim.conferences[ROOM]
    customer, agent1, agent2 = (sim.calls[sids[k]] for k in ("customer", "agent1", "agent2"))
    names = {customer.sid: "customer", agent1.sid: "agent1", agent2.sid: "agent2"}

    def when(request: Any) -> int:
        return int((request.at - sim.clock.start).total_seconds())

    def event(name: str, seq: int, seconds: int, **extra: str) -> dict[str, str]:
        params = {
            "AccountSid": sim.account_sid,
            "ConferenceSid": room.sid,
            "FriendlyName": ROOM,
            "SequenceNumber": str(seq),
            "StatusCallbackEvent": name,
            "Timestamp": stamp(seconds),
        }
        params.update(extra)
        return params

    def who(call: Any, label: str, **flags: str) -> dict[str, str]:
        params = {
            "CallSid": call.sid,
            "Coaching": "false",
            "EndConferenceOnExit": "false",
            "Hold": "false",
            "Muted": "false",
            "ParticipantLabel": label,
            "StartConferenceOnEnter": "true",
        }
        params.update(flags)
        return params

    customer_flags = {"EndConferenceOnExit": "true", "StartConferenceOnEnter": "false"}

    def caller(status: str) -> dict[str, str]:
        return base(sim, customer, status, from_=CUSTOMER, to=CALLER_ID)

    def agent(status: str) -> dict[str, str]:
        return base(sim, agent1, status, to=AGENT1)

    def completed(params: dict[str, str], seconds: int, duration: int) -> dict[str, str]:
        params.update(
            CallbackSource="call-progress-events",
            SequenceNumber="0",
            Timestamp=stamp(seconds),
            CallDuration=str(duration),
            Duration=str(-(-duration // 60)),
            SipResponseCode="200",
        )
        return params

    def inbound_completed(params: dict[str, str], seconds: int, duration: int) -> dict[str, str]:
        params = completed(params, seconds, duration)
        del params["SipResponseCode"]  # an inbound call's completed callback has none
        return params

    hung_up = {"ParticipantCallStatus": "completed", "ReasonParticipantLeft": "participant_hung_up"}
    ended = {
        "ParticipantCallStatus": "in-progress",
        "ReasonParticipantLeft": "moderator_ended_conference",
    }
    log = [
        (when(r), names.get(r.call_sid, "room"), r.kind, r.method, r.url, r.params)
        for r in sim.requests
    ]
    assert log == [
        (
            0,
            "customer",
            "voice",
            "POST",
            f"{APP_URL}/voice",
            first_voice(sim, customer, from_=CUSTOMER),
        ),
        (
            0,
            "customer",
            "conference",
            "POST",
            f"{APP_URL}/conference",
            event("participant-join", 0, 0, **who(customer, "customer", **customer_flags)),
        ),
        (0, "customer", "wait", "POST", f"{APP_URL}/hold-music", caller("in-progress")),
        (3, "agent1", "voice", "POST", f"{APP_URL}/agent", agent("in-progress")),
        (4, "customer", "wait", "POST", f"{APP_URL}/hold-music", caller("in-progress")),
        (
            5,
            "agent1",
            "conference",
            "POST",
            f"{APP_URL}/conference",
            event("participant-join", 1, 5, **who(agent1, "agent1")),
        ),
        (5, "room", "conference", "POST", f"{APP_URL}/conference", event("conference-start", 2, 5)),
        (
            20,
            "agent2",
            "conference",
            "POST",
            f"{APP_URL}/conference",
            event("participant-join", 3, 20, **who(agent2, "agent2")),
        ),
        (
            43,
            "agent1",
            "conference",
            "POST",
            f"{APP_URL}/conference",
            event("participant-leave", 4, 43, **who(agent1, "agent1"), **hung_up),
        ),
        (
            43,
            "agent1",
            "status",
            "POST",
            f"{APP_URL}/agent-status",
            completed(agent("completed"), 43, 40),
        ),
        (
            70,
            "customer",
            "conference",
            "POST",
            f"{APP_URL}/conference",
            event(
                "participant-leave", 5, 70, **who(customer, "customer", **customer_flags), **hung_up
            ),
        ),
        (
            70,
            "agent2",
            "conference",
            "POST",
            f"{APP_URL}/conference",
            event("participant-leave", 6, 70, **who(agent2, "agent2"), **ended),
        ),
        (
            70,
            "room",
            "conference",
            "POST",
            f"{APP_URL}/conference",
            event(
                "conference-end",
                7,
                70,
                CallSidEndingConference=customer.sid,
                ParticipantLabelEndingConference="customer",
                ReasonConferenceEnded="participant-with-end-conference-on-exit-left",
                Reason=f"Participant {customer.sid} with endConferenceOnExit left the conference",
            ),
        ),
        (
            70,
            "customer",
            "dial",
            "POST",
            f"{APP_URL}/customer-after",
            caller("completed") | {"DialCallStatus": "answered"},
        ),
        (
            70,
            "customer",
            "status",
            "POST",
            f"{APP_URL}/status",
            inbound_completed(caller("completed"), 70, 70),
        ),
    ]
    assert room.participants == [customer, agent1, agent2]
    assert [(c.status, c.duration) for c in (customer, agent1, agent2)] == [
        ("completed", 70),
        ("completed", 40),
        ("completed", 50),
    ]
    assert agent1.said == ["Customer on the line"]
    assert agent2.record.direction.value == "outbound-api"


def test_warm_transfer_sids_are_the_same_on_every_run() -> None:
    first = run_scenario()[1]
    second = run_scenario()[1]
    assert first == second
    assert first["room"].startswith("CF") and len(set(first.values())) == 4

"""Destinations with custom parameters. A conference participant created ``To`` a TwiML
App (``app:AP...?name=value``): the application's voice URL answers a second, inbound call
bridged to the participant's leg, with the custom parameters; whichever ends first hangs
the other up. A Voice SDK destination's (``client:alice?name=value``) are for the device:
``sim.phone("client:alice")`` scripts its user; a SIP URI's headers likewise."""

from __future__ import annotations

from tests.engine.helpers import base, response, simulator
from tests.support import APP_URL, CALLER_ID, account_api, twilio_error_body
from twimlsim import Simulator
from twimlsim.engine.events import JoinedConference, LeftConference
from twimlsim.engine.session import SimCall

CUSTOMER = "+15557770001"
ROOM = response('<Dial><Conference waitUrl="">Support</Conference></Dial>')


def agent_app(sim: Simulator, url: str = f"{APP_URL}/agent") -> str:
    return sim.application(voice_url=url, friendly_name="virtual agent").sid


def reached_by(sim: Simulator, application_sid: str) -> SimCall:
    [call] = [c for c in sim.calls.values() if c.record.to == application_sid]
    return call


def test_the_applications_voice_url_answers_with_the_custom_parameters() -> None:
    routes = {"/voice": ROOM, "/agent": response('<Say>Hi</Say><Pause length="6"/>')}
    with simulator(routes) as (sim, _):
        app_sid = agent_app(sim)
        sim.phone(CUSTOMER).hangs_up(after=60)
        customer = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        to = f"app:{app_sid}?conferenceName=Support&empty="
        created = account_api(
            sim,
            "POST",
            "/Conferences/Support/Participants.json",
            From=CALLER_ID,
            To=to,
            Label="virtual agent",
        )
        assert (created.status_code, created.json()["status"]) == (201, "queued")
        leg = sim.calls[created.json()["call_sid"]]
        sim.run()
    agent = reached_by(sim, app_sid)
    [voice] = agent.requests
    assert (voice.url, voice.params) == (
        f"{APP_URL}/agent",
        {
            **base(sim, agent, "ringing", from_=CALLER_ID, to=app_sid),
            "ApplicationSid": app_sid,
            "conferenceName": "Support",
            "empty": "",
        },
    )
    assert (leg.record.to, leg.record.direction.value) == (to, "outbound-api")
    # the app answers at once; its TwiML ends after "Hi" (1 s) and 6 s: the participant's
    # leg hangs up then and leaves the room, where the customer stays
    at = sim.clock.at
    assert [(type(e).__name__, e.at) for e in leg.transcript] == [
        ("Answered", at(0)),
        ("JoinedConference", at(0)),
        ("HungUp", at(7_000_000)),
        ("LeftConference", at(7_000_000)),
    ]
    assert (leg.status, leg.duration, agent.status, agent.duration) == (
        "completed",
        7,
        "completed",
        7,
    )
    assert [type(e) for e in customer.transcript[1:2]] == [JoinedConference]
    assert (customer.end_time, customer.transcript[-2].at) == (at(60_000_000), at(60_000_000))
    assert isinstance(customer.transcript[-2], LeftConference)


def test_ending_the_participants_call_hangs_the_applications_call_up() -> None:
    routes = {"/voice": ROOM, "/agent": response('<Say>Hi</Say><Pause length="600"/>')}
    with simulator(routes) as (sim, _):
        app_sid = agent_app(sim)
        sim.phone(CUSTOMER).hangs_up(after=60)
        sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        participant = (
            sim.client()
            .conferences("Support")
            .participants.create(from_=CALLER_ID, to=f"app:{app_sid}", label="bot")
        )
        sim.advance(20)
        sim.client().calls(participant.call_sid).update(status="completed")
        sim.run()
    agent = reached_by(sim, app_sid)
    leg = sim.calls[participant.call_sid]
    at = sim.clock.at
    assert (leg.status, leg.end_time, agent.status, agent.end_time) == (
        "completed",
        at(20_000_000),
        "completed",
        at(20_000_000),
    )
    assert agent.transcript[-1].by == "caller"  # type: ignore[attr-defined]


def test_an_app_destination_that_is_not_an_application_of_the_account_is_refused() -> None:
    with simulator({"/voice": ROOM}) as (sim, _):
        missing = "AP" + "0" * 32
        refused = account_api(
            sim,
            "POST",
            "/Conferences/Support/Participants.json",
            From=CALLER_ID,
            To=f"app:{missing}?x=1",
        )
        silent = sim.application(friendly_name="no voice url").sid
        no_url = account_api(
            sim,
            "POST",
            "/Conferences/Support/Participants.json",
            From=CALLER_ID,
            To=f"app:{silent}",
        )
        assert (refused.status_code, refused.json()) == (
            400,
            twilio_error_body(
                400,
                21211,
                f"The 'To' app:{missing}?x=1 names no TwiML App of account {sim.account_sid}: "
                "expected app:<the SID of an application of the account>; create it with "
                "sim.application(...) or POST /Applications.json",
            ),
        )
        assert (no_url.status_code, no_url.json()) == (
            400,
            twilio_error_body(
                400,
                21211,
                f"The 'To' app:{silent} names TwiML App {silent}, which has no VoiceUrl, so "
                "Twilio has nothing to request for the participant; give it one "
                f"(sim.application(voice_url=...) or POST /Applications/{silent}.json)",
            ),
        )
        assert list(sim.calls) == [] and list(sim.conferences) == []


def test_a_rest_call_to_an_app_destination_is_still_not_a_phone_number() -> None:
    with simulator({"/voice": ROOM}) as (sim, _):
        app_sid = agent_app(sim)
        refused = account_api(
            sim, "POST", "/Calls.json", From=CALLER_ID, To=f"app:{app_sid}", Url=f"{APP_URL}/v"
        )
        assert (refused.status_code, refused.json()) == (
            400,
            twilio_error_body(
                400, 21211, f"The 'To' number app:{app_sid} is not a valid phone number."
            ),
        )


def test_a_participants_conference_callback_is_ignored_when_the_caller_joined_first() -> None:
    routes = {"/voice": ROOM, "/agent": response('<Say>Hi</Say><Pause length="30"/>')}
    with simulator(routes) as (sim, _):
        app_sid = agent_app(sim)
        sim.phone(CUSTOMER).hangs_up(after=20)
        customer = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        # created first, but its call rings before it joins: the caller is in the room then
        participant = (
            sim.client()
            .conferences("Support")
            .participants.create(
                from_=CALLER_ID,
                to=f"app:{app_sid}",
                conference_status_callback=f"{APP_URL}/conference-events",
                conference_status_callback_event=["join"],
            )
        )
        sim.run()
    room = sim.conferences["Support"]
    assert [(e.event, e.call_sid) for e in room.timeline[:3]] == [
        ("participant-join", customer.sid),
        ("participant-join", participant.call_sid),
        ("conference-start", None),
    ]
    assert room.requests == []


def test_a_client_destinations_parameters_leave_its_user_scripted_by_identity() -> None:
    routes = {"/voice": ROOM, "/agent": response("<Say>Connected</Say>")}
    with simulator(routes) as (sim, _):
        sim.phone(CUSTOMER).hangs_up(after=30)
        sim.phone("client:agent1").answers(after=3).hangs_up(after=7)
        sim.phone("client:agent2").busy()
        sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        participants = sim.client().conferences("Support").participants
        joined = participants.create(from_=CALLER_ID, to="client:agent1?ticket=42&lang=en")
        rest = sim.client().calls.create(
            from_=CALLER_ID, to="client:agent2?ticket=43", url=f"{APP_URL}/agent"
        )
        sim.run()
    agent1, agent2 = sim.calls[joined.call_sid], sim.calls[rest.sid]
    at = sim.clock.at
    assert (agent1.to, agent1.status, agent1.answered_at, agent1.end_time) == (
        "client:agent1?ticket=42&lang=en",
        "completed",
        at(3_000_000),
        at(10_000_000),
    )
    assert (agent2.to, agent2.status, agent2.duration) == ("client:agent2?ticket=43", "busy", 0)
    assert agent1.phone is sim.phone("client:agent1")


def test_a_rest_call_to_a_sip_uri_with_headers_is_answered_by_the_uris_script() -> None:
    with simulator({"/voice": response('<Say>Hi</Say><Pause length="20"/>')}) as (sim, _):
        sim.phone("sip:alice@pbx.test").answers(after=3).hangs_up(after=7)
        created = sim.client().calls.create(
            from_=CALLER_ID, to="sip:alice@pbx.test?X-Ticket=42", url=f"{APP_URL}/voice"
        )
        sim.run()
    call = sim.calls[created.sid]
    assert (call.to, call.status, call.answered_at, call.duration) == (
        "sip:alice@pbx.test?X-Ticket=42",
        "completed",
        sim.clock.at(3_000_000),
        7,
    )


def test_a_participant_to_an_address_naming_nobody_is_21211() -> None:
    with simulator({"/voice": ROOM}) as (sim, _):
        sim.incoming_call(from_=CUSTOMER, to=CALLER_ID).run()
        refused = [
            account_api(
                sim, "POST", "/Conferences/Support/Participants.json", From=CALLER_ID, To=to
            )
            for to in ("client:", "sip:alice@")
        ]
        assert [(answer.status_code, answer.json()) for answer in refused] == [
            (400, twilio_error_body(400, 21211, "Called is not valid: client:")),
            (400, twilio_error_body(400, 21211, "Called is not valid: sip:alice@")),
        ]
        assert len(sim.calls) == 1

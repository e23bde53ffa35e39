"""``<Dial><Conference>``: rooms, the wait loop, start and end rules, status callbacks with
their exact parameters and order, the Dial action after leaving, refused joins."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.engine.helpers import base, log, response, simulator
from tests.support import APP_URL, CALLER_ID
from twimlsim import Simulator
from twimlsim.engine.events import Dialed, JoinedConference, LeftConference
from twimlsim.engine.session import SimCall
from twimlsim.errors import CallFailure

CUSTOMER = "+15557770001"
CUSTOMER2 = "+15557770002"
CUSTOMER3 = "+15557770003"
ALL_EVENTS = "start end join leave mute hold modify speaker announcement"


def room_twiml(attributes: str = "", name: str = "Support", dial: str = 'action="/after"') -> str:
    return response(
        f'<Dial {dial}><Conference statusCallback="/conf" statusCallbackEvent="{ALL_EVENTS}" '
        f"{attributes}>{name}</Conference></Dial><Say>After the room</Say>"
    )


def at(sim: Simulator, seconds: float) -> datetime:
    return sim.clock.at(round(seconds * 1_000_000))


def stamp(seconds: int) -> str:
    return f"Thu, 01 Jan 2026 09:{seconds // 60:02d}:{seconds % 60:02d} +0000"


def event(
    sim: Simulator,
    room_sid: str,
    name: str,
    seq: int,
    seconds: int,
    call: SimCall | None = None,
    **extra: str,
) -> dict[str, str]:
    params = {
        "AccountSid": sim.account_sid,
        "ConferenceSid": room_sid,
        "FriendlyName": "Support",
        "SequenceNumber": str(seq),
        "StatusCallbackEvent": name,
        "Timestamp": stamp(seconds),
    }
    if call is not None:
        params.update(
            CallSid=call.sid,
            Coaching="false",
            EndConferenceOnExit="false",
            Hold="false",
            Muted="false",
            StartConferenceOnEnter="true",
        )
    params.update(extra)
    return params


def caller(sim: Simulator, call: SimCall, status: str, number: str) -> dict[str, str]:
    return base(sim, call, status, from_=number, to=CALLER_ID)


def test_two_callers_wait_start_leave_and_end_with_exact_callbacks() -> None:
    routes = {
        "/voice": room_twiml('waitUrl="/music"'),
        "/music": response('<Say>Please wait</Say><Pause length="8"/>'),
    }
    with simulator(routes) as (sim, _):
        sim.phone(CUSTOMER).hangs_up(after=30)
        sim.phone(CUSTOMER2).hangs_up(after=40)
        first = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.advance(5)
        room = sim.conferences["Support"]
        assert (room.status, room.present) == ("init", [first])
        second = sim.incoming_call(from_=CUSTOMER2, to=CALLER_ID)
        sim.advance(1)
        assert (room.status, room.present) == ("in-progress", [first, second])
        sim.run()
    assert sim.conferences[room.sid] is room
    assert room.sid.startswith("CF") and len(room.sid) == 34
    assert (room.status, room.participants, room.present) == ("completed", [first, second], [])
    assert [r.kind for r in room.requests] == ["conference"] * 6
    assert {r.url for r in room.requests} == {f"{APP_URL}/conf"}
    assert [(r.at, r.params) for r in room.requests] == [
        (at(sim, 0), event(sim, room.sid, "participant-join", 0, 0, first)),
        (at(sim, 5), event(sim, room.sid, "participant-join", 1, 5, second)),
        (at(sim, 5), event(sim, room.sid, "conference-start", 2, 5)),
        (
            at(sim, 30),
            event(
                sim,
                room.sid,
                "participant-leave",
                3,
                30,
                first,
                ParticipantCallStatus="completed",
                ReasonParticipantLeft="participant_hung_up",
            ),
        ),
        (
            at(sim, 45),
            event(
                sim,
                room.sid,
                "participant-leave",
                4,
                45,
                second,
                ParticipantCallStatus="completed",
                ReasonParticipantLeft="participant_hung_up",
            ),
        ),
        (
            at(sim, 45),
            event(
                sim,
                room.sid,
                "conference-end",
                5,
                45,
                CallSidEndingConference=second.sid,
                ReasonConferenceEnded="last-participant-left",
                Reason="Last participant left the conference",
            ),
        ),
    ]
    assert log(first) == [
        ("voice", "POST", f"{APP_URL}/voice"),
        ("wait", "POST", f"{APP_URL}/music"),
        ("dial", "POST", f"{APP_URL}/after"),
        ("status", "POST", f"{APP_URL}/status"),
    ]
    assert first.requests[1].params == caller(sim, first, "in-progress", CUSTOMER)
    action = first.requests[2]
    expected = caller(sim, first, "completed", CUSTOMER)
    expected["DialCallStatus"] = "answered"
    assert (action.at, action.params) == (at(sim, 30), expected)
    assert first.said == ["Please wait"]
    assert [e for e in first.transcript if isinstance(e, JoinedConference | LeftConference)] == [
        JoinedConference(at(sim, 0), "Support", room.sid),
        LeftConference(at(sim, 30), "Support", room.sid, "hangup"),
    ]
    assert [e for e in first.transcript if isinstance(e, Dialed)] == [
        Dialed(at(sim, 30), ("Support",), "answered", None, True, 30)
    ]
    assert [r.kind for r in second.requests] == ["voice", "dial", "status"]


def leave(
    sim: Simulator, room_sid: str, seq: int, seconds: int, call: SimCall, status: str, why: str
) -> dict[str, str]:
    return event(
        sim,
        room_sid,
        "participant-leave",
        seq,
        seconds,
        call,
        ParticipantCallStatus=status,
        ReasonParticipantLeft=why,
    )


def test_end_conference_on_exit_takes_everyone_out_and_their_dials_go_on() -> None:
    routes = {
        "/voice": room_twiml(),
        "/agent": room_twiml('endConferenceOnExit="true"', dial=""),
        "/after": response("<Say>Goodbye</Say>"),
    }
    with simulator(routes) as (sim, _):
        sim.phone(CUSTOMER2).hangs_up(after=20)
        customer = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        agent = sim.calls[
            sim.client().calls.create(to=CUSTOMER2, from_=CALLER_ID, url=f"{APP_URL}/agent").sid
        ]
        sim.run()
    room = sim.conferences["Support"]
    agent_flags = {"EndConferenceOnExit": "true"}
    assert [r.params for r in room.requests] == [
        event(sim, room.sid, "participant-join", 0, 0, customer),
        event(sim, room.sid, "participant-join", 1, 0, agent, **agent_flags),
        event(sim, room.sid, "conference-start", 2, 0),
        leave(sim, room.sid, 3, 20, agent, "completed", "participant_hung_up") | agent_flags,
        leave(sim, room.sid, 4, 20, customer, "in-progress", "moderator_ended_conference"),
        event(
            sim,
            room.sid,
            "conference-end",
            5,
            20,
            CallSidEndingConference=agent.sid,
            ReasonConferenceEnded="participant-with-end-conference-on-exit-left",
            Reason=f"Participant {agent.sid} with endConferenceOnExit left the conference",
        ),
    ]
    music, action = customer.requests[1:3]  # alone at first: Twilio's hold music
    assert (music.kind, music.at, music.method) == ("wait", at(sim, 0), "GET")
    expected = caller(sim, customer, "in-progress", CUSTOMER)
    expected["DialCallStatus"] = "answered"
    assert (action.kind, action.at, action.params) == ("dial", at(sim, 20), expected)
    assert customer.said == ["Goodbye"]
    assert (customer.duration, agent.duration) == (21, 20)
    assert room.record.reason_conference_ended == "participant-with-end-conference-on-exit-left"
    assert room.record.call_sid_ending_conference == agent.sid


def test_participants_without_start_conference_on_enter_wait_for_the_moderator() -> None:
    routes = {
        "/voice": room_twiml('startConferenceOnEnter="false" waitUrl=""', dial=""),
        "/moderator": room_twiml('endConferenceOnExit="true"'),
    }
    with simulator(routes) as (sim, _):
        sim.phone(CUSTOMER3).hangs_up(after=10)
        first = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        second = sim.incoming_call(from_=CUSTOMER2, to=CALLER_ID)
        sim.advance(10)
        room = sim.conferences["Support"]
        assert (room.status, len(room.present), room.requests[-1].at) == ("init", 2, at(sim, 0))
        sim.client().calls.create(to=CUSTOMER3, from_=CALLER_ID, url=f"{APP_URL}/moderator")
        sim.run()
    assert [r.params["StatusCallbackEvent"] for r in room.requests] == [
        "participant-join",
        "participant-join",
        "participant-join",
        "conference-start",
        "participant-leave",
        "participant-leave",
        "participant-leave",
        "conference-end",
    ]
    assert room.requests[3].at == at(sim, 10)
    assert room.requests[0].params["StartConferenceOnEnter"] == "false"
    assert [r.kind for r in first.requests] == ["voice", "status"]
    assert first.said == second.said == ["After the room"]


def test_hangup_on_star_leaves_the_room_and_the_call_goes_on() -> None:
    routes = {
        "/voice": room_twiml('waitUrl=""', dial='action="/after" hangupOnStar="true"'),
        "/after": response("<Say>You left</Say>"),
    }
    with simulator(routes) as (sim, _):
        sim.phone(CUSTOMER).presses("*")
        sim.phone(CUSTOMER2).hangs_up(after=30)
        first = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        second = sim.incoming_call(from_=CUSTOMER2, to=CALLER_ID)
        sim.run()
    room = sim.conferences["Support"]
    assert room.requests[3].params == leave(
        sim, room.sid, 3, 0, first, "in-progress", "participant_hung_up"
    )
    assert first.said == ["You left"]
    assert [e.how for e in first.transcript if isinstance(e, LeftConference)] == ["star"]
    assert room.present == [] and second.status == "completed"


def test_hangup_on_star_while_waiting_cuts_the_wait_music_and_leaves() -> None:
    routes = {
        "/voice": room_twiml('waitUrl="/music"', dial='action="/after" hangupOnStar="true"'),
        "/music": response('<Say>Please hold</Say><Pause length="30"/>'),
        "/after": response("<Say>You left</Say>"),
    }
    with simulator(routes) as (sim, _):
        waiting = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID).run()
        assert waiting.waiting_for is not None and waiting.waiting_for.verb == "Conference"
        sim.advance(10)  # into the Pause of the wait music
        waiting.press("*")
        sim.run()
    room = sim.conferences["Support"]
    assert [(r.at, r.params) for r in room.requests] == [
        (at(sim, 0), event(sim, room.sid, "participant-join", 0, 0, waiting)),
        (
            at(sim, 10),
            leave(sim, room.sid, 1, 10, waiting, "in-progress", "participant_hung_up"),
        ),
        (
            at(sim, 10),
            event(
                sim,
                room.sid,
                "conference-end",
                2,
                10,
                ReasonConferenceEnded="last-participant-left",
                Reason="Last participant left the conference",
                CallSidEndingConference=waiting.sid,
            ),
        ),
    ]
    action = waiting.requests[2]
    assert (action.kind, action.at, action.params["DialCallStatus"]) == (
        "dial",
        at(sim, 10),
        "answered",
    )
    assert waiting.said == ["Please hold", "You left"]
    assert [e.how for e in waiting.transcript if isinstance(e, LeftConference)] == ["star"]


def test_a_scripted_star_is_pressed_while_waiting_but_speech_waits_for_the_room() -> None:
    routes = {
        "/voice": room_twiml('waitUrl=""', dial='action="/after" hangupOnStar="true"'),
        "/after": response("<Hangup/>"),
    }
    with simulator(routes) as (sim, _):
        sim.phone(CUSTOMER).presses("*")
        sim.phone(CUSTOMER2).says("hello everyone").hangs_up(after=20)
        star = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.advance(5)
        talker = sim.incoming_call(from_=CUSTOMER2, to=CALLER_ID)
        sim.advance(5)
        sim.phone(CUSTOMER3).hangs_up(after=10)
        sim.incoming_call(from_=CUSTOMER3, to=CALLER_ID)
        sim.run()
    rooms = [sim.conferences[sid] for sid in sim.conferences]
    assert [e.how for e in star.transcript if isinstance(e, LeftConference)] == ["star"]
    assert rooms[0].participants == [star] and rooms[0].timeline[-1].at == at(sim, 0)
    second = rooms[1]
    assert [(r.params["StatusCallbackEvent"], r.at) for r in second.requests][:5] == [
        ("participant-join", at(sim, 5)),
        ("participant-join", at(sim, 10)),
        ("conference-start", at(sim, 10)),
        ("participant-speech-start", at(sim, 10)),
        ("participant-speech-stop", at(sim, 10.8)),
    ]
    assert second.spoke == [talker.sid]


def test_speech_in_the_room_sends_speaker_events_unless_muted() -> None:
    routes = {
        "/voice": room_twiml('waitUrl=""'),
        "/muted": room_twiml('waitUrl="" muted="true"'),
    }
    with simulator(routes) as (sim, _):
        sim.phone(CUSTOMER).says("hello there everyone good morning").hangs_up(after=20)
        sim.phone(CUSTOMER2).says("I am muted").hangs_up(after=20)
        talker = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.number("+15005550007", voice_url=f"{APP_URL}/muted")
        muted = sim.incoming_call(from_=CUSTOMER2, to="+15005550007")
        sim.run()
    room = sim.conferences["Support"]
    speech = [r for r in room.requests if "speech" in r.params["StatusCallbackEvent"]]
    assert [(r.at, r.params) for r in speech] == [
        (at(sim, 0), event(sim, room.sid, "participant-speech-start", 3, 0, talker)),
        (at(sim, 2), event(sim, room.sid, "participant-speech-stop", 4, 2, talker)),
    ]
    assert room.spoke == [talker.sid]
    assert room.requests[1].params["Muted"] == "true" and muted.status == "completed"


def test_a_name_used_again_after_the_end_opens_a_new_room() -> None:
    with simulator({"/voice": room_twiml('waitUrl=""')}) as (sim, _):
        sim.phone(CUSTOMER).hangs_up(after=5)
        first = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.run()
        old = sim.conferences["Support"]
        sim.phone(CUSTOMER2).hangs_up(after=5)
        sim.incoming_call(from_=CUSTOMER2, to=CALLER_ID)
        sim.run()
    new = sim.conferences["Support"]
    assert new.sid != old.sid and (old.status, new.status) == ("completed", "completed")
    assert old.participants == [first] and list(sim.conferences) == [old.sid, new.sid]
    assert old.requests[-1].params["ReasonConferenceEnded"] == "last-participant-left"


def test_the_first_participant_fixes_the_status_callback() -> None:
    quiet = response('<Dial><Conference waitUrl="">Support</Conference></Dial>')
    with simulator({"/voice": quiet, "/loud": room_twiml('waitUrl=""')}) as (sim, _):
        sim.phone(CUSTOMER).hangs_up(after=5)
        sim.phone(CUSTOMER2).hangs_up(after=5)
        sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.number("+15005550007", voice_url=f"{APP_URL}/loud")
        sim.incoming_call(from_=CUSTOMER2, to="+15005550007")
        sim.run()
    room = sim.conferences["Support"]
    assert (room.requests, len(room.participants)) == ([], 2)
    assert [item.event for item in room.timeline] == [
        "participant-join",
        "participant-join",
        "conference-start",
        "participant-leave",
        "participant-leave",
        "conference-end",
    ]


@pytest.mark.parametrize(
    ("first", "third", "code", "message", "said", "action"),
    [
        (
            'maxParticipants="2"',
            "",
            16020,
            "Conference is full (2 participants)",
            [],
            True,
        ),
        (
            'participantLabel="customer"',
            'participantLabel="customer"',
            16025,
            "participantLabel 'customer' is already used in the conference",
            ["After the room"],
            False,
        ),
        (
            "",
            'participantLabel="a/b"',
            16023,
            "participantLabel 'a/b' is not valid: at most 128 characters, not shaped like a "
            "call SID, without '/'",
            ["After the room"],
            False,
        ),
        (
            "",
            'coach="CA' + "0" * 32 + '"',
            13240,
            f"Invalid Whisper SID: coach CA{'0' * 32} is not a participant of the in-progress "
            "conference 'Support'",
            [],
            True,
        ),
    ],
)
def test_refused_joins(
    first: str, third: str, code: int, message: str, said: list[str], action: bool
) -> None:
    routes = {
        "/voice": room_twiml(f'waitUrl="" {first}'),
        "/second": room_twiml('waitUrl=""'),
        "/third": room_twiml(f'waitUrl="" {third}'),
    }
    with simulator(routes, strict=False) as (sim, _):
        sim.phone(CUSTOMER).hangs_up(after=10)
        sim.phone(CUSTOMER2).hangs_up(after=10)
        sim.number("+15005550007", voice_url=f"{APP_URL}/second")
        sim.number("+15005550008", voice_url=f"{APP_URL}/third")
        sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.incoming_call(from_=CUSTOMER2, to="+15005550007")
        sim.advance(1)
        refused = sim.incoming_call(from_=CUSTOMER3, to="+15005550008")
        sim.run()
    url = f"{APP_URL}/third"
    assert sim.failures == [CallFailure(refused.sid, code, message, url, "Conference", 1)]
    assert refused.said == said
    assert [r.kind for r in refused.requests] == ["voice", *(["dial"] if action else [])]
    if action:
        expected = base(sim, refused, "in-progress", from_=CUSTOMER3, to="+15005550008")
        expected["DialCallStatus"] = "failed"
        assert refused.requests[1].params == expected
    room = sim.conferences["Support"]
    assert refused not in room.participants
    assert [e.how for e in refused.transcript if isinstance(e, LeftConference)] == ["refused"]


def test_wait_documents_run_once_allow_only_four_verbs_and_a_failed_one_ends_the_dial() -> None:
    routes = {
        "/voice": room_twiml('waitUrl="/music"'),
        "/music": response("<Say>One</Say><Gather/><Redirect>/music2</Redirect>"),
        "/music2": response("<Play>https://cdn.test/song.mp3</Play>"),
        "/broken": room_twiml('waitUrl="/missing"'),
    }

    def missing(form: dict[str, str]) -> tuple[int, list[tuple[str, str]], str]:
        return 404, [("Content-Type", "text/plain")], "no"

    routes["/missing"] = missing  # type: ignore[assignment]
    with simulator(routes, strict=False) as (sim, _):
        sim.phone(CUSTOMER).hangs_up(after=60)
        first = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.run()
        sim.number("+15005550007", voice_url=f"{APP_URL}/broken")
        broken = sim.incoming_call(from_=CUSTOMER2, to="+15005550007")
        sim.run()
    assert [(r.kind, r.url) for r in first.requests[:3]] == [
        ("voice", f"{APP_URL}/voice"),
        ("wait", f"{APP_URL}/music"),
        ("wait", f"{APP_URL}/music2"),
    ]
    assert first.said == ["One"] and first.duration == 60
    assert sim.failures[0] == CallFailure(
        first.sid,
        13238,
        "<Gather> cannot run in a conference's wait document: the TwiML of a waitUrl, holdUrl "
        "or announceUrl can only contain Say, Play, Pause and Redirect verbs; twimlsim skipped "
        "it",
        f"{APP_URL}/music",
        "Gather",
        1,
    )
    assert [r.kind for r in broken.requests] == ["voice", "wait", "dial"]
    assert broken.requests[2].params["DialCallStatus"] == "failed"
    assert [e.how for e in broken.transcript if isinstance(e, LeftConference)] == ["failed"]


def test_the_dial_time_limit_takes_the_participant_out() -> None:
    routes = {"/voice": room_twiml('waitUrl=""', dial='action="/after" timeLimit="15"')}
    with simulator(routes) as (sim, _):
        first = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.run()
    room = sim.conferences["Support"]
    assert room.requests[-2].params == leave(
        sim, room.sid, 1, 15, first, "in-progress", "participant_hung_up"
    )
    assert first.requests[1].at == at(sim, 15)
    assert [e.how for e in first.transcript if isinstance(e, LeftConference)] == ["time-limit"]


def test_a_rest_redirect_leaves_the_room_and_requests_the_action() -> None:
    """Twilio's TwiML changelog (Dial, 2021.05.13): "Twilio will make a request to the
    provided action callback when the parent call is transferred to a new TwiML via call
    modification"; its TwiML is not run."""
    routes = {
        "/voice": room_twiml('waitUrl=""'),
        "/elsewhere": response("<Say>Moved</Say>"),
        "/after": response("<Say>Not run</Say>"),
    }
    with simulator(routes) as (sim, _):
        first = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.advance(7)
        sim.client().calls(first.sid).update(url=f"{APP_URL}/elsewhere")
        sim.run()
    room = sim.conferences["Support"]
    assert room.requests[1].params == leave(
        sim, room.sid, 1, 7, first, "in-progress", "participant_updated_via_api"
    )
    assert [(r.kind, r.url) for r in first.requests] == [
        ("voice", f"{APP_URL}/voice"),
        ("dial", f"{APP_URL}/after"),
        ("update", f"{APP_URL}/elsewhere"),
        ("status", f"{APP_URL}/status"),
    ]
    action = first.requests[1].params
    assert (action["DialCallStatus"], action["CallStatus"]) == ("answered", "in-progress")
    assert first.said == ["Moved"]


def test_a_conference_callback_answering_non_2xx_is_error_16011() -> None:
    def broken(form: dict[str, str]) -> tuple[int, list[tuple[str, str]], str]:
        return 500, [("Content-Type", "text/plain")], "oops"

    routes = {"/voice": room_twiml('waitUrl=""'), "/conf": broken}
    with simulator(routes, strict=False) as (sim, _):  # type: ignore[arg-type]
        sim.phone(CUSTOMER).hangs_up(after=5)
        first = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.run()
    room = sim.conferences["Support"]
    message = (
        f"the status callback (participant-join) of the conference 'Support' {room.sid} "
        "answered HTTP 500; its body: 'oops'; hint: the app logged no exception; its own log "
        "may say more; Twilio logs it and the room goes on; the callback needs no body: "
        "answer 204, or 200 with an empty body"
    )
    assert sim.failures[0] == CallFailure(
        first.sid, 16011, message, f"{APP_URL}/conf", level="error"
    )
    assert len(sim.failures) == 3  # join, leave, end
    # the room's own end is about no call: its problem names the room
    ended = message.replace("(participant-join)", "(conference-end)")
    assert str(sim.failures[2]) == (
        f"conference {room.sid}: Twilio error 16011 (Conference Event: Error Response to "
        f"Callback URL) at {APP_URL}/conf: {ended} [https://www.twilio.com/docs/errors/16011]"
    )


def test_a_conference_callback_fastapi_refused_quotes_its_answer_and_the_hint() -> None:
    """A FastAPI endpoint whose Form(...) names a parameter Twilio does not send answers
    422: the warning says so, as a call's status callback's does."""
    detail = '{"detail":[{"type":"missing","loc":["body","Reason"],"msg":"Field required"}]}'

    def refused(form: dict[str, str]) -> tuple[int, list[tuple[str, str]], str]:
        return 422, [("Content-Type", "application/json")], detail

    routes = {"/voice": room_twiml('waitUrl=""'), "/conf": refused}
    with simulator(routes, strict=False) as (sim, _):  # type: ignore[arg-type]
        sim.phone(CUSTOMER).hangs_up(after=5)
        sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.run()
    room = sim.conferences["Support"]
    assert sim.failures[0].message == (
        f"the status callback (participant-join) of the conference 'Support' {room.sid} "
        f"answered HTTP 422; its body: {detail!r}; hint: FastAPI could not bind the "
        "endpoint's parameters (422): a Form(...) parameter has no Twilio parameter of that "
        "name, or python-multipart is not installed; the detail above names the field; this "
        "request has no Reason; Twilio logs it and the room goes on; the callback needs no "
        "body: answer 204, or 200 with an empty body"
    )


def test_a_conference_sid_as_the_room_name_joins_that_room() -> None:
    """Twilio's 13236 ("Invalid Conference Sid": "a Conference Sid that does not exist or
    has already been completed") names dialling a room by its SID: the second caller
    joined a new room named after the SID."""
    rooms: list[str] = []

    def by_sid(form: dict[str, str]) -> str:
        return response(f'<Dial action="/after"><Conference>{rooms[0]}</Conference></Dial>')

    routes = {"/voice": room_twiml(), "/by-sid": by_sid, "/after": response("")}
    with simulator(routes) as (sim, _):  # type: ignore[arg-type]
        sim.phone(CUSTOMER).hangs_up(after=20)
        sim.phone(CUSTOMER2).hangs_up(after=10)
        first = place_to(sim, CUSTOMER, "/voice")
        sim.advance(1)
        rooms.append(sim.conferences["Support"].sid)
        second = place_to(sim, CUSTOMER2, "/by-sid")
        sim.run()
    assert [room.friendly_name for room in sim.conferences.values()] == ["Support"]
    room = sim.conferences["Support"]
    assert [p.sid for p in room.participants] == [first.sid, second.sid]
    assert [e for e in second.transcript if isinstance(e, JoinedConference)] == [
        JoinedConference(at(sim, 1), "Support", room.sid)
    ]


def test_a_conference_sid_of_no_active_room_is_13236() -> None:
    sid = "CF" + "0" * 32
    body = f'<Dial action="/after"><Conference>{sid}</Conference></Dial><Say>Next</Say>'
    with simulator({"/voice": response(body)}, strict=False) as (sim, _):
        call = place_to(sim, CUSTOMER, "/voice")
        sim.run()
    assert (len(sim.conferences), call.said, [r.kind for r in call.requests]) == (
        0,
        ["Next"],
        ["voice"],
    )
    assert sim.failures == [
        CallFailure(
            call.sid,
            13236,
            f"{sid} is no conference of this account still active (it does not exist or has "
            "already been completed), so the caller joins no room and the call goes on with "
            "the next verb; dial a room by its friendly name, or the SID of one in progress "
            "or waiting",
            f"{APP_URL}/voice",
            "Conference",
            1,
            level="warning",
        )
    ]


def place_to(sim: Simulator, to: str, path: str) -> SimCall:
    """An outbound call to ``to`` running the document at ``path``."""
    sid = sim.client().calls.create(to=to, from_=CALLER_ID, url=f"{APP_URL}{path}").sid
    return sim.calls[sid]


@pytest.mark.parametrize("method", ["POST", "GET"])
@pytest.mark.parametrize("status", [301, 302, 303])
def test_a_conference_callback_redirected_is_followed_without_its_parameters(
    status: int, method: str
) -> None:
    """Twilio's 16010 page (Conference Event): "Make sure the callback URL does not return
    an HTTP 301 or 302 redirect. Twilio follows redirects, but it will not include the
    original parameters on the follow-up request." The query of the URL redirected is kept
    (the TwiML changelog, 2024.03.11); the parameters are not sent again, whether they
    went in a POST's body or in a GET's query (statusCallbackMethod="GET")."""

    def moved(form: dict[str, str]) -> tuple[int, list[tuple[str, str]], str]:
        return status, [("Location", "/conf-v2?room=support")], ""

    room_twiml = response(
        f'<Dial><Conference statusCallback="/conf?tag=1" statusCallbackMethod="{method}" '
        'statusCallbackEvent="join" waitUrl="">Support</Conference></Dial>'
    )
    routes = {"/voice": room_twiml, "/conf": moved}
    with simulator(routes) as (sim, app):  # type: ignore[arg-type]
        sim.phone(CUSTOMER).hangs_up(after=5)
        sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.run()
    room = sim.conferences["Support"]
    join, followed = room.requests[:2]
    # a GET's URL carries its parameters after the query written
    assert (join.method, join.url.partition("&")[0], join.params["StatusCallbackEvent"]) == (
        method,
        f"{APP_URL}/conf?tag=1",
        "participant-join",
    )
    assert (followed.method, followed.url, followed.params) == (
        "GET",
        f"{APP_URL}/conf-v2?room=support&tag=1",
        {},
    )
    assert [seen for seen in app.seen if seen[1] == "/conf-v2"] == [
        ("GET", "/conf-v2", {"room": "support", "tag": "1"})
    ]


def test_max_participants_of_one_is_a_room_for_one() -> None:
    # the <Conference> page takes any positive integer up to 250 ("2 to 250" is the
    # Participants API's MaxParticipants): 1 lets one caller in and refuses the next
    routes = {"/voice": room_twiml('waitUrl="" maxParticipants="1"')}
    with simulator(routes, strict=False) as (sim, _):
        sim.phone(CUSTOMER).hangs_up(after=10)
        first = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.advance(1)
        refused = sim.incoming_call(from_=CUSTOMER2, to=CALLER_ID)
        sim.run()
    assert sim.failures == [
        CallFailure(
            refused.sid,
            16020,
            "Conference is full (1 participant)",
            f"{APP_URL}/voice",
            "Conference",
            1,
        )
    ]
    room = sim.conferences["Support"]
    assert [r.params["StatusCallbackEvent"] for r in room.requests] == [
        "participant-join",
        "participant-leave",
        "conference-end",
    ]
    assert room.requests[0].params["CallSid"] == first.sid
    assert [e.how for e in refused.transcript if isinstance(e, LeftConference)] == ["refused"]


def test_a_coach_of_a_held_participant_is_refused_with_16027() -> None:
    # Twilio's 16027 page: "The participant to be whispered is on hold, so the coach to the
    # participant cannot be added to the conference"
    coached: list[str] = []

    def coach_room(form: dict[str, str]) -> str:
        return room_twiml(f'waitUrl="" coach="{coached[0]}"')

    routes = {"/voice": room_twiml('waitUrl=""'), "/coach": coach_room}
    with simulator(routes, strict=False) as (sim, _):  # type: ignore[arg-type]
        sim.phone(CUSTOMER).hangs_up(after=30)
        sim.phone(CUSTOMER2).hangs_up(after=30)
        sim.number("+15005550007", voice_url=f"{APP_URL}/coach")
        first = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.incoming_call(from_=CUSTOMER2, to=CALLER_ID)
        sim.advance(1)
        coached.append(first.sid)
        room = sim.conferences["Support"]
        sim.client().conferences(room.sid).participants(first.sid).update(hold=True)
        refused = sim.incoming_call(from_=CUSTOMER3, to="+15005550007")
        sim.run()
    assert sim.failures == [
        CallFailure(
            refused.sid,
            16027,
            f"Participant to be whispered is on hold: the call to coach, {first.sid}, is on "
            "hold in the conference 'Support', and a coach cannot be added to a held "
            "participant; take it off hold (Hold=false) before adding its coach",
            f"{APP_URL}/coach",
            "Conference",
            1,
        )
    ]
    assert [r.kind for r in refused.requests] == ["voice", "dial"]
    expected = base(sim, refused, "in-progress", from_=CUSTOMER3, to="+15005550007")
    expected["DialCallStatus"] = "failed"
    assert refused.requests[1].params == expected
    assert refused not in room.participants
    assert [e.how for e in refused.transcript if isinstance(e, LeftConference)] == ["refused"]


def test_wait_music_redirecting_to_itself_ends_the_call_at_the_loop_bound() -> None:
    """The bound's message named an <Enqueue>'s wait music, which Twilio requests again
    each time it ends (a conference's is not: only its <Redirect> loops) and said 'twimlsim
    ended the call', but the caller left the room as failed and the Dial's action was asked
    for, at once refused by the same bound: a second problem blamed a <Dial> action loop."""
    routes = {
        "/voice": room_twiml('waitUrl="/wait"'),
        "/wait": response("<Redirect>/wait</Redirect>"),
        "/after": response("<Say>Goodbye</Say>"),
    }
    with simulator(routes, strict=False) as (sim, _):
        caller = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.run()
    assert [r.kind for r in caller.requests] == ["voice"] + ["wait"] * 99 + ["status"]
    assert [(f.code, f.url, f.element, f.line, f.message) for f in sim.failures] == [
        (
            None,
            f"{APP_URL}/wait",
            None,
            None,
            "100 documents fetched without virtual time passing (a <Redirect> loop?); "
            "twimlsim ended the call",
        )
    ]
    assert (caller.status, caller.duration, caller.said) == ("completed", 0, [])
    room = sim.conferences["Support"]
    assert [
        (r.params["StatusCallbackEvent"], r.params.get("ReasonParticipantLeft"))
        for r in room.requests
    ] == [
        ("participant-join", None),
        ("participant-leave", "participant_hung_up"),
        ("conference-end", None),
    ]

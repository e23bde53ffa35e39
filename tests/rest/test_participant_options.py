"""The options of a Participants create that mirror ``<Conference>`` attributes:
``StartConferenceOnEnter``, ``WaitUrl``/``WaitMethod``, ``MaxParticipants`` and the
``ConferenceStatusCallback*`` set by the first participant."""

from __future__ import annotations

from datetime import timedelta

from tests.engine.helpers import response, simulator
from tests.support import APP_URL, CALLER_ID, account_api, twilio_error_body

AGENTS = ("+15558880001", "+15558880002", "+15558880003")


def test_waiting_participants_hear_wait_url_and_a_full_room_refuses_the_next() -> None:
    with simulator({"/music": response("<Say>Wait please</Say>")}, strict=False) as (sim, _):
        for number in AGENTS:
            sim.phone(number).hangs_up(after=60)
        participants = sim.client().conferences("Line").participants
        first = participants.create(
            from_=CALLER_ID,
            to=AGENTS[0],
            start_conference_on_enter=False,
            wait_url=f"{APP_URL}/music",
            wait_method="GET",
            conference_status_callback=f"{APP_URL}/conf",
            conference_status_callback_event=["start", "join", "leave", "end"],
            max_participants=2,
        )
        second = participants.create(from_=CALLER_ID, to=AGENTS[1], start_conference_on_enter=False)
        sim.advance(5)
        room = sim.conferences["Line"]
        assert room.status == "init"  # no one may start it
        third = participants.create(from_=CALLER_ID, to=AGENTS[2])
        sim.run()
    at = sim.clock.at
    events = [
        (r.at, r.params["StatusCallbackEvent"], r.params.get("CallSid"), r.params.get("Muted"))
        for r in room.requests
    ]
    assert events == [
        (at(0), "participant-join", first.call_sid, "false"),
        (at(1_000_000), "participant-join", second.call_sid, "false"),
        (at(5_000_000), "participant-leave", third.call_sid, "false"),  # the room is full
        (at(60_000_000), "participant-leave", first.call_sid, "false"),
        (at(61_000_000), "participant-leave", second.call_sid, "false"),
        (at(61_000_000), "conference-end", None, None),
    ]
    assert room.requests[2].params["ReasonParticipantLeft"] == "participant_add_failed"
    music, default = [r for r in sim.requests if r.kind == "wait"][:2]
    assert (music.method, music.call_sid, music.params["CallStatus"]) == (
        "GET",
        first.call_sid,
        "in-progress",
    )
    # without WaitUrl: Twilio's hold music (answered by twimlsim), as for <Conference>
    assert (default.method, default.call_sid, default.url.split("&")[0]) == (
        "GET",
        second.call_sid,
        "http://twimlets.com/holdmusic?Bucket=com.twilio.music.classical",
    )
    assert [(f.call_sid, f.code) for f in sim.failures] == [(third.call_sid, 16020)]
    assert sim.calls[first.call_sid].said == ["Wait please"]
    assert sim.calls[second.call_sid].said == []


def test_a_timeout_below_five_seconds_rings_five_and_the_buffer() -> None:
    """Twilio's spec gives a participant's ``Timeout`` as 5 to 600 and says "We always add
    a 5-second timeout buffer to outgoing calls, so value of 10 would result in an actual
    timeout that was closer to 15 seconds": 3 rings 5 + 5 s, 6 rings 6 + 5."""
    with simulator({}) as (sim, _):
        for number in AGENTS[:2]:
            sim.phone(number).no_answer()
        participants = sim.client().conferences("Line").participants
        short = participants.create(from_=CALLER_ID, to=AGENTS[0], timeout=3)
        longer = participants.create(from_=CALLER_ID, to=AGENTS[1], timeout=6)
        sim.run()
    rung = {
        created.call_sid: (
            sim.calls[created.call_sid].status,
            sim.calls[created.call_sid].record.end_time
            - sim.calls[created.call_sid].record.start_time,
        )
        for created in (short, longer)
    }
    assert rung == {
        short.call_sid: ("no-answer", timedelta(seconds=10)),
        longer.call_sid: ("no-answer", timedelta(seconds=11)),
    }


def test_a_caller_display_name_is_2_to_255_printable_characters() -> None:
    """Twilio's spec: CallerDisplayName "Must be between 2 and 255 characters. Only
    applicable for calls to sip address."; its 13259 page (Invalid CallerDisplayName) adds
    that leading and trailing spaces are trimmed first and that no control character may
    be in it. A refused one is 400 with that code (the REST code is a choice)."""
    with simulator({}, strict=False) as (sim, _):
        sim.phone("sip:desk@example.com").hangs_up(after=5)
        created = account_api(
            sim,
            "POST",
            "/Conferences/Line/Participants.json",
            From=CALLER_ID,
            To="sip:desk@example.com",
            CallerDisplayName=" Front desk ",
        )
        assert created.status_code == 201
        for value, shown in (
            ("A", "'A'"),
            ("   ", "'   '"),
            ("a\tb", "'a\\tb'"),
            ("x" * 256, f"'{'x' * 40}'... (256 characters)"),
        ):
            refused = account_api(
                sim,
                "POST",
                "/Conferences/Line/Participants.json",
                From=CALLER_ID,
                To="sip:desk@example.com",
                CallerDisplayName=value,
            )
            assert (refused.status_code, refused.json()) == (
                400,
                twilio_error_body(
                    400,
                    13259,
                    f"Invalid CallerDisplayName: {shown} is not valid: expected 2 to 255 "
                    "printable characters once leading and trailing spaces are trimmed, with "
                    "no control character (tab, line break)",
                ),
            )
        sim.run()
        assert len(sim.calls) == 1


def test_a_client_notification_url_must_be_a_url() -> None:
    """The spec's ClientNotificationUrl is a URI; one that is not is Twilio's 13806 "Invalid
    Client Notification URL" (its page; the HTTP status a choice), as on a Calls create. A
    valid one is taken and the participant placed (no push notification is sent)."""
    with simulator({}, strict=False) as (sim, _):
        refused = account_api(
            sim,
            "POST",
            "/Conferences/Line/Participants.json",
            From=CALLER_ID,
            To="client:alice",
            ClientNotificationUrl="/notify",
        )
        assert (refused.status_code, refused.json()) == (
            400,
            twilio_error_body(
                400,
                13806,
                "Invalid Client Notification URL: /notify is not a valid URL; give the "
                "absolute http(s) URL of the Voice SDK call notification webhook",
            ),
        )
        assert sim.calls == {}
        created = account_api(
            sim,
            "POST",
            "/Conferences/Line/Participants.json",
            From=CALLER_ID,
            To="client:alice",
            ClientNotificationUrl="https://push.app.test/notify",
        )
        assert created.status_code == 201
        assert list(sim.calls) == [created.json()["call_sid"]]

"""Behaviour that Twilio's own sample apps rely on: an invalid dialled number, a
transcribeCallback without transcribe, Twilio-hosted hold music, an endless prompt in a
Gather, cut-off wait music, a forgotten ``sim.run()``."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import Response
from flask import Flask, url_for

from tests.engine.helpers import CLASSICAL, HOLD_MUSIC, TRACKS, base, place, response, simulator
from tests.support import APP_URL, CALLEE, CALLER_ID, never_listened
from twimlsim import CallFailure, ConfigurationError, Simulator
from twimlsim.engine.events import Dialed, Paused, Played, Said
from twimlsim.engine.session import SimCall
from twimlsim.errors import RunawayCalls, SimulationError, describe_failures
from twimlsim.transports.unrouted import unrouted_message

VOICE = f"{APP_URL}/voice"
FIRST = "+15557770001"
SECOND = "+15557770002"


# -- a dialled number that is not a phone number -----------------------------------------


@pytest.mark.parametrize(
    ("body", "element", "target"),
    [
        ("<Number>call-me-maybe</Number>", "Number", "call-me-maybe"),
        ("call-me-maybe", "Dial", "call-me-maybe"),
        ("<Number>+1234567890123456</Number>", "Number", "+1234567890123456"),  # 16 digits
        # only <Client> and <Sip> name a client or a SIP URI: as the text of a <Dial> or
        # <Number> they are phone numbers that are not one, which used to ring and bridge
        ("client:joey", "Dial", "client:joey"),
        ("<Number>client:joey</Number>", "Number", "client:joey"),
        ("sip:kate@example.com", "Dial", "sip:kate@example.com"),
        ("sip:alice@office.sip.twilio.com", "Dial", "sip:alice@office.sip.twilio.com"),
    ],
)
def test_dial_to_text_that_is_not_a_number_fails_its_leg_at_once(
    body: str, element: str, target: str
) -> None:
    routes = {"/voice": response(f'<Dial action="/dialed">{body}</Dial><Say>after</Say>')}
    with simulator(routes, strict=False) as (sim, _):
        call = place(sim)
        sim.run()
    (child,) = call.children
    assert (child.to, child.status, child.duration, child.answered_by) == (
        target,
        "failed",
        0,
        None,
    )
    (dialed,) = [e for e in call.transcript if isinstance(e, Dialed)]
    assert (dialed.targets, dialed.status, dialed.child_sid, dialed.bridged, dialed.seconds) == (
        (target,),
        "failed",
        child.sid,
        False,
        0,
    )
    (action,) = [r for r in call.requests if r.kind == "dial"]
    assert action.params == dict(
        base(sim, call, "in-progress"),
        DialBridged="false",
        DialCallDuration="0",
        DialCallSid=child.sid,
        DialCallStatus="failed",
    )
    assert [(f.code, f.level, f.element, f.message) for f in sim.failures] == [
        (
            13223,
            "warning",
            element,
            f"<{element}> phone number {target!r} is not valid: expected E.164 (+ and at most "
            "15 digits) or a national number; nobody can be called there: its "
            "leg fails at once (DialCallStatus=failed)",
        )
    ]
    assert call.duration == 0 and call.status == "completed"


def test_dial_to_text_that_is_not_a_number_goes_on_with_the_next_verb() -> None:
    routes = {"/voice": response("<Dial><Number>call-me-maybe</Number></Dial><Say>after</Say>")}
    with simulator(routes, allow_codes={13223}) as (sim, _):
        call = place(sim)
        sim.run()
    assert call.said == ["after"]
    assert [f.code for f in sim.failures] == [13223]  # no 32015: nothing was bridged
    assert [(c.status, c.duration) for c in call.children] == [("failed", 0)]


@pytest.mark.parametrize(
    "written",
    ["415-123-4567", "(415) 123-4567", "4151234567", "1 415 123 4567", "+1 (415) 123-4567"],
)
@pytest.mark.parametrize("noun", [False, True])
def test_a_formatted_or_national_number_is_dialled_in_e164(written: str, noun: bool) -> None:
    # Twilio's own <Dial> examples write 415-123-4567: the leg is +14151234567, the
    # number the REST API would make of the same text, and its phone script answers it
    body = f"<Number>{written}</Number>" if noun else written
    routes = {"/voice": response(f"<Dial>{body}</Dial>")}
    with simulator(routes) as (sim, _):
        sim.phone("+14151234567").answers(after=2).hangs_up(after=7)
        call = place(sim)
        sim.run()
    (child,) = call.children
    assert (child.to, child.status, child.duration) == ("+14151234567", "completed", 7)
    (dialed,) = [e for e in call.transcript if isinstance(e, Dialed)]
    assert (dialed.targets, dialed.status, dialed.seconds) == (("+14151234567",), "completed", 7)
    assert sim.failures == []


# -- transcribeCallback without transcribe="true" ----------------------------------------


def test_transcribe_callback_without_transcribe_passes_with_its_code_allowed() -> None:
    body = '<Record action="/done" transcribeCallback="/transcribed" maxLength="10"/>'
    with simulator({"/voice": response(body)}, allow_codes={13614}) as (sim, _):
        sim.phone("+15558675310").records(5, "#")
        call = place(sim)
        sim.run()
    assert [r.kind for r in call.requests] == ["voice", "record"]
    assert [(f.code, f.level, f.element, f.line) for f in sim.failures] == [
        (13614, "warning", "Record", 1)
    ]


# -- a test that forgot sim.run() --------------------------------------------------------


def test_unused_steps_error_says_when_no_call_has_run() -> None:
    with pytest.raises(ConfigurationError) as raised, simulator({}) as (sim, _):
        sim.phone(CALLEE).presses("1")
        call = place(sim)
        assert call.said == []  # what `call.said[-1]` trips over
    assert str(raised.value) == (
        f"scripted far-end steps were never reached: sim.phone('{CALLEE}').presses('1'); "
        "no call has run yet: call sim.run() (or call.run()) before asserting"
    )


def test_unused_steps_error_after_a_run_keeps_its_advice() -> None:
    with (
        pytest.raises(ConfigurationError) as raised,
        simulator({"/voice": response("<Say>Hi</Say>")}) as (sim, _),
    ):
        sim.phone(CALLEE).presses("1")
        place(sim)
        sim.run()
    assert str(raised.value) == (
        f"scripted far-end steps were never reached: sim.phone('{CALLEE}').presses('1'); "
        f"{never_listened(CALLEE)}. Remove them, or pass strict=False to allow unused steps."
    )


def test_unused_steps_scripted_in_a_loop_are_collapsed_and_capped() -> None:
    with (
        pytest.raises(ConfigurationError) as raised,
        simulator({"/voice": response("<Say>Hi</Say>")}) as (sim, _),
    ):
        for _ in range(300):
            sim.phone(CALLEE).presses("1")
        for index in range(12):
            sim.phone(FIRST).presses(str(index))
        sim.phone(FIRST).presses("#")
        sim.phone(FIRST).presses("#")
        place(sim)
        sim.run()
    shown = "; ".join(f"sim.phone('{FIRST}').presses('{index}')" for index in range(9))
    assert str(raised.value) == (
        "scripted far-end steps were never reached (314 steps): "
        f"sim.phone('{CALLEE}').presses('1') x300; {shown}; ... and 5 more steps; "
        f"{never_listened(CALLEE)}; no call "
        f"was from or to {FIRST}; the calls were from or to {CALLEE}, {CALLER_ID}. "
        "Remove them, or pass strict=False to allow unused steps."
    )


def test_unused_steps_one_over_the_cap_counts_one_more_step() -> None:
    with pytest.raises(ConfigurationError) as raised, simulator({}) as (sim, _):
        for index in range(11):
            sim.phone(CALLEE).presses(str(index))
    shown = "; ".join(f"sim.phone('{CALLEE}').presses('{index}')" for index in range(10))
    assert str(raised.value) == (
        f"scripted far-end steps were never reached (11 steps): {shown}; ... and 1 more step; "
        f"no call was made, so {CALLEE} was never called: place the call (the app's code, "
        "sim.client().calls.create(...) or sim.incoming_call(...)) and sim.run() before the "
        "test ends. Remove them, or pass strict=False to allow unused steps."
    )


# -- conference wait music cut off when the room starts ----------------------------------

WAIT_TEXT = "Please wait for the other party to join this conference call. " * 3


def test_wait_say_cut_off_when_the_room_starts_is_marked_interrupted() -> None:
    room = response('<Dial><Conference waitUrl="/wait">Support</Conference></Dial>')
    routes = {"/voice": room, "/wait": response(f"<Say>{WAIT_TEXT}</Say><Pause length='9'/>")}
    with simulator(routes) as (sim, _):
        sim.phone(FIRST).hangs_up(after=20)
        sim.phone(SECOND).hangs_up(after=10)
        first = sim.incoming_call(from_=FIRST, to=CALLER_ID)
        sim.advance(2)
        sim.incoming_call(from_=SECOND, to=CALLER_ID)
        sim.run()
    (said,) = [e for e in first.transcript if isinstance(e, Said)]
    assert (said.text, said.at, said.interrupted) == (WAIT_TEXT.strip(), sim.clock.start, True)
    assert first.said == [WAIT_TEXT.strip()] and first.said[0].interrupted
    assert not any(isinstance(e, Paused) for e in first.transcript)  # never reached


def test_wait_music_heard_to_its_end_is_not_interrupted() -> None:
    room = response('<Dial><Conference waitUrl="/wait">Support</Conference></Dial>')
    routes = {"/voice": room, "/wait": response('<Say>Hold on</Say><Pause length="3"/>')}
    with simulator(routes) as (sim, _):
        sim.phone(FIRST).hangs_up(after=20)
        sim.phone(SECOND).hangs_up(after=10)
        first = sim.incoming_call(from_=FIRST, to=CALLER_ID)
        sim.advance(10)
        sim.incoming_call(from_=SECOND, to=CALLER_ID)
        sim.run()
    timed = [e for e in first.transcript if isinstance(e, Said | Paused)]
    assert [(type(e).__name__, e.interrupted) for e in timed] == [
        ("Said", False),
        ("Paused", False),
    ]


# -- Twilio-hosted hold music --------------------------------------------------------------


def played(call: SimCall) -> list[tuple[str, float, bool]]:
    start = call.transcript[0].at
    return [
        (e.url, (e.at - start).total_seconds(), e.interrupted)
        for e in call.transcript
        if isinstance(e, Played)
    ]


def test_twimlets_hold_music_is_served_built_in_and_loops_in_a_conference() -> None:
    room = response(f'<Dial><Conference waitUrl="{HOLD_MUSIC}">Support</Conference></Dial>')
    with simulator({"/voice": room}) as (sim, _):
        sim.media(CLASSICAL + TRACKS[0], seconds=20)
        sim.phone(FIRST).hangs_up(after=60)
        sim.phone(SECOND).hangs_up(after=10)
        first = sim.incoming_call(from_=FIRST, to=CALLER_ID)
        sim.advance(52)
        sim.incoming_call(from_=SECOND, to=CALLER_ID)
        sim.run()
    assert sim.failures == []
    assert [(r.kind, r.method, r.url.split("&")[0]) for r in first.requests] == [
        ("voice", "POST", VOICE),
        ("wait", "POST", HOLD_MUSIC),
        ("wait", "POST", HOLD_MUSIC),  # the document's <Redirect/> to itself: a POST
        ("status", "POST", f"{APP_URL}/status"),
    ]
    first_pass = [(CLASSICAL + TRACKS[0], 0.0, False)] + [
        (CLASSICAL + name, 20.0 + 5 * index, False) for index, name in enumerate(TRACKS[1:])
    ]
    assert played(first)[:7] == first_pass
    assert played(first)[7:] == [(CLASSICAL + TRACKS[0], 50.0, True)]  # the room started


def test_twimlets_hold_music_plays_while_a_caller_waits_in_a_queue() -> None:
    body = f'<Enqueue waitUrl="{HOLD_MUSIC}" waitUrlMethod="GET">support</Enqueue>'
    with simulator({"/voice": response(body)}) as (sim, _):
        sim.phone(FIRST).hangs_up(after=40)
        caller = sim.incoming_call(from_=FIRST, to=CALLER_ID)
        sim.run()
    assert sim.failures == []
    assert [(r.kind, r.url.split("&")[0]) for r in caller.requests[:2]] == [
        ("voice", VOICE),
        ("wait", f"{HOLD_MUSIC}"),
    ]
    assert [url for url, _, _ in played(caller)] == [CLASSICAL + name for name in TRACKS] + [
        CLASSICAL + TRACKS[0]
    ]
    assert played(caller)[-1][1:] == (35.0, True)


def test_hold_music_of_another_bucket_plays_the_bucket_and_the_message() -> None:
    url = "https://twimlets.com/holdmusic?Bucket=com.twilio.music.ambient&amp;Message=Hold+on"
    room = response(f'<Dial><Conference waitUrl="{url}">Support</Conference></Dial>')
    with simulator({"/voice": room}) as (sim, _):
        sim.phone(FIRST).hangs_up(after=13)
        first = sim.incoming_call(from_=FIRST, to=CALLER_ID)
        sim.run()
    ambient = "http://com.twilio.music.ambient.s3.amazonaws.com/"
    assert played(first) == [(ambient, 0.0, False), (ambient, 6.0, False), (ambient, 12.0, True)]
    assert first.said == ["Hold on", "Hold on"]
    assert sim.failures == []


ECHOED = (
    "https://twimlets.com/echo?Twiml=%3CResponse%3E%3CSay%20voice%3D%22alice%22%3EClass%20"
    "starts%20now%3C%2FSay%3E%3C%2FResponse%3E"
)


def test_the_echo_twimlet_answers_the_twiml_its_url_carries() -> None:
    """Apps hand Twilio TwiML through twimlets.com/echo (a URL for calls.create)."""
    with simulator({}) as (sim, _):
        call = place(sim, url=ECHOED)
        sim.run()
    assert (call.said, [e.voice for e in call.transcript if isinstance(e, Said)]) == (
        ["Class starts now"],
        ["alice"],
    )
    (served,) = call.served
    assert (served.url, [verb.tag for verb in served.verbs]) == (ECHOED, ["Say"])
    assert sim.failures == []


def test_the_message_twimlet_says_texts_and_plays_urls_in_the_querys_order() -> None:
    """As Twilio's message.php: Message[1] before Message[0] when written first, a value
    starting with http played, backslashes dropped, a blank one skipped; POST reads the
    query too."""
    url = (
        "http://twimlets.com/message?Message%5B1%5D=It%5C%27s%20the%20fire%20alarm"
        "&Message%5B0%5D=http://alerts.test/siren.mp3&Message%5B2%5D=%20"
    )
    routes = {"/voice": response(f"<Redirect>{url.replace('&', '&amp;')}</Redirect>")}
    with simulator(routes) as (sim, _):
        call = place(sim)
        sim.run()
    assert [(type(e).__name__, e.at.second) for e in call.transcript[1:-1]] == [
        ("Redirected", 0),
        ("Said", 0),
        ("Played", 2),
    ]
    assert call.said == ["It's the fire alarm"]
    assert played(call) == [("http://alerts.test/siren.mp3", 2.0, False)]
    assert [(r.method, r.url) for r in call.requests if r.kind == "redirect"] == [("POST", url)]
    assert sim.failures == []


FORWARD = (
    "http://twimlets.com/forward?PhoneNumber=%2B15551230000&Timeout=10"
    "&FailUrl=https%3A%2F%2Fapp.test%2Ffailed"
)
VOICEMAIL = "http://twimlets.com/voicemail?Email=me%40office.test&Message=Leave+one"


def test_the_forward_twimlet_dials_then_sends_an_unanswered_call_to_its_fail_url() -> None:
    """As Twilio's forward.php and voicemail.php: a <Dial> with an action back to the
    twimlet, a 302 to FailUrl when nobody answered; a greeting and a transcribed <Record>,
    "Thanks. Good bye." when the recording comes back, the transcription answered empty."""
    routes = {
        "/voice": response(f"<Redirect>{FORWARD.replace('&', '&amp;')}</Redirect>"),
        "/failed": response(f'<Redirect method="GET">{VOICEMAIL.replace("&", "&amp;")}</Redirect>'),
    }
    with simulator(routes) as (sim, _):
        sim.phone("+15551230000").no_answer()
        sim.phone(FIRST).records(6, text="call me back")
        call = sim.incoming_call(from_=FIRST, to=CALLER_ID)
        sim.run()
    # a GET's query: the URL's own, then Twilio's (a <Dial> action's sorted by name, from
    # AccountSid; the others in wire order, from Called)
    own = [r.url.split("&AccountSid=")[0].split("&Called=")[0] for r in call.requests]
    assert [(r.kind, r.method, url) for r, url in zip(call.requests, own, strict=True)] == [
        ("voice", "POST", f"{APP_URL}/voice"),
        ("redirect", "POST", FORWARD),
        (
            "dial",
            "POST",
            "http://twimlets.com/forward?Dial=true&FailUrl=https%3A%2F%2Fapp.test%2Ffailed",
        ),
        # the 302 keeps the query of the URL redirected (TwiML changelog 2024.03.11)
        ("dial", "GET", f"{APP_URL}/failed?Dial=true&FailUrl=https%3A%2F%2Fapp.test%2Ffailed"),
        ("redirect", "GET", VOICEMAIL),
        ("record", "POST", VOICEMAIL),
        ("transcription", "POST", "http://twimlets.com/voicemail?Email=me@office.test"),
        ("status", "POST", f"{APP_URL}/status"),
    ]
    assert call.requests[2].response.status == 302
    assert call.requests[2].params["DialCallStatus"] == "no-answer"
    (dialed,) = [e for e in call.transcript if isinstance(e, Dialed)]
    assert (dialed.at.second, dialed.status) == (15, "no-answer")  # Timeout=10, and 5 s buffer
    assert call.said == ["Leave one", "Thanks. Good bye."]
    assert call.requests[6].params["TranscriptionText"] == "call me back"
    assert sim.failures == []


def test_the_forward_twimlet_hangs_up_after_an_answered_call() -> None:
    forward = "http://twimlets.com/forward?PhoneNumber=%2B15551230000"
    with simulator({"/voice": response(f"<Redirect>{forward}</Redirect>")}) as (sim, _):
        sim.phone("+15551230000").answers(after=2).hangs_up(after=30)
        call = sim.incoming_call(from_=FIRST, to=CALLER_ID)
        sim.run()
    dial = call.requests[2]
    assert (dial.url, dial.params["DialCallStatus"]) == (
        "http://twimlets.com/forward?Dial=true",
        "completed",
    )
    assert dial.response.body == (
        b'<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>'
    )
    (dialed,) = [e for e in call.transcript if isinstance(e, Dialed)]
    assert (dialed.status, dialed.seconds, call.duration) == ("completed", 30, 32)


def test_a_forward_restricted_to_allowed_callers_is_not_simulated() -> None:
    forward = "http://twimlets.com/forward?PhoneNumber=%2B15551230000&AllowedCallers%5B0%5D=1"
    routes = {"/voice": response(f"<Redirect>{forward.replace('&', '&amp;')}</Redirect>")}
    with simulator(routes, strict=False) as (sim, _):
        call = sim.incoming_call(from_=FIRST, to=CALLER_ID)
        sim.run()
    assert [(f.code, f.message) for f in sim.failures] == [
        (
            11205,
            f"{forward} is a Twilio-hosted twimlet that twimlsim does not simulate (only "
            "twimlets.com/holdmusic, /echo, /message, /voicemail and /forward without "
            "AllowedCallers are built in); serve the TwiML from your app instead; twimlsim "
            "then played Twilio's application-error message and hung up, as Twilio does",
        )
    ]
    assert call.said == ["We are sorry, an application error has occurred. Goodbye."]


def test_a_wait_document_that_fails_says_what_twimlsim_did_instead() -> None:
    room = response(
        '<Dial action="/after"><Conference waitUrl="http://twimlets.com/findme?'
        'PhoneNumbers%5B0%5D=1">Support</Conference></Dial>'
    )
    with simulator({"/voice": room, "/after": response("")}, strict=False) as (sim, _):
        first = sim.incoming_call(from_=FIRST, to=CALLER_ID)
        sim.run()
    assert first.said == []  # no application-error message
    assert first.requests[-2].params["DialCallStatus"] == "failed"
    assert sim.failures == [
        CallFailure(
            first.sid,
            11205,
            "http://twimlets.com/findme?PhoneNumbers%5B0%5D=1 is a Twilio-hosted twimlet that "
            "twimlsim does not simulate (only twimlets.com/holdmusic, /echo, /message, "
            "/voicemail and /forward without AllowedCallers are built in); serve "
            "the TwiML from your app instead; twimlsim then took the participant out of the "
            "room (a <Dial> reports DialCallStatus=failed); no application-error message is "
            "played for wait music",
            "http://twimlets.com/findme?PhoneNumbers%5B0%5D=1",
            "Conference",
            1,
        )
    ]


# -- an endless prompt in a Gather -------------------------------------------------------

ENDLESS = response(
    '<Gather numDigits="1" action="/menu"><Say loop="0">Press 1 for sales.</Say></Gather>'
    "<Say>Goodbye</Say>"
)


def test_scripted_keys_are_pressed_as_the_first_loop_of_an_endless_prompt_ends() -> None:
    routes = {"/voice": ENDLESS, "/menu": response("<Say>Sales</Say>")}
    with simulator(routes) as (sim, _):
        sim.phone(CALLEE).presses("1")
        call = place(sim)
        sim.run()
    one_loop = 2  # "Press 1 for sales." at 2.5 words a second
    (said, *_) = [e for e in call.transcript if isinstance(e, Said)]
    assert (said.loop, said.interrupted) == (1000, True)
    menu = call.requests[1]
    assert (menu.kind, menu.params["Digits"], menu.at) == (
        "gather",
        "1",
        sim.clock.at(one_loop * 1_000_000),
    )
    assert call.said == ["Press 1 for sales.", "Sales"]
    assert call.duration == one_loop + 1


def test_a_test_driving_by_hand_can_press_during_an_endless_prompt() -> None:
    with simulator({"/voice": ENDLESS, "/menu": response("<Say>Sales</Say>")}) as (sim, _):
        call = place(sim)
        call.run()
        assert (call.waiting_for.verb, sim.clock.micros) == ("Gather", 2_000_000)
        call.press("1")
        call.run()
    assert call.said == ["Press 1 for sales.", "Sales"] and call.said[0].interrupted


def test_silence_lets_an_endless_prompt_repeat_to_its_end() -> None:
    with simulator({"/voice": ENDLESS}) as (sim, _):
        sim.phone(CALLEE).silence()
        call = place(sim)
        sim.run()
    assert call.said == ["Press 1 for sales.", "Goodbye"]
    assert not call.said[0].interrupted
    assert call.duration == 2 * 1000 + 5 + 1  # every loop, the timeout, then "Goodbye"


def test_a_barge_in_cuts_an_endless_prompt_at_once() -> None:
    with simulator({"/voice": ENDLESS, "/menu": response("<Say>Sales</Say>")}) as (sim, _):
        sim.phone(CALLEE).presses("1", barge_in=True)
        call = place(sim)
        sim.run()
    assert call.requests[1].at == sim.clock.start and call.duration == 1


def test_wait_say_cut_off_by_a_star_is_marked_interrupted() -> None:
    room = response(
        '<Dial hangupOnStar="true"><Conference waitUrl="/wait">Support</Conference></Dial>'
        "<Say>Left</Say>"
    )
    with simulator({"/voice": room, "/wait": response(f"<Say>{WAIT_TEXT}</Say>")}) as (sim, _):
        sim.phone(FIRST).presses("*")
        first = sim.incoming_call(from_=FIRST, to=CALLER_ID)
        sim.run()
    assert first.said == [WAIT_TEXT.strip(), "Left"]
    assert [text.interrupted for text in first.said] == [True, False]


# -- a click-to-call app that builds its TwiML URL from a test client's request ----------


def _click_to_call_app(sim: Simulator) -> Flask:
    app = Flask(__name__)

    @app.post("/call")
    def call() -> dict[str, str]:
        created = sim.client().calls.create(
            to=CALLEE, from_=CALLER_ID, url=url_for("outbound", _external=True)
        )
        return {"sid": created.sid}

    @app.post("/outbound")
    def outbound() -> tuple[str, dict[str, str]]:
        return response("<Say>Connecting you to sales.</Say>"), {"Content-Type": "text/xml"}

    return app


def test_a_localhost_webhook_url_says_it_came_from_the_test_client() -> None:
    with Simulator(strict=False) as sim:
        sim.number(CALLER_ID)
        app = _click_to_call_app(sim)
        sim.route(APP_URL, app)
        sid = app.test_client().post("/call").get_json()["sid"]
        sim.run()
    (failure,) = sim.failures
    assert (failure.call_sid, failure.code, failure.url) == (
        sid,
        11205,
        "http://localhost/outbound",
    )
    # routing localhost is no way out: Twilio refuses the URL at the create
    assert failure.message == (
        f"no app is routed for http://localhost/outbound (routed: {APP_URL}). A localhost URL "
        "is usually one the app built while answering a test client (Flask's "
        "url_for(..., _external=True), Django's request.build_absolute_uri(), Starlette's "
        "request.url_for(...)) or one its settings hold (a base URL left at "
        "http://localhost:PORT); Twilio refuses it "
        "(calls.create answers 21205 'Url is not a valid URL'), as it cannot reach it: have "
        f"the app build its URLs on the routed host, '{APP_URL}': send the test client's "
        f"request there (Flask: client.post(..., base_url='{APP_URL}'), or for every request "
        "the app's test config SERVER_NAME='app.test', PREFERRED_URL_SCHEME='https'; Django: "
        "client.post(..., HTTP_HOST='app.test', secure=True); Starlette's and FastAPI's "
        "TestClient: TestClient(app, base_url='https://app.test'); Quart: client.post(..., "
        "scheme='https', headers={'Host': 'app.test'}); WebTest, as Pyramid's and "
        "Bottle's tests use it: TestApp(app, extra_environ={'HTTP_HOST': 'app.test', "
        "'wsgi.url_scheme': 'https'})), or set the app's base URL to it; twimlsim then played "
        "Twilio's application-error message and hung up, as Twilio does"
    )


def test_the_test_client_sent_to_the_routed_host_builds_a_routed_url() -> None:
    with Simulator() as sim:
        sim.number(CALLER_ID)
        app = _click_to_call_app(sim)
        sim.route(APP_URL, app)
        sid = app.test_client().post("/call", base_url=APP_URL).get_json()["sid"]
        sim.run()
    assert sim.calls[sid].said == ["Connecting you to sales."]


def test_flasks_server_name_and_scheme_send_every_test_request_to_the_routed_host() -> None:
    with Simulator() as sim:
        sim.number(CALLER_ID)
        app = _click_to_call_app(sim)
        app.config.update(SERVER_NAME="app.test", PREFERRED_URL_SCHEME="https")
        sim.route(APP_URL, app)
        sid = app.test_client().post("/call").get_json()["sid"]
        sim.run()
    assert sim.calls[sid].requests[0].url == f"{APP_URL}/outbound"
    assert sim.calls[sid].said == ["Connecting you to sales."]


def test_a_django_testserver_url_gets_the_same_advice() -> None:
    assert unrouted_message("http://testserver/voice/", []) == (
        "no app is routed for http://testserver/voice/ (routed: none). A testserver URL is "
        "usually one the app built while answering a test client (Flask's "
        "url_for(..., _external=True), Django's "
        "request.build_absolute_uri(), Starlette's request.url_for(...)), and Twilio could "
        "not reach it: route it "
        "(sim.route('http://testserver', app)), or send the test client's request to the "
        "routed host (Flask: client.post(..., base_url='https://myapp.test'), or for every "
        "request the app's test config SERVER_NAME='myapp.test', PREFERRED_URL_SCHEME='https'; "
        "Django: client.post(..., HTTP_HOST='myapp.test', secure=True); Starlette's and "
        "FastAPI's TestClient: TestClient(app, base_url='https://myapp.test'); Quart: "
        "client.post(..., scheme='https', headers={'Host': 'myapp.test'}); WebTest, as "
        "Pyramid's and Bottle's tests use it: TestApp(app, extra_environ={'HTTP_HOST': "
        "'myapp.test', 'wsgi.url_scheme': 'https'}))"
    )


def test_falcons_test_client_host_says_how_to_send_its_request_to_the_routed_host() -> None:
    # following the generic advice, a test routed falconframework.org, a host of no deployment
    assert unrouted_message("http://falconframework.org/voice", [APP_URL]) == (
        f"no app is routed for http://falconframework.org/voice (routed: {APP_URL}). "
        "falconframework.org is the host of Falcon's testing client (falcon.testing.TestClient, "
        "simulate_request): the app built this URL from a test request's host (req.prefix, "
        "req.uri), and Twilio could not reach it; send the test client's request to the routed "
        "host: client.simulate_post(..., host='app.test', protocol='https')"
    )


def test_litestars_test_client_host_says_how_to_send_its_request_to_the_routed_host() -> None:
    assert unrouted_message("http://testserver.local/outbound", [APP_URL]) == (
        f"no app is routed for http://testserver.local/outbound (routed: {APP_URL}). "
        "testserver.local is the host of Litestar's TestClient and AsyncTestClient: the app "
        "built this URL from a test request's host (request.url_for(...), request.base_url), "
        "and Twilio could not reach it; send the test client's request to the routed host: "
        f"TestClient(app, base_url='{APP_URL}')"
    )


def test_an_httpx_client_on_http_test_says_how_to_send_its_request_to_the_routed_host() -> None:
    """FastAPI's async tests make the client with base_url='http://test'; the app builds its
    TwiML URL from that request, and the advice, followed, reaches the routed app."""
    app = FastAPI()
    sids: list[str] = []

    @app.post("/call")
    def call(request: Request) -> dict[str, str]:
        created = sim.client().calls.create(
            to=CALLEE, from_=CALLER_ID, url=str(request.url_for("outbound"))
        )
        sids.append(created.sid)
        return {"sid": created.sid}

    @app.post("/outbound")
    def outbound() -> Response:
        return Response(response("<Say>Connecting you to sales.</Say>"), media_type="text/xml")

    async def post_call(base_url: str) -> int:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=base_url) as client:
            return (await client.post("/call")).status_code

    with Simulator(strict=False) as sim:
        sim.number(CALLER_ID)
        sim.route(APP_URL, app)
        for base_url in ("http://test", APP_URL):
            assert asyncio.run(post_call(base_url)) == 200
            sim.run()
    (failure,) = sim.failures
    assert (failure.call_sid, failure.url) == (sids[0], "http://test/outbound")
    assert failure.message == (
        f"no app is routed for http://test/outbound (routed: {APP_URL}). test is the host of "
        "an httpx AsyncClient made with base_url='http://test', as FastAPI's async tests make "
        "it: the app built this URL from a test request's host (request.url_for(...), "
        "request.base_url), and Twilio could not reach it; send the test client's request to "
        f"the routed host: AsyncClient(transport=ASGITransport(app=app), base_url='{APP_URL}'); "
        "twimlsim then played Twilio's application-error message and hung up, as Twilio does"
    )
    assert sim.calls[sids[1]].said == ["Connecting you to sales."]


def test_a_url_built_from_a_plain_http_test_request_says_how_to_make_it_https() -> None:
    assert unrouted_message("http://myapp.test/voice/", ["https://myapp.test"]) == (
        "no app is routed for http://myapp.test/voice/ (routed: https://myapp.test); call "
        "sim.route('http://myapp.test', app) for it, or fix the URL's scheme: "
        "https://myapp.test is routed with https://, the URL is http://, and Twilio requests "
        "a URL as it is written (a URL the app built while answering a test client takes the "
        "scheme of that request, http unless told: Django's client.post(..., secure=True), "
        "Flask's client.post(..., base_url='https://myapp.test'), Quart's client.post(..., "
        "scheme='https'))"
    )


# -- the demo document of Twilio's quickstarts ---------------------------------------------

DEMO = "http://demo.twilio.com/docs/voice.xml"


def test_the_quickstarts_demo_url_is_served_built_in() -> None:
    with Simulator() as sim:
        sim.number("+15017122661")
        sim.media("http://demo.twilio.com/docs/classic.mp3", seconds=30)
        created = sim.client().calls.create(url=DEMO, to=CALLEE, from_="+15017122661")
        sim.run()
    call = sim.calls[created.sid]
    assert sim.failures == []
    assert (call.status, call.duration, call.said) == (
        "completed",
        33,
        ["Thanks for trying our documentation. Enjoy!"],
    )
    assert played(call) == [("http://demo.twilio.com/docs/classic.mp3", 3.0, False)]
    (request,) = call.requests
    assert (request.kind, request.method, request.url, request.response.status) == (
        "voice",
        "POST",
        DEMO,
        200,
    )


@pytest.mark.parametrize(
    "url", ["https://demo.twilio.com/welcome/voice/", "http://demo.twilio.com/welcome/voice"]
)
def test_a_new_numbers_welcome_document_is_served_built_in(url: str) -> None:
    # quickstarts and samples place their test call with url="https://demo.twilio.com/
    # welcome/voice/", the voice URL a new number has: it was an 11205 and Twilio's
    # application-error message
    with Simulator() as sim:
        sim.number(CALLER_ID)
        created = sim.client().calls.create(url=url, to=CALLEE, from_=CALLER_ID)
        sim.run()
    call = sim.calls[created.sid]
    assert (call.status, call.said) == (
        "completed",
        [
            "Thanks for the call. Configure your number's voice U R L to change this message.",
            "Let us know if we can help you in any way during your development.",
        ],
    )
    (request,) = call.requests
    assert (request.kind, request.method, request.url, request.response.status) == (
        "voice",
        "POST",
        url,
        200,
    )


def test_another_demo_document_says_which_are_built_in() -> None:
    url = "https://demo.twilio.com/docs/other.xml"
    with Simulator(strict=False) as sim:
        sim.number(CALLER_ID)
        created = sim.client().calls.create(url=url, to=CALLEE, from_=CALLER_ID)
        sim.run()
    assert [(f.call_sid, f.code, f.message) for f in sim.failures] == [
        (
            created.sid,
            11205,
            f"{url} is a Twilio demo document that twimlsim does not simulate (only "
            "demo.twilio.com/docs/voice.xml, the docs/classic.mp3 it plays and "
            "/welcome/voice/ are built in); serve the TwiML from your app instead; twimlsim "
            "then played Twilio's application-error message and hung up, as Twilio does",
        )
    ]


def test_the_demo_clip_as_a_conference_wait_url_is_played_to_the_waiting_caller() -> None:
    # a conference-line sample waits in its room with waitUrl="http://demo.twilio.com/docs/
    # classic.mp3", an MP3 Twilio plays; twimlsim failed it 11205 and took the caller out
    clip = "http://demo.twilio.com/docs/classic.mp3"
    room = (
        f'<Response><Dial><Conference beep="false" waitUrl="{clip}" '
        'startConferenceOnEnter="false">TireTutor Conference Room</Conference></Dial></Response>'
    )
    with Simulator() as sim:
        sim.number(CALLER_ID)
        sim.media(clip, seconds=8)
        sim.phone(CALLEE).hangs_up(after=20)
        created = sim.client().calls.create(twiml=room, to=CALLEE, from_=CALLER_ID)
        sim.run()
    call = sim.calls[created.sid]
    assert sim.failures == []
    assert played(call) == [(clip, 0.0, False)]
    (wait,) = call.requests
    assert (wait.kind, wait.method, wait.url, wait.response.status) == ("wait", "POST", clip, 200)
    assert dict(wait.response.headers)["Content-Type"] == "audio/mpeg"
    assert (call.status, call.duration) == ("completed", 20)


# -- a broadcast plays a recording made on an earlier call ---------------------------------


def test_playing_a_recording_of_the_simulator_lasts_as_long_as_the_recording() -> None:
    made: list[str] = []

    def recorded(params: dict[str, str]) -> str:
        made.append(params["RecordingUrl"])
        return response("<Hangup/>")

    def broadcast(params: dict[str, str]) -> str:
        url = made[0]
        return response(f"<Play>{url}</Play><Play>{url}.mp3</Play><Play>{url}.wav</Play>")

    routes = {
        "/voice": response('<Record action="/recorded" playBeep="false"/>'),
        "/recorded": recorded,
        "/broadcast": broadcast,
    }
    with simulator(routes) as (sim, _):
        sim.phone(CALLEE).records(12, hangs_up=True)
        place(sim)
        sim.run()
        listener = place(sim, to=FIRST, url=f"{APP_URL}/broadcast")
        sim.run()
    start = listener.transcript[0].at
    assert [
        (e.url.removeprefix(made[0]), (e.at - start).total_seconds())
        for e in listener.transcript
        if isinstance(e, Played)
    ] == [
        ("", 0.0),
        (".mp3", 12.0),
        (".wav", 24.0),
    ]
    assert listener.duration == 36


# -- one problem on every call of a loop ---------------------------------------------------


def test_the_same_problem_on_many_calls_is_named_once_with_its_count() -> None:
    routes = {"/voice": response('<Gather numDigit="1"><Say>Hi</Say></Gather>')}
    with pytest.raises(SimulationError) as raised, simulator(routes, cps=100) as (sim, _):
        sids = [place(sim, to=f"+1555867{index:04d}").sid for index in range(40)]
        sim.run()
    assert len(raised.value.failures) == 40
    assert str(raised.value) == (
        "40 simulated call problems:\n"
        f"  40 calls ({sids[0]}, {sids[1]}, {sids[2]} and 37 more): Twilio warning 12200 "
        f"(Schema validation warning) at {VOICE} in <Gather> (line 1): <Gather> has no "
        "attribute 'numDigit' (did you mean 'numDigits'? names are case-sensitive); Twilio "
        "ignores it [https://www.twilio.com/docs/errors/12200]\n"
        "Each problem says what the simulated call did about it; pass strict=False (or "
        "allow_codes={code, ...}) to let them pass and assert that behaviour instead."
    )


def _failure(index: int, call: str = "CA1") -> CallFailure:
    return CallFailure(call, None, f"problem {index}")


def test_distinct_problems_after_the_tenth_are_counted() -> None:
    failures = [_failure(index) for index in range(12)] + [_failure(11, "CA2")]
    assert describe_failures(failures) == [
        *(f"call CA1: problem {index}" for index in range(10)),
        "... and 2 more problems (3 failures): every one is in the error's .failures and in "
        "sim.failures",
    ]
    assert describe_failures([_failure(1), _failure(1, "CA2")]) == ["2 calls (CA1, CA2): problem 1"]


def test_a_problem_one_call_met_again_and_again_counts_the_times_not_calls() -> None:
    assert describe_failures([_failure(1), _failure(1)]) == ["call CA1 (2 times): problem 1"]
    repeated = [_failure(1, call) for call in ("CA1", "CA1", "CA2", "CA3", "CA4")]
    assert describe_failures(repeated) == ["4 calls (CA1, CA2, CA3 and 1 more, 5 times): problem 1"]


def test_a_stopped_run_always_names_the_stop() -> None:
    stop = CallFailure("CA9", None, "the run was stopped after 5000 calls")
    error = RunawayCalls([*(_failure(index) for index in range(15)), stop])
    lines = str(error).splitlines()
    assert (lines[0], lines[-2], lines[-1]) == (
        "the run was stopped:",
        "  ... and 5 more problems (5 failures): every one is in the error's .failures and "
        "in sim.failures",
        "  call CA9: the run was stopped after 5000 calls",
    )


@pytest.mark.parametrize("text", ["", "plain", "a & b <c> \"d\" 'e' &amp; ]]>", "+1 (555) <x>"])
def test_twimlets_escape_text_and_attributes_as_xml_sax_does(text: str) -> None:
    from xml.sax.saxutils import escape

    from twimlsim.engine.hosted import _escape

    assert _escape(text) == escape(text)
    assert _escape(text, quote=True) == escape(text, {'"': "&quot;"})

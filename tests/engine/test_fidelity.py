"""Where twimlsim follows Twilio closely, or fails a test on a mistake Twilio would log:
content types, impossible numbers, warnings, Dial callerId, transcribeCallback, cut-off
Say, failure messages, far-end hang-ups at a place in the flow, caller location, SimCall."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.engine.helpers import base, first_voice, place, response, simulator
from tests.support import APP_URL, CALLEE, CALLER_ID, never_listened
from twimlsim import CallFailure, SimulationError, Simulator
from twimlsim.engine.events import Recorded, Said

AGENT = "+15551230000"
VOICE = f"{APP_URL}/voice"
APP_ERROR = "We are sorry, an application error has occurred. Goodbye."
THEN_APP_ERROR = (
    "twimlsim then played Twilio's application-error message and hung up, as Twilio does"
)


def action_of(call, kind):  # type: ignore[no-untyped-def]
    (request,) = [r for r in call.requests if r.kind == kind]
    return request


# -- content types -----------------------------------------------------------------------


def test_answer_without_content_type_is_12300_and_not_run() -> None:
    routes = {"/voice": lambda form: (200, [], "<Response><Say>Hi</Say></Response>")}
    with simulator(routes, strict=False) as (sim, _):  # type: ignore[arg-type]
        call = place(sim)
        sim.run()
    assert call.said == [APP_ERROR]
    assert sim.failures == [
        CallFailure(
            call.sid,
            12300,
            "the app's answer has no Content-Type header, and Twilio runs no document without "
            "one (its debugger shows 502 Bad Gateway); answer with Content-Type: text/xml; "
            + THEN_APP_ERROR,
            VOICE,
        )
    ]


def test_answer_without_content_type_goes_to_the_fallback() -> None:
    routes = {
        "/voice": lambda form: (200, [], "<Response><Say>Hi</Say></Response>"),
        "/fallback": response("<Say>Fallback</Say>"),
    }
    with simulator(routes, strict=False) as (sim, _):  # type: ignore[arg-type]
        call = place(sim, fallback_url=f"{APP_URL}/fallback")
        sim.run()
    fallback = action_of(call, "fallback")
    assert (fallback.params["ErrorCode"], fallback.params["ErrorUrl"]) == ("12300", VOICE)
    assert call.said == ["Fallback"]
    assert sim.failures[0].message.endswith(
        f"; twimlsim then requested the FallbackUrl {APP_URL}/fallback"
    )


def test_plain_text_twiml_runs_as_twiml() -> None:
    """Twilio's TwiML changelog: "If your application returns a content-type of text/plain
    but returns valid TwiML, Twilio will parse this appropriately"."""
    twiml = '<Response><Gather action="/menu"><Say>Press 1</Say></Gather></Response>'
    routes = {
        "/voice": lambda form: (200, [("Content-Type", "text/plain")], twiml),
        "/menu": response("<Say>One</Say>"),
    }
    with simulator(routes) as (sim, _):  # type: ignore[arg-type]
        sim.phone(CALLEE).presses("1")
        call = place(sim)
        sim.run()
    assert (call.said, sim.failures) == (["Press 1", "One"], [])


def test_plain_text_prose_is_read_aloud_without_a_failure() -> None:
    routes = {"/voice": lambda form: (200, [("Content-Type", "text/plain")], "Goodbye now")}
    with simulator(routes) as (sim, _):  # type: ignore[arg-type]
        call = place(sim)
        sim.run()
    assert (call.said, sim.failures) == (["Goodbye now"], [])


# -- impossible numbers in <Dial> --------------------------------------------------------


@pytest.mark.parametrize("body", ["+18667786", "<Number>+18667786</Number>"])
def test_dialled_number_that_cannot_exist_fails_its_leg_with_13224(body: str) -> None:
    routes = {"/voice": response(f'<Dial action="/dialed">{body}</Dial>')}
    with simulator(routes, strict=False) as (sim, _):
        sim.phone(AGENT)  # nobody is scripted at the impossible number
        call = place(sim)
        sim.run()
    (child,) = call.children
    assert (child.status, child.to, child.duration) == ("failed", "+18667786", 0)
    dialed = action_of(call, "dial")
    assert dialed.params == dict(
        base(sim, call, "in-progress"),
        DialBridged="false",
        DialCallDuration="0",
        DialCallSid=child.sid,
        DialCallStatus="failed",
    )
    element = "Dial" if body.startswith("+") else "Number"
    assert sim.failures == [
        CallFailure(
            call.sid,
            13224,
            "the number +18667786 cannot exist (wrong length for its country, or no such "
            "calling code); twimlsim failed its leg at once (DialCallStatus=failed). Dial a "
            "complete E.164 number",
            VOICE,
            element,
            1,
            level="warning",
        )
    ]


def test_fictional_555_numbers_are_dialled() -> None:
    with simulator({"/voice": response(f"<Dial>{AGENT}</Dial>")}) as (sim, _):
        sim.phone(AGENT).answers().hangs_up(after=3)
        call = place(sim)
        sim.run()
    assert [(c.to, c.status, c.duration) for c in call.children] == [(AGENT, "completed", 3)]


# -- warnings ----------------------------------------------------------------------------


WARNED = '<Gather numDigit="1" timeout="1"/><Frobnicate/><Say loop="two">Hi</Say>'


def test_every_warning_reaches_failures_and_fails_a_strict_test() -> None:
    with (
        pytest.raises(SimulationError) as raised,
        simulator({"/voice": response(WARNED)}) as (
            sim,
            _,
        ),
    ):
        call = place(sim)
        sim.run()
    assert [(f.code, f.level, f.element, f.line) for f in raised.value.failures] == [
        (12200, "warning", "Gather", 1),
        (12200, "warning", "Frobnicate", 1),
        (13510, "warning", "Say", 1),
    ]
    assert raised.value.failures == tuple(sim.failures)
    assert str(sim.failures[0]) == (
        f"call {call.sid}: Twilio warning 12200 (Schema validation warning) at {VOICE} in "
        "<Gather> (line 1): <Gather> has no attribute 'numDigit' (did you mean 'numDigits'? "
        "names are case-sensitive); Twilio ignores it [https://www.twilio.com/docs/errors/12200]"
    )
    assert call.said == ["Hi"]  # warnings leave the document running


def test_allowed_codes_are_recorded_but_do_not_fail() -> None:
    with simulator({"/voice": response(WARNED)}, allow_codes={12200, 13510}) as (sim, _):
        place(sim)
        sim.run()
    assert [f.code for f in sim.failures] == [12200, 12200, 13510]


def test_allow_codes_must_be_codes() -> None:
    from twimlsim import ConfigurationError, Simulator

    with pytest.raises(ConfigurationError, match="allow_codes takes Twilio error codes"):
        Simulator(allow_codes=["12200", "x"])
    assert Simulator(allow_codes=12200).allow_codes == frozenset({12200})
    assert Simulator(allow_codes=["12200", 13322]).allow_codes == frozenset({12200, 13322})


NOT_CODES = "allow_codes takes Twilio error codes such as {12200, 13322} (or one code); got "
NOT_A_CODE = "allow_codes takes Twilio error codes such as 12200; got "


@pytest.mark.parametrize(
    ("codes", "message"),
    [
        # not iterable: a raw "'NoneType' object is not iterable"
        (None, f"{NOT_CODES}None (NoneType)"),
        (12200.5, f"{NOT_CODES}12200.5 (float)"),
        # bytes were read as codes 120...; a bool as code 1; -1 was taken
        (b"x", f"{NOT_CODES}b'x' (bytes)"),
        (True, f"{NOT_CODES}True (bool)"),
        ([-1], f"{NOT_A_CODE}-1"),
        ([True], f"{NOT_A_CODE}True"),
        ([12200.0], f"{NOT_A_CODE}12200.0"),
        # a digit short or long matched no problem, and the test failed on 12200 regardless
        ([1220], f"{NOT_A_CODE}1220, which has 4 digits: Twilio's codes have five"),
        ({122000}, f"{NOT_A_CODE}122000, which has 6 digits: Twilio's codes have five"),
    ],
)
def test_allow_codes_that_are_no_codes_are_named(codes: object, message: str) -> None:
    from twimlsim import ConfigurationError, Simulator

    with pytest.raises(ConfigurationError) as refused:
        Simulator(allow_codes=codes)  # type: ignore[arg-type]
    assert str(refused.value) == message


# -- <Dial callerId> ---------------------------------------------------------------------


def test_caller_id_not_owned_nor_verified_is_13214_and_dials_nobody() -> None:
    body = f'<Dial callerId="+15550009999" action="/dialed">{AGENT}</Dial>'
    with simulator({"/voice": response(body)}, strict=False) as (sim, _):
        call = place(sim)
        sim.run()
    assert call.children == []
    assert action_of(call, "dial").params == dict(
        base(sim, call, "in-progress"),
        DialBridged="false",
        DialCallDuration="0",
        DialCallStatus="failed",
    )
    assert sim.failures == [
        CallFailure(
            call.sid,
            13214,
            f"callerId '+15550009999' is not this call's own number ({CALLER_ID} or {CALLEE}), "
            "a number the account owns or a verified caller ID; twimlsim called nobody "
            "(DialCallStatus=failed). Use one of those numbers, or verify it with "
            "sim.verified_caller_id(...)",
            VOICE,
            "Dial",
            1,
            level="warning",
        )
    ]


@pytest.mark.parametrize("written", ["500-555-0009", "5005550009", "1-500-555-0009"])
def test_caller_id_written_nationally_is_the_owned_number_it_names(written: str) -> None:
    # a call-rotation sample writes its Twilio number from a setting as 555-123-4567:
    # the REST API takes such a From as the owned number, and <Dial callerId> was 13214
    body = f'<Dial callerId="{written}" action="/dialed"><Number>555-123-0000</Number></Dial>'
    with simulator({"/voice": response(body), "/dialed": response("")}) as (sim, _):
        sim.number("+15005550009")
        sim.phone(AGENT).hangs_up(after=5)
        call = place(sim)
        sim.run()
    assert [(c.from_, c.to, c.status) for c in call.children] == [
        ("+15005550009", AGENT, "completed")
    ]
    assert action_of(call, "dial").params["DialCallStatus"] == "completed"
    assert sim.failures == []


def test_caller_id_of_a_client_callee_is_not_checked() -> None:
    body = '<Dial callerId="client:desk"><Client>agent</Client></Dial>'
    with simulator({"/voice": response(body)}) as (sim, _):
        sim.phone("client:agent").busy()
        call = place(sim)
        sim.run()
    assert [(c.from_, c.to, c.status) for c in call.children] == [
        ("client:desk", "client:agent", "busy")
    ]


# -- transcribeCallback ------------------------------------------------------------------


def test_transcribe_callback_without_transcribe_is_a_warning_and_sends_nothing() -> None:
    body = '<Record action="/done" transcribeCallback="/transcribed" maxLength="10"/>'
    with (
        pytest.raises(SimulationError) as raised,
        simulator({"/voice": response(body)}) as (
            sim,
            _,
        ),
    ):
        sim.phone(CALLEE).records(5, "#")
        call = place(sim)
        sim.run()
    assert [r.kind for r in call.requests] == ["voice", "record"]
    assert raised.value.failures == (
        CallFailure(
            call.sid,
            13614,
            'transcribeCallback="/transcribed" without transcribe="true": Twilio transcribes '
            'only with transcribe="true" (its Record page: a transcribeCallback no longer '
            "implies it), so twimlsim transcribed nothing and sent no request to the "
            'transcribeCallback; add transcribe="true", or allow code 13614 if no '
            "transcription is wanted",
            VOICE,
            "Record",
            1,
            level="warning",
        ),
    )


# -- a cut-off Say -----------------------------------------------------------------------


def test_a_say_cut_off_by_a_hang_up_is_marked_in_said_and_transcript() -> None:
    words = "one two three four five six seven eight nine ten"  # 4 s
    with simulator({"/voice": response(f"<Say>Hello</Say><Say>{words}</Say>")}) as (sim, _):
        sim.phone(CALLEE).hangs_up(after=2)
        call = place(sim)
        sim.run()
    assert call.said == ["Hello", words]
    assert [text.interrupted for text in call.said] == [False, True]
    assert repr(call.said) == f"['Hello', '{words}' (cut off)]"
    assert [e for e in call.transcript if isinstance(e, Said)][1] == Said(
        sim.clock.at(1_000_000), words, "man", "en-US", 1, interrupted=True
    )


@pytest.mark.parametrize(
    "body", ["<Say>{words}</Say>", '<Gather action="/next"><Say>{words}</Say></Gather>']
)
def test_a_say_cut_off_by_a_rest_redirect_is_marked(body: str) -> None:
    words = "one two three four five six seven eight nine ten"  # 4 s
    routes = {"/voice": response(body.format(words=words)), "/next": response("<Say>Next</Say>")}
    with simulator(routes) as (sim, _):
        call = place(sim)
        sim.advance(2)
        sim.client().calls(call.sid).update(url=f"{APP_URL}/next")
        sim.run()
    assert call.said == [words, "Next"]
    assert [text.interrupted for text in call.said] == [True, False]


@pytest.mark.parametrize(
    ("script", "cut"),
    [("barge_in", [True, False]), ("hang_up", [True]), ("after_prompts", [False])],
)
def test_gather_prompts_cut_off_by_barge_in_or_hang_up(script: str, cut: list[bool]) -> None:
    body = '<Gather numDigits="1" action="/menu"><Say>Press one for sales</Say></Gather>'
    routes = {"/voice": response(body), "/menu": response("<Say>Sales</Say>")}
    with simulator(routes) as (sim, _):
        phone = sim.phone(CALLEE)
        if script == "barge_in":
            phone.presses("1", barge_in=True)
        elif script == "hang_up":
            phone.hangs_up(after=1)
        call = place(sim)
        sim.run()
    assert [text.interrupted for text in call.said] == cut


# -- failure messages say what twimlsim did ----------------------------------------------


def test_not_simulated_failure_says_what_twimlsim_did() -> None:
    body = "<Connect><Room>support</Room></Connect><Say>After</Say>"
    with (
        pytest.raises(SimulationError) as raised,
        simulator({"/voice": response(body)}) as (
            sim,
            _,
        ),
    ):
        call = place(sim)
        sim.run()
    assert str(raised.value) == (
        "1 simulated call problem:\n"
        f"  call {call.sid} at {VOICE} in <Connect> (line 1): <Connect><Room> is not simulated "
        "by twimlsim yet; the verb was skipped\n"
        "Each problem says what the simulated call did about it; pass strict=False (or "
        "allow_codes={code, ...}) to let them pass and assert that behaviour instead. A "
        "problem without a Twilio code (one twimlsim does not simulate) passes only with "
        "strict=False."
    )
    assert call.said == ["After"]


def test_a_status_callback_that_raises_is_told_to_fix_the_error_first() -> None:
    app = Flask("crashing")
    app.post("/voice")(lambda: "<Response><Say>Hi</Say></Response>")

    @app.post("/status")
    def status() -> str:
        raise KeyError("CallDuration")

    with Simulator(strict=False) as sim:
        sim.route(APP_URL, app)
        sim.number(CALLER_ID)
        sim.client().calls.create(
            to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice", status_callback=f"{APP_URL}/status"
        )
        sim.run()
    (failure,) = sim.failures
    assert (failure.code, failure.level, failure.url) == (15003, "warning", f"{APP_URL}/status")
    assert failure.message == (
        "the status webhook answered HTTP 500; it raised KeyError: 'CallDuration'; its body: "
        "'500 Internal Server Error Internal Server Error The server encountered an internal "
        "error and was unable to complete your request. Either the server is overloaded or "
        "there is an error in the application.'; twimlsim went on, as Twilio does: this "
        "webhook's answer cannot change the call. Fix the error it raised, then answer 204, or "
        "200 with an empty <Response/>"
    )


def test_a_failing_status_callback_says_the_call_went_on() -> None:
    routes = {
        "/voice": response("<Say>Hi</Say>"),
        "/status": lambda form: (500, [("Content-Type", "text/plain")], "boom"),
    }
    with simulator(routes, strict=False) as (sim, _):  # type: ignore[arg-type]
        call = place(sim, status_callback=f"{APP_URL}/status")
        sim.run()
    assert (call.status, call.said) == ("completed", ["Hi"])
    assert sim.failures == [
        CallFailure(
            call.sid,
            15003,
            "the status webhook answered HTTP 500; its body: 'boom'; hint: the app logged no "
            "exception; its own log may say more; twimlsim went on, as Twilio does: this "
            "webhook's answer cannot change the call. Answer 204, or 200 with an empty "
            "<Response/>",
            f"{APP_URL}/status",
            level="warning",
        )
    ]


def test_default_time_limit_names_the_far_end_that_never_hangs_up() -> None:
    with simulator({"/voice": response("<Say>Echo test</Say><Echo/>")}, strict=False) as (
        sim,
        _,
    ):
        call = sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        sim.run()
    assert (call.status, call.duration) == ("completed", 14400)
    assert sim.failures == [
        CallFailure(
            call.sid,
            32015,
            "the call reached the default time limit of 14400 s of virtual time and twimlsim "
            "ended it: its TwiML was still running (an <Echo>, which lasts until someone "
            f"hangs up) and its far end {CALLEE} has no hang-up scripted (an unscripted number "
            f"never hangs up first): script sim.phone('{CALLEE}').hangs_up(after=N), or let "
            "the TwiML end",
            VOICE,
            "Echo",
            1,
            level="warning",
        )
    ]


# -- hanging up at a place in the flow ---------------------------------------------------


VOICEMAIL = response(
    "<Say>You have reached the sales team voicemail, leave a message</Say>"  # 4 s
    '<Record action="/saved" maxLength="60"/>'
)


def test_records_then_hangs_up_mid_voicemail() -> None:
    with simulator({"/voice": VOICEMAIL}) as (sim, _):
        sim.phone(CALLEE).records(7, hangs_up=True)
        call = place(sim)
        sim.run()
    (recording,) = call.recordings
    saved = action_of(call, "record")
    assert (saved.at, saved.params["Digits"], saved.params["RecordingDuration"]) == (
        sim.clock.at(11_000_000),
        "hangup",
        "7",
    )
    assert saved.params["CallStatus"] == "completed"
    assert (call.status, call.duration, recording.duration) == ("completed", 11, 7)
    assert [e for e in call.transcript if isinstance(e, Recorded)] == [
        Recorded(sim.clock.at(11_000_000), recording.sid, 7, "hangup")
    ]


def test_hangs_up_at_wait_counts_from_the_wait_it_reaches() -> None:
    routes = {
        "/voice": response(
            '<Gather numDigits="1" action="/menu" timeout="10"><Say>Press one now</Say></Gather>'
        ),
        "/menu": VOICEMAIL,
    }
    with simulator(routes) as (sim, _):
        sim.phone(CALLEE).presses("1").hangs_up_at_wait(after=3)
        call = place(sim)
        sim.run()
    # 2 s of prompt, the key, 4 s of greeting, then 3 s into the recording
    saved = action_of(call, "record")
    assert (saved.at, saved.params["Digits"], saved.params["RecordingDuration"]) == (
        sim.clock.at(9_000_000),
        "hangup",
        "3",
    )
    assert call.duration == 9


@pytest.mark.parametrize(("barge_in", "ended_at"), [(False, 3), (True, 1)])
def test_hangs_up_at_wait_in_a_gather(barge_in: bool, ended_at: int) -> None:
    body = '<Gather numDigits="1" action="/menu"><Say>Press one for sales</Say></Gather>'
    with simulator({"/voice": response(body)}) as (sim, _):
        sim.phone(CALLEE).hangs_up_at_wait(after=1, barge_in=barge_in)
        call = place(sim)
        sim.run()
    assert (call.status, call.duration) == ("completed", ended_at)
    assert [r.kind for r in call.requests] == ["voice"]  # no Gather action after a hang-up
    assert call.said[0].interrupted is barge_in


def test_unreached_place_steps_are_named() -> None:
    from twimlsim import ConfigurationError

    with (
        pytest.raises(ConfigurationError) as raised,
        simulator({"/voice": response("<Say>Hi</Say>")}) as (sim, _),
    ):
        sim.phone(CALLEE).records(4, hangs_up=True).hangs_up_at_wait(after=2, barge_in=True)
        place(sim)
        sim.run()
    assert str(raised.value).startswith(
        f"scripted far-end steps were never reached: sim.phone('{CALLEE}').records(4, "
        f"hangs_up=True); sim.phone('{CALLEE}').hangs_up_at_wait(after=2, barge_in=True); "
        f"{never_listened(CALLEE)}. "
    )


def test_records_takes_a_key_or_a_hang_up() -> None:
    from twimlsim import Simulator

    with pytest.raises(ValueError) as refused:
        Simulator().phone(CALLEE).records(3, "#", hangs_up=True)
    assert str(refused.value) == (
        f"sim.phone({CALLEE!r}).records(): got key='#' and hangs_up=True, which cannot both "
        "end the recording; give key to press it after talking, or hangs_up=True to hang up"
    )


# -- caller location ---------------------------------------------------------------------


def test_phones_and_numbers_can_be_located() -> None:
    with simulator({"/voice": response("<Say>Hi</Say>")}) as (sim, _):
        sim.phone(CALLEE).located(city="CHICAGO", state="IL", zip="60601")
        sim.phone(CALLER_ID).located(city="SAN FRANCISCO", state="CA", zip="94105")
        call = sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        sim.run()
    located = {
        "CallerCity": "CHICAGO",
        "CallerState": "IL",
        "CallerZip": "60601",
        "FromCity": "CHICAGO",
        "FromState": "IL",
        "FromZip": "60601",
        "CalledCity": "SAN FRANCISCO",
        "CalledState": "CA",
        "CalledZip": "94105",
        "ToCity": "SAN FRANCISCO",
        "ToState": "CA",
        "ToZip": "94105",
    }
    expected = first_voice(sim, call)
    assert call.requests[0].params == dict(expected, **located)


def test_a_located_country_overrides_the_calling_code() -> None:
    with simulator({"/voice": response("<Say>Hi</Say>")}) as (sim, _):
        sim.phone(CALLEE).located(country="CA")
        call = place(sim)
        sim.run()
    params = call.requests[0].params
    assert [params[k] for k in ("ToCountry", "CalledCountry", "FromCountry")] == ["CA", "CA", "US"]
    assert [params[k] for k in ("ToCity", "ToState", "ToZip")] == ["", "", ""]


# -- SimCall's own facts -----------------------------------------------------------------


def test_sim_call_exposes_the_calls_own_facts() -> None:
    body = f"<Dial>{AGENT}</Dial>"
    with simulator({"/voice": response(body)}) as (sim, _):
        sim.phone(CALLEE).machine("machine_end_beep", after=2)
        sim.phone(AGENT).answers(after=1).hangs_up(after=4)
        call = place(sim, machine_detection="DetectMessageEnd")
        sim.run()
    (child,) = call.children
    at = sim.clock.at
    assert (
        call.to,
        call.from_,
        call.direction,
        call.answered_by,
        call.start_time,
        call.end_time,
        call.parent_call_sid,
    ) == (CALLEE, CALLER_ID, "outbound-api", "machine_end_beep", at(0), at(10_000_000), None)
    assert (
        child.to,
        child.from_,
        child.direction,
        child.answered_by,
        child.start_time,
        child.end_time,
        child.parent_call_sid,
    ) == (AGENT, CALLER_ID, "outbound-dial", None, at(5_000_000), at(10_000_000), call.sid)


def test_the_far_end_of_a_queued_call_cannot_hang_up_yet() -> None:
    from twimlsim import ConfigurationError

    with simulator({"/voice": response("<Say>Hi</Say>")}) as (sim, _):
        place(sim)
        queued = place(sim)  # one call a second: this one waits its turn
        with pytest.raises(ConfigurationError) as raised:
            queued.hangup()
        sim.run()
    assert str(raised.value) == (
        f"call {queued.sid} is still queued: its far end has not been called yet, so it "
        "cannot hang up; run the call until it rings (call.run()), or cancel it through "
        "the REST API (Status=canceled)"
    )
    assert (queued.status, queued.said) == ("completed", ["Hi"])


@pytest.mark.parametrize(("talk", "seconds"), [(2, 2), (1.5, 2), (130, 120)])
def test_a_transcribed_recording_out_of_range_is_13617_and_sends_nothing(
    talk: float, seconds: int
) -> None:
    body = (
        '<Record action="/done" transcribe="true" transcribeCallback="/transcribed" '
        'maxLength="120"/>'
    )
    with simulator({"/voice": response(body)}, strict=False) as (sim, _):
        sim.phone(CALLEE).records(talk, "#")
        call = place(sim)
        sim.run()
    assert [r.kind for r in call.requests] == ["voice", "record"]
    assert call.recordings[0].duration == seconds
    assert sim.failures == [
        CallFailure(
            call.sid,
            13617,
            f'transcribe="true" on a recording of {seconds} s: Twilio transcribes only '
            "recordings over 2 and under 120 seconds, so twimlsim transcribed nothing and "
            "sent no request to the transcribeCallback; give <Record> a maxLength under "
            "120, or allow code 13617 when callers may be this brief",
            VOICE,
            "Record",
            1,
            level="warning",
        ),
    ]


def test_a_transcribed_recording_just_over_two_seconds_is_transcribed() -> None:
    body = '<Record action="/done" transcribe="true" transcribeCallback="/transcribed"/>'
    with simulator({"/voice": response(body)}) as (sim, _):
        sim.phone(CALLEE).records(2.5, "#")
        call = place(sim)
        sim.run()
    assert [r.kind for r in call.requests] == ["voice", "record", "transcription"]
    assert sim.failures == []

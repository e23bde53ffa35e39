"""The far end: scripts consumed in order, step-by-step driving, strict unused steps."""

from __future__ import annotations

from typing import Any

import pytest

from tests.engine.helpers import base, completed, place, response, simulator
from tests.support import APP_URL, CALLEE, never_listened
from twimlsim import ConfigurationError, SimulationError, Simulator
from twimlsim.engine.events import DigitsSent
from twimlsim.engine.session import SimCall


def create(sim: Simulator, **options: Any) -> SimCall:
    """Create a call through the real twilio client, with REST create options."""
    if "async_amd" in options:  # the client sends this one as the string it is given
        options["async_amd"] = str(options["async_amd"]).lower()
    return place(sim, **options)


MENU = response('<Gather numDigits="1" action="/menu"><Say>Choose</Say></Gather>')


def test_inputs_are_consumed_one_per_wait() -> None:
    routes = {"/voice": MENU, "/menu": MENU}
    with simulator(routes) as (sim, _):
        sim.phone(CALLEE).presses("1").presses("2").silence()
        call = place(sim)
        sim.run()
    digits = [r.params.get("Digits") for r in call.requests]
    assert digits == [None, "1", "2"]
    assert all(step.used for step in sim.phone(CALLEE).steps)


def test_unused_steps_fail_strict_mode_naming_them() -> None:
    routes = {"/voice": response("<Say>Hi</Say>")}
    with pytest.raises(ConfigurationError) as raised, simulator(routes) as (sim, _):
        sim.phone(CALLEE).presses("1").says("sales", confidence=0.5)
        place(sim)
        sim.run()
    assert str(raised.value) == (
        f"scripted far-end steps were never reached: sim.phone('{CALLEE}').presses('1'); "
        f"sim.phone('{CALLEE}').says('sales', confidence=0.5); {never_listened(CALLEE)}. "
        "Remove them, or pass strict=False to allow unused steps."
    )


def test_words_scripted_for_a_pause_under_a_transcription_say_where_input_is_given() -> None:
    # Twilio's <Start><Transcription> page starts a transcription and lets the caller talk;
    # a caller scripted says(...) under a <Pause> was only "never reached"
    listen = response(
        '<Start><Transcription statusCallbackUrl="https://app.test/t"/></Start>'
        '<Say>Hello, what can I do for you?</Say><Pause length="10"/>'
    )
    with pytest.raises(ConfigurationError) as raised, simulator({"/voice": listen}) as (sim, _):
        sim.phone(CALLEE).says("I need help with my order")
        place(sim)
        sim.run()
    assert str(raised.value) == (
        f"scripted far-end steps were never reached: sim.phone('{CALLEE}')"
        f".says('I need help with my order', confidence=0.9); {never_listened(CALLEE)}. "
        "Remove them, or pass strict=False to allow unused steps."
    )


def test_a_script_written_after_the_call_ended_is_named_as_late() -> None:
    with pytest.raises(ConfigurationError) as raised, simulator({"/voice": MENU}) as (sim, _):
        place(sim)
        sim.run()
        sim.phone(CALLEE).presses("1")
        sim.run()
    assert str(raised.value) == (
        f"scripted far-end steps were never reached: sim.phone('{CALLEE}').presses('1'); "
        f"{CALLEE} was scripted after its calls had ended: script a far end before sim.run() "
        "runs its call, or drive the call by hand with call.run() and call.press(...). "
        "Remove them, or pass strict=False to allow unused steps."
    )


def test_inputs_after_a_hang_up_that_came_first_name_where_it_counts_from() -> None:
    # a voicemail sample's caller scripted records(8).hangs_up(): the hang-up counts from
    # the answer and cut the greeting, and the error only named records(8)
    voicemail = response("<Play>https://cdn.test/greeting.mp3</Play><Record/>")
    with pytest.raises(ConfigurationError) as raised, simulator({"/voice": voicemail}) as (sim, _):
        sim.phone(CALLEE).records(8).hangs_up()
        place(sim)
        sim.run()
    assert str(raised.value) == (
        f"scripted far-end steps were never reached: sim.phone('{CALLEE}').records(8); "
        f"{CALLEE} hung up first, by its hangs_up(after=0), which counts from the answer, "
        "not from the step before it: to hang up once an input is given, write "
        "records(..., hangs_up=True), or hangs_up_at_wait(after=...) in order with the "
        "inputs. Remove them, or pass strict=False to allow unused steps."
    )


@pytest.mark.parametrize(
    ("keys", "advice"),
    [
        (
            "#",
            f"; {CALLEE}'s presses('#') after its records(4) waits for the next <Gather>, not "
            "for the <Record>, which ended without a key: to end the recording with a key, "
            "write records(4, '#')",
        ),
        ("12", ""),  # no single key a <Record> could end on
    ],
)
def test_a_key_scripted_after_a_recording_without_one_says_records_takes_the_key(
    keys: str, advice: str
) -> None:
    # a voicemail caller scripted records(4).presses('#') to end the message with '#': the
    # recording ended on silence and the error named only presses('#')
    pages = {"/voice": response('<Record action="/saved"/>'), "/saved": response("<Hangup/>")}
    with pytest.raises(ConfigurationError) as raised, simulator(pages) as (sim, _):
        sim.phone(CALLEE).records(4).presses(keys)
        place(sim)
        sim.run()
    assert str(raised.value) == (
        f"scripted far-end steps were never reached: sim.phone('{CALLEE}').presses({keys!r})"
        f"{advice}. Remove them, or pass strict=False to allow unused steps."
    )


def test_a_script_for_a_number_no_call_had_names_the_numbers_the_calls_had() -> None:
    with pytest.raises(ConfigurationError) as raised, simulator({"/voice": MENU}) as (sim, _):
        sim.phone("+15558675311").presses("1")
        place(sim)
        sim.run()
    assert str(raised.value) == (
        "scripted far-end steps were never reached: sim.phone('+15558675311').presses('1'); "
        f"no call was from or to +15558675311; the calls were from or to {CALLEE}, "
        "+15005550006. Remove them, or pass strict=False to allow unused steps."
    )


def test_unscripted_far_end_is_silent_and_never_hangs_up() -> None:
    with simulator({"/voice": MENU}) as (sim, _):
        call = place(sim)
        sim.run()
    assert (call.status, call.duration) == ("completed", 6)  # 1 s prompt + 5 s timeout


def test_step_by_step_stops_at_each_wait() -> None:
    with simulator({"/voice": MENU, "/menu": response("<Say>Thanks</Say>")}) as (sim, _):
        call = place(sim)
        assert call.run() is call
        waiting = call.waiting_for
        assert waiting is not None
        assert (waiting.verb, waiting.input, waiting.timeout) == ("Gather", ("dtmf",), 5.0)
        assert call.said == ["Choose"]
        assert sim.now == sim.clock.at(1_000_000)
        call.press("4")
        assert call.waiting_for is None
        call.run()
        assert call.ended
    assert call.requests[1].params["Digits"] == "4"


def test_advance_lets_a_timeout_fall_due() -> None:
    routes = {"/voice": response('<Gather action="/menu"><Say>Choose</Say></Gather><Say>Bye</Say>')}
    with simulator(routes) as (sim, _):
        call = place(sim).run()
        sim.advance(4)
        assert call.waiting_for is not None
        sim.advance(1)
        assert call.waiting_for is None
        assert call.said == ["Choose", "Bye"]
        sim.run()


def test_hangup_by_hand_and_input_when_not_waiting() -> None:
    with simulator({"/voice": MENU}, strict=True) as (sim, _):
        call = place(sim).run()
        call.hangup().run()
        assert call.status == "completed"
        with pytest.raises(ConfigurationError) as raised:
            call.press("1")
        assert str(raised.value) == (
            f"call {call.sid} has ended (status completed) and takes no more input: sim.run() "
            "runs every call to its end; to drive a call by hand, call.run() stops where it "
            "waits for input (call.waiting_for), then give it (call.press(...), "
            "call.say(...)); or script the far end before it runs "
            "(sim.phone(number).presses(...))"
        )
        with pytest.raises(ConfigurationError) as raised:
            call.hangup()
        assert str(raised.value) == (
            f"call.hangup(): call {call.sid} has already ended (completed), so there is "
            "nothing to hang up; its last transcript event says who ended it"
        )


def test_time_moving_back_says_what_advance_takes() -> None:
    with simulator({}) as (sim, _), pytest.raises(ConfigurationError) as raised:
        sim.advance(-1)
    assert str(raised.value) == (
        "time only moves forward: sim.advance() takes 0 or more seconds, got advance(-1)"
    )


def test_hangs_up_timer_is_armed_at_the_answer() -> None:
    with simulator({"/voice": response('<Pause length="100"/>')}) as (sim, _):
        sim.phone(CALLEE).hangs_up(after=10).answers(after=5)
        call = place(sim)
        sim.run()
    assert call.duration == 10
    assert call.record.end_time == sim.clock.at(15_000_000)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda p: p.presses("x"),
            "sim.phone('+15558675310').presses(): digits must be keys 0-9, *, #, A-D "
            "(w/W pause); got 'x'",
        ),
        (
            lambda p: p.says("a", confidence=2),
            "sim.phone('+15558675310').says(): confidence must be between 0.0 and 1.0, got 2",
        ),
        (
            lambda p: p.answers(after=-1),
            "sim.phone('+15558675310').answers(): after must be 0 or more seconds; got -1",
        ),
        (
            lambda p: p.machine(answered_by="robot"),
            "sim.phone('+15558675310').machine(): answered_by must be one of fax, human, "
            "machine_end_beep, machine_end_other, machine_end_silence, machine_start, unknown; "
            "got 'robot'",
        ),
    ],
)
def test_bad_script_steps_are_refused(make: object, message: str) -> None:
    sim = Simulator()
    with pytest.raises(ValueError) as raised:
        make(sim.phone(CALLEE))  # type: ignore[operator]
    assert str(raised.value) == message


def test_machine_answers_and_sync_amd_reports_it() -> None:
    with simulator({"/voice": response("<Hangup/>")}) as (sim, _):
        sim.phone(CALLEE).machine(answered_by="machine_end_beep")
        call = create(
            sim, machine_detection="DetectMessageEnd", status_callback=f"{APP_URL}/status"
        )
        sim.run()
    voice, status = call.requests
    assert voice.at == sim.clock.at(3_000_000)
    assert voice.params == dict(
        base(sim, call, "in-progress"),
        AnsweredBy="machine_end_beep",
        MachineDetectionDuration="3000",
    )
    assert status.params == completed(sim, call, 3, AnsweredBy="machine_end_beep")
    assert call.record.answered_by == "machine_end_beep"


@pytest.mark.parametrize(
    ("mode", "scripted", "reported"),
    [
        ("DetectMessageEnd", "machine_start", "machine_end_beep"),
        ("Enable", "machine_end_silence", "machine_start"),
        ("Enable", "fax", "fax"),
        ("DetectMessageEnd", "machine_end_other", "machine_end_other"),
    ],
)
def test_a_machine_is_reported_in_the_words_of_the_detection_mode(
    mode: str, scripted: str, reported: str
) -> None:
    """Twilio's AnsweredBy values differ by mode; a script written for the other mode
    reported a value Twilio never sends in this one (machine_start with DetectMessageEnd)."""
    with simulator({"/voice": response("<Hangup/>")}) as (sim, _):
        sim.phone(CALLEE).machine(answered_by=scripted)
        call = create(sim, machine_detection=mode)
        sim.run()
    assert call.requests[0].params["AnsweredBy"] == reported
    assert call.record.answered_by == reported


@pytest.mark.parametrize("value", ["true", "false"])
def test_a_machine_detection_value_twilio_does_not_name_places_the_call_undetected(
    value: str,
) -> None:
    """Twilio placed a call created with MachineDetection=true (a 2025 sample's notebook
    shows it queued, then in progress): no 400; only Enable and DetectMessageEnd detect,
    and warning 21234 says the app will get no AnsweredBy."""
    with simulator({"/voice": response("<Hangup/>")}, strict=False) as (sim, _):
        call = create(sim, machine_detection=value, status_callback=f"{APP_URL}/status")
        sim.run()
    assert (call.api_requests[0].kind, call.api_requests[0].status) == ("calls.create", 201)
    voice, status = call.requests
    assert (voice.at, voice.params) == (sim.clock.at(0), base(sim, call, "in-progress"))
    assert status.params == completed(sim, call, 0)
    assert call.record.answered_by is None
    assert [(f.call_sid, f.code, f.level, f.url, f.message) for f in sim.failures] == [
        (
            call.sid,
            21234,
            "warning",
            None,
            f"MachineDetection {value!r} is not one of Twilio's values (Enable, "
            "DetectMessageEnd): the call was placed without answering machine detection, "
            "so no AnsweredBy reaches the app (what Twilio does with it is not documented); "
            "pass Enable, or DetectMessageEnd to wait for the end of a greeting, or allow "
            "code 21234",
        )
    ]


@pytest.mark.parametrize("value", ["Enable", "DetectMessageEnd", ""])
def test_machine_detection_twilio_names_or_leaves_empty_warns_of_nothing(value: str) -> None:
    with simulator({"/voice": response("<Hangup/>")}) as (sim, _):
        create(sim, machine_detection=value)
        sim.run()
    assert sim.failures == []


def test_an_allowed_21234_lets_a_sample_writing_machine_detection_true_pass() -> None:
    with simulator({"/voice": response("<Hangup/>")}, allow_codes={21234}) as (sim, _):
        call = create(sim, machine_detection="true")
        sim.run()
    assert (call.status, [f.code for f in sim.failures]) == ("completed", [21234])


def test_async_amd_posts_the_result() -> None:
    with simulator({"/voice": response('<Pause length="10"/>')}) as (sim, _):
        call = create(
            sim,
            machine_detection="Enable",
            async_amd=True,
            async_amd_status_callback=f"{APP_URL}/amd",
            status_callback=f"{APP_URL}/status",
        )
        sim.run()
    assert [r.kind for r in call.requests] == ["voice", "amd", "status"]
    assert call.requests[0].params == base(sim, call, "in-progress")
    assert call.requests[2].params == completed(sim, call, 10, AnsweredBy="human")
    assert call.requests[1].params == {
        "AccountSid": sim.account_sid,
        "AnsweredBy": "human",
        "CallSid": call.sid,
        "MachineDetectionDuration": "3000",
    }
    assert call.requests[1].at == sim.clock.at(3_000_000)


def test_an_async_amd_callback_without_async_amd_gets_nothing_the_url_gets_the_result() -> None:
    # standard detection sends the result with the call's Url request only
    with simulator({"/voice": response('<Pause length="10"/>')}) as (sim, _):
        sim.phone(CALLEE).machine("machine_end_beep")
        call = create(sim, machine_detection="Enable", async_amd_status_callback=f"{APP_URL}/amd")
        sim.run()
    assert [(r.kind, r.url) for r in call.requests] == [("voice", f"{APP_URL}/voice")]
    assert call.requests[0].params == {
        **base(sim, call, "in-progress"),
        "AnsweredBy": "machine_start",
        "MachineDetectionDuration": "3000",
    }
    assert (call.record.answered_by, call.record.duration, sim.failures) == (
        "machine_start",
        13,
        [],
    )


def test_an_async_amd_callback_answering_twiml_is_told_twilio_runs_none_of_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # an outbound dialler answers <Hangup/> to a machine from its AMD callback: on Twilio
    # the call goes on with its own TwiML (the 10 s pause), as here
    routes = {
        "/voice": response('<Pause length="10"/>'),
        "/amd": response("<Hangup/>"),
    }
    with caplog.at_level("WARNING", logger="twimlsim.engine"), simulator(routes) as (sim, _):
        sim.phone(CALLEE).machine("machine_start")
        call = create(
            sim,
            machine_detection="Enable",
            async_amd=True,
            async_amd_status_callback=f"{APP_URL}/amd",
        )
        sim.run()
    assert (call.status, call.record.duration, sim.failures) == ("completed", 10, [])
    assert [(r.name, r.levelname, r.getMessage()) for r in caplog.records] == [
        (
            "twimlsim.engine",
            "WARNING",
            f"call {call.sid}: the asynchronous AMD callback {APP_URL}/amd answered TwiML "
            "(<Hangup>), which Twilio does not run: a callback's answer never changes the "
            "call, whose own TwiML goes on; to act on AnsweredBy, update the call from the "
            "callback (calls(sid).update(twiml=...) or url=...)",
        )
    ]


@pytest.mark.parametrize("answer", ["", "<Response/>", "<Response>\n</Response>", "ok"])
def test_an_async_amd_callback_answering_no_verb_logs_nothing(
    answer: str, caplog: pytest.LogCaptureFixture
) -> None:
    routes = {"/voice": response('<Pause length="10"/>'), "/amd": answer}
    with caplog.at_level("WARNING", logger="twimlsim.engine"), simulator(routes) as (sim, _):
        call = create(
            sim,
            machine_detection="Enable",
            async_amd=True,
            async_amd_status_callback=f"{APP_URL}/amd",
        )
        sim.run()
    assert [r.kind for r in call.requests] == ["voice", "amd"]
    assert caplog.records == []


def test_async_amd_without_a_callback_is_warning_21262() -> None:
    """Twilio's 21262 page: AMD enabled with no AMD status callback URL; "AMD results
    will still be available in the /Calls resource"."""
    with simulator({"/voice": response('<Pause length="10"/>')}, allow_codes={21262}) as (
        sim,
        _,
    ):
        sim.phone(CALLEE).machine("machine_start")
        call = create(sim, machine_detection="Enable", async_amd=True)
        sim.run()
        answered_by = sim.client().calls(call.sid).fetch().answered_by
    assert answered_by == "machine_start"
    assert [r.kind for r in call.requests] == ["voice"]
    assert [(f.call_sid, f.code, f.level) for f in sim.failures] == [(call.sid, 21262, "warning")]
    assert sim.failures[0].message == (
        "asynchronous answering machine detection found 'machine_start' but the call has no "
        "AMD status callback URL to send it to (the result is only in the call's "
        "answered_by); give AsyncAmdStatusCallback (amdStatusCallback on <Number>/<Sip>, "
        "AmdStatusCallback on a participant), or allow code 21262"
    )


def test_strict_mode_fails_async_amd_without_a_callback() -> None:
    routes = {"/voice": response('<Pause length="10"/>')}
    with (
        pytest.raises(SimulationError, match="Twilio warning 21262"),
        simulator(routes) as (
            sim,
            _,
        ),
    ):
        create(sim, machine_detection="Enable", async_amd=True)
        sim.run()


def test_send_digits_on_answer() -> None:
    with simulator({"/voice": response("<Hangup/>")}) as (sim, _):
        call = create(sim, send_digits="1234#")
        sim.run()
    assert call.transcript[1] == DigitsSent(sim.clock.at(0), "1234#")
    assert call.requests[0].at == sim.clock.at(2_500_000)


def test_record_option_records_the_whole_call() -> None:
    with simulator({"/voice": response('<Pause length="20"/>')}) as (sim, _):
        call = create(
            sim,
            record=True,
            recording_channels="dual",
            status_callback=f"{APP_URL}/status",
            recording_status_callback=f"{APP_URL}/rec",
        )
        sim.run()
    (recording,) = call.recordings
    url = f"https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}/Recordings/{recording.sid}"
    status, callback = call.requests[1:]
    assert status.params == completed(
        sim, call, 20, RecordingDuration="20", RecordingSid=recording.sid, RecordingUrl=url
    )
    assert callback.params == {
        "AccountSid": sim.account_sid,
        "CallSid": call.sid,
        "ErrorCode": "0",
        "RecordingChannels": "2",
        "RecordingDuration": "20",
        "RecordingSid": recording.sid,
        "RecordingSource": "OutboundAPI",
        "RecordingStartTime": "Thu, 01 Jan 2026 09:00:00 +0000",
        "RecordingStatus": "completed",
        "RecordingTrack": "both",
        "RecordingUrl": url,
    }


def test_time_limit_option_ends_the_call() -> None:
    with simulator({"/voice": response('<Pause length="100"/>')}) as (sim, _):
        call = create(sim, time_limit=30)
        sim.run()
    assert (call.status, call.duration) == ("completed", 30)
    assert call.transcript[-1].by == "time-limit"  # type: ignore[attr-defined]


def test_input_scripted_while_a_call_waits_is_given_when_it_runs_again() -> None:
    routes = {"/voice": MENU, "/menu": response("<Say>Thanks</Say>")}
    with simulator(routes) as (sim, _):
        sim.phone(CALLEE).presses("1")
        scripted_first = place(sim)
        sim.run()
    with simulator(routes) as (sim, _):
        call = place(sim).run()
        assert call.waiting_for is not None  # nothing scripted: it waits on the test
        sim.phone(CALLEE).presses("1")
        sim.run()
    assert call.said == ["Choose", "Thanks"]
    assert [(r.url, r.params.get("Digits"), r.at) for r in call.requests] == [
        (r.url, r.params.get("Digits"), r.at) for r in scripted_first.requests
    ]


def test_call_run_takes_input_scripted_while_it_waits_too() -> None:
    with simulator({"/voice": MENU, "/menu": MENU}) as (sim, _):
        call = place(sim).run()
        sim.phone(CALLEE).presses("2")
        call.run()  # the input is given, and the call waits at the next Gather
        assert [r.params.get("Digits") for r in call.requests] == [None, "2"]
        assert call.waiting_for is not None
        call.hangup().run()


def test_waits_that_ended_on_their_own_are_dropped_as_more_calls_wait() -> None:
    with simulator({"/voice": MENU}, cps=1000, strict=False) as (sim, _):
        for index in range(100):  # each waits on the test, then times out
            place(sim, to=f"+1555867{index:04d}").run()
            sim.advance(10)
        waits = sim.engine.waits_on_test
        assert len(waits._calls) <= 64 + 1  # compacted, not one per call ever made


def test_input_a_gather_cannot_take_is_refused_when_given_by_hand() -> None:
    with simulator({"/voice": MENU}) as (sim, _):
        call = place(sim).run()
        with pytest.raises(ConfigurationError) as raised:
            call.say("sales")
        assert str(raised.value) == (
            f"call.say('sales'): call {call.sid} waits at a <Gather input=\"dtmf\">, which "
            "takes no speech: Twilio would ignore it and the Gather would time out; give what "
            "it takes (call.press(...)), call.silence() to let it time out, or add speech to "
            "the Gather's input in the app"
        )
        call.press("1").run()  # nothing was given: the call still takes the keys
        assert call.requests[-1].params["Digits"] == "1"


def test_talking_into_a_record_at_a_gather_is_refused_when_given_by_hand() -> None:
    """call.records() at a <Gather> was taken and lost: the Gather timed out, and nothing
    said the test had talked into a Record that was not there."""
    with simulator({"/voice": MENU}) as (sim, _):
        call = place(sim).run()
        with pytest.raises(ConfigurationError) as raised:
            call.records(3, text="hello")
        assert str(raised.value) == (
            f'call.records(3): call {call.sid} waits at a <Gather input="dtmf">, not a '
            "<Record>: records() talks into a Record; give the Gather what it takes "
            "(call.press(...)), or call.silence() to let it time out"
        )
        call.press("1").run()  # nothing was given: the call still takes the keys
        assert call.requests[-1].params["Digits"] == "1"


def test_an_answer_scripted_for_the_caller_of_an_inbound_call_says_a_caller_answers_nothing() -> (
    None
):
    with pytest.raises(ConfigurationError) as raised, simulator({"/voice": MENU}) as (sim, _):
        sim.number("+15005550007", voice_url=f"{APP_URL}/voice")
        sim.phone(CALLEE).answers(after=3).presses("1")
        sim.incoming_call(from_=CALLEE, to="+15005550007")
        sim.run()
    assert str(raised.value) == (
        f"scripted far-end steps were never reached: sim.phone('{CALLEE}').answers(after=3); "
        f"{CALLEE} only placed calls (it is the caller of an inbound call), and answers() "
        "scripts a party that is called: a caller answers nothing. Remove them, or pass "
        "strict=False to allow unused steps."
    )


def test_a_script_in_a_test_that_made_no_call_says_no_call_was_made() -> None:
    with pytest.raises(ConfigurationError) as raised, simulator({"/voice": MENU}) as (sim, _):
        sim.phone(CALLEE).presses("1")
        sim.run()
    assert str(raised.value) == (
        f"scripted far-end steps were never reached: sim.phone('{CALLEE}').presses('1'); "
        f"no call was made, so {CALLEE} was never called: place the call (the app's code, "
        "sim.client().calls.create(...) or sim.incoming_call(...)) and sim.run() before the "
        "test ends. Remove them, or pass strict=False to allow unused steps."
    )

"""A call cannot run forever: Redirect loops, Gather loops, time limits; long calls are cheap."""

from __future__ import annotations

import time

from tests.engine.helpers import place, response, simulator
from tests.support import CALLEE, CALLER_ID
from twimlsim.engine.interpreter import MAX_DOCUMENTS_PER_CALL


def test_gather_loop_is_stopped_at_the_document_limit() -> None:
    routes = {"/voice": response('<Gather timeout="1"/><Redirect>/voice</Redirect>')}
    with simulator(routes, strict=False) as (sim, _):
        call = place(sim)
        sim.run()
    assert len(call.requests) == MAX_DOCUMENTS_PER_CALL
    assert call.status == "completed"
    assert str(sim.failures[0]) == (
        f"call {call.sid} at https://app.test/voice in <Redirect> (line 1): 1000 documents "
        "fetched on one call (a <Gather> loop? the far end gave no input at any <Gather>: "
        "script it before the "
        f"call runs (sim.phone('{CALLEE}').presses('1')), and its hang-up, since a far end "
        "that never hangs up goes round a menu again and again "
        f"(sim.phone('{CALLEE}').hangs_up(after=60))); twimlsim ended the call"
    )


def test_a_menu_loop_with_input_names_the_missing_hang_up() -> None:
    routes = {"/voice": response('<Gather timeout="1"/><Redirect>/voice</Redirect>')}
    with simulator(routes, strict=False) as (sim, _):
        sim.phone(CALLEE).presses("9")
        call = place(sim)
        sim.run()
    assert str(sim.failures[0]) == (
        f"call {call.sid} at https://app.test/voice in <Redirect> (line 1): 1000 documents "
        "fetched on one call (a <Gather> or <Redirect> loop? a far end that never hangs up "
        "goes round it again "
        f"and again; script its hang-up (sim.phone('{CALLEE}').hangs_up(after=60))); "
        "twimlsim ended the call"
    )


def test_record_without_action_loop_names_the_record_and_the_scripted_hang_up() -> None:
    # Twilio's voicemail quickstart: <Record/> with no action requests its own document
    # again; a real caller hangs up after the message, a scripted one must be told to.
    body = "<Say>Please leave a message after the beep.</Say><Record/><Hangup/>"
    with simulator({"/voice": response(body)}, strict=False) as (sim, _):
        sim.phone(CALLEE).records(5)
        call = place(sim)
        sim.run()
    assert len(call.requests) == MAX_DOCUMENTS_PER_CALL
    assert [(f.code, f.url, f.element, f.line, f.message) for f in sim.failures] == [
        (
            None,
            "https://app.test/voice",
            "Record",
            1,
            "1000 documents fetched on one call (the last one a <Record> action: a <Record> "
            "without an action requests its own document again, so a far end that never "
            "hangs up is asked to record again and again; script it to hang up after its "
            f"message (sim.phone('{CALLEE}').records(5, hangs_up=True)) or give the <Record> "
            "an action); twimlsim ended the call",
        )
    ]


def test_record_without_action_ends_when_the_far_end_hangs_up_after_its_message() -> None:
    body = "<Say>Please leave a message after the beep.</Say><Record/><Hangup/>"
    with simulator({"/voice": response(body)}) as (sim, _):
        sim.phone(CALLEE).records(5, hangs_up=True)
        call = place(sim)
        sim.run()
    assert [r.kind for r in call.requests] == ["voice", "record"]
    assert call.requests[1].params["Digits"] == "hangup"


def test_default_time_limit_ends_a_runaway_call_with_32015() -> None:
    routes = {"/voice": response('<Pause length="3600"/><Redirect>/voice</Redirect>')}
    with simulator(routes, strict=False) as (sim, _):
        call = place(sim)
        sim.run()
    assert (call.status, call.duration) == ("completed", 14400)
    assert [f.code for f in sim.failures] == [32015]


def test_two_hour_call_runs_in_milliseconds_and_clock_stops_at_the_end() -> None:
    body = '<Pause length="3600"/><Say>Half way</Say><Pause length="3599"/>'
    started = time.perf_counter()
    with simulator({"/voice": response(body)}) as (sim, _):
        call = place(sim)
        sim.run()
    assert time.perf_counter() - started < 0.5
    assert call.duration == 7200
    # The cancelled time-limit timer did not drag the clock four hours on.
    assert sim.now == sim.clock.at(7200 * 1_000_000)


def test_a_32015_names_an_echo_and_a_far_end_with_no_hang_up() -> None:
    with simulator({"/voice": response("<Echo/>")}, strict=False) as (sim, _):
        call = place(sim)
        sim.run()
    assert [str(failure) for failure in sim.failures] == [
        f"call {call.sid}: Twilio warning 32015 (Call ended: exceeded max duration) at "
        "https://app.test/voice in <Echo> (line 1): the call reached the default time limit "
        "of 14400 s of virtual time and twimlsim ended it: its TwiML was still running (an "
        f"<Echo>, which lasts until someone hangs up) and its far end {CALLEE} has no hang-up "
        "scripted (an unscripted number never hangs up first): script "
        f"sim.phone('{CALLEE}').hangs_up(after=N), or let the TwiML end "
        "[https://www.twilio.com/docs/errors/32015]"
    ]


def test_a_32015_says_another_call_took_the_one_hang_up_scripted_for_the_number() -> None:
    """Two calls to one number scripted to hang up once: the first call's answer takes the
    step, and the second's 32015 says so, not that the far end had not hung up yet."""
    with simulator({"/voice": response('<Pause length="20000"/>')}, strict=False) as (sim, _):
        sim.phone(CALLEE).hangs_up(after=5)
        first, second = place(sim), place(sim)
        sim.run()
    (failure,) = sim.failures
    assert (first.duration, second.duration, failure.code) == (5, 14400, 32015)
    assert str(failure).split(": its TwiML was still running ", 1)[1] == (
        f"(last event: Paused) and its far end {CALLEE} was given no hang-up: the calls to "
        "it answered before this one took those scripted (each call to a number takes the "
        "next hangs_up step of its script): script one more "
        f"sim.phone('{CALLEE}').hangs_up(after=N) for this call, or let the TwiML end "
        "[https://www.twilio.com/docs/errors/32015]"
    )


def test_a_32015_says_a_far_end_scripted_to_hang_up_later_had_not_yet() -> None:
    with simulator({"/voice": response('<Pause length="20000"/>')}, strict=False) as (sim, _):
        sim.phone(CALLEE).hangs_up(after=20000)
        call = place(sim)
        sim.run()
    (failure,) = sim.failures
    assert str(failure).split(": its TwiML was still running ", 1)[1] == (
        f"(last event: Paused) and its far end {CALLEE} had not hung up yet: script "
        f"sim.phone('{CALLEE}').hangs_up(after=N), or let the TwiML end "
        "[https://www.twilio.com/docs/errors/32015]"
    )
    assert (failure.code, call.duration) == (32015, 14400)


def test_a_hold_loop_made_by_the_wait_documents_redirect_runs_until_the_caller_hangs_up() -> None:
    """A wait document that ends in ``<Redirect>`` to itself (the hold loop of Twilio's
    call-queue examples) loops for as long as the caller waits, as the waitUrl requested
    again does: its requests are not a runaway call's, whatever their number."""
    routes = {
        "/voice": response('<Enqueue waitUrl="/wait">support</Enqueue>'),
        "/wait": response('<Pause length="1"/><Redirect>/wait</Redirect>'),
    }
    with simulator(routes) as (sim, _):
        sim.phone("+15557770001").hangs_up(after=1500)
        caller = sim.incoming_call(from_="+15557770001", to=CALLER_ID)
        sim.run()
    kinds = [r.kind for r in caller.requests]
    assert (kinds[:3], kinds.count("redirect"), kinds[-1]) == (
        ["voice", "wait", "redirect"],
        1499,  # at 1, 2, ... 1499 s: the wait document at 0 s
        "status",
    )
    assert caller.requests[-2].params["QueueTime"] == "1499"
    assert (caller.status, caller.duration, sim.failures) == ("completed", 1500, [])


def test_hold_music_that_loops_by_its_redirect_plays_for_as_long_as_the_hold() -> None:
    routes = {
        "/voice": response("<Dial><Conference>room</Conference></Dial>"),
        "/hold": response('<Pause length="1"/><Redirect>/hold</Redirect>'),
    }
    with simulator(routes) as (sim, _):
        for number in ("+15557770001", "+15557770002"):
            sim.phone(number).hangs_up(after=1500)
        held = sim.incoming_call(from_="+15557770001", to=CALLER_ID)
        sim.incoming_call(from_="+15557770002", to=CALLER_ID)
        sim.advance(5)
        client = sim.client()
        room = client.conferences.list(friendly_name="room")[0]
        client.conferences(room.sid).participants(held.sid).update(
            hold=True, hold_url="https://app.test/hold", hold_method="POST"
        )
        sim.run()
    holds = [r for r in held.requests if r.url == "https://app.test/hold"]
    assert (len(holds), holds[0].at, holds[-1].at) == (
        1495,
        sim.clock.at(5_000_000),
        sim.clock.at(1499_000_000),
    )
    assert (held.status, held.duration, sim.failures) == ("completed", 1500, [])

"""``twimlsim.properties``: each check passes on a good call and fails with an exact message."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from fixtures.twiml_app import Handler, TwimlApp
from twimlsim import Simulator, properties

CALLER = "+15558675310"
NUMBER = "+15005550006"
SIMPLE = "<Response><Say>Hello</Say></Response>"


@contextmanager
def ran(
    routes: dict[str, str | Handler], script: Callable[[Simulator], object] = lambda s: None
) -> Iterator[Simulator]:
    """One inbound call to ``routes`` (``/voice`` first), run to its end, strict off."""
    with Simulator(strict=False, freeze_time=False) as sim:
        sim.route("https://app.test", TwimlApp(routes))
        sim.number(NUMBER, voice_url="https://app.test/voice")
        script(sim)
        sim.incoming_call(from_=CALLER, to=NUMBER)
        sim.run()
        yield sim


def failure(check: Callable[[Simulator], None], sim: Simulator) -> str:
    with pytest.raises(AssertionError) as raised:
        check(sim)
    return str(raised.value)


def test_a_good_call_keeps_every_property() -> None:
    with ran({"/voice": SIMPLE}) as sim:
        properties.check_all(sim)


def test_a_redirect_loop_does_not_end_on_its_own() -> None:
    with ran({"/voice": "<Response><Redirect>/voice</Redirect></Response>"}) as sim:
        sid = next(iter(sim.calls))
        assert failure(properties.ends_before_time_limit, sim) == (
            "a call did not end on its own:\n"
            f"  call {sid} (+15558675310 -> +15005550006) fetched 100 documents without time "
            "passing (a <Redirect> loop) and was stopped; the last was https://app.test/voice"
        )


def test_a_call_at_its_time_limit_did_not_end_on_its_own() -> None:
    with ran(
        {"/voice": '<Response><Pause length="600"/><Redirect>/voice</Redirect></Response>'}
    ) as sim:
        sid = next(iter(sim.calls))
        assert failure(properties.ends_before_time_limit, sim) == (
            "a call did not end on its own:\n"
            f"  call {sid} (+15558675310 -> +15005550006) ran to its time limit of 14400 s; "
            "the last document was https://app.test/voice"
        )


def test_a_gather_loop_of_many_documents_did_not_end_on_its_own() -> None:
    loop = (
        '<Response><Gather timeout="1"><Say>Menu</Say></Gather>'
        "<Redirect>/voice</Redirect></Response>"
    )
    with ran({"/voice": loop}) as sim:
        sid = next(iter(sim.calls))
        assert failure(properties.ends_before_time_limit, sim) == (
            "a call did not end on its own:\n"
            f"  call {sid} (+15558675310 -> +15005550006) fetched 1000 documents and was "
            "stopped (a loop); most fetched: /voice (1000 times)"
        )
        assert failure(properties.gathers_have_a_way_out, sim) == (
            "a <Gather> has no way out:\n"
            f"  call {sid} (+15558675310 -> +15005550006): a <Gather> timed out 1000 times "
            "(more than 5); most fetched: /voice (1000 times)"
        )


def test_a_call_still_live_did_not_end() -> None:
    with Simulator(strict=False, freeze_time=False) as sim:
        sim.route(
            "https://app.test",
            TwimlApp({"/voice": '<Response><Say>Hi</Say><Pause length="60"/></Response>'}),
        )
        sim.number(NUMBER, voice_url="https://app.test/voice")
        call = sim.incoming_call(from_=CALLER, to=NUMBER)
        sim.advance(5)
        assert failure(properties.ends_before_time_limit, sim) == (
            "a call did not end on its own:\n"
            f"  call {call.sid} (+15558675310 -> +15005550006) is still in-progress: call "
            "sim.run() first"
        )
        sim.run()
        properties.ends_before_time_limit(sim)


def test_a_webhook_answering_500_is_named_with_its_body() -> None:
    def crash(form: dict[str, str]) -> tuple[int, list[tuple[str, str]], str]:
        return 500, [("Content-Type", "text/plain")], "KeyError: 'RecordingUrl'"

    with ran({"/voice": SIMPLE, "/status": crash}) as sim:
        properties.no_webhook_errors(sim)  # no status callback asked for yet
    routes: dict[str, str | Handler] = {
        "/voice": "<Response><Redirect>/boom</Redirect></Response>",
        "/boom": crash,
    }
    with ran(routes) as sim:
        sid = next(iter(sim.calls))
        assert failure(properties.no_webhook_errors, sim) == (
            "a webhook failed:\n"
            f"  redirect webhook POST https://app.test/boom of call {sid} answered 500: "
            "\"KeyError: 'RecordingUrl'\""
        )


@pytest.mark.parametrize(
    ("error", "named"),
    [
        (KeyError("Digits"), "KeyError: 'Digits'"),
        (ValueError(), "ValueError"),  # no text: its type alone, no "ValueError: "
    ],
)
def test_a_webhook_the_app_raised_in_names_the_exception_and_is_its_cause(
    error: Exception, named: str
) -> None:
    from flask import Flask

    app = Flask(__name__)
    app.post("/voice")(lambda: "<Response><Redirect>/menu</Redirect></Response>")

    @app.post("/menu")
    def menu() -> str:
        raise error

    with Simulator(strict=False, freeze_time=False) as sim:
        sim.route("https://app.test", app)
        sim.number(NUMBER, voice_url="https://app.test/voice")
        call = sim.incoming_call(from_=CALLER, to=NUMBER)
        sim.run()
    with pytest.raises(AssertionError) as raised:
        properties.no_webhook_errors(sim)
    assert str(raised.value) == (
        "a webhook failed:\n"
        f"  redirect webhook POST https://app.test/menu of call {call.sid} answered 500; it "
        f"raised {named}"
    )
    assert raised.value.__cause__ is error


def test_a_webhook_nothing_answered_is_named() -> None:
    with Simulator(strict=False, freeze_time=False) as sim:
        sim.number(NUMBER, voice_url="https://nowhere.test/voice")
        call = sim.incoming_call(from_=CALLER, to=NUMBER)
        sim.run()
        assert failure(properties.no_webhook_errors, sim) == (
            "a webhook failed:\n"
            f"  voice webhook POST https://nowhere.test/voice of call {call.sid} got no answer"
        )


def test_twiml_problems_are_listed_as_twilio_logs_them() -> None:
    with ran({"/voice": "<Response><Say>unclosed</Response>"}) as sim:
        assert sim.failures
        assert failure(properties.no_twiml_problems, sim) == (
            "the app returned TwiML with problems:\n  " + "\n  ".join(str(f) for f in sim.failures)
        )
        assert failure(properties.no_twiml_problems, sim).startswith(
            "the app returned TwiML with problems:\n  call CA"
        )
        assert "Twilio error 12100" in failure(properties.no_twiml_problems, sim)


def test_a_gather_that_leads_on_after_a_few_tries_has_a_way_out() -> None:
    def menu(form: dict[str, str]) -> str:
        return (
            "<Response><Gather timeout='3'><Say>Menu</Say></Gather>"
            "<Redirect>/again</Redirect></Response>"
        )

    routes: dict[str, str | Handler] = {
        "/voice": menu,
        "/again": "<Response><Gather timeout='3'><Say>Menu</Say></Gather><Say>Bye</Say></Response>",
    }
    with ran(routes) as sim:
        properties.gathers_have_a_way_out(sim)
        properties.gathers_have_a_way_out(sim, max_timeouts=2)
        with pytest.raises(AssertionError):
            properties.gathers_have_a_way_out(sim, max_timeouts=1)


@pytest.mark.parametrize(
    ("max_timeouts", "shown"),
    [(-1, "-1 (int)"), ("5", "'5'"), (2.5, "2.5 (float)"), (True, "True (bool)")],
)
def test_a_max_timeouts_that_is_no_count_is_refused_naming_it(
    max_timeouts: object, shown: str
) -> None:
    # "5" was a TypeError comparing int and str, -1 failed every call "more than -1"
    with ran({"/voice": "<Response><Gather timeout='3'/></Response>"}) as sim:
        pass
    with pytest.raises(TypeError) as refused:
        properties.gathers_have_a_way_out(sim, max_timeouts=max_timeouts)  # type: ignore[arg-type]
    assert str(refused.value) == (
        "properties.gathers_have_a_way_out(max_timeouts=...) takes how many <Gather> timeouts "
        f"a call may hear, a whole number such as 5 (0 for none); got {shown}"
    )


def test_a_recording_the_app_never_hears_of_is_reported() -> None:
    quiet = '<Response><Record timeout="2" action="/done"/></Response>'
    routes: dict[str, str | Handler] = {"/voice": quiet, "/done": "<Response><Hangup/></Response>"}
    with ran(routes, lambda sim: sim.phone(CALLER).records(4)) as sim:
        properties.recordings_reported(sim)
    with ran({"/voice": quiet}, lambda sim: sim.phone(CALLER).hangs_up(after=0.5)) as sim:
        call = next(iter(sim.calls.values()))
        recording = call.recordings[0]
        assert failure(properties.recordings_reported, sim) == (
            "a recording was never reported:\n"
            f"  call {call.sid} (+15558675310 -> +15005550006): recording {recording.sid} "
            f"({recording.duration} s, ended by hangup) was never reported to the app; give "
            "the <Record> an action that is requested, or a recordingStatusCallback"
        )


def test_what_a_caller_brought_about_is_not_a_twiml_problem() -> None:
    record = (
        '<Response><Record action="/done" transcribe="true" transcribeCallback="/t"/></Response>'
    )

    def brief(sim: Simulator) -> None:
        sim.phone(CALLER).records(1.5, "#")

    with ran({"/voice": record, "/done": SIMPLE}, brief) as sim:
        assert [f.code for f in sim.failures] == [13617]
        properties.no_twiml_problems(sim)


CHECKS = [
    "check_all",
    "ends_before_time_limit",
    "no_webhook_errors",
    "no_twiml_problems",
    "gathers_have_a_way_out",
    "recordings_reported",
]


@pytest.mark.parametrize("check", CHECKS)
def test_a_check_given_one_call_or_the_calls_says_to_pass_the_simulator(check: str) -> None:
    with ran({"/voice": SIMPLE}) as sim:
        (call,) = sim.calls.values()
        for given, kind in ((call, "SimCall (one call)"), (sim.calls, "CallsBySid")):
            with pytest.raises(TypeError) as raised:
                getattr(properties, check)(given)
            assert str(raised.value) == (
                f"properties.{check}() checks every call of a simulator, so it takes the "
                f"Simulator they ran in (sim), got a {kind}; pass sim itself, after sim.run()"
            )


def test_a_recording_a_rest_redirect_cut_short_is_told_to_want_a_status_callback() -> None:
    # the action of a <Record> a REST update cut short is never requested: asking for "an
    # action that is requested" was advice the app could not follow
    record = '<Response><Record timeout="0" action="/done"/></Response>'
    routes: dict[str, str | Handler] = {"/voice": record, "/new": SIMPLE}
    with Simulator(strict=False, freeze_time=False) as sim:
        sim.route("https://app.test", TwimlApp(routes))
        sim.number(NUMBER, voice_url="https://app.test/voice")
        sim.phone(CALLER).records(30)
        call = sim.incoming_call(from_=CALLER, to=NUMBER)
        sim.advance(10)
        sim.client().calls(call.sid).update(url="https://app.test/new")
        sim.run()
        (recording,) = call.recordings
        assert failure(properties.recordings_reported, sim) == (
            "a recording was never reported:\n"
            f"  call {call.sid} (+15558675310 -> +15005550006): recording {recording.sid} "
            "(10 s, ended by redirect) was never reported to the app; a REST update "
            "redirected the call while it recorded, so the <Record>'s action was not "
            "requested: give the <Record> a recordingStatusCallback"
        )

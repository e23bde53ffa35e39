"""A finished simulation is freed by reference counting, not left to the garbage collector.

Each test runs with the collector off: once the test lets go of its simulator, every part
of the simulated world (engine, store, calls, the fake API) must be gone at once. A world
held in reference cycles would stay until a collection, and a suite of a few hundred
tests would pay for its collections.
"""

from __future__ import annotations

import gc
import sys
import weakref
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from fixtures.twiml_app import TwimlApp
from tests.engine.helpers import place, response, simulator
from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim import Simulator, watch
from twimlsim.engine.session import SimCall
from twimlsim.errors import ConfigurationError, SimulationError

CUSTOMER = "+15557770001"


@pytest.fixture(autouse=True)
def unwatched(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pytest plugin keeps each test's started simulators until the test ends (to
    report their calls): here the test's own references are the only ones."""
    monkeypatch.setattr(watch, "ON_START", [])


@pytest.fixture
def collector_off() -> Iterator[None]:
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _parts(sim: Simulator) -> dict[str, Any]:
    """The simulator and the parts of its world, by name."""
    engine = sim.engine
    parts = {
        "simulator": sim,
        "engine": engine,
        "interpreter": engine.interpreter,
        "store": sim.store,
        "scheduler": sim.scheduler,
        "clock": sim.clock,
        "rest": sim.rest,
    }
    for name in ("queues", "conferences", "live_recordings"):
        if name in vars(engine):  # made on first use
            parts[name] = getattr(engine, name)
    return parts


def _calls_alive() -> int:
    """How many ``SimCall`` objects exist (they have no room for weak references)."""
    return sum(1 for thing in gc.get_objects() if type(thing) is SimCall)


def _gone_once_dropped(make: Callable[[], Simulator]) -> dict[str, bool]:
    """Which parts of the world ``make()`` leaves are still alive once it is dropped
    (``calls``: whether any of its calls is)."""
    before = _calls_alive()  # other tests' calls a test run still holds
    sim = make()
    assert _calls_alive() - before == len(sim.calls) > 0
    refs = {name: weakref.ref(part) for name, part in _parts(sim).items()}
    del sim
    alive = {name: ref() is not None for name, ref in refs.items()}
    alive["calls"] = _calls_alive() > before
    return alive


def test_a_finished_call_s_world_is_freed_without_the_collector(collector_off: None) -> None:
    def make() -> Simulator:
        with simulator({"/voice": response("<Say>Hello</Say>")}) as (sim, _):
            place(sim, status_callback=f"{APP_URL}/status")
            sim.run()
        assert [call.said for call in sim.calls.values()] == [["Hello"]]
        return sim

    alive = _gone_once_dropped(make)
    assert alive == {
        "simulator": False,
        "engine": False,
        "interpreter": False,
        "store": False,
        "scheduler": False,
        "clock": False,
        "rest": False,
        "calls": False,
    }


def test_a_world_with_a_queue_and_a_conference_is_freed_too(collector_off: None) -> None:
    routes = {
        "/voice": response("<Enqueue>line</Enqueue>"),
        "/agent": response("<Dial><Queue>line</Queue></Dial>"),
        "/room": response("<Dial><Conference>Room</Conference></Dial>"),
    }

    def make() -> Simulator:
        with simulator(routes) as (sim, _):
            sim.phone(CALLEE).hangs_up(after=5)
            sim.phone(CUSTOMER).hangs_up(after=30)
            sim.phone("+15557770011").hangs_up(after=20)
            sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
            sim.advance(10)
            place(sim, url=f"{APP_URL}/agent")
            place(sim, url=f"{APP_URL}/room", to="+15557770011")
            sim.run()
            assert sim.conferences["Room"].status == "completed"
        return sim

    alive = _gone_once_dropped(make)
    assert {"queues", "conferences", "calls"} <= alive.keys()
    assert [name for name, is_alive in alive.items() if is_alive] == []


def test_a_test_that_fails_mid_call_leaves_nothing_to_complain_when_collected(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A call left in a queue, a bridge or a conference by a test that raised is closed by
    the garbage collector once its simulator is gone: its clean-up (written for REST
    redirects) printed 'Exception ignored ... ReferenceError' from inside twimlsim."""
    routes = {
        "/voice": response("<Enqueue>line</Enqueue>"),
        "/agent": response("<Dial><Queue>line</Queue></Dial>"),
        "/room": response("<Dial><Conference>Room</Conference></Dial>"),
        "/waiting": response("<Enqueue>line</Enqueue>"),
    }
    complaints: list[str] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda raised: complaints.append(repr(raised)))

    def failing_test() -> None:
        with simulator(routes, strict=False) as (sim, _):
            place(sim)  # bridged with the agent below
            place(sim, url=f"{APP_URL}/agent", to="+15557770012")
            place(sim, url=f"{APP_URL}/room", to="+15557770011")  # a room...
            room = place(sim, url=f"{APP_URL}/room", to="+15557770013")
            sim.advance(5)
            participants = sim.client().conferences("Room").participants
            participants.create(from_=CALLER_ID, to="+15557770014")  # ...and a REST participant
            place(sim, url=f"{APP_URL}/waiting", to="+15557770015")  # waiting in the queue
            sim.advance(5)
            assert room.status == "in-progress"
            raise RuntimeError("the test failed here")

    with pytest.raises(RuntimeError):
        failing_test()
    gc.collect()
    assert complaints == []


def test_rarely_used_parts_are_made_on_first_use() -> None:
    sim = Simulator()
    assert [
        name for name in ("queues", "conferences", "live_recordings") if name in vars(sim.engine)
    ] == []
    assert dict(sim.conferences) == {}
    assert sim.queue("support").name == "support"
    assert sorted(name for name in ("queues", "conferences") if name in vars(sim.engine)) == [
        "conferences",
        "queues",
    ]


def test_a_call_driven_after_its_simulator_is_gone_says_so() -> None:
    with simulator({"/voice": response('<Gather numDigits="1"/>')}) as (sim, _):
        call = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        call.run()
        assert call.waiting_for is not None
        call.hangup().run()
    sid = call.sid
    del sim
    gc.collect()
    with pytest.raises(ConfigurationError) as raised:
        call.press("1")
    assert str(raised.value) == (
        f"call {sid} cannot be driven: its Simulator no longer exists; keep a reference to "
        "the Simulator while its calls are driven"
    )
    assert call.status == "completed" and call.said == []


def test_the_engine_does_not_keep_its_simulator_alive(collector_off: None) -> None:
    sim = Simulator()
    engine = sim.engine
    ref = weakref.ref(sim)
    del sim
    assert ref() is None
    engine.before_running()  # the simulator's hooks do nothing once it is gone
    engine.after_running()


def test_a_hand_driven_call_still_reports_failures_through_the_engine() -> None:
    with simulator({"/voice": response("<Bogus/>")}) as (sim, _):
        call = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        with pytest.raises(SimulationError) as raised:
            call.run()
        assert [failure.code for failure in raised.value.failures] == [12200]


# -- handles from before a sim.reset() -------------------------------------------------------

RESET_CALL = (
    "call {sid} cannot be driven: it belongs to a simulation that sim.reset() ended (the "
    "reset forgot its calls, numbers and scripts); place or take a new call after the reset "
    "(client.calls.create(...), sim.incoming_call(...)) and drive that one"
)


@pytest.mark.parametrize(
    "drive",
    [
        lambda call: call.run(),
        lambda call: call.press("1"),
        lambda call: call.say("sales"),
        lambda call: call.silence(),
        lambda call: call.records(3),
        lambda call: call.hangup(),
    ],
    ids=["run", "press", "say", "silence", "records", "hangup"],
)
def test_a_call_from_before_a_reset_refuses_to_be_driven(drive: Callable[[SimCall], Any]) -> None:
    with simulator({"/voice": response('<Gather numDigits="1"><Say>Hi</Say></Gather>')}) as (
        sim,
        app,
    ):
        call = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        call.run()
        assert call.waiting_for is not None
        served = len(app.seen)
        sim.reset()
        with pytest.raises(ConfigurationError) as raised:
            drive(call)
        assert str(raised.value) == RESET_CALL.format(sid=call.sid)
        # nothing reached the app, the new world is untouched, the old call reads as it was
        assert (len(app.seen), sim.calls, sim.requests) == (served, {}, [])
        assert (call.status, call.said, call.waiting_for is not None) == (
            "in-progress",
            ["Hi"],
            True,
        )


def test_a_phone_from_before_a_reset_takes_no_more_steps() -> None:
    with Simulator() as sim:
        phone = sim.phone(CUSTOMER).answers(after=2)
        sim.reset()
        for step, method in [
            (lambda: phone.presses("1"), "presses"),
            (lambda: phone.hangs_up(after=3), "hangs_up"),
            (lambda: phone.located(city="Boston"), "located"),
        ]:
            with pytest.raises(ConfigurationError) as raised:
                step()
            assert str(raised.value) == (
                f"sim.phone('{CUSTOMER}').{method}(): this phone belongs to a simulation that "
                "sim.reset() ended, and its script is forgotten; after a reset, script the far "
                f"end again with sim.phone('{CUSTOMER}')"
            )
        assert [step.describe() for step in phone.steps] == ["answers(after=2)"]
        fresh = sim.phone(CUSTOMER)  # the new world's phone is a new one, and takes steps
        assert fresh is not phone and (fresh.retired, fresh.steps) == (False, [])


def test_a_subaccount_from_before_a_reset_is_refused_where_it_is_passed() -> None:
    with Simulator() as sim:
        sub = sim.subaccount("Tenant")
        sim.reset()
        attempts = {
            f"sim.number('{CUSTOMER}')": lambda: sim.number(CUSTOMER, account=sub),
            "sim.application()": lambda: sim.application(account=sub),
            f"sim.verified_caller_id('{CUSTOMER}')": lambda: sim.verified_caller_id(
                CUSTOMER, account=sub
            ),
            "sim.api_key()": lambda: sim.api_key(account=sub),
        }
        for where, attempt in attempts.items():
            with pytest.raises(ConfigurationError) as raised:
                attempt()
            assert str(raised.value) == (
                f"{where}: account {sub.sid} belongs to a simulation that sim.reset() ended; "
                "after a reset, open the subaccount again with sim.subaccount(...) and pass "
                "that one"
            )
        assert (sub.numbers, sub.applications) == ({}, {})
        assert list(sim.store.accounts) == [sim.account_sid]
        again = sim.subaccount("Tenant")
        assert sim.number(CUSTOMER, account=again).number == CUSTOMER


def test_an_account_argument_of_the_wrong_type_is_a_type_error() -> None:
    with Simulator() as sim, pytest.raises(TypeError) as raised:
        sim.number(CUSTOMER, account=sim.account_sid)  # type: ignore[arg-type]
    assert str(raised.value) == (
        f"sim.number('{CUSTOMER}'): account must be an account of sim.subaccount() (or None "
        f"for the main account); got {sim.account_sid!r}"
    )


STOPPED = (
    "its Simulator was stopped (its with block or test ended), so the app's requests to "
    "Twilio would no longer reach it; run calls before the simulator stops"
)


def test_nothing_runs_once_the_simulator_was_stopped() -> None:
    with simulator({"/voice": response('<Gather numDigits="1"><Say>Hi</Say></Gather>')}) as (
        sim,
        app,
    ):
        call = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        call.run()
        assert call.waiting_for is not None
    served, stopped_at = len(app.seen), sim.now
    with pytest.raises(ConfigurationError) as raised:
        call.press("1")
    assert str(raised.value) == f"call {call.sid} cannot be driven: {STOPPED}"
    for attempt, where in ((sim.run, "sim.run()"), (lambda: sim.advance(5), "sim.advance(5)")):
        with pytest.raises(ConfigurationError) as raised:
            attempt()
        assert str(raised.value) == f"{where} cannot run calls: {STOPPED}"
    assert (len(app.seen), call.status, sim.now) == (served, "in-progress", stopped_at)
    sim.reset()  # a reset keeps the simulator stopped
    with pytest.raises(ConfigurationError) as raised:
        sim.run()
    assert str(raised.value) == f"sim.run() cannot run calls: {STOPPED}"


def test_no_call_is_taken_and_no_client_made_once_the_simulator_was_stopped() -> None:
    with simulator({"/voice": response("<Say>Hi</Say>")}) as (sim, _):
        application = sim.application(voice_url=f"{APP_URL}/voice")
    attempts = [
        (
            lambda: sim.incoming_call(from_=CUSTOMER, to=CALLER_ID),
            f"sim.incoming_call(from_='{CUSTOMER}', to='{CALLER_ID}') cannot run calls: {STOPPED}",
        ),
        (
            lambda: sim.sdk_call("alice", application_sid=application.sid),
            f"sim.sdk_call(...) cannot run calls: {STOPPED}",
        ),
        (
            sim.client,
            "sim.client(): this Simulator was stopped (its with block or test ended), so the "
            "client's requests would go to the real api.twilio.com with the simulated "
            "credentials; make the client and its requests while the simulator runs",
        ),
    ]
    for attempt, message in attempts:
        with pytest.raises(ConfigurationError) as raised:
            attempt()
        assert str(raised.value) == message
    assert sim.calls == {}  # a call taken then could never have run


def test_a_simulator_started_again_runs_its_calls_again() -> None:
    with simulator({"/voice": response("<Say>Hi</Say>")}) as (sim, _):
        call = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
    with sim:
        call.run()
    assert (call.status, call.said) == ("completed", ["Hi"])


NOT_STARTED = (
    "its Simulator was never started, so the app's requests to Twilio would not reach it "
    "(they would go to the real api.twilio.com) and the app's clock would not be the "
    "simulation's; start it first: `with Simulator() as sim:`, sim.start(), or the "
    "twimlsim fixture"
)


def test_a_simulator_never_started_beside_a_running_one_says_which_one_answers() -> None:
    # it said the app's requests would go to the real api.twilio.com: the running
    # simulator (the twimlsim fixture's, most often) answers them
    app = TwimlApp({"/voice": "<Response><Say>Hi</Say></Response>"})
    with Simulator(freeze_time=False):
        other = Simulator(freeze_time=False)
        other.route(APP_URL, app)
        other.number(CALLER_ID, voice_url=f"{APP_URL}/voice")
        with pytest.raises(ConfigurationError) as raised:
            other.incoming_call(from_=CUSTOMER, to=CALLER_ID)
    assert str(raised.value) == (
        f"sim.incoming_call(from_='{CUSTOMER}', to='{CALLER_ID}') cannot run calls: its "
        "Simulator was never started, and another Simulator runs: the app's requests to "
        "Twilio reach that one, not this one, and the app's clock is that one's; use the "
        "Simulator that runs (the twimlsim fixture's, or the one a with block started), or "
        "start this one: `with Simulator() as sim:` or sim.start()"
    )
    with pytest.raises(ConfigurationError) as alone:
        other.run()
    assert str(alone.value) == f"sim.run() cannot run calls: {NOT_STARTED}"
    assert app.seen == []


def test_nothing_runs_before_the_simulator_is_started() -> None:
    """A simulator made but never started ran its calls: the app answered its webhooks,
    and the REST requests it made meanwhile with its own client went to the real
    api.twilio.com (nothing intercepted them), its clock the wall clock's."""
    app = TwimlApp({"/voice": "<Response><Say>Hi</Say></Response>"})
    sim = Simulator(freeze_time=False)
    sim.route(APP_URL, app)
    sim.number(CALLER_ID, voice_url=f"{APP_URL}/voice")
    browser = sim.application(voice_url=f"{APP_URL}/voice")
    attempts = [
        (
            lambda: sim.incoming_call(from_=CUSTOMER, to=CALLER_ID),
            f"sim.incoming_call(from_='{CUSTOMER}', to='{CALLER_ID}') cannot run calls: "
            f"{NOT_STARTED}",
        ),
        (
            lambda: sim.sdk_call("alice", application_sid=browser.sid),
            f"sim.sdk_call(...) cannot run calls: {NOT_STARTED}",
        ),
        (sim.run, f"sim.run() cannot run calls: {NOT_STARTED}"),
        (lambda: sim.advance(5), f"sim.advance(5) cannot run calls: {NOT_STARTED}"),
    ]
    for attempt, message in attempts:
        with pytest.raises(ConfigurationError) as raised:
            attempt()
        assert str(raised.value) == message
    sim.reset()  # a reset keeps the simulator unstarted
    with pytest.raises(ConfigurationError) as raised:
        sim.run()
    assert str(raised.value) == f"sim.run() cannot run calls: {NOT_STARTED}"
    assert (app.seen, sim.calls, sim.now) == ([], {}, sim.clock.at(0))
    sim.number(CALLER_ID, voice_url=f"{APP_URL}/voice")  # the reset forgot it
    with sim:
        call = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.run()
    assert (call.status, call.said) == ("completed", ["Hi"])


def test_a_client_of_a_simulator_not_running_sends_nothing_and_says_why() -> None:
    sim = Simulator()
    sim.number(CALLER_ID)
    client = sim.client()  # made before the start: fine, its requests are checked
    path = f"https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}/Calls.json"
    with pytest.raises(ConfigurationError) as raised:
        client.calls.create(to=CALLEE, from_=CALLER_ID, twiml="<Response/>")
    assert str(raised.value) == (
        f"sim.client(): POST {path} was not sent: this Simulator is not running (never "
        "started, or stopped), so the request would go to the real api.twilio.com with the "
        "simulated credentials; start it first: `with Simulator() as sim:`, sim.start(), "
        "or the twimlsim fixture"
    )
    with sim:
        created = client.calls.create(to=CALLEE, from_=CALLER_ID, twiml="<Response/>")
        assert sim.calls[created.sid].record.to == CALLEE
    with pytest.raises(ConfigurationError, match=r"^sim.client\(\): GET .* was not sent"):
        client.calls.list()


def test_starting_a_started_simulator_says_what_to_do_instead() -> None:
    with Simulator() as sim:
        for start in (sim.start, sim.__enter__):
            with pytest.raises(ConfigurationError) as raised:
                start()
            assert str(raised.value) == (
                "this Simulator is already started (by start(), a with block, or the twimlsim "
                "fixture, which yields it started): use it as it is, without starting it "
                "again, or make another Simulator()"
            )
        assert sim.client().calls.list() == []  # still started, still answering

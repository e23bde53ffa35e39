"""A call placed to one of the simulation's own numbers reaches that number's app: a
second, inbound call runs the number's TwiML, bridged to the leg that rang it."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from tests.engine.helpers import base, first_voice, place, response, simulator
from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim.engine.session import SimCall
from twimlsim.errors import RunawayCalls

SUPPORT = "+15005550010"


def reached(sim_calls: Mapping[str, SimCall], leg: SimCall) -> SimCall:
    """The inbound call to the number ``leg`` rang."""
    [call] = [
        c
        for c in sim_calls.values()
        if c.record.to == leg.record.to and c.record.direction.value == "inbound"
    ]
    return call


def test_a_dial_to_an_own_number_runs_that_numbers_app_bridged() -> None:
    routes = {
        "/voice": response(f'<Dial action="/after">{SUPPORT}</Dial>'),
        "/support": response('<Say>Support</Say><Gather timeout="3" action="/pressed"/>'),
        "/pressed": response('<Pause length="4"/>'),
        "/after": response(""),
    }
    with simulator(routes) as (sim, _):
        sim.number(SUPPORT, voice_url=f"{APP_URL}/support", status_callback=f"{APP_URL}/s2")
        sim.phone(CALLEE).presses("5")
        caller = sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        sim.run()
    [leg] = caller.children
    support = reached(sim.calls, leg)
    # the number's call is From the leg's From (the caller: no callerId), To the number
    assert [(r.kind, r.url, r.params) for r in support.requests] == [
        ("voice", f"{APP_URL}/support", first_voice(sim, support, from_=CALLEE, to=SUPPORT)),
        (
            "gather",
            f"{APP_URL}/pressed",
            {
                **base(sim, support, "in-progress", from_=CALLEE, to=SUPPORT),
                "msg": "Gather End",
                "Digits": "5",
                "FinishedOnKey": "",
            },
        ),
        (
            "status",
            f"{APP_URL}/s2",
            {
                **base(sim, support, "completed", from_=CALLEE, to=SUPPORT),
                "CallbackSource": "call-progress-events",
                "SequenceNumber": "0",
                "Timestamp": "Thu, 01 Jan 2026 09:00:08 +0000",
                "CallDuration": "8",
                "Duration": "1",
            },  # an inbound call: no SipResponseCode
        ),
    ]
    # "Support" (1 s), the Gather's 3 s after the key, the 4 s pause: the number's TwiML
    # ends at 8 s, and the leg and the Dial end with it
    assert (leg.status, leg.duration, support.status, support.duration) == (
        "completed",
        8,
        "completed",
        8,
    )
    dial_action = caller.requests[1]
    assert (dial_action.url, dial_action.params["DialCallStatus"]) == (
        f"{APP_URL}/after",
        "completed",
    )
    assert (dial_action.params["DialCallSid"], dial_action.params["DialCallDuration"]) == (
        leg.sid,
        "8",
    )


def test_a_rest_call_to_an_own_number_runs_both_apps_until_one_ends() -> None:
    routes = {
        "/voice": response('<Pause length="30"/>'),
        "/support": response('<Say>Hello</Say><Pause length="8"/>'),
    }
    with simulator(routes) as (sim, _):
        sim.number(SUPPORT, voice_url=f"{APP_URL}/support")
        call = place(sim, to=SUPPORT, status_callback=f"{APP_URL}/status")
        sim.run()
    support = reached(sim.calls, call)
    t = sim.clock.at
    assert (support.record.from_, support.record.to, support.record.account_sid) == (
        CALLER_ID,
        SUPPORT,
        sim.account_sid,
    )
    # the number's call ends at 9 s (its TwiML ran out): the REST call is hung up then
    assert (call.status, call.end_time, support.status, support.end_time) == (
        "completed",
        t(9_000_000),
        "completed",
        t(9_000_000),
    )
    assert call.transcript[-1].by == "caller"  # type: ignore[attr-defined]
    assert support.transcript[-1].by == "twiml"  # type: ignore[attr-defined]


def test_the_leg_ending_first_hangs_the_numbers_call_up() -> None:
    routes = {
        "/voice": response('<Pause length="3"/>'),
        "/support": response('<Say>Hi</Say><Pause length="60"/>'),
    }
    with simulator(routes) as (sim, _):
        sim.number(SUPPORT, voice_url=f"{APP_URL}/support")
        call = place(sim, to=SUPPORT)
        sim.run()
    support = reached(sim.calls, call)
    assert (call.status, call.duration, support.status, support.duration) == (
        "completed",
        3,
        "completed",
        3,
    )
    assert support.transcript[-1].by == "caller"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("reject", "status"), [('<Reject reason="busy"/>', "busy"), ("<Reject/>", "no-answer")]
)
def test_a_rejecting_number_leaves_the_dial_busy_or_unanswered(reject: str, status: str) -> None:
    routes = {
        "/voice": response(f'<Dial action="/after">{SUPPORT}</Dial>'),
        "/support": response(reject),
        "/after": response(""),
    }
    with simulator(routes) as (sim, _):
        sim.number(SUPPORT, voice_url=f"{APP_URL}/support")
        caller = sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        sim.run()
    [leg] = caller.children
    support = reached(sim.calls, leg)
    assert (leg.status, support.status, caller.requests[1].params["DialCallStatus"]) == (
        status,
        status,
        status,
    )


def test_a_number_still_ringing_at_the_dial_timeout_is_hung_up() -> None:
    routes = {
        "/voice": response(f'<Dial timeout="5" action="/after">{SUPPORT}</Dial>'),
        "/support": response('<Pause length="20"/><Say>Too late</Say>'),
        "/after": response(""),
    }
    with simulator(routes) as (sim, _):
        sim.number(SUPPORT, voice_url=f"{APP_URL}/support")
        caller = sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        sim.run()
    [leg] = caller.children
    support = reached(sim.calls, leg)
    t = sim.clock.at
    assert (leg.status, support.status, support.end_time, support.said) == (
        "no-answer",
        "no-answer",  # an inbound call that ends before in-progress (TwiML changelog)
        t(10_000_000),  # the Dial's timeout and Twilio's 5 s buffer
        [],
    )
    assert caller.requests[1].params["DialCallStatus"] == "no-answer"


def test_a_number_scripted_how_it_answers_is_the_far_end_not_its_app() -> None:
    routes = {"/support": response("<Say>Never heard</Say>")}
    with simulator(routes) as (sim, app):
        sim.number(SUPPORT, voice_url=f"{APP_URL}/support")
        sim.phone(SUPPORT).busy()
        call = place(sim, to=SUPPORT)
        sim.run()
    assert (call.status, len(sim.calls), [path for _, path, _ in app.seen]) == (
        "busy",
        1,
        [],
    )


def test_a_number_with_a_voice_application_runs_the_applications_url() -> None:
    routes = {
        "/voice": response('<Pause length="10"/>'),
        "/app-voice": response("<Say>From the application</Say>"),
    }
    with simulator(routes) as (sim, _):
        application = sim.client().applications.create(
            friendly_name="Support", voice_url=f"{APP_URL}/app-voice"
        )
        sim.number(SUPPORT, voice_url=f"{APP_URL}/unused")
        sim.client().incoming_phone_numbers.list(phone_number=SUPPORT)[0].update(
            voice_application_sid=application.sid
        )
        call = place(sim, to=SUPPORT)
        sim.run()
    support = reached(sim.calls, call)
    assert (support.said, support.requests[0].params["ApplicationSid"]) == (
        ["From the application"],
        application.sid,
    )


def test_an_app_that_dials_its_own_number_is_stopped_as_runaway() -> None:
    routes = {"/voice": response(f"<Dial>{CALLER_ID}</Dial>")}
    with simulator(routes, strict=False, max_calls_per_run=20) as (sim, _):
        sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        with pytest.raises(RunawayCalls) as stopped:
            sim.run()
    assert [f.message for f in stopped.value.failures] == [
        "run stopped after 20 calls were created while it ran (22 calls are still queued or "
        "live): the app's webhooks keep placing calls (does each call place another? calls "
        "to the simulation's own numbers reach their apps: do two of them dial each other, "
        "or one itself?). Fix the app, or allow more with Simulator(max_calls_per_run=...)"
    ]


def test_a_number_with_caller_id_lookup_names_the_caller_a_dial_forwards() -> None:
    """A number with caller ID lookup on names the caller of every call it receives: one a
    <Dial> of another app forwards (From the forwarded caller) carries ``CallerName`` as a
    direct call does, and the Call resource reports it."""
    named = "+14155550100"
    routes = {
        "/voice": response(f"<Dial>{SUPPORT}</Dial>"),
        "/support": response("<Say>Support</Say>"),
    }
    with simulator(routes) as (sim, _):
        sim.number(SUPPORT, voice_url=f"{APP_URL}/support", voice_caller_id_lookup=True)
        sim.phone(named).caller_name("JANE DOE", caller_type="CONSUMER")
        caller = sim.incoming_call(from_=named, to=CALLER_ID)
        sim.run()
        [leg] = caller.children
        support = reached(sim.calls, leg)
        fetched = sim.client().calls(support.sid).fetch()
    assert support.requests[0].params == dict(
        first_voice(sim, support, from_=named, to=SUPPORT), CallerName="JANE DOE"
    )
    assert (fetched.caller_name, support.said) == ("JANE DOE", ["Support"])

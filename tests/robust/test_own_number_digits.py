"""Keys a call sends to one of the simulation's own numbers (REST ``SendDigits``, ``<Number
sendDigits>``) reach that number's app as a caller's keys when it is listening for keys,
as they would on Twilio (navigating another app's menu); keys sent while it is not
listening are lost."""

from __future__ import annotations

from tests.engine.helpers import place, response, simulator
from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim.engine.session import SimCall

IVR = "+15005550010"
MENU = '<Gather numDigits="4" action="/account"><Say>Enter your account number</Say></Gather>'


def ivr_call(sim_calls: dict[str, SimCall]) -> SimCall:
    [call] = [c for c in sim_calls.values() if c.to == IVR and c.direction == "inbound"]
    return call


def test_a_dial_number_send_digits_answers_the_numbers_menu() -> None:
    routes = {
        "/voice": response(f'<Dial><Number sendDigits="1234">{IVR}</Number></Dial>'),
        "/ivr": response(MENU),
        "/account": response('<Say>Account found</Say><Pause length="2"/>'),
    }
    with simulator(routes) as (sim, _):
        sim.number(IVR, voice_url=f"{APP_URL}/ivr")
        caller = sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        sim.run()
    ivr = ivr_call(sim.calls)
    [account] = [r.params for r in ivr.requests if r.kind == "gather"]
    assert (account["Digits"], account["FinishedOnKey"]) == ("1234", "")
    assert [(str(s), s.interrupted) for s in ivr.said] == [
        ("Enter your account number", True),
        ("Account found", False),
    ]
    assert (caller.status, ivr.status) == ("completed", "completed")


def test_rest_send_digits_answers_the_numbers_menu() -> None:
    routes = {
        "/voice": response('<Pause length="10"/>'),
        "/ivr": response(MENU),
        "/account": response("<Say>Account found</Say>"),
    }
    with simulator(routes) as (sim, _):
        sim.number(IVR, voice_url=f"{APP_URL}/ivr")
        place(sim, to=IVR, send_digits="ww1234")
        sim.run()
    [account] = [r.params for r in ivr_call(sim.calls).requests if r.kind == "gather"]
    assert account["Digits"] == "1234"


def test_keys_sent_while_the_number_is_not_listening_are_lost() -> None:
    routes = {
        "/voice": response('<Pause length="10"/>'),
        "/ivr": response(f"<Say>Welcome</Say>{MENU}"),
        "/account": response(""),
    }
    with simulator(routes) as (sim, _):
        sim.number(IVR, voice_url=f"{APP_URL}/ivr")
        place(sim, to=IVR, send_digits="1234")
        sim.run()
    ivr = ivr_call(sim.calls)
    assert [r.kind for r in ivr.requests] == ["voice"]
    assert ivr.said == ["Welcome", "Enter your account number"]


def test_play_digits_answers_the_numbers_menu() -> None:
    # An app dialling another app's IVR navigates it with <Play digits> after connecting,
    # as Twilio's <Play> page shows ("ww1234": wait a second, then the keys)
    routes = {
        "/voice": response('<Play digits="ww1234"/><Pause length="10"/>'),
        "/ivr": response(MENU),
        "/account": response('<Say>Account found</Say><Pause length="2"/>'),
    }
    with simulator(routes) as (sim, _):
        sim.number(IVR, voice_url=f"{APP_URL}/ivr")
        caller = place(sim, to=IVR)
        sim.run()
    ivr = ivr_call(sim.calls)
    [account] = [r.params for r in ivr.requests if r.kind == "gather"]
    assert (account["Digits"], account["FinishedOnKey"]) == ("1234", "")
    # the keys arrive once the last is played, 3 s in (0.5 s a key or w): the prompt
    # has just ended, and the Gather completes with them
    assert [(str(s), s.interrupted) for s in ivr.said] == [
        ("Enter your account number", False),
        ("Account found", False),
    ]
    [gathered] = [e for e in ivr.transcript if type(e).__name__ == "Gathered"]
    assert gathered.at == sim.clock.at(3_000_000)  # type: ignore[attr-defined]
    played = caller.transcript[1]
    assert (type(played).__name__, played.digits, played.url) == ("Played", "ww1234", "")  # type: ignore[attr-defined]
    # "Account found" (1 s) and the 2 s pause end the number's call at 6 s, hanging the
    # caller up in its pause
    assert (caller.status, caller.duration, ivr.status, ivr.duration) == (
        "completed",
        6,
        "completed",
        6,
    )


def test_play_digits_of_the_numbers_app_answer_the_callers_menu() -> None:
    routes = {
        "/voice": response('<Gather numDigits="2" action="/code"/>'),
        "/code": response("<Say>Code received</Say>"),
        "/ivr": response('<Play digits="42"/><Pause length="5"/>'),
    }
    with simulator(routes) as (sim, _):
        sim.number(IVR, voice_url=f"{APP_URL}/ivr")
        caller = place(sim, to=IVR)
        sim.run()
    [code] = [r.params for r in caller.requests if r.kind == "gather"]
    assert code["Digits"] == "42"
    assert caller.said == ["Code received"]


def test_play_digits_to_a_scripted_far_end_reach_no_app() -> None:
    routes = {"/voice": response('<Play digits="1234"/>')}
    with simulator(routes) as (sim, _):
        call = place(sim, to=CALLEE)
        sim.run()
    assert [r.kind for r in call.requests] == ["voice"]
    assert (call.status, call.duration) == ("completed", 2)

"""Live-call control: a REST update of ``TimeLimit`` shortens or lengthens a running call."""

from __future__ import annotations

import pytest

from tests.engine.helpers import completed, place, response, simulator
from tests.support import APP_URL, CALLEE
from twimlsim.engine.events import HungUp

LONG = response('<Pause length="600"/><Say>never reached</Say>')


@pytest.mark.parametrize(
    ("initial", "updates", "ends_at"),
    [
        (60, [(10, 30)], 30),  # shortened: ends at the new limit
        (60, [(10, 100)], 100),  # lengthened past the old limit of 60 s
        (60, [(10, 20), (15, 90)], 90),  # shortened, then lengthened again: the last wins
        (60, [(10, 90), (50, 45)], 50),  # a limit already passed ends the call at once
        (60, [(10, 60)], 60),  # the same limit again changes nothing
    ],
)
def test_time_limit_update_moves_the_end_of_the_call(
    initial: int, updates: list[tuple[int, int]], ends_at: int
) -> None:
    with simulator({"/voice": LONG}) as (sim, _):
        call = place(sim, time_limit=initial, status_callback=f"{APP_URL}/status")
        for at, limit in updates:
            sim.advance(at - sim.clock.micros // 1_000_000)
            assert call.status == "in-progress"
            sim.client().calls(call.sid).update(time_limit=limit)
        sim.run()
    assert (call.status, call.duration) == ("completed", ends_at)
    assert call.transcript[-1] == HungUp(
        sim.clock.at(ends_at * 1_000_000), by="time-limit", status="completed"
    )
    assert [r.kind for r in call.requests] == ["voice", "status"]
    assert call.requests[1].params == completed(sim, call, ends_at)
    assert call.said == []


def test_time_limit_update_before_the_answer_counts_from_the_answer() -> None:
    with simulator({"/voice": LONG}) as (sim, _):
        sim.phone("+15558675310").answers(after=10)
        call = place(sim, time_limit=500)
        sim.advance(5)
        assert call.status == "ringing"
        sim.client().calls(call.sid).update(time_limit=40)
        sim.run()
    assert call.answered_at == sim.clock.at(10_000_000)
    assert (call.status, call.duration, call.record.time_limit) == ("completed", 40, 40)
    assert call.record.end_time == sim.clock.at(50_000_000)


def test_app_redirecting_its_own_call_mid_webhook_replaces_the_answer() -> None:
    """The app updates the call it is answering (a common pattern): Twilio redirects the
    call "immediately", so the new TwiML runs and the webhook's own answer never does."""
    holder: dict[str, object] = {}

    def voice(form: dict[str, str]) -> str:
        client = holder["client"]
        client.calls(form["CallSid"]).update(  # type: ignore[attr-defined]
            twiml="<Response><Say>Changed course</Say></Response>"
        )
        return response('<Say>First words</Say><Pause length="10"/><Say>never said</Say>')

    with simulator({"/voice": voice}) as (sim, _):
        holder["client"] = sim.client()
        call = place(sim)
        sim.run()
    assert call.said == ["Changed course"]
    assert [r.kind for r in call.requests] == ["voice"]
    assert (call.status, call.duration) == ("completed", 1)


def test_app_hanging_up_its_own_call_mid_webhook_ends_it_before_the_answer_runs() -> None:
    holder: dict[str, object] = {}

    def voice(form: dict[str, str]) -> str:
        client = holder["client"]
        client.calls(form["CallSid"]).update(status="completed")  # type: ignore[attr-defined]
        return response('<Say>Goodbye then</Say><Pause length="10"/>')

    with simulator({"/voice": voice}) as (sim, _):
        holder["client"] = sim.client()
        call = place(sim)
        sim.run()
    assert call.said == []
    assert (call.status, call.duration) == ("completed", 0)
    assert call.transcript[-1] == HungUp(sim.clock.at(0), by="api", status="completed")


def test_an_answer_that_is_no_twiml_after_the_app_redirected_the_call_is_not_a_problem() -> None:
    """A Gather action that moves the caller on with a REST update, then answers a plain
    "OK": the update is the call's next TwiML, and the "OK" is never parsed (no 12100)."""
    holder: dict[str, object] = {}

    def menu(form: dict[str, str]) -> str:
        return response('<Gather numDigits="1" action="/pressed"><Say>Press 1</Say></Gather>')

    def pressed(form: dict[str, str]) -> tuple[int, list[tuple[str, str]], str]:
        client = holder["client"]
        client.calls(form["CallSid"]).update(  # type: ignore[attr-defined]
            twiml="<Response><Say>Transferring you</Say></Response>"
        )
        return 200, [("Content-Type", "text/html")], "Logged."

    with simulator({"/voice": menu, "/pressed": pressed}) as (sim, _):
        holder["client"] = sim.client()
        sim.phone(CALLEE).presses("1")
        call = place(sim)
        sim.run()
    assert call.said == ["Press 1", "Transferring you"]
    assert [(r.kind, r.response.status if r.response else None) for r in call.requests] == [
        ("voice", 200),
        ("gather", 200),
    ]
    assert (sim.failures, call.status) == ([], "completed")

"""Answering machine detection's timing: an ``unknown`` result at the detection timeout,
and a call that ends before asynchronous detection decides."""

from __future__ import annotations

import pytest

from tests.engine.helpers import base, completed, response, simulator, wrapped_bodies
from tests.engine.test_far_end import create
from tests.support import APP_URL, CALLEE


@pytest.mark.parametrize(
    ("timeout", "seconds"), [({}, 30), ({"machine_detection_timeout": 10}, 10)]
)
def test_an_unknown_result_comes_when_the_detection_timeout_runs_out(
    timeout: dict[str, int], seconds: int
) -> None:
    """Twilio's Call resource: ``MachineDetectionTimeout`` is "the number of seconds that
    we should attempt to detect an answering machine before timing out and sending a voice
    request with AnsweredBy of unknown" (30 by default)."""
    with simulator({"/voice": response("<Hangup/>")}) as (sim, _):
        sim.phone(CALLEE).machine(answered_by="unknown")
        call = create(sim, machine_detection="Enable", **timeout)
        sim.run()
    (voice,) = call.requests
    assert voice.at == sim.clock.at(seconds * 1_000_000)
    assert voice.params == dict(
        base(sim, call, "in-progress"),
        AnsweredBy="unknown",
        MachineDetectionDuration=str(seconds * 1000),
    )
    assert (call.duration, call.record.answered_by) == (seconds, "unknown")


def test_an_async_unknown_result_and_a_number_nouns_come_at_their_timeouts() -> None:
    dial = (
        '<Dial><Number machineDetection="Enable" machineDetectionTimeout="12" '
        f'amdStatusCallback="{APP_URL}/leg-amd">+15558675311</Number></Dial>'
    )
    with simulator({"/voice": response('<Pause length="40"/>'), "/dial": response(dial)}) as (
        sim,
        _,
    ):
        sim.phone(CALLEE).machine(answered_by="unknown")
        sim.phone("+15558675311").machine(answered_by="unknown").hangs_up(after=20)
        call = create(
            sim,
            machine_detection="Enable",
            async_amd=True,
            async_amd_status_callback=f"{APP_URL}/amd",
            machine_detection_timeout=25,
        )
        other = create(sim, url=f"{APP_URL}/dial", to="+15558675312")
        sim.run()
    (amd,) = [r for r in call.requests if r.kind == "amd"]
    assert (amd.at, amd.params["AnsweredBy"], amd.params["MachineDetectionDuration"]) == (
        sim.clock.at(25_000_000),
        "unknown",
        "25000",
    )
    (leg,) = other.children
    (leg_amd,) = [r for r in leg.requests if r.kind == "amd"]
    answered = leg.record.start_time
    assert answered is not None
    assert (leg_amd.at - answered).total_seconds() == 12
    assert leg_amd.params["MachineDetectionDuration"] == "12000"


def test_a_call_ending_before_async_amd_decides_reports_no_result() -> None:
    """A call whose TwiML hangs up within the 3 s detection takes (an AMD tutorial's "Hello
    human" said at once) ends before asynchronous detection decides: the AMD callback gets
    nothing, the completed callback has no ``AnsweredBy`` and the call's ``answered_by``
    stays null (a choice: Twilio does not say; see README's Fidelity notes)."""
    with simulator({"/voice": response("<Say>Hi</Say>")}) as (sim, _):
        sim.phone(CALLEE).machine("machine_start")
        call = create(
            sim,
            machine_detection="Enable",
            async_amd=True,
            async_amd_status_callback=f"{APP_URL}/amd",
            status_callback=f"{APP_URL}/status",
        )
        sim.run()
        answered_by = sim.client().calls(call.sid).fetch().answered_by
    assert answered_by is None
    assert [r.kind for r in call.requests] == ["voice", "status"]
    assert call.requests[1].params == completed(sim, call, 1)
    assert list(sim.failures) == []


@pytest.mark.parametrize(
    "options",
    [{"machine_detection": "Enable"}, {"send_digits": "1234567890wwwwwwwwww"}],
    ids=["MachineDetection", "SendDigits"],
)
def test_a_call_redirected_before_its_voice_request_runs_the_new_twiml(
    options: dict[str, str],
) -> None:
    """A REST update (``Url``) while a created call's synchronous detection listens or its
    SendDigits play: the new URL answers in place of the call's Url (the call was ended,
    no request made)."""
    routes = {"/voice": response("<Say>not said</Say>"), "/new": response("<Say>new</Say>")}
    with simulator(routes) as (sim, _):
        call = create(sim, **options)
        sim.advance(2)
        sim.client().calls(call.sid).update(url=f"{APP_URL}/new")
        sim.run()
    (update,) = call.requests
    assert (update.kind, update.url, update.at) == (
        "update",
        f"{APP_URL}/new",
        sim.clock.at(2_000_000),
    )
    assert update.params == base(sim, call, "in-progress")
    assert (call.said, call.status, call.duration, call.record.answered_by) == (
        ["new"],
        "completed",
        3,
        None,
    )


@pytest.mark.parametrize(
    ("options", "wrapped"),
    [
        ({}, 0),
        ({"status_callback": f"{APP_URL}/status"}, 0),
        ({"machine_detection": "Enable"}, 1),
        ({"machine_detection": "Enable", "async_amd": "true"}, 1),  # rare: not worth a branch
        ({"send_digits": "1234"}, 1),
    ],
)
def test_only_a_call_that_waits_before_its_voice_request_can_be_redirected_then(
    monkeypatch: pytest.MonkeyPatch, options: dict[str, str], wrapped: int
) -> None:
    """Every created call has options: the wrapper that takes a redirect before the voice
    request is for one that waits then (SendDigits, synchronous detection), not on the
    path of every other call."""
    from twimlsim.engine import engine as engine_module

    taken = wrapped_bodies(monkeypatch, engine_module)
    routes = {"/voice": response("<Say>Hi</Say>"), "/status": response("")}
    with simulator(routes) as (sim, _):
        call = create(sim, **options)
        sim.run()
    assert (len(taken), call.said, call.status) == (wrapped, ["Hi"], "completed")

"""Twilio's default hold music: an ``<Enqueue>`` or ``<Conference>`` without ``waitUrl``
(and a REST participant without ``WaitUrl``) requests Twilio's classical playlist with GET,
as the ``<Enqueue>`` page and error 13234's page say; ``waitUrl=""`` plays nothing."""

from __future__ import annotations

from tests.engine.helpers import (
    CLASSICAL,
    HOLD_MUSIC,
    TRACKS,
    base,
    get_url,
    place,
    response,
    simulator,
)
from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim.engine.events import Played
from twimlsim.engine.session import SimCall

CUSTOMER = "+15557770001"


def played(call: SimCall) -> list[tuple[str, float]]:
    start = call.transcript[0].at
    return [
        (e.url, (e.at - start).total_seconds()) for e in call.transcript if isinstance(e, Played)
    ]


def test_an_enqueue_without_wait_url_gets_twilios_playlist_with_get() -> None:
    body = '<Enqueue action="/queued" waitUrlMethod="POST">support</Enqueue>'
    with simulator({"/voice": response(body), "/queued": response("")}) as (sim, _):
        sim.phone(CUSTOMER).hangs_up(after=40)
        caller = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.run()
    queue = sim.queues["support"]
    params = base(sim, caller, "in-progress", from_=CUSTOMER, to=CALLER_ID)
    params.update(
        QueuePosition="1",
        QueueSid=queue.sid,
        QueueTime="0",
        AvgQueueTime="0",
        CurrentQueueSize="1",
        MaxQueueSize="1000",
    )
    wait = caller.requests[1]
    # GET although waitUrlMethod says POST: it applies to a waitUrl the app gives
    assert (wait.kind, wait.method, wait.url, wait.params) == (
        "wait",
        "GET",
        get_url(HOLD_MUSIC, params),
        params,
    )
    # the seven tracks (5 s each), then the twimlet's <Redirect/> to itself plays them
    # again: a POST, as Twilio's TwiML changelog (2024.05.30) has a wait document's
    # <Redirect> without a method, with the queue's parameters
    redirect = caller.requests[2]
    params.update(QueueTime="35", AvgQueueTime="35")
    assert (redirect.kind, redirect.method, redirect.url, redirect.params) == (
        "redirect",
        "POST",
        HOLD_MUSIC,
        params,
    )
    assert redirect.at == sim.clock.at(35_000_000)
    assert played(caller) == [(CLASSICAL + name, 5.0 * n) for n, name in enumerate(TRACKS)] + [
        (CLASSICAL + TRACKS[0], 35.0)
    ]
    assert [r.kind for r in caller.requests[3:]] == ["enqueue", "status"]
    assert sim.failures == []


def test_an_enqueue_with_an_empty_wait_url_waits_in_silence() -> None:
    """Twilio's <Enqueue> page: "If you don't wish anything to be played while the caller
    is waiting in the queue, set waitUrl to an empty string"."""
    body = '<Enqueue action="/queued" waitUrl="">support</Enqueue>'
    with simulator({"/voice": response(body), "/queued": response("")}) as (sim, _):
        sim.phone(CUSTOMER).hangs_up(after=40)
        caller = sim.incoming_call(from_=CUSTOMER, to=CALLER_ID)
        sim.run()
    assert [r.kind for r in caller.requests] == ["voice", "enqueue", "status"]
    assert played(caller) == []


def test_a_conference_without_wait_url_gets_twilios_playlist_with_get() -> None:
    body = '<Dial><Conference waitMethod="POST">Support</Conference></Dial>'
    with simulator({"/voice": response(body)}) as (sim, _):
        sim.phone(CALLEE).hangs_up(after=12)
        call = place(sim)
        sim.run()
    (wait,) = [r for r in call.requests if r.kind == "wait"]
    params = base(sim, call, "in-progress")
    assert (wait.method, wait.url, wait.params, wait.at) == (
        "GET",
        get_url(HOLD_MUSIC, params),
        params,
        sim.clock.at(0),
    )
    assert played(call) == [(CLASSICAL + name, 5.0 * n) for n, name in enumerate(TRACKS[:3])]
    assert sim.failures == []


def test_a_conference_with_an_empty_wait_url_waits_in_silence() -> None:
    body = '<Dial><Conference waitUrl="">Support</Conference></Dial>'
    with simulator({"/voice": response(body)}) as (sim, _):
        sim.phone(CALLEE).hangs_up(after=12)
        call = place(sim)
        sim.run()
    assert [r.kind for r in call.requests] == ["voice"]
    assert played(call) == []


def test_a_rest_participant_with_an_empty_wait_url_waits_in_silence() -> None:
    """Twilio's Participants API: "If you do not want anything to play while waiting for
    the conference to start, specify an empty string by setting wait_url to ''"; a
    WaitUrl given later (without WaitMethod) is requested with POST, its default."""
    with simulator({"/music": response("<Say>Still waiting</Say>")}) as (sim, _):
        sim.phone(CALLEE).hangs_up(after=20)
        client = sim.client()
        silent = client.conferences("Line").participants.create(
            from_=CALLER_ID, to=CALLEE, wait_url=""
        )
        sim.advance(10)
        room = client.conferences(silent.conference_sid)
        room.participants(silent.call_sid).update(wait_url=f"{APP_URL}/music")
        sim.run()
    call = sim.calls[silent.call_sid]
    assert [(r.kind, r.method, r.url, r.at) for r in call.requests] == [
        ("wait", "POST", f"{APP_URL}/music", sim.clock.at(10_000_000))  # at the update
    ]
    assert call.said == ["Still waiting"]
    assert played(call) == []

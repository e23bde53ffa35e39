"""A long-running simulator forgets ended calls beyond a count and an age."""

from __future__ import annotations

import pytest
import requests

from fixtures.twiml_app import TwimlApp
from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim import Simulator
from twimlsim.engine.retention import Retention


def simulator() -> Simulator:
    sim = Simulator(cps=10, freeze_time=False, strict=False)
    sim.start()
    app = TwimlApp(
        {
            "/voice": "<Response><Say>Hi</Say></Response>",
            "/long": '<Response><Pause length="3600"/></Response>',
        }
    )
    sim.route(APP_URL, app)
    sim.number(CALLER_ID)
    return sim


def place(sim: Simulator, count: int, to: str = CALLEE, path: str = "/voice") -> list[str]:
    client = sim.client()
    return [
        client.calls.create(
            to=to, from_=CALLER_ID, url=f"{APP_URL}{path}", status_callback=f"{APP_URL}/st"
        ).sid
        for _ in range(count)
    ]


def test_the_newest_ended_calls_are_kept_and_the_rest_forgotten() -> None:
    sim = simulator()
    try:
        retention = Retention(sim.engine, keep_calls=3, keep_seconds=3600)
        sids = place(sim, 5, to="+15558675311")
        sim.run()
        assert retention.prune() == 0  # too few calls to look yet
        live = place(sim, 1, path="/long")[0]
        sids += place(sim, 14)
        sim.advance(30)
        assert retention.prune() == 16
        kept = sids[-3:]
        assert list(sim.calls) == [live, *kept]
        assert {r.call_sid for r in sim.requests} == {live, *kept}
        assert "+15558675311" not in sim.engine.phones
        gone = requests.get(
            f"https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}/Calls/{sids[0]}.json",
            auth=(sim.account_sid, sim.auth_token),
            timeout=5,
        )
        assert (gone.status_code, gone.json()["code"]) == (404, 20404)
        assert retention.forgotten == 16
    finally:
        sim.stop()


def test_ended_calls_older_than_the_window_are_forgotten() -> None:
    sim = simulator()
    try:
        retention = Retention(sim.engine, keep_calls=100, keep_seconds=60)
        first = place(sim, 2)
        sim.run()
        sim.advance(30)
        assert retention.prune() == 0
        sim.advance(61)
        second = place(sim, 1)
        assert retention.prune() == 2
        assert list(sim.calls) == second
    finally:
        sim.stop()
    assert first[0] not in sim.calls


def test_keep_values_must_not_be_negative() -> None:
    sim = simulator()
    try:
        with pytest.raises(ValueError) as refused:
            Retention(sim.engine, keep_calls=-1)
        assert str(refused.value) == (
            "keep_calls and keep_seconds must be 0 or more, got -1 and 3600.0; give how many "
            "ended calls to keep and for how many seconds, such as 1000 and 3600"
        )
    finally:
        sim.stop()


def test_an_ended_conference_goes_with_its_last_kept_participant() -> None:
    sim = simulator()
    try:
        sim.route(
            APP_URL,
            TwimlApp(
                {"/room": "<Response><Dial><Conference>Support</Conference></Dial></Response>"}
            ),
        )
        sim.phone(CALLEE).hangs_up(after=5)
        sid = place(sim, 1, path="/room")[0]
        sim.run()
        assert sim.conferences["Support"].status == "completed"
        assert Retention(sim.engine, keep_calls=1).prune(now=True) == 0
        assert len(sim.conferences) == 1
        assert Retention(sim.engine, keep_calls=0).prune(now=True) == 1
        assert (sid in sim.calls, len(sim.conferences), sim.account.conferences) == (False, 0, {})
    finally:
        sim.stop()


def test_a_located_far_end_is_kept_with_its_place() -> None:
    sim = simulator()
    try:
        retention = Retention(sim.engine, keep_calls=0, keep_seconds=3600)
        sim.phone("+15558675311").located(city="Leeds", country="GB")
        place(sim, 1, to="+15558675311")
        sim.run()
        assert retention.prune(now=True) == 1
        assert sim.engine.phones["+15558675311"].location.city == "Leeds"
        sid = place(sim, 1, to="+15558675311")[0]
        sim.run()
        voice = sim.calls[sid].requests[0].params
        assert (voice["ToCity"], voice["ToCountry"]) == ("Leeds", "GB")
    finally:
        sim.stop()


def test_the_rest_log_forgets_with_the_calls_and_keeps_its_own_window() -> None:
    sim = simulator()
    try:
        retention = Retention(sim.engine, keep_calls=3, keep_seconds=60, api_log=sim.api_requests)
        sids = place(sim, 20)
        listing = f"https://api.twilio.com/2010-04-01/Accounts/{sim.account_sid}/Calls.json"
        for _ in range(5):
            requests.get(listing, auth=(sim.account_sid, sim.auth_token), timeout=5)
        sim.run()
        assert retention.prune() == 17
        assert [(entry.kind, entry.call_sid) for entry in sim.api_requests] == [
            *[("calls.create", sid) for sid in sids[-3:]],
            *[("calls.list", None)] * 3,
        ]
        assert [len(sim.calls[sid].api_requests) for sid in sids[-3:]] == [1, 1, 1]
        sim.advance(120)
        assert retention.prune(now=True) == 3
        assert sim.api_requests == []
    finally:
        sim.stop()


def test_without_a_log_to_trim_the_rest_log_is_left_whole() -> None:
    sim = simulator()
    try:
        retention = Retention(sim.engine, keep_calls=1, keep_seconds=60)
        place(sim, 20)
        sim.run()
        assert retention.prune() == 19
        assert len(sim.api_requests) == 20
    finally:
        sim.stop()


def test_messages_keep_the_windows_rule_and_transcriptions_go_with_their_recording() -> None:
    sim = simulator()
    try:
        retention = Retention(sim.engine, keep_calls=2, keep_seconds=60)
        client = sim.client()
        sent = [client.messages.create(CALLEE, from_=CALLER_ID, body=f"m{i}").sid for i in range(4)]
        sim.route(
            "https://vm.test",
            TwimlApp(
                {
                    "/voice": '<Response><Record transcribe="true" transcribeCallback="/t" '
                    'action="/done"/></Response>',
                    "/done": "<Response><Hangup/></Response>",
                    "/t": "",
                }
            ),
        )
        sim.phone(CALLEE).records(5, text="hello", hangs_up=True)
        recorded = client.calls.create(to=CALLEE, from_=CALLER_ID, url="https://vm.test/voice")
        place(sim, 3)
        sim.run()
        assert len(client.transcriptions.list()) == 1
        [recording] = client.recordings.list()
        recording.delete()
        assert client.recordings.list(include_soft_deleted=True)[0].status == "deleted"
        retention.prune(now=True)
        assert [m.sid for m in client.messages.list()] == sent[:1:-1]  # the two newest
        assert recorded.sid not in sim.calls
        assert client.transcriptions.list() == []
        # a soft-deleted recording's metadata goes with its call
        assert client.recordings.list(include_soft_deleted=True) == []
        sim.advance(120)
        retention.prune(now=True)
        assert client.messages.list() == []
    finally:
        sim.stop()

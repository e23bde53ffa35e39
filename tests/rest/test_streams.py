"""Unidirectional media streams of a live call: ``<Start><Stream>`` and ``POST
/Calls/{Sid}/Streams.json`` start them, ``<Stop><Stream>``, ``POST
.../Streams/{Sid or name}.json`` and the call's end stop them (``SimCall.streams``)."""

from __future__ import annotations

import pytest
import requests

from tests.rest.test_edges import api, assert_error
from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim import Simulator
from twimlsim.model.stream import MediaStream

MINUTE = '<Response><Pause length="60"/></Response>'


def live_call(sim: Simulator, twiml: str = MINUTE) -> str:
    sid = str(sim.client().calls.create(to=CALLEE, from_=CALLER_ID, twiml=twiml).sid)
    sim.advance(0)
    return sid


def create(sim: Simulator, call_sid: str, **form: str) -> requests.Response:
    return api(sim, "POST", f"/2010-04-01/Accounts/{{ac}}/Calls/{call_sid}/Streams.json", form)


def stop(sim: Simulator, call_sid: str, stream: str, **form: str) -> requests.Response:
    path = f"/2010-04-01/Accounts/{{ac}}/Calls/{call_sid}/Streams/{stream}.json"
    return api(sim, "POST", path, form)


def body(  # type: ignore[no-untyped-def]
    sim: Simulator,
    call_sid: str,
    sid: str,
    name: str | None,
    status: str,
    at: str,
    segment: str = "Streams",
):
    return {
        "account_sid": sim.account_sid,
        "call_sid": call_sid,
        "date_updated": f"Thu, 01 Jan 2026 09:00:{at} +0000",
        "name": name,
        "sid": sid,
        "status": status,
        "uri": f"/2010-04-01/Accounts/{sim.account_sid}/Calls/{call_sid}/{segment}/{sid}.json",
    }


def test_a_rest_stream_is_started_then_stopped_by_sid(sim: Simulator) -> None:
    call_sid = live_call(sim)
    sim.advance(5)
    started = create(
        sim,
        call_sid,
        Url="wss://media.test/s",
        Name="transcriber",
        Track="both_tracks",
        **{"Parameter2.Name": "b", "Parameter2.Value": "2", "Parameter1.Name": "a"},
    )
    sid = started.json()["sid"]
    assert (started.status_code, started.json()) == (
        200,
        body(sim, call_sid, sid, "transcriber", "in-progress", "05"),
    )
    sim.advance(7)
    stopped = stop(sim, call_sid, sid, Status="stopped")
    assert (stopped.status_code, stopped.json()) == (
        200,
        body(sim, call_sid, sid, "transcriber", "stopped", "12"),
    )
    t = sim.clock.at
    assert sim.calls[call_sid].streams == [
        MediaStream(
            sid,
            sim.account_sid,
            call_sid,
            "transcriber",
            "wss://media.test/s",
            "both_tracks",
            (("a", ""), ("b", "2")),
            t(5_000_000),
            t(12_000_000),
            t(12_000_000),
        )
    ]


def test_start_stream_twiml_is_stopped_by_name_and_the_call_end_stops_the_rest(
    sim: Simulator,
) -> None:
    twiml = (
        '<Response><Start><Stream name="tx" url="wss://media.test/tx">'
        '<Parameter name="caller" value="+15557770001"/></Stream>'
        '<Stream url="wss://media.test/raw" track="outbound_track"/></Start>'
        '<Pause length="30"/></Response>'
    )
    call_sid = live_call(sim, twiml)
    sim.advance(10)
    response = sim.client().calls(call_sid).streams("tx").update(status="stopped")
    assert (response.name, response.status) == ("tx", "stopped")
    sim.run()
    t = sim.clock.at
    tx, raw = sim.calls[call_sid].streams or []
    assert (tx.url, tx.track, tx.parameters, tx.started_at, tx.stopped_at) == (
        "wss://media.test/tx",
        "inbound_track",
        (("caller", "+15557770001"),),
        t(0),
        t(10_000_000),
    )
    assert (raw.name, raw.track, raw.status, raw.stopped_at) == (
        None,
        "outbound_track",
        "stopped",
        t(30_000_000),
    )


@pytest.mark.parametrize(
    ("stop_verb", "stopped"), [('<Stream name="b"/>', ["b"]), ("<Stream/>", ["a", "b"])]
)
def test_stop_stream_stops_the_named_stream_or_all(stop_verb: str, stopped: list[str]) -> None:
    twiml = (
        '<Response><Start><Stream name="a" url="wss://m.test/a"/>'
        '<Stream name="b" url="wss://m.test/b"/></Start><Pause length="3"/>'
        f'<Stop>{stop_verb}<Stream name="unknown"/></Stop><Pause length="4"/></Response>'
    )
    with Simulator() as sim:
        sim.number(CALLER_ID)
        call_sid = live_call(sim, twiml)
        sim.run()
    streams = sim.calls[call_sid].streams or []
    assert {stream.name: stream.stopped_at for stream in streams} == {
        name: sim.clock.at((3 if name in stopped else 7) * 1_000_000) for name in ("a", "b")
    }


def test_refusals(sim: Simulator) -> None:
    call_sid = live_call(sim)
    path = f"/2010-04-01/Accounts/{sim.account_sid}/Calls/{call_sid}/Streams"
    assert_error(
        create(sim, call_sid), 400, 20001, "Missing required parameter Url in the post body"
    )
    assert_error(
        create(sim, call_sid, Url="https://media.test/s"),
        400,
        20422,
        "Url is not valid: https://media.test/s. Give the wss:// URL of the WebSocket server",
    )
    unusable = ("wss://", "wss://media test/s", "wss://:80/s", "wss://media.test:port/s")
    unusable += ("wss://media.test/s\x00", "wss://media.test/\x7fs", "wss://media.test/a\u00a0b")
    for url in (*unusable, f"wss://{'a' * 64}.test/s"):
        assert_error(
            create(sim, call_sid, Url=url),
            400,
            20422,
            f"Url is not valid: {url}. Give the wss:// URL of the WebSocket server",
        )
    assert sim.calls[call_sid].streams is None
    assert_error(
        create(sim, call_sid, Url="wss://media.test/s", Track="both"),
        400,
        20422,
        "Track is not valid: both. Use one of inbound_track, outbound_track, both_tracks",
    )
    assert_error(
        stop(sim, call_sid, "nameless", Status="stopped"),
        404,
        20404,
        f"The requested resource {path}/nameless.json was not found",
    )
    sid = create(sim, call_sid, Url="wss://media.test/s", Name="s").json()["sid"]
    assert_error(
        stop(sim, call_sid, sid),
        400,
        20001,
        "Missing required parameter Status in the post body: give stopped",
    )
    assert_error(
        stop(sim, call_sid, "s", Status="paused"),
        400,
        20422,
        "Status is not valid: paused. Use one of stopped",
    )
    sim.run()
    assert_error(
        create(sim, call_sid, Url="wss://media.test/s"),
        400,
        21220,
        f"Call {call_sid} is completed; only an in-progress call can be streamed. Start the "
        "stream once the call is answered",
    )
    assert stop(sim, call_sid, "s", Status="stopped").json()["status"] == "stopped"


def test_a_call_streams_nothing_until_asked(sim: Simulator) -> None:
    call_sid = live_call(sim)
    sim.run()
    assert sim.calls[call_sid].streams is None


def stream_event(sim: Simulator, call_sid: str, sid: str, event: str, at: str, **name: str):  # type: ignore[no-untyped-def]
    return {
        "AccountSid": sim.account_sid,
        "CallSid": call_sid,
        "StreamSid": sid,
        **name,
        "StreamEvent": event,
        "Timestamp": f"Thu, 01 Jan 2026 09:{at} +0000",
    }


def test_a_status_callback_hears_the_stream_start_and_stop(sim: Simulator) -> None:
    call_sid = live_call(sim)
    sim.advance(2)
    callback = f"{APP_URL}/status"
    sid = create(sim, call_sid, Url="wss://media.test/s", Name="tx", StatusCallback=callback)
    sid = sid.json()["sid"]
    unnamed = create(
        sim,
        call_sid,
        Url="wss://media.test/u",
        StatusCallback=callback,
        StatusCallbackMethod="post",
    ).json()["sid"]
    sim.advance(3)
    stop(sim, call_sid, "tx", Status="stopped")
    stop(sim, call_sid, "tx", Status="stopped")  # already stopped: reported once
    sim.run()  # the call's end stops the other
    sent = [(r.method, r.params) for r in sim.calls[call_sid].requests if r.kind == "stream"]
    assert sent == [
        ("POST", stream_event(sim, call_sid, sid, "stream-started", "00:02", StreamName="tx")),
        ("POST", stream_event(sim, call_sid, unnamed, "stream-started", "00:02")),
        ("POST", stream_event(sim, call_sid, sid, "stream-stopped", "00:05", StreamName="tx")),
        ("POST", stream_event(sim, call_sid, unnamed, "stream-stopped", "01:00")),
    ]

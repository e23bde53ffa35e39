"""The Siprec subresource of a live call and ``<Start><Siprec>``: sessions started and
stopped by SID or name, Twilio's Siprec JSON, the call's end stopping them."""

from __future__ import annotations

import pytest
import requests

from fixtures.twiml_app import TwimlApp
from tests.engine.helpers import base
from tests.rest.test_edges import api, assert_error
from tests.rest.test_streams import body, live_call
from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim import Simulator
from twimlsim.model.siprec import SiprecSession


def create(sim: Simulator, call_sid: str, **form: str) -> requests.Response:
    return api(sim, "POST", f"/2010-04-01/Accounts/{{ac}}/Calls/{call_sid}/Siprec.json", form)


def stop(sim: Simulator, call_sid: str, siprec: str, **form: str) -> requests.Response:
    path = f"/2010-04-01/Accounts/{{ac}}/Calls/{call_sid}/Siprec/{siprec}.json"
    return api(sim, "POST", path, form)


def test_a_rest_siprec_session_is_started_then_stopped_by_sid(sim: Simulator) -> None:
    call_sid = live_call(sim)
    sim.advance(5)
    started = create(
        sim,
        call_sid,
        Name="recorder",
        ConnectorName="SiprecConnector1",
        Track="both_tracks",
        **{"Parameter1.Name": "tenant", "Parameter1.Value": "acme"},
    )
    sid = started.json()["sid"]
    assert sid.startswith("SR")
    assert (started.status_code, started.json()) == (
        200,
        body(sim, call_sid, sid, "recorder", "in-progress", "05", segment="Siprec"),
    )
    sim.advance(7)
    stopped = stop(sim, call_sid, sid, Status="stopped")
    assert (stopped.status_code, stopped.json()) == (
        200,
        body(sim, call_sid, sid, "recorder", "stopped", "12", segment="Siprec"),
    )
    t = sim.clock.at
    assert sim.calls[call_sid].siprecs == [
        SiprecSession(
            sid,
            sim.account_sid,
            call_sid,
            "recorder",
            "SiprecConnector1",
            "both_tracks",
            (("tenant", "acme"),),
            t(5_000_000),
            t(12_000_000),
            t(12_000_000),
        )
    ]


def test_start_siprec_twiml_is_stopped_by_name_and_the_call_end_stops_the_rest(
    sim: Simulator,
) -> None:
    twiml = (
        '<Response><Start><Siprec name="rec" connectorName="C1">'
        '<Parameter name="tenant" value="acme"/></Siprec>'
        '<Siprec connectorName="C2" track="outbound_track"/></Start>'
        '<Pause length="30"/></Response>'
    )
    call_sid = live_call(sim, twiml)
    sim.advance(10)
    response = sim.client().calls(call_sid).siprec("rec").update(status="stopped")
    assert (response.name, response.status) == ("rec", "stopped")
    sim.run()
    t = sim.clock.at
    rec, other = sim.calls[call_sid].siprecs or []
    assert (rec.connector_name, rec.track, rec.parameters, rec.stopped_at) == (
        "C1",
        "both_tracks",  # Twilio's <Siprec> page: the default, "two forked streams"
        (("tenant", "acme"),),
        t(10_000_000),
    )
    assert (other.name, other.connector_name, other.track, other.stopped_at) == (
        None,
        "C2",
        "outbound_track",
        t(30_000_000),
    )


def test_a_siprec_without_connector_or_track_takes_twilios_defaults(sim: Simulator) -> None:
    """Twilio's <Siprec> page: connectorName defaults to "Default", track to both_tracks
    ("by default uses two forked streams", one each for the inbound and outbound tracks)."""
    call_sid = live_call(sim, '<Response><Start><Siprec/></Start><Pause length="30"/></Response>')
    created = create(sim, call_sid)
    assert created.status_code == 200
    by_twiml, by_rest = sim.calls[call_sid].siprecs or []
    assert [(s.name, s.connector_name, s.track) for s in (by_twiml, by_rest)] == [
        (None, "Default", "both_tracks"),
        (None, "Default", "both_tracks"),
    ]


@pytest.mark.parametrize(
    ("stop_verb", "stopped"), [('<Siprec name="b"/>', ["b"]), ("<Siprec/>", ["a", "b"])]
)
def test_stop_siprec_stops_the_named_session_or_all(stop_verb: str, stopped: list[str]) -> None:
    twiml = (
        '<Response><Start><Siprec name="a" connectorName="C"/>'
        '<Siprec name="b" connectorName="C"/></Start><Pause length="3"/>'
        f'<Stop>{stop_verb}<Siprec name="unknown"/></Stop><Pause length="4"/></Response>'
    )
    with Simulator() as sim:
        sim.number(CALLER_ID)
        call_sid = live_call(sim, twiml)
        sim.run()
    sessions = sim.calls[call_sid].siprecs or []
    assert {session.name: session.stopped_at for session in sessions} == {
        name: sim.clock.at((3 if name in stopped else 7) * 1_000_000) for name in ("a", "b")
    }


def test_siprec_refusals(sim: Simulator) -> None:
    call_sid = live_call(sim)
    assert_error(
        create(sim, call_sid, Track="both"),
        400,
        20422,
        "Track is not valid: both. Use one of inbound_track, outbound_track, both_tracks",
    )
    missing = stop(sim, call_sid, "SR" + "0" * 32, Status="stopped")
    assert (missing.status_code, missing.json()["code"]) == (404, 20404)
    sim.run()
    ended = create(sim, call_sid, ConnectorName="C")
    assert (ended.status_code, ended.json()["code"]) == (400, 21220)


def siprec_event(  # type: ignore[no-untyped-def]
    sim: Simulator, call_sid: str, sid: str, event: str, at: str, status: str, **name: str
):
    """Twilio's <Siprec> page: "the standard TwiML request parameters and" SiprecSid,
    SiprecName, SiprecEvent and Timestamp (AccountSid and CallSid among the first)."""
    return {
        **base(sim, sim.calls[call_sid], status),
        "SiprecSid": sid,
        **name,
        "SiprecEvent": event,
        "Timestamp": f"Thu, 01 Jan 2026 09:{at} +0000",
    }


def test_a_status_callback_hears_the_rest_session_start_and_stop(sim: Simulator) -> None:
    """Twilio's Siprec page: status callbacks report a session's status."""
    call_sid = live_call(sim)
    sim.advance(2)
    callback = f"{APP_URL}/status"
    sid = create(sim, call_sid, Name="rec", ConnectorName="C", StatusCallback=callback)
    sid = sid.json()["sid"]
    unnamed = create(
        sim, call_sid, ConnectorName="C", StatusCallback=callback, StatusCallbackMethod="post"
    ).json()["sid"]
    sim.advance(3)
    stop(sim, call_sid, "rec", Status="stopped")
    stop(sim, call_sid, "rec", Status="stopped")  # already stopped: reported once
    sim.run()  # the call's end stops the other
    sent = [
        (r.kind, r.method, r.url.partition("?")[0], r.params)
        for r in sim.calls[call_sid].requests
        if r.kind in ("siprec", "status")
    ]
    named, other = {"SiprecName": "rec"}, {}
    assert [row[:3] for row in sent] == [
        ("siprec", "POST", callback),
    ] * 4
    assert [row[3] for row in sent] == [
        siprec_event(sim, call_sid, sid, "siprec-started", "00:02", "in-progress", **named),
        siprec_event(sim, call_sid, unnamed, "siprec-started", "00:02", "in-progress", **other),
        siprec_event(sim, call_sid, sid, "siprec-stopped", "00:05", "in-progress", **named),
        # the call's end stops it: reported before the call's completed callback
        siprec_event(sim, call_sid, unnamed, "siprec-stopped", "01:00", "completed", **other),
    ]


def test_start_siprec_status_callback_is_resolved_and_told_of_each_stop() -> None:
    """A session the call's end stops is reported before the call's completed callback."""
    twiml = (
        '<Response><Start><Siprec name="rec" connectorName="C" statusCallback="/siprec" '
        'statusCallbackMethod="GET"/><Siprec connectorName="C" statusCallback="/siprec"/>'
        '</Start><Pause length="3"/><Stop><Siprec name="rec"/></Stop><Pause length="1"/>'
        "</Response>"
    )
    with Simulator() as sim:
        sim.route(APP_URL, TwimlApp({"/voice": twiml}))  # type: ignore[arg-type]
        sim.number(CALLER_ID)
        call = sim.client().calls.create(
            to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice", status_callback=f"{APP_URL}/st"
        )
        sim.run()
    rec, other = sim.calls[call.sid].siprecs or []
    sent = [(r.kind, r.method, r.url.partition("?")[0]) for r in sim.calls[call.sid].requests]
    siprec = f"{APP_URL}/siprec"
    assert sent == [
        ("voice", "POST", f"{APP_URL}/voice"),
        ("siprec", "GET", siprec),
        ("siprec", "POST", siprec),
        ("siprec", "GET", siprec),
        ("siprec", "POST", siprec),
        ("status", "POST", f"{APP_URL}/st"),
    ]
    named = {"SiprecName": "rec"}
    assert [r.params for r in sim.calls[call.sid].requests[1:5]] == [
        siprec_event(sim, call.sid, rec.sid, "siprec-started", "00:00", "in-progress", **named),
        siprec_event(sim, call.sid, other.sid, "siprec-started", "00:00", "in-progress"),
        siprec_event(sim, call.sid, rec.sid, "siprec-stopped", "00:03", "in-progress", **named),
        siprec_event(sim, call.sid, other.sid, "siprec-stopped", "00:04", "completed"),
    ]

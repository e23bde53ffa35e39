"""The Siprec subresource of a live call and ``<Start><Siprec>``: sessions started and
stopped by SID or name, Twilio's Siprec JSON, the call's end stopping them."""

from __future__ import annotations

import pytest
import requests

from tests.rest.test_edges import api, assert_error
from tests.rest.test_streams import body, live_call
from tests.support import CALLER_ID
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
        "inbound_track",
        (("tenant", "acme"),),
        t(10_000_000),
    )
    assert (other.name, other.connector_name, other.track, other.stopped_at) == (
        None,
        "C2",
        "outbound_track",
        t(30_000_000),
    )


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

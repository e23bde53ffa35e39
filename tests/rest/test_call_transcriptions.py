"""Real-time transcriptions of a live call through the REST API: ``POST
/Calls/{Sid}/Transcriptions.json`` starts one, ``POST .../Transcriptions/{Sid or
name}.json`` with ``Status=stopped`` stops one (``SimCall.realtime_transcriptions``)."""

from __future__ import annotations

import requests

from tests.rest.test_edges import api, assert_error
from tests.rest.test_streams import body as streams_body
from tests.rest.test_streams import live_call
from tests.support import APP_URL
from twimlsim import Simulator


def create(sim: Simulator, call_sid: str, **form: str) -> requests.Response:
    path = f"/2010-04-01/Accounts/{{ac}}/Calls/{call_sid}/Transcriptions.json"
    return api(sim, "POST", path, form)


def stop(sim: Simulator, call_sid: str, sid: str, **form: str) -> requests.Response:
    path = f"/2010-04-01/Accounts/{{ac}}/Calls/{call_sid}/Transcriptions/{sid}.json"
    return api(sim, "POST", path, form)


def body(sim: Simulator, call_sid: str, sid: str, name: str | None, status: str, at: str):  # type: ignore[no-untyped-def]
    return streams_body(sim, call_sid, sid, name, status, at, "Transcriptions")


def test_a_transcription_is_started_and_stopped_by_sid(sim: Simulator) -> None:
    call_sid = live_call(sim)
    sim.advance(5)
    started = create(
        sim,
        call_sid,
        Name="assist",
        Track="inbound_track",
        StatusCallbackUrl=f"{APP_URL}/status",
        StatusCallbackMethod="post",
        PartialResults="true",
        LanguageCode="fr-FR",
        InboundTrackLabel="customer",
    )
    sid = started.json()["sid"]
    assert (started.status_code, started.json()) == (
        200,
        body(sim, call_sid, sid, "assist", "in-progress", "05"),
    )
    sim.advance(7)
    stopped = stop(sim, call_sid, sid, Status="stopped")
    assert (stopped.status_code, stopped.json()) == (
        200,
        body(sim, call_sid, sid, "assist", "stopped", "12"),
    )
    sent = [
        (r.method, r.url, r.params["TranscriptionEvent"], r.params["SequenceId"])
        for r in sim.calls[call_sid].requests
        if r.kind == "realtime-transcription"
    ]
    assert sent == [
        ("POST", f"{APP_URL}/status", "transcription-started", "1"),
        ("POST", f"{APP_URL}/status", "transcription-stopped", "2"),
    ]
    [transcription] = sim.calls[call_sid].realtime_transcriptions or []
    assert (
        transcription.track,
        transcription.partial_results,
        transcription.language_code,
        transcription.inbound_track_label,
        transcription.transcription_engine,
    ) == ("inbound_track", True, "fr-FR", "customer", "google")


def test_the_twilio_client_stops_a_twiml_transcription_by_name(sim: Simulator) -> None:
    twiml = '<Response><Start><Transcription name="tx"/></Start><Pause length="30"/></Response>'
    call_sid = live_call(sim, twiml)
    sim.advance(10)
    created = sim.client().calls(call_sid).transcriptions.create(name="second")
    assert (created.name, created.status, created.sid[:2]) == ("second", "in-progress", "GT")
    stopped = sim.client().calls(call_sid).transcriptions("tx").update(status="stopped")
    assert (stopped.name, stopped.status) == ("tx", "stopped")
    sim.run()
    t = sim.clock.at
    tx, second = sim.calls[call_sid].realtime_transcriptions or []
    assert [(x.name, x.track, x.started_at, x.stopped_at) for x in (tx, second)] == [
        ("tx", "both_tracks", t(0), t(10_000_000)),
        ("second", "both_tracks", t(10_000_000), t(30_000_000)),
    ]


def test_refusals(sim: Simulator) -> None:
    call_sid = live_call(sim)
    path = f"/2010-04-01/Accounts/{sim.account_sid}/Calls/{call_sid}/Transcriptions"
    assert_error(
        create(sim, call_sid, Track="both"),
        400,
        20422,
        "Track is not valid: both. Use one of inbound_track, outbound_track, both_tracks",
    )
    assert_error(
        create(sim, call_sid, PartialResults="maybe"),
        400,
        20422,
        "PartialResults is not a valid boolean: maybe. Use true or false",
    )
    assert sim.calls[call_sid].realtime_transcriptions is None
    assert_error(
        stop(sim, call_sid, "nameless", Status="stopped"),
        404,
        20404,
        f"The requested resource {path}/nameless.json was not found",
    )
    sid = create(sim, call_sid, Name="t").json()["sid"]
    assert_error(
        stop(sim, call_sid, sid),
        400,
        20001,
        "Missing required parameter Status in the post body: give stopped",
    )
    assert_error(
        stop(sim, call_sid, "t", Status="paused"),
        400,
        20422,
        "Status is not valid: paused. Use one of stopped",
    )
    sim.run()
    assert_error(
        create(sim, call_sid),
        400,
        21220,
        f"Call {call_sid} is completed; only an in-progress call can be transcribed. Start "
        "the transcription once the call is answered",
    )
    assert stop(sim, call_sid, "t", Status="stopped").json()["status"] == "stopped"

"""``<Start><Recording>``: a background recording the REST API controls; its callbacks and
length follow what was recorded."""

from __future__ import annotations

from tests.engine.helpers import place, response, simulator
from tests.support import APP_URL
from twimlsim.twiml import nodes, parse_twiml


def test_start_recording_runs_until_the_call_ends_and_reports_its_length() -> None:
    routes = {
        "/voice": response(
            "<Start><Recording "
            'recordingStatusCallback="/rec" recordingStatusCallbackEvent="in-progress completed"'
            ' channels="dual" track="inbound"/></Start>'
            '<Pause length="12"/>'
        )
    }
    with simulator(routes) as (sim, app):
        call = place(sim)
        sim.run()
        [recording] = call.recordings
        events = [
            (r.url, r.params["RecordingStatus"], r.params.get("RecordingDuration"))
            for r in call.requests
            if r.kind == "recording-status"
        ]
        assert events == [
            (f"{APP_URL}/rec", "in-progress", None),
            (f"{APP_URL}/rec", "completed", "12"),
        ]
        completed = call.requests[-1].params
        assert (
            completed["RecordingChannels"],
            completed["RecordingTrack"],
            completed["RecordingSource"],
        ) == ("1", "inbound", "StartCallRecordingTwiML")  # one track is mono, dual or not
        assert (recording.duration, recording.status, call.duration) == (12, "completed", 12)


def test_a_recording_without_channels_or_trim_has_the_defaults_of_twilios_page() -> None:
    """Twilio's <Recording> page: ``channels`` defaults to ``dual`` and ``trim`` to
    ``trim-silence`` (the REST create's defaults, mono and do-not-trim, are not its)."""
    routes = {
        "/voice": response(
            '<Start><Recording recordingStatusCallback="/rec"/></Start><Pause length="7"/>'
        )
    }
    with simulator(routes) as (sim, app):
        call = place(sim)
        sim.run()
        [recording] = call.recordings
        [completed] = [r for r in call.requests if r.kind == "recording-status"]
        assert (completed.params["RecordingChannels"], recording.channels) == ("2", 2)
    parsed = parse_twiml(b"<Response><Start><Recording/></Start></Response>", "text/xml")
    assert parsed.document is not None and parsed.problems == ()
    [start] = parsed.document.children
    [noun] = start.children
    assert isinstance(noun, nodes.Recording)
    assert (noun.channels, noun.trim, noun.track) == ("dual", "trim-silence", "both")


def test_a_started_recording_is_sourced_from_twiml_and_a_rest_one_from_the_api() -> None:
    """Twilio reports ``StartCallRecordingTwiML`` for ``<Start><Recording>`` (a public live
    test of its recording methods) and ``StartCallRecordingAPI`` for the REST create: an app
    that tells them apart by ``source`` sees both in one call."""
    routes = {
        "/voice": response(
            '<Start><Recording recordingStatusCallback="/rec"/></Start><Pause length="20"/>'
        )
    }
    with simulator(routes) as (sim, app):
        call = place(sim)
        sim.advance(5)
        client = sim.client()
        api_sid = client.calls(call.sid).recordings.create().sid
        sim.run()
        listed = client.calls(call.sid).recordings.list()
        assert sorted((r.source, r.duration, r.channels) for r in listed) == [
            ("StartCallRecordingAPI", "15", 1),
            ("StartCallRecordingTwiML", "20", 2),
        ]
        [callback] = [r.params for r in call.requests if r.kind == "recording-status"]
        assert callback["RecordingSource"] == "StartCallRecordingTwiML"
        assert callback["RecordingSid"] != api_sid


def test_the_rest_api_pauses_a_started_recording_through_twilio_current() -> None:
    routes = {"/voice": response('<Start><Recording/></Start><Pause length="30"/>')}
    with simulator(routes) as (sim, app):
        call = place(sim)
        sim.advance(10)
        client = sim.client()
        client.calls(call.sid).recordings("Twilio.CURRENT").update(
            status="paused", pause_behavior="skip"
        )
        sim.advance(5)
        client.calls(call.sid).recordings("Twilio.CURRENT").update(status="in-progress")
        sim.run()
        [recording] = call.recordings
        assert (recording.duration, call.duration) == (25, 30)


def test_stop_recording_by_name_stops_only_that_recording() -> None:
    """Twilio's <Recording> page: "If you provided a name attribute when starting the
    recording, you can stop the recording using the <Stop> TwiML verb"."""
    routes = {
        "/voice": response(
            '<Start><Recording name="consent" recordingStatusCallback="/rec"/>'
            '<Recording name="whole"/></Start>'
            '<Pause length="8"/>'
            '<Stop><Recording name="consent"/></Stop>'
            '<Pause length="4"/>'
        )
    }
    with simulator(routes) as (sim, app):
        call = place(sim)
        sim.run()
        consent, whole = call.recordings
        assert (consent.duration, consent.status, whole.duration, call.duration) == (
            8,
            "completed",
            12,
            12,
        )
        [done] = [r for r in call.requests if r.kind == "recording-status"]
        assert (done.url, done.at, done.params["RecordingDuration"]) == (
            f"{APP_URL}/rec",
            sim.clock.at(8_000_000),
            "8",
        )


def test_stop_recording_without_a_matching_name_stops_nothing() -> None:
    routes = {
        "/voice": response(
            '<Start><Recording name="consent"/></Start><Pause length="3"/>'
            '<Stop><Recording/><Recording name="other"/></Stop><Pause length="2"/>'
        )
    }
    with simulator(routes) as (sim, app):
        call = place(sim)
        sim.run()
        [recording] = call.recordings
        assert (recording.duration, call.duration, sim.failures) == (5, 5, [])

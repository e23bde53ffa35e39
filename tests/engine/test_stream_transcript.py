"""A unidirectional stream's lines in the call's transcript (``StreamStarted``,
``StreamStopped``) and in the printed report, as a ``<Connect><Stream>`` has its own."""

from __future__ import annotations

from tests.engine.helpers import place, response, simulator
from twimlsim.engine.events import Answered, HungUp, Said, StreamStarted, StreamStopped
from twimlsim.report import transcript_line

FORKED = (
    '<Start><Stream name="listen" url="wss://media.test/fork" track="both_tracks">'
    '<Parameter name="team" value="sales"/></Stream></Start>'
    "<Say>One two three four five</Say>"
    '<Stop><Stream name="listen"/></Stop><Say>Done</Say>'
)


def test_start_and_stop_are_lines_of_the_transcript_and_the_report() -> None:
    with simulator({"/voice": response(FORKED)}) as (sim, _):
        call = place(sim)
        sim.run()
    t = sim.clock.at
    started = StreamStarted(
        t(0), "wss://media.test/fork", "listen", "both_tracks", (("team", "sales"),)
    )
    stopped = StreamStopped(t(2_000_000), "wss://media.test/fork", "listen", 2)
    assert call.transcript == [
        Answered(t(0)),
        started,
        Said(t(0), "One two three four five", "man", "en-US"),
        stopped,
        Said(t(2_000_000), "Done", "man", "en-US"),
        HungUp(t(3_000_000), by="twiml", status="completed"),
    ]
    assert transcript_line(started) == (
        "  09:00:00  started streaming both_tracks to wss://media.test/fork (listen), team='sales'"
    )
    assert transcript_line(stopped) == (
        "  09:00:02  stopped streaming to wss://media.test/fork (listen) after 2s"
    )


def test_a_stream_the_rest_api_starts_and_stops_has_its_lines_too() -> None:
    routes = {"/voice": response('<Pause length="10"/>')}
    with simulator(routes) as (sim, _):
        call = place(sim)
        sim.advance(1)
        client = sim.client()
        stream = client.calls(call.sid).streams.create(url="wss://media.test/rest")
        sim.advance(3)
        client.calls(call.sid).streams(stream.sid).update(status="stopped")
        sim.run()
    t = sim.clock.at
    assert [e for e in call.transcript if isinstance(e, StreamStarted | StreamStopped)] == [
        StreamStarted(t(1_000_000), "wss://media.test/rest", None, "inbound_track"),
        StreamStopped(t(4_000_000), "wss://media.test/rest", None, 3),
    ]
    assert transcript_line(call.transcript[-2]) == (
        "  09:00:04  stopped streaming to wss://media.test/rest after 3s"
    )


def test_the_calls_end_stops_its_streams_without_a_line() -> None:
    routes = {"/voice": response('<Start><Stream url="wss://media.test/s"/></Start>')}
    with simulator(routes) as (sim, _):
        call = place(sim)
        sim.run()
    t = sim.clock.at
    assert call.transcript == [
        Answered(t(0)),
        StreamStarted(t(0), "wss://media.test/s", None, "inbound_track"),
        HungUp(t(0), by="twiml", status="completed"),
    ]
    assert call.streams is not None and call.streams[0].stopped_at == t(0)


def test_the_timeline_labels_the_stream_lines() -> None:
    from twimlsim.timeline import _describe

    with simulator({"/voice": response(FORKED)}) as (sim, _):
        call = place(sim)
        sim.run()
    lines = [e for e in call.transcript if isinstance(e, StreamStarted | StreamStopped)]
    assert [_describe(e) for e in lines] == [
        ("streaming to wss://media.test/fork", "#59a14f"),
        ("stream stopped", "#59a14f"),
    ]

"""Real-time transcription: ``<Start><Transcription>`` reports what the far end says and
what the call says to it, to its ``statusCallbackUrl``, as Twilio's ``<Transcription>``
page documents the events; ``<Stop><Transcription>`` and the call's end stop it."""

from __future__ import annotations

import json

from tests.engine.helpers import place, response, simulator
from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim import Simulator
from twimlsim.engine.session import SimCall
from twimlsim.model.realtime_transcription import Utterance

CALLBACK = f"{APP_URL}/rt"


def events(call: SimCall) -> list[dict[str, str]]:
    return [r.params for r in call.requests if r.kind == "realtime-transcription"]


def common(sim: Simulator, call: SimCall, sequence: int, event: str, at: str) -> dict[str, str]:
    [transcription, *_] = call.realtime_transcriptions or []
    return {
        "AccountSid": sim.account_sid,
        "CallSid": call.sid,
        "TranscriptionSid": transcription.sid,
        "Timestamp": f"2026-01-01T09:00:{at}Z",
        "SequenceId": str(sequence),
        "TranscriptionEvent": event,
    }


def content(
    sim: Simulator, call: SimCall, sequence: int, at: str, track: str, data: str, final: str
) -> dict[str, str]:
    return {
        **common(sim, call, sequence, "transcription-content", at),
        "LanguageCode": "en-US",
        "Track": track,
        "TranscriptionData": data,
        "Final": final,
    }


def test_both_tracks_are_transcribed_from_start_to_the_call_end() -> None:
    routes = {
        "/voice": response(
            '<Start><Transcription statusCallbackUrl="/rt" name="agent assist"/></Start>'
            "<Say>Welcome to Acme.</Say>"
            '<Gather input="speech" action="/heard"><Say>How can we help?</Say></Gather>'
        ),
        "/heard": response('<Say loop="2">One moment.</Say>'),
    }
    with simulator(routes) as (sim, _):
        sim.phone(CALLEE).says("I need a renewal quote", confidence=0.95)
        call = place(sim)
        sim.run()
    started = {
        **common(sim, call, 1, "transcription-started", "00.000000"),
        "ProviderConfiguration": (
            '{"profanityFilter":"true","speechModel":"telephony",'
            '"enableAutomaticPunctuation":"true"}'
        ),
        "TranscriptionEngine": "google",
        "Name": "agent assist",
        "Track": "both_tracks",
        "PartialResults": "false",
        "LanguageCode": "en-US",
    }
    assert [r.url for r in call.requests if r.kind == "realtime-transcription"] == [CALLBACK] * 7
    # each <Say> takes twimlsim's speaking time (2 s for these), the caller's five words
    # 2 s; the Gather's action comes after the speech timeout, at 11 s
    assert events(call) == [
        started,
        content(
            sim,
            call,
            2,
            "02.000000",
            "outbound_track",
            '{"transcript":"Welcome to Acme.","confidence":0.9}',
            "true",
        ),
        content(
            sim,
            call,
            3,
            "04.000000",
            "outbound_track",
            '{"transcript":"How can we help?","confidence":0.9}',
            "true",
        ),
        content(
            sim,
            call,
            4,
            "06.000000",
            "inbound_track",
            '{"transcript":"I need a renewal quote","confidence":0.95}',
            "true",
        ),
        *[
            content(
                sim,
                call,
                sequence,
                "13.000000",
                "outbound_track",
                '{"transcript":"One moment.","confidence":0.9}',
                "true",
            )
            for sequence in (5, 6)
        ],
        common(sim, call, 7, "transcription-stopped", "13.000000"),
    ]
    [transcription] = call.realtime_transcriptions or []
    assert (transcription.status, transcription.name, transcription.stopped_at) == (
        "stopped",
        "agent assist",
        call.end_time,
    )
    assert [(u.track, u.text) for u in transcription.utterances] == [
        ("outbound_track", "Welcome to Acme."),
        ("outbound_track", "How can we help?"),
        ("inbound_track", "I need a renewal quote"),
        ("outbound_track", "One moment."),
        ("outbound_track", "One moment."),
    ]
    # each event is sent at its place among the call's own webhooks
    assert [r.kind for r in call.requests] == [
        "voice",
        *["realtime-transcription"] * 4,
        "gather",
        *["realtime-transcription"] * 3,
    ]


def test_the_stop_is_reported_before_the_calls_completed_callback() -> None:
    routes = {"/voice": response('<Start><Transcription statusCallbackUrl="/rt"/></Start>')}
    with simulator(routes) as (sim, _):
        call = place(sim, status_callback=f"{APP_URL}/status")
        sim.run()
    assert [
        (r.kind, r.params.get("TranscriptionEvent", r.params.get("CallStatus")))
        for r in call.requests
    ][-3:] == [
        ("realtime-transcription", "transcription-started"),
        ("realtime-transcription", "transcription-stopped"),
        ("status", "completed"),
    ]


def test_partial_results_one_track_labels_and_provider_settings() -> None:
    routes = {
        "/voice": response(
            '<Start><Transcription statusCallbackUrl="/rt" track="inbound_track" '
            'partialResults="true" inboundTrackLabel="customer" outboundTrackLabel="agent" '
            'languageCode="es-MX" transcriptionEngine="deepgram" speechModel="nova-3" '
            'profanityFilter="false" enableAutomaticPunctuation="false" hints="Acme, renewal"/>'
            '</Start><Say>Hola</Say><Gather input="speech" action="/done"/>'
        ),
        "/done": response(""),
    }
    with simulator(routes) as (sim, _):
        sim.phone(CALLEE).says("quiero una cita")
        call = place(sim)
        sim.run()
    started, *contents, stopped = events(call)
    assert started == {
        **common(sim, call, 1, "transcription-started", "00.000000"),
        "ProviderConfiguration": (
            '{"profanityFilter":"false","speechModel":"nova-3",'
            '"enableAutomaticPunctuation":"false","hints":"Acme, renewal"}'
        ),
        "TranscriptionEngine": "deepgram",
        "Track": "inbound_track",
        "InboundTrackLabel": "customer",
        "OutboundTrackLabel": "agent",
        "PartialResults": "true",
        "LanguageCode": "es-MX",
    }
    # the <Say> is on the outbound track, not transcribed; the caller's words grow
    partial = {"Stability": "0.9", "Final": "false"}
    assert [
        (
            c["SequenceId"],
            c["Track"],
            c["LanguageCode"],
            c["TranscriptionData"],
            c.get("Stability"),
            c["Final"],
        )
        for c in contents
    ] == [
        ("2", "inbound_track", "es-MX", '{"transcript":"quiero"}', "0.9", "false"),
        ("3", "inbound_track", "es-MX", '{"transcript":"quiero una"}', "0.9", "false"),
        ("4", "inbound_track", "es-MX", '{"transcript":"quiero una cita"}', None, "true"),
    ]
    keys = [*common(sim, call, 2, "x", "0"), "LanguageCode", "Track", "TranscriptionData"]
    assert list(contents[0]) == [*keys, *partial]
    assert stopped["TranscriptionEvent"] == "transcription-stopped"


def test_stop_by_name_stops_that_one_and_a_bare_stop_stops_all() -> None:
    routes = {
        "/voice": response(
            '<Start><Transcription name="a" statusCallbackUrl="/rt"/>'
            '<Transcription name="b" statusCallbackUrl="/rt" track="outbound_track"/></Start>'
            '<Pause length="2"/><Stop><Transcription name="a"/><Transcription name="none"/>'
            "</Stop><Say>Still here</Say><Stop><Transcription/></Stop><Say>Gone</Say>"
            '<Pause length="5"/>'
        ),
    }
    with simulator(routes) as (sim, _):
        call = place(sim)
        sim.run()
    a, b = call.realtime_transcriptions or []
    t = sim.clock.at
    assert [(x.name, x.status, x.stopped_at, [u.text for u in x.utterances]) for x in (a, b)] == [
        ("a", "stopped", t(2_000_000), []),
        ("b", "stopped", t(3_000_000), ["Still here"]),
    ]
    assert [
        (r.params["TranscriptionSid"], r.params["TranscriptionEvent"])
        for r in call.requests
        if r.kind == "realtime-transcription"
    ] == [
        (a.sid, "transcription-started"),
        (b.sid, "transcription-started"),
        (a.sid, "transcription-stopped"),
        (b.sid, "transcription-content"),
        (b.sid, "transcription-stopped"),
    ]


def test_a_record_and_speech_to_a_keys_only_gather_are_heard() -> None:
    routes = {
        "/voice": response(
            "<Start><Transcription/></Start>"
            '<Gather input="dtmf" timeout="3"/><Record action="/done" timeout="2"/>'
        ),
        "/done": response(""),
    }
    with simulator(routes) as (sim, _):
        sim.phone(CALLEE).says("hello?", confidence=0.5).records(4, text="Call me back please")
        call = place(sim)
        sim.run()
    [transcription] = call.realtime_transcriptions or []
    t = sim.clock.at
    # no statusCallbackUrl: nothing is sent, and the utterances are kept all the same
    assert events(call) == []
    assert transcription.utterances == [
        Utterance(t(0), "inbound_track", "hello?"),
        Utterance(t(7_000_000), "inbound_track", "Call me back please"),
    ]


def test_a_callback_url_that_is_not_http_is_12200_and_the_transcription_runs() -> None:
    routes = {
        "/voice": response(
            '<Start><Transcription statusCallbackUrl="ftp://files.test/rt"/></Start><Say>Hi</Say>'
        )
    }
    with simulator(routes, strict=False) as (sim, _):
        call = place(sim)
        sim.run()
    [failure] = sim.failures
    assert (failure.code, failure.element, failure.line, failure.message) == (
        12200,
        "Transcription",
        1,
        "<Transcription> statusCallbackUrl='ftp://files.test/rt' is invalid: expected an "
        "absolute or relative http/https URL without spaces; ignored",
    )
    [transcription] = call.realtime_transcriptions or []
    assert ([u.text for u in transcription.utterances], events(call)) == (["Hi"], [])


def test_a_call_transcribes_nothing_until_asked() -> None:
    with simulator({"/voice": response("<Say>Hi</Say>")}) as (sim, _):
        call = place(sim)
        sim.run()
    assert call.realtime_transcriptions is None


def test_transcription_data_keeps_text_as_given() -> None:
    routes = {
        "/voice": response(
            '<Start><Transcription statusCallbackUrl="/rt"/></Start>'
            '<Gather input="speech" action="/done"/>'
        ),
        "/done": response(""),
    }
    with simulator(routes) as (sim, _):
        sim.phone(CALLEE).says('Ça "marche"  bien')
        call = place(sim)
        sim.run()
    [data] = [
        e["TranscriptionData"]
        for e in events(call)
        if e["TranscriptionEvent"] == "transcription-content"
    ]
    assert json.loads(data) == {"transcript": 'Ça "marche" bien', "confidence": 0.9}
    assert data == '{"transcript":"Ça \\"marche\\" bien","confidence":0.9}'


def test_an_agent_assist_dial_hears_both_ends_of_the_bridge() -> None:
    agent = "+15558675399"
    routes = {
        "/voice": response(
            '<Start><Transcription statusCallbackUrl="/rt"/></Start>'
            f'<Dial action="/after">{agent}</Dial>'
        ),
        "/after": response(""),
    }
    with simulator(routes) as (sim, _):
        sim.phone(CALLEE).says("I have a question about my bill").says("It is one two three")
        sim.phone(agent).answers(after=3).says("Sure, your account number?").hangs_up(after=20)
        caller = sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        sim.run()
    [transcription] = caller.realtime_transcriptions or []
    t = sim.clock.at
    # bridged at 3 s, each end talks through its script from then, 0.4 s a word
    assert transcription.utterances == [
        Utterance(t(4_600_000), "outbound_track", "Sure, your account number?"),
        Utterance(t(5_800_000), "inbound_track", "I have a question about my bill"),
        Utterance(t(7_800_000), "inbound_track", "It is one two three"),
    ]
    assert (caller.status, transcription.stopped_at) == ("completed", t(23_000_000))


def test_a_conference_call_hears_what_the_others_say() -> None:
    other = "+15558675398"
    routes = {
        "/voice": response(
            '<Start><Transcription statusCallbackUrl="/rt" track="outbound_track"/></Start>'
            "<Dial><Conference>standup</Conference></Dial>"
        ),
        "/join": response("<Dial><Conference>standup</Conference></Dial>"),
    }
    with simulator(routes) as (sim, _):
        sim.phone(other).says("Morning all").hangs_up(after=10)
        sim.phone(CALLEE).hangs_up(after=12)
        caller = sim.incoming_call(from_=CALLEE, to=CALLER_ID)
        joiner = place(sim, to=other, url=f"{APP_URL}/join")
        sim.run()
    [transcription] = caller.realtime_transcriptions or []
    assert [(u.track, u.text) for u in transcription.utterances] == [
        ("outbound_track", "Morning all")
    ]
    assert joiner.realtime_transcriptions is None


def test_profane_words_are_masked_unless_the_filter_is_off() -> None:
    """profanityFilter defaults to true, as for <Gather>: all but the first letter masked."""
    routes = {
        "/voice": response(
            '<Start><Transcription name="a"/><Transcription name="b" profanityFilter="false"/>'
            '</Start><Gather input="dtmf" timeout="3"/>'
        )
    }
    with simulator(routes) as (sim, _):
        sim.phone(CALLEE).says("oh shit, fucking great")
        call = place(sim)
        sim.run()
    [filtered, unfiltered] = call.realtime_transcriptions or []
    assert [u.text for u in filtered.utterances] == ["oh s***, f****** great"]
    assert [u.text for u in unfiltered.utterances] == ["oh shit, fucking great"]

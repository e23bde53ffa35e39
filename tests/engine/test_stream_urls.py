"""A ``<Stream>`` or ``<ConversationRelay>`` without a usable ``wss://`` URL is Twilio's
31923 (malformed: none, empty, no host, a second scheme for its host) or 31922 (a scheme
Twilio does not stream to), at the noun and its line; no stream starts (they used to
start, streaming to nowhere, and a ``<Connect>`` held the call for four hours). A
``<Start>`` goes on; a ``<Connect>`` ends at once: its action is requested, or the next
verb runs."""

from __future__ import annotations

import pytest

from tests.engine.helpers import base, place, response, simulator
from tests.support import APP_URL, CALLEE
from twimlsim import CallFailure

NO_URL = (
    31923,
    "<Stream> has no url: Twilio connects it to the app's WebSocket server at that URL; give "
    'one such as url="wss://app.example.com/media"',
)


@pytest.mark.parametrize(
    ("stream", "code", "message"),
    [
        ("<Stream/>", *NO_URL),
        ('<Stream url=" "/>', *NO_URL),
        (
            '<Stream url="wss://"/>',
            31923,
            "<Stream> url 'wss://' names no host it can reach; give the wss:// URL of the "
            "app's WebSocket server, such as wss://app.example.com/media",
        ),
        (
            f'<Stream url="wss://{"a" * 64}.test/s"/>',
            31923,
            f"<Stream> url 'wss://{'a' * 64}.test/s' names no host it can reach; give the "
            "wss:// URL of the app's WebSocket server, such as wss://app.example.com/media",
        ),
        (
            '<Stream url="wss://media.test:port/s"/>',
            31923,
            "<Stream> url 'wss://media.test:port/s' names no host it can reach; give the wss:// "
            "URL of the app's WebSocket server, such as wss://app.example.com/media",
        ),
        (
            # a voice bot's f"wss://{RENDER_DOMAIN}/ws" with a setting that held https://
            '<Stream url="wss://https://bot.test/voicebot/ws"/>',
            31923,
            "<Stream> url 'wss://https://bot.test/voicebot/ws' names no host it can reach: "
            "the URL holds a second scheme after its own (wss:// then https://), so its host "
            "is read as 'https': an app that puts a base URL setting already holding its "
            'scheme after one of its own (f"wss://{BASE_URL}/...") writes it so; write the '
            "scheme once (wss://bot.test/voicebot/ws)",
        ),
        (
            '<Stream url="wss://a b.test/s"/>',
            31923,
            "<Stream> url 'wss://a b.test/s' has spaces, which no URL holds; write the "
            "WebSocket server's URL without them (%20 in a path)",
        ),
        (
            '<Stream url="ws://media.test/s"/>',
            31922,
            "<Stream> url 'ws://media.test/s' uses ws:, which Twilio does not stream to (only "
            "wss:, WebSocket over TLS); give the wss:// URL of the app's WebSocket server",
        ),
        (
            '<Stream url="https://media.test/s"/>',
            31922,
            "<Stream> url 'https://media.test/s' uses https:, which Twilio does not stream "
            "to; give the wss:// URL of the app's WebSocket server",
        ),
    ],
)
def test_a_start_stream_without_a_usable_url_does_not_start(
    stream: str, code: int, message: str
) -> None:
    body = f"<Start>{stream}</Start><Say>Go on</Say>"
    with simulator({"/voice": response(body)}, strict=False) as (sim, _):
        call = place(sim)
        sim.run()
    assert [f for f in sim.failures if f.code != 12200] == [
        CallFailure(
            call.sid, code, f"{message}; the stream did not start", f"{APP_URL}/voice", "Stream", 1
        )
    ]
    assert (call.streams, call.said, call.status) == (None, ["Go on"], "completed")


def test_a_connect_stream_without_a_url_ends_at_once_and_runs_the_next_verb() -> None:
    body = "<Connect>\n<Stream/>\n</Connect><Say>Sorry</Say>"
    with simulator({"/voice": response(body)}, strict=False) as (sim, _):
        call = place(sim)
        sim.run()
    assert sim.failures == [
        CallFailure(
            call.sid,
            31923,
            f"{NO_URL[1]}; the <Connect> ended at once and the next verb runs",
            f"{APP_URL}/voice",
            "Stream",
            2,
        )
    ]
    assert (call.streams, call.said, call.duration) == (None, ["Sorry"], 1)


def test_a_conversation_relay_on_http_requests_the_action_with_a_failed_session() -> None:
    relay = '<ConversationRelay url="http://ai.test/relay" welcomeGreeting="Hi"/>'
    routes = {
        "/voice": response(f'<Connect action="/after">{relay}</Connect>'),
        "/after": response("<Hangup/>"),
    }
    with simulator(routes, strict=False) as (sim, _):
        call = place(sim)
        sim.run()
    assert [f for f in sim.failures if f.code != 12200] == [
        CallFailure(
            call.sid,
            31922,
            "<ConversationRelay> url 'http://ai.test/relay' uses http:, which Twilio does not "
            "stream to; give the wss:// URL of the app's WebSocket server; the <Connect> ended "
            "at once and its action is requested",
            f"{APP_URL}/voice",
            "ConversationRelay",
            1,
        )
    ]
    (after,) = [r for r in call.requests if r.kind == "connect"]
    session = after.params["SessionId"]
    assert session.startswith("VX") and len(session) == 34
    assert after.params == {
        **base(sim, call, "in-progress"),
        "SessionId": session,
        "SessionStatus": "failed",
        "SessionDuration": "0",
    }
    assert call.said == []  # no session, no greeting


def test_a_relative_stream_url_is_31922() -> None:
    """It would resolve against the document's https URL; Twilio streams to wss only."""
    body = '<Start><Stream url="/media"/></Start><Say>Go on</Say>'
    with simulator({"/voice": response(body)}, strict=False) as (sim, _):
        call = place(sim)
        sim.run()
    assert sim.failures == [
        CallFailure(
            call.sid,
            31922,
            "<Stream> url '/media' is relative: it would resolve against the document's "
            "http(s) URL, and Twilio streams only to wss:; give the absolute wss:// URL of the "
            "app's WebSocket server; the stream did not start",
            f"{APP_URL}/voice",
            "Stream",
            1,
        )
    ]
    assert (call.streams, call.said) == (None, ["Go on"])


@pytest.mark.parametrize("connect", ["<Connect/>", '<Connect action="/after">\n</Connect>'])
def test_a_connect_with_no_noun_is_a_schema_warning_and_is_skipped(connect: str) -> None:
    routes = {"/voice": response(f"{connect}<Say>Next</Say>"), "/after": response("<Hangup/>")}
    with simulator(routes, strict=False) as (sim, _):
        call = place(sim)
        sim.run()
    assert sim.failures == [
        CallFailure(
            call.sid,
            12200,
            "<Connect> has no noun, so nothing to connect the call to; nest one such as "
            '<Stream url="wss://..."/> or <ConversationRelay url="wss://..."/>; Twilio skips '
            "the verb",
            f"{APP_URL}/voice",
            "Connect",
            1,
            level="warning",
        )
    ]
    assert (call.said, [r.kind for r in call.requests]) == (["Next"], ["voice"])


@pytest.mark.parametrize("track", ["both_tracks", "outbound_track"])
def test_a_connect_stream_asking_for_another_track_than_the_callers_is_31941(track: str) -> None:
    # a voice-AI sample writes <Connect><Stream track="both_tracks">, as <Start><Stream>
    # takes: Twilio refuses any track but inbound_track on a bidirectional stream (31941),
    # and twimlsim had streamed it
    body = f'<Connect action="/after"><Stream url="wss://bot.test/s" track="{track}"/></Connect>'
    routes = {"/voice": response(body), "/after": response("<Say>Sorry</Say>")}
    with simulator(routes, strict=False) as (sim, _):
        call = place(sim)
        sim.run()
    assert sim.failures == [
        CallFailure(
            call.sid,
            31941,
            f'<Stream track="{track}"> in <Connect>: a bidirectional stream carries the '
            "caller's audio only, and Twilio refuses any other track there (its 31941: a "
            'value other than "inbound_track" with <Connect>); remove track, or use '
            "<Start><Stream> to fork both tracks; the <Connect> ended at once and its action "
            "is requested",
            f"{APP_URL}/voice",
            "Stream",
            1,
        )
    ]
    assert (call.streams, call.said, [r.kind for r in call.requests]) == (
        None,
        ["Sorry"],
        ["voice", "connect"],
    )


def test_a_connect_stream_with_the_callers_track_or_none_streams() -> None:
    for written in (' track="inbound_track"', ""):
        body = f'<Connect><Stream url="wss://bot.test/s"{written}/></Connect>'
        with simulator({"/voice": response(body)}) as (sim, _):
            sim.phone(CALLEE).hangs_up(after=3)
            call = place(sim)
            sim.run()
        assert (sim.failures, call.duration) == ([], 3)
        assert call.streams is not None and len(call.streams) == 1


def test_a_stream_track_no_stream_takes_is_31941_and_streams_the_callers_track() -> None:
    body = '<Start><Stream url="wss://bot.test/s" track="inbound"/></Start><Say>Go on</Say>'
    with simulator({"/voice": response(body)}, strict=False) as (sim, _):
        call = place(sim)
        sim.run()
    assert sim.failures == [
        CallFailure(
            call.sid,
            31941,
            "<Stream> track='inbound' is invalid: expected one of inbound_track, "
            "outbound_track, both_tracks; using 'inbound_track'",
            f"{APP_URL}/voice",
            "Stream",
            1,
        )
    ]
    assert call.streams is not None
    assert [(stream.track, stream.bidirectional) for stream in call.streams] == [
        ("inbound_track", False)
    ]

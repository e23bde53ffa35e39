"""What is not an ``Exception`` out of the app's answer (``KeyboardInterrupt``,
``pytest.fail()``, ``pytest.skip()`` from a fake the test gave the app) passes on out of
``sim.run()`` at once, as the test wants. It passed through the call's run and left the
call ringing for ever: a later ``sim.run()`` ended nothing, no failure said why, and the
request the app had received was missing from the log. The call now ends where it stood,
a failure names what happened, and the rest of its end waits for the next run."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qsl

import pytest

from twimlsim import Simulator

pytest_plugins = ["pytester"]

NOTHING_MORE = (
    "it is not an Exception, so twimlsim passed it on out of the run at once (Twilio "
    "would have had no answer) and ended the call {status} there. What the call's end "
    "sends the app (its status callback) is sent at the next sim.run() or sim.advance()"
)


def raising_at(path: str, raised: BaseException) -> Callable[..., Iterable[bytes]]:
    """A WSGI app that raises ``raised`` at ``path`` and answers a <Say> elsewhere."""

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ["PATH_INFO"] == path:
            raise raised
        start_response("200 OK", [("Content-Type", "text/xml")])
        return [b"<Response><Say>On.</Say></Response>"]

    return app


@pytest.mark.parametrize(
    ("raised", "shown"),
    [
        (KeyboardInterrupt(), "KeyboardInterrupt"),
        (pytest.fail.Exception("boom"), "Failed: boom"),
        (pytest.skip.Exception("later"), "Skipped: later"),
    ],
)
def test_an_inbound_call_ends_no_answer_and_says_why(raised: BaseException, shown: str) -> None:
    sim = Simulator(strict=False).start()
    try:
        sim.route("https://app.test", raising_at("/voice", raised))
        sim.number("+15005550006", voice_url="https://app.test/voice")
        call = sim.incoming_call(from_="+15555550001", to="+15005550006")
        with pytest.raises(type(raised)) as caught:
            sim.run()
        assert caught.value is raised
        assert (call.status, call.end_time, call.ended) == ("no-answer", sim.now, True)
        assert [(r.kind, r.url, r.response) for r in call.requests] == [
            ("voice", "https://app.test/voice", None)
        ]
        assert [(f.call_sid, f.code, f.url, f.message, f.cause) for f in sim.failures] == [
            (
                call.sid,
                None,
                "https://app.test/voice",
                f"{shown} escaped the app as it answered the voice webhook; "
                + NOTHING_MORE.format(status="no-answer"),
                raised,
            )
        ]
        assert not hasattr(raised, "__notes__")  # pytest.raises(match=) would read them
        sim.run()  # nothing left running; another call runs as usual
        sim.route("https://other.test", raising_at("/none", raised))
        sim.number("+15005550007", voice_url="https://other.test/voice")
        third = sim.incoming_call(from_="+15555550002", to="+15005550007")
        sim.run()
    finally:
        sim.stop()
    assert (call.status, third.status, third.said) == ("no-answer", "completed", ["On."])
    assert len(sim.failures) == 1


def test_the_status_callback_is_sent_at_the_next_run() -> None:
    with Simulator(strict=False) as sim:
        app = raising_at("/voice", KeyboardInterrupt())
        sim.route("https://app.test", app)
        sim.number("+15005550006")
        created = sim.client().calls.create(
            to="+15555550001",
            from_="+15005550006",
            url="https://app.test/voice",
            status_callback="https://app.test/status",
        )
        with pytest.raises(KeyboardInterrupt):
            sim.run()
        call = sim.calls[created.sid]
        assert (call.status, [r.kind for r in call.requests]) == ("completed", ["voice"])
        sim.run()
    assert [(r.kind, r.params["CallStatus"]) for r in call.requests] == [
        ("voice", "in-progress"),
        ("status", "completed"),
    ]
    assert [f.message for f in sim.failures] == [
        "KeyboardInterrupt escaped the app as it answered the voice webhook; "
        + NOTHING_MORE.format(status="completed")
    ]


def test_a_dial_goes_on_at_the_next_run_when_the_child_leg_s_webhook_raises() -> None:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ["PATH_INFO"] == "/whisper":
            raise KeyboardInterrupt
        start_response("200 OK", [("Content-Type", "text/xml")])
        if environ["PATH_INFO"] == "/after":
            return [b"<Response><Say>Dial over.</Say></Response>"]
        return [
            b"<Response><Dial action='/after'><Number url='https://app.test/whisper'>"
            b"+15555550009</Number></Dial></Response>"
        ]

    with Simulator(strict=False) as sim:
        sim.route("https://app.test", app)
        sim.number("+15005550006", voice_url="https://app.test/voice")
        parent = sim.incoming_call(from_="+15555550001", to="+15005550006")
        with pytest.raises(KeyboardInterrupt) as caught:
            sim.run()
        [child] = [c for c in sim.calls.values() if c.parent_call_sid == parent.sid]
        assert (parent.status, child.status) == ("in-progress", "completed")
        sim.run()
    assert (parent.status, parent.said) == ("completed", ["Dial over."])
    assert [(r.kind, r.params.get("DialCallStatus")) for r in parent.requests] == [
        ("voice", None),
        ("dial", "completed"),
    ]
    assert [(f.call_sid, f.message) for f in sim.failures] == [
        (
            child.sid,
            "KeyboardInterrupt escaped the app as it answered the whisper webhook; "
            + NOTHING_MORE.format(status="completed"),
        )
    ]
    assert not hasattr(caught.value, "__notes__")


SUITE = """
import pytest

from twimlsim import Simulator


def fake_charge(amount):
    pytest.fail(f"charged {amount} while on a call")


def app(environ, start_response):
    fake_charge(5)


@pytest.fixture
def twimlsim_app():
    return app


def test_a_fails_in_the_app(twimlsim):
    twimlsim.number("+15005550006", voice_url="https://app.test/voice")
    twimlsim.incoming_call(from_="+15555550001", to="+15005550006")
    twimlsim.run()


def test_b_skips_in_the_app(twimlsim):
    def skipping(environ, start_response):
        pytest.skip("no payments today")

    twimlsim.route("https://skip.test", skipping)
    twimlsim.number("+15005550007", voice_url="https://skip.test/voice")
    twimlsim.incoming_call(from_="+15555550001", to="+15005550007")
    twimlsim.run()


def test_c_comes_after(twimlsim):
    twimlsim.number("+15005550006")
    created = twimlsim.client().calls.create(
        to="+15555550001", from_="+15005550006", twiml="<Response><Say>Hi</Say></Response>"
    )
    twimlsim.run()
    assert twimlsim.calls[created.sid].said == ["Hi"]
    assert twimlsim.failures == []
"""


def test_pytest_fail_and_skip_in_the_app_fail_and_skip_the_test(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_outcomes=SUITE)
    result = pytester.runpytest("-p", "no:randomly", "-rs")
    result.assert_outcomes(passed=1, failed=1, skipped=1)
    result.stdout.fnmatch_lines(
        [
            "*Failed: charged 5 while on a call",
            "SKIPPED [[]1[]] test_outcomes.py:*: no payments today",
        ]
    )
    result.stdout.no_fnmatch_line("*teardown*")


def test_pytest_fail_out_of_an_asgi_app_ends_the_call_too() -> None:
    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            return
        pytest.fail("not on a call")

    with Simulator(strict=False) as sim:
        sim.route("https://app.test", app)
        sim.number("+15005550006", voice_url="https://app.test/voice")
        call = sim.incoming_call(from_="+15555550001", to="+15005550006")
        with pytest.raises(pytest.fail.Exception, match="^not on a call$"):
            sim.run()
        assert call.status == "no-answer"
    assert [(f.code, f.url, f.message) for f in sim.failures] == [
        (
            None,
            "https://app.test/voice",
            "Failed: not on a call escaped the app as it answered the voice webhook; "
            + NOTHING_MORE.format(status="no-answer"),
        )
    ]


def test_a_participant_s_call_ended_so_leaves_its_room_at_the_next_run() -> None:
    """The room kept the participant for ever (in-progress, no conference-end)."""

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ["PATH_INFO"] == "/wait":
            raise KeyboardInterrupt
        start_response("200 OK", [("Content-Type", "text/xml")])
        if environ["PATH_INFO"] == "/status":
            return [b""]
        return [
            b"<Response><Dial><Conference startConferenceOnEnter='false' waitUrl='/wait' "
            b"statusCallback='/status' statusCallbackEvent='join leave end'>Room"
            b"</Conference></Dial></Response>"
        ]

    with Simulator(strict=False) as sim:
        sim.route("https://app.test", app)
        sim.number("+15005550006", voice_url="https://app.test/voice")
        call = sim.incoming_call(from_="+15555550001", to="+15005550006")
        with pytest.raises(KeyboardInterrupt):
            sim.run()
        room = sim.conferences["Room"]
        assert (call.status, room.status) == ("completed", "init")
        sim.run()
    assert room.status == "completed"
    assert [
        (
            r.params["StatusCallbackEvent"],
            r.params.get("ParticipantCallStatus"),
            r.params.get("ReasonParticipantLeft"),
            r.params.get("ReasonConferenceEnded"),
        )
        for r in room.requests
    ] == [
        ("participant-join", None, None, None),
        ("participant-leave", "completed", "participant_hung_up", None),
        ("conference-end", None, None, "last-participant-left"),
    ]


def test_a_queued_call_ended_so_leaves_its_queue() -> None:
    """It stayed a member for ever: the queue's size counted it, and a Dial took it."""

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ["PATH_INFO"] == "/wait":
            raise KeyboardInterrupt
        start_response("200 OK", [("Content-Type", "text/xml")])
        return [b"<Response><Enqueue waitUrl='/wait'>support</Enqueue></Response>"]

    with Simulator(strict=False) as sim:
        sim.route("https://app.test", app)
        sim.number("+15005550006", voice_url="https://app.test/voice")
        sim.incoming_call(from_="+15555550001", to="+15005550006")
        with pytest.raises(KeyboardInterrupt):
            sim.run()
        client = sim.client()
        [queue] = client.queues.list()
        assert queue.current_size == 1  # until the next run
        sim.run()
        assert client.queues(queue.sid).fetch().current_size == 0


def test_a_dial_waits_no_more_for_a_leg_whose_completed_callback_raised() -> None:
    """The parent's <Dial> was never told the leg had ended: it waited for ever."""

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ["PATH_INFO"] == "/leg-status":
            raise KeyboardInterrupt
        start_response("200 OK", [("Content-Type", "text/xml")])
        if environ["PATH_INFO"] == "/after":
            return [b"<Response><Say>Dial over.</Say></Response>"]
        return [
            b"<Response><Dial action='/after'><Number statusCallback='/leg-status'>"
            b"+15555550009</Number></Dial></Response>"
        ]

    with Simulator(strict=False) as sim:
        sim.route("https://app.test", app)
        sim.number("+15005550006", voice_url="https://app.test/voice")
        sim.phone("+15555550009").hangs_up(after=3)
        parent = sim.incoming_call(from_="+15555550001", to="+15005550006")
        with pytest.raises(KeyboardInterrupt):
            sim.run()
        [leg] = [c for c in sim.calls.values() if c.parent_call_sid == parent.sid]
        assert (parent.status, leg.status) == ("in-progress", "completed")
        sim.run()
    assert (parent.status, parent.said, parent.duration) == ("completed", ["Dial over."], 4)
    assert [(f.call_sid, f.url, f.message) for f in sim.failures] == [
        (
            leg.sid,
            "https://app.test/leg-status",
            "KeyboardInterrupt escaped the app as it answered the status webhook; it is not an "
            "Exception, so twimlsim passed it on out of the run at once. The call had ended "
            "completed; what its end does next (telling a dialling parent) is done at the "
            "next sim.run() or sim.advance()",
        )
    ]


def test_a_room_callback_the_app_raised_on_is_passed_on_once_the_room_has_changed() -> None:
    """pytest.fail in the participant-leave callback of the last one there cut the leaving
    short: the room stayed in progress for ever, with no conference-end. The request
    the app raised on was missing from the room's log."""

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ["PATH_INFO"] == "/room":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            if b"participant-leave" in environ["wsgi.input"].read(length):
                pytest.fail("left")
            start_response("204 No Content", [])
            return [b""]
        start_response("200 OK", [("Content-Type", "text/xml")])
        return [
            b"<Response><Dial><Conference statusCallback='/room' "
            b"statusCallbackEvent='join leave end'>Room</Conference></Dial></Response>"
        ]

    with Simulator(strict=False) as sim:
        sim.route("https://app.test", app)
        sim.number("+15005550006", voice_url="https://app.test/voice")
        sim.phone("+15555550001").hangs_up(after=5)
        call = sim.incoming_call(from_="+15555550001", to="+15005550006")
        with pytest.raises(pytest.fail.Exception, match="^left$"):
            sim.run()
        room = sim.conferences["Room"]
        assert (call.status, room.status) == ("completed", "completed")
        sim.run()
    assert [(r.params["StatusCallbackEvent"], r.response is None) for r in room.requests] == [
        ("participant-join", False),
        ("participant-leave", True),
        ("conference-end", False),
    ]
    assert [(f.call_sid, f.url, f.message) for f in sim.failures] == [
        (
            call.sid,
            "https://app.test/room",
            "Failed: left escaped the app as it answered the callback (participant-leave) of "
            f"the conference 'Room' {room.sid}; it is not an Exception: twimlsim let the room "
            "finish the change the callback reported, then passed it on out of the run",
        )
    ]


def queue_app(raise_at: str) -> Callable[..., Iterable[bytes]]:
    """Callers wait in "support"; an agent's call takes the first one, with a whisper."""
    documents = {
        "/voice": b"<Response><Enqueue>support</Enqueue><Say>Caller on.</Say></Response>",
        "/agent": b"<Response><Dial action='/agent-done'><Queue url='/whisper'>support</Queue>"
        b"</Dial></Response>",
        "/agent-done": b"<Response><Say>Agent on.</Say></Response>",
        "/whisper": b"<Response><Say>Connecting.</Say></Response>",
    }

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ["PATH_INFO"] == raise_at:
            raise KeyboardInterrupt
        start_response("200 OK", [("Content-Type", "text/xml")])
        return [documents.get(environ["PATH_INFO"], b"<Response/>")]

    return app


def test_the_agent_of_a_bridged_caller_ended_so_hears_the_bridge_is_over() -> None:
    """The agent's <Dial><Queue> was never told: it talked to nobody until its time limit."""
    with Simulator(strict=False) as sim:
        sim.route("https://app.test", queue_app("/whisper"))
        sim.number("+15005550006", voice_url="https://app.test/voice")
        sim.number("+15005550007", voice_url="https://app.test/agent")
        caller = sim.incoming_call(from_="+15555550001", to="+15005550006")
        sim.advance(5)
        agent = sim.incoming_call(from_="+15555550002", to="+15005550007")
        with pytest.raises(KeyboardInterrupt):
            sim.run()
        assert (caller.status, agent.status) == ("completed", "in-progress")
        sim.run()
    assert (agent.status, agent.said, agent.duration) == ("completed", ["Agent on."], 1)
    assert [(r.kind, r.params.get("DialCallStatus")) for r in agent.requests] == [
        ("voice", None),
        ("dial", "completed"),
    ]
    assert [(f.call_sid, f.message) for f in sim.failures] == [
        (
            caller.sid,
            "KeyboardInterrupt escaped the app as it answered the queue webhook; "
            + NOTHING_MORE.format(status="completed"),
        )
    ]


def test_an_exception_raised_inside_twimlsim_is_not_called_a_non_exception(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An ``Exception`` out of the run is twimlsim's own (the app's are its HTTP 500):
    its failure said 'it is not an Exception' of a RuntimeError."""
    from twimlsim.engine.engine import Engine

    def broken(self: Engine, call: object) -> None:
        raise RuntimeError("broken")

    with Simulator(strict=False) as sim:
        sim.route("https://app.test", raising_at("/none", KeyboardInterrupt()))
        sim.number("+15005550006", voice_url="https://app.test/voice")
        call = sim.incoming_call(from_="+15555550001", to="+15005550006")
        monkeypatch.setattr(Engine, "answer", broken)
        with pytest.raises(RuntimeError, match="^broken$"):
            sim.run()
        monkeypatch.undo()
        sim.run()
    assert (call.status, [r.kind for r in call.requests]) == ("no-answer", ["voice"])
    assert [(f.call_sid, f.url, f.message) for f in sim.failures] == [
        (
            call.sid,
            "https://app.test/voice",
            "RuntimeError: broken was raised inside twimlsim as the call ran; twimlsim passed "
            "it on out of the run at once (Twilio would have had no answer) and ended the "
            "call no-answer there. What the call's end sends the app (its status callback) "
            "is sent at the next sim.run() or sim.advance()",
        )
    ]


def test_an_exception_raised_inside_twimlsim_at_the_completed_callback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from twimlsim.engine.engine import Engine

    sent = Engine.send_progress

    def broken(self: Engine, call: Any, event: str) -> None:
        if event == "completed":
            raise RuntimeError("broken")
        sent(self, call, event)

    with Simulator(strict=False) as sim:
        sim.route("https://app.test", raising_at("/none", KeyboardInterrupt()))
        sim.number("+15005550006", voice_url="https://app.test/voice")
        call = sim.incoming_call(from_="+15555550001", to="+15005550006")
        monkeypatch.setattr(Engine, "send_progress", broken)
        with pytest.raises(RuntimeError, match="^broken$"):
            sim.run()
        monkeypatch.undo()
        sim.run()
    assert (call.status, call.said) == ("completed", ["On."])
    assert [(f.call_sid, f.url, f.message) for f in sim.failures] == [
        (
            call.sid,
            None,
            "RuntimeError: broken was raised inside twimlsim as it sent the status webhook; "
            "twimlsim passed it on out of the run at once. The call had ended completed; "
            "what its end does next (telling a dialling parent) is done at the next "
            "sim.run() or sim.advance()",
        )
    ]


def test_a_raise_in_a_callback_of_the_call_s_end_leaves_the_rest_for_the_next_run() -> None:
    """A KeyboardInterrupt out of the app's answer to a stream's stream-stopped callback
    (sent as the call ends) left the call without its completed status callback, and a
    dialling parent waiting, for ever, with no failure saying why."""

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        if environ["PATH_INFO"] == "/stream" and b"StreamEvent=stream-stopped" in body:
            raise KeyboardInterrupt
        start_response("200 OK", [("Content-Type", "text/xml")])
        if environ["PATH_INFO"] == "/voice":
            return [
                b"<Response><Start><Stream url='wss://app.test/ws' statusCallback='/stream'/>"
                b"</Start><Say>Hi.</Say></Response>"
            ]
        return [b""]

    with Simulator(strict=False) as sim:
        sim.route("https://app.test", app)
        sim.number("+15005550006")
        created = sim.client().calls.create(
            to="+15555550001",
            from_="+15005550006",
            url="https://app.test/voice",
            status_callback="https://app.test/status",
        )
        with pytest.raises(KeyboardInterrupt):
            sim.run()
        call = sim.calls[created.sid]
        events = [
            (r.kind, r.params.get("StreamEvent") or r.params["CallStatus"]) for r in call.requests
        ]
        assert (call.status, events) == (
            "completed",
            [("voice", "in-progress"), ("stream", "stream-started"), ("stream", "stream-stopped")],
        )
        sim.run()
    assert [
        (r.kind, r.params.get("StreamEvent") or r.params["CallStatus"]) for r in call.requests
    ] == [
        ("voice", "in-progress"),
        ("stream", "stream-started"),
        ("stream", "stream-stopped"),
        ("status", "completed"),
    ]
    assert [(f.call_sid, f.url, f.message) for f in sim.failures] == [
        (
            call.sid,
            "https://app.test/stream",
            "KeyboardInterrupt escaped the app as it answered the stream webhook; it is not an "
            "Exception, so twimlsim passed it on out of the run at once. The call had ended "
            "completed; what its end does next (its status callback, telling a dialling "
            "parent) is done at the next sim.run() or sim.advance()",
        )
    ]


def test_the_same_exception_raised_again_is_named_where_it_escaped_this_time() -> None:
    """One that escaped a transcription's callback (sent after its call had ended, nothing
    of the call left to end) was kept as where it escaped; raised again (one object, as an
    app's module-level one) at another call's voice webhook, that call's failure named the
    transcription's callback and URL."""
    stop = KeyboardInterrupt()

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ["PATH_INFO"] in ("/transcribed", "/voice-b"):
            raise stop
        start_response("200 OK", [("Content-Type", "text/xml")])
        return [
            b"<Response><Record transcribe='true' transcribeCallback='/transcribed' "
            b"action='/done'/></Response>"
            if environ["PATH_INFO"] == "/voice-a"
            else b"<Response/>"
        ]

    with Simulator(strict=False) as sim:
        sim.route("https://app.test", app)
        sim.number("+15005550006")
        sim.phone("+15555550001").records(3, text="Hello there.", hangs_up=True)
        client = sim.client()
        client.calls.create(to="+15555550001", from_="+15005550006", url="https://app.test/voice-a")
        with pytest.raises(KeyboardInterrupt):
            sim.run()
        second = client.calls.create(
            to="+15555550002", from_="+15005550006", url="https://app.test/voice-b"
        )
        with pytest.raises(KeyboardInterrupt):
            sim.run()
        sim.run()
    assert [(f.call_sid, f.url, f.message) for f in sim.failures] == [
        (
            second.sid,
            "https://app.test/voice-b",
            "KeyboardInterrupt escaped the app as it answered the voice webhook; "
            + NOTHING_MORE.format(status="completed"),
        )
    ]


def test_a_dial_waits_no_more_for_a_leg_whose_recording_callback_raised() -> None:
    """The recording's callback is sent after the leg's status callback: what escaped it
    left the parent's <Dial> waiting for the 4-hour limit, blamed on its TwiML."""
    client: list[Any] = []

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0)).decode()
        if environ["PATH_INFO"] == "/recorded":
            raise KeyboardInterrupt
        start_response("200 OK", [("Content-Type", "text/xml")])
        if environ["PATH_INFO"] == "/whisper":
            leg_sid = dict(parse_qsl(body))["CallSid"]
            client[0].calls(leg_sid).recordings.create(
                recording_status_callback="https://app.test/recorded"
            )
            return [b"<Response><Pause length='1'/></Response>"]
        if environ["PATH_INFO"] == "/after":
            return [b"<Response><Say>Dial over.</Say></Response>"]
        return [
            b"<Response><Dial action='/after'><Number url='/whisper'>+15555550009</Number>"
            b"</Dial></Response>"
        ]

    with Simulator(strict=False) as sim:
        client.append(sim.client())
        sim.route("https://app.test", app)
        sim.number("+15005550006", voice_url="https://app.test/voice")
        sim.phone("+15555550009").hangs_up(after=3)
        parent = sim.incoming_call(from_="+15555550001", to="+15005550006")
        with pytest.raises(KeyboardInterrupt):
            sim.run()
        [leg] = [c for c in sim.calls.values() if c.parent_call_sid == parent.sid]
        assert (parent.status, leg.status) == ("in-progress", "completed")
        sim.run()
    assert (parent.status, parent.said, parent.duration) == ("completed", ["Dial over."], 4)
    assert [(f.call_sid, f.url, f.message) for f in sim.failures] == [
        (
            leg.sid,
            "https://app.test/recorded",
            "KeyboardInterrupt escaped the app as it answered the recording-status webhook; it "
            "is not an Exception, so twimlsim passed it on out of the run at once. The call "
            "had ended completed; what its end does next (telling a dialling parent) is done "
            "at the next sim.run() or sim.advance()",
        )
    ]


def test_the_recordings_left_to_report_are_reported_at_the_next_run() -> None:
    """What escaped the first recording's callback lost the second's for ever."""
    client: list[Any] = []

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0)).decode()
        if environ["PATH_INFO"] == "/first":
            raise KeyboardInterrupt
        start_response("200 OK", [("Content-Type", "text/xml")])
        if environ["PATH_INFO"] == "/voice":
            client[0].calls(dict(parse_qsl(body))["CallSid"]).recordings.create(
                recording_status_callback="https://app.test/second"
            )
            return [b"<Response><Pause length='2'/></Response>"]
        return [b""]

    with Simulator(strict=False) as sim:
        client.append(sim.client())
        sim.route("https://app.test", app)
        sim.number("+15005550006")
        created = client[0].calls.create(
            to="+15555550001",
            from_="+15005550006",
            url="https://app.test/voice",
            record=True,
            recording_status_callback="https://app.test/first",
        )
        with pytest.raises(KeyboardInterrupt):
            sim.run()
        call = sim.calls[created.sid]
        sim.run()
    assert [(r.url, r.params.get("RecordingStatus")) for r in call.requests] == [
        ("https://app.test/voice", None),
        ("https://app.test/first", "completed"),
        ("https://app.test/second", "completed"),
    ]

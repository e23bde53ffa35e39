"""A webhook due while the app held another one's answer past the read timeout is named.

An app that holds a webhook's answer until another webhook arrives (an appointment
reminder whose redirect waits for the asynchronous AMD verdict, an agent's document that
waits for the customer's status callback) is answered on Twilio when that webhook comes;
twimlsim runs one event at a time, so virtual time stands still and the other webhook
comes only after the read timeout ran out (11200). The 11200 is then followed by a warning
naming the webhook that fell due meanwhile, under the same code.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qs

from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim import Simulator

#: The simulator's read timeout in these tests: the app's wait outlasts it at once.
LIMIT = 0.2

Environ = dict[str, object]
StartResponse = Callable[[str, list[tuple[str, str]]], object]


class WaitingApp:
    """A WSGI app whose ``/hold`` answers only once ``/amd`` or ``/status`` has come (or
    after ``wait`` wall seconds), saying what it was told."""

    def __init__(self, wait: float = 0.5) -> None:
        self.wait = wait
        self.told = threading.Event()
        self.heard = "nothing"

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        stream = environ["wsgi.input"]
        size = int(str(environ.get("CONTENT_LENGTH") or 0))
        form = parse_qs(stream.read(size).decode())  # type: ignore[attr-defined]
        path = environ["PATH_INFO"]
        if path in {"/amd", "/status"}:
            self.heard = form.get("AnsweredBy", form.get("CallStatus", ["?"]))[0]
            self.told.set()
            start_response("204 No Content", [])
            return [b""]
        if path == "/hold":
            self.told.wait(self.wait)
            body = f"<Response><Say>{self.heard}</Say></Response>"
        elif path == "/other":
            body = '<Response><Pause length="3"/></Response>'
        else:
            body = '<Response><Pause length="1"/><Redirect>/hold</Redirect></Response>'
        start_response("200 OK", [("Content-Type", "text/xml")])
        return [body.encode()]


def _note(whose: str, url: str, into: int) -> str:
    return (
        f"twimlsim's note on this call's 11200 (Twilio logs no such warning): {whose} to "
        f"{url} fell due {into} s into the 15 s Twilio waits for the answer to "
        f"{APP_URL}/hold. Twilio sends it at its time, while that request still waits; "
        "twimlsim runs one event at a time, and virtual time stood still until the request "
        "was given up, so the app got it only afterwards. An app whose answer waits for "
        "another webhook (an AMD result, a status callback) is answered on Twilio when that "
        "webhook comes, and fails here: answer at once instead (a <Pause> and a <Redirect> "
        "back to the same URL until the result has come, or update the call through the "
        "REST API, calls(sid).update(twiml=...), when it comes)"
    )


@contextmanager
def _holding(app: Any) -> Iterator[Simulator]:
    """A simulator that does not fail the test on a problem, with a short read timeout,
    ``app`` routed at ``APP_URL`` and the account owning ``CALLER_ID``."""
    with Simulator(strict=False, webhook_timeout=LIMIT) as sim:
        sim.route(APP_URL, app)
        sim.number(CALLER_ID)
        yield sim


def test_the_calls_own_amd_result_due_while_its_redirect_waited_is_named() -> None:
    with _holding(WaitingApp()) as sim:
        sim.phone(CALLEE).machine("unknown")
        created = sim.client().calls.create(
            to=CALLEE,
            from_=CALLER_ID,
            url=f"{APP_URL}/voice",
            machine_detection="Enable",
            async_amd="true",
            async_amd_status_callback=f"{APP_URL}/amd",
            machine_detection_timeout=5,
            status_callback=f"{APP_URL}/status",  # its completed event is not named
        )
        sim.run()
    call = sim.calls[created.sid]
    assert [(r.kind, r.url, str(r.at.time())) for r in call.requests] == [
        ("voice", f"{APP_URL}/voice", "09:00:00"),
        ("redirect", f"{APP_URL}/hold", "09:00:01"),
        ("amd", f"{APP_URL}/amd", "09:00:05"),
        ("status", f"{APP_URL}/status", "09:00:05"),
    ]
    assert [(f.code, f.level, f.url) for f in sim.failures] == [
        (11200, "error", f"{APP_URL}/hold"),
        (11200, "warning", f"{APP_URL}/hold"),
    ]
    assert sim.failures[1].message == _note("this call's amd webhook", f"{APP_URL}/amd", 4)


def test_another_calls_status_callback_due_while_the_answer_waited_is_named() -> None:
    with _holding(WaitingApp()) as sim:
        sim.phone(CALLEE)
        sim.phone("+15558670002")
        client = sim.client()
        other = client.calls.create(
            to="+15558670002",
            from_=CALLER_ID,
            url=f"{APP_URL}/other",
            status_callback=f"{APP_URL}/status",
        )
        held = client.calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice")
        sim.run()
    # the other call, placed first, ends 3 s after its answer (09:00:03); the held call,
    # placed a second later (one call per second), redirects at 09:00:02
    assert [(f.call_sid, f.code, f.level) for f in sim.failures] == [
        (held.sid, 11200, "error"),
        (held.sid, 11200, "warning"),
    ]
    whose = f"the status webhook of call {other.sid}"
    assert sim.failures[1].message == _note(whose, f"{APP_URL}/status", 1)


def test_a_wait_with_no_webhook_due_meanwhile_has_its_11200_alone() -> None:
    with _holding(WaitingApp()) as sim:
        sim.phone(CALLEE)
        created = sim.client().calls.create(
            to=CALLEE,
            from_=CALLER_ID,
            url=f"{APP_URL}/voice",
            status_callback=f"{APP_URL}/status",  # sent after the failure it follows from
        )
        sim.run()
    assert [r.kind for r in sim.calls[created.sid].requests] == ["voice", "redirect", "status"]
    assert [(f.code, f.level) for f in sim.failures] == [(11200, "error")]


def test_an_asgi_apps_answer_cut_at_the_read_timeout_names_the_amd_result_too() -> None:
    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        assert scope["type"] == "http"
        if scope["path"] == "/hold":
            await asyncio.sleep(5)  # waits for the AMD result, which cannot come meanwhile
        body = b'<Response><Pause length="1"/><Redirect>/hold</Redirect></Response>'
        if scope["path"] == "/amd":
            await send({"type": "http.response.start", "status": 204, "headers": []})
            await send({"type": "http.response.body", "body": b""})
            return
        headers = [(b"content-type", b"text/xml")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    with _holding(app) as sim:
        sim.phone(CALLEE).machine("unknown")
        sim.client().calls.create(
            to=CALLEE,
            from_=CALLER_ID,
            url=f"{APP_URL}/voice",
            machine_detection="Enable",
            async_amd="true",
            async_amd_status_callback=f"{APP_URL}/amd",
            machine_detection_timeout=5,
        )
        sim.run()
    assert [(f.code, f.level, f.url) for f in sim.failures] == [
        (11200, "error", f"{APP_URL}/hold"),
        (11200, "warning", f"{APP_URL}/hold"),
    ]
    assert sim.failures[0].message.startswith(
        "the ASGI app had not finished its answer when Twilio's read timeout ran out; it was "
        "cancelled (Twilio gives up on the request then). Answer sooner; "
    )
    assert sim.failures[1].message == _note("this call's amd webhook", f"{APP_URL}/amd", 4)


def test_a_call_recording_completed_by_the_hang_up_after_the_11200_is_not_named() -> None:
    # the call's 11200 ends it (an application error, then the hang-up), and the recording
    # of a call created with record=True completes then: on Twilio the call, still waiting
    # for the answer, was still being recorded, so its callback was not due meanwhile
    with _holding(WaitingApp()) as sim:
        sim.phone(CALLEE)
        created = sim.client().calls.create(
            to=CALLEE,
            from_=CALLER_ID,
            url=f"{APP_URL}/voice",
            record=True,
            recording_status_callback=f"{APP_URL}/status",
        )
        sim.run()
    call = sim.calls[created.sid]
    assert [(r.kind, r.url, str(r.at.time())) for r in call.requests] == [
        ("voice", f"{APP_URL}/voice", "09:00:00"),
        ("redirect", f"{APP_URL}/hold", "09:00:01"),
        ("recording-status", f"{APP_URL}/status", "09:00:05"),
    ]
    assert [(f.code, f.level, f.url) for f in sim.failures] == [(11200, "error", f"{APP_URL}/hold")]

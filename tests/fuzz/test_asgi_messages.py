"""Property test: whatever messages an ASGI app sends, in whatever order, the webhook ends
at once as uvicorn would end it: the TwiML is used when a well-formed answer was complete
before the first refused message, and 11200 otherwise; never a hang, never an exception
out of ``sim.run()``.

Each example runs its call in a thread given 10 s (an example takes milliseconds), so a
regression that hangs fails instead of holding the suite.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim import Simulator
from twimlsim.engine.interpreter import APPLICATION_ERROR_MESSAGE

DOCUMENT = b"<Response><Say>Hi</Say></Response>"
START = {"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/xml")]}
ODD = [
    {"type": "http.response.start", "status": "200", "headers": []},
    {"type": "http.response.start", "status": 200, "headers": [("content-type", "text/xml")]},
    {"type": "http.response.body", "body": "text"},
    {"type": "http.response.trailers"},
    {"type": "websocket.send"},
    START,
]


@st.composite
def answers(draw: st.DrawFn) -> tuple[list[dict[str, Any]], bool]:
    """Messages an app sends (a start, the document in pieces, perhaps its last piece, odd
    messages anywhere), and whether the app lets a refusal propagate."""
    cuts = sorted(draw(st.sets(st.integers(1, len(DOCUMENT) - 1), max_size=3)))
    edges = [0, *cuts, len(DOCUMENT)]
    pieces = [DOCUMENT[a:b] for a, b in zip(edges, edges[1:], strict=False)]
    messages: list[dict[str, Any]] = [
        {"type": "http.response.body", "body": piece, "more_body": True} for piece in pieces
    ]
    if draw(st.booleans()):
        messages.append({"type": "http.response.body", "body": b""})  # the last piece
    if draw(st.booleans()):
        messages.insert(0, START)
    for _ in range(draw(st.integers(0, 2))):
        messages.insert(draw(st.integers(0, len(messages))), draw(st.sampled_from(ODD)))
    return messages, draw(st.booleans())


def completes_before_a_refusal(messages: list[dict[str, Any]]) -> bool:
    """Whether uvicorn would have a complete, well-formed answer before refusing one."""
    started = False
    for message in messages:
        if not started:
            if message is not START:
                return False
            started = True
        elif message["type"] != "http.response.body" or not isinstance(message["body"], bytes):
            return False
        elif not message.get("more_body", False):
            return True
    return False


@settings(
    max_examples=int(os.environ.get("TWIMLSIM_FUZZ_EXAMPLES", "30")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
)
@given(answer=answers())
def test_any_messages_end_the_webhook_as_uvicorn_would(
    answer: tuple[list[dict[str, Any]], bool],
) -> None:
    messages, propagate = answer

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            raise RuntimeError("no lifespan")
        for message in messages:
            try:
                await send(message)
            except RuntimeError:
                if propagate:
                    raise
                return

    outcome: list[tuple[list[str], list[int]]] = []

    def call() -> None:
        with Simulator(strict=False) as sim:
            sim.route(APP_URL, app)
            sim.number(CALLER_ID, voice_url=f"{APP_URL}/voice")
            placed = sim.incoming_call(from_=CALLEE, to=CALLER_ID)
            sim.run()
        outcome.append(([str(s) for s in placed.said], [f.code for f in sim.failures]))

    thread = threading.Thread(target=call, daemon=True)
    thread.start()
    thread.join(timeout=10)  # returns as soon as the call has ended
    assert not thread.is_alive(), "the simulation hung on the app's answer"
    if completes_before_a_refusal(messages):
        assert outcome == [(["Hi"], [])]
    else:
        assert outcome == [([APPLICATION_ERROR_MESSAGE], [11200])]

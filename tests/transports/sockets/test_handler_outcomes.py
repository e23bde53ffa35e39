"""A WebSocket handler that raises what is not an ``Exception`` and does not stop an
event loop (``pytest.fail()`` in a test's fake agent): its task ended unseen ("Task
exception was never retrieved"), the socket stayed open, and the call ran to its
4-hour time limit with a warning blaming the far end. uvicorn catches it as any other:
the socket closes 1011, and the failure names what the handler raised."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import WebSocket

from twimlsim import Simulator

from .test_conversation_relay import said_hello_to


def test_pytest_fail_in_a_relay_handler_closes_the_socket_and_is_named(sim: Simulator) -> None:
    async def failing(websocket: WebSocket, received: list[dict[str, Any]]) -> None:
        await websocket.receive_text()  # setup
        pytest.fail("the agent broke")

    received: list[dict[str, Any]] = []
    call = said_hello_to(sim, failing, received)
    assert (call.status, call.said, call.duration) == (
        "completed",
        ["Hi! How can I help?", "Goodbye."],
        3,
    )
    assert [(f.code, f.message) for f in sim.failures] == [
        (
            64105,
            "the app's WebSocket handler closed the socket (code 1011) without an end "
            "message; it raised Failed: the agent broke; end a session with "
            '{"type": "end"} (and handoffData) to hand the call back to TwiML',
        )
    ]
    assert received[-1]["action"]["SessionStatus"] == "failed"

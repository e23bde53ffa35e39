"""Where the WebSocket tests' app is served, whom their calls are between, and a call to
it run."""

from __future__ import annotations

from typing import Any

from twimlsim import SimCall, Simulator

APP = "https://agent.test"
NUMBER = "+15005550006"
CALLER = "+15558675310"


def run_call(sim: Simulator, app: Any) -> SimCall:
    """An incoming call from ``CALLER`` to ``app`` (routed at ``APP``), run: its far end is
    scripted beforehand."""
    sim.route(APP, app)
    call = sim.incoming_call(from_=CALLER, to=NUMBER)
    call.run()
    return call

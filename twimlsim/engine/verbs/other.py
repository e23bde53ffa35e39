"""``<Start>``, ``<Stop>`` and ``<Echo>``: the verbs twimlsim simulates simply.

- ``<Start>`` / ``<Stop>`` fork or stop media streams, SIPREC, real-time transcription or
  a recording alongside the call. twimlsim runs no fork: the verb takes no time and the
  next verb runs at once, as on Twilio; the forks' own callbacks (stream status,
  transcription events) are not sent (limitation, documented). ``<Recording>`` is the
  exception: it records the call (``start_recording.py``).
- ``<Echo>`` plays the far end back to itself until the call ends (the far end hangs up,
  the time limit, a REST update); verbs after it are never reached.

Every other verb twimlsim does not simulate (``<Connect>``,
``<Pay>``, ``<Refer>``, ``<Sms>``, a top-level ``<Prompt>``) is reported by the
interpreter as "not simulated by twimlsim yet" (a failure naming the element and line,
which strict mode raises) and skipped.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from twimlsim.engine.events import Echoed
from twimlsim.engine.flow import Context, Outcome
from twimlsim.engine.process import Listen, Step
from twimlsim.twiml import nodes

from .start_recording import start_recordings

__all__ = ["echo", "fork"]


def fork(ctx: Context, verb: nodes.Start | nodes.Stop) -> Generator[Step, Any, Outcome]:
    """``<Start>`` / ``<Stop>``: go on with the next verb at once (a ``<Start><Recording>``
    starts recording the call: ``start_recording.py``)."""
    start_recordings(ctx, verb)
    yield from ()
    return None


def echo(ctx: Context, verb: nodes.Echo) -> Generator[Step, Any, Outcome]:
    """``<Echo>``: wait, echoing, until the call is ended from outside."""
    ctx.call.transcript.append(Echoed(ctx.engine.clock.now))
    yield Listen(None)
    return None  # pragma: no cover - nothing is ever delivered to this wait

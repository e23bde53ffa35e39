"""One module per verb family; ``RUNNERS`` maps each TwiML node class to its runner.

A runner is a generator function ``run(ctx, node)``: see ``engine/flow.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

from twimlsim.engine.flow import Context, Outcome
from twimlsim.engine.process import Step
from twimlsim.twiml import nodes

from . import basic, connect, dial, gather, other, queue, record, sms

__all__ = ["RUNNERS", "Runner"]

Runner = Callable[[Context, Any], Generator[Step, Any, Outcome]]


def _pay(ctx: Context, verb: nodes.Pay) -> Generator[Step, Any, Outcome]:
    """``<Pay>`` (``pay.py``), imported when a call first runs one: most apps have none,
    and importing twimlsim stays as quick as it was."""
    from .pay import pay

    return pay(ctx, verb)


RUNNERS: dict[type[nodes.Node], Runner] = {
    nodes.Say: basic.say,
    nodes.Play: basic.play,
    nodes.Pause: basic.pause,
    nodes.Hangup: basic.hangup,
    nodes.Redirect: basic.redirect,
    nodes.Reject: basic.reject,
    nodes.Gather: gather.gather,
    nodes.Record: record.record,
    nodes.Dial: dial.dial,
    nodes.Start: other.fork,
    nodes.Stop: other.fork,
    nodes.Echo: other.echo,
    nodes.Refer: other.refer,
    nodes.Sms: sms.sms,
    nodes.Connect: connect.connect,
    nodes.Enqueue: queue.enqueue,
    nodes.Leave: queue.leave,
    nodes.Pay: _pay,
}

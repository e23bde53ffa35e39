"""A REST update's redirect of a running call (``POST /Calls/{Sid}`` with ``Url`` or
``Twiml``): what is thrown into the call, and the loop that swaps its TwiML for the new
document. ``control.py`` decides when a redirect applies; a ``<Dial>``'s bridged leg takes
one here too (``dialing.py``), which is why this lives apart from the engine's control."""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from .process import Interrupt, Step

if TYPE_CHECKING:
    from .services import Host
    from .session import SimCall

__all__ = ["Chain", "RedirectCall", "Target", "redirectable", "run_target", "until_redirected"]

T = TypeVar("T")

#: A call's TwiML as it runs: steps on the clock, then how it ended (``End.how``).
Chain = Generator[Step, Any, str]


@dataclass(frozen=True, slots=True)
class Target:
    """The new instructions of a redirect: a URL (with its method) or inline TwiML."""

    url: str | None
    method: str
    twiml: str | None


class RedirectCall(Interrupt):
    """Thrown into an answered call: stop the current TwiML and run ``target``."""

    def __init__(self, target: Target) -> None:
        super().__init__("redirect")
        self.target = target


def redirectable(engine: Host, call: SimCall, body: Chain) -> Chain:
    """Run ``body`` (the call's TwiML); a ``RedirectCall`` replaces it with the new target.

    Any other interruption (a hang-up, the time limit) is passed on into the running
    TwiML, as before.
    """
    pending: Interrupt | None = None
    value: Any = None
    while True:
        try:
            step = body.send(value) if pending is None else body.throw(pending)
        except StopIteration as finished:
            pending = None  # see below
            return str(finished.value)
        except BaseException:
            # An interruption thrown in here holds this frame in its traceback: the frame
            # must let go of it, or the cycle keeps the call until a garbage collection.
            pending = value = None
            raise
        pending = value = None
        try:
            value = yield step  # far-end input delivered to a Listen goes on into the TwiML
            continue
        except RedirectCall as redirect_to:
            target = redirect_to.target
        except Interrupt as other:
            pending = other
            continue
        # outside the except clause: the webhooks the old TwiML sends as it closes, and the
        # new target's request, reach the app with no exception being handled
        # (process.Interrupt says why)
        body.close()
        body = run_target(engine, call, target)


def until_redirected(body: Generator[Step, Any, T]) -> Generator[Step, Any, T | Target]:
    """Run ``body`` until it ends (return what it returns: a chain's how, ``End.how``) or
    a ``RedirectCall`` stops it (close it and return the redirect's target, for the caller
    to run when it is ready).

    Any other interruption is passed on into ``body``, as ``redirectable`` does.
    """
    pending: Interrupt | None = None
    value: Any = None
    while True:
        try:
            step = body.send(value) if pending is None else body.throw(pending)
        except StopIteration as finished:
            pending = None
            result: T = finished.value
            return result
        except BaseException:
            pending = value = None  # as in redirectable: let go of the interruption
            raise
        pending = value = None
        try:
            value = yield step
            continue
        except RedirectCall as redirect_to:
            target = redirect_to.target
        except Interrupt as other:
            pending = other
            continue
        body.close()  # outside the except clause, as in redirectable
        return target


def run_target(engine: Host, call: SimCall, target: Target) -> Chain:
    """Request (or parse) the redirect's new TwiML and run it: the call's TwiML from now."""
    interpreter = engine.interpreter
    if target.url is not None:
        loaded = interpreter.load(call, target.url, target.method, kind="update")
    else:
        loaded = interpreter.load_inline(call, target.twiml or "")
    return (yield from interpreter.run_chain(call, loaded))

"""Why a call was still running when its default 4-hour time limit ended it (32015).

Test calls that run 4 hours are almost never meant to: usually a far end that is not
scripted to hang up (an unscripted number never hangs up first) is bridged, queued or
echoed with nothing to end it. The message names the leg, the number and the step that
would end it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .events import Echoed, Enqueued, Event, JoinedConference, StreamConnected

if TYPE_CHECKING:
    from .session import SimCall
    from .trace import VerbRun

__all__ = ["running_verb", "why_still_running"]

_HANG_UP_STEPS = frozenset({"hangs_up", "hangs_up_at_wait"})


def why_still_running(call: SimCall) -> str:
    """The likely reason ``call`` ran until its time limit, and how to end it sooner."""
    for child in call.children:
        if child.answered and not child.ended:
            return (
                f"it was still bridged to {child.record.to} (leg {child.sid}), "
                f"{_far_end(child)}: script sim.phone({child.record.to!r}).hangs_up(after=N) "
                "or give the <Dial> a timeLimit"
            )
    number = call.phone.number
    if call.parent is not None:
        return (
            f"this leg was still bridged to {number}, {_far_end(call)}: script "
            f"sim.phone({number!r}).hangs_up(after=N) or give the <Dial> a timeLimit"
        )
    return (
        f"its TwiML was still running ({_held(call) or _doing(call.transcript)}) and its far "
        f"end {number} "
        f"{_far_end(call).removeprefix('whose far end ')}: script "
        f"sim.phone({number!r}).hangs_up(after=N), or let the TwiML end"
    )


def running_verb(call: SimCall) -> VerbRun | None:
    """The verb of the call's own document that was still running (the first begun and
    not ended: a wait document's verbs run inside it), so that the 32015 names its
    document, element and line; None when it ran none (a dialled leg)."""
    return next((run for run in call.verb_runs if run.ended is None), None)


def _far_end(call: SimCall) -> str:
    scripted = any(step.action in _HANG_UP_STEPS or step.hangs_up for step in call.phone.steps)
    if scripted:
        return "whose far end had not hung up yet"
    return "whose far end has no hang-up scripted (an unscripted number never hangs up first)"


def _held(call: SimCall) -> str | None:
    """Where a held call was held (its wait music may have played since it got there)."""
    held = call.held
    if held is None:
        return None
    if held.details.get("workflowSid"):
        return (
            "held by <Enqueue workflowSid> (TaskRouter, not simulated), which only a REST "
            "update ends"
        )
    for event in reversed(call.transcript):
        if isinstance(event, Enqueued):
            return f"waiting in queue {event.queue!r}, where nobody took the call"
        if isinstance(event, JoinedConference):
            return f"in conference {event.name!r}, waiting for it to start or on hold"
    return None


def _doing(transcript: list[Event]) -> str:
    last = transcript[-1] if transcript else None
    if isinstance(last, Echoed):
        return "an <Echo>, which lasts until someone hangs up"
    if isinstance(last, JoinedConference):
        return f"in conference {last.name!r}, which had not ended"
    if isinstance(last, StreamConnected):
        return (
            f"connected to the stream {last.url}, which lasts until the app's server closes "
            "it: call.close_stream()"
        )
    if isinstance(last, Enqueued):
        return f"waiting in queue {last.queue!r}, where nobody took the call"
    if last is None:
        return "nothing had happened yet"
    return f"last event: {type(last).__name__}"

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
    from .caller import ScriptStep
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
                f"{_far_end(child)}: {_script(child)} or give the <Dial> a timeLimit"
            )
    number = call.phone.number
    if call.parent is not None:
        return (
            f"this leg was still bridged to {number}, {_far_end(call)}: {_script(call)} or "
            "give the <Dial> a timeLimit"
        )
    return (
        f"its TwiML was still running ({_held(call) or _doing(call.transcript)}) and its far "
        f"end {number} "
        f"{_far_end(call).removeprefix('whose far end ')}: {_script(call)}, or let the TwiML "
        "end"
    )


def running_verb(call: SimCall) -> VerbRun | None:
    """The verb of the call's own document that was still running (the first begun and
    not ended: a wait document's verbs run inside it), so that the 32015 names its
    document, element and line; None when it ran none (a dialled leg)."""
    return next((run for run in call.verb_runs if run.ended is None), None)


def _far_end(call: SimCall) -> str:
    if call.hangup_scripted:
        return "whose far end had not hung up yet"
    steps = _hang_ups(call)
    if not steps:
        return "whose far end has no hang-up scripted (an unscripted number never hangs up first)"
    if _taken_by_others(call):
        return (
            "whose far end was given no hang-up: the calls to it answered before this one took "
            "those scripted (each call to a number takes the next hangs_up step of its script)"
        )
    return "whose far end had not hung up yet"


def _hang_ups(call: SimCall) -> list[ScriptStep]:
    return [s for s in call.phone.steps if s.action in _HANG_UP_STEPS or s.hangs_up]


def _taken_by_others(call: SimCall) -> bool:
    """The far end's script has hang-up steps, every one taken, none by this call's answer
    (a hang-up step this call reached would have ended it)."""
    steps = _hang_ups(call)
    return bool(steps) and not call.hangup_scripted and all(step.used for step in steps)


def _script(call: SimCall) -> str:
    """The step to script for ``call``: one more per call when others took the first."""
    step = f"sim.phone({call.phone.number!r}).hangs_up(after=N)"
    if _taken_by_others(call):
        return f"script one more {step} for this call"
    return f"script {step}"


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

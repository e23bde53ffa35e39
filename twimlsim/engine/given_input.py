"""What a test gives a call by hand (``call.press``, ``call.say``...): refused, with what
to do, where the call cannot take it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from twimlsim.errors import ConfigurationError

if TYPE_CHECKING:
    from .caller import FarEndInput
    from .process import Waiting
    from .session import SimCall

__all__ = ["describe_input", "held_message", "not_waiting", "refuse_unheard"]


def not_waiting(call: SimCall) -> ConfigurationError:
    """The refusal of input given to ``call`` while it waits for none."""
    if call.ended:
        return ConfigurationError(
            f"call {call.sid} has ended (status {call.status}) and takes no more "
            "input: sim.run() runs every call to its end; to drive a call by hand, "
            "call.run() stops where it waits for input (call.waiting_for), then "
            "give it (call.press(...), call.say(...)); or script the far end before "
            "it runs (sim.phone(number).presses(...))"
        )
    if call.held is not None:
        return ConfigurationError(held_message(call))
    if _in_bridge(call):
        return ConfigurationError(
            f"call {call.sid} is bridged in a <Dial> and waits for no input: what either end "
            "says in a bridge comes from its script, given before the call runs "
            "(sim.phone(number).says(...)), and keys do nothing there (but '*' with "
            "hangupOnStar); by hand, call.hangup() ends the leg, and call.run() runs the "
            "call on to its next wait once the bridge ends"
        )
    return ConfigurationError(
        f"call {call.sid} is not waiting for input (status {call.status}); "
        "run it with call.run() until call.waiting_for is set"
    )


def _in_bridge(call: SimCall) -> bool:
    """``call`` is a live ``<Dial>`` leg, or a call one of whose legs is live."""
    if call.status != "in-progress":
        return False
    if call.parent is not None:
        return True
    return any(child.status == "in-progress" for child in call.children)


#: Where a held call waits, by ``waiting_for.verb``, and what ends the wait there.
_HELD_IN = {
    "Enqueue": (
        "in its queue",
        "another call takes it (<Dial><Queue>), the app dequeues or redirects it (REST)",
    ),
    "Conference": (
        "in a conference room that has not started, or on hold",
        "another participant starts the room, the app takes it off hold or redirects it",
    ),
}


def held_message(call: SimCall) -> str:
    """Why a held call (a queue, a room not started) takes no input, and what moves it."""
    assert call.held is not None
    verb = call.held.verb
    where, ends = _HELD_IN[verb]
    if call.held.details.get("workflowSid"):
        where, ends = (
            "in a TaskRouter queue (<Enqueue workflowSid>, not simulated)",
            "the app redirects it (REST), as on a workflow.timeout event",
        )
    return (
        f"call {call.sid} is held {where} (call.waiting_for.verb == {verb!r}, no input): "
        f"its far end's keys and words change nothing there; {ends}, or time passes "
        "(sim.advance(seconds)); call.hangup() hangs it up"
    )


#: The kind of input a ``<Gather>`` must take for each kind the far end gives.
_GATHER_TAKES = {"digits": "dtmf", "speech": "speech"}


def refuse_unheard(call: SimCall, waiting: Waiting, given: FarEndInput, described: str) -> None:
    """A test's input that the ``<Gather>`` or ``<Pay>`` waiting cannot take (speech at a
    DTMF-only one) is refused: Twilio would ignore it and time out, which
    ``call.silence()`` plays."""
    needed = _GATHER_TAKES.get(given.kind)
    if waiting.verb == "Pay" and given.kind in ("speech", "audio"):
        step = waiting.details.get("for", "payment")
        raise ConfigurationError(
            f"{described}: call {call.sid} waits at a <Pay> step ({step}), which takes keys "
            "only: Twilio would ignore anything else and the step would time out; give keys "
            "(call.press('4111111111111111#'): '#' ends the entry), or call.silence() to let "
            "it time out"
        )
    if waiting.verb != "Gather":
        return
    takes = " ".join(waiting.input)
    instead = "call.press(...)" if "dtmf" in waiting.input else "call.say(...)"
    if given.kind == "audio":  # it would time the Gather out, what was said lost
        raise ConfigurationError(
            f'{described}: call {call.sid} waits at a <Gather input="{takes}">, not a '
            "<Record>: records() talks into a Record; give the Gather what it takes "
            f"({instead}), or call.silence() to let it time out"
        )
    if needed is None or needed in waiting.input:
        return
    raise ConfigurationError(
        f'{described}: call {call.sid} waits at a <Gather input="{takes}">, which takes no '
        f"{needed}: Twilio would ignore it and the Gather would time out; give what it takes "
        f"({instead}), call.silence() to let it time out, or add {needed} to the Gather's "
        "input in the app"
    )


def describe_input(given: FarEndInput) -> str:
    """The test's call that gave ``given``, as written (for refusals that name it)."""
    if given.kind == "digits":
        return f"call.press({given.digits!r})"
    if given.kind == "speech":
        return f"call.say({given.text!r})"
    if given.kind == "audio":
        return f"call.records({given.seconds:g})"
    return "call.silence()"

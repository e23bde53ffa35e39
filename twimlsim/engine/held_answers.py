"""A webhook that fell due while the app held another one's answer past the read timeout.

The engine runs one event at a time, so while the app takes its time answering a webhook
virtual time stands still for every call, and a callback due meanwhile (the asynchronous
AMD result, another call's status callback) is sent only once that webhook is over. On
Twilio such a callback is sent at its time, while the first request still waits. An app
that holds a webhook's answer until another webhook arrives (an appointment reminder whose
redirect waits for the AMD verdict) is answered on Twilio when that callback comes, and
runs out the read timeout here (11200). The 11200 itself is the same as Twilio's when the
callback comes too late there as well; what differs is only a callback due within the
wait, and that callback is named when it is sent, as a warning under the held call's
11200 (the same code, so that ``allow_codes={11200}`` covers both; Twilio logs no such
warning).

Only callbacks that the held call's failure cannot have caused are named, and only while
the held call is still up: its own AMD result, recording and transcription callbacks, and
another call's webhooks. The held call's own progress and fallback follow from its 11200;
once it has ended (its 11200 ends it), anything may: the recording of a call created with
``record=True`` completes at that hang-up, where on Twilio the call, still waiting for the
answer, was still being recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from twimlsim.clock import to_micros
from twimlsim.defaults import DEFAULT_WEBHOOK_TIMEOUT

if TYPE_CHECKING:
    from .session import SimCall

__all__ = ["HeldAnswer", "due_meanwhile"]

#: The held call's own callbacks that come whatever its TwiML did: its other webhooks
#: (progress, the fallback URL, the next document) follow from the failure.
_INDEPENDENT_KINDS = frozenset({"amd", "recording-status", "transcription"})


#: How long Twilio waits for an answer (its read timeout), whatever the simulator's own
#: limit (``webhook_timeout``) that ran out: a callback due within it would have reached
#: the app while the request waited on Twilio.
_TWILIO_WAITS = to_micros(DEFAULT_WEBHOOK_TIMEOUT)


@dataclass(frozen=True, slots=True)
class HeldAnswer:
    """A webhook of ``call`` to ``url``, sent at ``at`` (virtual microseconds), that got
    no answer within the read timeout."""

    call: SimCall
    url: str
    at: int

    def ends_at(self) -> int:
        """When Twilio would have given up on the request, in virtual microseconds."""
        return self.at + _TWILIO_WAITS


def due_meanwhile(held: HeldAnswer, call: SimCall, url: str, kind: str, now: int) -> str | None:
    """The problem to log on ``held.call`` when ``kind`` webhook of ``call`` to ``url``,
    sent at ``now``, fell due while Twilio would still have waited for the held answer;
    None when it did not, or when the held call's failure may have caused it."""
    if now > held.ends_at() or held.call.ended:
        return None
    if call is held.call and kind not in _INDEPENDENT_KINDS:
        return None
    into = (now - held.at) / 1_000_000
    if call is held.call:
        whose = f"this call's {kind} webhook"
    else:
        whose = f"the {kind} webhook of call {call.sid}"
    return (
        f"twimlsim's note on this call's 11200 (Twilio logs no such warning): {whose} to "
        f"{url} fell due {into:g} s into the {DEFAULT_WEBHOOK_TIMEOUT:g} s Twilio waits for "
        f"the answer to {held.url}. Twilio sends it at its time, while that request still waits; "
        "twimlsim runs one event at a time, and virtual time stood still until the request "
        "was given up, so the app got it only afterwards. An app whose answer waits for "
        "another webhook (an AMD result, a status callback) is answered on Twilio when that "
        "webhook comes, and fails here: answer at once instead (a <Pause> and a <Redirect> "
        "back to the same URL until the result has come, or update the call through the "
        "REST API, calls(sid).update(twiml=...), when it comes)"
    )

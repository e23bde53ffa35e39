"""The far-end script steps no call reached, said in few words: a step scripted hundreds of
times in a loop reads as one entry with its count, and a long list is cut short with a count
of the rest, so that the strict check's error stays readable."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import groupby
from typing import TYPE_CHECKING

from .calls_by_sid import UNPLACED
from .events import HungUp

if TYPE_CHECKING:
    from .caller import Phone
    from .session import SimCall

__all__ = [
    "MAX_SHOWN",
    "describe_unused",
    "hung_up_first",
    "key_after_record",
    "never_answered",
    "never_listened",
    "why_unreached",
]

#: The steps that script how a called party answers.
_ANSWERING = frozenset({"answers", "busy", "no_answer", "fails", "machine"})

#: The steps a far end gives where a call listens.
_INPUT = frozenset({"presses", "says", "records", "silence"})

#: Transcript events of a call that listened to its far end (or bridged it to another).
_LISTENING = frozenset(
    {
        "Gathered",
        "Recorded",
        "PaymentInput",
        "Dialed",
        "JoinedConference",
        "Enqueued",
        "StreamConnected",
        "StreamStarted",
    }
)

#: The final statuses of a leg that was never answered, for its script's later steps.
_UNANSWERED = frozenset({"canceled", "no-answer"})

#: How many runs of steps the message names before counting the rest.
MAX_SHOWN = 10


def describe_unused(unused: Iterable[tuple[str, str]]) -> str | None:
    """``scripted far-end steps were never reached: ...`` naming the steps (``(number,
    step)`` in script order), or None when there are none. A step repeated back to back is
    named once with its count (``sim.phone('+1...').presses('1') x300``); after
    ``MAX_SHOWN`` entries the rest are counted (``... and 290 more steps``), and a list
    shortened either way starts with the number of steps in all."""
    runs = [(key, sum(1 for _ in group)) for key, group in groupby(unused)]
    if not runs:
        return None
    count = sum(times for _, times in runs)
    shown = [
        f"sim.phone({number!r}).{step}" + (f" x{times}" if times > 1 else "")
        for (number, step), times in runs[:MAX_SHOWN]
    ]
    rest = sum(times for _, times in runs[MAX_SHOWN:])
    if rest:
        shown.append(f"... and {rest} more step{'s' if rest > 1 else ''}")
    total = f" ({count} steps)" if count > len(runs) or rest else ""
    return f"scripted far-end steps were never reached{total}: " + "; ".join(shown)


def why_unreached(
    phones: Iterable[Phone],
    calls: Iterable[SimCall],
    unplaced: Mapping[str, str] | None = None,
) -> str | None:
    """Why whole scripts were never reached, when it is a test's usual slip: the far end was
    scripted only once its calls had ended, its call was created with test credentials
    (``unplaced``: SID to ``To``, calls Twilio never places), no call was made at all, or no
    call was with its number (a typo, or the other end of the call scripted). None when
    none explains it."""
    calls = list(calls)
    unplaced_to = set(unplaced.values()) if unplaced else set()
    involved: dict[str, None] = {}
    called: set[str] = set()
    for call in calls:
        involved.setdefault(call.record.to)
        involved.setdefault(call.record.from_)
        if call.record.direction.value != "inbound":
            called.add(call.record.to)
    reasons: list[str] = []
    for phone in phones:
        answering = [s.action for s in phone.steps if s.action in _ANSWERING and not s.used]
        if answering and phone.number in involved and phone.number not in called:
            names = [f"{action}()" for action in dict.fromkeys(answering)]
            verb = "scripts" if len(names) == 1 else "script"
            reasons.append(
                f"{phone.number} only placed calls (it is the caller of an inbound call), and "
                f"{', '.join(names)} {verb} a party that is called: a caller answers nothing"
            )
            continue
        early = never_listened(phone, calls) or hung_up_first(phone) or key_after_record(phone)
        if early is None:
            early = never_answered(phone, calls)
        if early is not None:
            reasons.append(early)
            continue
        if not phone.steps or any(step.used for step in phone.steps):
            continue
        if phone.number in unplaced_to and phone.number not in involved:
            reasons.append(
                f"the call to {phone.number} {UNPLACED}: give the app sim.auth_token to "
                "place it, or script no far end for a test of the magic numbers"
            )
        elif phone.scripted_late:
            reasons.append(
                f"{phone.number} was scripted after its calls had ended: script a far end "
                "before sim.run() runs its call, or drive the call by hand with call.run() "
                "and call.press(...)"
            )
        elif not involved:
            reasons.append(
                f"no call was made, so {phone.number} was never called: place the call "
                "(the app's code, sim.client().calls.create(...) or sim.incoming_call(...)) "
                "and sim.run() before the test ends"
            )
        elif phone.number not in involved:
            numbers = list(involved)
            named = ", ".join(numbers[:4])
            if len(numbers) > 4:
                named += f" and {len(numbers) - 4} more"
            reasons.append(
                f"no call was from or to {phone.number}; the calls were from or to {named}"
            )
    return "; ".join(reasons) or None


def never_listened(phone: Phone, calls: Iterable[SimCall]) -> str | None:
    """Why a script's input steps were never reached when no call with its number listened:
    each ran its TwiML to the end (a ``<Say>``, ``<Play>`` or ``<Pause>`` takes no input)
    without a ``<Gather>``, ``<Record>``, ``<Pay>``, ``<Dial>``, conference or queue, where
    twimlsim has a far end press or talk. A ``<Start><Transcription>`` followed by a
    ``<Pause>`` for the caller to talk, as Twilio's pages show it, hears nothing here."""
    if not any(step.action in _INPUT and not step.used for step in phone.steps):
        return None
    own = [c for c in calls if phone.number in (c.record.to, c.record.from_)]
    if not own:
        return None
    for call in own:
        kinds = {type(event).__name__ for event in call.transcript}
        ended = [event for event in call.transcript if isinstance(event, HungUp)]
        if kinds & _LISTENING or not ended or ended[-1].by != "twiml":
            return None
    return (
        f"no call with {phone.number} listened to it: its TwiML ran to its end with no "
        "<Gather>, <Record>, <Pay>, <Dial>, <Conference> or <Enqueue>, the only places a far "
        "end's presses(), says() and records() are given (twimlsim does not simulate talk "
        "during a <Say>, <Play> or <Pause>, which a real-time transcription or stream on "
        "Twilio would hear): give the call such a verb"
    )


def hung_up_first(phone: Phone) -> str | None:
    """Why a script's input steps after its ``hangs_up(after=N)`` were never reached, when
    that hang-up came first: it counts from the answer, not from the step before it (a
    caller scripted ``records(8).hangs_up()`` hangs up as the call is answered)."""
    steps = phone.steps
    fired = next(
        (i for i, step in enumerate(steps) if step.action == "hangs_up" and step.used), None
    )
    if fired is None:
        return None
    later = [s for s in steps[fired + 1 :] if not s.used and s.action not in _ANSWERING]
    before = [s for s in steps[:fired] if not s.used and s.action not in _ANSWERING]
    if not later and not before:
        return None
    hang_up = steps[fired].describe()
    return (
        f"{phone.number} hung up first, by its {hang_up}, which counts from the answer, "
        "not from the step before it: to hang up once an input is given, write "
        "records(..., hangs_up=True), or hangs_up_at_wait(after=...) in order with the inputs"
    )


def key_after_record(phone: Phone) -> str | None:
    """Why a ``presses(key)`` scripted right after a ``records(N)`` without a key was never
    reached: it waits for the next ``<Gather>``, not for the ``<Record>`` (a caller scripted
    ``records(4).presses('#')`` to end a voicemail with ``#``, and the recording ended on
    silence)."""
    steps = phone.steps
    for record, press in zip(steps, steps[1:], strict=False):
        if (
            record.action == "records"
            and record.used
            and record.key is None
            and not record.hangs_up
            and press.action == "presses"
            and len(press.value or "") == 1
            and not press.used
        ):
            return (
                f"{phone.number}'s {press.describe()} after its {record.describe()} waits "
                "for the next <Gather>, not for the <Record>, which ended without a key: "
                f"to end the recording with a key, write records({record.seconds:g}, "
                f"{press.value!r})"
            )
    return None


def never_answered(phone: Phone, calls: Iterable[SimCall]) -> str | None:
    """Why a script's steps after its answer were never reached, when no call to its number
    was answered: each was canceled before it answered (another number of the same ``<Dial>``
    answered first, as Twilio rings a ``<Dial>``'s numbers at once and cancels the rest, or
    the caller hung up), or rang out (the ``<Dial>``'s ``timeout`` or the create's
    ``Timeout`` ran out before the scripted answer). None otherwise."""
    if not any(not step.used and step.action not in _ANSWERING for step in phone.steps):
        return None
    calls = list(calls)
    legs = [c for c in calls if c.record.to == phone.number and c.direction != "inbound"]
    if not legs or any(leg.status not in _UNANSWERED or leg.answered for leg in legs):
        return None
    leg = legs[0]
    when = f" at {leg.end_time:%H:%M:%S}" if leg.end_time is not None else ""
    if leg.status == "no-answer":
        answer = next(
            (s.describe() for s in phone.steps if s.action == "answers" and s.used), "answer"
        )
        rang = ""
        if leg.start_time is not None and leg.end_time is not None:
            rang = f" for {(leg.end_time - leg.start_time).total_seconds():g} s"
        return (
            f"{phone.number} never answered: its call {leg.sid} rang{rang} and ended "
            f"no-answer{when}, when the <Dial>'s timeout (or the create's Timeout) ran out "
            f"before its {answer}, so its steps after answering were never reached: script "
            "it to answer within that timeout for the test to take that path, or drop those "
            "steps"
        )
    parent = leg.parent_call_sid
    winners = [
        c.to
        for c in calls
        if parent is not None and c.parent_call_sid == parent and c.answered and c is not leg
    ]
    if winners:
        named = ", ".join(dict.fromkeys(winners))
        cause = (
            f"{named} answered first, and a <Dial> of several numbers rings them at once "
            "and cancels the others when one answers"
        )
        cure = f"script it to answer before {named}"
    else:
        cause = "the call it was on was hung up or ended first"
        cure = "script it to answer sooner (answers(after=...))"
    return (
        f"{phone.number} never answered: its call {leg.sid} was canceled before it "
        f"answered{when} ({cause}), so its steps after answering were never reached: "
        f"{cure} for the test to take that path, or drop those steps"
    )

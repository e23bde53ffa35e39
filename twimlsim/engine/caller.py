"""The far end of a call: a person or phone, scripted step by step.

``sim.phone(number)`` returns a ``Phone`` whose methods chain script steps. The engine
consumes them in order at each point where a call waits on the far end: the answer steps
(``answers``, ``busy``, ``no_answer``, ``fails``, ``machine``) when a call to the number
rings, the input steps (``presses``, ``says``, ``silence``, ``records``,
``hangs_up_at_wait``) one per wait (a Gather, a Record, a bridged Dial with
``hangupOnStar``). ``hangs_up(after=N)`` is a timer, not an input: it is armed at the
answer wherever it sits in the chain.

Hanging up at a place in the flow, without adding up prompt lengths:
``hangs_up_at_wait(after=N)`` is taken at the wait it reaches, like any input, and hangs up
N seconds into that wait (the Gather's wait for input after its prompts, or from the
Gather's start with ``barge_in=True``; the Record's recording); ``records(N,
hangs_up=True)`` talks N seconds into the Record, then hangs up.

Scripted input is given when the call starts waiting, after a Gather's nested prompts have
played, unless the step says ``barge_in=True``: then it is given as soon as the Gather
starts, cutting its prompts short. A prompt that repeats without end (``<Say loop="0">``
or ``<Play loop="0">``, 1,000 times) does not hold input back for its whole length: a
caller presses while it repeats, so the input is given as its first loop ends, cutting the
rest short (``silence()`` lets it repeat to its end). A step counts as used once a call
reaches it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, NoReturn

from twimlsim.arguments import (
    check_confidence,
    check_flag,
    check_keys,
    check_seconds,
    check_speech,
    check_text,
    check_text_mapping,
    check_unicode_items,
    describe,
    literal,
)
from twimlsim.errors import ConfigurationError
from twimlsim.model.call import Location
from twimlsim.model.lookup import LineFacts

from .line_facts import checked_caller_name, checked_line_type

__all__ = ["FarEndInput", "Phone", "ScriptStep"]

InputKind = Literal["digits", "speech", "silence", "audio"]


@dataclass(frozen=True, slots=True)
class FarEndInput:
    """What the far end does at one wait.

    ``digits`` keys pressed; ``speech`` words spoken (with ``confidence``); ``silence``
    nothing at all; ``audio`` talking ``seconds`` into a Record, then pressing ``key``
    (or going silent). ``text`` is what was said (the transcription of a recording).
    """

    kind: InputKind
    digits: str = ""
    text: str = ""
    confidence: float | None = None
    seconds: float = 0.0
    key: str | None = None
    barge_in: bool = False


@dataclass(slots=True)
class ScriptStep:
    """One scripted action of the far end; ``used`` once the call reached it."""

    action: str
    seconds: float = 0.0
    value: str | None = None
    confidence: float | None = None
    key: str | None = None
    barge_in: bool = False
    #: X-headers of the far end's final SIP response (``answers(sip_headers=...)``).
    headers: tuple[tuple[str, str], ...] = ()
    #: Hang up once this input is given (``records(..., hangs_up=True)``).
    hangs_up: bool = False
    used: bool = False

    def describe(self) -> str:
        """The step as the user wrote it, for error messages."""
        args: list[str] = []
        if self.action == "records":
            args.append(f"{self.seconds:g}")
        if self.value is not None:
            args.append(("answered_by=" if self.action == "machine" else "") + repr(self.value))
        if self.action in {"answers", "hangs_up", "hangs_up_at_wait"} or (
            self.action == "machine" and self.seconds
        ):
            args.append(f"after={self.seconds:g}")
        if self.key is not None:
            args.append(f"key={self.key!r}")
        if self.confidence is not None:
            args.append(f"confidence={self.confidence:g}")
        if self.hangs_up:
            args.append("hangs_up=True")
        if self.barge_in:
            args.append("barge_in=True")
        if self.headers:
            args.append(f"sip_headers={dict(self.headers)!r}")
        return f"{self.action}({', '.join(args)})"

    def as_input(self) -> FarEndInput:
        """The input this step gives at a wait."""
        if self.action == "presses":
            return FarEndInput("digits", digits=self.value or "", barge_in=self.barge_in)
        if self.action == "says":
            return FarEndInput(
                "speech", text=self.value or "", confidence=self.confidence, barge_in=self.barge_in
            )
        if self.action == "records":
            return FarEndInput("audio", seconds=self.seconds, key=self.key, text=self.value or "")
        return FarEndInput("silence")


_ANSWER_ACTIONS = frozenset({"answers", "busy", "no_answer", "fails", "machine"})
_INPUT_ACTIONS = frozenset({"presses", "says", "silence", "records", "hangs_up_at_wait"})
#: What ``machine(answered_by=...)`` accepts: the values of Twilio's ``AnsweredBy``.
ANSWERED_BY = frozenset(
    {
        "human",
        "machine_start",
        "machine_end_beep",
        "machine_end_silence",
        "machine_end_other",
        "fax",
        "unknown",
    }
)


#: A SimCall's hand-driving methods, and the script step a phone has for each.
_PHONE_METHODS = {"press": "presses", "say": "says", "hangup": "hangs_up"}

#: Names a test reaches for when scripting how a dialled number ends a call unanswered,
#: and the step that does it.
_RING_OUT_NAMES = {
    name: step
    for names, step in (
        (
            (
                "does_not_answer",
                "doesnt_answer",
                "never_answers",
                "unanswered",
                "rings_out",
                "ignores",
            ),
            "no_answer",
        ),
        (("rejects", "declines", "is_busy", "busy_signal"), "busy"),
        (("unreachable", "fails_to_connect", "fail"), "fails"),
    )
    for name in names
}

#: Names a test reaches for to make the far end wait before its next step: steps are not
#: timed, so the message says what gives time instead.
_WAITING_NAMES = frozenset({"wait", "waits", "pause", "pauses", "sleep", "sleeps", "stays"})

#: The steps that take their seconds as ``after=`` (``hangs_up_after(5)`` is a usual guess).
_TIMED_STEPS = frozenset({"answers", "machine", "hangs_up", "hangs_up_at_wait"})


@dataclass(slots=True)
class Phone:
    """A scripted far end for one number. Every method returns the phone, to chain steps."""

    number: str
    steps: list[ScriptStep] = field(default_factory=list)
    #: Where the number is, for the geo parameters of every call from or to it.
    location: Location = field(default_factory=Location)
    #: What Twilio's Lookup API reports about the number (``line_type``, ``caller_name``).
    facts: LineFacts = field(default_factory=LineFacts)
    _cursor: dict[str, int] = field(default_factory=dict, repr=False)
    #: ``sim.reset()`` forgot the simulation this phone belongs to: it takes no more steps.
    retired: bool = field(default=False, repr=False)
    #: The test first scripted it once every call with the number had ended (a script
    #: written after ``sim.run()``), for the message about steps no call reached.
    scripted_late: bool = field(default=False, repr=False)

    if not TYPE_CHECKING:  # mypy would take any misspelt attribute for this one

        def __getattr__(self, name: str) -> NoReturn:
            # only for a name the phone lacks: the hand-driving verbs of a call are the usual slip
            method = _PHONE_METHODS.get(name)
            if name in _WAITING_NAMES:
                raise AttributeError(
                    f"sim.phone({self.number!r}) has no step {name}(): steps are not timed, "
                    "each input step (presses, says, records, silence) is taken where the "
                    "call next waits for input (a Gather, a Record, a hangupOnStar Dial or "
                    "room); to let time pass: answers(after=s) rings s seconds first, "
                    "hangs_up(after=s) hangs up s seconds after the answer, "
                    "hangs_up_at_wait(after=s) s seconds into the next wait, silence() lets "
                    "a Gather time out; sim.advance(s) moves the clock from the test",
                    name=name,
                    obj=self,
                )
            timed = name.removesuffix("_after")
            if timed in _TIMED_STEPS:
                raise AttributeError(
                    f"sim.phone({self.number!r}) has no step {name}(): the seconds are "
                    f"{timed}()'s keyword, {timed}(after=s)",
                    name=name,
                    obj=self,
                )
            step = _RING_OUT_NAMES.get(name)
            if step is not None:
                doc = (getattr(Phone, step).__doc__ or "").strip()
                raise AttributeError(
                    f"sim.phone({self.number!r}) has no step {name}(); the step is {step}(): {doc}",
                    name=name,
                    obj=self,
                )
            if method is None:
                raise AttributeError(
                    f"'Phone' object has no attribute {name!r}", name=name, obj=self
                )
            raise AttributeError(
                f"sim.phone({self.number!r}) has no method {name}(): its script step is "
                f"{method}(); {name}() drives a call by hand (call.{name}() on the SimCall, "
                "while call.run() has it waiting)",
                name=name,
                obj=self,
            )

    def _add(self, step: ScriptStep) -> Phone:
        if self.retired:
            self._refuse(step.action)
        self.steps.append(step)
        return self

    def _refuse(self, method: str) -> None:
        """A ``ConfigurationError``: this phone's simulation was reset."""
        raise ConfigurationError(
            f"{self._where(method)}: this phone belongs to a simulation that sim.reset() "
            "ended, and its script is forgotten; after a reset, script the far end again "
            f"with sim.phone({self.number!r})"
        )

    def _where(self, method: str) -> str:
        return f"sim.phone({self.number!r}).{method}()"

    def _seconds(self, method: str, name: str, value: object) -> float:
        return check_seconds(self._where(method), name, value)

    def located(
        self, *, city: str = "", state: str = "", zip: str = "", country: str | None = None
    ) -> Phone:
        """Put the number somewhere: calls from it send ``FromCity``, ``FromState``,
        ``FromZip``, ``FromCountry`` (and ``Caller*``), calls to it ``To*``/``Called*``.
        ``country`` defaults to the one of the number's calling code. Not a script step:
        it applies to every call, whenever it is set before the call's webhooks."""
        where = self._where("located")
        if self.retired:
            self._refuse("located")
        for name, value in (("city", city), ("state", state), ("zip", zip)):
            check_text(where, name, value, "'Boston'")
        if country is not None and not (
            isinstance(country, str)
            and len(country) == 2
            and country.isascii()
            and country.isupper()
        ):
            raise ValueError(
                f"{where}: country must be an ISO 3166 two-letter code such as 'US' or 'GB' "
                f"(or None for the number's own); got {describe(country)}"
            )
        location = self.location
        location.city, location.state, location.zip = city, state, zip
        location.country = country
        return self

    def line_type(
        self,
        line_type: str,
        *,
        carrier_name: str | None = None,
        mobile_country_code: str | None = None,
        mobile_network_code: str | None = None,
    ) -> Phone:
        """What Twilio's Lookup reports for the number's line: Line Type Intelligence's
        ``type`` (``mobile``, ``landline``, ``fixedVoip``, ``nonFixedVoip``, ``tollFree``...)
        and carrier, and v1's ``carrier`` (``mobile``, ``landline``, ``voip``). Not a script
        step: it applies to every lookup of the number."""
        where = self._where("line_type")
        if self.retired:
            self._refuse("line_type")
        facts = self.facts
        (
            facts.line_type,
            facts.carrier_name,
            facts.mobile_country_code,
            facts.mobile_network_code,
        ) = checked_line_type(
            where, self.number, line_type, carrier_name, mobile_country_code, mobile_network_code
        )
        return self

    def caller_name(self, name: str, *, caller_type: str | None = None) -> Phone:
        """The CNAM name (and ``caller_type``, ``BUSINESS`` or ``CONSUMER``) Twilio's
        Lookup reports for the number (v2 ``caller_name``, v1 ``caller-name``; US numbers
        only, as on Twilio). Not a script step: it applies to every lookup of the number."""
        where = self._where("caller_name")
        if self.retired:
            self._refuse("caller_name")
        facts = self.facts
        facts.caller_name, facts.caller_type = checked_caller_name(
            where, self.number, name, caller_type
        )
        return self

    # -- answering ---------------------------------------------------------------------

    def answers(self, after: float = 0, *, sip_headers: dict[str, str] | None = None) -> Phone:
        """Ring ``after`` seconds, then answer (a person).

        ``sip_headers`` are the ``X-`` headers of the answer's SIP response, which a
        ``<Dial><Sip>`` action reports as ``DialSipHeader_X-...``.
        """
        if sip_headers is not None:
            check_text_mapping(
                self._where("answers"),
                "sip_headers",
                sip_headers,
                "header names",
                "{'X-Agent': 'bob'}",
            )
        headers = tuple((sip_headers or {}).items())
        check_unicode_items(self._where("answers"), "sip_headers", headers)
        bad = [name for name, _ in headers if not name.startswith("X-")]
        if bad:
            raise ValueError(
                f"{self._where('answers')}: sip_headers names must start with 'X-' (custom "
                f"SIP headers, such as {{'X-Agent': 'bob'}}); got {bad!r}"
            )
        step = ScriptStep(
            "answers", seconds=self._seconds("answers", "after", after), headers=headers
        )
        return self._add(step)

    def busy(self) -> Phone:
        """Return a busy signal: the call ends ``busy``."""
        return self._add(ScriptStep("busy"))

    def no_answer(self) -> Phone:
        """Ring until the call's timeout: the call ends ``no-answer``."""
        return self._add(ScriptStep("no_answer"))

    def fails(self) -> Phone:
        """The number cannot be reached: the call ends ``failed``."""
        return self._add(ScriptStep("fails"))

    def machine(self, answered_by: str = "machine_start", after: float = 0) -> Phone:
        """An answering machine (or fax) picks up after ``after`` seconds; answering-machine
        detection reports ``answered_by``."""
        check_text(self._where("machine"), "answered_by", answered_by, "'machine_start'")
        if answered_by not in ANSWERED_BY:
            raise ValueError(
                f"{self._where('machine')}: answered_by must be one of "
                f"{', '.join(sorted(ANSWERED_BY))}; got {literal(answered_by)}"
            )
        after_seconds = self._seconds("machine", "after", after)
        step = ScriptStep("machine", seconds=after_seconds, value=answered_by)
        return self._add(step)

    # -- input at each wait --------------------------------------------------------------

    def presses(self, digits: str, *, barge_in: bool = False) -> Phone:
        """Press ``digits`` (DTMF) when the call waits; ``barge_in`` presses them as soon as
        a Gather starts, interrupting its prompts."""
        where = self._where("presses")
        check_keys(where, digits)
        check_flag(where, "barge_in", barge_in)
        return self._add(ScriptStep("presses", value=digits, barge_in=barge_in))

    def says(self, text: str, confidence: float = 0.9, *, barge_in: bool = False) -> Phone:
        """Say ``text`` when the call waits (speech recognised with ``confidence``)."""
        where = self._where("says")
        check_speech(where, text, f"sim.phone({self.number!r}).silence()")
        check_confidence(where, confidence)
        check_flag(where, "barge_in", barge_in)
        return self._add(ScriptStep("says", value=text, confidence=confidence, barge_in=barge_in))

    def silence(self) -> Phone:
        """Stay silent at the next wait (a Gather times out, a Record ends on silence)."""
        return self._add(ScriptStep("silence"))

    def records(
        self,
        seconds: float,
        key: str | None = None,
        *,
        text: str | None = None,
        hangs_up: bool = False,
    ) -> Phone:
        """Talk ``seconds`` into a Record, then press ``key`` (or go silent without one);
        ``text`` is what was said, for the transcription. ``hangs_up=True`` hangs up after
        talking (a caller who leaves a message and hangs up: ``Digits=hangup``)."""
        where = self._where("records")
        if key is not None:
            check_keys(where, key)
        if text is not None:
            check_text(where, "text", text, "'Call me back'")
        check_flag(where, "hangs_up", hangs_up)
        if key is not None and hangs_up:
            raise ValueError(
                f"{where}: got key={key!r} and hangs_up=True, which cannot both end the "
                "recording; give key to press it after talking, or hangs_up=True to hang up"
            )
        step = ScriptStep(
            "records",
            seconds=self._seconds("records", "seconds", seconds),
            key=key,
            hangs_up=hangs_up,
        )
        step.value = text
        return self._add(step)

    def hangs_up(self, after: float = 0) -> Phone:
        """Hang up ``after`` seconds from the answer, cutting short whatever runs then."""
        return self._add(ScriptStep("hangs_up", seconds=self._seconds("hangs_up", "after", after)))

    def hangs_up_at_wait(self, after: float = 0, *, barge_in: bool = False) -> Phone:
        """At the next wait the call reaches (a Gather, a Record, a ``hangupOnStar`` Dial),
        hang up ``after`` seconds into it, silent until then: counted from the end of a
        Gather's prompts (from its start with ``barge_in=True``), from the start of a
        Record's recording. Used like an input step, in order with the others."""
        check_flag(self._where("hangs_up_at_wait"), "barge_in", barge_in)
        step = ScriptStep(
            "hangs_up_at_wait",
            seconds=self._seconds("hangs_up_at_wait", "after", after),
            barge_in=barge_in,
        )
        return self._add(step)

    # -- what the engine reads -------------------------------------------------------

    def _take(self, kinds: frozenset[str], name: str) -> ScriptStep | None:
        index = self._cursor.get(name, 0)
        steps = self.steps
        while index < len(steps):
            step = steps[index]
            index += 1
            if step.action in kinds and not step.used:
                self._cursor[name] = index
                step.used = True
                return step
        self._cursor[name] = index
        return None

    def take_answer(self) -> ScriptStep | None:
        """The next unused answer step (marked used), or None: answer at once."""
        return self._take(_ANSWER_ACTIONS, "answer")

    def take_hangup_timer(self) -> ScriptStep | None:
        """The next unused ``hangs_up`` step (marked used), or None."""
        return self._take(frozenset({"hangs_up"}), "hangup")

    def next_input(self) -> ScriptStep | None:
        """The next unused input step, without taking it."""
        index = self._cursor.get("input", 0)
        for step in self.steps[index:]:
            if step.action in _INPUT_ACTIONS and not step.used:
                return step
        return None

    def take_input(self) -> ScriptStep | None:
        """The next unused input step (marked used), or None: the far end is silent."""
        return self._take(_INPUT_ACTIONS, "input")

    def unused(self) -> list[ScriptStep]:
        """Steps no call reached."""
        return [step for step in self.steps if not step.used]

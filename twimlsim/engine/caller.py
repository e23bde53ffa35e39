"""The far end of a call: a person or phone, scripted step by step.

``sim.phone(number)`` returns a ``Phone`` whose methods chain script steps. The engine
consumes them in order at each point where the call waits on the far end: first how the
phone answers, then one input per Gather or Record. ``hangs_up(after=N)`` is a timer, not
an input: it is armed at the answer wherever it sits in the chain.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = ["Phone", "ScriptStep"]

AnswerKind = Literal["answers", "busy", "no-answer", "fails", "machine"]


@dataclass(slots=True)
class ScriptStep:
    """One scripted action of the far end; ``used`` once the call reached it."""

    action: str
    seconds: float = 0.0
    value: str | None = None
    confidence: float | None = None
    key: str | None = None
    used: bool = False

    def describe(self) -> str:
        """The step as the user wrote it, for error messages."""
        args: list[str] = []
        if self.value is not None:
            args.append(repr(self.value))
        if self.action in {"answers", "hangs_up"}:
            args.append(f"after={self.seconds:g}")
        elif self.action == "records":
            args.append(f"{self.seconds:g}")
        if self.key is not None:
            args.append(f"key={self.key!r}")
        if self.confidence is not None:
            args.append(f"confidence={self.confidence:g}")
        return f"{self.action}({', '.join(args)})"


_ANSWER_ACTIONS = frozenset({"answers", "busy", "no_answer", "fails", "machine"})


@dataclass(slots=True)
class Phone:
    """A scripted far end for one number. Every method returns the phone, to chain steps."""

    number: str
    steps: list[ScriptStep] = field(default_factory=list)

    def _add(self, step: ScriptStep) -> Phone:
        self.steps.append(step)
        return self

    def answers(self, after: float = 0) -> Phone:
        """Ring ``after`` seconds, then answer (a person)."""
        return self._add(ScriptStep("answers", seconds=_non_negative("after", after)))

    def busy(self) -> Phone:
        """Return a busy signal: the call ends ``busy``."""
        return self._add(ScriptStep("busy"))

    def no_answer(self) -> Phone:
        """Ring until the call's timeout: the call ends ``no-answer``."""
        return self._add(ScriptStep("no_answer"))

    def fails(self) -> Phone:
        """The number cannot be reached: the call ends ``failed``."""
        return self._add(ScriptStep("fails"))

    def hangs_up(self, after: float = 0) -> Phone:
        """Hang up ``after`` seconds from the answer, cutting short whatever runs then."""
        return self._add(ScriptStep("hangs_up", seconds=_non_negative("after", after)))

    # -- what the engine reads -------------------------------------------------------

    def take_answer(self) -> ScriptStep | None:
        """The first unused answer step (marked used), or None: answer at once."""
        for step in self.steps:
            if step.action in _ANSWER_ACTIONS and not step.used:
                step.used = True
                return step
        return None

    def take_hangup_timer(self) -> ScriptStep | None:
        """The first unused ``hangs_up`` step (marked used), or None."""
        for step in self.steps:
            if step.action == "hangs_up" and not step.used:
                step.used = True
                return step
        return None

    def unused(self) -> list[ScriptStep]:
        """Steps the call never reached."""
        return [step for step in self.steps if not step.used]


def _non_negative(name: str, value: float) -> float:
    if value < 0:
        raise ValueError(f"{name} must be zero or more seconds, got {value!r}")
    return float(value)

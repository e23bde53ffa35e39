"""Hypothesis strategies that draw the far end of a call: let the test find the caller who
breaks the flow.

``callers()`` draws a ``Caller``: a far-end script (how the phone answers, what it presses,
says or records at each wait, when it hangs up) that ``caller.script(sim)`` gives to
``sim.phone(number)``. Hypothesis shrinks a failing caller to the smallest script that still
fails, and prints it as the Python line that reproduces it::

    Falsifying example: test_menu(caller=sim.phone("+15558675310").presses("*"))

Needs the ``hypothesis`` package (the wheel's ``strategies`` extra); the checks that go
with it are in ``twimlsim.properties`` and need nothing extra.

Hang-ups come in two kinds: at a place in the flow (``hangs_up_at_wait(after=N)``: N seconds
into the wait the script reaches, 0 being the beep of a Record), and on a timer of whole
seconds from the answer (``hangs_up(after=N)``: during a Say, a Dial's ring...). A shrunk
hang-up lands on the first moment at which the flow breaks.
"""

from __future__ import annotations

import json
import sysconfig
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from twimlsim import __version__
from twimlsim.arguments import CONTROL_CHARACTER, literal

try:
    from hypothesis import strategies as st
except ImportError as error:  # pragma: no cover - exercised only without the extra installed
    raise ImportError(
        "twimlsim.strategies needs the hypothesis package: pip install hypothesis (or "
        "install twimlsim's wheel with its strategies extra, "
        f"'twimlsim-{__version__}-py3-none-any.whl[strategies]')"
    ) from error

#: twimlsim's files, as a glob of hypothesis's list of lines that explain nothing.
_OWN_FILES = "/twimlsim/**"
#: Where this package's files are.
_PACKAGE = Path(__file__).resolve().parent


def _installed(package: Path) -> bool:
    """Whether ``package`` is in the environment's site-packages (installed from the wheel,
    as the README says), not in a checkout of twimlsim's repository."""
    sites = {Path(sysconfig.get_path(name)).resolve() for name in ("purelib", "platlib")}
    return any(package.is_relative_to(site) for site in sites)


def _leave_twimlsim_out_of_explanations(package: Path = _PACKAGE) -> None:
    """Have hypothesis's explain phase leave twimlsim's own lines out of a failing
    example's "Explanation" (the lines only failing examples ran): they are twimlsim
    reporting the app's failure, not the app's flaw, and an ASGI app, served on a thread
    hypothesis does not trace, had only those listed. hypothesis leaves pytest's and
    pygments' lines out the same way. Only for an installed twimlsim: in a checkout,
    twimlsim's lines are what its own property tests explain. A hypothesis without that
    list is left as it is."""
    try:
        from hypothesis.internal import scrutineer
    except ImportError:  # pragma: no cover - a hypothesis that moved its explain phase
        return
    unhelpful = getattr(scrutineer, "UNHELPFUL_LOCATIONS", None)
    if isinstance(unhelpful, tuple) and _OWN_FILES not in unhelpful and _installed(package):
        scrutineer.UNHELPFUL_LOCATIONS = (*unhelpful, _OWN_FILES)


_leave_twimlsim_out_of_explanations()

if TYPE_CHECKING:
    from twimlsim.engine.caller import Phone
    from twimlsim.engine.session import SimCall
    from twimlsim.simulator import Simulator

__all__ = ["Caller", "Step", "answers", "callers", "inputs"]

#: The keys a caller may press: every DTMF key a phone keypad has.
KEYS = "0123456789*#"
#: Words a caller may say when the app gives none.
WORDS = ("yes", "no", "sales", "support", "operator", "help")
#: Outcomes of answering-machine detection a drawn machine may report.
MACHINE_ANSWERS = ("machine_start", "machine_end_beep", "machine_end_silence", "fax")


@dataclass(frozen=True, slots=True)
class Step:
    """One call on a ``Phone``: the method's name and its arguments."""

    method: str
    args: tuple[Any, ...] = ()
    kwargs: tuple[tuple[str, Any], ...] = ()

    def apply(self, phone: Phone) -> Phone:
        """Add this step to ``phone``'s script."""
        method = getattr(phone, self.method)
        result: Phone = method(*self.args, **dict(self.kwargs))
        return result

    def __repr__(self) -> str:
        parts = [_literal(value) for value in self.args]
        parts += [f"{name}={_literal(value)}" for name, value in self.kwargs]
        return f"{self.method}({', '.join(parts)})"


@dataclass(frozen=True, slots=True)
class Caller:
    """A far end drawn by ``callers()``: a number and the steps of its script.

    Its ``repr`` is the Python line that scripts the same far end, so a falsifying example
    can be pasted into a test as it is.
    """

    number: str
    steps: tuple[Step, ...] = ()

    def script(self, sim: Simulator) -> Phone:
        """Script ``sim.phone(number)`` with this caller's steps; the phone."""
        phone = sim.phone(self.number)
        for step in self.steps:
            phone = step.apply(phone)
        return phone

    def call(self, sim: Simulator, to: str) -> SimCall:
        """Script the phone, then have it dial ``to`` (a number of the account with a voice
        URL): the inbound call, ringing."""
        self.script(sim)
        return sim.incoming_call(from_=self.number, to=to)

    def __repr__(self) -> str:
        return f"sim.phone({_literal(self.number)})" + "".join(f".{step!r}" for step in self.steps)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        # Hypothesis prints a falsifying example with its pretty printer, which would show
        # how the strategies built the caller (lambdas and all) whenever its explain phase
        # finds a part that can vary; this keeps the line that reproduces it.
        printer.text(repr(self))


#: The most seconds a draw may wait, ring, record or run before hanging up: a call lasts at
#: most a day (TimeLimit's top, 86,400 s), and a step of more seconds than a float holds
#: cannot even be scripted.
_DAY = 86_400
#: The most keys in one press and inputs in one script: far beyond any menu.
_MOST_INPUTS = 1_000


def _check_count(name: str, value: object, least: int, extra: str = "", *, most: int) -> None:
    """A ``ValueError`` now, rather than hypothesis's (or the script's) when a test first
    draws, unless ``value`` is a whole number from ``least`` to ``most``."""
    bound = "zero or more" if least == 0 else f"{least} or more"
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be a whole number, {bound}{extra}, got {value!r}")
    if value < least:
        raise ValueError(f"{name} must be {bound}{extra}, got {value!r}")
    if value > most:
        what = "seconds (a call lasts at most a day)" if most == _DAY else "for one caller"
        raise ValueError(f"{name} must be at most {most:,} {what}, got {literal(value)}")


def _check_words(words: object) -> None:
    if isinstance(words, str):
        raise ValueError(
            "words must be a list of words to say, e.g. words=['yes', 'no'], not a string "
            f"(its letters would be said one by one); got {words!r}"
        )
    if not words:
        raise ValueError("words must hold at least one word to say, e.g. words=['yes', 'no']")
    for word in cast("Sequence[object]", words):
        if not isinstance(word, str) or not word.strip() or CONTROL_CHARACTER.search(word):
            raise ValueError(
                "words must each be text with a word to say, without a control character, "
                f"e.g. words=['yes', 'no']; got {word!r}"
            )


def answers(*, max_ring: int = 30) -> st.SearchStrategy[Step | None]:
    """How a called phone answers: at once (None), after ringing, busy, no answer, or an
    answering machine. Shrinks toward answering at once."""
    _check_count("max_ring", max_ring, 1, most=_DAY)
    return st.one_of(
        st.none(),
        st.integers(1, max_ring).map(lambda after: Step("answers", kwargs=(("after", after),))),
        st.just(Step("busy")),
        st.just(Step("no_answer")),
        st.builds(
            lambda answered_by, after: Step(
                "machine", (answered_by,), (("after", after),) if after else ()
            ),
            st.sampled_from(MACHINE_ANSWERS),
            st.integers(0, max_ring),
        ),
    )


def inputs(
    *,
    keys: str = KEYS,
    max_digits: int = 4,
    words: Sequence[str] = WORDS,
    max_record: int = 120,
    max_wait: int = 10,
) -> st.SearchStrategy[Step]:
    """What the far end does at one wait (a Gather, a Record): presses keys (valid or not,
    too few or too many), says words (with a confidence), stays silent, hangs up up to
    ``max_wait`` seconds into the wait (``hangs_up_at_wait``: 0 is at the beep of a Record,
    as a Gather's prompts end), or talks into a Record and then presses a key or hangs up.
    Shrinks toward pressing the first of ``keys``."""
    if not isinstance(keys, str):
        raise ValueError(
            "keys must be a string of keys a phone can press (0-9, *, #, A-D), e.g. "
            f"keys='12*'; got {keys!r}"
        )
    if not keys:
        raise ValueError("keys must name at least one key to press, e.g. keys='0123456789*#'")
    wrong = sorted({key for key in keys if key not in "0123456789*#ABCD"})
    if wrong:
        raise ValueError(
            f"keys must be keys a phone can press (0-9, *, #, A-D), e.g. keys='12*'; got "
            f"{keys!r}, with {''.join(wrong)!r}"
        )
    _check_words(words)
    _check_count("max_digits", max_digits, 1, most=_MOST_INPUTS)
    _check_count("max_record", max_record, 0, most=_DAY)
    _check_count("max_wait", max_wait, 0, most=_DAY)
    confidence = st.sampled_from([0.9, 0.5, 0.1])
    # Half the draws are the moves a caller makes most: one key, silence, a hang-up as the
    # wait begins (at the beep of a Record). The rest vary them: runs of keys, barge-ins,
    # speech, hang-ups later in the wait, talk into a Record.
    common = st.sampled_from(
        [Step("presses", (key,)) for key in dict.fromkeys(keys)]
        + [Step("silence"), Step("hangs_up_at_wait")]
    )
    varied = st.one_of(
        st.builds(
            lambda digits, barge_in: Step(
                "presses", (digits,), (("barge_in", True),) if barge_in else ()
            ),
            st.text(alphabet=keys, min_size=1, max_size=max_digits),
            st.booleans(),
        ),
        st.builds(
            lambda said, level, barge_in: Step(
                "says",
                (said,),
                (("confidence", level),) + ((("barge_in", True),) if barge_in else ()),
            ),
            _phrases(list(words)),
            confidence,
            st.booleans(),
        ),
        st.builds(
            lambda after, barge_in: Step(
                "hangs_up_at_wait",
                kwargs=((("after", after),) if after else ())
                + ((("barge_in", True),) if barge_in else ()),
            ),
            st.integers(0, max_wait),
            st.booleans(),
        ),
        st.builds(
            lambda seconds, key, hangs_up: Step(
                "records",
                (seconds,),
                (("key", key),) if key else ((("hangs_up", True),) if hangs_up else ()),
            ),
            st.integers(0, max_record),
            st.sampled_from([None, "#", "1", "*"]),
            st.booleans(),
        ),
    )
    return st.one_of(common, varied)


#: The most words a drawn phrase has.
_PHRASE_WORDS = 3


def _phrases(words: list[str]) -> st.SearchStrategy[str]:
    """One to three of ``words`` (repeats allowed), drawn as one number: the first word
    alone, then each other word alone, then the pairs, then the triples.

    One draw, not a list of words, keeps a whole input at five of hypothesis's choices at
    most (the list's "one more" among them), as many as its shrinker deletes at once: an
    input that does not matter is then deleted from a failing script, as it is from one
    that presses keys."""
    count = len(words)
    total = sum(count**size for size in range(1, _PHRASE_WORDS + 1))

    def phrase(index: int) -> str:
        size = 1
        while index >= count**size:
            index -= count**size
            size += 1
        picked = []
        for _ in range(size):
            index, position = divmod(index, count)
            picked.append(words[position])
        return " ".join(picked)

    return st.integers(0, total - 1).map(phrase)


def callers(
    number: str = "+15558675310",
    *,
    answering: bool = False,
    keys: str = KEYS,
    max_digits: int = 4,
    words: Sequence[str] = WORDS,
    max_inputs: int = 5,
    max_record: int = 120,
    max_wait: int = 10,
    hang_up_within: int | None = 120,
) -> st.SearchStrategy[Caller]:
    """Draw far ends at ``number``: the main entry of this module.

    - ``answering``: draw how the phone answers too (ringing, busy, no answer, a machine):
      for a party the app calls or dials. A caller who dials in has no answer to draw.
    - ``keys``, ``max_digits``, ``words``, ``max_record``, ``max_wait``: what ``inputs()``
      draws at each wait; ``max_inputs``: how many waits the script answers before going
      silent.
    - ``hang_up_within``: the far end may hang up at any whole second up to this many after
      the answer (during a Say, a beep, a Dial's ring...); None never hangs up first.

    Shrinks toward the simplest far end: answers at once, no input, never hangs up.
    """
    if not isinstance(number, str) or not number.strip():
        raise ValueError(
            f"number must be the far end's phone number, such as '+15558675310', got {number!r}"
        )
    from twimlsim.rest.addresses import check_far_end  # as sim.phone(number) reads it

    check_far_end(f"callers(number={number!r})", number)
    _check_count("max_inputs", max_inputs, 0, most=_MOST_INPUTS)
    if hang_up_within is not None:
        _check_count(
            "hang_up_within", hang_up_within, 0, " (or None: never hangs up first)", most=_DAY
        )
    answer = answers() if answering else st.none()
    drawn_inputs = st.lists(
        inputs(
            keys=keys, max_digits=max_digits, words=words, max_record=max_record, max_wait=max_wait
        ),
        max_size=max_inputs,
    )
    hang_up: st.SearchStrategy[int | None] = (
        st.none()
        if hang_up_within is None
        else st.one_of(st.none(), st.integers(0, hang_up_within))
    )
    return st.builds(_caller, st.just(number), answer, drawn_inputs, hang_up)


def _caller(number: str, answer: Step | None, steps: list[Step], hang_up: int | None) -> Caller:
    chain = ([answer] if answer is not None else []) + steps
    if hang_up is not None:
        chain.append(Step("hangs_up", kwargs=(("after", hang_up),)))
    return Caller(number, tuple(chain))


def _literal(value: Any) -> str:
    """A value as Python source, strings in double quotes (as the README writes them)."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return repr(value)

"""What verbs share: the document being run, a verb's context, and how a verb ends.

A verb is a generator function ``run(ctx, node)`` that yields steps (``Sleep``, ``Listen``)
and returns None to go on with the next verb, ``Goto(loaded)`` to run another document
(an action, a ``<Redirect>``), or ``End(how)`` to end the call's TwiML.

Time model (virtual seconds): ``<Say>`` speaks 150 words a minute (2.5 words a second) and
pauses for its SSML ``<break time>``s, each loop rounded up to whole seconds, at least one;
``<Play>`` lasts the length given with ``sim.media(url, seconds=...)``, else
``DEFAULT_MEDIA_SECONDS``; a DTMF key lasts half a second (``w`` half a second, ``W`` one
second); far-end speech lasts 0.4 s a word.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from twimlsim.model.call import CallStatus
from twimlsim.twiml import nodes

from .urls import is_absolute_url, join_url

if TYPE_CHECKING:
    from .interpreter import Interpreter
    from .services import Services
    from .session import SimCall

__all__ = [
    "DEFAULT_MEDIA_SECONDS",
    "break_seconds",
    "Context",
    "End",
    "Goto",
    "Loaded",
    "Outcome",
    "dtmf_seconds",
    "ring_seconds_left",
    "say_seconds",
    "speech_seconds",
    "spoken_words",
]

WORDS_PER_SECOND = 2.5
#: Length of a ``<Play>`` whose URL was not given a length with ``sim.media()``.
DEFAULT_MEDIA_SECONDS = 5.0
#: How long answering-machine detection takes, on a REST-created call or a dialled leg.
AMD_SECONDS = 3
DTMF_KEY_SECONDS = 0.5
#: The longest SSML ``<break time>`` (Amazon Polly's limit; Twilio documents none).
MAX_BREAK_SECONDS = 10.0
_BREAK_TIME = re.compile(r"([0-9]+(?:\.[0-9]+)?)(s|ms)")
#: Twilio's code for an action a ``<Gather>``/``<Record>`` of inline TwiML cannot request.
INLINE_ACTION_NOT_ABSOLUTE = 15004


def ring_seconds_left(call: SimCall, now: datetime) -> float:
    """How long a call still ringing may go on ringing: its TwiML holds it (a first
    ``<Pause>``, an empty ``<Say>``, ``<Redirect>``s between them), where no TimeLimit
    runs yet, for at most the call's TimeLimit in all (a choice: Twilio documents no
    bound); then it is answered."""
    rung = (now - call.record.created_at).total_seconds()
    return max(0.0, call.record.time_limit - rung)


#: Characters of the scripts written without spaces between words (Han, Hiragana,
#: Katakana, Thai, Lao, Khmer, Myanmar): each is read as half a word.
_UNSPACED = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u31f0-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]"
)
#: Characters of an unspaced script spoken in the time of one word (5 a second).
CHARACTERS_PER_WORD = 2.0


def spoken_words(text: str) -> float:
    """How many words ``text`` is as speech: its words between spaces, where a script
    written without spaces counts its characters, two to a word. Fidelity choice
    (unconfirmed): Japanese and Chinese are spoken at about five characters a second, so
    a Japanese sentence of sixty characters takes twelve seconds rather than the one
    second of a single space-free "word"."""
    words = 0.0
    for token in text.split():
        unspaced = len(_UNSPACED.findall(token))
        if not unspaced:
            words += 1
            continue
        # "Logisticsです。": the Latin word is one more word, the punctuation none
        latin = any(c.isalnum() for c in _UNSPACED.sub("", token))
        words += unspaced / CHARACTERS_PER_WORD + latin
    return words


def say_seconds(text: str, pauses: float = 0.0) -> int:
    """Seconds one loop of ``<Say>`` takes: 150 words a minute (``spoken_words``) and the
    SSML ``<break>`` pauses (``pauses`` seconds, ``break_seconds``), rounded up, at least
    1."""
    return max(1, math.ceil(spoken_words(text) / WORDS_PER_SECOND + pauses))


def break_seconds(say: nodes.Say) -> float:
    """Seconds of the SSML ``<break time="...">`` pauses in ``say`` (``3s``, ``500ms``), each
    at most ``MAX_BREAK_SECONDS`` (Amazon Polly's limit). A break given only a
    ``strength`` adds nothing: its length is the speech engine's own, as punctuation's is
    (twimlsim times neither)."""
    total = 0.0
    pending = list(say.children)
    while pending:
        node = pending.pop()
        pending.extend(node.children)
        if isinstance(node, nodes.SsmlBreak) and node.time is not None:
            match = _BREAK_TIME.fullmatch(node.time.strip())
            if match is not None:
                seconds = float(match.group(1)) / (1000 if match.group(2) == "ms" else 1)
                total += min(seconds, MAX_BREAK_SECONDS)
    return total


def speech_seconds(text: str) -> float:
    """Seconds the far end takes to say ``text`` (2.5 words a second, ``spoken_words``)."""
    return spoken_words(text) / WORDS_PER_SECOND


def dtmf_seconds(digits: str) -> float:
    """Seconds to send ``digits`` as tones: half a second a key or ``w``, one for ``W``."""
    return sum(1.0 if key == "W" else DTMF_KEY_SECONDS for key in digits)


@dataclass(frozen=True, slots=True)
class Loaded:
    """A document ready to run, and the URL relative URLs in it resolve against."""

    document: nodes.Response
    url: str | None


@dataclass(frozen=True, slots=True)
class Goto:
    """Run ``loaded`` next; None when twimlsim stopped the call (loop or step limit)."""

    loaded: Loaded | None


@dataclass(frozen=True, slots=True)
class End:
    """The call's TwiML is over: ``hangup`` (``<Hangup>``), ``end`` (no more verbs),
    ``reject`` (``<Reject>`` before answer, ending ``status``), ``stop`` (twimlsim's limits),
    ``leave`` (``<Leave>`` in a queue's wait document), ``error`` (a queue's wait document
    could not be had: the caller leaves the queue)."""

    how: Literal["hangup", "end", "reject", "stop", "leave", "error"]
    status: CallStatus = CallStatus.COMPLETED


Outcome = Goto | End | None


@dataclass(slots=True)
class Context:
    """What a verb runs with: the call, the document, the engine's ``Services``."""

    interpreter: Interpreter
    call: SimCall
    loaded: Loaded

    @property
    def engine(self) -> Services:
        """The engine running the call, as verbs see it (``services.Services``)."""
        return self.interpreter.engine

    def resolve(self, url: str) -> str:
        """Resolve a URL from the document against the document's own URL."""
        return join_url(self.loaded.url, url) if self.loaded.url else url

    def action_url(self, verb: nodes.Gather | nodes.Record | nodes.Pay) -> str | None:
        """A Gather's or Record's action: ``action`` resolved, else the document's URL.

        TwiML given inline (``Twiml`` on a call create or update) has no URL: an action
        missing or relative there is Twilio's error 15004 ("Action Callback URL must be
        absolute when updating in-progress calls", which names Gather, Record and Pay and
        calls created with ``Twiml`` too), except a ``<Record>`` without one, which
        Twilio's 11100 page names ("You didn't provide a URL for the <Record> verb action
        attribute when modifying a live call"). What the call does then is not
        documented: twimlsim requests nothing and goes on with the next verb (None)."""
        action = verb.action
        if self.loaded.url is not None:
            return self.resolve(action) if action else self.loaded.url
        if action and is_absolute_url(action):
            return action
        written = f"action {action!r} is relative" if action else "has no action"
        code = INLINE_ACTION_NOT_ABSOLUTE if action or verb.tag != "Record" else 11100
        self.fail_at(
            verb,
            code,
            f"<{verb.tag}> {written} in TwiML given inline (the Twiml parameter of a call "
            "create or update): there is no document URL to resolve it against, so Twilio "
            "cannot request it; twimlsim requested nothing and went on with the next verb. "
            "Give an absolute action (https://...)",
        )
        return None

    def fail_at(
        self, node: nodes.Node, code: int | None, message: str, *, level: str = "error"
    ) -> None:
        """Record a problem Twilio's debugger would log for the call, at ``node`` of the
        document (its URL, the element and its line)."""
        self.interpreter.engine.fail(
            self.call,
            code,
            message,
            url=self.loaded.url,
            element=node.tag,
            line=node.line,
            level=level,
        )

    def not_simulated(
        self,
        node: nodes.Node,
        what: str | None = None,
        *,
        skipped: str,
        hint: str | None = None,
    ) -> None:
        """Record that twimlsim cannot run ``node`` (``what`` describes it, default its tag):
        a strict failure naming the element and line, and ``hint``, what was most likely
        meant; the ``skipped`` element is passed over."""
        self.fail_at(
            node,
            None,
            f"{what or f'<{node.tag}>'} is not simulated by twimlsim yet; the {skipped} was "
            "skipped" + (f". {hint}" if hint else ""),
        )

    def goto(self, url: str, method: str, params: dict[str, str], *, kind: str) -> Goto:
        """Request ``url`` with ``params`` and run the TwiML it returns."""
        return Goto(self.interpreter.load(self.call, url, method, kind=kind, params=params))

"""``<Gather>``: play the nested prompts, collect DTMF and/or speech, request the action.

- Input given during the prompts (a barge-in) stops them; otherwise the wait for input
  starts when they have played, and lasts ``timeout`` seconds. A prompt that repeats
  without end (``loop="0"``, 1,000 times) is the exception: once its first loop has
  played the Gather takes input while it goes on repeating, so scripted input is given
  there and cuts it short (a caller presses during an endless prompt; twimlsim's choice).
- ``bargeIn="false"``: the prompts play to their end whatever the far end does, and the
  Gather takes input once they have played, a far end's barge-in input included (Twilio
  documents only that the attribute stops media on input; what it does with input given
  during the prompts is twimlsim's choice: it is taken, not lost).
- ``timeout="auto"`` (listed by Twilio's page, not explained) waits the default 5 s for
  input; ``speechTimeout``, which defaults to the ``timeout``, is then ``auto``.
- Keys: the ``finishOnKey`` key ends input (not part of ``Digits``; pressed first it means
  no input); ``numDigits`` reached submits at once; otherwise input ends ``timeout``
  seconds after the last key. A test's or script's ``press("123")`` presses the keys at
  once, then the far end is silent.
- Speech: what the far end says is reported with its profane words masked (``f***``)
  unless ``profanityFilter="false"`` (``engine/profanity.py``); the words take 0.4 s
  each, then ``speechTimeout`` seconds of silence end it (``auto``:
  ``AUTO_SPEECH_TIMEOUT``). Speech is recognised for ``maxSpeechTime`` seconds at most
  (default and ceiling 60, Twilio's page's maximum): words said after that are not in
  ``SpeechResult``, and recognition ends there without waiting for ``speechTimeout``.
  DTMF in a speech-only Gather, and speech in a DTMF-only one, are ignored (the Gather
  then times out), as on Twilio; the ``Gathered`` event keeps them (``ignored_digits``,
  ``ignored_speech``) so that a test, its failure report and ``twimlsim call`` can say
  what happened.
- No input: the next verb, unless ``actionOnEmptyResult`` (then the action, with empty
  ``Digits`` and ``FinishedOnKey``). The action defaults to the document's URL.
- The far end hanging up during a Gather ends the call; twimlsim requests no action then
  (fidelity choice: Twilio's behaviour is unconfirmed).
"""

from __future__ import annotations

import math
from collections.abc import Generator
from typing import Any

from twimlsim.engine.caller import FarEndInput
from twimlsim.engine.events import Gathered
from twimlsim.engine.flow import WORDS_PER_SECOND, Context, Outcome, speech_seconds
from twimlsim.engine.params import gather_action_params, partial_result_params
from twimlsim.engine.process import Interrupt, Listen, Sleep, Step, Waiting
from twimlsim.engine.profanity import filter_profanity
from twimlsim.engine.realtime_transcriptions import transcribe, transcribe_said
from twimlsim.engine.webhooks import call_params
from twimlsim.twiml import nodes

from .basic import LOOP_FOREVER, prompt

__all__ = ["AUTO_SPEECH_TIMEOUT", "gather"]

#: Seconds of silence that end speech when ``speechTimeout="auto"``.
AUTO_SPEECH_TIMEOUT = 1.0
#: Seconds a ``timeout="auto"`` waits for input (Twilio's default ``timeout``).
DEFAULT_TIMEOUT = 5.0
#: The longest speech a Gather recognises, whatever its ``maxSpeechTime``.
MAX_SPEECH_SECONDS = 60


def gather(ctx: Context, verb: nodes.Gather) -> Generator[Step, Any, Outcome]:
    """Run one ``<Gather>``."""
    call = ctx.call
    clock = ctx.engine.clock
    keys = {"num_digits": verb.num_digits, "finish_on_key": verb.finish_on_key}
    inputs, timeout = tuple(verb.input), _timeout(verb)
    waiting = Waiting("Gather", inputs, timeout, details=keys)
    prompting = Waiting("Gather", inputs, timeout, prompting=True)
    given: FarEndInput | None = None
    for child in verb.children:
        timed = prompt(ctx, child)
        if timed is None:
            continue
        seconds, make = timed
        at = clock.now
        try:
            if not verb.barge_in:
                yield Sleep(seconds)  # not listened to: input waits for the prompts' end
                got, cut = None, False
            elif getattr(child, "loop", 1) == 0:
                got, cut = yield from _unbounded(ctx, seconds, prompting, waiting)
            else:
                got = yield Listen(seconds, prompting)
                cut = got is not None
        except (Interrupt, GeneratorExit):
            call.transcript.append(make(at, True))  # cut short by a hang-up or a redirect
            raise
        call.transcript.append(make(at, cut))
        if call.realtime_transcriptions or call.app_peer is not None:
            transcribe_said(ctx.engine, call, call.transcript[-1])
        if got is not None:
            given = got
            break
    if given is None:
        given = yield Listen(timeout, waiting)
    digits, finished_on_key, speech, confidence = yield from _collect(ctx, verb, given)
    empty = not digits and speech is None
    ignored_digits, ignored_speech = _ignored(verb, given)
    call.transcript.append(
        Gathered(
            clock.now,
            digits,
            speech,
            confidence,
            finished_on_key,
            timed_out=empty,
            ignored_digits=ignored_digits,
            ignored_speech=ignored_speech,
        )
    )
    if empty and not verb.action_on_empty_result:
        return None
    url = ctx.action_url(verb)
    if url is None:
        return None
    base = call_params(call.record, call.record.status.value)
    params = gather_action_params(
        base,
        digits=digits,
        finished_on_key=finished_on_key,
        speech=speech,
        confidence=confidence,
    )
    return ctx.goto(url, verb.method, params, kind="gather")


def _unbounded(
    ctx: Context, seconds: float, prompting: Waiting, waiting: Waiting
) -> Generator[Step, Any, tuple[FarEndInput | None, bool]]:
    """A prompt with ``loop="0"`` (``seconds`` for all its repetitions): input barging in
    during its first loop, then the Gather takes input while the prompt goes on repeating
    (a caller does not sit through 1,000 repetitions before pressing). Returns the input
    and whether it cut the prompt short; silence lets the prompt repeat to its end."""
    clock = ctx.engine.clock
    end = clock.micros + round(seconds * 1_000_000)
    got = yield Listen(seconds / LOOP_FOREVER, prompting)
    if got is None:
        got = yield Listen((end - clock.micros) / 1_000_000, waiting)
    if isinstance(got, FarEndInput) and got.kind == "silence":
        yield Sleep((end - clock.micros) / 1_000_000)
        return got, False
    return got, got is not None


def _collect(
    ctx: Context, verb: nodes.Gather, given: FarEndInput | None
) -> Generator[Step, Any, tuple[str, str, str | None, float | None]]:
    """Apply the input rules; returns digits, finishing key, speech, confidence."""
    takes_dtmf = "dtmf" in verb.input
    takes_speech = "speech" in verb.input
    if given is not None and given.kind == "digits" and takes_dtmf:
        digits, key, complete = _keys(verb, given.digits)
        if not complete:
            yield Sleep(_timeout(verb))
        return digits, key, None, None
    if given is not None and given.kind == "speech" and takes_speech:
        text = _within_max_speech_time(verb, given.text)
        yield from _speak(ctx, verb, text, given.confidence, cut=text != given.text)
        return "", "", _recognised(verb, text), given.confidence
    if given is not None and given.kind == "speech":
        # not for this Gather, but said all the same: a transcription hears it
        transcribe(ctx.engine, ctx.call, "inbound_track", given.text, given.confidence)
    if given is not None:
        # Silence, or input this Gather does not take: it times out.
        yield Sleep(_timeout(verb))
    return "", "", None, None


def _ignored(verb: nodes.Gather, given: FarEndInput | None) -> tuple[str, str | None]:
    """The keys and the words the far end gave that this Gather does not take (its
    ``input``): Twilio ignores them, and the transcript says so."""
    if given is not None and given.kind == "digits" and "dtmf" not in verb.input:
        return given.digits, None
    if given is not None and given.kind == "speech" and "speech" not in verb.input:
        return "", given.text
    return "", None


def _keys(verb: nodes.Gather, pressed: str) -> tuple[str, str, bool]:
    """Digits collected, the finishing key, and whether input ended on its own."""
    finish = verb.finish_on_key
    digits = ""
    for key in pressed:
        if key in "wW":
            continue
        if finish and key in finish:
            return digits, (key if digits else ""), True
        digits += key
        if verb.num_digits is not None and len(digits) >= verb.num_digits:
            return digits, "", True
    return digits, "", False


def _timeout(verb: nodes.Gather) -> float:
    """Seconds the Gather waits for input: its ``timeout``; ``auto`` (which Twilio's page
    lists without saying what it waits) waits the default 5 s (twimlsim's choice)."""
    return DEFAULT_TIMEOUT if verb.timeout == "auto" else float(verb.timeout)


def _recognised(verb: nodes.Gather, text: str) -> str:
    """What the speech recogniser reports of ``text``: profane words masked unless
    ``profanityFilter="false"``."""
    return filter_profanity(text) if verb.profanity_filter else text


def _within_max_speech_time(verb: nodes.Gather, text: str) -> str:
    """The words of ``text`` said within the speech time limit: ``maxSpeechTime`` seconds,
    at most 60 (Twilio's page: speech is gathered "for a *maximum* duration of 60
    seconds")."""
    words = text.split()
    limit = min(verb.max_speech_time, MAX_SPEECH_SECONDS)
    heard = math.floor(limit * WORDS_PER_SECOND + 1e-9)
    return text if len(words) <= heard else " ".join(words[:heard])


def _speak(
    ctx: Context, verb: nodes.Gather, text: str, confidence: float | None, *, cut: bool = False
) -> Generator[Step, Any, None]:
    """The far end says ``text``; recognition ends ``speechTimeout`` after it, or at once
    when the speech time limit ``cut`` it."""
    words = text.split()
    url = verb.partial_result_callback
    if url is None:
        yield Sleep(speech_seconds(text))
    else:
        target = ctx.resolve(url)
        per_word = speech_seconds(text) / max(1, len(words))
        for index, word in enumerate(words):
            yield Sleep(per_word)
            record = ctx.call.record
            params = partial_result_params(
                call_params(record, record.status.value),
                sequence=index,
                stable=_recognised(verb, " ".join(words[:index])),
                unstable=_recognised(verb, word),
                language=verb.language,
            )
            ctx.engine.notify(
                ctx.call,
                target,
                verb.partial_result_callback_method,
                params,
                kind="partial-result",
            )
    transcribe(ctx.engine, ctx.call, "inbound_track", text, confidence)
    if cut:
        return
    timeout = verb.speech_timeout
    yield Sleep(AUTO_SPEECH_TIMEOUT if timeout == "auto" else float(timeout))

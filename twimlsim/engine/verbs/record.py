"""``<Record>``: record the far end, then request the action.

Timeline of a recording, given the far end's input at the wait:
- ``records(N, key=K)``: talks N seconds (at most ``maxLength``), then presses K: a key of
  ``finishOnKey`` ends the recording, ``Digits=K``; otherwise it goes silent.
- ``says(text)``: talks for the words' length (0.4 s a word), then goes silent.
- silence (no input, ``silence()``, or a key not in ``finishOnKey``): after ``timeout``
  seconds of silence the recording ends (``timeout="0"``: only ``maxLength`` ends it).
- a key of ``finishOnKey`` pressed at once ends it at zero seconds.
The recording's duration (the Recording resource, ``recordingStatusCallback``) is the talk
time with ``trim="trim-silence"`` (the default), else the whole time recorded, in whole
seconds rounded up; the action's ``RecordingDuration`` is always the whole time recorded
(silence included), as Twilio's Record page says the action reports the duration before
trimming. Ended by silence or ``maxLength``, the action carries no ``Digits`` (fidelity
choice).

A recording of only silence is kept, as Twilio's Record page says ("By default, silent
recordings are saved by Twilio"): it lasts the whole time recorded (fidelity choice: there
is no talk for ``trim-silence`` to keep) and its action is requested as for any recording.
On an account set to delete silent recordings (``Simulator(delete_silent_recordings=True)``)
it is ``absent`` with ``ErrorCode`` 16102. A recording under one second (a ``finishOnKey``
key pressed at once) is ``absent`` with 16101. An absent recording requests no action and
goes on with the next verb (the legacy documented rule; the current page is silent).

When the far end hangs up, the action is still requested, with ``Digits=hangup`` and
``CallStatus=completed``, and the TwiML it returns is not run.

When a REST update redirects the call (``Url`` or ``Twiml``) while it records, the
recording made so far is kept: it is closed at that instant (``completed``, or ``absent``
under one second), reported to the ``recordingStatusCallback`` and transcribed as any
other, and the action is not requested, the call going on with its new TwiML (a choice,
UNCONFIRMED: Twilio documents the redirect, not what becomes of a recording it cuts short;
its Recording resource has no status for a recording left open).

A transcribed recording (``transcribe="true"``) lasts at most 120 s unless ``maxLength``
says otherwise (Twilio's Record page gives 120 s as its default ``maxLength``, 3,600 s
for others). Transcription is sent to ``transcribeCallback`` for recordings over 2 and
under 120 seconds, as the same page says ("greater than two seconds and less than 120
seconds"): one that reaches the 120 s default is not transcribed (the two statements
taken as written); without
``transcribeCallback`` it is only kept (the REST API's Transcriptions list has it, as
Twilio's Record page says it transcribes on ``transcribe="true"`` alone); a shorter or
longer one is Twilio's warning 13617 ("Recording length is out of range for
transcription": the recording is kept, nothing is transcribed).
A Voice SDK device (a ``client:`` caller or callee) is recorded for 600 s at most,
whatever ``maxLength`` says: the same page says "Twilio Voice SDK calls using <Record> are
limited to 600 seconds (ten minutes)".
A ``transcribeCallback`` without ``transcribe="true"`` transcribes nothing: Twilio's Record
page says "If transcribeCallback is specified, then you will also need to specify
transcribe=true; it is no longer implicit". twimlsim sends no request and
reports a warning with code 13614 (Twilio's "Record: invalid transcribe value"; Twilio
logs no code of its own for this, the choice is twimlsim's) so that ``allow_codes`` can let
it pass.

A recording the app deletes while answering the ``<Record>`` action or the recording's
``completed`` status callback (``DELETE /Recordings/RE...``, an app that moves the audio to
its own storage) is gone before Twilio transcribes it: Twilio transcribes after both (a
transcription takes longer than the recording's processing), and its warning 13618
("Record: Recording not available for transcription") names a recording "deleted before
Twilio was able to fetch the recording for transcription", advising to delete it once the
transcribe callback has come. twimlsim reports 13618, keeps no transcription and sends no
request to the ``transcribeCallback`` (fidelity choice: whether Twilio posts a ``failed``
transcription there is unconfirmed).
"""

from __future__ import annotations

import math
import sys
from collections.abc import Generator
from contextlib import suppress
from typing import Any

from twimlsim.engine.caller import FarEndInput
from twimlsim.engine.events import Recorded
from twimlsim.engine.flow import Context, Goto, Outcome, speech_seconds
from twimlsim.engine.params import record_action_params
from twimlsim.engine.process import Interrupt, Listen, Sleep, Step, Waiting
from twimlsim.engine.realtime_transcriptions import transcribe
from twimlsim.engine.recordings import ActiveRecording, RecordingCallbacks
from twimlsim.engine.webhooks import call_params
from twimlsim.model.call import Call, CallStatus, Direction
from twimlsim.model.recording import RecordingSource
from twimlsim.twiml import nodes

__all__ = ["TRANSCRIBE_CALLBACK_WITHOUT_TRANSCRIBE", "record"]

#: Twilio's "Record: Recording length is out of range for transcription" (a warning): a
#: transcribed recording of 2 seconds or less, or of 120 or more.
TRANSCRIPTION_OUT_OF_RANGE = 13617
#: The default ``maxLength`` of a transcribed recording (Twilio transcribes shorter ones).
TRANSCRIBED_MAX_LENGTH = 120
#: The longest ``<Record>`` of a Voice SDK call (Twilio's Record page).
SDK_MAX_LENGTH = 600
#: The code of a transcribeCallback without transcribe="true" (Twilio's 13614, "Record:
#: invalid transcribe value"; twimlsim's choice, Twilio logs none of its own).
TRANSCRIBE_CALLBACK_WITHOUT_TRANSCRIBE = 13614
#: Twilio's "Record: Recording not available for transcription" (a warning): the recording
#: was deleted before it was transcribed.
RECORDING_GONE_BEFORE_TRANSCRIPTION = 13618

_MICROS = 1_000_000


class _Take:
    """The recording under way: when talking stops, and what ended it."""

    def __init__(self, start: int) -> None:
        self.start = start
        self.talk_until = start
        self.ended_by = "silence"
        self.digits: str | None = None
        self.text = ""


def record(ctx: Context, verb: nodes.Record) -> Generator[Step, Any, Outcome]:
    """Run one ``<Record>``."""
    engine = ctx.engine
    call = ctx.call
    callbacks = RecordingCallbacks(
        ctx.resolve(verb.recording_status_callback) if verb.recording_status_callback else None,
        verb.recording_status_callback_method,
        frozenset(verb.recording_status_callback_event),
    )
    # RecordingTrack=both: a 2026 live test of Twilio's recording methods saw it in every
    # recording callback, RecordVerb's included (2021-2022 captures had none)
    active = engine.start_recording(call, RecordingSource.RECORD_VERB, callbacks, with_track=True)
    take = _Take(engine.clock.micros)
    silence = float(verb.timeout) if verb.timeout > 0 else _max_length(ctx, verb)
    keys = {"finish_on_key": verb.finish_on_key, "max_length": int(_max_length(ctx, verb))}
    waiting = Waiting("Record", ("audio", "dtmf", "speech"), silence, details=keys)
    cut: Interrupt | None = None
    closed = False
    try:
        given = yield Listen(silence, waiting)
        if given is None:
            take.ended_by = "silence" if verb.timeout > 0 else "max-length"
        else:
            yield from _take(ctx, verb, take, given)
    except Interrupt as interrupted:
        cut = interrupted  # handled below, outside the except: see process.py's note
    except GeneratorExit:  # a REST update redirected the call (engine/redirects.py)
        closed = True
    if closed:
        take.ended_by = "redirect"
        # or the collector closed it, its simulator gone; or Python's exit did, a run
        # stopped having left it live, when nothing can be told (as verbs/dial.py)
        if not sys.is_finalizing():
            with suppress(ReferenceError):
                _finish(ctx, verb, active, take, action=False)
                _report(ctx, verb, active, take.text)
        raise GeneratorExit
    if cut is not None:
        take.ended_by = take.digits = "hangup"
        engine.mark_ended(call, CallStatus.COMPLETED, by=cut.reason)
        outcome = _finish(ctx, verb, active, take)
        if isinstance(outcome, tuple):
            url, params = outcome
            engine.notify(call, url, verb.method, params, kind="record", warning_code=11200)
        _report(ctx, verb, active, take.text)
        raise cut
    outcome = _finish(ctx, verb, active, take)
    if outcome is None:
        _report(ctx, verb, active, take.text)
        return None
    url, params = outcome
    loaded = ctx.interpreter.load(call, url, verb.method, kind="record", params=params)
    _report(ctx, verb, active, take.text)
    return Goto(loaded)


def _take(
    ctx: Context, verb: nodes.Record, take: _Take, given: FarEndInput
) -> Generator[Step, Any, None]:
    max_length = _max_length(ctx, verb)
    take.text = given.text
    if given.kind == "digits" and given.digits[:1] and given.digits[0] in verb.finish_on_key:
        take.ended_by = take.digits = given.digits[0]
        return
    talk = 0.0
    if given.kind == "audio":
        talk = given.seconds
    elif given.kind == "speech":
        talk = speech_seconds(given.text)
    talk = min(talk, max_length)
    take.talk_until = take.start + round(talk * _MICROS)
    if talk:
        yield Sleep(talk)
        if given.kind != "digits":
            transcribe(ctx.engine, ctx.call, "inbound_track", given.text, given.confidence)
    if talk >= max_length:
        take.ended_by = "max-length"
        return
    if given.kind == "audio" and given.key is not None and given.key in verb.finish_on_key:
        take.ended_by = take.digits = given.key
        return
    if verb.timeout > 0:
        yield Sleep(min(float(verb.timeout), max_length - talk))
        take.ended_by = "silence" if talk + verb.timeout < max_length else "max-length"
    else:
        yield Sleep(max_length - talk)
        take.ended_by = "max-length"


def _finish(
    ctx: Context, verb: nodes.Record, active: ActiveRecording, take: _Take, *, action: bool = True
) -> tuple[str, dict[str, str]] | None:
    """Close the recording; the action to request, or None (empty, or ``action`` False: no
    action)."""
    engine = ctx.engine
    now = engine.clock.micros
    talked = (min(now, take.talk_until) - take.start) / _MICROS
    total = (now - take.start) / _MICROS
    seconds = _whole(talked if verb.trim == "trim-silence" else total)
    absent = None
    if total < 1:
        absent = 16101
    elif seconds == 0 and engine.delete_silent_recordings:
        absent = 16102
    elif seconds == 0:
        seconds = _whole(total)  # a silent recording is kept whole: there is no talk to trim to
    engine.finish_recording(active, seconds, absent_code=absent)
    ctx.call.transcript.append(
        Recorded(engine.clock.now, active.recording.sid, seconds, take.ended_by)
    )
    if absent is not None or not action:
        return None
    url = ctx.action_url(verb)
    if url is None:
        return None
    record_ = ctx.call.record
    params = record_action_params(
        call_params(record_, record_.status.value),
        active.recording,
        take.digits,
        recorded=_whole(total),
    )
    return url, params


def _report(ctx: Context, verb: nodes.Record, active: ActiveRecording, text: str) -> None:
    engine = ctx.engine
    engine.report_recording(active)
    seconds = active.recording.duration
    if verb.transcribe_callback and not verb.transcribe:
        ctx.fail_at(
            verb,
            TRANSCRIBE_CALLBACK_WITHOUT_TRANSCRIBE,
            f'transcribeCallback="{verb.transcribe_callback}" without transcribe="true": '
            'Twilio transcribes only with transcribe="true" (its Record page: a '
            "transcribeCallback no longer implies it), so twimlsim transcribed nothing and "
            'sent no request to the transcribeCallback; add transcribe="true", or allow '
            f"code {TRANSCRIBE_CALLBACK_WITHOUT_TRANSCRIBE} if no transcription is wanted",
            level="warning",
        )
    kept = active.recording.error_code is None  # an absent one has nothing to transcribe
    if verb.transcribe and kept and not 2 < seconds < TRANSCRIBED_MAX_LENGTH:
        ctx.fail_at(
            verb,
            TRANSCRIPTION_OUT_OF_RANGE,
            f'transcribe="true" on a recording of {seconds} s: Twilio transcribes only '
            "recordings over 2 and under 120 seconds, so twimlsim transcribed nothing and "
            "sent no request to the transcribeCallback; give <Record> a maxLength under "
            f"120, or allow code {TRANSCRIPTION_OUT_OF_RANGE} when callers may be this brief",
            level="warning",
        )
    elif verb.transcribe and kept:
        callback = verb.transcribe_callback
        if not engine.transcribe(active, ctx.resolve(callback) if callback else None, text):
            sid = active.recording.sid
            ctx.fail_at(
                verb,
                RECORDING_GONE_BEFORE_TRANSCRIPTION,
                f"recording {sid} was deleted (DELETE /Recordings/{sid}) before Twilio "
                "transcribes it, after the <Record> action and the recording's status "
                "callback, so twimlsim transcribed nothing and sent no request to the "
                "transcribeCallback; delete the recording once the transcribeCallback has "
                "come, as Twilio's 13618 advises, or allow code "
                f"{RECORDING_GONE_BEFORE_TRANSCRIPTION} if no transcription is wanted",
                level="warning",
            )


def _max_length(ctx: Context, verb: nodes.Record) -> float:
    """The longest recording: ``maxLength`` as written, else Twilio's default, 3,600 s, or
    120 s for a transcribed recording, and never over 600 s when a Voice SDK device is
    recorded (Twilio's Record page: "Twilio Voice SDK calls using <Record> are limited to
    600 seconds")."""
    if "maxLength" not in verb.attributes and verb.transcribe:
        longest = float(TRANSCRIBED_MAX_LENGTH)
    else:
        longest = float(verb.max_length)
    if _records_a_device(ctx.call.record):
        longest = min(longest, float(SDK_MAX_LENGTH))
    return longest


def _records_a_device(record: Call) -> bool:
    """Whether the far end recorded is a Voice SDK device: the caller of an inbound call
    from a ``client:`` identity, the callee of an outbound call to one."""
    far_end = record.from_ if record.direction == Direction.INBOUND else record.to
    return far_end.startswith("client:")


def _whole(seconds: float) -> int:
    return math.ceil(seconds - 1e-9) if seconds > 0 else 0

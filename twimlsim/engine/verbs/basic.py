"""The simple verbs: ``<Say>``, ``<Play>``, ``<Pause>``, ``<Hangup>``, ``<Redirect>``,
``<Reject>``. Say, Play and Pause take virtual time (see ``engine/flow.py``)."""

from __future__ import annotations

import math
from collections.abc import Generator
from typing import Any

from twimlsim.engine.events import Paused, Played, Redirected, Rejected, Said
from twimlsim.engine.flow import (
    Context,
    End,
    Goto,
    Outcome,
    break_seconds,
    dtmf_seconds,
    ring_seconds_left,
    say_seconds,
)
from twimlsim.engine.process import Interrupt, Sleep, Step
from twimlsim.engine.realtime_transcriptions import transcribe_said
from twimlsim.engine.verbs.queue import wait_redirect_params
from twimlsim.model.call import CallStatus
from twimlsim.twiml import nodes

__all__ = ["hangup", "pause", "play", "prompt", "redirect", "reject", "say"]

#: ``loop="0"`` repeats until hang-up, which Twilio caps at 1000 times.
LOOP_FOREVER = 1000

#: ``<Reject reason>`` to the status of a call that was never answered (SignalWire's
#: Twilio-compatible pairing; Twilio's text does not spell it out).
REJECT_STATUS = {"busy": CallStatus.BUSY, "rejected": CallStatus.NO_ANSWER}


def _loops(loop: int) -> int:
    return loop if loop > 0 else LOOP_FOREVER


def prompt(ctx: Context, verb: nodes.Node) -> tuple[float, Any] | None:
    """The length of a Say, Play or Pause and a maker of its transcript event
    (``make(at, interrupted)``), or None for any other node."""
    if isinstance(verb, nodes.Say):
        text, loops = verb.spoken_text, _loops(verb.loop)

        def said(at: Any, interrupted: bool) -> Said:
            return Said(at, text, verb.voice, verb.language, loops, interrupted)

        pauses = break_seconds(verb) if verb.children else 0.0
        return float(say_seconds(text, pauses) * loops), said
    if isinstance(verb, nodes.Play):
        loops = _loops(verb.loop)
        if verb.digits:
            digits = verb.digits

            def sent(at: Any, interrupted: bool) -> Played:
                return Played(at, "", loops, digits, interrupted)

            return dtmf_seconds(digits) * loops, sent
        url = ctx.resolve(verb.url) if verb.url else ""

        def played(at: Any, interrupted: bool) -> Played:
            return Played(at, url, loops, None, interrupted)

        return ctx.engine.media_seconds(url) * loops, played
    if isinstance(verb, nodes.Pause):
        length = verb.length
        if not ctx.call.answered:
            # A first <Pause> holds the call ringing, where no TimeLimit runs yet: the
            # ringing lasts at most the call's TimeLimit in all (flow.ring_seconds_left)
            left = ring_seconds_left(ctx.call, ctx.engine.clock.now)
            length = min(length, math.ceil(left))

        def paused(at: Any, interrupted: bool) -> Paused:
            return Paused(at, length, interrupted)

        return float(length), paused
    return None


def _timed(ctx: Context, verb: nodes.Node) -> Generator[Step, Any, Outcome]:
    timed = prompt(ctx, verb)
    assert timed is not None
    seconds, make = timed
    transcript = ctx.call.transcript
    at = ctx.engine.clock.now
    transcript.append(make(at, False))
    index = len(transcript) - 1
    try:
        yield Sleep(seconds)
    except (Interrupt, GeneratorExit):
        # A hang-up (thrown in) or a REST redirect (which closes the running TwiML) cut
        # it short: the far end did not hear it all.
        transcript[index] = make(at, True)
        raise
    peer = ctx.call.app_peer
    if ctx.call.realtime_transcriptions or peer is not None:
        transcribe_said(ctx.engine, ctx.call, transcript[index])
        if peer is not None and isinstance(verb, nodes.Play) and verb.digits:
            # DTMF on a call bridged to one of the simulation's numbers: that app hears
            # the keys once the last is played (a <Gather numDigits> completes then)
            ctx.engine.send_digits(ctx.call, verb.digits * _loops(verb.loop), noted=False)
    return None


say = play = pause = _timed


def hangup(ctx: Context, verb: nodes.Hangup) -> Generator[Step, Any, Outcome]:
    """``<Hangup>``: end the call (its ``<Parameter>``s go back to a dialling
    ``<Dial><Application>``, see ``_return_parameters``)."""
    yield from ()
    if verb.children:
        _return_parameters(ctx, verb)
    return End("hangup")


def _return_parameters(ctx: Context, verb: nodes.Hangup | nodes.Reject) -> None:
    """Keep the ``<Parameter>``s of a ``<Hangup>`` or ``<Reject>`` run by the TwiML App a
    ``<Dial><Application>`` dialled, for that Dial's ``action`` (``ReturnParam_<name>``,
    ``verbs/dial.py``), as Twilio's ``<Dial><Application>`` Usage page describes returning
    custom parameters to the originating ``<Dial>``'s action URL. Anywhere else they are
    ignored. The later of two such verbs (a leg's ``<Reject>`` cannot be reached twice) is
    the one kept."""
    attempt = ctx.call.leg
    if attempt is None:
        return
    target = attempt.targets.get(ctx.call.sid)
    if target is None or target.application is None:
        return
    attempt.returned[ctx.call.sid] = tuple(
        (child.name or "", child.value or "")
        for child in verb.children
        if isinstance(child, nodes.Parameter) and child.name
    )


def redirect(ctx: Context, verb: nodes.Redirect) -> Generator[Step, Any, Outcome]:
    """``<Redirect>``: fetch the URL (relative to this document) and run it; from a
    queue's wait document, with the queue's parameters (``verbs/queue.py``)."""
    yield from ()
    url = ctx.resolve(verb.url)
    ctx.call.transcript.append(Redirected(ctx.engine.clock.now, url, verb.method))
    params = wait_redirect_params(ctx)
    waiting = params is not None  # a hold loop: not counted as a runaway call's documents
    loaded = ctx.interpreter.load(
        ctx.call, url, verb.method, kind="redirect", params=params, waiting=waiting
    )
    return Goto(loaded)


def reject(ctx: Context, verb: nodes.Reject) -> Generator[Step, Any, Outcome]:
    """``<Reject>``: before the answer, the call ends busy or no-answer; after it (not
    documented by Twilio), the call is simply hung up."""
    yield from ()
    ctx.call.transcript.append(Rejected(ctx.engine.clock.now, verb.reason))
    if verb.children:
        _return_parameters(ctx, verb)
    if ctx.call.answered:
        return End("hangup")
    return End("reject", REJECT_STATUS.get(verb.reason, CallStatus.NO_ANSWER))

"""What a participant's leg does while in a room, however it joined (``<Dial><Conference>``
or the Participants resource): wait music until the room starts, hold music while held,
announcements, speaking, and leaving.

- Wait, hold and announcement documents may use only Play, Say, Pause and Redirect (any
  other verb is error 13238 and skipped); each runs once, then silence (Twilio does not
  request it again; an ending ``<Redirect>`` loops). Without a URL (Twilio's hold-music
  playlist) or with an empty one the participant hears silence: media is never fetched.
  twimlets.com's hold music is served built in (``engine/hosted.py``). A wait document
  that cannot be had takes the participant out of the room (a failed hold document is
  silence, a failed announcement is skipped), and the failure says so. A Say, Play or
  Pause cut off (the room started, the participant left) is marked ``interrupted``.
- Once the room has started the far end's scripted input is given: it may speak
  (``sim.phone(n).says(...)``: speaker events when neither muted nor held) or press keys
  (``*`` leaves the room when the Dial has ``hangupOnStar``).
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from twimlsim.twiml import nodes

from .caller import FarEndInput
from .conferences import LeftRoom, Seat, SeatChanged, SimConference
from .flow import Context, Loaded, speech_seconds
from .process import Interrupt, Listen, Sleep, Step, Waiting
from .verbs.basic import prompt

__all__ = ["DialTimeUp", "play_document", "stay"]

#: What a participant waits for from its far end once the room has started.
_IN_ROOM = Waiting("Conference", ("dtmf", "speech"), None)


#: What twimlsim does when a wait, hold or announcement document cannot be had (said in
#: the failure's message).
_INSTEAD = {
    "wait": "twimlsim then took the participant out of the room (a <Dial> reports "
    "DialCallStatus=failed); no application-error message is played for wait music",
    "hold": "the participant then heard silence while on hold",
    "announce": "twimlsim then skipped the announcement for this participant",
}


class DialTimeUp(Interrupt):
    """The Dial's ``timeLimit`` passed: the participant leaves the room."""

    def __init__(self) -> None:
        super().__init__("dial-time-limit")


def stay(
    ctx: Context, room: SimConference, seat: Seat, *, hangup_on_star: bool = False
) -> Generator[Step, Any, str]:
    """Be in the room until leaving; why the participant left (``LeftConference.how``:
    ``ended``, ``kicked``, ``star``, ``time-limit`` or ``failed``)."""
    conferences = ctx.engine.conferences
    participant = seat.participant
    while True:
        try:
            if seat.left:
                return seat.left_reason or "ended"
            if seat.announcements:
                url, method, number = seat.announcements.popleft()
                yield from play_document(ctx, url, method, kind="announce")
                conferences.announced(room, seat, url, number)
                continue
            if participant.hold:
                if seat.hold_url:
                    yield from play_document(ctx, seat.hold_url, seat.hold_method, kind="hold")
                yield Listen(None)
                continue
            if conferences.waiting(room):
                if seat.wait_url and not (
                    yield from play_document(ctx, seat.wait_url, seat.wait_method, kind="wait")
                ):
                    return "failed"
                yield Listen(None)  # the far end's input waits for the room to start
                continue
            woke = yield Listen(None, _IN_ROOM)
            if not isinstance(woke, FarEndInput):
                continue
            if hangup_on_star and "*" in woke.digits:
                return "star"
            if woke.kind == "speech" and woke.text:
                yield from _speak(ctx, room, seat, woke.text)
        except SeatChanged:
            continue
        except LeftRoom:
            return seat.left_reason or "ended"
        except DialTimeUp:
            return "time-limit"


def _speak(ctx: Context, room: SimConference, seat: Seat, text: str) -> Generator[Step, Any, None]:
    """The far end talks: speaker events around it when the room can hear it."""
    participant = seat.participant
    conferences = ctx.engine.conferences
    heard = not (participant.muted or participant.hold)
    if heard:
        conferences.speech(room, seat, "participant-speech-start")
    yield Sleep(speech_seconds(text))
    if heard and not seat.left:
        conferences.speech(room, seat, "participant-speech-stop")


def play_document(ctx: Context, url: str, method: str, *, kind: str) -> Generator[Step, Any, bool]:
    """Run a wait, hold or announcement document once (following ``<Redirect>``s); False
    when it could not be had."""
    call, interpreter, engine = ctx.call, ctx.interpreter, ctx.engine
    then = _INSTEAD[kind]
    loaded = interpreter.fetch_document(call, url, method, kind=kind, then=then)
    while loaded is not None:
        inner = Context(interpreter, call, loaded)
        following: Loaded | None = None
        redirected = False
        for child in loaded.document.children:
            timed = prompt(inner, child)
            if timed is not None:
                seconds, make = timed
                at = engine.clock.now
                call.transcript.append(make(at, False))
                index = len(call.transcript) - 1
                try:
                    yield Sleep(seconds)
                except (Interrupt, GeneratorExit):
                    # The room started, the participant left or was held, the call ended:
                    # the far end did not hear it to the end.
                    call.transcript[index] = make(at, True)
                    raise
            elif isinstance(child, nodes.Redirect):
                target = inner.resolve(child.url)
                following = interpreter.fetch_document(
                    call, target, child.method, kind=kind, then=then
                )
                redirected = True
                break
            elif not isinstance(child, nodes.Unknown):
                engine.fail(
                    call,
                    13238,
                    f"<{child.tag}> cannot run in a conference's {kind} document: the TwiML of "
                    "a waitUrl, holdUrl or announceUrl can only contain Say, Play, Pause and "
                    "Redirect verbs; twimlsim skipped it",
                    url=loaded.url,
                    element=child.tag,
                    line=child.line,
                )
        if not redirected:
            return True
        loaded = following
    return False

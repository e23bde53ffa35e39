"""What a participant's leg does while in a room, however it joined (``<Dial><Conference>``
or the Participants resource): wait music until the room starts, hold music while held,
announcements, speaking, and leaving.

- Wait, hold and announcement documents may use only Play, Say, Pause and Redirect (any
  other verb is error 13238 and skipped); each runs once, then silence (Twilio does not
  request it again; an ending ``<Redirect>`` loops). A participant that asked for no
  ``waitUrl`` waits, and one held without a ``HoldUrl`` is held, with Twilio's hold-music
  playlist as its URL (``conferences.wait_music``, ``Seat.hold_url``); an empty URL is
  silence.
  A wait document that cannot be had takes the participant out of the room (a failed hold
  document is silence, a failed announcement is skipped), and the failure says so.
  twimlsim serves twimlets.com's hold music built in (``engine/hosted.py``). A Say, Play
  or Pause cut off (the room started, the participant left, a ``*``) is marked
  ``interrupted``. A room-wide announcement (REST ``AnnounceUrl`` on the conference) is
  requested once for the room, with only ``AccountSid``, ``ConferenceSid`` and
  ``FriendlyName`` (UNCONFIRMED: Twilio documents no parameters for it); the request and
  its problems are logged under the call of the first participant that plays it, and
  every participant hears it. An announcement is played to its end: changes made meanwhile
  (hold, another announcement, the room starting) apply after it; the participant leaving
  or hanging up ends it (``announcement-end`` is still sent, without the participant's
  parameters once it has left, as Twilio documents; fidelity choice that it is sent, and
  that none is sent once the room has ended).
- Once the room has started the far end's scripted input is given: it may speak
  (``sim.phone(n).says(...)``: speaker events when neither muted nor held) or press keys
  (``*`` leaves the room when the Dial has ``hangupOnStar``).
- With ``hangupOnStar`` a participant still waiting for the room to start (wait music
  playing or over) also listens for keys: its next scripted ``presses(...)`` (or
  ``hangs_up_at_wait``) is given there, and a ``*`` cuts the wait music short and leaves
  the room as it would in a started one (Twilio: "pressing * takes the caller out of the
  room"; that this holds before the room starts is UNCONFIRMED, twimlsim's choice). Other
  scripted input (speech) still waits for the room to start.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Any

from twimlsim.twiml import nodes

from .caller import FarEndInput
from .conferences import LeftRoom, Seat, SeatChanged, SimConference
from .flow import Context, Loaded, speech_seconds
from .payments import keys_in_room
from .process import Interrupt, Listen, Sleep, Step, Waiting
from .realtime_transcriptions import transcribe
from .verbs.basic import prompt

if TYPE_CHECKING:
    from .session import SimCall

__all__ = ["DialTimeUp", "play_document", "room_params", "stay"]

#: What a participant waits for from its far end once the room has started.
_IN_ROOM = Waiting("Conference", ("dtmf", "speech"), None)
#: A participant waiting for the room to start, or on hold (``SimCall.held``).
_HELD = Waiting("Conference", (), None)
#: What a ``hangupOnStar`` participant waits for while the room has not started.
_STAR_WHILE_WAITING = Waiting("Conference", ("dtmf",), None)
#: The scripted steps a waiting ``hangupOnStar`` participant takes (speech waits).
_TAKEN_WHILE_WAITING = frozenset({"presses", "hangs_up_at_wait"})


class _StarPressed(Exception):
    """The far end pressed ``*`` while waiting, with ``hangupOnStar``."""


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
    call = ctx.call
    try:
        while True:
            # Waiting for the room to start, or on hold: only another call, the app or
            # time ends that, so call.run() stops there (SimCall.waiting_for).
            call.held = _HELD if participant.hold or conferences.waiting(room) else None
            try:
                if seat.left:
                    return seat.left_reason or "ended"
                if seat.announcements:
                    url, method, number = seat.announcements.popleft()
                    shared = None if number is None else room.announcement_documents.get(number)
                    seat.announcing = True
                    cut: LeftRoom | Interrupt | None = None
                    try:
                        yield from play_document(
                            ctx, url, method, kind="announce", shared=shared, room=room
                        )
                    except (LeftRoom, Interrupt) as ended:  # it left or hung up: it is over
                        cut = ended
                    # its callback is sent outside the except clause (process.Interrupt)
                    seat.announcing = False
                    conferences.announced(room, seat, url, number)
                    if cut is not None:
                        raise cut
                    continue
                if participant.hold:
                    if seat.hold_url:
                        yield from play_document(ctx, seat.hold_url, seat.hold_method, kind="hold")
                    yield Listen(None)
                    continue
                if conferences.waiting(room):
                    star = hangup_on_star
                    if seat.wait_url and not (
                        yield from play_document(
                            ctx, seat.wait_url, seat.wait_method, kind="wait", star=star
                        )
                    ):
                        return "failed"
                    # Without hangupOnStar the far end's input waits for the room to start.
                    woke = yield Listen(None, _star_wait(ctx.call) if star else None)
                    if isinstance(woke, FarEndInput) and "*" in woke.digits:
                        return "star"
                    continue
                woke = yield Listen(None, _IN_ROOM)
                if not isinstance(woke, FarEndInput):
                    continue
                if hangup_on_star and "*" in woke.digits:
                    return "star"
                if woke.digits:  # unused by the room: kept for a payment capture
                    keys_in_room(ctx.engine, call, woke.digits)
                if woke.kind == "speech" and woke.text:
                    yield from _speak(ctx, room, seat, woke.text, woke.confidence)
            except SeatChanged:
                continue
            except LeftRoom:
                return seat.left_reason or "ended"
            except DialTimeUp:
                return "time-limit"
            except _StarPressed:
                return "star"
    finally:
        call.held = None


def _star_wait(call: SimCall) -> Waiting | None:
    """Listen for keys while waiting, unless the far end's next scripted step is meant for
    the started room (speech)."""
    upcoming = call.phone.next_input()
    if upcoming is None or upcoming.action in _TAKEN_WHILE_WAITING:
        return _STAR_WHILE_WAITING
    return None


def _hear(ctx: Context, seconds: float, *, star: bool) -> Generator[Step, Any, None]:
    """Let a wait prompt play ``seconds``; with ``star``, a ``*`` pressed cuts it short."""
    if not star:
        yield Sleep(seconds)
        return
    call, clock = ctx.call, ctx.engine.clock
    deadline = clock.micros + round(seconds * 1_000_000)
    while (left := deadline - clock.micros) > 0:
        waiting = _star_wait(call)
        if waiting is None:
            yield Sleep(left / 1_000_000)
            return
        woke = yield Listen(left / 1_000_000, waiting)
        if isinstance(woke, FarEndInput) and "*" in woke.digits:
            raise _StarPressed


def _speak(
    ctx: Context, room: SimConference, seat: Seat, text: str, confidence: float | None
) -> Generator[Step, Any, None]:
    """The far end talks: speaker events around it when the room can hear it, and the
    real-time transcriptions of the room's calls hear it."""
    participant = seat.participant
    conferences = ctx.engine.conferences
    heard = not (participant.muted or participant.hold)
    if heard:
        conferences.speech(room, seat, "participant-speech-start")
    yield Sleep(speech_seconds(text))
    if heard and not seat.left:
        conferences.speech(room, seat, "participant-speech-stop")
    engine = ctx.engine
    transcribe(engine, ctx.call, "inbound_track", text, confidence)
    if heard:  # the room mixes it to everyone else in it who is not on hold
        coached = participant.call_sid_to_coach if participant.coaching else None
        for other in room.seats.values():
            if other is seat or other.left or other.participant.hold:
                continue
            if coached is not None and other.call.sid != coached:
                continue  # a coach is heard by the participant it coaches only
            transcribe(engine, other.call, "outbound_track", text, confidence)


def play_document(
    ctx: Context,
    url: str,
    method: str,
    *,
    kind: str,
    star: bool = False,
    shared: dict[tuple[str, str], Loaded | None] | None = None,
    room: SimConference | None = None,
) -> Generator[Step, Any, bool]:
    """Run a wait, hold or announcement document once (following ``<Redirect>``s); False
    when it could not be had. With ``star`` (a waiting ``hangupOnStar`` participant) a
    ``*`` pressed during it is raised as ``_StarPressed``.

    ``shared`` holds the documents of a room-wide announcement: the first participant's
    leg to play it requests each one, with the room's parameters (``room_params``), and
    reports its problems; the others play what it got. A leg that requests a document
    (the first, or one that went further than the first, which left) requests every
    document its ``<Redirect>``s lead to from then on, one met again included, as Twilio
    requests it again: a cycle of them that takes no time meets the interpreter's loop
    bound, whose missing document ends the cycle for the other legs too (read from
    ``shared``, the cycle went on for ever, at one instant)."""
    call, interpreter, engine = ctx.call, ctx.interpreter, ctx.engine
    then = _INSTEAD[kind]
    requesting = shared is None or (url, method) not in shared

    def load(target: str, how: str) -> tuple[Loaded | None, bool]:
        nonlocal requesting
        if shared is None:
            got = interpreter.fetch_document(
                call, target, how, kind=kind, then=then, requested_again=False
            )
            return got, True
        if not requesting and (target, how) in shared:
            return shared[(target, how)], False
        requesting = True
        params = room_params(room) if room is not None else None
        got = interpreter.fetch_document(
            call, target, how, kind=kind, then=then, params=params, requested_again=False
        )
        shared[(target, how)] = got
        return got, True

    loaded, fresh = load(url, method)
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
                    yield from _hear(ctx, seconds, star=star)
                except (Interrupt, GeneratorExit, _StarPressed):
                    # The room started, the participant left or was held, the call ended,
                    # a * left the room: the far end did not hear it to the end.
                    call.transcript[index] = make(at, True)
                    raise
            elif isinstance(child, nodes.Redirect):
                target = inner.resolve(child.url)
                following, then_fresh = load(target, child.method)
                redirected = True
                break
            elif fresh and not isinstance(child, nodes.Unknown):
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
        loaded, fresh = following, then_fresh
    return False


def room_params(room: SimConference) -> dict[str, str]:
    """What a room-wide announcement's request carries: the room's identity, no call's
    parameters (UNCONFIRMED: Twilio documents no parameters for it)."""
    record = room.record
    return {
        "AccountSid": record.account_sid,
        "ConferenceSid": record.sid,
        "FriendlyName": record.friendly_name,
    }

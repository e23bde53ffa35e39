"""A ``<Connect><ConversationRelay>`` session with the app's WebSocket handler open in
process (``engine/app_sockets.py``): Twilio's messages to it, and what its answers do to
the call.

Twilio's side, as its "Getting and sending WebSocket messages" page gives the messages,
written as sessions recorded from Twilio write them (compact JSON):

- ``setup`` as the socket opens: ``sessionId``, ``callSid``, ``parentCallSid``, ``from``,
  ``to``, ``forwardedFrom``, ``callerName``, ``direction``, ``callType``, ``callStatus``,
  ``accountSid`` and ``customParameters`` (the ``<Parameter>``s), in that order (the
  recorded one; the page's example orders them otherwise);
- ``prompt`` for each thing the far end says (``sim.phone(n).says(...)``,
  ``call.say(...)``): ``voicePrompt``, ``lang`` and ``last`` (always ``true``: twimlsim
  has the whole utterance at once, as with ``partialPrompts`` off, Twilio's default);
- ``dtmf`` for each key pressed, when ``dtmfDetection`` is ``true`` (otherwise keys reach
  nobody and are dropped);
- ``interrupt`` when the far end barges in on the agent's words (a step scripted with
  ``barge_in=True``, given as the words start, as at a ``<Gather>``: nothing heard yet)
  and ``interruptible`` lets that input interrupt; the words are cut off. Input that may
  not interrupt is reported only when ``reportInputDuringAgentSpeech`` names its kind
  (``speech``, ``dtmf``, ``any``), once the words have been said; by default (``none``,
  Twilio's default since May 2025) the app never receives it;
- ``error`` for a message of the app's that Twilio cannot act on (64107: the session goes
  on, the message is dropped): not JSON, an unknown ``type``, a field of the wrong type,
  or one the page's rules refuse (``sendDigits``: 0-9, ``w``, ``#`` and ``*`` only;
  ``language``: one of its languages; ``play``: an http(s) ``source``, a whole ``loop``).
  The tenth such message in a row closes the socket (code 1007) and ends the session
  with 64105, as the page says.

The app's side: ``text`` tokens are said once one comes with ``last: true`` (their text
joined as sent; the time they take is a ``<Say>``'s), in the ``lang`` a token of theirs
gave (the last one that did: Twilio's page lets a token's ``lang`` override the TTS
language), else the session's TTS language; ``play`` plays its ``source`` (its length
``sim.media()``'s; ``loop`` 0: 1,000 times); ``sendDigits`` sends its ``digits``;
``language`` changes the ``lang`` of later prompts (``transcriptionLanguage``) and the
language of later speech (``ttsLanguage``); ``config`` and ``hints`` (settings changed
mid-call) are taken and change nothing here; ``end`` ends the session (``handoffData`` for
the action). The app answers a prompt when it sends the ``last``
token, a ``play`` or ``end``: until then the engine waits for it (a wall-clock limit, the
webhook read timeout, bounds that wait; an app that does not answer in time is an error
and the caller hears nothing).

Choices where Twilio documents nothing (README, "Fidelity notes"): ``callStatus`` is the
``CallStatus`` the document running the ``<Connect>`` was fetched with, upper-cased
(``RINGING`` for an inbound call's first: ``_fetched_status``), ``callType`` ``PSTN``
(``CLIENT`` for a ``client:`` and ``SIP`` for a ``sip:`` caller), ``direction`` the call's
``Direction``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Generator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from functools import partial
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlsplit

from twimlsim.model.call import CallStatus, Direction
from twimlsim.twiml import nodes

from .app_sockets import compact_json, handler_running, handshake, json_object
from .caller import FarEndInput
from .events import Answered, Played, Said
from .flow import dtmf_seconds, say_seconds, speech_seconds
from .process import Listen, Sleep, Step, Waiting

if TYPE_CHECKING:
    from .app_sockets import AppSocket, SocketTurn
    from .flow import Context
    from .services import Host
    from .session import SimCall

__all__ = ["RELAY_ENDED", "Relay"]

#: Twilio's error for a ConversationRelay URL it cannot connect to.
CANNOT_CONNECT = 64102
#: Twilio's error for a socket the app's server closed during the call.
RELAY_ENDED = 64105
#: Twilio's error for a message of the app's it cannot act on.
INVALID_MESSAGE = 64107

#: The app's malformed messages in a row after which Twilio closes the socket, and the
#: close code it uses (Twilio's page: "the last 10 messages remain unidentified").
_MOST_MALFORMED = 10
_MALFORMED_CLOSE = 1007
#: The times a ``play`` message's ``loop`` 0 plays its media.
_MOST_LOOPS = 1000
#: The fields of the app's messages that are JSON booleans when given.
_FLAGS = ("last", "interruptible", "preemptible")

#: The far end's input each ``interruptible`` value lets cut the agent's speech short.
_INTERRUPTIBLE: dict[str, tuple[str, ...]] = {
    "any": ("speech", "digits"),
    "true": ("speech", "digits"),
    "speech": ("speech",),
    "dtmf": ("digits",),
    "none": (),
    "false": (),
}

#: What each message of the app's must carry, and of what type. ``config`` and ``hints``
#: are the messages that change a session's settings during the call (Twilio's changelog,
#: 2026-10-28: "new inbound config, hints, and language WebSocket messages"): taken, as
#: Twilio takes them, but what they change is not simulated (UNCONFIRMED: their fields are
#: not read here; README, Fidelity notes).
_REQUIRED: dict[str, tuple[tuple[str, type], ...]] = {
    "text": (("token", str),),
    "play": (("source", str),),
    "sendDigits": (("digits", str),),
    "language": (),
    "config": (),
    "hints": (),
    "end": (),
}


def _fetched_status(call: SimCall) -> str:
    """The call's status when the document running the ``<Connect>`` was fetched (that
    request's ``CallStatus``): ``ringing`` when the call was answered while it ran (an
    inbound call's document, the ``<Connect>`` or a verb before it answering), else the
    call's status. Twilio's example and a session recorded from Twilio both give
    ``RINGING`` for an inbound call (README, "Fidelity notes")."""
    record = call.record
    if record.direction is not Direction.INBOUND or not call.served:
        return record.status.value
    served = call.served[-1]
    began = len(call.transcript)
    for run in reversed(call.verb_runs):
        if run.served is not served:
            break
        began = run.events_from
    # the verb that answered comes right after its Answered (the document's first one too)
    if any(isinstance(event, Answered) for event in call.transcript[max(began - 1, 0) :]):
        return CallStatus.RINGING.value
    return record.status.value


def _ends_after(frames: tuple[str | bytes, ...], index: int, last: list[int]) -> bool:
    """Whether one of ``frames`` after ``index`` ends the app's turn (``_turn_over``); the
    last that does is looked for once (kept in ``last``)."""
    if not last:
        last.append(max((at for at, frame in enumerate(frames) if _turn_over(frame)), default=-1))
    return last[0] > index


def _turn_over(frame: str | bytes) -> bool:
    """Whether ``frame`` ends the app's turn at a prompt: its answer (the ``last`` token,
    a ``play``, ``end``), or a message Twilio cannot act on (the app is told at once)."""
    message = _parsed(frame)
    if isinstance(message, str):
        return True
    kind = message["type"]
    return kind in ("end", "play") or (kind == "text" and message.get("last") is True)


def _parsed(frame: str | bytes) -> dict[str, Any] | str:
    """``frame`` as a message ConversationRelay acts on, or what is wrong with it."""
    message = json_object(frame)
    if isinstance(message, str):
        return message
    kind = message.get("type")
    if not isinstance(kind, str) or kind not in _REQUIRED:  # a list is no key: TypeError
        return f"its type {kind!r} is none of {', '.join(_REQUIRED)}"
    for name, kind_of in _REQUIRED[kind]:
        if not isinstance(message.get(name), kind_of):
            return f"a {kind} message needs {name!r}, a string"
    for name in _FLAGS if kind != "config" else ():  # a config's interruptible: "none"...
        if name in message and not isinstance(message[name], bool):
            return f"its {name!r} is {message[name]!r}, not true or false"
    problem = _RULES.get(kind, _no_rule)(message)
    return message if problem is None else problem


def _no_rule(message: dict[str, Any]) -> str | None:
    return None


def _play_rule(message: dict[str, Any]) -> str | None:
    """Twilio's page: ``source`` "Must contain a valid URL"; ``loop`` an integer, 0 for
    1,000 times."""
    source = urlsplit(message["source"])
    if source.scheme.lower() not in ("http", "https") or not source.netloc:
        return f"its source {message['source']!r} is not an http(s) URL of the media to play"
    loop = message.get("loop", 1)
    if isinstance(loop, bool) or not isinstance(loop, int) or loop < 0:
        return f"its 'loop' is {loop!r}, not a whole number of times (0: 1,000 times)"
    return None


def _send_digits_rule(message: dict[str, Any]) -> str | None:
    """Twilio's page: ``digits`` "Cannot be null or empty. Must only contain the
    characters 0-9, w, #, and *"."""
    digits = message["digits"]
    if not digits or not set(digits) <= _SENDABLE:
        return f"its digits {digits!r} are not one or more of 0-9, w, # and *"
    return None


def _language_rule(message: dict[str, Any]) -> str | None:
    """Twilio's page: ``ttsLanguage`` or ``transcriptionLanguage`` "must be present"."""
    given = [message.get(name) for name in ("ttsLanguage", "transcriptionLanguage")]
    if not any(isinstance(value, str) and value for value in given):
        return "a language message needs ttsLanguage or transcriptionLanguage, a language code"
    return None


#: The keys a ``sendDigits`` message may send.
_SENDABLE = frozenset("0123456789w#*")
#: What each message of the app's must be beyond its required fields.
_RULES: dict[str, Callable[[dict[str, Any]], str | None]] = {
    "play": _play_rule,
    "sendDigits": _send_digits_rule,
    "language": _language_rule,
}


@dataclass
class Relay:
    """One session: the socket, and what the app's messages did so far."""

    ctx: Context
    noun: nodes.ConversationRelay
    socket: AppSocket
    session_sid: str
    #: The language the far end is heard in (a prompt's ``lang``) and the agent speaks in.
    language: str = "en-US"
    tts_language: str = "en-US"
    tokens: list[str] = field(default_factory=list)
    #: The ``lang`` of the talk cycle's text tokens, when one gave it (it overrides
    #: ``tts_language`` for them).
    tokens_language: str | None = None
    #: Set once the session is over: ``("ended", handoffData)`` for the app's ``end``,
    #: ``("failed", None)`` for a socket that closed or failed.
    ending: tuple[str, str | None] | None = None
    #: Twilio's error for a session that failed (the action's ``ErrorCode``).
    error_code: int | None = None
    #: A prompt was sent that the app has not answered yet.
    awaiting_answer: bool = False
    #: The ``<Connect>``'s wait for the far end (barge-in listens with it while speaking).
    waiting: Waiting | None = None
    #: How long the ``welcomeGreeting`` takes: it plays as ``setup`` goes, and what the
    #: app answers to ``setup`` is said after it (Twilio queues its speech).
    greeting_seconds: int = 0
    #: The app's messages in a row Twilio could not act on (64107), up to now.
    malformed: int = 0
    #: What is left to do once a barge-in stopped the work under way, in order: the far
    #: end's input and the rest of the app's frames of the turns it cut into. Done by
    #: ``_drain`` one at a time, not by a call within a call: a far end barging in on
    #: every answer of a long session nested them deeper each time (RecursionError).
    unwound: list[FarEndInput | tuple[SocketTurn, str]] = field(default_factory=list)
    #: The far end is still giving input (saying what interrupted the agent, pressing the
    #: keys of one step): its next input cannot cut in on the agent yet.
    caller_busy: bool = False
    #: Twilio closed the socket.
    closed: bool = False

    @property
    def over(self) -> bool:
        """Whether the session has ended (the app's ``end``, or its socket closed)."""
        return self.ending is not None

    @property
    def dtmf(self) -> bool:
        """Whether the far end's keys reach the app (``dtmfDetection``)."""
        return (self.noun.dtmf_detection or "").strip().lower() == "true"

    def open(self) -> Generator[Step, Any, None]:
        """Connect and send ``setup``; what the app answers is done."""
        accepted = handshake(cast("Host", self.ctx.engine), self.socket)
        if isinstance(accepted, str):
            self._fail(
                CANNOT_CONNECT,
                f"Twilio could not connect to the app's WebSocket at {self.socket.url}: "
                f"{accepted}; the session ended at once",
            )
            self.ending, self.error_code = ("failed", None), CANNOT_CONNECT
            return
        if accepted.closed is not None:  # it closed, or raised, as it accepted
            yield from self._heard(accepted, "the setup message")
            return
        turn = self._send([compact_json(self._setup())])
        turn = replace(turn, frames=accepted.frames + turn.frames)  # sent as it accepted
        if self.greeting_seconds:
            yield Sleep(self.greeting_seconds)
        yield from self._heard(turn, "the setup message")
        yield from self._drain()

    def _setup(self) -> dict[str, Any]:
        record = self.ctx.call.record
        parameters = {
            child.name or "": child.value or ""
            for child in self.noun.children
            if isinstance(child, nodes.Parameter)
        }
        caller = record.from_
        call_type = "PSTN"
        if caller.startswith(("client:", "sip:")):
            call_type = "CLIENT" if caller.startswith("client:") else "SIP"
        return {  # in the order of a session recorded from Twilio
            "type": "setup",
            "sessionId": self.session_sid,
            "callSid": record.sid,
            "parentCallSid": record.parent_call_sid or "",
            "from": record.from_,
            "to": record.to,
            "forwardedFrom": record.forwarded_from or "",
            "callerName": record.caller_name or "",
            "direction": record.direction.value,
            "callType": call_type,
            "callStatus": _fetched_status(self.ctx.call).upper(),
            "accountSid": record.account_sid,
            "customParameters": parameters,
        }

    def hear(self, given: FarEndInput) -> Generator[Step, Any, None]:
        """The far end's input: speech becomes a ``prompt``, keys ``dtmf`` messages."""
        yield from self._hear_one(given)
        yield from self._drain()

    def _drain(self) -> Generator[Step, Any, None]:
        """Do what barge-ins left to do (``unwound``), the latest first, each in order."""
        stack: list[FarEndInput | tuple[SocketTurn, str]] = []
        while True:
            unwound, self.unwound = self.unwound, []
            stack.extend(reversed(unwound))
            if not stack or self.ending is not None:
                return
            item = stack.pop()
            if isinstance(item, FarEndInput):
                yield from self._hear_one(item)
            else:
                yield from self._heard(*item)

    def _hear_one(self, given: FarEndInput) -> Generator[Step, Any, None]:
        if given.kind == "speech":
            text = " ".join(given.text.split())
            yield Sleep(speech_seconds(text))
            prompt = {"type": "prompt", "voicePrompt": text, "lang": self.language, "last": True}
            self.awaiting_answer = True
            turn = self._send([compact_json(prompt)], until=_turn_over)
            yield from self._heard(turn, f"the prompt {text!r}")
        elif given.kind == "digits" and self.dtmf:
            for index, digit in enumerate(given.digits):
                yield Sleep(dtmf_seconds(digit))
                turn = self._send([compact_json({"type": "dtmf", "digit": digit})])
                self.caller_busy = index + 1 < len(given.digits)  # its keys go on
                try:
                    yield from self._heard(turn, f"the dtmf message for {digit!r}")
                finally:
                    self.caller_busy = False
                if self.ending is not None:
                    return

    def send_audio(self, payload: bytes) -> Generator[Step, Any, None]:
        """Caller audio is a Media Stream's (``call.stream_audio`` refuses a relay)."""
        yield from ()

    def close(self) -> None:
        """Twilio closes the socket (the call or the session is over)."""
        self._close(1000)

    def _close(self, code: int) -> None:
        if self.closed:
            return
        self.closed = True
        with self._answering():
            turn = self.socket.close(code)
        if turn.failure is not None and self.ending is None:
            self._fail(None, f"after Twilio closed the socket, {turn.failure}")

    def _heard(self, turn: SocketTurn, what: str) -> Generator[Step, Any, None]:
        """Do what the app sent in ``turn`` (in order), then see how the turn ended."""
        frames = turn.frames
        last: list[int] = []  # the turn's last frame that ends a turn, once looked for
        for index, frame in enumerate(frames):
            yield from self._do(frame, what, partial(_ends_after, frames, index, last))
            if self.ending is not None:
                return
            if self.unwound:  # a barge-in: the rest of the turn comes after its input
                self.unwound.append((replace(turn, frames=frames[index + 1 :]), what))
                return
        if turn.timed_out:
            waited = "answer" if self.awaiting_answer else "handle"
            self._fail(
                None,
                f"the app did not {waited} {what}: {turn.failure}. Answer a prompt with text "
                "tokens ending in one with last: true (or a play or end message); the caller "
                "heard nothing",
            )
            self.awaiting_answer = False
            return
        if turn.closed is not None:
            why = f"; {turn.failure}" if turn.failure else ""
            self._fail(
                RELAY_ENDED,
                f"the app's WebSocket handler closed the socket (code {turn.closed}) without "
                f'an end message{why}; end a session with {{"type": "end"}} (and '
                "handoffData) to hand the call back to TwiML",
            )
            self.ending, self.error_code = ("failed", None), RELAY_ENDED

    def _do(
        self, frame: str | bytes, what: str, ends_after: Callable[[], bool] = lambda: False
    ) -> Generator[Step, Any, None]:
        """One message of the app's (in its turn at ``what``; ``ends_after()``: whether
        what it sent after it in that turn ends the turn, looked at only when needed: a
        slice of the rest for each frame made a flood of frames take quadratic time)."""
        message = self._checked(frame)
        if message is None and self.malformed >= _MOST_MALFORMED:
            self._fail(
                RELAY_ENDED,
                f"the app sent {_MOST_MALFORMED} messages in a row ConversationRelay cannot act "
                'on: Twilio closed the socket (code 1007, "Too many consecutive malformed '
                'messages") and the session ended; send JSON messages of type text, play, '
                "sendDigits, language or end",
            )
            self.ending, self.error_code = ("failed", None), RELAY_ENDED
            self._close(_MALFORMED_CLOSE)
            return
        if message is None:  # Twilio tells the app, whose reply comes next
            shown = frame if isinstance(frame, str) else repr(frame)
            error = {"type": "error", "description": f"Invalid message received: {shown[:200]}"}
            # the answer may have come already, after it: then it is not waited for again
            waits = self.awaiting_answer and not ends_after()
            until = _turn_over if waits else None
            turn = self._send([compact_json(error)], until)
            yield from self._heard(turn, "the error message" if until is None else what)
            return
        kind = message["type"]
        now = self.ctx.engine.clock.now
        transcript = self.ctx.call.transcript
        if kind == "text":
            self.tokens.append(message["token"])
            lang = message.get("lang")
            if isinstance(lang, str) and lang:
                self.tokens_language = lang
            if message.get("last") is not True:
                return
            text = " ".join("".join(self.tokens).split())
            language = self.tokens_language or self.tts_language
            self.tokens.clear()
            self.tokens_language = None
            self.awaiting_answer = False
            if text:
                yield from self._say(text, message.get("interruptible"), language)
        elif kind == "play":
            self.awaiting_answer = False
            url = message["source"]
            loops = message.get("loop", 1) or _MOST_LOOPS  # 0: 1,000 times (Twilio's page)
            transcript.append(Played(now, url, loops))
            yield Sleep(self.ctx.engine.media_seconds(url) * loops)
        elif kind == "sendDigits":
            digits = message["digits"]
            transcript.append(Played(now, "", 1, digits))
            yield Sleep(dtmf_seconds(digits))
        elif kind == "language":
            heard, spoken = message.get("transcriptionLanguage"), message.get("ttsLanguage")
            if isinstance(heard, str) and heard:
                self.language = heard
            if isinstance(spoken, str) and spoken:
                self.tts_language = spoken
        elif kind == "end":
            handoff = message.get("handoffData")
            if handoff is not None and not isinstance(handoff, str):
                handoff = json.dumps(handoff)
            self.ending = ("ended", handoff)

    def _say(self, text: str, interruptible: object, language: str) -> Generator[Step, Any, None]:
        """Say ``text`` to the caller in ``language``; input the far end gives as it starts
        (a step scripted with ``barge_in=True``) of a kind ``interruptible`` allows cuts it
        short: the app gets an ``interrupt`` message, then the input."""
        transcript = self.ctx.call.transcript
        voice = self.noun.voice or ""
        transcript.append(Said(self.ctx.engine.clock.now, text, voice, language))
        index = len(transcript) - 1
        kinds = _INTERRUPTIBLE.get((self.noun.interruptible or "any").strip().lower(), ())
        if interruptible is False:
            kinds = ()
        if self.waiting is None or self.caller_busy:
            yield Sleep(say_seconds(text))
            return
        prompting = replace(self.waiting, prompting=True)
        got = yield Listen(say_seconds(text), prompting)
        if not isinstance(got, FarEndInput):
            return
        if got.kind not in kinds:
            yield Sleep(say_seconds(text))
            reported = (self.noun.report_input_during_agent_speech or "none").strip().lower()
            if got.kind in _INTERRUPTIBLE.get(reported, ()):
                self.unwound.append(got)  # heard once the words have been said
            return
        said = transcript[index]
        assert isinstance(said, Said)
        transcript[index] = Said(said.at, text, voice, language, interrupted=True)
        interrupt = {
            "type": "interrupt",
            "utteranceUntilInterrupt": "",
            "durationUntilInterruptMs": 0,
        }
        turn = self._send([compact_json(interrupt)])
        # the caller is still saying what interrupted: what the app says in answer to the
        # interrupt is not cut short by the far end's next input, which comes after it
        self.caller_busy = True
        try:
            yield from self._heard(turn, "the interrupt message")
        finally:
            self.caller_busy = False
        if self.ending is None:
            self.unwound.append(got)

    def _checked(self, frame: str | bytes) -> dict[str, Any] | None:
        """``frame`` as a message Twilio acts on, or None after its 64107 (the session goes
        on)."""
        message = _parsed(frame)
        if not isinstance(message, str):
            self.malformed = 0
            return message
        self.malformed += 1
        shown = frame if isinstance(frame, str) else repr(frame)
        self._fail(
            INVALID_MESSAGE,
            f"the app sent a message ConversationRelay cannot act on ({message}): "
            f"{shown[:200]}; it was dropped and the session went on. Send JSON messages of "
            "type text, play, sendDigits, language or end",
        )
        return None

    def _send(
        self, texts: list[str], until: Callable[[str | bytes], bool] | None = None
    ) -> SocketTurn:
        with self._answering():
            return self.socket.send(texts, until)

    def _answering(self) -> AbstractContextManager[None]:
        return handler_running(cast("Host", self.ctx.engine), self.socket.url)

    def _fail(self, code: int | None, message: str) -> None:
        self.ctx.fail_at(self.noun, code, message)

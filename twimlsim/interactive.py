"""``twimlsim call --interactive``: take a simulated call by hand at the keyboard.

What the caller hears is printed event by event as the call runs (in virtual time, so a
long ``<Say>`` does not keep you waiting). At each ``<Gather>`` or ``<Record>`` the call
stops and asks: type keys (DTMF) or words (speech, or what you say into a Record), Enter
sends them, an empty Enter stays silent, Ctrl-D or Ctrl-C hangs up. A countdown shows the
verb's timeout in wall-clock seconds; when it runs out the far end stays silent (or sends
the keys typed so far), as on a phone. A Gather with ``numDigits`` or ``finishOnKey`` ends
on the key that completes it. Keys and words reach the call at the instant it started
waiting, so the transcript is exactly the one a scripted run (``--press``/``--say``) gives.
A bridged ``<Dial hangupOnStar>`` runs on without asking. In a ``<Connect><Stream>`` the
app's WebSocket server has the call: Enter plays the server closing the stream, Ctrl-D
hangs up.

On a terminal, keys are read one at a time and the output is coloured (unless ``NO_COLOR``
is set); otherwise input is read line by line and printed plain.
"""

from __future__ import annotations

import codecs
import math
import os
import select
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO

from .engine import events
from .model.call import Direction
from .report import transcript_line
from .transports.timing import wall_seconds

if TYPE_CHECKING:
    from .engine.process import Waiting
    from .engine.session import SimCall
    from .simulator import Simulator

__all__ = ["Keyboard", "Screen", "take_call"]

#: DTMF keys a caller can press.
KEYS = frozenset("0123456789*#")
_END_OF_INPUT = "\x04"
_ERASE = frozenset({"\x7f", "\b"})
#: How often the countdown is redrawn.
_TICK = 0.2

_COLOURS = {
    events.Said: "32",  # green: what the caller hears
    events.Played: "32",
    events.Gathered: "36",  # cyan: what the caller gave
    events.Recorded: "36",
    events.PaymentInput: "36",
    events.WebhookFailed: "31",  # red
    events.HungUp: "1",  # bold
}


#: Seconds after a key that completed an answer on its own in which an Enter still
#: belongs to that answer (a person types "2", then Enter, about 0.1-0.3 s later).
_HABIT_ENTER = 0.5


def _wall_clock() -> float:
    """Seconds on the wall clock: the countdowns are for a person, not for the call. Read
    as the webhook timeout reads it, from a clock freezegun leaves alone: with ``--app``
    the app's clock is the call's virtual one, time.monotonic included, which stands
    still while you type."""
    return wall_seconds()


class Keyboard:
    """Characters typed on ``stream``, each with a timeout.

    On a terminal the keys arrive one by one (cbreak mode, restored on exit); from a pipe
    or file they arrive a line at a time. ``key()`` returns ``"\\x04"`` at the end of input.
    """

    def __init__(self, stream: TextIO) -> None:
        self.fd = stream.fileno()
        self.is_terminal = os.isatty(self.fd)
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._pending = ""
        self._saved: list[Any] | None = None
        #: Until when an Enter is taken as the habit that follows the key which completed
        #: the last answer on its own, rather than as the next prompt's empty answer.
        self._habit_enter_until: float | None = None

    def __enter__(self) -> Keyboard:
        if self.is_terminal:
            import termios
            import tty

            self._saved = termios.tcgetattr(self.fd)
            tty.setcbreak(self.fd)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._saved is not None:
            import termios

            termios.tcsetattr(self.fd, termios.TCSADRAIN, self._saved)
            self._saved = None

    def key(self, timeout: float) -> str | None:
        """The next character, or None when ``timeout`` seconds pass first (or when the
        character was the Enter that followed a completing key, see ``drop_line``)."""
        if self._habit_enter_until is None:
            return self._next_key(timeout)
        # typed before this prompt read anything: while the app answered, not at it
        typed_before = bool(self._pending) or bool(select.select([self.fd], [], [], 0)[0])
        key = self._next_key(timeout)
        if key is None:
            return None
        until, self._habit_enter_until = self._habit_enter_until, None
        if key in "\r\n" and (typed_before or _wall_clock() <= until):
            return None
        return key

    def _next_key(self, timeout: float) -> str | None:
        while not self._pending:
            ready, _, _ = select.select([self.fd], [], [], max(0.0, timeout))
            if not ready:
                return None
            data = os.read(self.fd, 1024)
            if not data:
                return _END_OF_INPUT
            self._pending = self._decoder.decode(data)
        key, self._pending = self._pending[0], self._pending[1:]
        return key

    def drop_line(self) -> None:
        """Read line by line, forget the rest of the line just answered (a key that ended
        the input on its own, such as a Gather's last digit, leaves its Enter behind); on a
        terminal, an Enter typed out of habit (before the next prompt read a key, or within
        half a second) is dropped too, so that it does not answer the next prompt (a Record)
        with silence."""
        if self.is_terminal:
            self._habit_enter_until = _wall_clock() + _HABIT_ENTER
            return
        while "\n" not in self._pending:
            ready, _, _ = select.select([self.fd], [], [], 0)
            data = os.read(self.fd, 1024) if ready else b""
            if not data:
                self._pending = ""
                return
            self._pending += self._decoder.decode(data)
        self._pending = self._pending.split("\n", 1)[1]


@dataclass
class Screen:
    """Where the call is shown; ``colour`` and ``live`` (redrawn lines) on a terminal."""

    out: TextIO
    colour: bool
    live: bool
    _status: str = ""

    @classmethod
    def on(cls, out: TextIO) -> Screen:
        """A screen for ``out``: colour and redrawing only when it is a terminal."""
        terminal = out.isatty()
        return cls(out, colour=terminal and "NO_COLOR" not in os.environ, live=terminal)

    def paint(self, text: str, code: str | None) -> str:
        """``text`` in colour ``code`` (an SGR number; None: plain) when colour is on."""
        return f"\x1b[{code}m{text}\x1b[0m" if self.colour and code else text

    def line(self, text: str) -> None:
        """Print one line."""
        self.out.write(text + "\n")
        self.out.flush()

    def status(self, text: str) -> None:
        """Show a line that the next ``status`` or ``line`` replaces (nothing when not
        live); redrawn only when it changes."""
        if self.live and text != self._status:
            self.out.write("\r\x1b[K" + text)
            self.out.flush()
            self._status = text

    def clear_status(self) -> None:
        """Remove the status line."""
        if self.live:
            self.out.write("\r\x1b[K")
            self.out.flush()
            self._status = ""


@dataclass(frozen=True)
class _Answer:
    """What the person at the keyboard did at one wait."""

    kind: str  # "keys", "words", "silence", "hangup"
    text: str = ""
    seconds: float = 0.0


class _Caller:
    """Runs ``call`` and asks ``keyboard`` at each wait."""

    def __init__(self, sim: Simulator, call: SimCall, keyboard: Keyboard, screen: Screen) -> None:
        self.sim = sim
        self.call = call
        self.keyboard = keyboard
        self.screen = screen
        self._shown: dict[str, int] = {}  # call SID -> its events printed

    def run(self) -> None:
        call, scheduler = self.call, self.sim.scheduler
        self.sim.engine.before_running()
        while not call.ended:
            waiting = call.waiting_for
            if waiting is not None and waiting.verb == "Connect":
                self._show_events()
                self._in_stream(waiting)
                continue
            if waiting is not None and waiting is call.held:
                if scheduler.next_due() == self.sim.engine.clock.micros:
                    scheduler.run_next()  # what this instant still holds may take it
                    continue
                self._show_events()
                self._held(waiting)
                continue
            if self._talking() and scheduler.next_due() != self.sim.engine.clock.micros:
                self._show_events()
                self._bridged()
                continue
            if waiting is None or waiting.timeout is None:
                # Running, or a wait without a timeout (a Dial ringing): let time pass.
                if not scheduler.run_next():
                    break
                self._show_events()
                continue
            self._show_events()
            try:
                answer = self._ask(waiting)
            except KeyboardInterrupt:
                answer = _Answer("hangup")
            self._give(waiting, answer)
        self._show_events()

    def _show_events(self) -> None:
        """Print what happened since the last look, in time order: on the call, and on each
        leg it dialed (marked with the number dialed), whose far end no one at the
        keyboard plays, so that a whisper or an agent's menu is seen as it runs."""
        fresh: list[tuple[events.Event, str]] = []
        for leg in self._legs(self.call):
            shown = self._shown.get(leg.sid, 0)
            who = "" if leg is self.call else f"[{leg.record.to}] "
            fresh += [(event, who) for event in leg.transcript[shown:]]
            self._shown[leg.sid] = len(leg.transcript)
        for event, who in sorted(fresh, key=lambda item: item[0].at):
            self.screen.line(self.screen.paint(transcript_line(event, who), _colour(event)))

    @classmethod
    def _legs(cls, call: SimCall) -> list[SimCall]:
        """``call`` and every leg it dialed, theirs too, depth first."""
        return [call, *(leg for child in call.children for leg in cls._legs(child))]

    # -- asking ------------------------------------------------------------------------------

    def _hint(self, waiting: Waiting) -> str:
        if waiting.verb == "Record":
            return "recording: type what you say, a key or Enter stops"
        labels = (("dtmf", "keys"), ("speech", "words"))
        kinds = [label for kind, label in labels if kind in waiting.input]
        return f"{waiting.verb.lower()}: type {' or '.join(kinds)}, Enter sends"

    def _ask(self, waiting: Waiting) -> _Answer:
        assert waiting.timeout is not None
        timeout = waiting.timeout
        started = _wall_clock()
        deadline = started + timeout
        typed = ""
        hint = self._hint(waiting)
        refused = False  # a letter typed at a keypad: said once
        if not self.screen.live:
            self.screen.line(f"  [{hint} (empty: silence; {timeout:g}s)]")
        while True:
            left = deadline - _wall_clock()
            if left <= 0:
                self.screen.clear_status()
                return self._answer(waiting, typed, started)
            self.screen.status(self.screen.paint(f"  [{hint}; {math.ceil(left)}s] ", "33") + typed)
            key = self.keyboard.key(min(left, _TICK))
            if key is None:
                continue
            if key == _END_OF_INPUT:
                self.screen.clear_status()
                return _Answer("hangup")
            if key in "\r\n":
                self.screen.clear_status()
                return self._answer(waiting, typed, started)
            if key in _ERASE:
                typed = typed[:-1]
                continue
            if not key.isprintable():
                continue
            if "speech" not in waiting.input and waiting.verb != "Record" and key not in KEYS:
                if not refused:  # a keypad has no letters: say so, once, and go on
                    refused = True
                    note = f"{key!r} is no key: this Gather takes keys only (0-9, * and #)"
                    if self.screen.live:
                        hint = f"{hint}; {note}"
                    else:
                        self.screen.line(f"  [{note}]")
                continue
            typed += key
            deadline = _wall_clock() + timeout  # the timeout counts from the last key
            if self._complete(waiting, typed, key):
                self.keyboard.drop_line()
                self.screen.clear_status()
                return self._answer(waiting, typed, started)

    @staticmethod
    def _complete(waiting: Waiting, typed: str, key: str) -> bool:
        """Whether ``key`` ends the input on its own (a finishing key, enough digits)."""
        finish = waiting.details.get("finish_on_key") or ""
        if waiting.verb == "Record":
            return key in finish
        if key not in KEYS or not set(typed) <= KEYS:
            return False
        if key in finish:
            return True
        wanted = waiting.details.get("num_digits")
        return waiting.verb == "Gather" and wanted is not None and len(typed) >= wanted

    @staticmethod
    def _answer(waiting: Waiting, typed: str, started: float) -> _Answer:
        typed = typed.strip()
        if waiting.verb == "Record":
            if not typed:
                return _Answer("silence")
            return _Answer("words", typed, seconds=max(1.0, round(_wall_clock() - started)))
        if not typed:
            return _Answer("silence")
        if set(typed) <= KEYS and "dtmf" in waiting.input:
            return _Answer("keys", typed)
        return _Answer("words", typed)

    def _in_stream(self, waiting: Waiting) -> None:
        """A ``<Connect><Stream>``: the app's WebSocket server has the call until Enter (the
        server closes the stream) or Ctrl-D/Ctrl-C (you hang up)."""
        call, paint = self.call, self.screen.paint
        if waiting.input:  # twimlsim opened the app's socket: its handler hears you
            self._in_open_stream(waiting)
            return
        hint = (
            f"stream {waiting.details.get('url')}: the app's server has the call; Enter "
            "closes the stream, Ctrl-D hangs up"
        )
        if self._enter_or_hang_up(hint):
            self.screen.line(paint("  > the app's server closes the stream", "33"))
            call.close_stream()

    def _in_open_stream(self, waiting: Waiting) -> None:
        """A ``<Connect>`` whose socket twimlsim opened (an ASGI app in process): a line
        typed goes to the app's handler (keys as DTMF, words as speech); an empty line
        closes the stream, Ctrl-D/Ctrl-C hangs up."""
        paint = self.screen.paint
        noun = str(waiting.details.get("noun", "Stream")).lower()
        hint = (
            f"{noun} {waiting.details.get('url')}: the app's handler has the call; type words "
            "or keys, Enter sends; Enter alone closes it, Ctrl-D hangs up"
        )
        if not self.screen.live:
            self.screen.line(f"  [{hint}]")
        typed = ""
        while True:
            self.screen.status(paint(f"  [{hint}] ", "33") + typed)
            try:
                key = self.keyboard.key(_TICK)
            except KeyboardInterrupt:
                key = _END_OF_INPUT
            if key is None:
                continue
            if key == _END_OF_INPUT:
                self.screen.clear_status()
                self._give(waiting, _Answer("hangup"))
                return
            if key in "\r\n":
                self.screen.clear_status()
                if not typed.strip():
                    self.screen.line(paint("  > the app's server closes the stream", "33"))
                    self.call.close_stream()
                else:
                    self._give(waiting, self._answer(waiting, typed, _wall_clock()))
                return
            if key in _ERASE:
                typed = typed[:-1]
            elif key.isprintable():
                typed += key

    def _held(self, waiting: Waiting) -> None:
        """A caller held in a queue or a room not started: nothing in this command takes
        it, so Enter lets a minute of hold pass and Ctrl-D/Ctrl-C hangs up."""
        paint = self.screen.paint
        if waiting.details.get("workflowSid"):
            where = "a TaskRouter queue"
        elif waiting.verb == "Enqueue":
            where = "a queue"
        else:
            where = "a conference room that has not started (or on hold)"
        hint = f"held in {where}: no one here takes the call; Enter waits a minute, Ctrl-D hangs up"
        if self._enter_or_hang_up(hint):
            self.screen.line(paint("  > you hold on a minute", "33"))
            self.sim.advance(60)

    def _talking(self) -> bool:
        """The call is bridged to a party its ``<Dial>`` reached (its whisper done)."""
        return any(leg.bridged_with is self.call for leg in self.call.children)

    def _bridged(self) -> None:
        """Bridged to the party dialed: you talk until you hang up (Ctrl-D/Ctrl-C), or
        Enter lets a minute of talk pass (the party may hang up in it, as scripted)."""
        hint = "bridged to the party dialed; Enter talks a minute, Ctrl-D hangs up"
        if self._enter_or_hang_up(hint):
            self.screen.line(self.screen.paint("  > you talk a minute", "33"))
            self.sim.advance(60)

    def _enter_or_hang_up(self, hint: str) -> bool:
        """Show ``hint`` until Enter (True) or Ctrl-D/Ctrl-C, which hangs the call up
        (False)."""
        paint = self.screen.paint
        if not self.screen.live:
            self.screen.line(f"  [{hint}]")
        while True:
            self.screen.status(paint(f"  [{hint}] ", "33"))
            try:
                key = self.keyboard.key(_TICK)
            except KeyboardInterrupt:
                key = _END_OF_INPUT
            if key == _END_OF_INPUT:
                self.screen.clear_status()
                self.screen.line(paint("  > you hung up", "33"))
                self.call.hangup()
                return False
            if key is not None and key in "\r\n":
                self.screen.clear_status()
                return True

    # -- giving -------------------------------------------------------------------------------

    def _give(self, waiting: Waiting, answer: _Answer) -> None:
        call, paint = self.call, self.screen.paint
        if answer.kind == "hangup":
            self.screen.line(paint("  > you hung up", "33"))
            call.hangup()
        elif answer.kind == "silence":
            self.screen.line(paint("  > you stay silent", "33"))
            call.silence()
        elif waiting.verb == "Record":
            text, key = answer.text, None
            finish = waiting.details.get("finish_on_key") or ""
            if text[-1] in finish:
                text, key = text[:-1].rstrip(), text[-1]
            stopped = f", then press {key}" if key else ""
            self.screen.line(paint(f"  > you talk {answer.seconds:g}s{stopped}", "33"))
            call.records(answer.seconds, key, text=text)
        elif answer.kind == "keys":
            self.screen.line(paint(f"  > you press {answer.text}", "33"))
            call.press(answer.text)
        else:
            self.screen.line(paint(f"  > you say {answer.text!r}", "33"))
            call.say(answer.text)


def _colour(event: events.Event) -> str | None:
    return _COLOURS.get(type(event))


def take_call(sim: Simulator, call: SimCall, keyboard: Keyboard, screen: Screen) -> None:
    """Run ``call`` to its end, asking ``keyboard`` at each wait; then run every other leg
    and callback to the end too."""
    record = call.record
    # the far end is the party called, or the caller of a call coming in (--incoming)
    you = record.from_ if record.direction is Direction.INBOUND else record.to
    screen.line(
        screen.paint(
            f"Calling {record.to} from {record.from_} (you are {you}; "
            "Enter sends, an empty Enter stays silent, Ctrl-D hangs up)",
            "1",
        )
    )
    with keyboard:
        _Caller(sim, call, keyboard, screen).run()
    sim.run()
    screen.line("")

"""What the two ends of a bridged ``<Dial>`` say to each other.

While a ``<Dial>`` leg is bridged, each end's scripted ``says(...)`` steps are spoken in
the bridge one after another (the caller's from ``sim.phone(<caller>)``, the dialled
party's from ``sim.phone(<dialled number>)``), each taking its words' time. Nothing
collects them (no ``<Gather>`` runs during a bridge); the real-time transcriptions of the
two calls hear them: the speaker's own call on ``inbound_track``, the other call on
``outbound_track``. Scripted keys are not taken here (``hangupOnStar`` aside), and an
utterance cut short by the bridge ending is not heard.

An end whose next step is ``silence()`` takes it here and says nothing more in this
bridge: its later ``says(...)`` steps wait for a later wait (a speech ``<Gather>`` after
the ``<Dial>``, a post-call survey), so such flows can be scripted
(``sim.phone(caller).silence().says("five stars")``).
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Any

from .caller import FarEndInput
from .flow import speech_seconds
from .process import Listen, Sleep, Step, Waiting
from .realtime_transcriptions import transcribe

if TYPE_CHECKING:
    from .services import Services
    from .session import SimCall

__all__ = ["SPEECH_IN_BRIDGE", "ParentTalk", "speech_next", "talk_in_bridge"]

#: What a bridged end listens for when its script's next step is speech.
SPEECH_IN_BRIDGE = Waiting("Dial", ("speech",), None)


#: The scripted steps a bridge takes: speech, and ``silence()`` (quiet for the bridge).
_TAKEN_IN_BRIDGE = frozenset({"says", "silence"})


def speech_next(call: SimCall) -> bool:
    """The far end's next scripted step is one a bridge takes (speech, or silence)."""
    upcoming = call.phone.next_input()
    return upcoming is not None and upcoming.action in _TAKEN_IN_BRIDGE


def _silent(woke: object) -> bool:
    return isinstance(woke, FarEndInput) and woke.kind == "silence"


def _heard(engine: Services, speaker: SimCall, listener: SimCall | None, said: FarEndInput) -> None:
    transcribe(engine, speaker, "inbound_track", said.text, said.confidence)
    if listener is not None and not listener.ended:
        transcribe(engine, listener, "outbound_track", said.text, said.confidence)
        peer = listener.app_peer  # the listener's far end is an own number's app
        if peer is not None and not peer.ended:
            transcribe(engine, peer, "inbound_track", said.text, said.confidence)


def talk_in_bridge(engine: Services, child: SimCall, parent: SimCall) -> Generator[Step, Any, None]:
    """The dialled party's side of the bridge, until the bridge ends (an interruption)."""
    child.bridged_with = parent
    try:
        yield from _talk(engine, child, parent)
    finally:
        child.bridged_with = None


def _talk(engine: Services, child: SimCall, parent: SimCall) -> Generator[Step, Any, None]:
    while True:
        if not speech_next(child):
            yield Listen(None)
            continue
        woke = yield Listen(None, SPEECH_IN_BRIDGE)
        if _silent(woke):  # quiet for the rest of the bridge
            while True:
                yield Listen(None)
        if isinstance(woke, FarEndInput) and woke.kind == "speech" and woke.text:
            yield Sleep(speech_seconds(woke.text))
            _heard(engine, child, parent, woke)


class ParentTalk:
    """The caller's side of the bridge, kept by the ``<Dial>`` wait: it must stay ready
    for news of the legs while the caller talks, so an utterance is a deadline."""

    __slots__ = ("_engine", "_quiet", "_said", "_until", "call")

    def __init__(self, engine: Services, call: SimCall) -> None:
        self._engine = engine
        self.call = call
        self._said: FarEndInput | None = None
        self._until = 0
        self._quiet = False

    def wait(self, bridged: bool, waiting: Waiting | None) -> tuple[float | None, Waiting | None]:
        """How long to wait and for what: the rest of an utterance, else (bridged, with
        no other input awaited) the caller's next speech."""
        if self._said is not None:
            return max(0, self._until - self._engine.clock.micros) / 1_000_000, None
        if bridged and waiting is None and not self._quiet and speech_next(self.call):
            return None, SPEECH_IN_BRIDGE
        if self._quiet and waiting is not None:  # a hangupOnStar wait takes any step
            upcoming = self.call.phone.next_input()
            if upcoming is not None and upcoming.action == "says":
                return None, None  # words kept for a later wait, not dropped here
        return None, waiting

    def woke(self, woke: object, bridged: bool, listener: SimCall | None) -> None:
        """After the wait: an utterance that has run its time is heard; speech just given
        in the bridge starts one."""
        clock = self._engine.clock
        if self._said is not None and clock.micros >= self._until:
            _heard(self._engine, self.call, listener, self._said)
            self._said = None
        if bridged and _silent(woke):
            self._quiet = True
        speech = isinstance(woke, FarEndInput) and woke.kind == "speech" and bool(woke.text)
        if self._said is None and bridged and speech and not self._quiet:
            assert isinstance(woke, FarEndInput)
            self._said = woke
            self._until = clock.micros + round(speech_seconds(woke.text) * 1_000_000)

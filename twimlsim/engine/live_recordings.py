"""Recordings a test or app starts and controls on a live call through the REST API
(``POST /Calls/{Sid}/Recordings.json`` and its updates): start, pause, resume, stop. A
call's own recording (``Record=true`` on create) and a ``<Dial record>`` recording are
controlled the same way, as Twilio's Recording resource and its "Call Recording Controls"
article say of a recording started in the initial API request or by ``<Dial>``; the Dial
still ends its recording when the legs part (``close``) and reports it after its action
(``report_closed``).

A recording counts the seconds it actually recorded: pausing with ``PauseBehavior=skip``
leaves the paused stretch out of the recording (a 60 s call paused for 10 s gives a 50 s
recording), ``silence`` (Twilio's default) keeps it as silence. The recording ends when it
is stopped or when the call ends; its final ``completed`` (or, at 0 s, ``absent``)
callback follows at that instant (after the call's ``completed`` status callback when the
call's end stopped it). Fidelity choices (Twilio documents only ``in-progress``,
``completed`` and ``absent`` as ``RecordingStatusCallbackEvent`` values): pausing,
resuming and stopping send no callback of their own, and ``in-progress`` is sent once,
when the recording starts. ``Trim`` is kept and changes nothing (twimlsim models no
silence inside a conversation). A stopped recording is ``completed`` at once (twimlsim
models no processing delay); the update that stops it answers ``stopped``.

A conference's recording (``conference_recording.py``) is adopted into the same controls
(``/Conferences/{CF}/Recordings/{RE}.json``): it is not tied to a call's end, and its
final event goes to the room's ``recordingStatusCallback``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from twimlsim.model.recording import Recording, RecordingSource, RecordingStatus

from .recordings import ActiveRecording, RecordingCallbacks

if TYPE_CHECKING:
    from .services import Host
    from .session import SimCall

__all__ = ["LiveRecording", "LiveRecordings", "PAUSE_BEHAVIORS"]

PAUSE_BEHAVIORS = ("skip", "silence")


@dataclass(slots=True)
class LiveRecording:
    """One REST-controlled recording and how much of it has been recorded so far."""

    active: ActiveRecording
    trim: str
    #: Microseconds recorded before the current stretch.
    recorded_us: int = 0
    #: When the current recorded stretch began (None while paused with ``skip``).
    since_us: int | None = None
    ended: bool = False
    reported: bool = False
    #: Sends the final event when it is not the call's recording callback (a room's
    #: recording reports to the room's ``recordingStatusCallback``).
    report: Callable[[LiveRecording], None] | None = None
    #: The ``name`` of the ``<Start><Recording>`` that started it (``<Stop>`` by name).
    name: str | None = None

    @property
    def recording(self) -> Recording:
        """The Recording record."""
        return self.active.recording


class LiveRecordings:
    """The engine's REST-controlled recordings, by call."""

    def __init__(self, engine: Host) -> None:
        self.engine = engine
        self._by_call: dict[str, list[LiveRecording]] = {}
        self._by_sid: dict[str, LiveRecording] = {}

    def start(
        self,
        call: SimCall,
        callbacks: RecordingCallbacks,
        *,
        channels: int = 1,
        track: str = "both",
        trim: str = "do-not-trim",
        name: str | None = None,
        source: RecordingSource = RecordingSource.START_CALL_RECORDING_API,
    ) -> Recording:
        """Start recording ``call`` (answered, not ended) now; ``in-progress`` if subscribed.
        ``name`` is a ``<Start><Recording name>``'s, for a ``<Stop>`` naming it; ``source``
        is the REST create's unless a ``<Start><Recording>`` gives its own."""
        engine = self.engine
        active = engine.start_recording(
            call,
            source,
            callbacks,
            channels=channels,
            track=track,
            with_track=True,
        )
        live = LiveRecording(active, trim, since_us=engine.clock.micros, name=name)
        self._by_call.setdefault(call.sid, []).append(live)
        self._by_sid[active.recording.sid] = live
        return active.recording

    def follow(self, call: SimCall, active: ActiveRecording, *, trim: str) -> LiveRecording:
        """Put the recording ``call`` started itself (``Record=true`` on create, a ``<Dial
        record>``) under REST control from now, as Twilio's Recording resource allows for
        every way of starting one; it ends, and reports, with the call like one the REST API
        started, unless its verb closes it first."""
        live = LiveRecording(active, trim, since_us=self.engine.clock.micros)
        self._by_call.setdefault(call.sid, []).append(live)
        self._by_sid[active.recording.sid] = live
        return live

    def recorded_seconds(self, live: LiveRecording) -> int:
        """Whole seconds ``live`` has recorded until now."""
        recorded = live.recorded_us
        if live.since_us is not None:
            recorded += self.engine.clock.micros - live.since_us
        return round(recorded / 1_000_000)

    def close(self, live: LiveRecording) -> None:
        """The verb that started ``live`` (a ``<Dial record>``) ends it now, unless the REST
        API or the call's end already did."""
        if not live.ended:
            self._finish(live)

    def report_closed(self, live: LiveRecording) -> None:
        """Send the final event of a recording its verb closed, unless a REST stop sent
        it already; it stays known by SID, so updating it is refused as ended."""
        if not live.reported:
            self._report(live)

    def adopt(
        self, active: ActiveRecording, report: Callable[[LiveRecording], None]
    ) -> LiveRecording:
        """Put a recording started elsewhere (a room's) under REST control from now; it is
        not tied to its call's end, and ``report`` sends its final event."""
        live = LiveRecording(active, "do-not-trim", since_us=self.engine.clock.micros)
        live.report = report
        self._by_sid[active.recording.sid] = live
        return live

    def get(self, recording_sid: str) -> LiveRecording | None:
        """The live recording ``recording_sid`` (None for any other recording)."""
        return self._by_sid.get(recording_sid)

    def under_way(self, call_sid: str) -> list[LiveRecording]:
        """The call's recordings still under way, oldest first (``Twilio.CURRENT`` names
        the one there is)."""
        return [live for live in self._by_call.get(call_sid, []) if not live.ended]

    def api_started(self, call_sid: str) -> LiveRecording | None:
        """The call's recording under way that a REST create started, if any."""
        for live in self._by_call.get(call_sid, []):
            if not live.ended and live.recording.source is RecordingSource.START_CALL_RECORDING_API:
                return live
        return None

    def named(self, call_sid: str, name: str) -> list[LiveRecording]:
        """The call's recordings still under way that a ``<Start><Recording>`` named
        ``name`` started."""
        return [
            live for live in self._by_call.get(call_sid, []) if live.name == name and not live.ended
        ]

    def pause(self, live: LiveRecording, behavior: str) -> None:
        """Pause: ``skip`` leaves the pause out of the recording, ``silence`` records it
        as silence."""
        now = self.engine.clock.micros
        if behavior == "skip" and live.since_us is not None:
            live.recorded_us += now - live.since_us
            live.since_us = None
        live.recording.status = RecordingStatus.PAUSED
        live.recording.date_updated = self.engine.clock.now

    def resume(self, live: LiveRecording) -> None:
        """Record again from now."""
        if live.since_us is None:
            live.since_us = self.engine.clock.micros
        live.recording.status = RecordingStatus.IN_PROGRESS
        live.recording.date_updated = self.engine.clock.now

    def stop(self, live: LiveRecording) -> None:
        """Stop now: the recording is finished and its final callback sent."""
        self._finish(live)
        self._report(live)

    def discard(self, live: LiveRecording) -> None:
        """The recording was deleted while under way: it ends now and reports nothing."""
        live.since_us = None
        live.ended = live.reported = True
        self._by_sid.pop(live.recording.sid, None)

    def call_ended(self, call: SimCall) -> None:
        """The call ended: every recording still under way ends with it."""
        for live in self._by_call.get(call.sid, []):
            if not live.ended:
                self._finish(live)

    def report_ended(self, call: SimCall) -> None:
        """Send the final callbacks of the recordings the call's end stopped (those not
        sent yet, when the app raised at one of them and this is called again)."""
        pending = self._by_call.get(call.sid, [])
        while pending:
            live = pending.pop(0)
            self._by_sid.pop(live.recording.sid, None)
            if not live.reported:
                self._report(live)
        self._by_call.pop(call.sid, None)

    def _report(self, live: LiveRecording) -> None:
        live.reported = True
        if live.report is not None:  # an adopted recording: no call's end will forget it
            self._by_sid.pop(live.recording.sid, None)
            live.report(live)
        else:
            self.engine.report_recording(live.active)

    def _finish(self, live: LiveRecording) -> None:
        now = self.engine.clock.micros
        if live.since_us is not None:
            live.recorded_us += now - live.since_us
            live.since_us = None
        live.ended = True
        seconds = round(live.recorded_us / 1_000_000)
        self.engine.finish_recording(
            live.active, seconds, absent_code=16101 if seconds == 0 else None
        )

"""Recordings a call makes (``<Record>``, ``<Dial record>``, ``Record=true`` on create) and
their ``recordingStatusCallback`` events (``in-progress``, ``completed``, ``absent``).

The recording callbacks follow the action request (Twilio processes the audio after the
verb ends), at the same virtual instant: twimlsim does not model processing delay.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from twimlsim.model.recording import Recording, RecordingSource, RecordingStatus
from twimlsim.model.transcription import Transcription

from .params import recording_status_params, transcription_params
from .webhooks import call_params

if TYPE_CHECKING:
    from twimlsim.clock import VirtualClock
    from twimlsim.model.sids import SidFactory
    from twimlsim.model.store import AccountStore

    from .session import SimCall

__all__ = ["ActiveRecording", "RecordingCallbacks", "Recordings"]


@dataclass(frozen=True, slots=True)
class RecordingCallbacks:
    """Where a recording's status events go, and which ones."""

    url: str | None = None
    method: str = "POST"
    events: frozenset[str] = frozenset({"completed"})


@dataclass(slots=True)
class ActiveRecording:
    """A recording under way on ``call``."""

    recording: Recording
    call: SimCall
    callbacks: RecordingCallbacks
    with_track: bool
    started_micros: int


class Recordings:
    """The engine's recording side (mixed into ``Engine``)."""

    clock: VirtualClock
    store: AccountStore
    sids: SidFactory
    #: Where ``RecordingUrl``s point: Twilio's API, or the served base URL under
    #: ``twimlsim serve`` (so a client in another process can fetch the media).
    api_base: str = "https://api.twilio.com"

    def notify(
        self,
        call: SimCall,
        url: str,
        method: str,
        params: dict[str, str],
        *,
        kind: str,
        warning_code: int = 15003,
    ) -> None:
        """Send a ``kind`` callback (``warning_code`` when it fails); ``Delivery`` does it."""
        raise NotImplementedError  # provided by Delivery

    def start_recording(
        self,
        call: SimCall,
        source: RecordingSource,
        callbacks: RecordingCallbacks,
        *,
        channels: int = 1,
        track: str = "both",
        with_track: bool = False,
    ) -> ActiveRecording:
        """Begin a recording of ``call``; send ``in-progress`` if subscribed. A recording
        of one track (``inbound`` or ``outbound``) has one channel whatever ``channels``
        asks, as Twilio's "How to record a single side of a call" says ("the resulting
        recording file will always be mono-channel")."""
        recording = Recording(
            sid=self.sids.new("RE"),
            account_sid=call.record.account_sid,
            call_sid=call.sid,
            source=source,
            start_time=self.clock.now,
            channels=channels if track == "both" else 1,
            track=track,
            api_base=self.api_base,
        )
        self.store.add_recording(recording)
        call.recordings.append(recording)
        active = ActiveRecording(recording, call, callbacks, with_track, self.clock.micros)
        self._recording_event(active, "in-progress")
        return active

    def finish_recording(
        self, active: ActiveRecording, seconds: int, *, absent_code: int | None = None
    ) -> None:
        """Stop the recording at ``seconds`` long; ``absent_code`` makes it absent
        (16101 too short, 16102 silent)."""
        recording = active.recording
        recording.duration = seconds
        recording.date_updated = self.clock.now
        if absent_code is not None:
            recording.status = RecordingStatus.ABSENT
            recording.error_code = absent_code
        else:
            recording.status = RecordingStatus.COMPLETED

    def report_recording(self, active: ActiveRecording) -> None:
        """Send the final ``completed`` or ``absent`` event, if subscribed."""
        self._recording_event(active, active.recording.status.value)

    def transcribe(self, active: ActiveRecording, url: str | None, text: str) -> bool:
        """Keep the transcription of a finished recording (the Transcriptions resource) and
        POST it to ``url`` (always POST) when there is one. False, doing nothing, when the
        recording was deleted before it (Twilio's warning 13618, the caller's to report)."""
        call = active.call
        recording = active.recording
        if recording.sid not in self.store.recordings:
            return False
        transcription = Transcription(
            sid=self.sids.new("TR"),
            account_sid=recording.account_sid,
            recording_sid=recording.sid,
            text=text,
            duration=recording.duration,
            created_at=self.clock.now,
        )
        account = self.store.accounts.get(recording.account_sid)
        if account is not None:
            account.transcriptions[transcription.sid] = transcription
        if url is None:
            return True
        params = transcription_params(
            call_params(call.record, call.record.status.value),
            recording,
            transcription_sid=transcription.sid,
            text=text,
            callback_url=url,
        )
        self.notify(call, url, "POST", params, kind="transcription")
        return True

    def _recording_event(self, active: ActiveRecording, status: str) -> None:
        callbacks = active.callbacks
        if callbacks.url is None or status not in callbacks.events:
            return
        params = recording_status_params(active.recording, status, with_track=active.with_track)
        self.notify(active.call, callbacks.url, callbacks.method, params, kind="recording-status")

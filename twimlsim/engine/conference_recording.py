"""Recording a conference (``<Conference record="record-from-start">``).

The recording starts when the room starts (its first two participants are bridged; wait
music is never recorded) and ends with the room. It is a Recording of the account
(``source`` ``Conference``, ``conference_sid`` set, ``channels`` 1) and its status
callbacks go to the ``recordingStatusCallback`` with Twilio's documented parameters
(``AccountSid``, ``ConferenceSid``, ``RecordingSid``, ``RecordingUrl``,
``RecordingStatus``, ``RecordingDuration``, ``RecordingChannels``, ``RecordingStartTime``,
``RecordingSource``) plus ``ErrorCode=0``, and no ``CallSid``.

Fidelity choices (Twilio documents none of these): the first participant to join fixes
whether and how the room is recorded, as it fixes the status callback; the recording's
``call_sid`` is that participant's call; ``in-progress`` carries no
``RecordingDuration``; ``trim`` changes nothing (twimlsim models no silence);
``eventCallbackUrl`` (deprecated) is not requested.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from twimlsim.model.recording import Recording, RecordingSource, RecordingStatus

from .conference_events import deliver
from .params import recording_status_params

if TYPE_CHECKING:
    from .conferences import SimConference
    from .services import Host

__all__ = ["RoomRecording", "finish_recording", "start_recording"]

_MICROS = 1_000_000


@dataclass(frozen=True, slots=True)
class RoomRecording:
    """How a room is recorded: where its recording status callbacks go, and which."""

    callback: str | None = None
    method: str = "POST"
    events: frozenset[str] = frozenset({"completed"})


def start_recording(host: Host, room: SimConference) -> None:
    """The room starts: begin its recording if it asked for one."""
    settings = room.recording_settings
    if settings is None or room.recording is not None or not room.participants:
        return
    recording = Recording(
        sid=host.sids.new("RE"),
        account_sid=room.record.account_sid,
        call_sid=room.participants[0].sid,
        source=RecordingSource.CONFERENCE,
        start_time=host.clock.now,
        api_base=host.api_base,
        conference_sid=room.sid,
    )
    host.store.add_recording(recording)
    room.recording = recording
    room.recording_started = host.clock.micros
    room.recordings.append(recording)
    _event(host, room, recording, "in-progress")


def finish_recording(host: Host, room: SimConference) -> None:
    """The room ends: stop its recording and report it."""
    recording = room.recording
    if recording is None:
        return
    room.recording = None
    recording.duration = (host.clock.micros - room.recording_started) // _MICROS
    recording.date_updated = host.clock.now
    recording.status = RecordingStatus.COMPLETED
    _event(host, room, recording, "completed")


def _event(host: Host, room: SimConference, recording: Recording, status: str) -> None:
    settings = room.recording_settings
    if settings is None or settings.callback is None or status not in settings.events:
        return
    params = recording_status_params(recording, status, with_track=False, conference_sid=room.sid)
    deliver(host, room, settings.callback, settings.method, params, kind="recording-status")

"""Recording a conference (``<Conference record="record-from-start">``).

The recording starts when the room starts (its first two participants are bridged; wait
music is never recorded) and ends with the room. It is a Recording of the account
(``source`` ``Conference``, ``conference_sid`` set, ``channels`` 1) and its status
callbacks go to the ``recordingStatusCallback`` with Twilio's documented parameters
(``AccountSid``, ``ConferenceSid``, ``RecordingSid``, ``RecordingUrl``,
``RecordingStatus``, ``RecordingDuration``, ``RecordingChannels``, ``RecordingStartTime``,
``RecordingSource``) plus ``ErrorCode=0``, and no ``CallSid``.

While the room runs, the REST API pauses, resumes and stops its recording
(``POST /Conferences/{CF}/Recordings/{RE}.json``) with the controls of a live call's
recording (``live_recordings.py``: ``PauseBehavior=skip`` leaves the pause out, a stopped
recording is ``completed`` at once and reported then; a 0 s one is ``absent``, 16101).

Fidelity choices (Twilio documents none of these): the first participant to join fixes
whether and how the room is recorded, as it fixes the status callback; the recording's
``call_sid`` is that participant's call; ``in-progress`` carries no
``RecordingDuration``; ``trim`` changes nothing (twimlsim models no silence);
``eventCallbackUrl`` (deprecated) is not requested.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from twimlsim.model.recording import Recording, RecordingSource

from .conference_events import deliver
from .params import recording_status_params
from .recordings import ActiveRecording, RecordingCallbacks

if TYPE_CHECKING:
    from .conferences import SimConference
    from .live_recordings import LiveRecording
    from .services import Host

__all__ = ["RoomRecording", "finish_recording", "start_recording"]


#: How a room is recorded: where its recording status callbacks go, and which (the same
#: settings as a call's recording).
RoomRecording = RecordingCallbacks


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
    room.recordings.append(recording)
    active = ActiveRecording(
        recording, room.participants[0], settings, False, started_micros=host.clock.micros
    )

    def report(live: LiveRecording) -> None:
        _event(host, room, live.recording, live.recording.status.value)

    room.recording = host.live_recordings.adopt(active, report)
    _event(host, room, recording, "in-progress")


def finish_recording(host: Host, room: SimConference) -> None:
    """The room ends: stop its recording (unless the REST API did) and report it."""
    live = room.recording
    if live is None:
        return
    room.recording = None
    if not live.ended:
        host.live_recordings.stop(live)


def _event(host: Host, room: SimConference, recording: Recording, status: str) -> None:
    settings = room.recording_settings
    if settings is None or settings.url is None or status not in settings.events:
        return
    params = recording_status_params(recording, status, with_track=False, conference_sid=room.sid)
    deliver(host, room, settings.url, settings.method, params, kind="recording-status")

"""The recording a call makes of itself (``Record=true`` on create).

It starts when the call is answered, with the create's recording options; the REST API
may pause, resume and stop it from then on (by SID or ``Twilio.CURRENT``, as for one it
started itself: ``engine/live_recordings.py``); and its fields come on the call's
``completed`` status callback, as a bridged leg's ``<Dial record>`` recording's do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from twimlsim.model.recording import RecordingSource

from .dialing import leg_recording_params
from .params import recording_params
from .recordings import ActiveRecording, RecordingCallbacks

if TYPE_CHECKING:
    from .engine import Engine
    from .options import NewCall
    from .session import SimCall

__all__ = ["completed_recording_params", "start_call_recording"]


def start_call_recording(engine: Engine, call: SimCall, options: NewCall) -> ActiveRecording:
    """Start the recording ``options`` ask for, now that ``call`` is answered, under REST
    control from now on."""
    callbacks = RecordingCallbacks(
        options.recording_status_callback,
        options.recording_status_callback_method,
        options.recording_status_callback_events,
    )
    active = engine.start_recording(
        call,
        RecordingSource.OUTBOUND_API,
        callbacks,
        channels=2 if options.recording_channels == "dual" else 1,
        track=options.recording_track,
        with_track=True,
    )
    # the live recordings end and report it with the call
    engine.live_recordings.follow(call, active, trim=options.trim)
    return active


def completed_recording_params(
    engine: Engine, call: SimCall, active: ActiveRecording | None
) -> dict[str, str]:
    """The fields of the call's own recording (``active``), or of a bridged leg's ``<Dial
    record>`` recording, for its terminal status callback."""
    if active is not None:
        return recording_params(active.recording)
    return leg_recording_params(call, lambda recording: _recorded_so_far(engine, recording))


def _recorded_so_far(engine: Engine, active: ActiveRecording) -> int:
    """Whole seconds ``active`` has recorded until now (pauses with ``skip`` left out)."""
    live = engine.live_recordings_made()
    if live is not None:
        followed = live.get(active.recording.sid)
        if followed is not None:
            return live.recorded_seconds(followed)
    return round((engine.clock.micros - active.started_micros) / 1_000_000)

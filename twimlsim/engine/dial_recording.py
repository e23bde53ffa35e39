"""The recording a ``<Dial record>`` makes, whatever it dials (numbers, clients, SIP
addresses, a ``<Conference>``, a ``<Queue>``): a DialVerb recording of the dialling call,
with the Dial's ``recordingStatusCallback``, under REST control while it lasts
(``engine/live_recordings.py``). The verb starts it when its conversation starts, closes
it when it ends, and reports it once its action was requested."""

from __future__ import annotations

from twimlsim.engine.flow import Context
from twimlsim.engine.params import recording_params
from twimlsim.engine.recordings import ActiveRecording, RecordingCallbacks
from twimlsim.model.recording import RecordingSource
from twimlsim.twiml import nodes

__all__ = ["close", "report", "start"]


def start(ctx: Context, verb: nodes.Dial) -> ActiveRecording | None:
    """Begin the Dial's recording of the call now, unless it records nothing. Twilio's
    ``<Dial>`` page says a dual-channel one has the caller in the first channel and the
    other party (the conference's audio, the caller taken from the queue) in the second."""
    if verb.record == "do-not-record":
        return None
    url = verb.recording_status_callback
    callbacks = RecordingCallbacks(
        ctx.resolve(url) if url else None,
        verb.recording_status_callback_method,
        frozenset(verb.recording_status_callback_event),
    )
    active = ctx.engine.start_recording(
        ctx.call,
        RecordingSource.DIAL_VERB,
        callbacks,
        channels=2 if verb.record.endswith("-dual") else 1,
        track=verb.recording_track,
        with_track=True,
    )
    # the REST API may pause, resume or stop it meanwhile (engine/live_recordings.py)
    ctx.engine.live_recordings.follow(ctx.call, active, trim=verb.trim)
    return active


def close(ctx: Context, active: ActiveRecording | None) -> dict[str, str]:
    """Stop the Dial's recording now, unless the REST API or the call's end did; the
    action's ``RecordingUrl``, ``RecordingSid`` and ``RecordingDuration`` (none without a
    recording)."""
    if active is None:
        return {}
    recordings = ctx.engine.live_recordings
    live = recordings.get(active.recording.sid)
    if live is not None:
        recordings.close(live)
    return recording_params(active.recording)


def report(ctx: Context, active: ActiveRecording | None) -> None:
    """Send the closed recording's final event, unless a REST stop sent it already."""
    if active is not None:
        recordings = ctx.engine.live_recordings
        live = recordings.get(active.recording.sid)
        if live is not None:
            recordings.report_closed(live)

"""``<Start><Recording>``: a background recording of the call, the same one ``POST
/Calls/{Sid}/Recordings.json`` starts (``engine/live_recordings.py``). As Twilio's
``<Recording>`` page says, the REST API pauses, resumes and stops it (by SID or
``Twilio.CURRENT``); otherwise it records until the call ends. Its
``recordingStatusCallback`` events are sent as for a REST-started recording.

A ``<Recording name="...">`` is stopped by a later ``<Stop><Recording name="..."/>``
(Twilio's ``<Recording>`` page: "If you provided a name attribute when starting the
recording, you can stop the recording using the <Stop> TwiML verb"), as
``Status=stopped`` stops it.

Its ``RecordingSource`` is ``StartCallRecordingTwiML``, as a recording it started on
Twilio reported (a public live test of Twilio's recording methods; the API's enumeration of
sources, older than the noun, lists only ``StartCallRecordingAPI`` for a started one).
Fidelity choices (Twilio does not document them): a ``<Stop><Recording>`` without a name,
or naming no recording under way, stops nothing (the page ties stopping to the name), and
one naming several stops them all.
"""

from __future__ import annotations

from twimlsim.engine.flow import Context
from twimlsim.engine.recordings import RecordingCallbacks
from twimlsim.model.recording import RecordingSource
from twimlsim.twiml import nodes

__all__ = ["start_recordings"]


def start_recordings(ctx: Context, verb: nodes.Start | nodes.Stop) -> None:
    """Start the recording of each ``<Recording>`` of a ``<Start>``; stop, for a
    ``<Stop>``, the recordings its ``<Recording>``s name."""
    recordings = ctx.engine.live_recordings
    if isinstance(verb, nodes.Stop):
        for noun in verb.children:
            if isinstance(noun, nodes.Recording) and noun.name:
                for live in recordings.named(ctx.call.sid, noun.name):
                    recordings.stop(live)
        return
    for noun in verb.children:
        if not isinstance(noun, nodes.Recording):
            continue
        url = noun.recording_status_callback
        callbacks = RecordingCallbacks(
            ctx.resolve(url) if url else None,
            noun.recording_status_callback_method,
            frozenset(noun.recording_status_callback_event),
        )
        recordings.start(
            ctx.call,
            callbacks,
            channels=2 if noun.channels == "dual" else 1,
            track=noun.track,
            trim=noun.trim,
            name=noun.name or None,
            source=RecordingSource.START_CALL_RECORDING_TWIML,
        )

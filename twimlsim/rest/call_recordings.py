"""Recording control on a live call: ``POST /Calls/{Sid}/Recordings.json`` starts a
recording, ``POST /Calls/{Sid}/Recordings/{Sid}.json`` (or ``.../Twilio.CURRENT.json``,
the call's current recording) pauses, resumes or stops it, or the recording the call's
create (``Record=true``) or a ``<Dial record>`` started.

A second create while a recording the REST API started is under way (in progress or
paused) starts nothing: Twilio answered it without error and made one recording only (a
public live test of its recording methods, two creates on one call); what its answer
carries is not reported, so the choice here is the recording under way, 201 as any create.
Recordings started otherwise (``Record=true``, ``<Dial record>``, ``<Start><Recording>``)
do not count: the same test saw each of them recorded beside a REST one.

Errors (codes are fidelity choices where Twilio documents none): a call that is not
``in-progress`` cannot be recorded, and a recording that has ended cannot be updated
(21220, Twilio's "Invalid call state"); ``Twilio.CURRENT`` with no recording under way is
20404, with two or more 16108 (``update_current``); a missing ``Status`` is 20001, as for
any parameter Twilio's OpenAPI description marks required; an invalid ``Status`` or
``PauseBehavior`` is 20422.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from werkzeug.wrappers import Response

from twimlsim.engine.live_recordings import PAUSE_BEHAVIORS, LiveRecording
from twimlsim.engine.recordings import RecordingCallbacks
from twimlsim.errors import TwilioApiError
from twimlsim.model.recording import Recording

from .params import Param, apply_params
from .render import in_progress, json_response, missing_parameter, not_found
from .serialize import call_recording_json

if TYPE_CHECKING:
    from .app import Context

__all__ = ["START_PARAMS", "apply_update", "start", "update", "update_current"]

#: The create parameters, in the spec's order.
START_PARAMS: tuple[Param, ...] = (
    Param(
        "RecordingStatusCallbackEvent",
        "events",
        "events",
        choices=("in-progress", "completed", "absent"),
    ),
    Param("RecordingStatusCallback", "url", "callback", 21609),
    Param("RecordingStatusCallbackMethod", "method", "method", 21209),
    Param("Trim", "trim", "enum", choices=("trim-silence", "do-not-trim")),
    Param("RecordingChannels", "channels", "enum", choices=("mono", "dual")),
    Param("RecordingTrack", "track", "enum", choices=("inbound", "outbound", "both")),
)
_UPDATE_STATUSES = ("paused", "in-progress", "stopped")
_UPDATE_PARAMS: tuple[Param, ...] = (
    Param("Status", "status", "enum", choices=_UPDATE_STATUSES),
    Param("PauseBehavior", "pause_behavior", "enum", choices=PAUSE_BEHAVIORS),
)


def start(ctx: Context, args: dict[str, str]) -> Response:
    """``POST /Calls/{CallSid}/Recordings.json``: record the live call from now (201)."""
    record = in_progress(
        ctx.account.calls, args["call_sid"], ctx.request.path, "recorded", "the recording"
    )
    fields = apply_params(ctx.form, START_PARAMS)
    under_way = ctx.engine.live_recordings.api_started(record.sid)
    if under_way is not None:
        return json_response(call_recording_json(under_way.recording), 201)
    events = fields.get("events")
    callbacks = RecordingCallbacks(
        str(fields["url"]) if "url" in fields else None,
        str(fields.get("method", "POST")),
        events if isinstance(events, frozenset) else frozenset({"completed"}),
    )
    recording = ctx.engine.live_recordings.start(
        ctx.engine.calls[record.sid],
        callbacks,
        channels=2 if fields.get("channels") == "dual" else 1,
        track=str(fields.get("track", "both")),
        trim=str(fields.get("trim", "do-not-trim")),
    )
    return json_response(call_recording_json(recording), 201)


def update(ctx: Context, args: dict[str, str]) -> Response:
    """``POST /Calls/{CallSid}/Recordings/{Sid}.json``: pause, resume or stop it."""
    recording = ctx.account.recordings.get(args["recording_sid"])
    if recording is None or recording.call_sid != args["call_sid"]:
        raise not_found(ctx.request.path)
    live = ctx.engine.live_recordings.get(recording.sid)
    return apply_update(ctx, live, recording.sid, recording.status.value)


def update_current(ctx: Context, args: dict[str, str]) -> Response:
    """``POST /Calls/{CallSid}/Recordings/Twilio.CURRENT.json``: the call's recording
    under way. With two or more under way (a ``Record=true`` or ``<Dial record>`` one and
    a REST one) it names none: 400 with 16108, Twilio's "Voice Recording: Request failed
    due to concurrent recordings" ("there is more than one active recording for the
    provided Call SID"; the HTTP status is a choice)."""
    call_sid = args["call_sid"]
    if call_sid not in ctx.account.calls:
        raise not_found(ctx.request.path)
    under_way = ctx.engine.live_recordings.under_way(call_sid)
    if not under_way:
        raise not_found(ctx.request.path)
    if len(under_way) > 1:
        sids = ", ".join(live.recording.sid for live in under_way)
        raise TwilioApiError(
            400,
            16108,
            "Voice Recording: Request failed due to concurrent recordings: call "
            f"{call_sid} has {len(under_way)} recordings under way ({sids}), so "
            "Twilio.CURRENT names none of them; update each by its SID",
        )
    live = under_way[0]
    return apply_update(ctx, live, live.recording.sid, live.recording.status.value)


def apply_update(
    ctx: Context,
    live: LiveRecording | None,
    sid: str,
    state: str,
    *,
    render: Callable[[Recording], dict[str, object]] = call_recording_json,
    controllable: str = (
        "started with POST /Calls/{CallSid}/Recordings.json, <Start><Recording>, "
        "Record=true on create or <Dial record>, and still under way"
    ),
) -> Response:
    """Pause, resume or stop ``live`` as the form's ``Status`` (and ``PauseBehavior``)
    asks; answer the recording as ``render`` shows it (``stopped`` when stopped).
    ``controllable`` says which recordings can be updated, for the error."""
    fields = apply_params(ctx.form, _UPDATE_PARAMS)
    status = fields.get("status")
    if status is None:
        raise missing_parameter("Status", ": give paused, in-progress or stopped")
    if live is None or live.ended:
        raise TwilioApiError(
            400,
            21220,
            f"Recording {sid} is {state}; only a recording {controllable} can be paused, "
            "resumed or stopped",
        )
    recordings = ctx.engine.live_recordings
    if status == "paused":
        recordings.pause(live, str(fields.get("pause_behavior", "silence")))
    elif status == "in-progress":
        recordings.resume(live)
    else:
        recordings.stop(live)
        body = render(live.recording)
        body["status"] = "stopped"
        return json_response(body, 200)
    return json_response(render(live.recording), 200)

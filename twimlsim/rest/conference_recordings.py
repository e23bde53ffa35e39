"""A conference's recordings (``/Conferences/{CF}/Recordings``): list, fetch, update
(``Status`` ``paused``/``in-progress``/``stopped`` with ``PauseBehavior``, by SID or
``Twilio.CURRENT``) and delete.

Updates use the controls of a live call's recording (``call_recordings.apply_update``,
``engine/live_recordings.py``). Errors (codes are fidelity choices where Twilio documents
none): a recording that has ended cannot be updated (400/21220), ``Twilio.CURRENT`` with
no recording under way is 404/20404, a missing or invalid ``Status`` or
``PauseBehavior`` 400/20422. Deleting a recording is 204 and removes it from the room and
the account; deleting one still under way ends it without a final callback (fidelity
choice: Twilio does not say).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from werkzeug.wrappers import Response

from twimlsim.model.recording import Recording

from .call_recordings import apply_update
from .conferences import room_of
from .date_filters import parse_date_filters
from .paging import list_response
from .recordings import end_deleted
from .render import json_response, no_content, not_found
from .serialize import account_path, call_recording_json

if TYPE_CHECKING:
    from twimlsim.engine.conferences import SimConference

    from .app import Context

__all__ = ["conference_recording_json", "delete", "fetch", "list_recordings", "update"]

_CURRENT = "Twilio.CURRENT"


def conference_recording_json(recording: Recording) -> dict[str, object]:
    """A conference's Recording subresource (``/Conferences/{CF}/Recordings/{RE}.json``)."""
    body = call_recording_json(recording)
    del body["track"]
    body["uri"] = (
        f"{account_path(recording.account_sid)}/Conferences/{recording.conference_sid}"
        f"/Recordings/{recording.sid}.json"
    )
    return body


def list_recordings(ctx: Context, args: dict[str, str]) -> Response:
    """``GET /Conferences/{Sid}/Recordings.json``: the room's recordings, newest first,
    filtered by ``DateCreated`` (``=``, ``<``, ``>``), as Twilio's list documents; one
    deleted (here or at ``/Recordings/{Sid}.json``) is left out."""
    room = room_of(ctx, args["conference"])
    dates = parse_date_filters(ctx.request.args, (("start_time", "DateCreated"),))
    kept = ctx.account.recordings
    return list_response(
        ctx,
        [
            recording
            for recording in reversed(room.recordings)
            if recording.sid in kept
            and all(date_filter.matches(recording.start_time) for date_filter in dates)
        ],
        f"Conferences/{room.sid}/Recordings.json",
        key="recordings",
        render=conference_recording_json,
    )


def fetch(ctx: Context, args: dict[str, str]) -> Response:
    """``GET /Conferences/{Sid}/Recordings/{RecordingSid}.json``."""
    _, found = _recording(ctx, args)
    return json_response(conference_recording_json(found), 200)


def update(ctx: Context, args: dict[str, str]) -> Response:
    """``POST /Conferences/{Sid}/Recordings/{RecordingSid or Twilio.CURRENT}.json``: pause,
    resume or stop the room's recording."""
    if args["recording"] == _CURRENT:
        room = room_of(ctx, args["conference"])
        live = room.recording
        if live is None or live.ended:
            raise not_found(ctx.request.path)
        recording = live.recording
    else:
        room, recording = _recording(ctx, args)
        live = ctx.engine.live_recordings.get(recording.sid)
    return apply_update(
        ctx,
        live,
        recording.sid,
        recording.status.value,
        render=conference_recording_json,
        controllable="of a conference still in progress",
    )


def delete(ctx: Context, args: dict[str, str]) -> Response:
    """``DELETE /Conferences/{Sid}/Recordings/{RecordingSid}.json`` (204)."""
    room, recording = _recording(ctx, args)
    end_deleted(ctx, recording)
    room.recordings.remove(recording)
    ctx.store.delete_recording(recording)
    return no_content()


def _recording(ctx: Context, args: dict[str, str]) -> tuple[SimConference, Recording]:
    room = room_of(ctx, args["conference"])
    found = next((r for r in room.recordings if r.sid == args["recording"]), None)
    if found is None or found.sid not in ctx.account.recordings:
        raise not_found(ctx.request.path)
    return room, found

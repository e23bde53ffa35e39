"""The Recordings resource: account-wide and per-call lists, fetch, delete, and media.

A deleted recording's metadata stays, as Twilio keeps it: the account's list and a fetch
with ``IncludeSoftDeleted=true`` show it with status ``deleted`` (the shape of Twilio's
``readIncludeSoftDeleted`` and ``fetchIncludeSoftDeleted`` examples); its media, another
delete and the call's list answer 404 / leave it out. UNCONFIRMED, chosen: a value other
than ``true`` (any case) is false, as ``Muted`` is; soft-deleted recordings are listed
among the others by their start time, newest first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from werkzeug.wrappers import Response

from twimlsim.errors import TwilioApiError
from twimlsim.model.recording import Recording, RecordingStatus

from .audio import MediaResponse, silent_mp3, silent_wav
from .date_filters import parse_date_filters
from .paging import list_response
from .params import INVALID_PARAMETER
from .render import json_response, no_content, not_found
from .serialize import call_recording_json, recording_json

if TYPE_CHECKING:
    from .app import Context

__all__ = [
    "delete",
    "end_deleted",
    "fetch",
    "fetch_for_call",
    "list_for_call",
    "list_recordings",
    "media_mp3",
    "media_wav",
]


def _recording(ctx: Context, args: dict[str, str]) -> Recording:
    recording = ctx.account.recordings.get(args["recording_sid"])
    call_sid = args.get("call_sid")
    if recording is None or (call_sid is not None and recording.call_sid != call_sid):
        raise not_found(ctx.request.path)
    return recording


def _include_soft_deleted(ctx: Context) -> bool:
    return ctx.request.args.get("IncludeSoftDeleted", "").strip().lower() == "true"


def _newest_first(ctx: Context, call_sid: str | None) -> list[Recording]:
    query = ctx.request.args
    dates = parse_date_filters(query, (("start_time", "DateCreated"),))
    wanted_call = call_sid or query.get("CallSid") or None
    wanted_room = None if call_sid else query.get("ConferenceSid") or None
    account = ctx.account
    candidates = list(reversed(account.recordings.values()))
    if call_sid is None and account.deleted_recordings and _include_soft_deleted(ctx):
        candidates = sorted(
            [*account.recordings.values(), *account.deleted_recordings.values()],
            key=lambda recording: recording.start_time,
        )[::-1]
    return [
        recording
        for recording in candidates
        if (wanted_call is None or recording.call_sid == wanted_call)
        and (wanted_room is None or recording.conference_sid == wanted_room)
        and all(date_filter.matches(recording.start_time) for date_filter in dates)
    ]


def list_recordings(ctx: Context, args: dict[str, str]) -> Response:
    """``GET /Recordings.json``: the account's recordings, newest first, filtered by
    ``CallSid``, ``ConferenceSid`` and ``DateCreated`` (``<``, ``>``) as Twilio's list is;
    deleted ones too with ``IncludeSoftDeleted=true``."""
    return list_response(
        ctx,
        _newest_first(ctx, None),
        "Recordings.json",
        key="recordings",
        render=recording_json,
    )


def list_for_call(ctx: Context, args: dict[str, str]) -> Response:
    """``GET /Calls/{CallSid}/Recordings.json``: the call's recordings, newest first."""
    call_sid = args["call_sid"]
    if call_sid not in ctx.account.calls:
        raise not_found(ctx.request.path)
    return list_response(
        ctx,
        _newest_first(ctx, call_sid),
        f"Calls/{call_sid}/Recordings.json",
        key="recordings",
        render=call_recording_json,
    )


def fetch(ctx: Context, args: dict[str, str]) -> Response:
    """``GET /Recordings/{Sid}.json`` (a deleted one with ``IncludeSoftDeleted=true``)."""
    deleted = ctx.account.deleted_recordings.get(args["recording_sid"])
    if deleted is not None and _include_soft_deleted(ctx):
        return json_response(recording_json(deleted), 200)
    return json_response(recording_json(_recording(ctx, args)), 200)


def fetch_for_call(ctx: Context, args: dict[str, str]) -> Response:
    """``GET /Calls/{CallSid}/Recordings/{Sid}.json``."""
    return json_response(call_recording_json(_recording(ctx, args)), 200)


def delete(ctx: Context, args: dict[str, str]) -> Response:
    """``DELETE`` a recording (account-level or through its call): 204, media gone, its
    metadata kept as Twilio's soft delete keeps it. One still under way ends then."""
    recording = _recording(ctx, args)
    end_deleted(ctx, recording)
    ctx.store.delete_recording(recording)
    return no_content()


def end_deleted(ctx: Context, recording: Recording) -> None:
    """End ``recording`` if it is a REST-controllable one still under way (a call's or a
    room's): it is being deleted, so it records no more, sends no final callback and is no
    longer ``Twilio.CURRENT`` (UNCONFIRMED: Twilio does not say what deleting a recording
    under way does; this is what deleting a room's does)."""
    live = ctx.engine.live_recordings_made()
    entry = live.get(recording.sid) if live is not None else None
    room = ctx.engine.conferences.get(recording.conference_sid or "")
    if room is not None and room.recording is not None and room.recording.recording is recording:
        entry = room.recording
        room.recording = None
    if live is not None and entry is not None and not entry.ended:
        live.discard(entry)


#: Twilio's 16113, "Cannot download a dual-channel presentation of a mono recording".
_MONO_AS_DUAL = 16113


def _requested_channels(ctx: Context, recording: Recording) -> int:
    """The channels of the media to serve: the recording's, or ``RequestedChannels``
    (``1`` mixes a dual-channel recording down to mono; ``2`` of a mono recording is
    Twilio's 16113, answered 400 as the media is not served: UNCONFIRMED, as is 400/20422
    for a value other than 1 or 2)."""
    raw = ctx.request.args.get("RequestedChannels")
    if raw is None or raw.strip() == "":
        return recording.channels
    if raw.strip() not in ("1", "2"):
        raise TwilioApiError(
            400, INVALID_PARAMETER, f"RequestedChannels is not valid: {raw}. Use 1 or 2"
        )
    wanted = int(raw)
    if wanted > recording.channels:
        raise TwilioApiError(
            400,
            _MONO_AS_DUAL,
            f"Cannot download a dual-channel presentation of a mono recording: {recording.sid} "
            "has one channel; download it without RequestedChannels (or with 1)",
        )
    return wanted


def _media_of(ctx: Context, args: dict[str, str]) -> Recording:
    """The recording whose media is asked for: one ``completed``. Twilio's "Getting Started
    with Recording Status Callbacks" article says a recording's file "is available for
    access" once ``completed`` and that an ``absent`` one has "no recording file
    available", so the media of a recording still under way (``in-progress``,
    ``paused``) or ``absent`` is 404/20404, as for no recording (UNCONFIRMED: the article
    gives no status or code for the request)."""
    recording = _recording(ctx, args)
    if recording.status is not RecordingStatus.COMPLETED:
        raise not_found(ctx.request.path)
    return recording


def media_wav(ctx: Context, args: dict[str, str]) -> Response:
    """The recording's media as WAV, its channels or ``RequestedChannels`` (``RecordingUrl``,
    or with ``.wav``; also below its call, ``/Calls/{CallSid}/Recordings/{Sid}``: the call
    recording's ``uri`` without ``.json``, as an app downloading it from a call's
    recordings list builds the URL; Twilio documents only the account's path, so serving
    the call's is a choice); a recording not ``completed`` has none (``_media_of``)."""
    recording = _media_of(ctx, args)
    channels = _requested_channels(ctx, recording)
    return MediaResponse(silent_wav(recording.duration, channels))


def media_mp3(ctx: Context, args: dict[str, str]) -> Response:
    """The recording's media as MP3 (``RecordingUrl`` + ``.mp3``, or below its call);
    ``RequestedChannels`` is checked as for WAV (the silence served is mono either way)."""
    recording = _media_of(ctx, args)
    _requested_channels(ctx, recording)
    return MediaResponse(silent_mp3(recording.duration))

"""The Recordings resource: account-wide and per-call lists, fetch, delete, and media."""

from __future__ import annotations

from typing import TYPE_CHECKING

from werkzeug.wrappers import Response

from twimlsim.model.recording import Recording

from .audio import silent_mp3, silent_wav
from .date_filters import parse_date_filters
from .paging import list_response
from .render import json_response, no_content, not_found
from .serialize import call_recording_json, recording_json

if TYPE_CHECKING:
    from .app import Context

__all__ = [
    "delete",
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


def _newest_first(ctx: Context, call_sid: str | None) -> list[Recording]:
    query = ctx.request.args
    dates = parse_date_filters(query, (("start_time", "DateCreated"),))
    wanted_call = call_sid or query.get("CallSid") or None
    wanted_room = None if call_sid else query.get("ConferenceSid") or None
    return [
        recording
        for recording in reversed(ctx.account.recordings.values())
        if (wanted_call is None or recording.call_sid == wanted_call)
        and (wanted_room is None or recording.conference_sid == wanted_room)
        and all(date_filter.matches(recording.start_time) for date_filter in dates)
    ]


def list_recordings(ctx: Context, args: dict[str, str]) -> Response:
    """``GET /Recordings.json``: the account's recordings, newest first, filtered by
    ``CallSid``, ``ConferenceSid`` and ``DateCreated`` (``<``, ``>``) as Twilio's list is."""
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
    """``GET /Recordings/{Sid}.json``."""
    return json_response(recording_json(_recording(ctx, args)), 200)


def fetch_for_call(ctx: Context, args: dict[str, str]) -> Response:
    """``GET /Calls/{CallSid}/Recordings/{Sid}.json``."""
    return json_response(call_recording_json(_recording(ctx, args)), 200)


def delete(ctx: Context, args: dict[str, str]) -> Response:
    """``DELETE`` a recording (account-level or through its call): 204, media gone."""
    ctx.store.remove_recording(_recording(ctx, args))
    return no_content()


def media_wav(ctx: Context, args: dict[str, str]) -> Response:
    """The recording's media as WAV (``RecordingUrl``, or with ``.wav``; also below its
    call, ``/Calls/{CallSid}/Recordings/{Sid}``: the call recording's ``uri`` without
    ``.json``, as an app downloading it from a call's recordings list builds the URL;
    Twilio documents only the account's path, so serving the call's is a choice)."""
    recording = _recording(ctx, args)
    return Response(
        silent_wav(recording.duration, recording.channels), 200, content_type="audio/x-wav"
    )


def media_mp3(ctx: Context, args: dict[str, str]) -> Response:
    """The recording's media as MP3 (``RecordingUrl`` + ``.mp3``, or below its call)."""
    recording = _recording(ctx, args)
    return Response(silent_mp3(recording.duration), 200, content_type="audio/mpeg")

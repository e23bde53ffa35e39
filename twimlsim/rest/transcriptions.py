"""The Transcriptions resource: the transcriptions ``<Record transcribe="true">`` made,
account-wide and per recording: list (newest first), fetch (the JSON, or with ``.txt`` the
text alone, as Twilio's Transcriptions page says), delete.

Fidelity choice (Twilio does not say): the ``.txt`` form asks for the account's
credentials as the JSON does (only recording media is served without them), and is
``text/plain; charset=utf-8``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from werkzeug.wrappers import Response

from twimlsim.engine.call_params import API_VERSION
from twimlsim.model.transcription import Transcription

from .paging import list_response
from .render import found, json_response, no_content, not_found
from .serialize import account_path, date

if TYPE_CHECKING:
    from .app import Context

__all__ = [
    "delete",
    "fetch",
    "fetch_text",
    "list_for_recording",
    "list_transcriptions",
    "transcription_json",
]


def transcription_json(transcription: Transcription) -> dict[str, object]:
    """The Transcription resource; its ``uri`` is the account-wide one on either path, as in
    Twilio's examples. ``price`` is null: twimlsim charges nothing."""
    return {
        "account_sid": transcription.account_sid,
        "api_version": API_VERSION,
        "date_created": date(transcription.created_at),
        "date_updated": date(transcription.created_at),
        "duration": str(transcription.duration),
        "price": None,
        "price_unit": "USD",
        "recording_sid": transcription.recording_sid,
        "sid": transcription.sid,
        "status": "completed",
        "transcription_text": transcription.text,
        "type": "fast",
        "uri": f"{account_path(transcription.account_sid)}/Transcriptions/{transcription.sid}.json",
    }


def _transcription(ctx: Context, args: dict[str, str]) -> Transcription:
    transcription = ctx.account.transcriptions.get(args["sid"])
    recording_sid = args.get("recording_sid")
    if transcription is None or (
        recording_sid is not None and transcription.recording_sid != recording_sid
    ):
        raise not_found(ctx.request.path)
    return transcription


def list_transcriptions(ctx: Context, args: dict[str, str]) -> Response:
    """``GET /Transcriptions.json``, newest first."""
    newest = list(reversed(ctx.account.transcriptions.values()))
    return list_response(
        ctx, newest, "Transcriptions.json", key="transcriptions", render=transcription_json
    )


def list_for_recording(ctx: Context, args: dict[str, str]) -> Response:
    """``GET /Recordings/{RecordingSid}/Transcriptions.json`` (404 for an unknown
    recording)."""
    recording_sid = found(ctx.account.recordings, args["recording_sid"], ctx.request.path).sid
    newest = [
        transcription
        for transcription in reversed(ctx.account.transcriptions.values())
        if transcription.recording_sid == recording_sid
    ]
    return list_response(
        ctx,
        newest,
        f"Recordings/{recording_sid}/Transcriptions.json",
        key="transcriptions",
        render=transcription_json,
    )


def fetch(ctx: Context, args: dict[str, str]) -> Response:
    """``GET /Transcriptions/{Sid}.json`` and ``/Recordings/{RecordingSid}/Transcriptions/
    {Sid}.json``."""
    return json_response(transcription_json(_transcription(ctx, args)), 200)


def fetch_text(ctx: Context, args: dict[str, str]) -> Response:
    """``GET /Transcriptions/{Sid}.txt`` (and below its recording): the transcription text
    alone, as Twilio's Transcriptions page says ("append .txt to the Transcriptions
    resource's URI")."""
    text = _transcription(ctx, args).text
    return Response(text, status=200, content_type="text/plain; charset=utf-8")


def delete(ctx: Context, args: dict[str, str]) -> Response:
    """``DELETE`` of either path: forget the transcription (204)."""
    del ctx.account.transcriptions[_transcription(ctx, args).sid]
    return no_content()

"""The real-time Transcriptions subresource of a live call: ``POST
/Calls/{Sid}/Transcriptions.json`` starts a real-time transcription (as
``<Start><Transcription>`` does), ``POST /Calls/{Sid}/Transcriptions/{Sid or name}.json``
with ``Status=stopped`` stops one, whichever started it (Twilio's Transcription resource
page). Both answer 200 with the resource (the spec's only response); Twilio has no list
or fetch. What a transcription hears and reports: ``engine/realtime_transcriptions.py``.

Codes are fidelity choices where Twilio documents none, as for Streams
(``rest/streams.py``): a call that is not ``in-progress`` cannot be transcribed (21220);
an invalid ``Track``, ``StatusCallbackMethod``, boolean or ``Status`` is 20422; an invalid
``StatusCallbackUrl`` is 21609, as a Call's ``StatusCallback``. Stopping a transcription
already stopped answers it again, stopped. ``IntelligenceService``,
``ConversationConfiguration``, ``ConversationId``, ``ConfigurationId`` and
``EnableProviderData`` are accepted and have no effect.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from werkzeug.wrappers import Response

from twimlsim.engine.realtime_transcriptions import (
    find_transcription,
    start_transcription,
    stop_transcription,
)
from twimlsim.model.realtime_transcription import RealtimeTranscription

from .params import Param, apply_params
from .render import in_progress, json_response
from .serialize import call_fork_json
from .stoppable import stop_by_sid_or_name

if TYPE_CHECKING:
    from .app import Context

__all__ = ["create", "transcription_json", "update"]

_CREATE_PARAMS: tuple[Param, ...] = (
    Param("Name", "name", "text"),
    Param("Track", "track", "enum", choices=("inbound_track", "outbound_track", "both_tracks")),
    Param("StatusCallbackUrl", "status_callback_url", "callback", 21609),
    Param("StatusCallbackMethod", "status_callback_method", "method"),
    Param("InboundTrackLabel", "inbound_track_label", "text"),
    Param("OutboundTrackLabel", "outbound_track_label", "text"),
    Param("PartialResults", "partial_results", "bool"),
    Param("LanguageCode", "language_code", "text"),
    Param("TranscriptionEngine", "transcription_engine", "text"),
    Param("ProfanityFilter", "profanity_filter", "bool"),
    Param("SpeechModel", "speech_model", "text"),
    Param("Hints", "hints", "text"),
    Param("EnableAutomaticPunctuation", "enable_automatic_punctuation", "bool"),
    Param("EnableProviderData", "enable_provider_data", "bool"),
)


def transcription_json(transcription: RealtimeTranscription) -> dict[str, object]:
    """The real-time Transcription resource as Twilio's JSON has it."""
    return call_fork_json(
        "Transcriptions",
        transcription.sid,
        transcription.account_sid,
        transcription.call_sid,
        transcription.name,
        transcription.status,
        transcription.updated_at,
    )


def create(ctx: Context, args: dict[str, str]) -> Response:
    """``POST /Calls/{CallSid}/Transcriptions.json``: transcribe the live call from now."""
    record = in_progress(
        ctx.account.calls, args["call_sid"], ctx.request.path, "transcribed", "the transcription"
    )
    call = ctx.engine.calls[record.sid]
    fields = apply_params(ctx.form, _CREATE_PARAMS)
    now = ctx.engine.clock.now
    transcription = RealtimeTranscription(
        ctx.engine.sids.new("GT"),
        record.account_sid,
        record.sid,
        _text(fields, "name"),
        str(fields.get("track", "both_tracks")),
        now,
        now,
        status_callback_url=_text(fields, "status_callback_url"),
        status_callback_method=str(fields.get("status_callback_method", "POST")),
        inbound_track_label=_text(fields, "inbound_track_label"),
        outbound_track_label=_text(fields, "outbound_track_label"),
        partial_results=bool(fields.get("partial_results", False)),
        language_code=str(fields.get("language_code", "en-US")),
        transcription_engine=str(fields.get("transcription_engine", "google")),
        speech_model=_text(fields, "speech_model"),
        profanity_filter=bool(fields.get("profanity_filter", True)),
        enable_automatic_punctuation=bool(fields.get("enable_automatic_punctuation", True)),
        hints=_text(fields, "hints"),
    )
    start_transcription(ctx.engine, call, transcription)
    return json_response(transcription_json(transcription), 200)


def update(ctx: Context, args: dict[str, str]) -> Response:
    """``POST /Calls/{CallSid}/Transcriptions/{Sid}.json``: stop the transcription with this
    SID or name."""
    return stop_by_sid_or_name(
        ctx,
        args["call_sid"],
        args["transcription"],
        find_transcription,
        stop_transcription,
        transcription_json,
    )


def _text(fields: dict[str, object], name: str) -> str | None:
    value = fields.get(name)
    return None if value is None else str(value)

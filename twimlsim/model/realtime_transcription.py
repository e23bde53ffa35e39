"""A real-time transcription of a live call (Twilio's Transcription subresource of a Call,
``GT``): started by ``<Start><Transcription>`` or ``POST /Calls/{Sid}/Transcriptions.json``,
stopped by ``<Stop><Transcription>``, ``POST /Calls/{Sid}/Transcriptions/{Sid or
name}.json`` or the call's end. Not to be confused with a recording's transcription
(``model/transcription.py``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from .call_fork import StoppedOnce

__all__ = ["RealtimeTranscription", "Utterance"]


@dataclass(frozen=True, slots=True)
class Utterance:
    """One utterance the transcription engine heard: ``track`` is ``inbound_track`` (the
    far end) or ``outbound_track`` (what the call played to the far end)."""

    at: datetime
    track: str
    text: str


@dataclass(slots=True)
class RealtimeTranscription(StoppedOnce):
    """One real-time transcription session and what it heard (``utterances``);
    ``status`` is ``in-progress`` until ``stopped_at``."""

    sid: str
    account_sid: str
    call_sid: str
    name: str | None
    track: str
    started_at: datetime
    updated_at: datetime
    stopped_at: datetime | None = None
    #: Where its events are sent (None: nowhere), and how.
    status_callback_url: str | None = None
    status_callback_method: str = "POST"
    inbound_track_label: str | None = None
    outbound_track_label: str | None = None
    partial_results: bool = False
    language_code: str = "en-US"
    transcription_engine: str = "google"
    speech_model: str | None = None
    profanity_filter: bool = True
    enable_automatic_punctuation: bool = True
    hints: str | None = None
    #: Events sent so far (``SequenceId`` counts them from 1).
    events: int = 0
    utterances: list[Utterance] = field(default_factory=list)

    def hears(self, track: str) -> bool:
        """It transcribes ``track`` (``inbound_track`` or ``outbound_track``)."""
        return self.track in (track, "both_tracks")

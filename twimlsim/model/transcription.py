"""A recording's transcription (Twilio's Transcription resource), made by
``<Record transcribe="true">`` and read back through ``/Transcriptions``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = ["Transcription"]


@dataclass(slots=True)
class Transcription:
    """One transcription: its text (the far end's ``records(text=...)``) and the recording
    it transcribes."""

    sid: str
    account_sid: str
    recording_sid: str
    text: str
    duration: int
    created_at: datetime

"""The Recording record: one audio recording of a call (``<Record>``, ``<Dial record>``,
``Record=true`` on the REST create...)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

__all__ = ["Recording", "RecordingSource", "RecordingStatus"]


class RecordingStatus(StrEnum):
    """A recording's status as Twilio spells it."""

    IN_PROGRESS = "in-progress"
    PAUSED = "paused"
    STOPPED = "stopped"
    PROCESSING = "processing"
    COMPLETED = "completed"
    ABSENT = "absent"
    DELETED = "deleted"


class RecordingSource(StrEnum):
    """What made the recording (``RecordingSource`` / ``source``)."""

    DIAL_VERB = "DialVerb"
    CONFERENCE = "Conference"
    OUTBOUND_API = "OutboundAPI"
    TRUNKING = "Trunking"
    RECORD_VERB = "RecordVerb"
    START_CALL_RECORDING_API = "StartCallRecordingAPI"
    #: ``<Start><Recording>``'s: observed on Twilio, not in its API's enumeration.
    START_CALL_RECORDING_TWIML = "StartCallRecordingTwiML"
    START_CONFERENCE_RECORDING_API = "StartConferenceRecordingAPI"


@dataclass(slots=True)
class Recording:
    """One recording. ``duration`` is whole seconds; ``start_time`` virtual UTC."""

    sid: str
    account_sid: str
    call_sid: str
    source: RecordingSource
    start_time: datetime
    status: RecordingStatus = RecordingStatus.IN_PROGRESS
    duration: int = 0
    channels: int = 1
    track: str = "both"
    error_code: int | None = None
    date_updated: datetime | None = None
    #: The API base URL that serves the recording's media (``RecordingUrl``): Twilio's,
    #: or the served URL under ``twimlsim serve``.
    api_base: str = "https://api.twilio.com"
    #: The conference recorded (``<Conference record="record-from-start">``), if any.
    conference_sid: str | None = None

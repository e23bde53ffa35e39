"""Model objects to Twilio's JSON: snake_case keys, strings for numbers, RFC 2822 dates."""

from __future__ import annotations

from datetime import datetime

from twimlsim.engine.call_params import API_VERSION
from twimlsim.engine.dates import rfc2822
from twimlsim.model.call import Call, CallStatus
from twimlsim.model.recording import Recording, RecordingStatus

__all__ = [
    "API_HOST",
    "account_path",
    "call_fork_json",
    "call_json",
    "call_recording_json",
    "call_uri",
    "date",
    "format_number",
    "recording_json",
    "recording_media_url",
]

#: Where absolute URLs (a recording's ``media_url``) point, as on Twilio.
API_HOST = "https://api.twilio.com"

_CALL_SUBRESOURCES = (
    ("notifications", "Notifications"),
    ("recordings", "Recordings"),
    ("payments", "Payments"),
    ("events", "Events"),
    ("siprec", "Siprec"),
    ("streams", "Streams"),
    ("transcriptions", "Transcriptions"),
    ("user_defined_message_subscriptions", "UserDefinedMessageSubscriptions"),
    ("user_defined_messages", "UserDefinedMessages"),
)


def date(moment: datetime | None) -> str | None:
    """RFC 2822 (``Fri, 20 Aug 2010 01:13:42 +0000``), or None."""
    return rfc2822(moment) if moment is not None else None


_date = date


def account_path(account_sid: str) -> str:
    """``/2010-04-01/Accounts/{AccountSid}``: the root of an account's resources."""
    return f"/{API_VERSION}/Accounts/{account_sid}"


def call_uri(account_sid: str, call_sid: str) -> str:
    """The call's path relative to the API host."""
    return f"/{API_VERSION}/Accounts/{account_sid}/Calls/{call_sid}.json"


def call_fork_json(
    segment: str,
    sid: str,
    account_sid: str,
    call_sid: str,
    name: str | None,
    status: str,
    updated_at: datetime,
) -> dict[str, object]:
    """A live call's Stream or real-time Transcription (``segment``: ``Streams``,
    ``Transcriptions``) as Twilio's JSON has them: the same seven fields."""
    return {
        "account_sid": account_sid,
        "call_sid": call_sid,
        "date_updated": rfc2822(updated_at),
        "name": name,
        "sid": sid,
        "status": status,
        "uri": f"{account_path(account_sid)}/Calls/{call_sid}/{segment}/{sid}.json",
    }


def format_number(number: str) -> str:
    """Twilio's ``from_formatted``/``to_formatted``: ``(415) 867-5308`` for NANP numbers."""
    digits = number[2:] if number.startswith("+1") else ""
    if len(digits) == 10 and digits.isdigit():
        return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"
    return number


def call_json(call: Call) -> dict[str, object]:
    """The Call resource as Twilio returns it (keys alphabetical, ``queue_time`` last).

    While the call is ``queued`` the dates, ``duration``, ``caller_name`` and ``trunk_sid``
    are null, as in Twilio's create response (reference §II.9). Once it has left the queue
    ``duration`` is ``"0"`` until the call ends and ``caller_name``/``trunk_sid`` are empty
    strings, as in a real fetch of a ringing call (§II.9, observed once); that an
    in-progress call also reports ``"0"`` is a fidelity choice (Twilio fills the duration
    in when the call ends). A call that ended unanswered (busy, no-answer, failed,
    canceled) keeps ``"0"`` and has its ``end_time``, as its status callback's
    ``CallDuration`` is 0 and as twilio-ruby's list fixture of a failed call shows (a
    choice: the Call page says they are empty then).

    Not simulated: ``price`` (null; ``price_unit`` USD), ``group_sid``, ``annotation``;
    ``subresource_uris`` has the nine keys of Twilio's OpenAPI description, not the
    ``twiml_sessions`` some of the Call page's examples show.
    """
    base = call_uri(call.account_sid, call.sid)[: -len(".json")]
    queued = call.status is CallStatus.QUEUED
    duration = call.duration
    if duration is None and not queued:
        duration = 0
    blank = None if queued else ""
    return {
        "account_sid": call.account_sid,
        "annotation": None,
        "answered_by": call.answered_by,
        "api_version": API_VERSION,
        "caller_name": call.caller_name if call.caller_name is not None else blank,
        "date_created": None if queued else _date(call.created_at),
        # a call created ringing (inbound, a <Dial> leg) was last updated when created
        "date_updated": None if queued else _date(call.updated_at or call.created_at),
        "direction": call.direction.value,
        "duration": str(duration) if duration is not None else None,
        "end_time": _date(call.end_time),
        "forwarded_from": call.forwarded_from,
        "from": call.from_,
        "from_formatted": format_number(call.from_),
        "group_sid": None,
        "parent_call_sid": call.parent_call_sid,
        "phone_number_sid": call.phone_number_sid,
        "price": None,
        "price_unit": "USD",
        "sid": call.sid,
        "start_time": _date(call.start_time),
        "status": call.status.value,
        "subresource_uris": {key: f"{base}/{name}.json" for key, name in _CALL_SUBRESOURCES},
        "to": call.to,
        "to_formatted": format_number(call.to),
        "trunk_sid": blank,
        "uri": call_uri(call.account_sid, call.sid),
        "queue_time": str(call.queue_time_ms),
    }


def recording_media_url(recording: Recording) -> str:
    """The recording's media (WAV; ``.mp3`` for MP3), as ``RecordingUrl`` gives it."""
    return f"{recording.api_base}{account_path(recording.account_sid)}/Recordings/{recording.sid}"


def _recording_common(recording: Recording) -> dict[str, object]:
    # an unfinished recording reports duration "-1" (fidelity choice, as real ones do)
    finished = recording.status not in {RecordingStatus.IN_PROGRESS, RecordingStatus.PAUSED}
    return {
        "account_sid": recording.account_sid,
        "api_version": API_VERSION,
        "call_sid": recording.call_sid,
        "conference_sid": recording.conference_sid,
        "date_created": _date(recording.start_time),
        "date_updated": _date(recording.date_updated or recording.start_time),
        "start_time": _date(recording.start_time),
        "duration": str(recording.duration) if finished else "-1",
        "sid": recording.sid,
        "price": None,
        "price_unit": "USD",
        "status": recording.status.value,
        "channels": recording.channels,
        "source": recording.source.value,
        "error_code": recording.error_code,
        "encryption_details": None,
    }


def recording_json(recording: Recording) -> dict[str, object]:
    """An account-level Recording resource (``/Recordings/{Sid}.json``)."""
    base = f"{account_path(recording.account_sid)}/Recordings/{recording.sid}"
    body = _recording_common(recording)
    body["uri"] = f"{base}.json"
    body["subresource_uris"] = {
        "add_on_results": f"{base}/AddOnResults.json",
        "transcriptions": f"{base}/Transcriptions.json",
    }
    body["media_url"] = recording_media_url(recording)
    return body


def call_recording_json(recording: Recording) -> dict[str, object]:
    """A call's Recording subresource (``/Calls/{CallSid}/Recordings/{Sid}.json``)."""
    body = _recording_common(recording)
    body["uri"] = (
        f"{account_path(recording.account_sid)}/Calls/{recording.call_sid}"
        f"/Recordings/{recording.sid}.json"
    )
    body["track"] = recording.track
    return body

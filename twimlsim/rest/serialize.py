"""Model objects to Twilio's JSON: snake_case keys, strings for numbers, RFC 2822 dates."""

from __future__ import annotations

from datetime import datetime

from twimlsim.engine.webhooks import API_VERSION, rfc2822
from twimlsim.model.call import Call, CallStatus

__all__ = ["call_json", "call_uri", "format_number"]

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


def _date(moment: datetime | None) -> str | None:
    return rfc2822(moment) if moment is not None else None


def call_uri(account_sid: str, call_sid: str) -> str:
    """The call's path relative to the API host."""
    return f"/{API_VERSION}/Accounts/{account_sid}/Calls/{call_sid}.json"


def format_number(number: str) -> str:
    """Twilio's ``from_formatted``/``to_formatted``: ``(415) 867-5308`` for NANP numbers."""
    digits = number[2:] if number.startswith("+1") else ""
    if len(digits) == 10 and digits.isdigit():
        return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"
    return number


def call_json(call: Call) -> dict[str, object]:
    """The Call resource as Twilio returns it (keys alphabetical, ``queue_time`` last).

    While the call is ``queued`` the dates are null, as in Twilio's create response;
    ``duration`` is null until the call ends (``"0"`` when it ended unanswered).
    """
    base = call_uri(call.account_sid, call.sid)[: -len(".json")]
    queued = call.status is CallStatus.QUEUED
    duration = call.duration
    return {
        "account_sid": call.account_sid,
        "annotation": None,
        "answered_by": call.answered_by,
        "api_version": API_VERSION,
        "caller_name": None,
        "date_created": None if queued else _date(call.created_at),
        "date_updated": None if queued else _date(call.updated_at),
        "direction": call.direction.value,
        "duration": str(duration) if duration is not None else None,
        "end_time": _date(call.end_time),
        "forwarded_from": None,
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
        "trunk_sid": None,
        "uri": call_uri(call.account_sid, call.sid),
        "queue_time": str(call.queue_time_ms),
    }

"""What a REST create asks of a call (Twilio's ``POST /Calls``), in Python names."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["NewCall", "shared"]


@dataclass(frozen=True, slots=True)
class NewCall:
    """Every parameter of a REST create (Twilio's ``POST /Calls``), in Python names, validated.

    The engine keeps it on the ``SimCall`` (``call.options``) and honours what it can
    simulate: recording, digits to send on answer, machine detection, time limit...
    Frozen: calls made with the same parameters share one (``shared``).
    """

    to: str
    from_: str
    url: str | None = None
    method: str = "POST"
    twiml: str | None = None
    application_sid: str | None = None
    fallback_url: str | None = None
    fallback_method: str = "POST"
    status_callback: str | None = None
    status_callback_method: str = "POST"
    status_callback_events: frozenset[str] = frozenset({"completed"})
    send_digits: str | None = None
    timeout: int = 60
    time_limit: int = 14400
    record: bool = False
    recording_channels: str = "mono"
    recording_status_callback: str | None = None
    recording_status_callback_method: str = "POST"
    recording_status_callback_events: frozenset[str] = frozenset({"completed"})
    recording_track: str = "both"
    trim: str = "trim-silence"
    caller_id: str | None = None
    machine_detection: str | None = None
    machine_detection_timeout: int = 30
    machine_detection_speech_threshold: int = 2400
    machine_detection_speech_end_threshold: int = 1200
    machine_detection_silence_timeout: int = 5000
    async_amd: bool = False
    async_amd_status_callback: str | None = None
    async_amd_status_callback_method: str = "POST"
    sip_auth_username: str | None = None
    sip_auth_password: str | None = None
    call_reason: str | None = None
    call_token: str | None = None
    byoc: str | None = None
    #: ``Twiml`` was sent with ``Url``: Twilio uses the ``Url`` and logs warning 32019.
    twiml_ignored: bool = False


#: A test makes the same create again and again: equal options are kept once for every
#: call made with them (a finished call keeps its options; about 300 bytes each).
_SHARED: dict[NewCall, NewCall] = {}
_SHARED_LIMIT = 1024


def shared(options: NewCall) -> NewCall:
    """``options``, or an equal ``NewCall`` made before (the one kept)."""
    kept = _SHARED.get(options)
    if kept is not None:
        return kept
    if len(_SHARED) >= _SHARED_LIMIT:
        _SHARED.clear()
    _SHARED[options] = options
    return options

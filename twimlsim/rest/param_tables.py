"""The Calls resource's create and update parameters, as tables: each parameter's wire
name, the ``NewCall`` field it fills, its kind, allowed values and Twilio's error code.

``params.py`` reads a form against these tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["CREATE_PARAMS", "INVALID_PARAMETER", "UPDATE_PARAMS", "Kind", "Param"]

Kind = Literal["url", "callback", "method", "int", "bool", "enum", "events", "digits", "text"]

#: Code for an invalid value of a parameter Twilio documents no specific code for (fidelity
#: choice: Twilio's "Invalid Parameter").
INVALID_PARAMETER = 20422


@dataclass(frozen=True, slots=True)
class Param:
    """One parameter: wire name, ``NewCall`` field, kind, allowed values, error code."""

    wire: str
    field: str
    kind: Kind
    code: int = INVALID_PARAMETER
    choices: tuple[str, ...] = ()
    low: int | None = None
    high: int | None = None
    #: Larger values are lowered to ``high`` rather than refused.
    clamp: bool = False
    #: An enumeration's unknown value is taken as absent rather than refused.
    ignore_unknown: bool = False
    #: A credential: its refusals never echo the value.
    secret: bool = False


_EVENTS = ("initiated", "ringing", "answered", "completed")
_RECORDING_EVENTS = ("in-progress", "completed", "absent")

CREATE_PARAMS: tuple[Param, ...] = (
    Param("Method", "method", "method", 21209),
    Param("FallbackUrl", "fallback_url", "url", 21205),
    Param("FallbackMethod", "fallback_method", "method", 21209),
    Param("StatusCallbackEvent", "status_callback_events", "events", 21626, _EVENTS),
    Param("StatusCallbackMethod", "status_callback_method", "method", 21209),
    Param("SendDigits", "send_digits", "digits", 21206),
    Param("Timeout", "timeout", "int", 21208, low=1, high=600, clamp=True),
    Param("Record", "record", "bool"),
    Param("RecordingChannels", "recording_channels", "enum", choices=("mono", "dual")),
    Param("RecordingStatusCallback", "recording_status_callback", "callback", 21609),
    Param("RecordingStatusCallbackMethod", "recording_status_callback_method", "method", 21209),
    Param(
        "RecordingStatusCallbackEvent",
        "recording_status_callback_events",
        "events",
        choices=_RECORDING_EVENTS,
    ),
    Param("RecordingTrack", "recording_track", "enum", choices=("inbound", "outbound", "both")),
    Param("Trim", "trim", "enum", choices=("trim-silence", "do-not-trim")),
    Param("CallerId", "caller_id", "text"),
    Param("SipAuthUsername", "sip_auth_username", "text", 21221, high=255, secret=True),
    Param("SipAuthPassword", "sip_auth_password", "text", 21223, high=255, secret=True),
    # Twilio accepted MachineDetection=true from a 2025 sample (a call was placed): any
    # value is taken; only Enable and DetectMessageEnd detect (UNCONFIRMED what "true" does;
    # calls.warn_of_unnamed_machine_detection says so with warning 21234).
    Param(
        "MachineDetection",
        "machine_detection",
        "enum",
        21234,
        ("Enable", "DetectMessageEnd"),
        ignore_unknown=True,
    ),
    Param("MachineDetectionTimeout", "machine_detection_timeout", "int", 21234, low=3, high=60),
    Param(
        "MachineDetectionSpeechThreshold",
        "machine_detection_speech_threshold",
        "int",
        21234,
        low=1000,
        high=6000,
    ),
    Param(
        "MachineDetectionSpeechEndThreshold",
        "machine_detection_speech_end_threshold",
        "int",
        21234,
        low=500,
        high=5000,
    ),
    Param(
        "MachineDetectionSilenceTimeout",
        "machine_detection_silence_timeout",
        "int",
        21234,
        low=2000,
        high=10000,
    ),
    # Twilio's 21234 is "Invalid Machine Detection configuration value"; AsyncAmd is one
    # (a choice: its page names no parameter)
    Param("AsyncAmd", "async_amd", "bool", 21234),
    Param("AsyncAmdStatusCallback", "async_amd_status_callback", "callback", 21609),
    Param("AsyncAmdStatusCallbackMethod", "async_amd_status_callback_method", "method", 21209),
    Param("Byoc", "byoc", "text"),
    Param("CallReason", "call_reason", "text", high=50),
    Param("CallToken", "call_token", "text"),
    Param("TimeLimit", "time_limit", "int", low=1, high=86400),
)

UPDATE_PARAMS: tuple[Param, ...] = (
    Param("Method", "method", "method", 21209),
    Param("FallbackUrl", "fallback_url", "url", 21205),
    Param("FallbackMethod", "fallback_method", "method", 21209),
    Param("StatusCallback", "status_callback", "callback", 21609),
    Param("StatusCallbackMethod", "status_callback_method", "method", 21209),
    Param("TimeLimit", "time_limit", "int", low=1, high=86400),
)

"""The parameters of each verb's webhooks, in Twilio's wire names.

Every builder starts from the call's standard parameters (``webhooks.call_params``) where
Twilio sends them, and adds what the verb reports, as real captures show (twilio-reference
Part II): ``msg=Gather End`` and ``FinishedOnKey`` on Gather actions, ``RecordingSid`` on
Record actions, ``ErrorCode=0`` on recording status callbacks, ``DialBridged`` on Dial actions.
"""

from __future__ import annotations

from twimlsim.model.recording import Recording

from .dates import rfc2822

__all__ = [
    "amd_params",
    "detected_as",
    "dial_action_params",
    "dial_queue_params",
    "enqueue_action_params",
    "gather_action_params",
    "partial_result_params",
    "queue_url_params",
    "queue_wait_params",
    "record_action_params",
    "recording_params",
    "recording_status_params",
    "recording_url",
    "transcription_params",
]

API_VERSION = "2010-04-01"


def recording_url(recording: Recording) -> str:
    """``RecordingUrl``: the API URL of the recording, without extension (WAV; add .mp3),
    under the API base that serves it (``Recording.api_base``)."""
    return (
        f"{recording.api_base}/{API_VERSION}/Accounts/{recording.account_sid}"
        f"/Recordings/{recording.sid}"
    )


def transcription_url(recording: Recording, transcription_sid: str) -> str:
    """``TranscriptionUrl`` of a recording's transcription."""
    return f"{recording_url(recording)}/Transcriptions/{transcription_sid}"


def gather_action_params(
    base: dict[str, str],
    *,
    digits: str | None,
    finished_on_key: str,
    speech: str | None,
    confidence: float | None,
) -> dict[str, str]:
    """A Gather's action request.

    DTMF (and an empty result): ``msg=Gather End``, ``Digits``, ``FinishedOnKey`` (the key,
    or empty when numDigits or the timeout ended input). Speech: ``SpeechResult`` and
    ``Confidence`` only; no capture shows ``msg``/``Digits`` on speech results, so
    twimlsim leaves them out (fidelity choice).
    """
    params = dict(base)
    if speech is not None:
        params["SpeechResult"] = speech
        if confidence is not None:
            params["Confidence"] = f"{confidence:g}"
        return params
    params["msg"] = "Gather End"
    params["Digits"] = digits or ""
    params["FinishedOnKey"] = finished_on_key
    return params


def partial_result_params(
    base: dict[str, str], *, sequence: int, stable: str, unstable: str, language: str
) -> dict[str, str]:
    """A ``partialResultCallback`` request: the words recognised so far.

    ``UnstableSpeechResult`` is documented; ``StableSpeechResult``, ``Stability``,
    ``SequenceNumber`` and ``Language`` (the ``<Gather>``'s ``language``) are the keys a
    2018 app copied from the partial requests it received, beside the standard ones
    (UNCONFIRMED by Twilio's pages, which name only ``UnstableSpeechResult``).
    twimlsim reports each word as it is heard: the words before it stable, it unstable.
    """
    params = dict(base)
    params["SequenceNumber"] = str(sequence)
    params["StableSpeechResult"] = stable
    params["UnstableSpeechResult"] = unstable
    params["Stability"] = "0.9"
    params["Language"] = language
    return params


def refer_action_params(base: dict[str, str]) -> dict[str, str]:
    """A ``<Refer>`` action on a SIP leg: the standard parameters, then those of Twilio's
    ``<Refer>`` page in its order, with the values of its first scenario (the endpoint
    accepted the REFER with a 202, and its NOTIFY reported the new call answered: 200)."""
    params = dict(base)
    params["ReferCallStatus"] = "in-progress"
    params["ReferSipResponseCode"] = "202"
    params["NotifySipResponseCode"] = "200"
    return params


def recording_params(recording: Recording) -> dict[str, str]:
    """``RecordingUrl``, ``RecordingSid``, ``RecordingDuration`` (actions, status callbacks)."""
    return {
        "RecordingDuration": str(recording.duration),
        "RecordingSid": recording.sid,
        "RecordingUrl": recording_url(recording),
    }


def record_action_params(
    base: dict[str, str], recording: Recording, digits: str | None, *, recorded: int
) -> dict[str, str]:
    """A Record's action: the recording, and ``Digits`` (the key that ended it, or
    ``hangup``). Ended by silence or maxLength, no key was pressed: ``Digits`` is left out
    (fidelity choice; no capture shows that case).

    ``RecordingDuration`` is ``recorded``, the length *before* silence is trimmed: Twilio's
    Record page says the action's duration is the recorded audio's and that the final
    duration after trimming comes with the ``recordingStatusCallback`` (which, like the
    Recording resource, reports ``recording.duration``).
    """
    params = dict(base)
    params.update(recording_params(recording))
    params["RecordingDuration"] = str(recorded)
    if digits is not None:
        params["Digits"] = digits
    return params


def recording_status_params(
    recording: Recording, status: str, *, with_track: bool, conference_sid: str | None = None
) -> dict[str, str]:
    """A ``recordingStatusCallback`` request (no standard call parameters, as captured).

    ``in-progress`` carries no ``RecordingDuration`` (the length is not known yet; fidelity
    choice); ``ErrorCode`` is ``0`` unless the recording is absent. ``RecordingTrack``
    (``with_track``) is sent for every call recording: ``<Dial record>`` ones were captured
    with it, and a 2026 live test of Twilio's recording methods saw it (``both`` where the
    method has no track) in the callbacks of ``<Record>``, ``<Dial record>``, REST and
    ``<Start><Recording>`` recordings alike (``<Record>`` captures of 2021-2022 had none).
    A conference recording's callback is sent without it (no capture says).
    With ``conference_sid`` it is a conference recording's callback: ``ConferenceSid``
    takes the place of ``CallSid``.
    """
    owner_key, owner_sid = (
        ("CallSid", recording.call_sid)
        if conference_sid is None
        else ("ConferenceSid", conference_sid)
    )
    # in the order Twilio writes them (captured, 2023), which ``wire_order`` keeps
    params = {"RecordingSource": recording.source.value}
    if with_track:
        params["RecordingTrack"] = recording.track
    params["RecordingSid"] = recording.sid
    params["RecordingUrl"] = recording_url(recording)
    params["RecordingStatus"] = status
    params["RecordingChannels"] = str(recording.channels)
    params["ErrorCode"] = str(recording.error_code or 0)
    params[owner_key] = owner_sid
    params["RecordingStartTime"] = rfc2822(recording.start_time)
    params["AccountSid"] = recording.account_sid
    if status != "in-progress":
        params["RecordingDuration"] = str(recording.duration)
    return params


def transcription_params(
    base: dict[str, str],
    recording: Recording,
    *,
    transcription_sid: str,
    text: str,
    callback_url: str,
) -> dict[str, str]:
    """A ``transcribeCallback`` request, with the extras real ones carry
    (``TranscriptionType``, the lower-case ``url``), and no geo keys.

    ``ForwardedFrom`` comes only on an inbound call's (empty unless the call was
    forwarded): the captured callbacks of outbound-api calls (2016, 2022, 2023) have none,
    the one of an inbound call has it (there the called number: UNCONFIRMED as a rule, so
    empty is kept).
    """
    # in the order Twilio writes them (captured, 2023), which ``wire_order`` keeps; then
    # what the call has beyond them (a parent, a TwiML App, a caller name)
    params = {
        "ApiVersion": base["ApiVersion"],
        "TranscriptionType": "fast",
        "TranscriptionUrl": transcription_url(recording, transcription_sid),
        "TranscriptionSid": transcription_sid,
        "Called": base["Called"],
        "RecordingSid": recording.sid,
        "CallStatus": base["CallStatus"],
        "RecordingUrl": recording_url(recording),
        "From": base["From"],
        "Direction": base["Direction"],
        "url": callback_url,
        "AccountSid": base["AccountSid"],
        "TranscriptionText": text,
        "Caller": base["Caller"],
        "TranscriptionStatus": "completed",
        "CallSid": base["CallSid"],
        "To": base["To"],
    }
    if params["Direction"] == "inbound":
        params["ForwardedFrom"] = base.get("ForwardedFrom", "")
    for key, value in base.items():
        if key not in params and not key.endswith(("City", "State", "Zip", "Country")):
            params[key] = value
    return params


def dial_action_params(
    base: dict[str, str],
    *,
    status: str,
    child_sid: str | None,
    seconds: int,
    bridged: bool,
    recording: Recording | None,
    sip: dict[str, str] | None = None,
) -> dict[str, str]:
    """A Dial's action: ``DialCallStatus``, ``DialCallSid``, ``DialCallDuration``,
    ``DialBridged``, when the Dial recorded the recording, and for a ``<Sip>`` leg its
    ``DialSip*`` parameters (``sip``)."""
    params = dict(base)
    params["DialBridged"] = "true" if bridged else "false"
    params["DialCallDuration"] = str(seconds)
    if child_sid is not None:
        params["DialCallSid"] = child_sid
    params["DialCallStatus"] = status
    if recording is not None:
        params.update(recording_params(recording))
    if sip is not None:
        params.update(sip)
    return params


def detected_as(answered_by: str, mode: str) -> str:
    """What machine detection in ``mode`` reports for a far end scripted as ``answered_by``.

    Twilio's values differ by mode: ``Enable`` answers as soon as it hears a machine
    (``machine_start``), ``DetectMessageEnd`` waits for the greeting to end
    (``machine_end_beep``, ``machine_end_silence``, ``machine_end_other``). A machine
    scripted in the other mode's words is reported in this mode's (a choice: the script
    says a machine answered, the mode says how Twilio words it): ``machine_start`` under
    ``DetectMessageEnd`` is ``machine_end_beep``, any ``machine_end_*`` under ``Enable``
    is ``machine_start``."""
    if mode.lower() == "detectmessageend" and answered_by == "machine_start":
        return "machine_end_beep"
    if mode.lower() == "enable" and answered_by.startswith("machine_end_"):
        return "machine_start"
    return answered_by


def amd_params(
    account_sid: str, call_sid: str, answered_by: str, duration_ms: int
) -> dict[str, str]:
    """An ``AsyncAmdStatusCallback`` request."""
    return {
        "AccountSid": account_sid,
        "AnsweredBy": answered_by,
        "CallSid": call_sid,
        "MachineDetectionDuration": str(duration_ms),
    }


def enqueue_action_params(
    base: dict[str, str], *, result: str, queue_sid: str | None, seconds: int
) -> dict[str, str]:
    """An ``<Enqueue>`` action: ``QueueResult``, then ``QueueSid`` and ``QueueTime``
    (seconds) only when the call was enqueued (``queue_sid`` given), as Twilio's
    ``<Enqueue>`` page says of both: a ``queue-full`` refusal carries neither."""
    params = dict(base)
    params["QueueResult"] = result
    if queue_sid is not None:
        params["QueueSid"] = queue_sid
        params["QueueTime"] = str(seconds)
    return params


def queue_wait_params(
    base: dict[str, str],
    *,
    position: int,
    queue_sid: str,
    seconds: int,
    average: int,
    size: int,
    max_size: int,
) -> dict[str, str]:
    """A ``waitUrl`` request: where the caller stands in its queue."""
    params = dict(base)
    params.update(
        QueuePosition=str(position),
        QueueSid=queue_sid,
        QueueTime=str(seconds),
        AvgQueueTime=str(average),
        CurrentQueueSize=str(size),
        MaxQueueSize=str(max_size),
    )
    return params


def queue_url_params(
    base: dict[str, str], *, queue_sid: str, seconds: int, dequeuing_sid: str
) -> dict[str, str]:
    """A ``<Dial><Queue url>`` request, on the dequeued caller's leg (``CallSid`` is the
    dequeued call's, from ``base``)."""
    params = dict(base)
    params.update(QueueSid=queue_sid, QueueTime=str(seconds), DequeingCallSid=dequeuing_sid)
    return params


def dial_queue_params(base: dict[str, str], *, queue_sid: str, seconds: int) -> dict[str, str]:
    """What a ``<Dial><Queue>`` action adds once a caller was dequeued: ``QueueSid`` and
    ``QueueTime`` (the caller's wait)."""
    params = dict(base)
    params.update(QueueSid=queue_sid, QueueTime=str(seconds))
    return params

"""A live call's real-time transcriptions (``<Start><Transcription>``, the REST
Transcriptions subresource of a Call): started, found by SID or name, fed, stopped.

twimlsim runs no speech-to-text: what a transcription "hears" is text the simulation
already has. On ``inbound_track`` (the far end), the words the far end says (``says(...)``
to a ``<Gather>``, whatever its ``input``, in a bridged ``<Dial>`` or a conference;
``records(..., text=...)`` and ``says(...)`` to a ``<Record>``), once the far end has said
them; on ``outbound_track`` (what the call plays to the far end), the text of each
``<Say>`` (a top-level one or a ``<Gather>``'s prompt) heard to its end, once per
repetition of its ``loop``, and what the other end of a bridged ``<Dial>`` or the room's
other participants say (``bridge_speech.py``, ``conference_leg.py``). When the far end is
the app of one of the simulation's own numbers (``own_numbers.py``), each ``<Say>`` of one
side is the other side's ``inbound_track`` (and, through a bridged ``<Dial>`` leg, the
dialling call's ``outbound_track``). A ``<Say>`` cut short
(barge-in, a hang-up, a redirect) and ``<Play>`` audio are not transcribed.

Each session reports to its ``statusCallbackUrl`` as Twilio's ``<Transcription>`` page
documents: ``transcription-started`` when it starts, ``transcription-content`` per
utterance, ``transcription-stopped`` when it stops (``<Stop><Transcription>``, the REST
API, or the call's end, reported before the call's own ``completed`` callback), with
``AccountSid``, ``CallSid``, ``TranscriptionSid``, ``Timestamp`` (ISO 8601 UTC with
microseconds, as the page's examples) and ``SequenceId`` (1, 2, ... per session).
Choices where Twilio documents nothing (README "Fidelity notes"):

- the parameters are sent in the order of the page's tables; ``Name`` and the track
  labels only when given;
- ``ProviderConfiguration`` is the JSON of ``profanityFilter``, ``speechModel``
  (unless given, ``telephony`` for the ``google`` engine, ``nova-2`` for ``deepgram``) and
  ``enableAutomaticPunctuation`` as strings, with ``hints`` when given;
- ``TranscriptionData`` is ``{"transcript": ..., "confidence": ...}``; the confidence
  is the far end's ``says(confidence=)``, else 0.9 (``<Say>`` text and ``records(text=)``);
- with ``partialResults="true"`` each utterance is first sent word by word as it grows
  (``Final=false``, ``Stability=0.9``, no confidence), then whole with ``Final=true``
  and no ``Stability`` or confidence (the page: with partial results, ``stability`` is
  included and ``confidence`` is not);
- the transcript is the text as given, but for profane words, masked (``f***``) unless
  ``profanityFilter="false"`` as ``<Gather>`` masks them (``engine/profanity.py``); no
  punctuation added;
  ``enableProviderData`` sends no ``TranscriptionProviderData``;
- ``<Stop><Transcription>`` without a ``name`` stops every transcription of the call; a
  name matching none stops nothing and is no error; a name may be reused (the newest
  in progress of that name is stopped).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING

from twimlsim.model.realtime_transcription import RealtimeTranscription, Utterance

from .events import Event, Said
from .named import find_by_sid_or_name
from .profanity import filter_profanity
from .started_at_once import past_the_bound

if TYPE_CHECKING:
    from .services import Services
    from .session import SimCall

__all__ = [
    "DEFAULT_CONFIDENCE",
    "DEFAULT_SPEECH_MODELS",
    "find_transcription",
    "start_transcription",
    "stop_transcription",
    "stop_transcriptions",
    "transcribe",
    "transcribe_said",
]

#: The confidence of an utterance given without one (a ``<Say>``, ``records(text=)``).
DEFAULT_CONFIDENCE = 0.9
#: The speech model each engine uses when none is given (the page: ``telephony``; Deepgram
#: "relies on the nova-2 speech models by default").
DEFAULT_SPEECH_MODELS = {"google": "telephony", "deepgram": "nova-2"}
#: ``Stability`` of a partial result.
PARTIAL_STABILITY = "0.9"
KIND = "realtime-transcription"


def start_transcription(
    engine: Services, call: SimCall, transcription: RealtimeTranscription
) -> RealtimeTranscription:
    """Keep ``transcription`` on ``call`` (from now) and report it started."""
    if call.realtime_transcriptions is None:
        call.realtime_transcriptions = []
    call.realtime_transcriptions.append(transcription)
    untold = "no transcription-started callback, nor any event after it"
    forks = call.realtime_transcriptions
    if past_the_bound(engine, call, forks, "real-time transcriptions", untold):
        transcription.status_callback_url = None
        return transcription
    params = _event(engine, transcription, "transcription-started")
    if params is not None:
        params["ProviderConfiguration"] = _provider_configuration(transcription)
        params["TranscriptionEngine"] = transcription.transcription_engine
        if transcription.name is not None:
            params["Name"] = transcription.name
        params["Track"] = transcription.track
        if transcription.inbound_track_label is not None:
            params["InboundTrackLabel"] = transcription.inbound_track_label
        if transcription.outbound_track_label is not None:
            params["OutboundTrackLabel"] = transcription.outbound_track_label
        params["PartialResults"] = "true" if transcription.partial_results else "false"
        params["LanguageCode"] = transcription.language_code
        _send(engine, call, transcription, params)
    return transcription


def find_transcription(call: SimCall, sid_or_name: str) -> RealtimeTranscription | None:
    """The transcription of ``call`` with this SID, else the newest one in progress with
    this name (else the newest with it), else None."""
    return find_by_sid_or_name(call.realtime_transcriptions or [], sid_or_name)


def stop_transcription(
    engine: Services, call: SimCall, transcription: RealtimeTranscription
) -> None:
    """Stop ``transcription`` now and report it (once)."""
    if transcription.stopped_at is None:
        transcription.stop(engine.clock.now)
        params = _event(engine, transcription, "transcription-stopped")
        if params is not None:
            _send(engine, call, transcription, params)


def stop_transcriptions(engine: Services, call: SimCall, name: str | None = None) -> None:
    """Stop the transcriptions of ``call`` in progress (those named ``name``, or all)."""
    for transcription in call.realtime_transcriptions or []:
        if name is None or transcription.name == name:
            stop_transcription(engine, call, transcription)


def transcribe(
    engine: Services, call: SimCall, track: str, text: str, confidence: float | None = None
) -> None:
    """``text`` was just said on ``track`` of ``call``: each transcription in progress
    that hears the track reports it."""
    text = " ".join(text.split())
    if not text or not call.realtime_transcriptions:
        return
    for transcription in call.realtime_transcriptions:
        if transcription.stopped_at is not None or not transcription.hears(track):
            continue
        heard = filter_profanity(text) if transcription.profanity_filter else text
        transcription.utterances.append(Utterance(engine.clock.now, track, heard))
        if transcription.partial_results:
            words = heard.split(" ")
            for count in range(1, len(words)):
                growing: dict[str, object] = {"transcript": " ".join(words[:count])}
                _content(engine, call, transcription, track, growing, final=False)
            _content(engine, call, transcription, track, {"transcript": heard}, final=True)
        else:
            data: dict[str, object] = {
                "transcript": heard,
                "confidence": DEFAULT_CONFIDENCE if confidence is None else confidence,
            }
            _content(engine, call, transcription, track, data, final=True)


def transcribe_said(engine: Services, call: SimCall, event: Event) -> None:
    """A ``<Say>`` was heard to its end: transcribe each repetition on ``outbound_track``;
    when the far end is the app of one of the simulation's own numbers, its call hears it
    on ``inbound_track`` (and, a bridged ``<Dial>`` leg, the call that dialled it on
    ``outbound_track``)."""
    if not isinstance(event, Said) or event.interrupted:
        return
    for _ in range(event.loop):
        if call.realtime_transcriptions:
            transcribe(engine, call, "outbound_track", event.text)
        peer = call.app_peer
        if peer is not None and not peer.ended:
            transcribe(engine, peer, "inbound_track", event.text)
            dialler = peer.bridged_with
            if dialler is not None and not dialler.ended:
                transcribe(engine, dialler, "outbound_track", event.text)


def _content(
    engine: Services,
    call: SimCall,
    transcription: RealtimeTranscription,
    track: str,
    data: dict[str, object],
    *,
    final: bool,
) -> None:
    params = _event(engine, transcription, "transcription-content")
    if params is None:
        return
    params["LanguageCode"] = transcription.language_code
    params["Track"] = track
    params["TranscriptionData"] = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    if not final:
        params["Stability"] = PARTIAL_STABILITY
    params["Final"] = "true" if final else "false"
    _send(engine, call, transcription, params)


def _event(
    engine: Services, transcription: RealtimeTranscription, event: str
) -> dict[str, str] | None:
    """The parameters every event has, or None when it has nowhere to go."""
    if transcription.status_callback_url is None:
        return None
    transcription.events += 1
    return {
        "AccountSid": transcription.account_sid,
        "CallSid": transcription.call_sid,
        "TranscriptionSid": transcription.sid,
        "Timestamp": iso_timestamp(engine.clock.now),
        "SequenceId": str(transcription.events),
        "TranscriptionEvent": event,
    }


def _send(
    engine: Services, call: SimCall, transcription: RealtimeTranscription, params: dict[str, str]
) -> None:
    url = transcription.status_callback_url
    assert url is not None
    engine.notify(call, url, transcription.status_callback_method, params, kind=KIND)


def _provider_configuration(transcription: RealtimeTranscription) -> str:
    configuration = {"profanityFilter": _flag(transcription.profanity_filter)}
    model = transcription.speech_model
    if model is None:
        model = DEFAULT_SPEECH_MODELS.get(transcription.transcription_engine)
    if model is not None:
        configuration["speechModel"] = model
    configuration["enableAutomaticPunctuation"] = _flag(transcription.enable_automatic_punctuation)
    if transcription.hints is not None:
        configuration["hints"] = transcription.hints
    return json.dumps(configuration, separators=(",", ":"), ensure_ascii=False)


def _flag(value: bool) -> str:
    return "true" if value else "false"


def iso_timestamp(moment: datetime) -> str:
    """``moment`` (aware UTC) as the events' ``Timestamp``: ``2024-06-25T18:45:21.454203Z``."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")

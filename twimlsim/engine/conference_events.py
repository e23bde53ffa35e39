"""Conference status callbacks: their exact parameters, and how they are sent.

Every event carries ``AccountSid``, ``ConferenceSid``, ``FriendlyName``,
``SequenceNumber``, ``StatusCallbackEvent`` and ``Timestamp``; participant events add
``CallSid``, ``Coaching``, ``EndConferenceOnExit``, ``Hold``, ``Muted``,
``StartConferenceOnEnter`` and ``ParticipantLabel`` (only when the participant has a
label); ``participant-leave`` adds ``ParticipantCallStatus`` and
``ReasonParticipantLeft``; ``conference-end`` adds ``ReasonConferenceEnded``, ``Reason``
and, when a participant ended it, ``CallSidEndingConference`` (and
``ParticipantLabelEndingConference``). No standard call parameters (``From``,
``CallStatus``...) are sent, as Twilio's table lists none.

Fidelity choices (Twilio documents none of these): ``SequenceNumber`` counts the room's
callbacks actually sent, from 0; ``Timestamp`` is RFC 2822 with a zero-padded day; the
``Reason`` sentences are twimlsim's wording. Callbacks are sent like call-progress ones
(signed, form-encoded, the room's ``statusCallbackMethod``); a non-2xx answer is logged as
error 16011 (its message quoting the app's answer and why it failed, as a call's
status callback's does) and the body is ignored.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from twimlsim.arguments import raised_text
from twimlsim.errors import CallFailure
from twimlsim.model.conference import Participant

from .dates import rfc2822
from .diagnosis import explain_result
from .fetch import FetchResult, NoCookies, fetch
from .webhooks import hop_signer

if TYPE_CHECKING:
    from .conferences import SimConference
    from .services import Host

__all__ = ["REASONS", "deliver", "send_event"]

#: The ``Reason`` sentence of each ``ReasonConferenceEnded`` (``{call}``: the ending call).
REASONS = {
    "last-participant-left": "Last participant left the conference",
    "last-participant-kicked": "Last participant was removed from the conference",
    "participant-with-end-conference-on-exit-left": (
        "Participant {call} with endConferenceOnExit left the conference"
    ),
    "participant-with-end-conference-on-exit-kicked": (
        "Participant {call} with endConferenceOnExit was removed from the conference"
    ),
    "conference-ended-via-api": "Conference ended via API",
}


def participant_params(participant: Participant) -> dict[str, str]:
    """The parameters describing a participant on its events."""
    params = {
        "CallSid": participant.call_sid,
        "Coaching": _bool(participant.coaching),
        "EndConferenceOnExit": _bool(participant.end_conference_on_exit),
        "Hold": _bool(participant.hold),
        "Muted": _bool(participant.muted),
        "StartConferenceOnEnter": _bool(participant.start_conference_on_enter),
    }
    if participant.label is not None:
        params["ParticipantLabel"] = participant.label
    return params


def send_event(
    host: Host,
    room: SimConference,
    event: str,
    participant: Participant | None = None,
    extra: dict[str, str] | None = None,
) -> None:
    """Record ``event`` on the room's timeline; send it if the room subscribed to it."""
    room.note(host.clock.now, event, participant.call_sid if participant is not None else None)
    callbacks = room.callbacks
    if callbacks is None or callbacks.url is None or _short(event) not in callbacks.events:
        return
    record = room.record
    params = {
        "AccountSid": record.account_sid,
        "ConferenceSid": record.sid,
        "FriendlyName": record.friendly_name,
        "SequenceNumber": str(room.sequence_number),
        "StatusCallbackEvent": event,
        "Timestamp": rfc2822(host.clock.now),
    }
    if participant is not None:
        params.update(participant_params(participant))
    if extra:
        params.update(extra)
    room.sequence_number += 1
    url, method = callbacks.url, callbacks.method
    if host.answering:  # due inside another webhook: sent after the event under way, now
        host.scheduler.call_at(
            host.clock.micros,
            lambda: deliver(host, room, url, method, params, kind="conference"),
        )
        return
    deliver(host, room, url, method, params, kind="conference")


def deliver(
    host: Host,
    room: SimConference,
    url: str,
    method: str,
    params: dict[str, str],
    *,
    kind: str,
) -> None:
    """Send one of the room's webhooks (signed, no cookies), log it on the room and the
    simulator, and record a failure or a non-2xx answer (16011) as a problem. A request the
    app redirects (301, 302, 303) is followed by a GET without its parameters (a POST's or a
    GET's), as Twilio's 16010 page says of conference events (the room's recording
    callbacks alike: a choice)."""
    account = host.store.accounts[room.record.account_sid]
    number = len(room.requests)
    build = hop_signer(
        params=params,
        auth_token=account.auth_token,
        kind=kind,
        call_sid=params.get("CallSid", ""),
        at=host.clock.now,
        idempotency_hex=lambda hop_url: host.sids.hex(
            f"conference-idempotency:{room.sid}:{number}:{hop_url}"
        ),
    )

    answering = host.answering
    if not answering:
        host.answering_thread = threading.get_ident()
    answering.append(url)
    result = FetchResult(requests=[])
    try:
        # Twilio's 16010 page: a redirect is followed "but it will not include the original
        # parameters on the follow-up request"
        fetch(host.transport, build, url, method, NoCookies(), resend=False, result=result)
    except BaseException as escaped:  # out of the app (KeyboardInterrupt): it received it
        if isinstance(escaped, Exception):
            raise
        _pass_on_after_this_change(host, room, url, params, escaped)
        return
    finally:
        answering.pop()
        room.requests.extend(result.requests)
        host.requests.extend(result.requests)
    subject = params.get("CallSid") or room.sid
    if result.error is not None:
        error = result.error
        host.failures.append(
            CallFailure(subject, error.code, error.message, result.final_url, None, None, error)
        )
    elif result.response is not None and not 200 <= result.response.status < 300:
        what = params.get("StatusCallbackEvent") or params.get("RecordingStatus", kind)
        callback = "status" if kind == "conference" else "recording status"
        message = (
            f"the {callback} callback ({what}) of the conference {room.friendly_name!r} "
            f"{room.sid} answered HTTP {result.response.status}; "
            f"{explain_result(result, host.transport, host.store)}; Twilio logs it and the "
            "room goes on; the callback needs no body: answer 204, or 200 with an empty body"
        )
        host.failures.append(
            CallFailure(
                subject,
                16011,
                message,
                result.final_url,
                # logged at ERROR on Twilio's 16011 page, unlike a call's 15003 (a warning)
                level="error",
                cause=result.response.app_error,
            )
        )


def _short(event: str) -> str:
    """The ``statusCallbackEvent`` word that subscribes to ``event``."""
    if event.startswith("conference-"):
        return event[len("conference-") :]
    if event.startswith("announcement-"):
        return "announcement"
    if event.startswith("participant-speech-"):
        return "speaker"
    name = event[len("participant-") :]
    return {"unmute": "mute", "unhold": "hold"}.get(name, name)


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _pass_on_after_this_change(
    host: Host, room: SimConference, url: str, params: dict[str, str], escaped: BaseException
) -> None:
    """What is not an ``Exception`` escaped the app's answer to a room's callback
    (``KeyboardInterrupt``, ``pytest.fail()``): raised here, it cut short the change the
    callback reported (a participant's leaving, before the room's end: the room stayed
    in progress for ever), so it is raised once the change is done, at this instant."""

    def pass_on() -> None:
        raise escaped

    what = params.get("StatusCallbackEvent") or params.get("RecordingStatus", "")
    host.failures.append(
        CallFailure(
            params.get("CallSid") or room.sid,
            None,
            f"{raised_text(escaped)} escaped the app as it answered the callback ({what}) "
            f"of the conference {room.friendly_name!r} {room.sid}; it is not an Exception: "
            "twimlsim let the room finish the change the callback reported, then passed it "
            "on out of the run",
            url,
            cause=escaped,
        )
    )
    host.scheduler.call_at(host.clock.micros, pass_on)

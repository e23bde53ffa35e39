"""What happened on a call, as typed transcript events, each stamped with virtual time.

Their ``__repr__``, ``__eq__`` and ``__hash__`` are dataclass's own, shared from
``ValueMethods`` rather than generated for each class (``repr=False, eq=False``), which
keeps importing them cheap.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from twimlsim.value_methods import ValueMethods

__all__ = [
    "SaidText",
    "StreamClosed",
    "StreamConnected",
    "StreamStarted",
    "StreamStopped",
    "Answered",
    "Dialed",
    "DigitsSent",
    "Dequeued",
    "Echoed",
    "Enqueued",
    "Event",
    "Gathered",
    "HungUp",
    "Invited",
    "JoinedConference",
    "LeftConference",
    "LeftQueue",
    "Paused",
    "PaymentEnded",
    "PaymentInput",
    "Played",
    "Recorded",
    "Redirected",
    "Referred",
    "Rejected",
    "Said",
    "WebhookFailed",
]


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Event(ValueMethods):
    """Base of every transcript event: ``at`` is the virtual time it began."""

    at: datetime


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Answered(Event):
    """The call was answered (``answered_by`` when machine detection ran)."""

    answered_by: str | None = None


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Said(Event):
    """A ``<Say>`` (or Twilio's own message) was spoken ``loop`` times.

    ``interrupted`` when it was cut short: a keypress or speech barging into a Gather's
    prompt, a hang-up, a REST update of the call.
    """

    text: str
    voice: str
    language: str
    loop: int = 1
    interrupted: bool = False


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Played(Event):
    """A ``<Play>``: the media ``url`` (empty for digits only), ``loop`` times, or DTMF
    ``digits`` sent to the far end (``interrupted`` when cut short)."""

    url: str
    loop: int = 1
    digits: str | None = None
    interrupted: bool = False


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Paused(Event):
    """A ``<Pause>`` of ``seconds`` (``interrupted`` when cut short)."""

    seconds: int
    interrupted: bool = False


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class DigitsSent(Event):
    """DTMF sent to the far end on answer (``SendDigits``, ``<Number sendDigits>``)."""

    digits: str


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Gathered(Event):
    """A ``<Gather>`` ended: what the far end entered (``digits`` and/or ``speech``) and
    how: ``finished_on_key``, or ``timeout`` with nothing (``digits == ""``).

    ``ignored_digits`` and ``ignored_speech`` are what the far end gave that the Gather does
    not take, as Twilio ignores it (the Gather then times out): keys at a Gather whose
    ``input`` is ``speech``, words at a ``dtmf`` one; ``""`` and None when nothing was."""

    digits: str
    speech: str | None
    confidence: float | None
    finished_on_key: str
    timed_out: bool
    ignored_digits: str = ""
    ignored_speech: str | None = None


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class PaymentInput(Event):
    """One entry at a ``<Pay>`` step: ``for_`` the step (``payment-card-number``,
    ``expiration-date``...), the ``attempt`` (from 1), what was entered as Twilio masks it
    (``xxxxxxxxxxxx1111``, ``xxx``; the expiry date and postal code in the clear; empty when
    nothing was entered) and the ``<Prompt errorType>`` of a refused entry (``timeout``,
    ``invalid-card-number``...; None when it was accepted)."""

    for_: str
    attempt: int
    entered: str
    error: str | None = None


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class PaymentEnded(Event):
    """A ``<Pay>`` ended: its ``payment_method`` and ``result`` (the action's ``Result``:
    ``success``, ``too-many-failed-attempts``, ``caller-interrupted-with-star``...)."""

    payment_method: str
    result: str


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Recorded(Event):
    """A ``<Record>`` ended: the recording's SID, its ``seconds`` and what ended it
    (the key, ``"hangup"``, ``"silence"``, ``"max-length"`` or ``"redirect"``, a REST
    update)."""

    recording_sid: str
    seconds: int
    ended_by: str


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Invited(Event):
    """A ``<Dial>`` leg was placed (first event of a child leg): whom it calls, the caller
    ID it shows, and what the invitation carried: a ``<Client>``'s ``<Parameter>``s (for the
    SDK device), a ``<Sip>``'s ``X-`` headers and the ``username`` it authenticates with."""

    to: str
    from_: str
    parameters: tuple[tuple[str, str], ...] = ()
    sip_headers: tuple[tuple[str, str], ...] = ()
    sip_username: str | None = None


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Dialed(Event):
    """A ``<Dial>`` ended: the targets, the outcome (``DialCallStatus``), the child leg
    reported and whether the parties were bridged."""

    targets: tuple[str, ...]
    status: str
    child_sid: str | None
    bridged: bool
    seconds: int


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Echoed(Event):
    """An ``<Echo>`` began: the far end hears itself until the call ends."""


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class StreamConnected(Event):
    """A ``<Connect><Stream>`` connected the call to the WebSocket at ``url`` (as written),
    with the stream's ``name`` and its ``<Parameter>``s (the ``customParameters`` of the
    stream's ``start`` message)."""

    url: str
    name: str | None
    parameters: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class StreamClosed(Event):
    """The app's WebSocket server closed the ``<Connect><Stream>`` (``call.close_stream()``)
    after ``seconds``: the ``<Connect>`` ended."""

    seconds: int


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class StreamStarted(Event):
    """A unidirectional stream (``<Start><Stream>``, the REST API) began streaming the
    call's ``track`` to the WebSocket at ``url`` (as written), with the stream's ``name``
    and its ``<Parameter>``s (the ``customParameters`` of its ``start`` message)."""

    url: str
    name: str | None
    track: str
    parameters: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class StreamStopped(Event):
    """The unidirectional stream to ``url`` (``name``) stopped after ``seconds`` while the
    call went on (``<Stop><Stream>``, the REST API, the app's server closing its socket);
    the call's end stops its streams without a line of its own."""

    url: str
    name: str | None
    seconds: int


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Redirected(Event):
    """Control moved to another document (``<Redirect>``)."""

    url: str
    method: str


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Referred(Event):
    """A ``<Refer>`` transferred the SIP leg to ``to`` (its ``<Sip>`` URI, as written)."""

    to: str


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Rejected(Event):
    """A ``<Reject>`` with its ``reason``."""

    reason: str


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class WebhookFailed(Event):
    """A request for TwiML failed with a Twilio error code."""

    url: str
    code: int
    message: str


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class HungUp(Event):
    """The call ended; ``by`` is ``"twiml"``, ``"caller"``, ``"callee"``, ``"time-limit"``,
    ``"parent"``, ``"api"``...; ``status`` the final status."""

    by: str
    status: str


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Enqueued(Event):
    """An ``<Enqueue>`` put the call in ``queue`` (SID ``queue_sid``) at ``position``."""

    queue: str
    queue_sid: str
    position: int


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Dequeued(Event):
    """A ``<Dial><Queue>`` on call ``by`` took this call out of ``queue`` to bridge it,
    after ``seconds`` waiting."""

    queue: str
    by: str
    seconds: int


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class LeftQueue(Event):
    """The ``<Enqueue>`` is over: ``result`` is the ``QueueResult`` (``bridged``,
    ``leave``, ``hangup``, ``redirected``, ``queue-full``...), ``seconds`` the time queued."""

    queue: str
    result: str
    seconds: int


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class JoinedConference(Event):
    """The call joined the conference ``name`` (``conference_sid``)."""

    name: str
    conference_sid: str


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class LeftConference(Event):
    """The call left the conference: ``how`` is ``ended`` (the room ended), ``kicked``,
    ``star`` (hangupOnStar), ``time-limit`` (the Dial's), ``hangup``, ``redirected`` or
    ``refused`` (with Twilio's error ``code``: full room, label in use, bad coach)."""

    name: str
    conference_sid: str
    how: str
    code: int | None = None


class SaidText(str):
    """One text of ``SimCall.said``: equal to the plain string, and ``interrupted`` when
    the far end did not hear it all (a barge-in, a hang-up). Its repr says
    ``(cut off)`` then, so that an assertion diff shows it."""

    interrupted: bool

    def __new__(cls, text: str, interrupted: bool = False) -> SaidText:
        said = super().__new__(cls, text)
        said.interrupted = interrupted
        return said

    def __repr__(self) -> str:
        text = str.__repr__(self)
        return f"{text} (cut off)" if self.interrupted else text

"""The narrow interface between TwiML verbs and the engine.

Verbs (``engine/verbs/``) see the engine only as ``Services``: the clock, sending webhooks,
answering and ending their own call, placing ``<Dial>`` legs, recordings, queues and
conference rooms. The
helpers that own a leg's or a queue's life (``dialing.py``, ``queues.py``) see it as
``Host``, which adds the call registry, the far ends and a leg's lifecycle. Only
``engine.py`` knows the whole ``Engine``; it implements both protocols, and no module a verb
imports reaches back to it (``tests/test_boundaries.py`` checks this).
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import TYPE_CHECKING, Any, Protocol

from .session import CallDriver

if TYPE_CHECKING:
    from twimlsim.clock import Scheduler, VirtualClock
    from twimlsim.errors import CallFailure
    from twimlsim.model.application import Application
    from twimlsim.model.call import CallStatus, StatusCallbackConfig
    from twimlsim.model.recording import RecordingSource
    from twimlsim.model.sids import SidFactory
    from twimlsim.model.store import Account, AccountStore

    from .app_sockets import AppSockets
    from .caller import Phone, ScriptStep
    from .calls_by_sid import CallsBySid
    from .conferences import Conferences
    from .dialing import DialAttempt, Target
    from .fetch import FetchResult
    from .interpreter import Interpreter
    from .live_recordings import LiveRecordings
    from .process import Listen, Step
    from .queues import Queues
    from .recordings import ActiveRecording, RecordingCallbacks
    from .session import SimCall
    from .webhooks import Transport, WebhookRequest

__all__ = ["Host", "Services"]


class Services(Protocol):
    """What a verb may ask of the engine."""

    #: The virtual clock (``now``, ``micros``).
    clock: VirtualClock
    #: Runs actions at virtual instants (waking another leg at the current instant).
    scheduler: Scheduler
    #: The seeded SID and token generator.
    sids: SidFactory
    #: The account deletes silent recordings (``Simulator(delete_silent_recordings=)``).
    delete_silent_recordings: bool
    #: Opens WebSockets to the app (``<Connect><ConversationRelay>``...), or None.
    app_sockets: AppSockets | None

    @property
    def queues(self) -> Queues:
        """The accounts' call queues (``<Enqueue>``, ``<Dial><Queue>``)."""
        ...

    @property
    def conferences(self) -> Conferences:
        """The conference rooms (``<Dial><Conference>``, the Participants resource)."""
        ...

    @property
    def live_recordings(self) -> LiveRecordings:
        """Recordings of live calls the REST API controls (``<Start><Recording>`` starts
        one)."""
        ...

    def find_application(self, account_sid: str, sid: str) -> Application | None:
        """The account's TwiML App ``sid`` (``<Dial><Application>``), or None."""
        ...

    # -- media and webhooks ------------------------------------------------------------

    def media_seconds(self, url: str) -> float:
        """How long the media at ``url`` plays."""
        ...

    def request(
        self, call: SimCall, url: str, method: str, params: dict[str, str], *, kind: str
    ) -> FetchResult:
        """Send one webhook about ``call`` and return what came back."""
        ...

    def notify(
        self,
        call: SimCall,
        url: str,
        method: str,
        params: dict[str, str],
        *,
        kind: str,
        warning_code: int = 15003,
    ) -> None:
        """Send a webhook whose answer cannot change the call; log a bad answer."""
        ...

    def fail(
        self,
        call: SimCall,
        code: int | None,
        message: str,
        *,
        url: str | None = None,
        element: str | None = None,
        line: int | None = None,
        cause: BaseException | None = None,
        level: str = "error",
    ) -> None:
        """Record a problem Twilio's debugger would log for ``call`` (at ``level``)."""
        ...

    def may_call_from(self, call: SimCall, number: str) -> bool:
        """Whether ``call``'s account owns ``number`` or has verified it as a caller ID."""
        ...

    def account_of(self, call: SimCall) -> Account:
        """The account ``call`` belongs to (its numbers, caller IDs and messages)."""
        ...

    # -- the verb's own call -----------------------------------------------------------

    def answer(self, call: SimCall, *, answered_by: str | None = None) -> None:
        """Answer ``call`` now."""
        ...

    def mark_ended(self, call: SimCall, status: CallStatus, *, by: str) -> None:
        """Put ``call`` in its final status now."""
        ...

    # -- other legs ----------------------------------------------------------------------

    def place_leg(
        self,
        attempt: DialAttempt,
        target: Target,
        *,
        caller_id: str | None,
        timeout: int,
        time_limit: int,
        status_callback: StatusCallbackConfig,
    ) -> SimCall:
        """Create a ``<Dial>`` child leg for ``target`` and start it ringing now."""
        ...

    # -- recordings ----------------------------------------------------------------------

    def start_recording(
        self,
        call: SimCall,
        source: RecordingSource,
        callbacks: RecordingCallbacks,
        *,
        channels: int = 1,
        track: str = "both",
        with_track: bool = False,
    ) -> ActiveRecording:
        """Begin a recording of ``call``."""
        ...

    def finish_recording(
        self, active: ActiveRecording, seconds: int, *, absent_code: int | None = None
    ) -> None:
        """Stop a recording at ``seconds`` long."""
        ...

    def report_recording(self, active: ActiveRecording) -> None:
        """Send a finished recording's final status event."""
        ...

    def transcribe(self, active: ActiveRecording, url: str | None, text: str) -> bool:
        """Keep the transcription of a finished recording; post it to ``url`` if given.
        False, doing nothing, when the recording was deleted before it."""
        ...

    def send_digits(self, call: SimCall, digits: str, *, noted: bool = True) -> None:
        """``call`` plays ``digits`` to its far end (``SendDigits``, ``<Number
        sendDigits>``, ``<Play digits>`` with ``noted=False``)."""
        ...


class Host(Services, CallDriver, Protocol):
    """What the owners of legs and queues need beyond ``Services`` (a leg's ``SimCall`` is
    driven through its ``CallDriver`` side)."""

    store: AccountStore
    #: Every call leg by SID.
    calls: CallsBySid
    #: Call legs created so far (``limits.run_bounded`` stops a run that keeps creating).
    calls_created: int
    interpreter: Interpreter
    #: Where ``RecordingUrl``s point (Twilio's API, or the served one).
    api_base: str
    #: How webhooks travel, every webhook sent, and every problem recorded.
    transport: Transport
    #: The URLs of the webhooks the app is answering now (``Delivery.answering``).
    answering: list[str]
    answering_thread: int | None
    requests: list[WebhookRequest]
    failures: list[CallFailure]

    def phone(self, number: str) -> Phone:
        """The scripted far end for ``number``."""
        ...

    def guarded(self, call: SimCall, body: Generator[Step, Any, Any]) -> Generator[Step, Any, None]:
        """Run a leg's life and put it in a final status however it ends."""
        ...

    def listener(self, call: SimCall) -> Callable[[Listen], None]:
        """What runs when ``call`` starts waiting for the far end."""
        ...

    def ring(self, call: SimCall) -> Generator[Step, Any, tuple[bool, ScriptStep | None]]:
        """Dial the far end of ``call``; whether it answered, and how."""
        ...

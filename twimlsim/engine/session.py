"""``SimCall``: one simulated call leg as a test sees it, and the engine's state for it."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, NoReturn, Protocol, SupportsIndex

from twimlsim.arguments import (
    check_confidence,
    check_keys,
    check_seconds,
    check_speech,
    check_text,
    check_unicode,
    literal,
)
from twimlsim.errors import ConfigurationError, live_view_refused
from twimlsim.model.api_log import ApiRequest
from twimlsim.model.call import Call

from .caller import FarEndInput, Phone
from .events import Event, Said, SaidText
from .fetch import CookieJar
from .process import Process, Waiting
from .streams import StreamAudio, stream_audio_payload
from .trace import ServedDocument, VerbRun
from .urls import redact
from .webhooks import WebhookRequest

if TYPE_CHECKING:
    from datetime import datetime

    from twimlsim.clock import Timer
    from twimlsim.model.realtime_transcription import RealtimeTranscription
    from twimlsim.model.recording import Recording
    from twimlsim.model.siprec import SiprecSession
    from twimlsim.model.stream import MediaStream
    from twimlsim.model.user_defined_message import (
        UserDefinedMessage,
        UserDefinedMessageSubscription,
    )

    from .fork_socket import ForkSocket
    from .lock import EngineLock
    from .options import NewCall
    from .payments import PaymentSession

__all__ = [
    "NOT_STARTED",
    "NOT_STARTED_BESIDE_ANOTHER",
    "STOPPED",
    "CallDriver",
    "SimCall",
    "inside_webhook",
]

#: Names of a phone's script steps (and a slip of one) with the SimCall method that plays
#: each by hand and the step's own name.
_CALL_METHODS = {
    "presses": ("press", "presses"),
    "says": ("say", "says"),
    "hangs_up": ("hangup", "hangs_up"),
    "hang_up": ("hangup", "hangs_up"),
}

#: Why nothing runs once the simulator was stopped.
STOPPED = (
    "its Simulator was stopped (its with block or test ended), so the app's requests to "
    "Twilio would no longer reach it; run calls before the simulator stops"
)

#: Why nothing runs before the simulator is started.
NOT_STARTED = (
    "its Simulator was never started, so the app's requests to Twilio would not reach it "
    "(they would go to the real api.twilio.com) and the app's clock would not be the "
    "simulation's; start it first: `with Simulator() as sim:`, sim.start(), or the "
    "twimlsim fixture"
)


#: Why nothing runs before the simulator is started while another one runs.
NOT_STARTED_BESIDE_ANOTHER = (
    "its Simulator was never started, and another Simulator runs: the app's requests to "
    "Twilio reach that one, not this one, and the app's clock is that one's; use the "
    "Simulator that runs (the twimlsim fixture's, or the one a with block started), or "
    "start this one: `with Simulator() as sim:` or sim.start()"
)


def inside_webhook(
    where: str, answering: Sequence[str], thread: int | None = None
) -> ConfigurationError:
    """The error for ``where`` (``sim.run()``...) called while the app answers the webhooks
    ``answering`` (outermost first) that ``thread`` sent: virtual time cannot move then.
    Called from another thread, it says that one thread runs the simulation at a time;
    from the thread an app answers webhooks on (an ASGI app's event loop), it is the app's
    own code, inside the webhook."""
    me = threading.current_thread()
    if thread is not None and thread != me.ident and not getattr(me, "answers_webhooks", False):
        running = next((t.name for t in threading.enumerate() if t.ident == thread), thread)
        return ConfigurationError(
            f"{where} was called from another thread while thread {running!r} runs the "
            f"simulation, waiting for the app's answer to the webhook {redact(answering[0])}: "
            "one thread runs calls at a time. Run calls (sim.run(), sim.advance(), "
            "call.run()) from one thread; the others may place and change calls through the "
            "REST API and give input (call.press()...)"
        )
    return ConfigurationError(
        f"{where} was called while the app was answering the webhook {redact(answering[0])}: the "
        "simulator waits for that answer at one instant of virtual time, so until it "
        "returns no call can run, the clock cannot move, and the simulator cannot be reset "
        "or stopped. Do it from the test, after the code that placed or changed the calls "
        "returns; inside a webhook, change calls through the REST API "
        "(client.calls(sid).update(...)) as on Twilio"
    )


#: ``SimCall.fetch_instant`` before any document fetch (shared).
_NO_FETCH = (-1, 0)


class CallDriver(Protocol):
    """What a ``SimCall`` asks of the engine when a test drives it by hand."""

    def run_call(self, call: SimCall) -> None:
        """Run until the call waits on the test or ends."""
        ...

    def give_input(self, call: SimCall, given: FarEndInput) -> None:
        """Hand the far end's input to the call's current wait."""
        ...

    def hang_up_far_end(self, call: SimCall) -> None:
        """The far end hangs up now."""
        ...

    def close_stream(self, call: SimCall, handoff_data: str | None = None) -> None:
        """The app's WebSocket server ends the call's ``<Connect>``."""
        ...

    def stream_audio(self, call: SimCall, payload: bytes) -> None:
        """The caller's audio goes to the app's open stream sockets of ``call``."""
        ...

    @property
    def retired(self) -> bool:
        """``sim.reset()`` forgot the world this engine runs."""
        ...

    @property
    def stopped(self) -> bool:
        """The simulator that runs this engine was stopped."""
        ...

    #: The URLs of the webhooks the app is answering now (nothing may run calls then).
    answering: list[str]
    #: The thread that waits for the outermost of them.
    answering_thread: int | None
    #: Held while the call is driven (one thread at a time changes the simulation).
    lock: EngineLock


class SimCall:
    """A simulated call leg: its Twilio record, what the far end heard, and every webhook.

    Read ``status``, ``duration``, ``said``, ``transcript``, ``requests``, ``api_requests``,
    ``children``, ``parent``, ``recordings``, ``streams``, ``realtime_transcriptions``,
    ``payments``, ``served`` and ``verb_runs`` after
    ``sim.run()``, and the call's own facts (``to``, ``from_``, ``direction``,
    ``answered_by``, ``start_time``, ``end_time``, ``parent_call_sid``) as Twilio's Call
    resource has them; ``record`` holds the rest. Driven by hand, ``run()`` advances until
    the call waits for input (``waiting_for``) or ends, and ``press()``, ``say()``,
    ``silence()``, ``records()`` and ``hangup()`` play the far end; ``close_stream()``
    plays the app's WebSocket server ending a ``<Connect><Stream>``.
    """

    # a run keeps every call it made: no per-instance __dict__
    __slots__ = (
        "_callback_cookies",
        "_cookies",
        "_driver",
        "_reset_away",
        "api_requests",
        "app_peer",
        "bridged_with",
        "children",
        "document_url",
        "documents",
        "fetch_instant",
        "finished",
        "given",
        "hangup_scripted",
        "held",
        "leg",
        "options",
        "parent",
        "payment_keys",
        "payments",
        "pending_audio",
        "phone",
        "process",
        "realtime_transcriptions",
        "record",
        "recordings",
        "requests",
        "sequence_number",
        "served",
        "siprecs",
        "stream_sockets",
        "streams",
        "time_limit_timer",
        "timers",
        "transcript",
        "user_defined_message_subscriptions",
        "user_defined_messages",
        "verb_runs",
        "waiting_step",
    )

    def __init__(
        self,
        record: Call,
        phone: Phone,
        driver: CallDriver,
        *,
        options: NewCall | None = None,
        parent: SimCall | None = None,
    ) -> None:
        self.record = record
        #: What the REST create asked for (None for inbound and dialled legs).
        self.options = options
        #: The far end of this leg: the callee of an outbound leg, the caller of an inbound.
        self.phone = phone
        #: The leg that dialled this one (``<Dial>``), if any.
        self.parent = parent
        #: The legs this call dialled, in the order they were created.
        self.children: list[SimCall] = []
        #: Recordings made on this call, in the order they started.
        self.recordings: list[Recording] = []
        self.transcript: list[Event] = []
        self.requests: list[WebhookRequest] = []
        #: The app's REST requests about this call (its create, fetches, updates).
        self.api_requests: list[ApiRequest] = []
        #: Every TwiML document the call ran, and each top-level verb's span of time.
        self.served: list[ServedDocument] = []
        self.verb_runs: list[VerbRun] = []
        #: Unidirectional media streams (``<Start><Stream>``, REST), in the order they
        #: started; None until the first (most calls stream nothing).
        self.streams: list[MediaStream] | None = None
        #: Their WebSockets to an ASGI app routed in process, by stream SID, while open.
        self.stream_sockets: dict[str, ForkSocket] | None = None
        #: Real-time transcriptions (``<Start><Transcription>``, REST), in the order they
        #: started; None until the first.
        self.realtime_transcriptions: list[RealtimeTranscription] | None = None
        #: SIPREC sessions (``<Start><Siprec>``, REST), in the order they started; None
        #: until the first.
        self.siprecs: list[SiprecSession] | None = None
        #: Messages the app sent to the call's Voice SDK end user (REST), and its
        #: subscriptions to the SDK's messages; None until the first.
        self.user_defined_messages: list[UserDefinedMessage] | None = None
        self.user_defined_message_subscriptions: list[UserDefinedMessageSubscription] | None = None
        #: Agent-assisted payment sessions (REST ``Payments``), in the order they opened;
        #: None until the first.
        self.payments: list[PaymentSession] | None = None
        #: Keys a conference room or ``hangupOnStar`` bridge took, kept for a payment
        #: capture (``engine/payments.py``); None when there are none.
        self.payment_keys: str | None = None
        self._cookies: CookieJar | None = None
        self._callback_cookies: CookieJar | None = None
        self.process: Process | None = None
        self.document_url: str | None = None
        self.sequence_number = 0
        #: Documents fetched so far (bounded, see ``interpreter.MAX_DOCUMENTS_PER_CALL``).
        self.documents = 0
        #: The virtual instant of the last document fetch, and how many fetched at it.
        self.fetch_instant: tuple[int, int] = _NO_FETCH
        #: Engine state: armed timers, the wait the test must answer, the terminal
        #: callback sent, the Dial this leg belongs to.
        self.timers: list[Timer] = []
        self.time_limit_timer: Timer | None = None
        #: The answer took a ``hangs_up`` step of the far end's script for this call.
        self.hangup_scripted = False
        self.waiting_step: int | None = None
        #: A hold only another call, the app's REST request or time ends (a queue, a
        #: conference room that has not started): ``waiting_for`` then, where run() stops.
        self.held: Waiting | None = None
        #: The wait the test has already answered and how (it runs at the next run()).
        self.given: tuple[int, str] | None = None
        #: The caller's audio given at that wait of a ``<Connect><Stream>``, not yet sent.
        self.pending_audio: tuple[int, StreamAudio] | None = None
        #: While this call and a call of one of the simulation's own numbers are linked and
        #: both up: the other one (its app is this call's far end; ``own_numbers.py``).
        self.app_peer: SimCall | None = None
        #: While this ``<Dial>`` leg is bridged: the call that dialled it.
        self.bridged_with: SimCall | None = None
        self.finished = False
        self.leg: Any = None
        # weakly: the engine owns its calls (a finished simulation is freed by reference
        # counting, not left to the garbage collector)
        self._driver = driver if type(driver) is weakref.ProxyType else weakref.proxy(driver)
        self._reset_away = False

    def __repr__(self) -> str:
        return (
            f"<SimCall {self.sid} {self.record.direction.value} "
            f"{self.record.from_} -> {self.record.to} {self.status}>"
        )

    def __copy__(self) -> SimCall:
        return self  # a handle on the simulation's call: a copy is the same handle

    def __reduce_ex__(self, protocol: SupportsIndex) -> NoReturn:
        raise live_view_refused(
            f"SimCall {self.sid}",
            "call.status, call.duration, list(call.said), list(call.requests) "
            "(WebhookRequest values pickle and copy)",
        )

    @property
    def cookies(self) -> CookieJar:
        """The cookies and credentials the call's webhooks carry (a jar made when first
        used, for the call's lifetime)."""
        jar = self._cookies
        if jar is None:
            jar = self._cookies = CookieJar()
        return jar

    @property
    def callback_cookies(self) -> CookieJar:
        """The cookies and credentials of the call's status callbacks (call progress,
        recording, transcription, AMD, stream events), kept apart from its TwiML
        webhooks' as Twilio's TwiML changelog (2024.03.11) says: "Cookies will not be
        shared between TwiML webhook URLs and status callback URLs for a given call SID".
        HTTP authentication (``credentials``, ``signed_in``) is shared with them."""
        jar = self._callback_cookies
        if jar is None:
            # HTTP authentication is no cookie: the credentials a site asked for, and
            # where they were sent, stay shared with the TwiML webhooks
            webhooks = self.cookies
            jar = self._callback_cookies = CookieJar(
                credentials=webhooks.credentials, signed_in=webhooks.signed_in
            )
        return jar

    def let_go(self) -> None:
        """Drop what only a live call needs, once it has ended and been reported: a run
        keeps every call. Its process (ended), its timers (cancelled) and an empty cookie
        jar go; a webhook sent later (a recording's callback) starts from an empty jar, as
        it would have."""
        self.process = None
        self.time_limit_timer = None
        self.timers.clear()
        jar = self._cookies
        if jar is not None and not (jar.by_host or jar.credentials or jar.signed_in):
            self._cookies = None
        jar = self._callback_cookies
        if jar is not None and not (jar.by_host or jar.credentials or jar.signed_in):
            self._callback_cookies = None

    @property
    def sid(self) -> str:
        """The call SID (``CA...``)."""
        return self.record.sid

    @property
    def status(self) -> str:
        """Twilio's status string: ``queued``, ``ringing``, ``in-progress``, ``completed``..."""
        return self.record.status.value

    @property
    def ended(self) -> bool:
        """True once the call has reached a final status."""
        return self.record.status.is_terminal

    @property
    def answered(self) -> bool:
        """True once the call has been answered."""
        return self.record.answered_at is not None

    @property
    def duration(self) -> int | None:
        """Seconds from answer to hang-up (0 if never answered); None while the call lives."""
        return self.record.duration

    @property
    def to(self) -> str:
        """Who the call is to (``To``), as Twilio's Call JSON has it."""
        return self.record.to

    @property
    def from_(self) -> str:
        """Who the call is from (``From``)."""
        return self.record.from_

    @property
    def direction(self) -> str:
        """``inbound``, ``outbound-api`` or ``outbound-dial``."""
        return self.record.direction.value

    @property
    def answered_by(self) -> str | None:
        """What answering-machine detection found (``human``, ``machine_start``...), or None
        when it did not run."""
        return self.record.answered_by

    @property
    def start_time(self) -> datetime | None:
        """When the call left the queue and started ringing (aware UTC); None while queued."""
        return self.record.start_time

    @property
    def end_time(self) -> datetime | None:
        """When the call ended (aware UTC); None while it lives."""
        return self.record.end_time

    @property
    def parent_call_sid(self) -> str | None:
        """The SID of the call that dialled this leg (``<Dial>``), else None."""
        return self.record.parent_call_sid

    @property
    def answered_at(self) -> datetime | None:
        """The virtual time the call was answered, if it was."""
        return self.record.answered_at

    @property
    def said(self) -> list[SaidText]:
        """The texts of every ``<Say>`` the far end heard, in order (loops not repeated).

        Each compares equal to its plain string; ``.interrupted`` is True for one cut off
        (a barge-in, a hang-up), and its repr then reads ``'...' (cut off)``.
        """
        return [
            SaidText(event.text, event.interrupted)
            for event in self.transcript
            if isinstance(event, Said)
        ]

    @property
    def waiting_for(self) -> Waiting | None:
        """What the call waits for from the test (``.verb == "Gather"``...), or None.

        A call held in a queue (``"Enqueue"``) or in a conference room that has not started
        or holds it (``"Conference"``) waits with ``input == ()``: another call, the app's
        REST request or time passing (``sim.advance()``) ends that wait, not its far end."""
        process = self.process
        if process is None:
            return None
        listening = process.listening
        if (
            listening is None
            or self.waiting_step is None
            or process.step_number != self.waiting_step
        ):
            return self.held
        return listening.waiting

    # -- driving by hand -------------------------------------------------------------------

    def retire(self) -> None:
        """``sim.reset()`` forgot this call's world: driving it says so from now on."""
        self._reset_away = True

    @contextmanager
    def _drive(self, *, runs: bool = False) -> Iterator[CallDriver]:
        """The engine that runs this call, held for this thread; or a
        ``ConfigurationError`` once its simulator is gone, was reset or was stopped, or,
        for what ``runs`` calls (``run()``), while the app answers one of its webhooks.
        Input (``press()``...) only takes its place in time then, as a REST update does."""
        try:
            # the flag outlives the reset world, which nothing may keep alive
            retired = self._reset_away or self._driver.retired
        except ReferenceError:
            raise ConfigurationError(
                f"call {self.sid} cannot be driven: its Simulator no longer exists; keep a "
                "reference to the Simulator while its calls are driven"
            ) from None
        if retired:
            raise ConfigurationError(
                f"call {self.sid} cannot be driven: it belongs to a simulation that "
                "sim.reset() ended (the reset forgot its calls, numbers and scripts); place or "
                "take a new call after the reset (client.calls.create(...), "
                "sim.incoming_call(...)) and drive that one"
            )
        driver = self._driver
        with driver.lock:
            if driver.stopped:
                raise ConfigurationError(f"call {self.sid} cannot be driven: {STOPPED}")
            answering = list(driver.answering)  # a copy: another thread's run may end it
            if runs and answering:
                raise inside_webhook(
                    f"call.run() of call {self.sid}", answering, driver.answering_thread
                )
            yield driver

    if not TYPE_CHECKING:  # mypy would take any misspelt attribute for this one

        def __getattr__(self, name: str) -> NoReturn:
            # only for a name the call lacks: a phone's script steps are the usual slip
            methods = _CALL_METHODS.get(name)
            if methods is None:
                raise AttributeError(
                    f"'SimCall' object has no attribute {name!r}", name=name, obj=self
                )
            by_hand, step = methods
            raise AttributeError(
                f"SimCall has no method {name}(): driving a call by hand is call.{by_hand}() "
                f"(while call.run() has it waiting); a script step given ahead is "
                f"sim.phone({self.phone.number!r}).{step}()",
                name=name,
                obj=self,
            )

    def run(self) -> SimCall:
        """Advance virtual time until this call waits for input, is held (in a queue, a
        conference room not started: ``waiting_for.input == ()``) or ends."""
        __tracebackhide__ = True  # pytest shows the test's frames, not twimlsim's
        with self._drive(runs=True) as driver:
            driver.run_call(self)
        return self

    def press(self, digits: str) -> SimCall:
        """The far end presses ``digits`` (DTMF) at the current wait."""
        check_keys(f"call.press({literal(digits)})", digits)
        with self._drive() as driver:
            driver.give_input(self, FarEndInput("digits", digits=digits))
        return self

    def say(self, text: str, confidence: float = 0.9) -> SimCall:
        """The far end says ``text`` at the current wait."""
        where = f"call.say({literal(text)})"
        check_speech(where, text, "call.silence()")
        check_confidence(where, confidence)
        with self._drive() as driver:
            driver.give_input(self, FarEndInput("speech", text=text, confidence=confidence))
        return self

    def silence(self) -> SimCall:
        """The far end stays silent at the current wait (it times out)."""
        with self._drive() as driver:
            driver.give_input(self, FarEndInput("silence"))
        return self

    def records(self, seconds: float, key: str | None = None, *, text: str = "") -> SimCall:
        """The far end talks ``seconds`` into the current Record, then presses ``key``."""
        where = f"call.records({literal(seconds)})"
        length = check_seconds(where, "seconds", seconds)
        if key is not None:
            check_keys(where, key)
        check_text(where, "text", text, "'Call me back'")
        given = FarEndInput("audio", seconds=length, key=key, text=text)
        with self._drive() as driver:
            driver.give_input(self, given)
        return self

    def hangup(self) -> SimCall:
        """The far end hangs up now."""
        with self._drive() as driver:
            driver.hang_up_far_end(self)
        return self

    def close_stream(self, handoff_data: str | None = None) -> SimCall:
        """The app's WebSocket server ends the ``<Connect>`` the call waits in
        (``waiting_for.verb == "Connect"``): it closes a ``<Stream>``'s socket, or sends a
        ``<ConversationRelay>`` session its ``end`` message (with ``handoff_data``, which
        the action gets as ``HandoffData``). The ``<Connect>`` ends: its ``action`` is
        requested or the next verb runs."""
        if handoff_data is not None and not isinstance(handoff_data, str):
            raise TypeError(
                "call.close_stream(handoff_data=...) takes the end message's handoffData as "
                f'text (a JSON string such as \'{{"reason": "transfer"}}\'); got '
                f"{type(handoff_data).__name__}"
            )
        if handoff_data is not None and not handoff_data.isascii():
            check_unicode("call.close_stream(...)", "handoff_data", handoff_data)
        with self._drive() as driver:
            driver.close_stream(self, handoff_data)
        return self

    def stream_audio(self, payload: bytes | None = None, *, seconds: float = 1.0) -> SimCall:
        """The caller's audio (``payload``, mu-law bytes at 8000 a second, or ``seconds`` of
        silence) reaches the app's WebSocket handlers twimlsim opened, as Twilio's 20 ms
        ``media`` messages: each ``<Start><Stream>`` carrying the inbound track at once,
        the clock still (what the handlers do through the REST API is done before it
        returns); the ``<Connect><Stream>`` the call waits in as the call runs, its time
        passing, audio given again before then going on from its end (README, "Fidelity
        notes")."""
        audio = stream_audio_payload(payload, seconds)
        with self._drive() as driver:
            driver.stream_audio(self, audio)
        return self

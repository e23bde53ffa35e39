"""The engine: places calls, paces them, runs their lifecycle and reports their progress.

A call's life is one process on the scheduler (see ``process.py``): leave the queue at the
account's pace, ring, be answered (or not) by the scripted far end, run its TwiML (see
``interpreter.py``), end. Status callbacks are sent at each step the call subscribed to.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from twimlsim.clock import Scheduler, VirtualClock, to_micros
from twimlsim.errors import CallFailure
from twimlsim.model.call import Call, CallStatus, Direction, StatusCallbackConfig
from twimlsim.model.sids import SidFactory
from twimlsim.model.store import Account, AccountStore

from .caller import Phone
from .control import redirectable
from .events import Answered, HungUp
from .fetch import FetchResult, fetch
from .interpreter import Interpreter
from .process import Interrupt, Process, Sleep
from .session import SimCall
from .webhooks import (
    Transport,
    WebhookRequest,
    billed_minutes,
    call_params,
    rfc2822,
    sign_request,
)

if TYPE_CHECKING:
    from twimlsim.twiml import ParsedTwiml

__all__ = ["Engine", "NewCall", "TwimlParser"]

#: ``parse_twiml(body, content_type, source_url=...)``, injected so the engine stays XML-free.
TwimlParser = Callable[..., "ParsedTwiml"]

#: Final SIP response code Twilio reports in ``SipResponseCode`` for each way a call ends.
SIP_RESPONSE_CODES: dict[CallStatus, str] = {
    CallStatus.COMPLETED: "200",
    CallStatus.BUSY: "486",
    CallStatus.NO_ANSWER: "487",
    CallStatus.CANCELED: "487",
    CallStatus.FAILED: "404",
}

#: The status-callback event names and the ``CallStatus`` each one sends.
_EVENT_STATUS = {"initiated": "initiated", "ringing": "ringing", "answered": "in-progress"}


@dataclass(slots=True)
class NewCall:
    """Every parameter of a REST create (Twilio's ``POST /Calls``), in Python names, validated.

    The engine keeps it on the ``SimCall`` (``call.options``) and honours what it can
    simulate: recording, digits to send on answer, machine detection, time limit...
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


class Engine:
    """Runs every simulated call of one simulator on its virtual clock."""

    def __init__(
        self,
        *,
        clock: VirtualClock,
        scheduler: Scheduler,
        store: AccountStore,
        sids: SidFactory,
        transport: Transport,
        parse: TwimlParser,
        strict: bool = True,
    ) -> None:
        self.clock = clock
        self.scheduler = scheduler
        self.store = store
        self.sids = sids
        self.transport = transport
        self.strict = strict
        self.phones: dict[str, Phone] = {}
        self.calls: dict[str, SimCall] = {}
        self.requests: list[WebhookRequest] = []
        self.failures: list[CallFailure] = []
        self.interpreter = Interpreter(self, parse)
        self._request_count = 0

    # -- the far end ---------------------------------------------------------------------

    def phone(self, number: str) -> Phone:
        """The scripted far end for ``number`` (created on first use)."""
        phone = self.phones.get(number)
        if phone is None:
            phone = self.phones[number] = Phone(number)
        return phone

    # -- placing calls ---------------------------------------------------------------------

    def create_call(self, account: Account, new: NewCall) -> SimCall:
        """Accept an outbound-API call: it waits ``queued`` for its slot at the account's CPS."""
        now = self.clock.micros
        slot = account.take_slot(now)
        record = Call(
            sid=self.sids.new("CA"),
            account_sid=account.sid,
            to=new.to,
            from_=new.from_,
            direction=Direction.OUTBOUND_API,
            created_at=self.clock.now,
            url=new.url,
            method=new.method,
            twiml=new.twiml,
            fallback_url=new.fallback_url,
            fallback_method=new.fallback_method,
            status_callback=StatusCallbackConfig(
                url=new.status_callback,
                method=new.status_callback_method,
                events=new.status_callback_events,
            ),
            timeout=new.timeout,
            time_limit=new.time_limit,
            phone_number_sid=_owned_number_sid(account, new.from_),
            queue_time_ms=(slot - now) // 1000,
        )
        self.store.add_call(record)
        call = SimCall(record, self.phone(new.to), self.run_call, options=new)
        self.calls[record.sid] = call
        call.process = Process(self.scheduler, self._outbound_life(call))
        call.process.start_at(slot)
        return call

    def _outbound_life(self, call: SimCall) -> Generator[Sleep, None, None]:
        record = call.record
        record.start_time = self.clock.now
        self.send_progress(call, "initiated")
        step = call.phone.take_answer()
        if step is not None and step.action == "fails":
            self.end_call(call, CallStatus.FAILED, by="network")
            return
        record.move_to(CallStatus.RINGING, self.clock.now)
        self.send_progress(call, "ringing")
        if step is not None and step.action == "busy":
            self.end_call(call, CallStatus.BUSY, by="callee")
            return
        if step is not None:
            rings_out = step.action == "no_answer" or step.seconds >= record.timeout
            yield Sleep(float(record.timeout) if rings_out else step.seconds)
            if rings_out:
                self.end_call(call, CallStatus.NO_ANSWER, by="callee")
                return
        yield from self._answered_life(call)

    def _answered_life(self, call: SimCall) -> Generator[Sleep, None, None]:
        record = call.record
        now = self.clock.now
        record.move_to(CallStatus.IN_PROGRESS, now)
        record.answered_at = now
        call.transcript.append(Answered(now))
        self._arm_timers(call)
        self.send_progress(call, "answered")
        try:
            # redirectable: a REST update may replace the running TwiML (engine/control.py)
            yield from redirectable(self, call, self.interpreter.run_call(call))
        except Interrupt as cut:
            self.end_call(call, CallStatus.COMPLETED, by=cut.reason)
            return
        self.end_call(call, CallStatus.COMPLETED, by="twiml")

    def _arm_timers(self, call: SimCall) -> None:
        answered = self.clock.micros
        hangup = call.phone.take_hangup_timer()
        if hangup is not None:
            self._interrupt_at(call, answered + to_micros(hangup.seconds), "caller")
        self._interrupt_at(call, answered + to_micros(call.record.time_limit), "time-limit")

    def _interrupt_at(self, call: SimCall, micros: int, reason: str) -> None:
        def fire() -> None:
            if call.process is not None and not call.ended:
                call.process.interrupt(Interrupt(reason))

        call.timers.append(self.scheduler.call_at(micros, fire))

    def end_call(self, call: SimCall, status: CallStatus, *, by: str) -> None:
        """Put the call in its final status and send the terminal status callback."""
        record = call.record
        now = self.clock.now
        record.move_to(status, now)
        record.end_time = now
        for timer in call.timers:
            timer.cancel()
        call.timers.clear()
        call.transcript.append(HungUp(now, by=by, status=status.value))
        self.send_progress(call, "completed")

    # -- status callbacks ------------------------------------------------------------------

    def send_progress(self, call: SimCall, event: str) -> None:
        """Send the status callback for ``event`` if the call subscribed to it."""
        config = call.record.status_callback
        if config.url is None or event not in config.events:
            return
        record = call.record
        status = _EVENT_STATUS.get(event, record.status.value)
        params = call_params(record, status)
        params["CallbackSource"] = "call-progress-events"
        params["SequenceNumber"] = str(call.sequence_number)
        params["Timestamp"] = rfc2822(self.clock.now)
        if event == "completed":
            seconds = record.duration or 0
            params["CallDuration"] = str(seconds)
            params["Duration"] = str(billed_minutes(seconds))
            params["SipResponseCode"] = SIP_RESPONSE_CODES[record.status]
        call.sequence_number += 1
        result = self.request(call, config.url, config.method, params, kind="status")
        self._check_callback(call, result)

    def _check_callback(self, call: SimCall, result: FetchResult) -> None:
        if result.error is not None:
            error = result.error
            self.fail(call, error.code, error.message, url=result.final_url, cause=error.__cause__)
        elif result.response is not None and not 200 <= result.response.status < 300:
            self.fail(
                call,
                15003,
                f"the status callback answered HTTP {result.response.status}; "
                "answer 204, or 200 with an empty <Response/>",
                url=result.final_url,
            )

    # -- webhooks --------------------------------------------------------------------------

    def request(
        self, call: SimCall, url: str, method: str, params: dict[str, str], *, kind: str
    ) -> FetchResult:
        """Send one webhook about ``call`` (following redirects) and log every hop."""
        account = self.store.accounts[call.record.account_sid]
        at = self.clock.now

        def build(hop_url: str, hop_method: str, with_params: bool) -> WebhookRequest:
            self._request_count += 1
            token = self.sids.hex(f"idempotency:{self._request_count}")
            return sign_request(
                method=hop_method,
                url=hop_url,
                params=dict(params) if with_params else {},
                auth_token=account.auth_token,
                kind=kind,
                call_sid=call.sid,
                at=at,
                idempotency_token=_uuid_shape(token),
            )

        result = fetch(self.transport, build, url, method, call.cookies)
        call.requests.extend(result.requests)
        self.requests.extend(result.requests)
        return result

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
    ) -> None:
        """Record a problem Twilio's debugger would log for this call."""
        self.failures.append(CallFailure(call.sid, code, message, url, element, line, cause))

    # -- driving ---------------------------------------------------------------------------

    def run_until_idle(self) -> None:
        """Run every call until none has anything left to do."""
        self.scheduler.run_until_idle()

    def run_call(self, call: SimCall) -> None:
        """Run the scheduler until ``call`` has ended."""
        while not call.ended and self.scheduler.run_next():
            pass

    def unused_steps(self) -> Iterable[tuple[str, str]]:
        """``(number, step)`` for every scripted step no call reached."""
        for phone in self.phones.values():
            for step in phone.unused():
                yield phone.number, step.describe()


def _owned_number_sid(account: Account, number: str) -> str | None:
    owned = account.numbers.get(number)
    return owned.sid if owned is not None else None


def _uuid_shape(hex32: str) -> str:
    return f"{hex32[:8]}-{hex32[8:12]}-{hex32[12:16]}-{hex32[16:20]}-{hex32[20:32]}"

"""The engine: places calls, runs their lifecycle and reports their progress.

A call leg's life is one process on the scheduler (see ``process.py``): an outbound-API
call leaves the queue at the account's pace, rings, is answered (or not) by the scripted
far end, runs its TwiML (``interpreter.py``), ends. An inbound call rings at once and is
answered by its TwiML. A ``<Dial>`` leg is placed at once (``dialing.py``). Webhooks are
sent by ``delivery.py``, recordings kept by ``recordings.py``.

On answer, an outbound-API call honours its create options: ``SendDigits`` (sent first,
half a second a key), answering-machine detection (``MachineDetection``: the far end's
``machine()`` step, else ``human``; detection takes ``AMD_SECONDS``; synchronous detection
delays the TwiML request and adds ``AnsweredBy`` and ``MachineDetectionDuration`` to it;
``AsyncAmd`` posts them to ``AsyncAmdStatusCallback`` instead; ignored with ``SendDigits``,
as on Twilio), ``Record`` (the whole call, reported on the completed status callback) and
``TimeLimit``.

A call that reaches its time limit ends ``completed``; when that limit is the 4-hour
default, twimlsim also records Twilio's warning 32015, naming why the call was still
running (``stuck.py``: usually a far end with no hang-up scripted).
"""

from __future__ import annotations

import random
import re
import weakref
from collections.abc import Callable, Generator, Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any

from twimlsim.clock import to_micros
from twimlsim.errors import CallFailure
from twimlsim.model.application import Application
from twimlsim.model.call import Call, CallStatus, Direction, StatusCallbackConfig
from twimlsim.model.recording import RecordingStatus
from twimlsim.model.sids import SidFactory
from twimlsim.model.store import Account, AccountStore

from . import trial
from .abandoned import abandon, finish_later
from .call_ending import CallEnding
from .call_recording import completed_recording_params, start_call_recording
from .caller import Phone, ScriptStep
from .calls_by_sid import CallsBySid
from .conferences import Conferences, Seating, SimConference
from .control import redirectable, warn_twiml_ignored
from .delivery import SIP_RESPONSE_CODES, Delivery
from .dialing import DialAttempt, Target, cut_short_status, place_leg
from .events import Answered, DigitsSent
from .failure_log import FailureLog
from .far_end_input import FarEndInputs
from .flow import AMD_SECONDS, DEFAULT_MEDIA_SECONDS, dtmf_seconds
from .inbound import (
    answering_number,
    life_with_params,
    ring_inbound,
    with_called_via,
    with_caller_name,
)
from .interpreter import Interpreter
from .live_recordings import LiveRecordings
from .lock import EngineLock
from .machine_detection import detect_now, report_later
from .options import NewCall
from .own_numbers import AppLinks, number_app, placing_number_sid
from .params import detected_as
from .participants import participant_life
from .process import Interrupt, Process, Sleep, Step
from .queues import Queues
from .recordings import ActiveRecording, Recordings
from .redirects import Target as RedirectTarget
from .redirects import run_target, until_redirected
from .session import SimCall
from .stuck import running_verb, why_still_running
from .waits_on_test import WaitsOnTest
from .webhooks import Transport, WebhookRequest

if TYPE_CHECKING:
    from twimlsim.clock import Scheduler, Timer, VirtualClock
    from twimlsim.twiml import ParsedTwiml

    from .app_sockets import AppSockets

__all__ = ["AMD_SECONDS", "DEFAULT_TIME_LIMIT", "Engine", "NewCall", "SIP_RESPONSE_CODES"]

#: ``parse_twiml(body, content_type, source_url=...)``, injected so the engine stays XML-free.
TwimlParser = Callable[..., "ParsedTwiml"]

#: A call's TimeLimit unless the create says otherwise (4 hours, Twilio's default).
DEFAULT_TIME_LIMIT = 14400


#: A recording's media URL (``RecordingUrl``, ``.wav`` or ``.mp3``): a ``<Play>`` of one of
#: the simulator's recordings lasts as long as the recording.
_RECORDING_MEDIA = re.compile(r"/Recordings/(RE[0-9a-fA-F]{32})(?:\.wav|\.mp3)?(?:\?.*)?$")


class Engine(FarEndInputs, Delivery, Recordings, CallEnding):
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
        #: The account deletes silent recordings (``Simulator(delete_silent_recordings=)``).
        self.delete_silent_recordings = False
        #: Opens WebSockets to apps routed in process (the simulator sets it), or None.
        self.app_sockets: AppSockets | None = None
        self.phones: dict[str, Phone] = {}
        self.media: dict[str, float] = {}
        self.calls = CallsBySid()
        #: Calls that started waiting for input nobody had scripted (they wait on the test).
        self.waits_on_test = WaitsOnTest()
        #: Calls created so far (``calls`` may forget ended ones; this count never drops).
        self.calls_created = 0
        self.requests: list[WebhookRequest] = []
        self.failures: list[CallFailure] = FailureLog(clock)
        self.answering: list[str] = []
        self.answering_thread: int | None = None
        self.escaped: tuple[int, str, str] | None = None
        #: Held by whatever changes this engine (the simulator's own, shared with its API).
        self.lock = EngineLock()
        # The engine's parts, and its calls, point back to it weakly: a finished
        # simulation is freed by reference counting, not left to the garbage collector.
        self.interpreter = Interpreter(weakref.proxy(self), parse)
        #: Called before calls run (the simulator freezes the app's clock there).
        self.before_running: Callable[[], None] = _nothing
        #: Called when a hand-driven call stops (the simulator reports new failures there).
        self.after_running: Callable[[], None] = _nothing
        self._tokens: random.Random | None = None
        self._call_recordings: dict[str, ActiveRecording] = {}
        #: ``sim.reset()`` replaced this engine's world: its calls and phones refuse to be
        #: driven (they would send webhooks and move the app's clock from a forgotten world).
        self.retired = False
        #: The simulator was stopped (its ``with`` block or test ended): the app's requests
        #: to Twilio would no longer reach it, so its calls refuse to be driven.
        self.stopped = False
        #: The simulator was never started: nothing answers the app's requests to Twilio in
        #: its place, so it runs no call (``twimlsim serve``, which answers them over HTTP
        #: itself, clears it).
        self.never_started = True
        #: Calls to the simulation's own numbers and the calls they reached (on first use).
        self._app_links: AppLinks | None = None

    # Parts most tests never use are made on first use.

    @cached_property
    def queues(self) -> Queues:
        """The accounts' call queues: who waits, who takes them (``<Enqueue>``,
        ``<Dial><Queue>``)."""
        return Queues(weakref.proxy(self))

    @cached_property
    def conferences(self) -> Conferences:
        """The conference rooms (``<Dial><Conference>``, the Participants resource)."""
        return Conferences(weakref.proxy(self))

    @cached_property
    def live_recordings(self) -> LiveRecordings:
        """Recordings started and controlled through the REST API
        (``/Calls/{Sid}/Recordings``)."""
        return LiveRecordings(weakref.proxy(self))

    def _links(self) -> AppLinks:
        if self._app_links is None:
            self._app_links = AppLinks(weakref.proxy(self))
        return self._app_links

    def live_recordings_made(self) -> LiveRecordings | None:
        """The live recordings if any was ever asked for (else none to end or report)."""
        return self.__dict__.get("live_recordings")

    def retire(self) -> None:
        """``sim.reset()`` forgot this world: its calls and scripted phones refuse to be
        driven from now on, saying so."""
        self.retired = True
        for phone in self.phones.values():
            phone.retired = True
        for call in self.calls.values():
            call.retire()

    # -- the accounts and media (the far end: engine/far_end_input.py) --------------------

    def may_call_from(self, call: SimCall, number: str) -> bool:
        """Whether ``call``'s account owns ``number`` or has verified it as a caller ID."""
        return self.store.accounts[call.record.account_sid].may_call_from(number)

    def account_of(self, call: SimCall) -> Account:
        """The account ``call`` belongs to (its numbers, caller IDs and messages)."""
        return self.store.accounts[call.record.account_sid]

    def media_seconds(self, url: str) -> float:
        """How long the media at ``url`` plays: ``sim.media``, else a recording of the
        simulator (its ``RecordingUrl``, with or without ``.wav``/``.mp3``) plays for its
        duration, else the default."""
        seconds = self.media.get(url)
        if seconds is not None:
            return seconds
        if "/Recordings/RE" in url:
            found = _RECORDING_MEDIA.search(url)
            recording = self.store.recordings.get(found.group(1)) if found else None
            if recording is not None and recording.status is RecordingStatus.COMPLETED:
                return float(recording.duration)
        return DEFAULT_MEDIA_SECONDS

    # -- placing calls ---------------------------------------------------------------------

    def create_call(
        self,
        account: Account,
        new: NewCall,
        *,
        life: Callable[[SimCall], Generator[Step, Any, None]] | None = None,
    ) -> SimCall:
        """Accept an outbound-API call: it waits ``queued`` for its slot at the account's CPS.

        ``life`` replaces what the call does once it leaves the queue (a participant)."""
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
            phone_number_sid=placing_number_sid(account, new.from_),
            queue_time_ms=(slot - now) // 1000,
            from_location=self.phone(new.from_).location,
            to_location=self.phone(new.to).location,
            application_sid=new.application_sid,
        )
        call = self._add(record, self.phone(new.to), life or self._outbound_life, options=new)
        assert call.process is not None
        call.process.start_at(slot)
        if new.twiml_ignored:
            warn_twiml_ignored(self, call, new.url)
        return call

    def create_participant(
        self, account: Account, new: NewCall, room: SimConference, seating: Seating
    ) -> SimCall:
        """Accept a Participants create: a paced outbound call that joins ``room`` when
        answered (``participants.py``)."""

        def life(call: SimCall) -> Generator[Step, Any, None]:
            body = participant_life(self, call, room, seating)
            yield from redirectable(self, call, body)

        call = self.create_call(account, new, life=life)
        self.conferences.reserve(room, call, seating)
        return call

    def incoming_call(
        self,
        account: Account,
        from_: str,
        to: str,
        params: Mapping[str, str] | None = None,
    ) -> SimCall:
        """A caller at ``from_`` dials the account's number ``to``; it rings at once.

        A number configured with a ``VoiceApplicationSid`` runs that TwiML App's voice
        URLs and status callback instead of its own. ``params`` are added to the call's
        first voice request (and its fallback), as Twilio adds its Add-ons' results; that
        request carries the call's ``CallToken`` too (``model/call_token.py``). A
        ``ForwardedFrom`` or ``CallerName`` among ``params`` is the call's
        ``forwarded_from`` or ``caller_name`` in the REST API too, and a ``ForwardedFrom``
        comes with its legacy duplicate ``CalledVia`` (``with_called_via``). With caller ID lookup
        on (``VoiceCallerIdLookup``), the caller's name is added (``with_caller_name``).
        """
        owned, application = answering_number(account, to)
        voice = application or owned
        params = with_caller_name(with_called_via(params), self.phone(from_), voice)
        call = ring_inbound(
            self,
            account_sid=account.sid,
            to=to,
            from_=from_,
            voice=voice,
            life=life_with_params(self, params or {}, call_token=True),
            phone_number_sid=owned.sid,
            from_location=self.phone(from_).location,
            to_location=self.phone(to).location,
            application_sid=application.sid if application is not None else None,
        )
        if params:  # the Call resource reports what the carrier said of the call
            call.record.forwarded_from = params.get("ForwardedFrom") or None
            call.record.caller_name = params.get("CallerName") or None
        return call

    def _add(
        self,
        record: Call,
        phone: Phone,
        life: Callable[[SimCall], Generator[Step, Any, None]],
        *,
        options: NewCall | None = None,
    ) -> SimCall:
        self.store.add_call(record)
        call = SimCall(record, phone, self, options=options)
        self.calls[record.sid] = call
        self.calls_created += 1
        call.process = Process(self.scheduler, self.guarded(call, life(call)), self.listener(call))
        return call

    def find_application(self, account_sid: str, sid: str) -> Application | None:
        """The account's TwiML App ``sid`` (``<Dial><Application>``), or None."""
        account = self.store.accounts.get(account_sid)
        return account.applications.get(sid) if account is not None else None

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
        return place_leg(
            self,
            attempt,
            target,
            caller_id=caller_id,
            timeout=timeout,
            time_limit=time_limit,
            status_callback=status_callback,
        )

    # -- lifecycles ------------------------------------------------------------------------

    def guarded(self, call: SimCall, body: Generator[Step, Any, Any]) -> Generator[Step, Any, None]:
        """Run a leg's life; however it ends, put the call in a final status and report it."""
        try:
            yield from body
        except Interrupt as interrupted:
            cut: Interrupt | None = interrupted
        except GeneratorExit:  # closed where it waits (a REST cancel ends it itself)
            raise
        except BaseException as escaped:  # out of the app (KeyboardInterrupt, pytest.fail)
            abandon(self, call, escaped)
            raise
        else:
            cut = None
        # outside the except clause, as what ending a call sets off may reach the app
        # (process.Interrupt says why)
        timed_out = cut is not None and cut.reason == "time-limit"
        if timed_out and trial.ended_by_trial_limit(self.store, call.record):
            self.fail(
                call,
                13805,
                "Trial account call duration exceeded 10 minute limit: twimlsim ended the "
                f"call after {trial.TRIAL_TIME_LIMIT} s, as Twilio ends trial calls",
                url=call.document_url,
                level="warning",  # as Twilio's dictionary logs 13805
            )
        try:  # its end may call the app (a stream's stream-stopped callback)
            if cut is not None:
                self.mark_ended(call, cut_short_status(call), by=cut.reason)
            else:
                self.mark_ended(call, CallStatus.COMPLETED, by="twiml")
        except BaseException as escaped:  # out of the app (KeyboardInterrupt, pytest.fail)
            finish_later(self, call, escaped, ending=True)
            raise
        self.finish(call)

    def _outbound_life(self, call: SimCall) -> Generator[Step, Any, None]:
        record = call.record
        record.start_time = self.clock.now
        answered, step = yield from self.ring(call)
        if not answered:
            return
        machine = step.value if step is not None and step.action == "machine" else None
        self.answer(call)
        voice_params: dict[str, str] | RedirectTarget | None = None
        options = call.options  # every created call's: only some wait before their Url
        if options is not None and (options.send_digits or options.machine_detection):
            # a REST update may redirect the call while it sends its SendDigits or its
            # synchronous machine detection listens: the new TwiML runs in place of its Url
            voice_params = yield from until_redirected(self._on_answer_options(call, machine))
        # redirectable: a REST update may replace the running TwiML (engine/control.py)
        if isinstance(voice_params, RedirectTarget):
            body = run_target(self, call, voice_params)
        else:
            body = self.interpreter.run_call(call, params=voice_params)
        yield from redirectable(self, call, body)

    def ring(self, call: SimCall) -> Generator[Step, Any, tuple[bool, ScriptStep | None]]:
        """Dial the far end: ``initiated`` and ``ringing`` callbacks, then its answer script.

        Returns whether it answered, and the script step that said how (None: an
        unscripted number answers at once). An unanswered call is put in its final status.
        """
        record = call.record
        self.send_progress(call, "initiated")
        if _canceled_meanwhile(call):  # by the app, from its initiated callback
            return False, None
        if record.to[:4].lower() == "sip:" and _sip_edge_refused(self, call):
            return False, None
        step = call.phone.take_answer()
        if step is not None and step.action == "fails":
            self.mark_ended(call, CallStatus.FAILED, by="network")
            return False, step
        if record.status is not CallStatus.RINGING:
            record.move_to(CallStatus.RINGING, self.clock.now)
        self.send_progress(call, "ringing")
        if _canceled_meanwhile(call):  # by the app, from its ringing callback
            return False, step
        if step is not None and step.action == "busy":
            self.mark_ended(call, CallStatus.BUSY, by="callee")
            return False, step
        if step is None:
            app = number_app(self.store, record.to)
            if app is not None:  # one of the simulation's numbers: its app answers
                return (yield from self._links().ring_app(call, app)), None
        if step is not None:
            rings_out = step.action == "no_answer" or step.seconds >= record.timeout
            yield Sleep(float(record.timeout) if rings_out else step.seconds)
            if rings_out:
                self.mark_ended(call, CallStatus.NO_ANSWER, by="callee")
                return False, step
        return True, step

    def _on_answer_options(
        self, call: SimCall, machine: str | None
    ) -> Generator[Step, Any, dict[str, str] | None]:
        """SendDigits and machine detection; the voice request's parameters with AMD."""
        options = call.options
        if options is None:
            return None
        if options.send_digits:
            self.send_digits(call, options.send_digits)
            yield Sleep(dtmf_seconds(options.send_digits))
            return None
        if options.machine_detection is None:
            return None
        answered_by = detected_as(machine or "human", options.machine_detection)
        if options.async_amd:
            report_later(
                self,
                call,
                answered_by,
                options.async_amd_status_callback,
                options.async_amd_status_callback_method,
            )
            return None
        return (yield from detect_now(call, answered_by))

    def send_digits(self, call: SimCall, digits: str, *, noted: bool = True) -> None:
        """``call`` plays ``digits`` to its far end: kept in its transcript (unless
        ``noted`` is False: a ``<Play digits>`` notes its own); when the far end is one of
        the simulation's numbers' apps, or the call that reached this one's, that call
        hears them as keys."""
        if noted:
            call.transcript.append(DigitsSent(self.clock.now, digits))
        if self._app_links is not None:
            self._app_links.digits_sent(call, digits)

    def _inbound_life(self, call: SimCall) -> Generator[Step, Any, None]:
        """The life of a call ringing in on one of the simulation's numbers: its first
        voice request carries its ``CallToken``, as every inbound call's does."""
        yield from life_with_params(self, {}, call_token=True)(call)

    # -- answer and end --------------------------------------------------------------------

    def answer(self, call: SimCall, *, answered_by: str | None = None) -> None:
        """The call is answered now: status, timers, ``answered`` callback, call recording."""
        if call.ended:
            # Canceled by the app from inside the webhook that was to answer it (an inbound
            # call's first voice request): it is over, unanswered.
            raise Interrupt("api")
        record = call.record
        now = self.clock.now
        record.move_to(CallStatus.IN_PROGRESS, now)
        record.answered_at = now
        call.transcript.append(Answered(now, answered_by))
        if self._app_links is not None:
            self._app_links.answered(call)
        self._arm_timers(call)
        self.send_progress(call, "answered")
        options = call.options
        if options is not None and options.record:
            self._call_recordings[call.sid] = start_call_recording(self, call, options)

    def _arm_timers(self, call: SimCall) -> None:
        hangup = call.phone.take_hangup_timer()
        if hangup is not None:
            call.hangup_scripted = True
            self._after(call, hangup.seconds, lambda: self._cut(call, "caller"))
        call.record.time_limit = trial.time_limit(self.store, call.record)
        limit = self._after(call, call.record.time_limit, lambda: self._cut(call, "time-limit"))
        call.time_limit_timer = limit  # a REST update may move it (control.set_time_limit)

    def _after(self, call: SimCall, seconds: float, action: Callable[[], None]) -> Timer:
        due = self.clock.micros + to_micros(seconds)  # a hang-up after 1e308 s: never
        timer = self.scheduler.call_at(due, action)
        call.timers.append(timer)
        return timer

    def _cut(self, call: SimCall, reason: str) -> None:
        if call.process is not None and not call.ended:
            if reason == "time-limit" and call.record.time_limit == DEFAULT_TIME_LIMIT:
                # Diagnosed now, while the call is still as the limit found it.
                run = running_verb(call)
                self.fail(
                    call,
                    32015,
                    f"the call reached the default time limit of {DEFAULT_TIME_LIMIT} s of "
                    f"virtual time and twimlsim ended it: {why_still_running(call)}",
                    url=call.document_url if run is None else run.served.url,
                    element=None if run is None else run.verb.tag,
                    line=None if run is None else run.verb.line,
                    level="warning",
                )
            call.process.interrupt(Interrupt(reason))

    def completed_extras(self, call: SimCall) -> dict[str, str]:
        """The whole-call recording (``Record=true``), or a bridged leg's ``<Dial record>``
        recording, on the terminal status callback."""
        return completed_recording_params(self, call, self._call_recordings.get(call.sid))

    # -- driving ---------------------------------------------------------------------------

    def run_call(self, call: SimCall) -> None:
        """Run the scheduler until ``call`` waits on the test or has ended. A held call (in
        a queue, a room not started) first lets what is due at this instant run: another
        call's run may have just taken it from the queue or started its room."""
        __tracebackhide__ = True  # pytest shows the test's frames, not twimlsim's
        self.before_running()
        self.give_input_scripted_since()
        scheduler = self.scheduler
        while not call.ended:
            waiting = call.waiting_for
            if waiting is not None and (
                waiting is not call.held or scheduler.next_due() != self.clock.micros
            ):
                break
            if not scheduler.run_next():
                break
        self.after_running()

    def only_ended_calls_with(self, number: str) -> bool:
        """Whether calls from or to ``number`` were made and every one has ended."""
        calls = [c for c in self.calls.values() if number in (c.record.from_, c.record.to)]
        return bool(calls) and all(call.ended for call in calls)


def _nothing() -> None:
    pass


def _canceled_meanwhile(call: SimCall) -> bool:
    """Whether the app canceled ``call`` from a webhook it just answered (its initiated or
    ringing callback): a function, so that the type checker does not assume the status
    unchanged since it was last read."""
    return call.record.status is CallStatus.CANCELED


def _sip_edge_refused(engine: Engine, call: SimCall) -> bool:
    """Fail a call created to a registered SIP endpoint at one of its domain's edges
    (``sip:alice@office.sip.ashburn.twilio.com``), as Twilio's 32220 page says ("Attempting
    to place a call to username@yourdomain.sip.ashburn.twilio.com"), or to a SIP Domain
    with no username (``sip:office.sip.twilio.com``: its 32223, "Attempting to place a call
    from Twilio back to your own Twilio SIP domain"); False for any other SIP URI."""
    from twimlsim.model.sip_domain import dial_refusal

    refusal = dial_refusal(call.record.to, "twimlsim failed the call at once (CallStatus=failed)")
    if refusal is None:
        return False
    engine.fail(call, *refusal)
    engine.mark_ended(call, CallStatus.FAILED, by="network")
    return True

"""The far end and its input: the scripted far end of each number, scripted steps given at
each wait, and what a test gives by hand (``call.press``, ``call.say``, ``call.hangup``,
``call.stream_audio``...), mixed into ``Engine``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, cast

from twimlsim.errors import ConfigurationError
from twimlsim.model.call import CallStatus
from twimlsim.model.sip_domain import endpoint_of_uri, without_uri_parameters

from .caller import Phone
from .control import HANGUP, claim_wait, close_connect_stream, deliver_now, give_stream_audio
from .given_input import describe_input, not_waiting, refuse_unheard
from .payments import capture_waits_for_keys, keys_in_room
from .process import Listen

if TYPE_CHECKING:
    from twimlsim.clock import Scheduler, Timer, VirtualClock

    from .caller import FarEndInput, ScriptStep
    from .engine import Engine
    from .services import Services
    from .session import SimCall
    from .waits_on_test import WaitsOnTest

__all__ = ["FarEndInputs"]


class FarEndInputs:
    """The far end of each number and giving a call its input (mixed into ``Engine``)."""

    clock: VirtualClock
    phones: dict[str, Phone]
    scheduler: Scheduler
    waits_on_test: WaitsOnTest
    after_running: Callable[[], None]

    if TYPE_CHECKING:  # the engine's own

        def _after(self, call: SimCall, seconds: float, action: Callable[[], None]) -> Timer: ...

        def _cut(self, call: SimCall, reason: str) -> None: ...

    def phone(self, number: str) -> Phone:
        """The scripted far end for ``number`` (created on first use). A Voice SDK
        destination's custom parameters (``client:alice?ticket=42``, as Calls and
        Participants create take them) are for the device, and a SIP URI's headers
        (``sip:bob@pbx.test?X-Ticket=9``) for the INVITE, as are its URI parameters
        (``sip:bob@pbx.test;transport=tls``, ``;region=ie1``): their far ends are
        ``sim.phone("client:alice")`` and ``sim.phone("sip:bob@pbx.test")``. A SIP URI's
        host is read without case, and a SIP Domain's localized host as its global one
        (``model/sip_domain.endpoint_of_uri``)."""
        if "?" in number and number.startswith(("client:", "sip:")):
            number = number.partition("?")[0]
        if number.startswith(("sip:", "sips:")):
            if ";" in number:
                number = without_uri_parameters(number)
            number = endpoint_of_uri(number)
        phone = self.phones.get(number)
        if phone is None:
            phone = self.phones[number] = Phone(number)
        return phone

    def unused_steps(self) -> Iterator[tuple[str, str]]:
        """``(number, step)`` for every scripted step no call reached."""
        for phone in self.phones.values():
            for step in phone.unused():
                yield phone.number, step.describe()

    def close_stream(self, call: SimCall, handoff_data: str | None = None) -> None:
        """The app's WebSocket server ends the call's ``<Connect>`` now."""
        close_connect_stream(cast("Engine", self), call, handoff_data)

    def stream_audio(self, call: SimCall, payload: bytes) -> None:
        """The caller's audio goes to the app's open stream sockets of ``call`` now."""
        give_stream_audio(cast("Engine", self), call, payload)

    def listener(self, call: SimCall) -> Callable[[Listen], None]:
        """What runs when ``call`` starts waiting: give scripted input, or wait on the test."""

        def on_listen(listen: Listen) -> None:
            waiting = listen.waiting
            process = call.process
            if waiting is None or process is None:
                return
            if not waiting.input:  # a wait on the app (<Connect><Stream>), not the far end
                call.waiting_step = process.step_number
                return
            phone = call.phone
            if waiting.prompting:
                upcoming = phone.next_input()
                if upcoming is None or not upcoming.barge_in:
                    return
            step = phone.take_input()
            if step is None:
                if not waiting.prompting:
                    call.waiting_step = process.step_number
                    self.waits_on_test.add(call)
                return
            self._give_step(call, step)

        return on_listen

    def _give_step(self, call: SimCall, step: ScriptStep) -> None:
        """Give the far end's scripted input ``step`` to the wait ``call`` is in."""
        if step.action != "hangs_up_at_wait":
            self._deliver_now(call, step.as_input())
        if step.action == "hangs_up_at_wait" or step.hangs_up:
            # Armed before the input is delivered: at the same instant, the hang-up
            # comes first (the far end hangs up as it stops talking).
            self._after(call, step.seconds, lambda: self._cut(call, "caller"))

    def _deliver_now(self, call: SimCall, given: FarEndInput) -> None:
        assert call.process is not None
        deliver_now(self.scheduler, call.process, given)

    def give_input_scripted_since(self) -> None:
        """Give the calls waiting on the test the input scripted for them since."""
        self.waits_on_test.give_scripted(self._give_step)

    def give_input(self, call: SimCall, given: FarEndInput) -> None:
        """A test plays the far end: hand ``given`` to the call's current wait."""
        process = call.process
        listening = process.listening if process is not None else None
        unheard = listening is None or listening.waiting is None  # a bridge, a <Pause>...
        if unheard and given.kind == "digits" and capture_waits_for_keys(call):
            keys_in_room(cast("Services", self), call, given.digits)  # a payment's entry
            return
        if listening is None or listening.waiting is None:
            self.after_running()  # a failure that ended the call is the real cause
            raise not_waiting(call)
        described = describe_input(given)
        refuse_unheard(call, listening.waiting, given, described)
        claim_wait(call, listening.waiting, described)
        call.waiting_step = None
        self._deliver_now(call, given)

    def hang_up_far_end(self, call: SimCall) -> None:
        """The far end hangs up now (a test driving the call by hand)."""
        if call.ended:
            raise ConfigurationError(
                f"call.hangup(): call {call.sid} has already ended ({call.status}), so there "
                "is nothing to hang up; its last transcript event says who ended it"
            )
        if call.record.status is CallStatus.QUEUED:
            raise ConfigurationError(
                f"call {call.sid} is still queued: its far end has not been called yet, so it "
                "cannot hang up; run the call until it rings (call.run()), or cancel it "
                "through the REST API (Status=canceled)"
            )
        call.waiting_step = None
        if call.process is not None:  # input given after it would come too late: refused
            call.given = (call.process.step_number, HANGUP)
        self.scheduler.call_at(self.clock.micros, lambda: self._cut(call, "caller"))

"""What happened in a simulation, as a test reads it: calls, conferences, queues, every
webhook and REST request, the problems Twilio's debugger would log, and the strict check.

``Inspection`` is a part of ``Simulator`` (``twimlsim.simulator``); its properties and
methods are the simulator's (``sim.calls``, ``sim.failures``, ``sim.check()``...).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from twimlsim.engine.calls_by_sid import unplaced_calls
from twimlsim.engine.unused_steps import describe_unused, why_unreached
from twimlsim.errors import ConfigurationError, NetworkEscapeError, SimulationError

if TYPE_CHECKING:
    from twimlsim.clock import VirtualClock
    from twimlsim.engine.conferences import SimConference
    from twimlsim.engine.engine import Engine
    from twimlsim.engine.session import SimCall
    from twimlsim.engine.webhooks import WebhookRequest
    from twimlsim.errors import CallFailure
    from twimlsim.model.api_log import ApiRequest
    from twimlsim.model.queue import Queue
    from twimlsim.model.store import Account
    from twimlsim.rest import RestApi

__all__ = ["Inspection"]


#: The code of the fake API's 501 for what it does not simulate (Twilio's 20500 body).
_UNSIMULATED = 20500


class Inspection:
    """The reading side of ``Simulator``, and its strict check."""

    # the simulator's options (``Simulator.__init__``) and world (``Simulator._build``)
    strict: bool
    allow_codes: frozenset[int]
    _escapes: list[NetworkEscapeError]
    _escapes_reported: int
    _reported: int
    _unsimulated_reported: int
    _account: Account
    clock: VirtualClock
    engine: Engine
    rest: RestApi
    _started: bool

    def __repr__(self) -> str:
        # what an interactive session (a notebook, a debugger) wants to see of it
        try:
            engine, clock, account = self.engine, self.clock, self._account
        except AttributeError:  # a debugger, or --showlocals, shows one its __init__ refused
            return f"<{type(self).__name__} not made: its __init__ raised or is under way>"
        stopped = "stopped" if engine.stopped else "not started"
        state = "running" if getattr(self, "_started", False) else stopped
        calls, problems = len(engine.calls), len(engine.failures)
        return (
            f"<{type(self).__name__} {state} at {clock.now}: "
            f"{calls} call{'' if calls == 1 else 's'}, "
            f"{problems} problem{'' if problems == 1 else 's'}, account {account.sid}>"
        )

    @property
    def calls(self) -> Mapping[str, SimCall]:
        """Every call by SID, in the order they were created; iterating it (or its
        ``values()``...) reads a snapshot, safe while another thread places calls."""
        return self.engine.calls

    @property
    def queues(self) -> Mapping[str, Queue]:
        """The account's call queues by name (``.sid``, ``.members``: call SIDs, oldest
        first): a snapshot of the names, safe to iterate while calls run in another thread."""
        return self._account.queues.copy()

    @property
    def conferences(self) -> Mapping[str, SimConference]:
        """Every conference room by SID; ``sim.conferences["Support"]`` is the newest room
        of that name (``.sid``, ``.status``, ``.participants``, ``.requests``...)."""
        return self.engine.conferences

    @property
    def requests(self) -> list[WebhookRequest]:
        """Every webhook request of every call, in the order the app received them."""
        return self.engine.requests

    @property
    def api_requests(self) -> list[ApiRequest]:
        """Every request the app made to the fake REST API (creates, fetches, updates...),
        in order, with the API's answer."""
        return self.rest.requests

    @property
    def failures(self) -> list[CallFailure]:
        """Every problem Twilio's debugger would have logged, strict or not."""
        return self.engine.failures

    def check(self) -> None:
        """Strict mode: fail on requests to Twilio that were blocked (in case the code under
        test swallowed the error), unreported call problems and script steps never reached."""
        __tracebackhide__ = True  # pytest shows the test's frames, not twimlsim's
        if not self.strict:
            return
        end = len(self._escapes)  # before the slice: one blocked meanwhile is kept for later
        escapes = self._escapes[self._escapes_reported : end]
        if escapes:
            self._escapes_reported = end
            count = f" ({len(escapes)} attempts)" if len(escapes) > 1 else ""
            raise NetworkEscapeError(f"{escapes[0]}{count}") from escapes[0]
        self._raise_unsimulated()
        self._raise_new_failures()
        unused = describe_unused(self.engine.unused_steps())
        if unused is not None:
            calls = self.engine.calls
            why = why_unreached(self.engine.phones.values(), calls.values(), unplaced_calls(calls))
            raise ConfigurationError(
                unused
                + (f"; {why}" if why is not None else "")
                + (
                    "; no call has run yet: call sim.run() (or call.run()) before asserting"
                    if self._no_call_has_run()
                    else ". Remove them, or pass strict=False to allow unused steps."
                )
            )

    def _raise_unsimulated(self) -> None:
        """Requests answered 501 (an API or resource twimlsim does not simulate) fail a
        strict test, in case the code under test swallowed the error: the app got an
        answer Twilio would not give, so the test cannot show what it does on Twilio."""
        __tracebackhide__ = True  # pytest shows the test's frames, not twimlsim's
        requests = self.rest.requests
        start, self._unsimulated_reported = self._unsimulated_reported, len(requests)
        if _UNSIMULATED in self.allow_codes:
            return
        end = self._unsimulated_reported  # one answered meanwhile is looked at next time
        unanswered = [request for request in requests[start:end] if request.status == 501]
        if not unanswered:
            return
        from twimlsim.rest.app import STUB_ADVICE

        first = unanswered[0]
        count = f" ({len(unanswered)} such requests)" if len(unanswered) > 1 else ""
        raise ConfigurationError(
            f"the app's request {first.method} {first.url} got twimlsim's 501{count}: "
            "twimlsim does not simulate it, so the app got an answer Twilio would not give "
            "and the test cannot show what it does on Twilio (sim.api_requests has the "
            f"answer); {STUB_ADVICE}, or allow it with allow_codes=[{_UNSIMULATED}]"
        )

    def _no_call_has_run(self) -> bool:
        """Calls were made but none ever ran: all still queued or ringing, and virtual time
        never moved (a test that forgot ``sim.run()``)."""
        calls = self.engine.calls.values()
        return (
            self.clock.micros == 0
            and bool(calls)
            and all(call.status in {"queued", "ringing"} for call in calls)
        )

    def _take_new_failures(self) -> list[CallFailure]:
        """The failures recorded since the last were taken. Counted before they are read:
        one another thread's run records meanwhile is taken next time, not skipped."""
        failures = self.engine.failures
        end = len(failures)
        new, self._reported = failures[self._reported : end], end
        return new

    def _raise_new_failures(self) -> None:
        __tracebackhide__ = True  # pytest shows the test's frames, not twimlsim's
        if not self.strict:
            return
        new = [
            failure
            for failure in self._take_new_failures()
            if failure.code is None or failure.code not in self.allow_codes
        ]
        if not new:
            return
        cause = next((failure.cause for failure in new if failure.cause is not None), None)
        raise SimulationError(new) from cause

"""Sending webhooks about a call: signed, logged, redirects followed, outcomes checked.

Status-like callbacks (call progress, recording status, transcription, partial results,
answering-machine results) never change a call's flow: their answers are only checked, and
a non-2xx answer is logged as Twilio's debugger would (15003 for call progress).
"""

from __future__ import annotations

import logging
import random
import re
import threading
from typing import TYPE_CHECKING

from twimlsim.errors import CallFailure
from twimlsim.model.call import CallStatus, Direction

from .call_params import billed_minutes, call_params
from .dates import rfc2822
from .diagnosis import explain_result
from .fetch import FetchResult, fetch
from .held_answers import HeldAnswer, due_meanwhile
from .urls import redact
from .webhooks import (
    Transport,
    WebhookRequest,
    hop_signer,
)

if TYPE_CHECKING:
    from twimlsim.clock import Scheduler, VirtualClock
    from twimlsim.model.sids import SidFactory
    from twimlsim.model.store import AccountStore

    from .session import SimCall

__all__ = ["CALLBACK_KINDS", "Delivery", "SIP_RESPONSE_CODES"]

#: Final SIP response code Twilio reports in ``SipResponseCode`` for each way a call ends:
#: 200, 486 and 487 as captured (reference §II.1.5), 404 for a failed call as documented.
#: A ``<Reject>``ed inbound call reports the code of its status (``busy`` 486,
#: ``no-answer`` 487; fidelity choice: no capture of a rejected call's code was found).
#: An inbound call that completed reports none: the captured ``completed`` callbacks of
#: inbound calls (2021, 2023) have no ``SipResponseCode``, those of outbound calls do.
SIP_RESPONSE_CODES: dict[CallStatus, str] = {
    CallStatus.COMPLETED: "200",
    CallStatus.BUSY: "486",
    CallStatus.NO_ANSWER: "487",
    CallStatus.CANCELED: "487",
    CallStatus.FAILED: "404",
}

#: The request kinds that are status callbacks, not TwiML webhooks: their cookies are the
#: call's ``callback_cookies`` (Twilio's TwiML changelog, 2024.03.11).
CALLBACK_KINDS = frozenset(
    {
        "status",
        "recording-status",
        "transcription",
        "amd",
        "partial-result",
        "stream",
        "siprec",
        "realtime-transcription",
    }
)

#: What follows a failed webhook whose answer cannot change the call (as on Twilio).
_WENT_ON = "twimlsim went on, as Twilio does: this webhook's answer cannot change the call"

#: Where a callback's answer that Twilio ignores, but the app meant as TwiML, is told.
_log = logging.getLogger("twimlsim.engine")

#: The first verb of a TwiML answer: ``<Response ...><Hangup/>`` gives ``Hangup``.
_FIRST_VERB = re.compile(rb"<Response(?:\s[^>]*)?>\s*<([A-Za-z]\w*)")

#: The status-callback event names and the ``CallStatus`` each one sends.
_EVENT_STATUS = {"initiated": "initiated", "ringing": "ringing", "answered": "in-progress"}


class Delivery:
    """The engine's webhook side (mixed into ``Engine``)."""

    clock: VirtualClock
    scheduler: Scheduler
    store: AccountStore
    sids: SidFactory
    transport: Transport
    #: The URLs of the webhooks the app is answering now, outermost first (the app's code
    #: runs inside them: it may call the REST API, but not move virtual time).
    answering: list[str]
    #: The thread that waits for the outermost of them (it runs the simulation meanwhile).
    answering_thread: int | None
    requests: list[WebhookRequest]
    failures: list[CallFailure]
    #: The ``id`` of the last exception that escaped the app's answer to a webhook, with
    #: that webhook's kind and URL (``abandoned.py`` names them; what escapes is never an
    #: ``Exception``, but ``KeyboardInterrupt``, ``pytest.fail``...). Not the exception
    #: itself: its traceback holds this engine's frames, a cycle.
    escaped: tuple[int, str, str] | None
    _tokens: random.Random | None
    #: The last webhook whose answer did not come within the read timeout, while a
    #: webhook sent within that timeout may still be one Twilio would have sent meanwhile.
    held: HeldAnswer | None = None

    def request(
        self, call: SimCall, url: str, method: str, params: dict[str, str], *, kind: str
    ) -> FetchResult:
        """Send one webhook about ``call`` (following redirects) and log every hop."""
        account = self.store.accounts[call.record.account_sid]
        tokens = self._tokens
        if tokens is None:
            # a stream seeded by the simulator's seed: the same tokens run after run
            tokens = self._tokens = random.Random(self.sids.hex("idempotency"))

        issued: dict[str, str] = {}

        def idempotency_hex(hop_url: str) -> str:
            # a request sent again to the same URL (a retry, credentials after a 401) is
            # the same webhook: it keeps its token, as the header exists to detect retries
            token = issued.get(hop_url)
            if token is None:
                token = issued[hop_url] = f"{tokens.getrandbits(128):032x}"
            return token

        build = hop_signer(
            params=params,
            auth_token=account.auth_token,
            kind=kind,
            call_sid=call.sid,
            at=self.clock.now,
            idempotency_hex=idempotency_hex,
        )
        jar = call.callback_cookies if kind in CALLBACK_KINDS else call.cookies
        answering = self.answering
        if not answering:
            self.answering_thread = threading.get_ident()
            # one that escaped before and was not taken up (a transcription's callback, sent
            # after the call's end) would be taken for this one if the app raised the
            # same exception object again
            self.escaped = None
        answering.append(url)
        held = self.held
        if held is not None:
            self._due_while_held(held, call, url, kind)
        result = FetchResult(requests=[])
        try:
            fetch(self.transport, build, url, method, jar, result=result)
        except BaseException as escaped:  # the app's KeyboardInterrupt, pytest.fail...
            # noted by the innermost webhook only: the outer ones it passes through next
            # did not raise it
            if self.escaped is None or self.escaped[0] != id(escaped):
                self.escaped = (id(escaped), kind, url)
            raise
        finally:
            answering.pop()
            call.requests.extend(result.requests)  # the app received them, whatever escaped
            self.requests.extend(result.requests)
        error = result.error
        if error is not None and error.read_timeout is not None:
            final = result.final_url or url
            self.held = HeldAnswer(call, redact(final), self.clock.micros)
        return result

    def _due_while_held(self, held: HeldAnswer, call: SimCall, url: str, kind: str) -> None:
        """Warn when this webhook fell due while Twilio would still have waited for the
        ``held`` answer (``held_answers``); forget the held answer once its time is over."""
        now = self.clock.micros
        if now > held.ends_at():
            self.held = None
            return
        note = due_meanwhile(held, call, redact(url), kind, now)
        if note is not None:
            self.held = None
            self.fail(held.call, 11200, note, url=held.url, level="warning")

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
        """Send a webhook whose answer cannot change the call; log a bad answer.

        One due while the app answers another webhook (it changed a call through the REST
        API from there) is sent once the event under way is over, at this same instant:
        webhooks never nest in webhooks without end."""
        if self.answering:
            self.scheduler.call_at(
                self.clock.micros,
                lambda: self.notify(
                    call, url, method, params, kind=kind, warning_code=warning_code
                ),
            )
            return
        result = self.request(call, url, method, params, kind=kind)
        if result.error is not None:
            error = result.error
            self.fail(
                call,
                error.code,
                f"{error.message}; {_WENT_ON}",
                url=result.final_url,
                cause=error.__cause__,
            )
        elif result.response is not None and not 200 <= result.response.status < 300:
            response = result.response
            fix = "Fix the error it raised, then answer" if response.app_error else "Answer"
            self.fail(
                call,
                warning_code,
                f"the {kind} webhook answered HTTP {response.status}; "
                + explain_result(result, self.transport, self.store)
                + f"; {_WENT_ON}. {fix} 204, or 200 with an empty <Response/>",
                url=result.final_url,
                cause=response.app_error,
                level="warning" if warning_code == 15003 else "error",
            )
        elif kind == "amd" and result.response is not None:
            _warn_of_ignored_verbs(call, result.response.body, url)

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
            answered_inbound = (
                record.direction is Direction.INBOUND and record.status is CallStatus.COMPLETED
            )
            if not answered_inbound:
                params["SipResponseCode"] = SIP_RESPONSE_CODES[record.status]
            if record.answered_by is not None:
                params["AnsweredBy"] = record.answered_by
            params.update(self.completed_extras(call))
        call.sequence_number += 1
        self.notify(call, config.url, config.method, params, kind="status")

    def completed_extras(self, call: SimCall) -> dict[str, str]:
        """Extra parameters of the terminal status callback (the call's recording)."""
        return {}

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
        """Record a problem Twilio's debugger would log for this call (never a password)."""
        if url is not None:
            url = redact(url)
        message = redact(message)
        self.failures.append(CallFailure(call.sid, code, message, url, element, line, cause, level))


def _warn_of_ignored_verbs(call: SimCall, body: bytes, url: str) -> None:
    """Log a warning when an asynchronous AMD callback answered TwiML with a verb: Twilio
    runs no TwiML from a callback, so an app that hangs up on a machine or redirects a
    human from there does nothing on Twilio either (an outbound dialler sample's machines
    were never hung up). Not a failure: Twilio logs nothing, and the call goes on as there."""
    found = _FIRST_VERB.search(body, 0, 4096)
    if found is None:
        return
    _log.warning(
        "call %s: the asynchronous AMD callback %s answered TwiML (<%s>), which Twilio does "
        "not run: a callback's answer never changes the call, whose own TwiML goes on; to "
        "act on AnsweredBy, update the call from the callback (calls(sid).update(twiml=...) "
        "or url=...)",
        call.sid,
        redact(url),
        found.group(1).decode(),
    )

"""The status callbacks of a media stream and a SIPREC session: ``stream-started`` and
``stream-stopped``, ``siprec-started`` and ``siprec-stopped``, with the same parameters
named after the resource (``StreamSid`` or ``SiprecSid``, and so on)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from .call_params import call_params
from .dates import rfc2822

if TYPE_CHECKING:
    from datetime import datetime

    from .services import Services
    from .session import SimCall

__all__ = ["ReportedFork", "report_fork", "stop_and_report"]

#: The forks whose status callbacks carry the call's standard request parameters.
_STANDARD_PARAMS = frozenset({"Siprec"})


class ReportedFork(Protocol):
    """A fork of a live call that reports its start and stop to its own status callback."""

    @property
    def sid(self) -> str: ...

    @property
    def account_sid(self) -> str: ...

    @property
    def call_sid(self) -> str: ...

    @property
    def name(self) -> str | None: ...

    @property
    def status_callback(self) -> str | None: ...

    @property
    def status_callback_method(self) -> str: ...

    @property
    def stopped_at(self) -> datetime | None: ...

    def stop(self, now: datetime) -> None: ...


def report_fork(
    engine: Services, call: SimCall, fork: ReportedFork, resource: str, event: str
) -> None:
    """Send ``event`` of ``fork`` to its status callback (when it has one): ``AccountSid``,
    ``CallSid``, ``{resource}Sid``, ``{resource}Name`` (when it has one),
    ``{resource}Event`` and ``Timestamp``; ``resource`` is ``Stream`` or ``Siprec``, and
    lower-cased the webhook's kind. A SIPREC session's callbacks start from the standard
    TwiML request parameters of the call, as Twilio's ``<Siprec>`` page says ("the
    standard TwiML request parameters and the following parameters")."""
    url = fork.status_callback
    if url is None:
        return
    if resource in _STANDARD_PARAMS:
        params = call_params(call.record, call.record.status.value)
    else:
        params = {"AccountSid": fork.account_sid, "CallSid": fork.call_sid}
    params[f"{resource}Sid"] = fork.sid
    if fork.name is not None:
        params[f"{resource}Name"] = fork.name
    params[f"{resource}Event"] = event
    params["Timestamp"] = rfc2822(engine.clock.now)
    engine.notify(call, url, fork.status_callback_method, params, kind=resource.lower())


def stop_and_report(engine: Services, call: SimCall, fork: ReportedFork, resource: str) -> None:
    """Stop ``fork`` now and report ``{resource}-stopped`` (once: a stopped fork stays as
    it is)."""
    if fork.stopped_at is None:
        fork.stop(engine.clock.now)
        report_fork(engine, call, fork, resource, f"{resource.lower()}-stopped")

"""A live call's SIPREC sessions (``<Start><Siprec>``, the REST Siprec subresource):
started, found by SID or name, stopped, reported.

A session with a ``statusCallback`` reports ``siprec-started`` and ``siprec-stopped`` there
with the call's standard TwiML request parameters and ``SiprecSid``, ``SiprecName`` (when
it has one), ``SiprecEvent`` and ``Timestamp`` (RFC 2822, as on call status callbacks),
as Twilio's ``<Siprec>`` page lists them. No session fails, so ``siprec-error`` and its
``SiprecError`` and ``SiprecErrorCode`` are never sent.

Other choices where Twilio documents nothing: any ``connectorName`` is taken (Twilio's
account has connectors installed; the simulation has none to check against); a name may be
reused (stopping by name stops the newest session in progress of that name);
``<Stop><Siprec>`` without a name stops every session of the call, one naming none stops
nothing; the call's end stops them all, reported before the call's own ``completed``
callback.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from twimlsim.model.siprec import SiprecSession

from .fork_events import report_fork, stop_and_report
from .named import find_by_sid_or_name
from .started_at_once import past_the_bound

if TYPE_CHECKING:
    from .services import Services
    from .session import SimCall

__all__ = ["find_siprec", "start_siprec", "stop_siprec", "stop_siprecs"]


def start_siprec(
    engine: Services,
    call: SimCall,
    *,
    name: str | None,
    connector_name: str | None,
    track: str,
    parameters: tuple[tuple[str, str], ...],
    status_callback: str | None = None,
    status_callback_method: str = "POST",
) -> SiprecSession:
    """Start a SIPREC session of ``call`` now, keep it on the call and report it started."""
    now = engine.clock.now
    session = SiprecSession(
        engine.sids.new("SR"),
        call.record.account_sid,
        call.sid,
        name,
        connector_name,
        track,
        parameters,
        now,
        now,
        status_callback=status_callback,
        status_callback_method=status_callback_method,
    )
    if call.siprecs is None:
        call.siprecs = []
    call.siprecs.append(session)
    if past_the_bound(engine, call, call.siprecs, "SIPREC sessions", "no siprec-started callback"):
        session.status_callback = None  # nor its siprec-stopped
        return session
    report_fork(engine, call, session, "Siprec", "siprec-started")
    return session


def find_siprec(call: SimCall, sid_or_name: str) -> SiprecSession | None:
    """The session of ``call`` with this SID, else the newest one in progress with this
    name (else the newest with it), else None."""
    return find_by_sid_or_name(call.siprecs or [], sid_or_name)


def stop_siprec(engine: Services, call: SimCall, session: SiprecSession) -> None:
    """Stop ``session`` now and report it (once: a stopped one stays as it is)."""
    stop_and_report(engine, call, session, "Siprec")


def stop_siprecs(engine: Services, call: SimCall, name: str | None = None) -> None:
    """Stop the sessions of ``call`` in progress (those named ``name``, or all of them)."""
    for session in call.siprecs or []:
        if name is None or session.name == name:
            stop_siprec(engine, call, session)

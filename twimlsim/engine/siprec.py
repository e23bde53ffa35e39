"""A live call's SIPREC sessions (``<Start><Siprec>``, the REST Siprec subresource):
started, found by SID or name, stopped.

Choices where Twilio documents nothing (its SIPREC page names the attributes and the REST
operations only): a session reports to no status callback (Twilio documents no events for
it; ``statusCallback`` is kept, not requested); any ``connectorName`` is taken (Twilio's
account has connectors installed; the simulation has none to check against); a name may be
reused (stopping by name stops the newest session in progress of that name);
``<Stop><Siprec>`` without a name stops every session of the call, one naming none stops
nothing; the call's end stops them all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from twimlsim.model.siprec import SiprecSession

from .named import find_by_sid_or_name

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
) -> SiprecSession:
    """Start a SIPREC session of ``call`` now and keep it on the call."""
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
    )
    if call.siprecs is None:
        call.siprecs = []
    call.siprecs.append(session)
    return session


def find_siprec(call: SimCall, sid_or_name: str) -> SiprecSession | None:
    """The session of ``call`` with this SID, else the newest one in progress with this
    name (else the newest with it), else None."""
    return find_by_sid_or_name(call.siprecs or [], sid_or_name)


def stop_siprec(engine: Services, call: SimCall, session: SiprecSession) -> None:
    """Stop ``session`` now (a stopped one stays as it is)."""
    session.stop(engine.clock.now)


def stop_siprecs(engine: Services, call: SimCall, name: str | None = None) -> None:
    """Stop the sessions of ``call`` in progress (those named ``name``, or all of them)."""
    for session in call.siprecs or []:
        if name is None or session.name == name:
            stop_siprec(engine, call, session)

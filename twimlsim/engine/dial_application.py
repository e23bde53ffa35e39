"""``<Dial><Application>``: the dialled TwiML App answers at once and its ``VoiceUrl`` runs
on the new leg, which stays bridged to the caller until that TwiML ends (or a side hangs up).

The leg (direction ``outbound-dial``, ``ParentCallSid``) has ``To`` = the application's SID,
or the parent's ``To`` with ``copyParentTo="true"``, and ``From`` = the Dial's
``callerId`` else the parent's ``From`` (Twilio keeps "the original call leg's context").
Its voice request carries the standard parameters with ``CallStatus=in-progress``,
``ApplicationSid``, ``CustomerId`` (``customerId``, default the dialling account's SID, as
Twilio documents) and each ``<Parameter>`` with its name prefixed ``Param_``, as Twilio's
``<Application>`` page says ("each custom parameter's ``name`` is prefixed with
``Param_``": ``Param_AccountNumber=12345``). The ``<Parameter>``s of the ``<Hangup>``
or ``<Reject>`` ending the application's TwiML come back on the Dial's action as
``ReturnParam_<name>`` (``verbs/basic.py``; the prefix is UNCONFIRMED). Fidelity
choices, as Twilio documents neither: the direction is ``outbound-dial``, the noun's
``url``/``method`` are not used (the application's voice URL answers), and an
application the account does not have fails the Dial (``failed``) with a problem naming
its SID. A REST update that redirects the leg takes it out of the Dial to run the new
TwiML, as for any dialled leg (``dialing.py``).
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Any

from twimlsim.twiml import nodes

from .dialing import Target, leave_for
from .process import Listen, Step
from .redirects import Target as RedirectTarget
from .redirects import until_redirected
from .webhooks import call_params

if TYPE_CHECKING:
    from .dialing import DialAttempt
    from .flow import Context
    from .services import Host
    from .session import SimCall

__all__ = ["application_leg_life", "application_target"]


def application_target(ctx: Context, noun: nodes.Application) -> Target | None:
    """The Dial target of an ``<Application>`` noun, or None (reported) when the account
    has no such application."""
    sid = noun.text.strip()
    for child in noun.children:
        if isinstance(child, nodes.ApplicationSid):
            sid = child.text.strip()
    call = ctx.call
    account_sid = call.record.account_sid
    application = ctx.engine.find_application(account_sid, sid)
    if application is None:
        ctx.fail_at(
            noun,
            21218,
            f"<Dial><Application> names {sid or '(no SID)'}, which is not an application of "
            f"account {account_sid}; create it with sim.application(...) or POST "
            "/Applications.json",
        )
        return None
    parameters = tuple(
        (child.name or "", child.value or "")
        for child in noun.children
        if isinstance(child, nodes.Parameter)
    )
    to = call.record.to if noun.copy_parent_to else application.sid
    return Target(
        to,
        noun,
        application.voice_url,
        parameters=parameters,
        application=application,
        customer_id=noun.customer_id or account_sid,
    )


def application_leg_life(
    engine: Host, attempt: DialAttempt, child: SimCall, target: Target
) -> Generator[Step, Any, None]:
    """The dialled application's leg: answer, report bridged, run its voice URL's TwiML."""
    application = target.application
    assert application is not None
    record = child.record
    record.application_sid = application.sid
    record.method = application.voice_method
    record.fallback_url = application.voice_fallback_url
    record.fallback_method = application.voice_fallback_method
    answered, _ = yield from engine.ring(child)
    if not answered:
        return
    engine.answer(child)
    attempt.post("answered", child)
    attempt.post("bridged", child)
    params = call_params(record, record.status.value)
    params["CustomerId"] = target.customer_id or record.account_sid
    params.update((f"Param_{name}", value) for name, value in target.parameters)
    # an application without a voice URL: the leg just stays
    runs = engine.interpreter.run_call
    body = _stays() if record.url is None else runs(child, params=params)
    how = yield from until_redirected(body)
    if isinstance(how, RedirectTarget):  # a REST update redirected the leg: as any leg's
        yield from leave_for(engine, attempt, child, how)


def _stays() -> Generator[Step, Any, str]:
    """The leg of an application without a voice URL: it stays until someone hangs up or
    a REST update redirects it."""
    yield Listen(None)
    return "end"

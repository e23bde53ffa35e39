"""``<Sms>``: Twilio's legacy verb that texts during a call (deprecated in favour of the
Messages API, still documented and run).

From Twilio's ``<Sms>`` page: ``to`` defaults to the caller on an incoming call and to the
called party on an outgoing one; ``from`` to the called party on an incoming call and to
the calling party on an outgoing one, and must be an SMS-capable number of the account
(else no message is sent); unformatted US numbers are accepted. With an ``action`` Twilio
requests it with ``SmsStatus`` (``sending``, or ``invalid`` when an attribute was not
valid) and ``SmsSid``; without one the next verb runs at once.

twimlsim keeps the message with the account's messages (``direction`` ``outbound-call``,
``queued``; never delivered, its ``statusCallback`` never requested, as for ``POST
/Messages.json``), so ``sim.client().messages.list()`` shows it. A message that cannot be
sent is Twilio's warning of that attribute: 14101 (``to`` not a phone number), 14102
(``from`` not one), 14108 (``from`` not a number of the account), 14103 (a body empty or
over 1,600 characters), 14111 (a trial account's explicit ``to`` that is not a verified
caller ID; the caller itself may be texted). Choices where Twilio documents nothing: the
checks run in that order, an ``invalid`` action request carries no ``SmsSid``, and the
verb takes no time.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from twimlsim.engine.flow import Context, Outcome
from twimlsim.engine.process import Step
from twimlsim.engine.webhooks import call_params
from twimlsim.model.call import Direction
from twimlsim.model.messages import MAX_BODY, Message
from twimlsim.model.phone_numbers import is_possible_number, normalize_number
from twimlsim.twiml import nodes

__all__ = ["sms"]


def sms(ctx: Context, verb: nodes.Sms) -> Generator[Step, Any, Outcome]:
    """``<Sms>``: keep the message (or report why it cannot be sent); request the action."""
    record = ctx.call.record
    inbound = record.direction is Direction.INBOUND
    raw_to = (verb.to or "").strip() or (record.from_ if inbound else record.to)
    raw_from = (verb.from_ or "").strip() or (record.to if inbound else record.from_)
    to, from_ = normalize_number(raw_to), normalize_number(raw_from)
    account = ctx.engine.account_of(ctx.call)
    body = verb.text.strip()
    problem: tuple[int, str] | None = None
    if to is None or not is_possible_number(to):
        problem = 14101, f"to {raw_to!r} is not a phone number"
    elif from_ is None:
        problem = 14102, f"from {raw_from!r} is not a phone number"
    elif not (account.any_caller_id or from_ in account.numbers):
        problem = (
            14108,
            f"from {from_} is not an SMS-capable number of the account (give it the number "
            "with sim.number(...); a verified caller ID cannot text)",
        )
    elif not body or len(body) > MAX_BODY:
        problem = 14103, f"the body has {len(body)} characters: give 1 to {MAX_BODY}"
    elif account.trial and verb.to and not account.is_verified(to):
        problem = 14111, f"a trial account texts only its verified caller IDs, and {to} is not one"
    message = None
    if problem is None:
        assert to is not None
        message = Message(
            sid=ctx.engine.sids.new("SM"),
            account_sid=account.sid,
            to=to,
            from_=from_,
            body=body,
            created_at=ctx.engine.clock.now,
            status_callback=ctx.resolve(verb.status_callback) if verb.status_callback else None,
            direction="outbound-call",
        )
        account.messages[message.sid] = message
    else:
        code, why = problem
        ctx.fail_at(verb, code, f"<Sms> sent nothing: {why} (SmsStatus=invalid)", level="warning")
    yield from ()
    if verb.action is None:
        return None
    params = call_params(record, record.status.value)
    if message is not None:
        params["SmsSid"] = message.sid
    params["SmsStatus"] = "sending" if message is not None else "invalid"
    return ctx.goto(ctx.resolve(verb.action), verb.method, params, kind="sms")

"""The User Defined Messages of a live call (Twilio's Voice SDK messaging): ``POST
/Calls/{Sid}/UserDefinedMessages.json`` sends a message to the call's SDK end user, ``POST
/Calls/{Sid}/UserDefinedMessageSubscriptions.json`` subscribes the server to the messages
the SDK sends, ``DELETE .../UserDefinedMessageSubscriptions/{Sid}.json`` ends that. Both
creates answer 201 with the spec's resource; the delete 204.

The messages are kept on the call (``call.user_defined_messages``) for a test to read;
nothing reaches an SDK, and no SDK end user sends messages, so a subscription's
``Callback`` is never requested. Fidelity choices where Twilio documents nothing: the call
must be ``in-progress`` (21220, as for its other live subresources), any leg may be
messaged (not only one with an SDK end); a missing ``Content`` or ``Callback`` is 20001;
``Content`` is taken as sent (Twilio documents it as JSON text and no code for other
text); an invalid ``Callback`` is 21609 and ``Method`` 20422; a repeated
``IdempotencyKey`` on the call answers as the first request did and does nothing again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from werkzeug.wrappers import Response

from twimlsim.model.user_defined_message import (
    UserDefinedMessage,
    UserDefinedMessageSubscription,
)

from .params import Param, apply_params
from .render import found, in_progress, json_response, missing_parameter, no_content, not_found
from .serialize import call_uri, date

if TYPE_CHECKING:
    from twimlsim.engine.session import SimCall

    from .app import Context

__all__ = ["create_message", "create_subscription", "delete_subscription"]

_SUBSCRIPTION_PARAMS: tuple[Param, ...] = (
    Param("Callback", "callback", "callback", 21609),
    Param("Method", "method", "method"),
)


def _live_call(ctx: Context, args: dict[str, str]) -> SimCall:
    record = in_progress(
        ctx.account.calls, args["call_sid"], ctx.request.path, "messaged", "the message"
    )
    return ctx.engine.calls[record.sid]


def _required(ctx: Context, name: str) -> str:
    value = ctx.form.get(name)
    if not value:
        raise missing_parameter(name)
    return value


def _message_json(message: UserDefinedMessage) -> dict[str, object]:
    return {
        "account_sid": message.account_sid,
        "call_sid": message.call_sid,
        "sid": message.sid,
        "date_created": date(message.created_at),
    }


def _subscription_json(subscription: UserDefinedMessageSubscription) -> dict[str, object]:
    call = call_uri(subscription.account_sid, subscription.call_sid).removesuffix(".json")
    return {
        "account_sid": subscription.account_sid,
        "call_sid": subscription.call_sid,
        "sid": subscription.sid,
        "date_created": date(subscription.created_at),
        "uri": f"{call}/UserDefinedMessageSubscriptions/{subscription.sid}.json",
    }


def create_message(ctx: Context, args: dict[str, str]) -> Response:
    """``POST /Calls/{CallSid}/UserDefinedMessages.json``: send ``Content`` to the SDK."""
    call = _live_call(ctx, args)
    content = _required(ctx, "Content")
    key = ctx.form.get("IdempotencyKey") or None
    sent = call.user_defined_messages
    repeated = next((m for m in sent or [] if key and m.idempotency_key == key), None)
    if repeated is not None:
        return json_response(_message_json(repeated), 201)
    message = UserDefinedMessage(
        ctx.store.sids.new("KX"), call.record.account_sid, call.sid, content, ctx.now, key
    )
    if call.user_defined_messages is None:
        call.user_defined_messages = []
    call.user_defined_messages.append(message)
    return json_response(_message_json(message), 201)


def create_subscription(ctx: Context, args: dict[str, str]) -> Response:
    """``POST /Calls/{CallSid}/UserDefinedMessageSubscriptions.json``: subscribe
    ``Callback`` to the SDK end user's messages."""
    call = _live_call(ctx, args)
    _required(ctx, "Callback")
    fields = apply_params(ctx.form, _SUBSCRIPTION_PARAMS)
    key = ctx.form.get("IdempotencyKey") or None
    subscriptions = call.user_defined_message_subscriptions
    repeated = next((s for s in subscriptions or [] if key and s.idempotency_key == key), None)
    if repeated is not None:
        return json_response(_subscription_json(repeated), 201)
    subscription = UserDefinedMessageSubscription(
        ctx.store.sids.new("ZY"),
        call.record.account_sid,
        call.sid,
        str(fields["callback"]),
        str(fields.get("method", "POST")),
        ctx.now,
        key,
    )
    if call.user_defined_message_subscriptions is None:
        call.user_defined_message_subscriptions = []
    call.user_defined_message_subscriptions.append(subscription)
    return json_response(_subscription_json(subscription), 201)


def delete_subscription(ctx: Context, args: dict[str, str]) -> Response:
    """``DELETE /Calls/{CallSid}/UserDefinedMessageSubscriptions/{Sid}.json``."""
    record = found(ctx.account.calls, args["call_sid"], ctx.request.path)
    call = ctx.engine.calls[record.sid]
    for subscription in call.user_defined_message_subscriptions or []:
        if subscription.sid == args["sid"] and not subscription.deleted:
            subscription.deleted = True
            return no_content()
    raise not_found(ctx.request.path)

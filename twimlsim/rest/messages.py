"""Messages: create (checked as Twilio checks it, then kept ``queued``: twimlsim simulates
voice, not message delivery), list (``To``, ``From``; newest first) and fetch.

Validation order of ``POST /Messages.json`` (Twilio's own order is unknown; this one
follows the Calls create): ``To`` given (21604), ``From`` or ``MessagingServiceSid`` given
(21603), ``Body`` or ``MediaUrl`` given (21602), ``MessagingServiceSid`` shaped ``MG``
+ 32 hex digits (21705; services are not simulated, so any such SID is taken), ``To`` a
phone number that can exist
(21211), ``From`` a phone number that can exist, a short code or an alphanumeric sender ID
(21212), ``From`` a number the account owns (21606; a verified caller ID cannot send
messages, Twilio's 21601 page says), on a trial account ``To`` a verified caller ID
(21608), ``Body`` at most 1,600 characters (21617), at most 10 ``MediaUrl`` (21623),
each an http(s) URL (21620), ``StatusCallback`` an http(s) URL (21609), then the test
credentials' magic numbers.

WhatsApp (``whatsapp:+1...`` on both sides) is kept as an SMS is: the two addresses must
be of one channel (21910, Twilio's text), the ``From`` number Twilio's Sandbox for
WhatsApp (``whatsapp:+14155238886``, which any account sends from once it has activated
the sandbox) or a number the account owns (63007 otherwise, Twilio's title), and differ
from ``To`` (63031). Choices where Twilio's behaviour is unconfirmed: these are checked when
the message is created (a sandbox recipient who has not joined fails later on Twilio,
63015, which twimlsim, delivering nothing, never reaches), a trial account's verified
numbers are not asked for (the sandbox's opt-in is its gate), and ``num_segments`` is
``1`` (WhatsApp does not split a message). Any other channel (``messenger:``, ``rcs:``)
is not simulated (501).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from werkzeug.wrappers import Response

from twimlsim.engine.call_params import API_VERSION
from twimlsim.errors import TwilioApiError
from twimlsim.model.messages import MAX_BODY, Message, segments
from twimlsim.model.phone_numbers import is_possible_number

from .date_filters import parse_date_filters
from .paging import list_response
from .params import (
    check_status_callback,
    normalize_number,
    number_filter,
    valid_url,
)
from .render import found, json_response, no_content
from .serialize import account_path, date

if TYPE_CHECKING:
    from .app import Context

__all__ = ["create_message", "delete_message", "fetch_message", "list_messages", "message_json"]

#: Twilio's magic numbers for messages sent with test credentials: From, then To.
_MAGIC_FROM = {
    "+15005550001": (21212, "The 'From' number +15005550001 is not a valid phone number"),
    "+15005550007": (
        21606,
        "The From phone number +15005550007 is not a valid, SMS-capable inbound phone "
        "number or short code for your account.",
    ),
    "+15005550008": (
        21611,
        "This 'From' number has exceeded the maximum number of queued messages",
    ),
}
_MAGIC_TO = {
    "+15005550001": (21211, "The 'To' number +15005550001 is not a valid phone number."),
    "+15005550002": (21612, "The 'To' phone number: +15005550002, is not currently reachable."),
    "+15005550003": (
        21408,
        "Permission to send an SMS has not been enabled for the region indicated by the "
        "'To' number: +15005550003.",
    ),
    "+15005550004": (21610, "Attempt to send to unsubscribed recipient"),
    "+15005550009": (21614, "'To' number is not a valid mobile number"),
}
_MAGIC_VALID_FROM = "+15005550006"
#: A Messaging Service SID's shape (Twilio's 21705: "does not match a valid Sid pattern").
_SERVICE_SID = re.compile(r"MG[0-9a-fA-F]{32}")
#: The most ``MediaUrl`` values a message takes (Twilio's 21623 page).
MAX_MEDIA = 10
#: The WhatsApp channel's address prefix.
WHATSAPP = "whatsapp:"
#: Twilio's Sandbox for WhatsApp number, the ``From`` of every account's sandbox.
WHATSAPP_SANDBOX = "+14155238886"


def message_json(message: Message) -> dict[str, object]:
    """The Message resource (keys as Twilio's create example orders them)."""
    path = f"{account_path(message.account_sid)}/Messages/{message.sid}"
    return {
        "account_sid": message.account_sid,
        "api_version": API_VERSION,
        "body": message.body,
        "date_created": date(message.created_at),
        "date_sent": date(message.created_at),
        "date_updated": date(message.created_at),
        "direction": message.direction,
        "error_code": None,
        "error_message": None,
        "from": message.from_,
        "messaging_service_sid": message.messaging_service_sid,
        "num_media": str(message.num_media),
        "num_segments": "1" if message.to.startswith(WHATSAPP) else str(segments(message.body)),
        "price": None,
        "price_unit": None,
        "sid": message.sid,
        "status": message.status,
        "subresource_uris": {"media": f"{path}/Media.json"},
        "to": message.to,
        "uri": f"{path}.json",
    }


def _channel(address: str) -> str:
    """The address's channel prefix (``whatsapp:``, or ``""`` for a phone number); any
    other channel is a 501."""
    if address[: len(WHATSAPP)].lower() == WHATSAPP:
        return WHATSAPP
    if ":" in address:
        raise TwilioApiError(
            501,
            20500,
            f"{address} is a {address.split(':', 1)[0]} address: twimlsim simulates SMS "
            "and WhatsApp messages between phone numbers only",
        )
    return ""


def _same_channel(raw_to: str, raw_from: str | None) -> str:
    """The channel of ``To``, which ``From`` must share (21910)."""
    channel = _channel(raw_to)
    if raw_from is not None and _channel(raw_from) != channel:
        raise TwilioApiError(
            400,
            21910,
            "Invalid 'From' and 'To' pair. 'From' and 'To' should be of the same channel: "
            f"To {raw_to} and From {raw_from}; write both as whatsapp:+E.164 for WhatsApp, "
            "or both as phone numbers for SMS",
        )
    return channel


def _whatsapp_from(ctx: Context, raw_from: str, number: str | None, to: str) -> str:
    """The WhatsApp ``From``: the sandbox's number or one the account owns (63007), not
    the ``To`` (63031)."""
    if number is None or not (number == WHATSAPP_SANDBOX or number in ctx.account.numbers):
        raise TwilioApiError(
            400,
            63007,
            "Twilio could not find a Channel with the specified 'From' address: "
            f"{raw_from}. Send from the Sandbox for WhatsApp (whatsapp:{WHATSAPP_SANDBOX}) "
            "or from whatsapp: and a number the account owns (sim.number(...))",
        )
    from_ = WHATSAPP + number
    if from_ == to:
        raise TwilioApiError(
            400, 63031, f"Channels message cannot have same 'From' and 'To': {from_}"
        )
    return from_


#: An alphanumeric sender ID (Twilio: at most 11 of ``[A-Za-z0-9 ]``, a letter among them)
#: and a short code (3 to 8 digits: 5 or 6 in the US, 3 to 8 elsewhere; a choice).
_ALPHANUMERIC_SENDER = re.compile(r"(?=[A-Za-z0-9 ]*[A-Za-z])[A-Za-z0-9 ]{1,11}")
_SHORT_CODE = re.compile(r"[0-9]{3,8}")


def _sender(raw_from: str) -> str:
    """``From`` as a phone number in E.164, a short code or an alphanumeric sender ID, or
    21212 (Twilio's words): a number that cannot exist, a national number, a sender ID too
    long. Checked before ownership, so an account allowed any ``From`` (``pytest
    --twimlsim``'s) is refused such a text too."""
    number = normalize_number(raw_from)
    if number is not None and is_possible_number(number):
        return number
    if number is None and (
        _SHORT_CODE.fullmatch(raw_from) or _ALPHANUMERIC_SENDER.fullmatch(raw_from)
    ):
        return raw_from
    raise TwilioApiError(
        400,
        21212,
        f"The 'From' number {raw_from} is not a valid phone number, shortcode, or "
        "alphanumeric sender ID.",
    )


def create_message(ctx: Context, args: dict[str, str]) -> Response:
    """``POST /Messages.json``: check and keep the message; 201 with it ``queued``.

    With test credentials nothing is kept; Twilio's magic numbers answer: From
    +15005550006 is the one that sends, +15005550001 is 21212, +15005550007 21606,
    +15005550008 21611 and any other From 21606; To +15005550001 is 21211, +15005550002
    21612, +15005550003 21408, +15005550004 21610, +15005550009 21614.
    """
    form = ctx.form
    raw_to = form.get("To") or None
    raw_from = form.get("From") or None
    service = form.get("MessagingServiceSid") or None
    body = form.get("Body") or ""
    media = [url for url in form.getlist("MediaUrl") if url]
    if raw_to is None:
        raise TwilioApiError(400, 21604, "A 'To' phone number is required.")
    if raw_from is None and service is None:
        raise TwilioApiError(400, 21603, "A 'From' phone number is required.")
    if not body and not media:
        raise TwilioApiError(400, 21602, "Message body is required.")
    if service is not None and not _SERVICE_SID.fullmatch(service):
        raise TwilioApiError(
            400,
            21705,
            f"The Messaging Service is invalid: MessagingServiceSid {service} is not MG "
            "followed by 32 hexadecimal digits",
        )
    channel = _same_channel(raw_to, raw_from)
    to = normalize_number(raw_to[len(channel) :])
    if to is None or not is_possible_number(to):
        raise TwilioApiError(400, 21211, f"The 'To' number {raw_to} is not a valid phone number.")
    to = channel + to
    from_ = None
    if raw_from is not None and channel:
        from_ = _whatsapp_from(ctx, raw_from, normalize_number(raw_from[len(channel) :]), to)
    elif raw_from is not None:
        from_ = _sender(raw_from)
        if not ctx.test_credentials and not (
            ctx.account.any_caller_id or from_ in ctx.account.numbers
        ):
            raise TwilioApiError(
                400,
                21606,
                f"The From phone number {raw_from} is not a valid, SMS-capable inbound phone "
                "number or short code for your account. Give the account the number with "
                "sim.number(...); a verified caller ID cannot send messages.",
            )
    trial = ctx.account.trial and not ctx.test_credentials and not channel
    if trial and not ctx.account.is_verified(to):
        raise TwilioApiError(
            400,
            21608,
            f"The number {to} is unverified. Trial accounts cannot send messages to "
            f"unverified numbers; verify {to} at twilio.com/user/account/phone-numbers/"
            "verified, or purchase a Twilio number to send messages to unverified numbers.",
        )
    if len(body) > MAX_BODY:
        raise TwilioApiError(
            400, 21617, "The concatenated message body exceeds the 1600 character limit."
        )
    _check_media(media)
    status_callback = form.get("StatusCallback") or None
    if status_callback is not None:
        check_status_callback(status_callback)
    if ctx.test_credentials:
        _magic(from_, to)
    message = Message(
        sid=ctx.store.sids.new("SM"),
        account_sid=ctx.account.sid,
        to=to,
        from_=from_,
        body=body,
        created_at=ctx.now,
        messaging_service_sid=service,
        num_media=len(media),
        status_callback=status_callback,
    )
    if not ctx.test_credentials:
        ctx.account.messages[message.sid] = message
    return json_response(message_json(message), 201)


def _check_media(media: list[str]) -> None:
    """At most 10 ``MediaUrl``s, each an absolute http(s) URL (Twilio's 21623 and 21620;
    the wording after each code's title is twimlsim's)."""
    if len(media) > MAX_MEDIA:
        raise TwilioApiError(
            400,
            21623,
            f"Number of media files exceeds allowed limit: {len(media)} MediaUrl values were "
            f"given; a message takes at most {MAX_MEDIA}",
        )
    for url in media:
        if not valid_url(url):
            raise TwilioApiError(
                400,
                21620,
                f"Invalid media URL(s): MediaUrl {url} is not an absolute http(s) URL",
            )


def _magic(from_: str | None, to: str) -> None:
    if from_ is not None and from_ != _MAGIC_VALID_FROM:
        code, text = _MAGIC_FROM.get(
            from_,
            (
                21606,
                f"The From phone number {from_} is not a valid, SMS-capable inbound phone "
                "number or short code for your account.",
            ),
        )
        raise TwilioApiError(400, code, text)
    if to in _MAGIC_TO:
        code, text = _MAGIC_TO[to]
        raise TwilioApiError(400, code, text)


def list_messages(ctx: Context, args: dict[str, str]) -> Response:
    """``GET /Messages.json`` (filters ``To``, ``From``, ``DateSent`` with ``<`` and
    ``>``), newest first. A message's ``date_sent`` is its creation (it is never sent)."""
    query = ctx.request.args
    dates = parse_date_filters(query, (("start_time", "DateSent"),))
    to = query.get("To") or None
    from_ = query.get("From") or None
    to = number_filter(to)
    from_ = number_filter(from_)
    messages = [
        message
        for message in reversed(ctx.account.messages.values())
        if (to is None or message.to == to)
        and (from_ is None or message.from_ == from_)
        and all(date_filter.matches(message.created_at) for date_filter in dates)
    ]
    return list_response(ctx, messages, "Messages.json", key="messages", render=message_json)


def _message(ctx: Context, args: dict[str, str]) -> Message:
    return found(ctx.account.messages, args["sid"], ctx.request.path)


def fetch_message(ctx: Context, args: dict[str, str]) -> Response:
    """``GET /Messages/{Sid}.json``."""
    return json_response(message_json(_message(ctx, args)), 200)


def delete_message(ctx: Context, args: dict[str, str]) -> Response:
    """``DELETE /Messages/{Sid}.json``: forget the message (204)."""
    del ctx.account.messages[_message(ctx, args).sid]
    return no_content()

"""IncomingPhoneNumbers (the numbers given to ``sim.number`` or bought through the API):
create (buy), list, fetch, update, delete; and OutgoingCallerIds (the verified caller IDs of
``sim.verified_caller_id``): list, fetch, update, delete."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from werkzeug.wrappers import Response

from twimlsim.engine.call_params import API_VERSION
from twimlsim.errors import TwilioApiError
from twimlsim.model.credentials import OutgoingCallerId
from twimlsim.model.number_inventory import for_sale, number_kind
from twimlsim.model.phone_numbers import is_possible_number
from twimlsim.model.store import Account, PhoneNumber

from .applications import check_not_foreign
from .available_numbers import check_area_code, is_owned, owned_anywhere
from .paging import list_response
from .params import (
    INVALID_PARAMETER,
    Param,
    apply_params,
    normalize_number,
    number_filter,
    sent_empty,
)
from .render import found, json_response, missing_parameter, no_content, not_found
from .serialize import account_path, date, format_number

if TYPE_CHECKING:
    from .app import Context

__all__ = [
    "MISSING_NUMBER",
    "caller_id_json",
    "create_number",
    "create_of_kind",
    "delete_caller_id",
    "delete_number",
    "fetch_caller_id",
    "fetch_number",
    "list_caller_ids",
    "list_numbers",
    "list_of_kind",
    "number_json",
    "update_caller_id",
    "update_number",
]

_NUMBER_UPDATE: tuple[Param, ...] = (
    Param("VoiceUrl", "voice_url", "url", 21402),
    Param("VoiceMethod", "voice_method", "method", 21403),
    Param("VoiceFallbackUrl", "voice_fallback_url", "url", 21402),
    Param("VoiceFallbackMethod", "voice_fallback_method", "method", 21403),
    Param("StatusCallback", "status_callback", "callback", 21402),
    Param("StatusCallbackMethod", "status_callback_method", "method", 21403),
    Param("FriendlyName", "friendly_name", "text", high=64),
    Param("VoiceApplicationSid", "voice_application_sid", "text"),
)
#: What a create or update sets beyond the voice URLs: kept and answered back as given
#: (of these, only ``voice_caller_id_lookup`` changes a call: ``engine/inbound.py``).
_SETTINGS: tuple[Param, ...] = (
    Param("SmsUrl", "sms_url", "url", 21402),
    Param("SmsMethod", "sms_method", "method", 21403),
    Param("SmsFallbackUrl", "sms_fallback_url", "url", 21402),
    Param("SmsFallbackMethod", "sms_fallback_method", "method", 21403),
    Param("SmsApplicationSid", "sms_application_sid", "text"),
    Param("VoiceCallerIdLookup", "voice_caller_id_lookup", "bool"),
    Param("VoiceReceiveMode", "voice_receive_mode", "enum", choices=("voice", "fax")),
    Param("EmergencyStatus", "emergency_status", "enum", choices=("Active", "Inactive")),
    Param("EmergencyAddressSid", "emergency_address_sid", "text"),
    Param("TrunkSid", "trunk_sid", "text"),
    Param("IdentitySid", "identity_sid", "text"),
    Param("AddressSid", "address_sid", "text"),
    Param("BundleSid", "bundle_sid", "text"),
)
_FRIENDLY_NAME = (Param("FriendlyName", "friendly_name", "text", high=64),)
#: The SID prefix of each SID-valued setting, as Twilio's spec patterns them.
_SID_PREFIXES = {
    "SmsApplicationSid": "AP",
    "EmergencyAddressSid": "AD",
    "TrunkSid": "TK",
    "IdentitySid": "RI",
    "AddressSid": "AD",
    "BundleSid": "BU",
}
_HEX32 = re.compile(r"[0-9a-fA-F]{32}")
#: What an account adopted from a suite's own credentials takes after the prefix: its
#: settings may hold placeholders (``APxxxx...``), as ``_ADOPTABLE_APPLICATION`` allows.
_PLACEHOLDER32 = re.compile(r"[0-9A-Za-z]{32}")
#: The code of a purchase with neither PhoneNumber nor AreaCode (Twilio's is unknown; its
#: message was seen as "did or area_code is required.").
MISSING_NUMBER = 20001
#: Twilio's magic values for buying numbers with test credentials.
_MAGIC_VALID = "+15005550006"
_MAGIC_INVALID = "+15005550001"
_MAGIC_EMPTY_AREA = "533"
#: Where every owned number comes from (Twilio's ``origin``; ``hosted`` is not simulated).
_ORIGIN = "twilio"
#: A TwiML App SID an adopted account takes unseen: a real one or a placeholder.
_ADOPTABLE_APPLICATION = re.compile(r"AP[0-9A-Za-z]{32}")


def number_json(
    number: PhoneNumber, account_sid: str, created: datetime, *, typed: bool = True
) -> dict[str, object]:
    """The IncomingPhoneNumber resource of an owned number (without ``type`` when not
    ``typed``: the per-type resources, ``IncomingPhoneNumbers/Local``..., have none).

    What is not set is ``""`` or null as Twilio's examples of this resource show it, a 2015
    list of an Australian mobile number and today's fetch, update and list alike:
    ``sms_url``, ``sms_fallback_url``, ``sms_application_sid``, ``status_callback`` and
    ``voice_application_sid`` are ``""``; ``voice_url``, ``voice_fallback_url`` and
    ``trunk_sid`` null.
    """
    at = number.created_at or created
    body: dict[str, object] = {
        "account_sid": account_sid,
        "address_requirements": "none",
        "address_sid": None,
        "api_version": API_VERSION,
        "beta": False,
        "bundle_sid": None,
        "capabilities": {"fax": False, "mms": True, "sms": True, "voice": True},
        "date_created": date(at),
        "date_updated": date(number.updated_at or at),
        "emergency_address_sid": None,
        "emergency_address_status": "unregistered",
        "emergency_status": "Inactive",
        "friendly_name": number.friendly_name or format_number(number.number),
        "identity_sid": None,
        "origin": _ORIGIN,
        "phone_number": number.number,
        "sid": number.sid,
        "sms_application_sid": "",
        "sms_fallback_method": "POST",
        "sms_fallback_url": "",
        "sms_method": "POST",
        "sms_url": "",
        "status": "in-use",
        "status_callback": number.status_callback or "",
        "status_callback_method": number.status_callback_method,
        "trunk_sid": None,
        "type": "local",
        "uri": f"{account_path(account_sid)}/IncomingPhoneNumbers/{number.sid}.json",
        "voice_application_sid": number.voice_application_sid or "",
        "voice_caller_id_lookup": False,
        "voice_fallback_method": number.voice_fallback_method,
        "voice_fallback_url": number.voice_fallback_url,
        "voice_method": number.voice_method,
        "voice_receive_mode": "voice",
        "voice_url": number.voice_url,
        **number.settings,
    }
    if not typed:
        del body["type"]
    return body


def _created(ctx: Context) -> datetime:
    return ctx.account.created_at or ctx.engine.clock.start


def _number(ctx: Context, args: dict[str, str]) -> PhoneNumber:
    for number in ctx.account.numbers.values():
        if number.sid == args["sid"]:
            return number
    raise not_found(ctx.request.path)


#: What a ``PhoneNumber`` list filter may hold beyond digits and ``*``: its formatting.
_NUMBER_FORMATTING = str.maketrans("", "", "+()-. ")


def _number_matcher(raw: str | None) -> Callable[[str], bool] | None:
    """The IncomingPhoneNumbers ``PhoneNumber`` filter: "partial numbers and '*' as a
    wildcard for any digit" (Twilio's list). A whole number (``+15005550007``, or written
    nationally, ``(500) 555-0007``) is that number; otherwise its digits, each ``*`` any
    digit, must appear in the number's digits (``555000``, ``*007``), from its start when
    it starts with ``+`` (``+1500``). Anything else (a ``client:`` name) matches no
    number."""
    if not raw:
        return None
    whole = normalize_number(raw)
    if whole is not None:
        return whole.__eq__
    pattern = raw.translate(_NUMBER_FORMATTING)
    if not pattern or any(char not in "0123456789*" for char in pattern):
        return lambda number: False
    regex = re.compile(re.escape(pattern).replace(r"\*", "[0-9]"))
    if raw.strip().startswith("+"):  # from the country code on
        return lambda number: regex.match(number.lstrip("+")) is not None
    return lambda number: regex.search(number.lstrip("+")) is not None


def list_numbers(ctx: Context, args: dict[str, str]) -> Response:
    """``GET /IncomingPhoneNumbers.json``: filters ``PhoneNumber`` (partial, with ``*``),
    ``FriendlyName``, ``Origin`` (every number is ``twilio``'s; ``hosted`` lists none) and
    ``Beta`` (no number is new to the platform: ``Beta=false`` lists them all)."""
    return _list(ctx, None)


def list_of_kind(ctx: Context, args: dict[str, str]) -> Response:
    """``GET /IncomingPhoneNumbers/{Local,TollFree,Mobile}.json``: the account's numbers of
    that type (``number_kind``), with the filters of the whole list; their JSON has no
    ``type``, as Twilio's per-type resources have none."""
    return _list(ctx, args["kind"])


def _list(ctx: Context, kind: str | None) -> Response:
    query = ctx.request.args
    matches = _number_matcher(query.get("PhoneNumber"))
    name = query.get("FriendlyName") or None
    origin = query.get("Origin") or None
    account_sid, created = ctx.account.sid, _created(ctx)
    numbers = [
        number
        for number in ctx.account.numbers.values()
        if (matches is None or matches(number.number))
        and (name is None or (number.friendly_name or format_number(number.number)) == name)
        and origin in (None, _ORIGIN)
        and (kind is None or number_kind(number.number) == kind)
    ]
    return list_response(
        ctx,
        numbers,
        "IncomingPhoneNumbers.json" if kind is None else f"IncomingPhoneNumbers/{kind}.json",
        key="incoming_phone_numbers",
        render=lambda number: number_json(number, account_sid, created, typed=kind is None),
    )


def fetch_number(ctx: Context, args: dict[str, str]) -> Response:
    """``GET /IncomingPhoneNumbers/{Sid}.json``."""
    return json_response(number_json(_number(ctx, args), ctx.account.sid, _created(ctx)), 200)


def _voice_fields(ctx: Context) -> dict[str, object]:
    """The voice configuration a create or update sets; ``VoiceApplicationSid`` must name
    one of the account's applications (21218; fidelity choice of code).

    An account adopted from a suite's own credentials (``pytest --twimlsim``) takes an
    application SID it has not seen, as it takes any ``From``: the suite's settings name
    the real account's TwiML App, which is opened there without URLs (``AP`` and 32
    letters or digits, placeholders such as ``APxxxx...`` included).
    """
    fields = apply_params(ctx.form, _NUMBER_UPDATE)
    application_sid = fields.get("voice_application_sid")
    if application_sid is not None and application_sid not in ctx.account.applications:
        check_not_foreign(ctx.store, ctx.account, "VoiceApplicationSid", str(application_sid))
        if (
            ctx.account.any_caller_id
            and isinstance(application_sid, str)
            and _ADOPTABLE_APPLICATION.fullmatch(application_sid)
        ):
            ctx.store.adopt_application(ctx.account, application_sid, at=ctx.now)
            return fields
        raise TwilioApiError(
            400,
            21218,
            f"VoiceApplicationSid {application_sid} is not an application of this account; "
            "create it first (POST /Applications.json, or sim.application(...))",
        )
    return fields


def _settings(ctx: Context, fields: dict[str, object]) -> dict[str, object]:
    """The settings a create or update sets, checked; with ``fields`` (its voice
    configuration) made to agree with the spec's rule that setting a ``trunk_sid`` deletes
    the ``voice_application_sid`` and setting a ``voice_application_sid`` the ``trunk_sid``.

    A SID-valued setting (``TrunkSid``, ``AddressSid``...) that is not its prefix and 32
    hex digits, as the spec patterns it, is 400/20422 (UNCONFIRMED: the code is a choice,
    Twilio's is not documented). Both ``TrunkSid`` and ``VoiceApplicationSid`` in one
    request keep the trunk (UNCONFIRMED: the spec says a number with a ``trunk_sid`` ignores
    voice applications). Trunks are not simulated: a number's calls still reach its voice
    URL or application. An account adopted from a suite's own credentials takes
    placeholders after the prefix (``APxxxx...``), as it takes its application SID.
    """
    settings = apply_params(ctx.form, _SETTINGS)
    tail = _PLACEHOLDER32 if ctx.account.any_caller_id else _HEX32
    for wire, prefix in _SID_PREFIXES.items():
        value = ctx.form.get(wire) or None
        if value is not None and not (value.startswith(prefix) and tail.fullmatch(value[2:])):
            raise TwilioApiError(
                400,
                INVALID_PARAMETER,
                f"{wire} is not a valid SID: {value}. Expected {prefix} followed by 32 "
                "hexadecimal digits (34 characters)",
            )
    if settings.get("trunk_sid"):
        fields["voice_application_sid"] = None
    elif fields.get("voice_application_sid"):
        settings["trunk_sid"] = None
    return settings


def create_number(ctx: Context, args: dict[str, str]) -> Response:
    """``POST /IncomingPhoneNumbers.json``: buy a number (``PhoneNumber``, else the first
    number for sale in ``AreaCode``) with its voice configuration; 201 and the new
    IncomingPhoneNumber, which calls can then reach.

    Any number that can exist and that no account of the simulator owns can be bought, not
    only those a search offered (a choice: Twilio's stock is unknown offline); one owned
    already is 21422, one that cannot exist 21421, an area code with nothing for sale 21452.
    With test credentials Twilio's magic values answer and nothing is kept: +15005550006
    (or ``AreaCode=500``) is bought, +15005550001 is 21421, ``AreaCode=533`` is 21452, and
    any other number 21422 (+15005550000 is Twilio's documented one).
    """
    return _buy(ctx, None)


def create_of_kind(ctx: Context, args: dict[str, str]) -> Response:
    """``POST /IncomingPhoneNumbers/{Local,TollFree,Mobile}.json``: buy the number
    ``PhoneNumber`` (required: 20001; ``AreaCode`` is not a parameter here), which must be
    of that type (``number_kind``; another is 21421, a choice: Twilio's code is not
    documented), as ``create_number`` buys; the answer has no ``type``."""
    if not ctx.form.get("PhoneNumber"):
        raise missing_parameter("PhoneNumber")
    return _buy(ctx, args["kind"])


def _buy(ctx: Context, kind: str | None) -> Response:
    form = ctx.form
    raw = form.get("PhoneNumber") or None
    area_code = (form.get("AreaCode") or None) if kind is None else None
    if raw is None and area_code is None:
        raise TwilioApiError(
            400,
            MISSING_NUMBER,
            "PhoneNumber or AreaCode is required: give the number to buy "
            "(PhoneNumber=+14155550100) or an area code to buy one in (AreaCode=415)",
        )
    if raw is not None:
        number = normalize_number(raw)
        if number is None or not is_possible_number(number):
            raise TwilioApiError(
                400,
                21421,
                f"PhoneNumber {raw} is invalid: expected an E.164 number that can exist, "
                "such as +14155550100",
            )
        if kind is not None and number_kind(number) != kind:
            raise TwilioApiError(
                400,
                21421,
                f"PhoneNumber {number} is not a {kind} number (it is {number_kind(number)}): "
                f"buy it with POST /IncomingPhoneNumbers/{number_kind(number)}.json",
            )
    else:
        number = _first_for_sale(ctx, check_area_code(str(area_code)))
    if ctx.test_credentials:
        number = _magic_purchase(number)
    elif is_owned(ctx, number):
        raise TwilioApiError(
            400,
            21422,
            f"PhoneNumber {number} is not available: it is already owned (sim.number or an "
            "earlier purchase); search for one with GET /AvailablePhoneNumbers/US/Local.json",
        )
    fields = _voice_fields(ctx)
    settings = _settings(ctx, fields)
    owned = PhoneNumber(sid=ctx.store.sids.new("PN"), number=number, created_at=ctx.now)
    for field, value in fields.items():
        setattr(owned, field, value)
    owned.settings.update(settings)
    if not ctx.test_credentials:
        ctx.account.numbers[number] = owned
    body = number_json(owned, ctx.account.sid, _created(ctx), typed=kind is None)
    return json_response(body, 201)


def _first_for_sale(ctx: Context, area_code: str) -> str:
    if ctx.test_credentials:
        if area_code == _MAGIC_EMPTY_AREA:
            raise _no_numbers(
                area_code,
                " (Twilio's magic area code with none for test credentials); try AreaCode=500",
            )
        return _MAGIC_VALID
    offered = for_sale("US", "Local", area_code=area_code, taken=owned_anywhere(ctx))
    if not offered:
        raise _no_numbers(
            area_code, ": every number for sale there is owned already; try another AreaCode"
        )
    return offered[0].phone_number


def _no_numbers(area_code: str, why: str) -> TwilioApiError:
    return TwilioApiError(400, 21452, f"No phone numbers found in area code {area_code}{why}")


def _magic_purchase(number: str) -> str:
    """Twilio's magic numbers for buying with test credentials."""
    if number == _MAGIC_VALID:
        return number
    if number == _MAGIC_INVALID:
        raise TwilioApiError(400, 21421, f"PhoneNumber {number} is invalid")
    raise TwilioApiError(
        400,
        21422,
        f"PhoneNumber {number} is not available: with test credentials only the magic "
        f"number {_MAGIC_VALID} can be bought",
    )


def update_number(ctx: Context, args: dict[str, str]) -> Response:
    """``POST /IncomingPhoneNumbers/{Sid}.json``: change the number's voice configuration,
    and keep the settings calls do not use (SMS URLs, ``VoiceReceiveMode``...) to show them.

    ``VoiceApplicationSid`` must name one of the account's applications (21218; fidelity
    choice of code); sent empty it takes the application off the number. A URL or a
    SID-valued setting sent empty (``VoiceUrl=``, ``SmsUrl=``, ``TrunkSid=``...) is taken
    off the number, shown as when never set (UNCONFIRMED: Twilio's answer for a cleared URL
    or SID is not documented).
    """
    number = _number(ctx, args)
    target = _transfer_target(ctx)
    fields = _voice_fields(ctx)
    if sent_empty(ctx.form, "VoiceApplicationSid"):
        fields["voice_application_sid"] = None  # sent empty: the number's own URLs again
    settings = _settings(ctx, fields)  # every check before any change
    for param in _cleared(ctx, _NUMBER_UPDATE):
        fields[param.field] = None
    for param in _cleared(ctx, _SETTINGS):
        number.settings.pop(param.field, None)
    for field, value in fields.items():
        setattr(number, field, value)
    number.settings.update(settings)
    number.updated_at = ctx.now
    owner = ctx.account
    if target is not None:
        del owner.numbers[number.number]
        target.numbers[number.number] = number
        if number.voice_application_sid not in target.applications:
            number.voice_application_sid = None  # another account's application
        if number.settings.get("sms_application_sid") not in target.applications:
            number.settings.pop("sms_application_sid", None)
        owner = target
    return json_response(number_json(number, owner.sid, _created(ctx)), 200)


def _cleared(ctx: Context, table: tuple[Param, ...]) -> list[Param]:
    """The URL and SID-valued parameters of ``table`` the update sent empty: taken off."""
    return [
        param
        for param in table
        if (param.kind in {"url", "callback"} or param.wire in _SID_PREFIXES)
        and sent_empty(ctx.form, param.wire)
    ]


def _transfer_target(ctx: Context) -> Account | None:
    """The account an update's ``AccountSid`` moves the number to, or None (Twilio's
    Exchanging Numbers Between Subaccounts): only with the main account's credentials
    (21474 "API User must be the parent account to transfer phone numbers" otherwise), and
    only between that account and its subaccounts (21473 "AccountSid you are transferring to
    is not related to the originating owner of the phone number"); the HTTP status of both is
    a choice (400). The number keeps its configuration, but for a voice or SMS application
    of the account it leaves (UNCONFIRMED: Twilio says only that it "may need"
    reconfiguring).
    """
    wanted = ctx.form.get("AccountSid") or None
    if wanted is None or wanted == ctx.account.sid:
        return None
    caller = ctx.principal.account if ctx.principal is not None else ctx.account
    if caller.is_subaccount:
        raise TwilioApiError(
            400,
            21474,
            "API User must be the parent account to transfer phone numbers: "
            f"{caller.sid} is a subaccount; send the update with the main account's credentials",
        )
    target = ctx.store.accounts.get(wanted)
    if target is None or caller.sid not in (target.sid, target.owner_sid):
        raise TwilioApiError(
            400,
            21473,
            f"AccountSid you are transferring to is not related to the originating owner of the "
            f"phone number: {wanted} is neither {caller.sid} nor one of its subaccounts",
        )
    return target


def delete_number(ctx: Context, args: dict[str, str]) -> Response:
    """``DELETE /IncomingPhoneNumbers/{Sid}.json``: release the number."""
    number = _number(ctx, args)
    del ctx.account.numbers[number.number]
    return no_content()


def caller_id_json(caller: OutgoingCallerId, created: datetime) -> dict[str, object]:
    """The OutgoingCallerId resource of a verified caller ID."""
    at = caller.created_at or created
    return {
        "account_sid": caller.account_sid,
        "date_created": date(at),
        "date_updated": date(caller.updated_at or at),
        "friendly_name": caller.friendly_name,
        "phone_number": caller.phone_number,
        "sid": caller.sid,
        "uri": f"{account_path(caller.account_sid)}/OutgoingCallerIds/{caller.sid}.json",
    }


def _caller_id(ctx: Context, args: dict[str, str]) -> OutgoingCallerId:
    return found(ctx.account.caller_ids, args["sid"], ctx.request.path)


def list_caller_ids(ctx: Context, args: dict[str, str]) -> Response:
    """``GET /OutgoingCallerIds.json`` (filters ``PhoneNumber``, ``FriendlyName``)."""
    query = ctx.request.args
    wanted = query.get("PhoneNumber") or None
    wanted = number_filter(wanted)
    name = query.get("FriendlyName") or None
    created = _created(ctx)
    callers = [
        caller
        for caller in ctx.account.caller_ids.values()
        if (wanted is None or caller.phone_number == wanted)
        and (name is None or caller.friendly_name == name)
    ]
    return list_response(
        ctx,
        callers,
        "OutgoingCallerIds.json",
        key="outgoing_caller_ids",
        render=lambda caller: caller_id_json(caller, created),
    )


def fetch_caller_id(ctx: Context, args: dict[str, str]) -> Response:
    """``GET /OutgoingCallerIds/{Sid}.json``."""
    return json_response(caller_id_json(_caller_id(ctx, args), _created(ctx)), 200)


def update_caller_id(ctx: Context, args: dict[str, str]) -> Response:
    """``POST /OutgoingCallerIds/{Sid}.json``: rename it (``FriendlyName``)."""
    caller = _caller_id(ctx, args)
    fields = apply_params(ctx.form, _FRIENDLY_NAME)
    if "friendly_name" in fields:
        caller.friendly_name = str(fields["friendly_name"])
        caller.updated_at = ctx.now
    return json_response(caller_id_json(caller, _created(ctx)), 200)


def delete_caller_id(ctx: Context, args: dict[str, str]) -> Response:
    """``DELETE /OutgoingCallerIds/{Sid}.json``: calls may no longer come from it."""
    caller = _caller_id(ctx, args)
    del ctx.account.caller_ids[caller.sid]
    return no_content()

"""AvailablePhoneNumbers: the numbers for sale in a country (``Local``, ``TollFree``,
``Mobile``), made up by ``model/number_inventory.py``, and the area-code checks that buying
one by ``AreaCode`` shares."""

from __future__ import annotations

from typing import TYPE_CHECKING

from werkzeug.wrappers import Response

from twimlsim.errors import TwilioApiError
from twimlsim.model.number_inventory import (
    AvailableNumber,
    contains_pattern,
    for_sale,
    is_country,
)

from .paging import page_number, page_size
from .params import INVALID_PARAMETER
from .render import json_response, not_found
from .serialize import account_path

if TYPE_CHECKING:
    from .app import Context

__all__ = ["available_json", "check_area_code", "is_owned", "list_available", "owned_anywhere"]

_CAPABILITIES = {"VoiceEnabled": True, "SmsEnabled": True, "MmsEnabled": True, "FaxEnabled": False}


def available_json(number: AvailableNumber) -> dict[str, object]:
    """One AvailablePhoneNumber resource (keys as Twilio orders them)."""
    return {
        "address_requirements": "none",
        "beta": False,
        "capabilities": {"mms": True, "sms": True, "voice": True},
        "friendly_name": number.friendly_name,
        "iso_country": number.iso_country,
        "lata": None,
        "latitude": None,
        "locality": number.locality,
        "longitude": None,
        "phone_number": number.phone_number,
        "postal_code": None,
        "rate_center": None,
        "region": number.region,
    }


def check_area_code(area_code: str) -> str:
    """``area_code`` when it is a North American area code (three digits, the first 2 to 9);
    else Twilio's 21451 (invalid area code)."""
    if len(area_code) == 3 and area_code.isdigit() and area_code.isascii() and area_code[0] > "1":
        return area_code
    raise TwilioApiError(
        400,
        21451,
        f"AreaCode {area_code!r} is not valid: expected a three-digit area code of the US or "
        "Canada (its first digit 2 to 9), such as 415",
    )


def owned_anywhere(ctx: Context) -> set[str]:
    """Every number an account of the simulator owns (none of them is for sale)."""
    return {number for account in ctx.store.accounts.values() for number in account.numbers}


def is_owned(ctx: Context, number: str) -> bool:
    """Whether an account of the simulator owns ``number``."""
    return any(number in account.numbers for account in ctx.store.accounts.values())


def list_available(ctx: Context, args: dict[str, str]) -> Response:
    """``GET /AvailablePhoneNumbers/{CountryCode}/{Local,TollFree,Mobile}.json``.

    Filters ``AreaCode`` (US and Canada), ``Contains`` and the capability flags (every
    number offered has voice, SMS and MMS, no fax). The location filters (``InRegion``,
    ``InPostalCode``, ``NearNumber``...) are not simulated: they filter nothing. The answer
    is one page of at most 30 numbers (fewer with a smaller ``PageSize``), with only
    ``available_phone_numbers`` and ``uri``, as Twilio answers this list (its OpenAPI
    examples). ``Page`` is checked as on every list (``paging.page_number``): an integer
    from 0 to 2,147,483,647, and above 0 only with a ``PageToken``.
    """
    query = ctx.request.args
    country, kind = args["country"], args["kind"]
    area_code = query.get("AreaCode") or None
    if area_code is not None:
        area_code = check_area_code(area_code)
    pattern = None
    if contains := query.get("Contains"):
        pattern = contains_pattern(contains)
        if pattern is None:
            raise TwilioApiError(
                400,
                INVALID_PARAMETER,
                f"Contains {contains!r} is not valid: expected digits, letters and '*' "
                "(any one digit), such as 510555****",
            )
    size = page_size(query)
    page_number(query)  # one page only, but Page is checked as on every list
    if not is_country(country):
        raise not_found(ctx.request.path)
    mismatched = any(
        query.get(name, "").lower() == ("false" if has else "true")
        for name, has in _CAPABILITIES.items()
    )
    offered = (
        []
        if mismatched
        else for_sale(
            country, kind, area_code=area_code, contains=pattern, taken=owned_anywhere(ctx)
        )
    )
    body = {
        "available_phone_numbers": [available_json(number) for number in offered[:size]],
        "uri": f"{account_path(ctx.account.sid)}/AvailablePhoneNumbers/{country}/{kind}.json",
    }
    return json_response(body, 200)

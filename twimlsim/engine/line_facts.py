"""Checking what a test says Lookup reports about a number (``sim.phone(number).line_type(...)``,
``.caller_name(...)``), so that it cannot set what Twilio would never answer.

Refused with a ``ValueError`` saying why: a number Lookup finds invalid (Twilio returns no
data package for it), a ``client:`` or ``sip:`` far end, a type that is not one of Line
Type Intelligence's, a carrier for a type Twilio reports no carrier for (toll-free,
premium, ...), mobile country and network codes that are not 3 and 2-3 digits, and a
caller name for a number outside the US (Twilio's Caller Name covers US numbers only).
"""

from __future__ import annotations

from twimlsim.arguments import check_text, describe
from twimlsim.model.lookup import CALLER_TYPES, LINE_TYPES, NO_CARRIER_TYPES, check_number

__all__ = ["checked_caller_name", "checked_line_type"]


def _valid_number(where: str, number: str) -> str:
    """The ISO country of ``number``, a ``ValueError`` when Lookup finds it invalid."""
    if not number.startswith("+"):
        raise ValueError(
            f"{where}: {number!r} is not a phone number Twilio's Lookup API can look up; "
            "Lookup facts belong to phone numbers such as '+14155550100'"
        )
    checked = check_number(number, None)
    if not checked.valid or checked.country_code is None:
        raise ValueError(
            f"{where}: Twilio's Lookup finds {number} invalid (validation_errors "
            f"{', '.join(checked.errors)}) and returns no data package for it; give a number "
            "of a range assigned in its country, such as '+14155550100'"
        )
    return checked.country_code


def _optional_text(where: str, name: str, value: object, example: str) -> str | None:
    return None if value is None else check_text(where, name, value, example)


def _digits(where: str, name: str, value: str | None, lengths: tuple[int, ...]) -> None:
    if value is not None and not (value.isascii() and value.isdigit() and len(value) in lengths):
        size = " or ".join(str(n) for n in lengths)
        raise ValueError(f"{where}: {name} must be {size} digits such as '310'; got {value!r}")


def checked_line_type(
    where: str,
    number: str,
    line_type: object,
    carrier_name: object,
    mobile_country_code: object,
    mobile_network_code: object,
) -> tuple[str, str | None, str | None, str | None]:
    """The line type, carrier name, mobile country and network codes as given, once
    checked (see the module's docstring)."""
    kind = check_text(where, "line_type", line_type, "'mobile'")
    if kind not in LINE_TYPES:
        raise ValueError(
            f"{where}: line_type must be one of Line Type Intelligence's types "
            f"({', '.join(LINE_TYPES)}); got {describe(kind)}"
        )
    carrier = _optional_text(where, "carrier_name", carrier_name, "'Verizon Wireless'")
    mcc = _optional_text(where, "mobile_country_code", mobile_country_code, "'310'")
    mnc = _optional_text(where, "mobile_network_code", mobile_network_code, "'012'")
    _digits(where, "mobile_country_code", mcc, (3,))
    _digits(where, "mobile_network_code", mnc, (2, 3))
    given = [
        name
        for name, value in (
            ("carrier_name", carrier),
            ("mobile_country_code", mcc),
            ("mobile_network_code", mnc),
        )
        if value is not None
    ]
    if kind in NO_CARRIER_TYPES and given:
        raise ValueError(
            f"{where}: Twilio reports no carrier for a {kind} number ({', '.join(given)} "
            "null); leave them out, or give a type with a carrier (landline, mobile, "
            "fixedVoip, nonFixedVoip)"
        )
    _valid_number(where, number)
    return kind, carrier, mcc, mnc


def checked_caller_name(
    where: str, number: str, name: object, caller_type: object
) -> tuple[str, str | None]:
    """The caller name and type as given, once checked (see the module's docstring)."""
    text = check_text(where, "name", name, "'Jane Doe'")
    if not text.strip():
        raise ValueError(
            f"{where}: the name is empty; give the CNAM name Lookup reports, such as "
            "'Jane Doe' (a number without one is simply not given a caller name)"
        )
    kind = _optional_text(where, "caller_type", caller_type, "'CONSUMER'")
    if kind is not None and kind not in CALLER_TYPES:
        raise ValueError(
            f"{where}: caller_type must be 'BUSINESS', 'CONSUMER' or None; got {describe(kind)}"
        )
    country = _valid_number(where, number)
    if country != "US":
        raise ValueError(
            f"{where}: Twilio's Caller Name covers US numbers only, and {number} is a "
            f"number of {country}; give a US number such as '+14155550100'"
        )
    return text, kind

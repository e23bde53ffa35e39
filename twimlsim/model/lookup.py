"""What Twilio's Lookup API reports about a phone number: its format and validity, and the
facts of its data packages (line type and carrier, caller name) a test sets.

Validity is libphonenumber's (``phonenumbers``): Lookup v2's ``validation_errors`` are
libphonenumber's own reasons (``TOO_SHORT``, ``TOO_LONG``, ``INVALID_COUNTRY_CODE``,
``INVALID_LENGTH``, ``NOT_A_NUMBER``, and ``INVALID_BUT_POSSIBLE`` for a number of a
possible length in an unassigned range), and v1 answers 404 for the same numbers. Unlike
the Calls API (``phone_numbers.is_possible_number``), Lookup checks assigned ranges:
``+15558675310`` (the 555 area code is unassigned) is not valid.

Choices where Twilio's behaviour is UNCONFIRMED (also in the README's Fidelity notes):
a number libphonenumber finds only locally possible (``IS_POSSIBLE_LOCAL_ONLY``) is
``INVALID_LENGTH``; a national number is read in ``CountryCode``'s country, ``US`` when
none is given, and a ``CountryCode`` libphonenumber does not know (``XX``, lower case
``us``) makes it ``INVALID_COUNTRY_CODE``.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "CALLER_TYPES",
    "LINE_TYPES",
    "NO_CARRIER_TYPES",
    "LineFacts",
    "NumberCheck",
    "check_number",
]

#: Line Type Intelligence's ``type`` values, as Twilio's docs list them.
LINE_TYPES = (
    "landline",
    "mobile",
    "fixedVoip",
    "nonFixedVoip",
    "personal",
    "tollFree",
    "premium",
    "sharedCost",
    "uan",
    "voicemail",
    "pager",
    "unknown",
)
#: Types for which Twilio's docs say carrier data is not available (carrier name, mobile
#: country and network codes are null).
NO_CARRIER_TYPES = frozenset(
    {"personal", "tollFree", "premium", "sharedCost", "uan", "voicemail", "pager", "unknown"}
)
#: Caller Name's ``caller_type`` values.
CALLER_TYPES = ("BUSINESS", "CONSUMER")


@dataclass(slots=True)
class LineFacts:
    """What Lookup's data packages report about one number, as a test set them
    (``sim.phone(number).line_type(...)``, ``.caller_name(...)``); None where unset."""

    line_type: str | None = None
    carrier_name: str | None = None
    mobile_country_code: str | None = None
    mobile_network_code: str | None = None
    caller_name: str | None = None
    caller_type: str | None = None


@dataclass(frozen=True, slots=True)
class NumberCheck:
    """A number as Lookup reads it: ``e164``, ``country_code`` (ISO), ``calling_code``,
    ``national`` (its national format) and ``number_type`` (libphonenumber's line type,
    one of ``LINE_TYPES``) when valid; else ``errors`` (Lookup v2's validation errors)."""

    valid: bool
    errors: tuple[str, ...] = ()
    e164: str | None = None
    country_code: str | None = None
    calling_code: str | None = None
    national: str | None = None
    number_type: str = "unknown"


def check_number(text: str, country: str | None) -> NumberCheck:
    """Read ``text`` (E.164, or national in ``country``'s format, ``US`` by default) as
    Lookup does."""
    import phonenumbers  # about 17 ms to import: only a lookup needs it

    try:
        parsed = phonenumbers.parse(text, country if country is not None else "US")
    except phonenumbers.NumberParseException as refused:
        return NumberCheck(False, (_PARSE_ERRORS.get(refused.error_type, "NOT_A_NUMBER"),))
    if not phonenumbers.is_valid_number(parsed):
        reason = phonenumbers.is_possible_number_with_reason(parsed)
        return NumberCheck(False, (_POSSIBILITY_ERRORS.get(reason, "INVALID_BUT_POSSIBLE"),))
    kind = phonenumbers.number_type(parsed)
    return NumberCheck(
        True,
        e164=phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164),
        country_code=phonenumbers.region_code_for_number(parsed),
        calling_code=str(parsed.country_code),
        national=phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL),
        number_type=_NUMBER_TYPES.get(kind, "unknown"),
    )


# libphonenumber's values, by number (its enums are plain ints): kept as literals so that
# importing this module does not import phonenumbers.
_PARSE_ERRORS = {
    0: "INVALID_COUNTRY_CODE",
    1: "NOT_A_NUMBER",
    2: "TOO_SHORT",  # TOO_SHORT_AFTER_IDD
    3: "TOO_SHORT",  # TOO_SHORT_NSN
    4: "TOO_LONG",
}
_POSSIBILITY_ERRORS = {
    0: "INVALID_BUT_POSSIBLE",  # IS_POSSIBLE
    1: "INVALID_COUNTRY_CODE",
    2: "TOO_SHORT",
    3: "TOO_LONG",
    4: "INVALID_LENGTH",  # IS_POSSIBLE_LOCAL_ONLY
    5: "INVALID_LENGTH",
}
#: libphonenumber's ``PhoneNumberType`` to Line Type Intelligence's ``type``; a US or
#: Canadian geographic number (``FIXED_LINE_OR_MOBILE``) does not say which: ``unknown``.
_NUMBER_TYPES = {
    0: "landline",  # FIXED_LINE
    1: "mobile",
    3: "tollFree",
    4: "premium",
    5: "sharedCost",
    6: "nonFixedVoip",  # VOIP
    7: "personal",
    8: "pager",
    9: "uan",
    10: "voicemail",
}

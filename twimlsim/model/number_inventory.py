"""The numbers for sale (Twilio's AvailablePhoneNumbers), made up the same way on every run.

Twilio's stock of numbers cannot be known offline, so twimlsim makes one up per search,
deterministically (choice, in the README's fidelity notes):

- United States and Canada: ``Local`` numbers are ``+1 <area> 555-01NN`` (the 555-0100 to
  555-0199 lines, which North American numbering keeps for fiction, so a test never
  reaches a real subscriber), in the ``AreaCode`` asked for, else the area code of
  libphonenumber's example number for the country; ``TollFree`` numbers are the same lines
  in 800 (or the toll-free ``AreaCode`` asked for); ``Mobile`` has none (Twilio sells no
  mobile numbers there).
- Other countries: libphonenumber's example number of the type (fixed line for ``Local``,
  mobile, toll free) with its last two digits 00 to 99. ``AreaCode`` is for the US and
  Canada only, as on Twilio.

Numbers any account of the simulator owns are not for sale. ``locality`` and ``region``
come from libphonenumber's geocoder (``San Francisco`` and ``CA`` for +1 415); the fields
it cannot tell (postal code, LATA, rate center, coordinates) are null.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Container, Iterator
from dataclasses import dataclass
from itertools import chain

__all__ = [
    "NANP_TOLL_FREE",
    "AvailableNumber",
    "contains_pattern",
    "for_sale",
    "is_country",
    "number_kind",
]

#: North American toll-free area codes.
NANP_TOLL_FREE = frozenset({"800", "833", "844", "855", "866", "877", "888"})
_NANP = frozenset({"US", "CA"})
#: How many numbers one search offers at most (the page a search answers with).
MAX_OFFERED = 30
_KEYPAD = {
    letter: str(digit)
    for digit, letters in {
        2: "ABC",
        3: "DEF",
        4: "GHI",
        5: "JKL",
        6: "MNO",
        7: "PQRS",
        8: "TUV",
        9: "WXYZ",
    }.items()
    for letter in letters
}


@dataclass(frozen=True, slots=True)
class AvailableNumber:
    """One number for sale: its E.164 form, national formatting and place."""

    phone_number: str
    friendly_name: str
    iso_country: str
    locality: str | None
    region: str | None


def contains_pattern(contains: str) -> re.Pattern[str] | None:
    """The regular expression of Twilio's ``Contains`` search (digits, letters for their
    keypad digits, ``*`` for any one digit), matched anywhere in the number's digits;
    None when ``contains`` has another character."""
    parts: list[str] = []
    for char in contains.upper():
        if char.isdigit() and char.isascii():
            parts.append(char)
        elif char in _KEYPAD:
            parts.append(_KEYPAD[char])
        elif char == "*":
            parts.append("[0-9]")
        else:
            return None
    return re.compile("".join(parts))


@functools.lru_cache(maxsize=1024)
def number_kind(number: str) -> str:
    """Which of Twilio's number types an E.164 number is: ``TollFree``, ``Mobile`` or
    ``Local`` (any other kind, as libphonenumber tells them; in the US and Canada a
    toll-free area code is ``TollFree`` and every other number ``Local``, as Twilio sells
    no mobile numbers there)."""
    if number.startswith("+1") and len(number) == 12:
        return "TollFree" if number[2:5] in NANP_TOLL_FREE else "Local"
    import phonenumbers

    try:
        kind = phonenumbers.number_type(phonenumbers.parse(number, None))
    except phonenumbers.NumberParseException:
        return "Local"
    if kind == phonenumbers.PhoneNumberType.TOLL_FREE:
        return "TollFree"
    if kind == phonenumbers.PhoneNumberType.MOBILE:
        return "Mobile"
    return "Local"


def is_country(code: str) -> bool:
    """True when ``code`` is an ISO country code libphonenumber knows (``US``, ``GB``...)."""
    import phonenumbers

    return code.upper() in phonenumbers.SUPPORTED_REGIONS


def for_sale(
    country: str,
    kind: str,
    *,
    area_code: str | None = None,
    contains: re.Pattern[str] | None = None,
    taken: Container[str] = (),
) -> list[AvailableNumber]:
    """The numbers a search offers (at most ``MAX_OFFERED``), in order."""
    offered: list[AvailableNumber] = []
    seen: set[str] = set()
    candidates = list(_candidates(country.upper(), kind, area_code))
    usual = contains is None or any(contains.search(number[1:]) for number in candidates)
    made = () if usual else _made_to_contain(candidates, contains, country.upper(), kind, area_code)
    for number in chain(candidates, made):
        if number in taken or number in seen:
            continue
        if contains is not None and not contains.search(number[1:]):
            continue
        seen.add(number)
        offered.append(_describe(number, country.upper()))
        if len(offered) == MAX_OFFERED:
            break
    return offered


def _made_to_contain(
    candidates: list[str],
    contains: re.Pattern[str] | None,
    country: str,
    kind: str,
    area_code: str | None,
) -> Iterator[str]:
    """Numbers made from ``candidates`` to hold ``contains`` (its digits written over theirs
    at each place it fits, ``*`` keeping theirs), for a search whose pattern none of the
    usual numbers holds: it still finds some, as Twilio's examples expect (``510555****``,
    ``STORM``, ``4420`` in GB), when such numbers can exist in the country and are of the
    kind."""
    if contains is None:
        return
    tokens = re.findall(r"\[0-9\]|[0-9]", contains.pattern)
    for base in candidates:
        digits = base[1:]
        for offset in range(len(digits) - len(tokens) + 1):
            written = list(digits)
            for index, token in enumerate(tokens):
                if token != "[0-9]":
                    written[offset + index] = token
            number = "+" + "".join(written)
            if number != base and _fits(number, country, kind, area_code):
                yield number


def _fits(number: str, country: str, kind: str, area_code: str | None) -> bool:
    """Whether a made-up ``number`` can exist in ``country`` as a number of ``kind`` (in
    the US and Canada: in ``area_code`` when given, area and exchange codes 2-9 first)."""
    from .phone_numbers import is_possible_number

    if country in _NANP:
        if not number.startswith("+1") or len(number) != 12:
            return False
        area, exchange = number[2:5], number[5:8]
        if area[0] in "01" or exchange[0] in "01" or (area_code and area != area_code):
            return False
    return is_possible_number(number) and number_kind(number) == kind


def _candidates(country: str, kind: str, area_code: str | None) -> Iterator[str]:
    if country in _NANP:
        if kind == "Mobile":
            return
        if kind == "TollFree":
            area = area_code if area_code in NANP_TOLL_FREE else "800"
        else:
            area = area_code or _example(country, kind)[2:5]
        for line in range(100, 200):
            yield f"+1{area}555{line:04d}"
        return
    example = _example(country, kind)
    if example:
        for last in range(100):
            yield f"{example[:-2]}{last:02d}"


@functools.lru_cache(maxsize=64)
def _example(country: str, kind: str) -> str:
    """libphonenumber's example number (E.164) of the kind in ``country``, or ''."""
    import phonenumbers

    types = {
        "Local": phonenumbers.PhoneNumberType.FIXED_LINE,
        "Mobile": phonenumbers.PhoneNumberType.MOBILE,
        "TollFree": phonenumbers.PhoneNumberType.TOLL_FREE,
    }
    example = phonenumbers.example_number_for_type(country, types[kind])
    if example is None:
        return ""
    return phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)


@functools.lru_cache(maxsize=1024)
def _describe(number: str, country: str) -> AvailableNumber:
    import phonenumbers
    from phonenumbers import geocoder

    parsed = phonenumbers.parse(number, None)
    place = geocoder.description_for_number(parsed, "en") or None
    locality, region = place, None
    if place is not None and country in _NANP:
        city, _, state = place.rpartition(", ")
        locality, region = (city, state) if city else (None, None)
    # as IncomingPhoneNumbers names them: (415) 555-0100 in North America, else E.164
    national = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    return AvailableNumber(
        phone_number=number,
        friendly_name=national if country in _NANP else number,
        iso_country=country,
        locality=locality,
        region=region,
    )

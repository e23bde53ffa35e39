"""Whether a phone number can exist, per country, with libphonenumber (``phonenumbers``).

Twilio refuses a Calls create whose ``To`` cannot exist (21211, "The phone number you are
attempting to call, +18667786, is not valid.", captured for a ``+1`` number of the wrong
length) and reports a ``<Dial>`` number it cannot call (13224).

Choice: a number counts as valid when libphonenumber finds it *possible* (a known calling
code and a national number of a length that country uses; ``IS_POSSIBLE``, not
``IS_POSSIBLE_LOCAL_ONLY``), not when it is *valid* (an assigned range). Test suites use
fictional numbers (``+15558675310``: the 555 exchange is unassigned) and Twilio's magic
test numbers (``+15005550006``...), which a validity check would refuse; a length check
keeps them working while refusing numbers no network could route (``+18667786``,
``+1584143861603``). Twilio's 13224 page names the 555 exchange as uncallable on real
calls: twimlsim lets it through on purpose.

One rule for a dialled number (``dial_number_problem``), used by the TwiML checks and the
engine alike: text that is not a phone number at all (13223: an optional ``+``, then digits
and ``()-. ``, at most 15 digits) and an E.164 number that cannot exist (13224) are both
numbers no call can reach: the ``<Dial>`` leg fails at once.
"""

from __future__ import annotations

import functools
import re

__all__ = [
    "dial_number_problem",
    "is_phone_number_text",
    "is_possible_number",
    "normalize_number",
    "without_formatting",
]

_PHONE_TEXT = re.compile(r"\+?\(?[0-9][0-9()\-. ]*")
_PHONE_NOISE = re.compile(r"[\s().-]")
#: Most digits an E.164 number has.
MAX_DIGITS = 15


@functools.lru_cache(maxsize=4096)
def is_possible_number(e164: str) -> bool:
    """True when ``e164`` (``+`` and digits) has a known calling code and a length its
    country uses for complete numbers."""
    # imported here: libphonenumber takes about 17 ms to import, which a run that never
    # checks a number (TwiML-only tests, the CLI's help) need not pay
    import phonenumbers

    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return False
    reason = phonenumbers.is_possible_number_with_reason(parsed)
    return bool(reason == phonenumbers.ValidationResult.IS_POSSIBLE)


def without_formatting(text: str) -> str:
    """``text`` without the spaces, brackets, dots and dashes that format a phone number."""
    return _PHONE_NOISE.sub("", text)


def is_phone_number_text(text: str) -> bool:
    """True when ``text`` is written as a phone number: an optional ``+``, then digits and
    ``()-. `` (formatting), at most 15 digits (Twilio's 13223 rule)."""
    return bool(_PHONE_TEXT.fullmatch(text)) and sum(map(str.isdigit, text)) <= MAX_DIGITS


def dial_number_problem(text: str) -> int | None:
    """Why no call can reach the dialled number ``text``: 13223 when it is not written as
    a phone number, 13224 when it is an E.164 number that cannot exist in its country;
    None when it can be dialled (national numbers are not checked further)."""
    text = text.strip()
    if not is_phone_number_text(text):
        return 13223
    number = without_formatting(text)
    if number.startswith("+") and not is_possible_number(number):
        return 13224
    return None


def normalize_number(value: str) -> str | None:
    """A phone number in E.164, or None when ``value`` is not one.

    Punctuation is dropped; ten digits are taken as a NANP number (``+1``), as Twilio
    normalises national numbers of US callers (fidelity choice).
    """
    digits = _PHONE_NOISE.sub("", value)
    plus = digits.startswith("+")
    digits = digits[1:] if plus else digits
    if not digits.isdigit() or not digits.isascii():
        return None
    if plus:
        if not 7 <= len(digits) <= 15 or digits[0] == "0":
            return None
        return value if value == f"+{digits}" else f"+{digits}"  # keep the caller's string
    if len(digits) == 10 and digits[0] not in "01":
        return f"+1{digits}"
    if len(digits) == 11 and digits[0] == "1":
        return f"+{digits}"
    return None

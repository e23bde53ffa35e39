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
"""

from __future__ import annotations

import functools

import phonenumbers

__all__ = ["is_possible_number"]


@functools.lru_cache(maxsize=4096)
def is_possible_number(e164: str) -> bool:
    """True when ``e164`` (``+`` and digits) has a known calling code and a length its
    country uses for complete numbers."""
    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return False
    reason = phonenumbers.is_possible_number_with_reason(parsed)
    return bool(reason == phonenumbers.ValidationResult.IS_POSSIBLE)

"""Whole numbers written as text by an app or a client (REST parameters, TwiML attributes).

Python's ``int()`` refuses a string of more than 4,300 digits with a ``ValueError`` (a
guard against slow conversion), which would surface as a failure of twimlsim itself. No
value twimlsim reads needs more than a few digits, so a longer number is read as a
saturated one, far beyond every range check: ``"9" * 5000`` fails a range as ``"9" * 20``
does, with the error the input deserves.
"""

from __future__ import annotations

__all__ = ["SATURATED", "saturated_int"]

#: What a number of more than ``_MAX_DIGITS`` digits is read as (with its sign).
SATURATED = 10**18
_MAX_DIGITS = 18


def saturated_int(text: str) -> int:
    """The integer ``text`` writes (optional whitespace and sign, then ASCII digits, as
    the caller has checked), or +/-``SATURATED`` when it has more than 18 digits."""
    stripped = text.strip()
    negative = stripped.startswith("-")
    digits = stripped.lstrip("+-").lstrip("0")
    if len(digits) > _MAX_DIGITS:
        return -SATURATED if negative else SATURATED
    return int(stripped)

"""What ``<Pay>`` accepts at each capture step, and how it masks what it captured.

Pure functions, no engine state: the card types of Twilio's ``<Pay>`` page (its
``validCardTypes`` table: length and leading digits of each), the Luhn check, the expiry
date against the virtual clock, the security code's length by card type, the postal code's
length, the ABA routing-number checksum, and the masks Twilio applies.

Choices where Twilio's page is silent or wrong (also in the README's Fidelity notes):

- The page gives Visa's lengths as "13, 15, 19"; every Visa test card Twilio's connectors
  use has 16 digits, so twimlsim takes 13, 16 and 19.
- A number several types match (a ``6011`` card is Discover and Maestro) is the first of
  them in ``validCardTypes``, else the narrowest (Maestro, which takes any ``6`` card,
  comes last). ``optima`` has no
  rule on the page: no number is taken for one. ``enroute`` numbers are not Luhn-checked
  (enRoute numbers carry no Luhn digit).
- The security code is 4 digits for ``amex``, 3 for every other type.
- Without ``minPostalCodeLength`` any non-empty postal code is accepted; one longer than
  10 characters (the longest national codes) is ``invalid-postal-code``, so a card number
  keyed at that step is never reported in the clear.
- A bank account number has 4 to 17 digits (NACHA's longest); a routing number 9 digits
  passing the ABA checksum.
- Masks: the action's ``PaymentCardNumber`` keeps the card's own grouping (``xxxx-xxxx-
  xxxx-1111``; American Express ``xxxx-xxxxxx-x4001`` as the page shows), a status
  callback's is ungrouped (``xxxxxxxxxxxx1111``, as Twilio's callbacks carry it);
  ``SecurityCode`` is ``*`` a digit in the action (the page's ``***``) and ``x`` a digit
  in a status callback (``xxx``, as Twilio's callbacks carry it); ``BankAccountNumber``
  keeps its last two digits (``*******92``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

__all__ = [
    "check_entry",
    "mask_step_entry",
    "CARD_TYPES",
    "MAX_POSTAL_CODE_LENGTH",
    "MIN_CARD_LENGTH",
    "StepCheck",
    "aba_valid",
    "card_type_of",
    "MAX_CHARGE_CENTS",
    "charge_cents",
    "check_account_number",
    "check_card_number",
    "check_expiration_date",
    "check_postal_code",
    "check_routing_number",
    "check_security_code",
    "luhn_valid",
    "mask_account_number",
    "mask_card_number",
    "mask_entry",
    "mask_security_code",
    "security_code_length",
]

#: The card types ``validCardTypes`` takes, in the order of Twilio's ``<Pay>`` page.
CARD_TYPES = (
    "visa",
    "mastercard",
    "amex",
    "maestro",
    "discover",
    "optima",
    "jcb",
    "diners-club",
    "enroute",
)


#: The largest charge amount, in cents (1,000,000.00).
MAX_CHARGE_CENTS = 100_000_000
_AMOUNT = re.compile(r"\s*([0-9]*)(?:\.([0-9]*))?\s*")  # ASCII digits only

#: The fewest digits of a card number (Maestro's 12).
MIN_CARD_LENGTH = 12
#: The longest postal code ``<Pay>`` takes (a US ZIP+4 keyed as digits has 9, the longest
#: national codes 10).
MAX_POSTAL_CODE_LENGTH = 10


def _visa(number: str) -> bool:
    return number.startswith("4") and len(number) in (13, 16, 19)


def _mastercard(number: str) -> bool:
    if len(number) != 16:
        return False
    six = int(number[:6])
    return 510000 <= six <= 559999 or 222100 <= six <= 272099


def _amex(number: str) -> bool:
    return len(number) == 15 and number[:2] in ("34", "37")


def _maestro(number: str) -> bool:
    if not 12 <= len(number) <= 19:
        return False
    return number[0] == "6" or (number[0] == "5" and number[1] in "0678")


def _discover(number: str) -> bool:
    return 16 <= len(number) <= 19 and (number.startswith(("64", "65", "6011")))


def _jcb(number: str) -> bool:
    return 16 <= len(number) <= 19 and 3528 <= int(number[:4]) <= 3589


def _diners(number: str) -> bool:
    if number.startswith("36"):
        return 14 <= len(number) <= 19
    prefixes = ("300", "301", "302", "303", "304", "3095", "38", "39")
    return 16 <= len(number) <= 19 and number.startswith(prefixes)


def _enroute(number: str) -> bool:
    return len(number) == 15 and number[:4] in ("2014", "2149")


#: The rules, the broadest (Maestro: any ``6`` card) last.
_RULES = {
    "visa": _visa,
    "mastercard": _mastercard,
    "amex": _amex,
    "discover": _discover,
    "jcb": _jcb,
    "diners-club": _diners,
    "enroute": _enroute,
    "maestro": _maestro,
}


@dataclass(frozen=True, slots=True)
class StepCheck:
    """What one entry gave: the value kept (None when invalid), the Prompt ``errorType``
    of a bad entry (None when valid), and the card type a card number is."""

    value: str | None
    error: str | None = None
    card_type: str | None = None


def charge_cents(raw: str) -> int | None:
    """A charge amount in cents: digits with at most two decimals, at most 1,000,000;
    None when it is not one."""
    match = _AMOUNT.fullmatch(raw)
    if match is None or not (match.group(1) or match.group(2)):
        return None
    whole, fraction = match.group(1) or "0", match.group(2) or ""
    if len(fraction) > 2:
        return None
    cents = int(whole) * 100 + int(fraction.ljust(2, "0"))
    return cents if cents <= MAX_CHARGE_CENTS else None


def luhn_valid(number: str) -> bool:
    """Whether ``number`` (digits) passes the Luhn check."""
    total = 0
    for index, digit in enumerate(reversed(number)):
        value = int(digit)
        if index % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def card_type_of(number: str, valid: tuple[str, ...]) -> str | None:
    """The card type ``number`` is: of the types it matches, the first in ``valid``, else
    the narrowest; None when it matches none."""
    if len(number) < MIN_CARD_LENGTH:
        return None
    matching = [name for name, rule in _RULES.items() if rule(number)]
    for name in valid:
        if name in matching:
            return name
    return matching[0] if matching else None


def check_card_number(entered: str, valid: tuple[str, ...]) -> StepCheck:
    """A card number: a known type's length and prefix and the Luhn check
    (``invalid-card-number``), then one of ``validCardTypes`` (``invalid-card-type``)."""
    kind = card_type_of(entered, valid)
    if kind is None or (kind != "enroute" and not luhn_valid(entered)):
        return StepCheck(None, "invalid-card-number")
    if kind not in valid:
        return StepCheck(None, "invalid-card-type", kind)
    return StepCheck(entered, None, kind)


def check_expiration_date(entered: str, now: datetime) -> StepCheck:
    """``MMYY``: a month 01-12 of a year 20YY, not before ``now``'s month."""
    if len(entered) != 4 or not 1 <= int(entered[:2]) <= 12:
        return StepCheck(None, "invalid-date")
    month, year = int(entered[:2]), 2000 + int(entered[2:])
    if (year, month) < (now.year, now.month):
        return StepCheck(None, "invalid-date")
    return StepCheck(entered)


def security_code_length(card_type: str | None) -> int:
    """Digits of a security code: 4 for American Express, 3 for any other card."""
    return 4 if card_type == "amex" else 3


def check_security_code(entered: str, card_type: str | None) -> StepCheck:
    """The security code has the card type's length."""
    if len(entered) != security_code_length(card_type):
        return StepCheck(None, "invalid-security-code")
    return StepCheck(entered)


def check_postal_code(entered: str, min_length: int | None) -> StepCheck:
    """At least ``minPostalCodeLength`` characters (at least one without it), at most
    ``MAX_POSTAL_CODE_LENGTH``."""
    if not max(1, min_length or 0) <= len(entered) <= MAX_POSTAL_CODE_LENGTH:
        return StepCheck(None, "invalid-postal-code")
    return StepCheck(entered)


def mask_entry(entered: str) -> str:
    """An entry of a step Twilio reports in the clear (an expiry date, a postal code, a
    routing number), as the transcript keeps it: in the clear, unless it is long enough to
    be a card number keyed at the wrong step (masked as one)."""
    if len(entered) >= MIN_CARD_LENGTH:
        return mask_card_number(entered, None, grouped=False)
    return entered


def aba_valid(number: str) -> bool:
    """Whether a 9-digit routing number passes the ABA checksum (3-7-1 weights)."""
    if len(number) != 9:
        return False
    digits = [int(d) for d in number]
    weights = (3, 7, 1) * 3
    return sum(d * w for d, w in zip(digits, weights, strict=True)) % 10 == 0


def check_routing_number(entered: str) -> StepCheck:
    """A routing number: 9 digits passing the ABA checksum."""
    if not aba_valid(entered):
        return StepCheck(None, "invalid-bank-routing-number")
    return StepCheck(entered)


def check_account_number(entered: str) -> StepCheck:
    """A bank account number: 4 to 17 digits."""
    if not 4 <= len(entered) <= 17:
        return StepCheck(None, "invalid-bank-account-number")
    return StepCheck(entered)


def _groups(number: str, card_type: str | None) -> tuple[int, ...]:
    if card_type in ("amex", "enroute") and len(number) == 15:
        return (4, 6, 5)
    if card_type == "diners-club" and len(number) == 14:
        return (4, 6, 4)
    sizes = [4] * (len(number) // 4)
    rest = len(number) % 4
    if rest == 1 and sizes:
        sizes[-1] += 1  # 13 digits print 4-4-5, not 4-4-4-1
    elif rest:
        sizes.append(rest)
    return tuple(sizes)


def mask_card_number(number: str, card_type: str | None, *, grouped: bool) -> str:
    """``number`` with only its last 4 digits shown, ``x`` for the others; ``grouped``
    splits it as the card prints it (the action's form)."""
    masked = "x" * max(0, len(number) - 4) + number[-4:]
    if not grouped:
        return masked
    parts, start = [], 0
    for size in _groups(number, card_type):
        parts.append(masked[start : start + size])
        start += size
    return "-".join(parts)


def mask_security_code(code: str, *, mark: str) -> str:
    """Every digit of a security code redacted with ``mark``."""
    return mark * len(code)


def mask_account_number(number: str) -> str:
    """A bank account number with only its last 2 digits shown."""
    return "*" * max(0, len(number) - 2) + number[-2:]


def check_entry(
    step: str,
    entered: str,
    *,
    now: datetime,
    valid_card_types: tuple[str, ...],
    card_type: str | None,
    min_postal_code_length: int | None,
) -> StepCheck:
    """Check one entry of a capture step (``payment-card-number``, ``expiration-date``...,
    ``bank-account-number``); an empty one is a timeout. ``<Pay>`` and the REST Payments
    resource check alike."""
    if not entered:
        return StepCheck(None, "timeout")
    if step == "payment-card-number":
        return check_card_number(entered, valid_card_types)
    if step == "expiration-date":
        return check_expiration_date(entered, now)
    if step == "security-code":
        return check_security_code(entered, card_type)
    if step == "postal-code":
        return check_postal_code(entered, min_postal_code_length)
    if step == "bank-routing-number":
        return check_routing_number(entered)
    return check_account_number(entered)


def mask_step_entry(step: str, entered: str) -> str:
    """An entry of a capture step as a transcript event and a status callback show it:
    masked as Twilio masks that step's value."""
    if step == "payment-card-number":
        return mask_card_number(entered, None, grouped=False)
    if step == "security-code":
        return mask_security_code(entered, mark="x")
    if step == "bank-account-number":
        return mask_account_number(entered)
    return mask_entry(entered)

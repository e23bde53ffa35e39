"""The entry rules and masks of <Pay> (``engine/payment_rules.py``), against the card
types table of Twilio's <Pay> page and well-known test numbers."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from twimlsim.engine.payment_rules import (
    CARD_TYPES,
    StepCheck,
    aba_valid,
    card_type_of,
    charge_cents,
    check_account_number,
    check_card_number,
    check_expiration_date,
    check_postal_code,
    check_routing_number,
    check_security_code,
    luhn_valid,
    mask_account_number,
    mask_card_number,
    mask_security_code,
)

DEFAULT = ("visa", "mastercard", "amex")


@pytest.mark.parametrize(
    ("number", "kind"),
    [
        ("4111111111111111", "visa"),
        ("4222222222222", "visa"),  # 13 digits
        ("5555555555554444", "mastercard"),
        ("2223003122003222", "mastercard"),  # the 2-series
        ("378282246310005", "amex"),
        ("371449635398431", "amex"),
        ("6011111111111117", "discover"),  # Maestro takes any 6 card too: the narrower wins
        ("6500000000000002", "discover"),
        ("3530111333300000", "jcb"),
        ("36227206271667", "diners-club"),  # 36: 14 digits allowed
        ("6759649826438453", "maestro"),
        ("201400000000009", "enroute"),
        ("30569309025904", None),  # 305 is not a Diners prefix on Twilio's page
        ("411111111111", None),  # 12 digits: no Visa
        ("1234567812345670", None),
    ],
)
def test_card_types_follow_twilios_table(number: str, kind: str | None) -> None:
    assert card_type_of(number, ()) == kind


def test_a_card_two_types_match_is_the_valid_one_first() -> None:
    assert card_type_of("6011111111111117", ("maestro", "discover")) == "maestro"
    assert card_type_of("6011111111111117", CARD_TYPES) == "maestro"  # the page's order


@pytest.mark.parametrize(
    ("number", "valid", "expected"),
    [
        ("4111111111111111", DEFAULT, StepCheck("4111111111111111", None, "visa")),
        ("4111111111111112", DEFAULT, StepCheck(None, "invalid-card-number")),  # Luhn
        ("41111111111111", DEFAULT, StepCheck(None, "invalid-card-number")),  # 14 digits
        ("6011111111111117", DEFAULT, StepCheck(None, "invalid-card-type", "discover")),
        ("6011111111111117", ("discover",), StepCheck("6011111111111117", None, "discover")),
        ("201400000000001", ("enroute",), StepCheck("201400000000001", None, "enroute")),
    ],
)
def test_card_numbers(number: str, valid: tuple[str, ...], expected: StepCheck) -> None:
    assert check_card_number(number, valid) == expected


def test_luhn() -> None:
    assert [luhn_valid(n) for n in ("79927398713", "79927398710", "0", "18")] == [
        True,
        False,
        True,
        True,
    ]


@pytest.mark.parametrize(
    ("entered", "error"),
    [
        ("0126", None),  # this month
        ("1299", None),
        ("1225", "invalid-date"),  # last month
        ("0026", "invalid-date"),
        ("1326", "invalid-date"),
        ("126", "invalid-date"),
        ("01262", "invalid-date"),
    ],
)
def test_expiration_dates_against_the_clock(entered: str, error: str | None) -> None:
    now = datetime(2026, 1, 31, 23, 59, tzinfo=UTC)
    assert check_expiration_date(entered, now).error == error


def test_security_codes_postal_codes_and_bank_numbers() -> None:
    assert check_security_code("123", "visa") == StepCheck("123")
    assert check_security_code("1234", "visa").error == "invalid-security-code"
    assert check_security_code("1234", "amex") == StepCheck("1234")
    assert check_security_code("123", "amex").error == "invalid-security-code"
    assert check_postal_code("9", None) == StepCheck("9")
    assert check_postal_code("9410", 5).error == "invalid-postal-code"
    assert check_postal_code("94109", 5) == StepCheck("94109")
    assert [aba_valid(n) for n in ("121181976", "011000015", "121181977", "12118197")] == [
        True,
        True,
        False,
        False,
    ]
    assert check_routing_number("121181977").error == "invalid-bank-routing-number"
    assert check_account_number("123").error == "invalid-bank-account-number"
    assert check_account_number("1" * 18).error == "invalid-bank-account-number"
    assert check_account_number("1234") == StepCheck("1234")


@pytest.mark.parametrize(
    ("number", "kind", "grouped", "ungrouped"),
    [
        ("4111111111111111", "visa", "xxxx-xxxx-xxxx-1111", "xxxxxxxxxxxx1111"),
        ("378282246310005", "amex", "xxxx-xxxxxx-x0005", "xxxxxxxxxxx0005"),
        ("36227206271667", "diners-club", "xxxx-xxxxxx-1667", "xxxxxxxxxx1667"),
        ("4222222222222", "visa", "xxxx-xxxx-x2222", "xxxxxxxxx2222"),
        ("6759649826438453111", "maestro", "xxxx-xxxx-xxxx-xxx3-111", "xxxxxxxxxxxxxxx3111"),
    ],
)
def test_card_masks(number: str, kind: str, grouped: str, ungrouped: str) -> None:
    assert mask_card_number(number, kind, grouped=True) == grouped
    assert mask_card_number(number, kind, grouped=False) == ungrouped


def test_other_masks() -> None:
    assert mask_security_code("1234", mark="*") == "****"
    assert mask_security_code("123", mark="x") == "xxx"
    assert mask_account_number("508862392") == "*******92"
    assert mask_account_number("12") == "12"


@pytest.mark.parametrize(
    ("raw", "cents"),
    [
        ("10", 1000),
        ("10.5", 1050),
        (" 0.99 ", 99),
        (".5", 50),
        ("1000000", 100_000_000),
        ("1000000.01", None),
        ("1.234", None),
        ("-1", None),
        ("", None),
        (".", None),
        ("١٠", None),  # Arabic-Indic digits are not ASCII digits
    ],
)
def test_a_charge_amount_in_cents(raw: str, cents: int | None) -> None:
    assert charge_cents(raw) == cents

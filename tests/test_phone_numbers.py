"""Which numbers twimlsim accepts as able to exist: libphonenumber's "possible" check."""

from __future__ import annotations

import pytest

from twimlsim.model.phone_numbers import is_possible_number


@pytest.mark.parametrize(
    ("number", "possible"),
    [
        ("+15558675310", True),  # fictional 555 exchange: kept on purpose
        ("+15005550006", True),  # the test credentials' magic numbers
        ("+15005550001", True),
        ("+14155551212", True),
        ("+442071838750", True),
        ("+33612345678", True),
        ("+18667786", False),  # a local-only length is not a complete number
        ("+1584143861603", False),  # too long for +1 (captured 21211)
        ("+4420718387", False),
        ("+6931234567", False),  # no such calling code
        ("+", False),
        ("+1", False),
        ("not a number", False),
    ],
)
def test_possible_numbers(number: str, possible: bool) -> None:
    assert is_possible_number(number) is possible

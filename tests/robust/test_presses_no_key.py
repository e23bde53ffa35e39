"""A press of pauses alone (``presses("w")``) pressed nothing: the Gather timed out as if
the far end were silent, and the test saw no reason. It is refused where it is written."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from twimlsim import Simulator

NO_KEY = (
    "{where}: {keys!r} presses no key: w and W are pauses between keys; give at least one "
    "key (0-9, *, #, A-D), or script silence for a far end that presses nothing"
)


@pytest.mark.parametrize("keys", ["w", "WwW"])
@pytest.mark.parametrize(
    ("where", "script"),
    [
        ("sim.phone('+15558675310').presses()", lambda phone, keys: phone.presses(keys)),
        ("sim.phone('+15558675310').records()", lambda phone, keys: phone.records(5, keys)),
    ],
)
def test_a_far_end_pressing_pauses_alone_is_refused(
    where: str, script: Callable[[Any, str], object], keys: str
) -> None:
    with Simulator() as sim:
        with pytest.raises(ValueError) as refused:
            script(sim.phone("+15558675310"), keys)
        assert str(refused.value) == NO_KEY.format(where=where, keys=keys)


def test_keys_between_pauses_are_taken() -> None:
    with Simulator(strict=False) as sim:
        phone = sim.phone("+15558675310").presses("w1W#")
        assert [step.value for step in phone.unused()] == ["w1W#"]

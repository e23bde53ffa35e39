"""Integers too large for a float (above about 1.8e308), or too long for Python to write out
(more than 4,300 digits), given to the Python API: each is refused with the error its
argument deserves (a ``TypeError`` for a wrong type, the call's own error for a wrong value),
saying what was given, never an ``OverflowError`` or Python's digit-limit ``ValueError``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from twimlsim import Simulator
from twimlsim.arguments import literal, shown, to_float
from twimlsim.errors import ConfigurationError

BEYOND_FLOATS = 10**400  # 401 digits: float() overflows
UNWRITABLE = 10**5000  # 5,001 digits: repr() refuses it
CALLEE = "+15558675310"


def test_literal_and_shown_write_any_integer() -> None:
    assert (literal(10**79), literal(-UNWRITABLE), literal(BEYOND_FLOATS)) == (
        str(10**79),
        "a negative integer of about 5,001 digits",
        "an integer of about 401 digits",
    )
    assert literal([UNWRITABLE]) == "a list holding an integer too long to write out"
    assert shown("x" * 100) == "'" + "x" * 76 + "..."
    assert (to_float(BEYOND_FLOATS), to_float(-BEYOND_FLOATS), to_float(3)) == (
        float("inf"),
        float("-inf"),
        3.0,
    )


SECONDS: list[tuple[str, Callable[[Simulator], Any], type[Exception], str]] = [
    (
        "media",
        lambda sim: sim.media("https://app.test/hold.mp3", seconds=BEYOND_FLOATS),
        ConfigurationError,
        "sim.media('https://app.test/hold.mp3', seconds=...): seconds is an integer of about "
        "401 digits, more seconds than can be counted; give a number of seconds such as 2 or "
        "0.5",
    ),
    (
        "answers",
        lambda sim: sim.phone(CALLEE).answers(after=UNWRITABLE),
        ValueError,
        f"sim.phone('{CALLEE}').answers(): after is an integer of about 5,001 digits, more "
        "seconds than can be counted; give a number of seconds such as 2 or 0.5",
    ),
    (
        "records-negative",
        lambda sim: sim.phone(CALLEE).records(-BEYOND_FLOATS),
        ValueError,
        f"sim.phone('{CALLEE}').records(): seconds must be 0 or more seconds; got a negative "
        "integer of about 401 digits",
    ),
    (
        "confidence",
        lambda sim: sim.phone(CALLEE).says("sales", confidence=UNWRITABLE),
        ValueError,
        f"sim.phone('{CALLEE}').says(): confidence must be between 0.0 and 1.0, got an "
        "integer of about 5,001 digits",
    ),
    (
        "advance",
        lambda sim: sim.advance(BEYOND_FLOATS),
        ValueError,
        "sim.advance(seconds): seconds is an integer of about 401 digits, more than virtual "
        "time can reach (the clock runs at most 366,000 days from its start); advance by a "
        "smaller number of seconds",
    ),
    (
        "advance-negative",
        lambda sim: sim.advance(-UNWRITABLE),
        ConfigurationError,
        "time only moves forward: sim.advance() takes 0 or more seconds, got advance(a "
        "negative integer of about 5,001 digits)",
    ),
    (
        "subaccount-cps",
        lambda sim: sim.subaccount(cps=BEYOND_FLOATS),
        ConfigurationError,
        "sim.subaccount(cps=...): cps must be a positive number of calls per second such as 1 "
        "or 0.5; got an integer of about 401 digits",
    ),
    (
        "machine",
        lambda sim: sim.phone(CALLEE).machine(answered_by=UNWRITABLE),  # type: ignore[arg-type]
        TypeError,
        f"sim.phone('{CALLEE}').machine(): answered_by must be a string such as "
        "'machine_start'; got an integer of about 5,001 digits (int)",
    ),
]


@pytest.mark.parametrize(
    ("misuse", "error", "message"), [case[1:] for case in SECONDS], ids=[c[0] for c in SECONDS]
)
def test_a_huge_number_is_refused_with_the_argument_s_own_error(
    misuse: Callable[[Simulator], Any], error: type[Exception], message: str
) -> None:
    with Simulator() as sim:
        with pytest.raises(error) as raised:
            misuse(sim)
        assert (type(raised.value), str(raised.value)) == (error, message)
        # nothing was changed: no time passed, no step was added
        assert sim.now == sim.clock.start
        assert [phone.steps for phone in sim.engine.phones.values()] in ([], [[]])


WRONG_TYPES: list[tuple[str, Callable[[Simulator], Any], str]] = [
    (
        "number",
        lambda sim: sim.number(UNWRITABLE),  # type: ignore[arg-type]
        "sim.number(an integer of about 5,001 digits): the number must be a string such as "
        "'+15558675310'; got an integer of about 5,001 digits (int)",
    ),
    (
        "queue",
        lambda sim: sim.queue(UNWRITABLE),  # type: ignore[arg-type]
        "sim.queue(an integer of about 5,001 digits): name must be a string such as 'support'; "
        "got an integer of about 5,001 digits (int)",
    ),
    (
        "sdk-identity",
        lambda sim: sim.sdk_call(UNWRITABLE),  # type: ignore[arg-type]
        "sim.sdk_call(...): identity must be a string such as 'alice'; got an integer of about "
        "5,001 digits (int)",
    ),
    (
        "sdk-params",
        lambda sim: sim.sdk_call("alice", application_sid="AP1", params={"To": UNWRITABLE}),  # type: ignore[dict-item]
        "sim.sdk_call(...): params must be a dict of parameter names to text such as "
        "{'To': '+15558675310'}; got a dict holding an integer too long to write out (dict)",
    ),
    (
        "sip-headers",
        lambda sim: sim.phone(CALLEE).answers(sip_headers={"X-Agent": 7}),  # type: ignore[dict-item]
        f"sim.phone('{CALLEE}').answers(): sip_headers must be a dict of header names to text "
        "such as {'X-Agent': 'bob'}; got {'X-Agent': 7} (dict)",
    ),
]


@pytest.mark.parametrize(
    ("misuse", "message"), [case[1:] for case in WRONG_TYPES], ids=[c[0] for c in WRONG_TYPES]
)
def test_a_huge_integer_of_the_wrong_type_is_a_type_error(
    misuse: Callable[[Simulator], Any], message: str
) -> None:
    with Simulator() as sim, pytest.raises(TypeError) as raised:
        misuse(sim)
    assert str(raised.value) == message


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        (
            {"seed": UNWRITABLE},
            ConfigurationError,
            "Simulator(seed=...): seed is an integer of about 5,001 digits; give a shorter one "
            "(at most 4,300 digits) or a str",
        ),
        (
            {"seed": [1]},
            TypeError,
            "Simulator(seed=...): seed must be an int or a str such as 0 or 'checkout'; got "
            "[1] (list)",
        ),
        (
            {"max_calls_per_run": "5"},
            TypeError,
            "Simulator(max_calls_per_run=...): max_calls_per_run must be a whole number such "
            "as 5000; got '5'",
        ),
        (
            {"webhook_timeout": True},
            TypeError,
            "Simulator(webhook_timeout=...): webhook_timeout must be a number of seconds such "
            "as 15 (or None for no limit); got True (bool)",
        ),
        (
            {"cps": UNWRITABLE},
            ConfigurationError,
            "Simulator(cps=...): cps must be a positive number of calls per second such as 1 "
            "or 0.5; got an integer of about 5,001 digits",
        ),
    ],
)
def test_simulator_options_beyond_reason_are_refused(
    options: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as raised:
        Simulator(**options)
    assert (type(raised.value), str(raised.value)) == (error, message)


def test_a_webhook_timeout_beyond_the_floats_is_no_limit() -> None:
    with Simulator(webhook_timeout=BEYOND_FLOATS) as sim:
        assert sim._timed_webhooks.limit == float("inf")

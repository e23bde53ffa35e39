"""The checks of ``Simulator(...)``'s keyword arguments, each refusal saying what was given
and what to give instead."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from .arguments import check_unicode, describe, literal
from .errors import ConfigurationError
from .facade.accounts import check_cps
from .start_time import check_start, parse_start

__all__ = ["checked_arguments"]

#: Seeds as long as this or longer are refused: SIDs hash the seed written out, and Python
#: writes out no int of more than 4,300 digits (computed once: it costs 25 us).
_SEED_LIMIT = 10**4300


def checked_arguments(
    *,
    cps: float,
    seed: int | str,
    flags: Mapping[str, object],
    start: datetime | str | None,
    webhook_timeout: float | None,
    max_calls_per_run: int,
) -> datetime | None:
    """Refuse a ``Simulator(...)`` argument of the wrong type or out of range
    (``TypeError``, ``ValueError`` or ``ConfigurationError``); ``flags`` are the ones that
    must be True or False, by name. Returns ``start`` as a ``datetime`` (ISO 8601 text
    read, as ``twimlsim call --start`` reads it), or None.
    """
    check_cps("Simulator(cps=...)", cps)
    for name, flag in flags.items():
        if not isinstance(flag, bool):  # "false" would be true
            raise TypeError(
                f"Simulator({name}=...): {name} must be True or False; got {describe(flag)}"
            )
    if isinstance(start, str):  # as twimlsim call --start reads it
        try:
            start = parse_start(start)
        except ValueError as error:
            raise ValueError(f"Simulator(start=...): {error}") from None
    if start is not None and not isinstance(start, datetime):
        raise TypeError(
            "Simulator(start=...): start must be a timezone-aware datetime such as "
            "datetime(2026, 1, 1, 9, tzinfo=timezone.utc), or ISO 8601 text such as "
            f"'2026-01-03T20:30' (UTC); got {describe(start)}"
        )
    if start is not None and start.tzinfo is not None:
        try:
            start = check_start(start, start)
        except ValueError as error:
            raise ValueError(f"Simulator(start=...): {error}") from None
    if isinstance(seed, bool) or not isinstance(seed, int | str):
        raise TypeError(
            f"Simulator(seed=...): seed must be an int or a str such as 0 or 'checkout'; "
            f"got {describe(seed)}"
        )
    if isinstance(seed, str) and not seed.isascii():
        check_unicode("Simulator(seed=...)", "seed", seed, error=ConfigurationError)
    if isinstance(seed, int) and abs(seed) >= _SEED_LIMIT:
        raise ConfigurationError(  # SIDs hash the seed written out: Python refuses that
            f"Simulator(seed=...): seed is {literal(seed)}; give a shorter one (at most "
            "4,300 digits) or a str"
        )
    if isinstance(max_calls_per_run, bool) or not isinstance(max_calls_per_run, int):
        raise TypeError(
            "Simulator(max_calls_per_run=...): max_calls_per_run must be a whole number "
            f"such as 5000; got {describe(max_calls_per_run)}"
        )
    if max_calls_per_run < 1:
        raise ConfigurationError(
            "Simulator(max_calls_per_run=...): max_calls_per_run must be 1 or more, got "
            f"{literal(max_calls_per_run)}; give the most calls one sim.run() may create, "
            "such as 5000"
        )
    if webhook_timeout is not None and (
        isinstance(webhook_timeout, bool) or not isinstance(webhook_timeout, int | float)
    ):
        raise TypeError(
            "Simulator(webhook_timeout=...): webhook_timeout must be a number of seconds "
            f"such as 15 (or None for no limit); got {describe(webhook_timeout)}"
        )
    if webhook_timeout is not None and not webhook_timeout > 0:
        raise ConfigurationError(
            "Simulator(webhook_timeout=...): webhook_timeout must be a positive number of "
            f"seconds such as 15 (or None for no limit); got {literal(webhook_timeout)}"
        )
    return start

"""Twilio's text of a date and time (``Thu, 12 Feb 2026 11:48:25 +0000``): callbacks'
``Timestamp``, the REST API's dates."""

from __future__ import annotations

import functools
from datetime import UTC, datetime
from email.utils import format_datetime

__all__ = ["rfc2822"]

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def rfc2822(moment: datetime) -> str:
    """Twilio's date format: ``Thu, 12 Feb 2026 11:48:25 +0000``.

    The same text as ``email.utils.format_datetime`` (a few times faster for the UTC
    times the simulator keeps).
    """
    if moment.tzinfo is not UTC:
        return format_datetime(moment.replace(microsecond=0))
    return _utc_text(moment)


@functools.lru_cache(maxsize=16)
def _utc_text(moment: datetime) -> str:
    # a call's callbacks and JSON dates fall on few distinct instants, one call after
    # another: a few kept cover them (a run's log keeps the texts, not this cache). UTC
    # only: an equal instant in another zone is written with its own offset.
    return (
        f"{_DAYS[moment.weekday()]}, {moment.day:02d} {_MONTHS[moment.month - 1]} "
        f"{moment.year:04d} {moment.hour:02d}:{moment.minute:02d}:{moment.second:02d} +0000"
    )

"""The date filters of REST list requests (``StartTime>``, ``DateCreated<``...)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from twimlsim.errors import TwilioApiError

from .params import INVALID_PARAMETER, Form, form_value

__all__ = ["CALL_DATE_FILTERS", "DateFilter", "parse_date_filters"]


@dataclass(frozen=True, slots=True)
class DateFilter:
    """A ``StartTime``/``EndTime`` list filter: ``op`` is ``=``, ``<`` or ``>``."""

    field: str
    op: str
    moment: datetime

    def matches(self, value: datetime | None) -> bool:
        """True when ``value`` passes the filter (a missing time never does)."""
        if value is None:
            return False
        if self.op == "<":
            return value < self.moment
        if self.op == ">":
            return value >= self.moment
        return value.date() == self.moment.date()


def _parse_moment(raw: str) -> datetime | None:
    text = raw.strip()
    try:
        day = date.fromisoformat(text)
    except ValueError:
        pass
    else:
        return datetime(day.year, day.month, day.day, tzinfo=UTC)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


#: A call's date filters: each filter's field (``DateFilter.field``) and its wire name.
CALL_DATE_FILTERS = (("start_time", "StartTime"), ("end_time", "EndTime"))


def parse_date_filters(
    args: Form, fields: tuple[tuple[str, str], ...] = CALL_DATE_FILTERS
) -> list[DateFilter]:
    """The date filters (``=``, ``<``, ``>``) of a list request: ``fields`` pairs each
    filter's field with its wire name (a call's ``StartTime`` and ``EndTime`` by default;
    a recording filters on ``DateCreated``), and an error names the wire name sent.

    Dates are ``YYYY-MM-DD`` or ISO 8601 instants (what the twilio client sends, even for
    a ``date``); ``<`` means before, ``>`` on or after, and ``=`` the same UTC day (for an
    instant too: fidelity choice, as Twilio documents the filter as a date).
    """
    filters: list[DateFilter] = []
    for field_name, wire in fields:
        for op in ("=", "<", ">"):
            key = wire if op == "=" else wire + op
            raw = form_value(args, key)
            if raw is None:
                continue
            moment = _parse_moment(raw)
            if moment is None:
                raise TwilioApiError(
                    400,
                    INVALID_PARAMETER,
                    f"{key} is not a valid date: {raw}. Use YYYY-MM-DD (UTC)",
                )
            filters.append(DateFilter(field_name, op, moment))
    return filters

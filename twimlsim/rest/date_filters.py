"""The date filters of REST list requests (``StartTime>``, ``DateCreated<``...).

Besides ``YYYY-MM-DD`` and ISO 8601, a filter takes the two other forms Twilio's OpenAPI
description shows it answering with a page (its ``readEmptyDateFunDateFormats`` and
``readEmptySentdateGreaterFormat1``-``3`` examples): ``MM/DD/YYYY HH:MM:SS ZONE``
(``06/11/2019 22:05:25 MST``) and RFC 2822 (``Wed, 19 Jun 2019 22:04:00 -0000``, the form of
every ``date_*`` field, so an app may pass one back). A zone is ``+HHMM``/``-HHMM`` or one
of RFC 2822's names (UT, GMT, Z, and the North American EST to PDT); a form without zone
is UTC. UNCONFIRMED, chosen: another zone name, or a day that does not exist, is 20422 as
any other unreadable date; so is an ISO 8601 form beyond calendar dates and times (a week
date, 2026-W01-1), or a string Python's lenient ``fromisoformat`` would read anyway (any
character between date and time, any number of fraction digits: 1,000 ones read as
1111-11-11T11:11:11.111111).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone

from twimlsim.errors import TwilioApiError

from .params import INVALID_PARAMETER, Form, form_value

__all__ = ["CALL_DATE_FILTERS", "DateFilter", "parse_date_filters"]


#: The one form a date-only filter takes.
_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")


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


#: RFC 2822's zone names (section 4.3), as hours from UTC.
_ZONE_NAMES = {
    "UT": 0,
    "UTC": 0,
    "GMT": 0,
    "Z": 0,
    "EST": -5,
    "EDT": -4,
    "CST": -6,
    "CDT": -5,
    "MST": -7,
    "MDT": -6,
    "PST": -8,
    "PDT": -7,
}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_ZONE = r"(?P<zone>[+-]\d{4}|[A-Za-z]{1,3})"
_TIME = r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?"
_US_FORM = re.compile(
    rf"(?P<month>\d{{1,2}})/(?P<day>\d{{1,2}})/(?P<year>\d{{4}})(?: {_TIME}(?: {_ZONE})?)?"
)
_RFC2822_FORM = re.compile(
    r"(?:[A-Za-z]{3}, *)?(?P<day>\d{1,2}) (?P<month>[A-Za-z]{3}) (?P<year>\d{4}) "
    rf"{_TIME}(?: {_ZONE})?"
)


def _zone(name: str | None) -> timezone | None:
    if name is None:
        return UTC
    if name[0] in "+-":
        minutes = int(name[1:3]) * 60 + int(name[3:5])
        return timezone(timedelta(minutes=-minutes if name[0] == "-" else minutes))
    hours = _ZONE_NAMES.get(name.upper())
    return None if hours is None else timezone(timedelta(hours=hours))


def _parse_written(text: str) -> datetime | None:
    """``MM/DD/YYYY[ HH:MM[:SS] ZONE]`` or RFC 2822, or None."""
    match = _US_FORM.fullmatch(text)
    month: int | None = None
    if match is not None:
        month = int(match["month"])
    else:
        match = _RFC2822_FORM.fullmatch(text)
        if match is not None and match["month"].title() in _MONTHS:
            month = _MONTHS.index(match["month"].title()) + 1
    if match is None or month is None:
        return None
    zone = _zone(match["zone"])
    if zone is None:
        return None
    try:
        moment = datetime(
            int(match["year"]),
            month,
            int(match["day"]),
            int(match["hour"] or 0),
            int(match["minute"] or 0),
            int(match["second"] or 0),
            tzinfo=zone,
        ).astimezone(UTC)
    except (ValueError, OverflowError):  # OverflowError: its UTC instant is outside 1-9999
        return None
    return moment


#: The ISO 8601 forms read (calendar dates, basic or extended; a time after T or a space;
#: a zone): ``fromisoformat`` alone takes more (see the module's docstring).
_ISO_FORM = re.compile(
    r"\d{4}-?\d{2}-?\d{2}"
    r"(?:[Tt ]\d{2}(?::?\d{2}(?::?\d{2}(?:[.,]\d{1,9})?)?)?)?"
    r"(?:[Zz]|[+-]\d{2}(?::?\d{2})?)?"
)


def _parse_moment(raw: str) -> datetime | None:
    text = raw.strip()
    written = _parse_written(text)
    if written is not None:
        return written
    if _ISO_FORM.fullmatch(text) is None:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        pass
    else:
        return datetime(day.year, day.month, day.day, tzinfo=UTC)
    try:
        # fromisoformat reads "Z" but not RFC 3339's lower-case "z", which _ISO_FORM takes
        moment = datetime.fromisoformat(text[:-1] + "+00:00" if text[-1] in "zZ" else text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # its UTC instant is outside the years 1-9999
        return None


#: A call's date filters: each filter's field (``DateFilter.field``) and its wire name.
CALL_DATE_FILTERS = (("start_time", "StartTime"), ("end_time", "EndTime"))


def parse_date_filters(
    args: Form,
    fields: tuple[tuple[str, str], ...] = CALL_DATE_FILTERS,
    *,
    dates_only: str | None = None,
) -> list[DateFilter]:
    """The date filters (``=``, ``<``, ``>``) of a list request: ``fields`` pairs each
    filter's field with its wire name (a call's ``StartTime`` and ``EndTime`` by default;
    a recording filters on ``DateCreated``), and an error names the wire name sent.

    Dates are ``YYYY-MM-DD`` or ISO 8601 instants (what the twilio client sends, even for
    a ``date``), ``MM/DD/YYYY HH:MM:SS ZONE`` or RFC 2822 (see the module's docstring);
    ``<`` means before, ``>`` on or after, and ``=`` the same UTC day (for an
    instant too: fidelity choice, as Twilio documents the filter as a date).

    ``dates_only`` names a list that takes ``YYYY-MM-DD`` alone (the Conferences list:
    Twilio's "Voice Conference API Improvements" notice of 2019 says a date-time there "will
    now return 400 Bad Request"); any other readable form is then 400/20422 (the code a
    choice).
    """
    filters: list[DateFilter] = []
    for field_name, wire in fields:
        for op in ("=", "<", ">"):
            key = wire if op == "=" else wire + op
            raw = form_value(args, key)
            if raw is None:
                continue
            parsed = _parse_moment(raw)
            if parsed is None:
                raise TwilioApiError(
                    400,
                    INVALID_PARAMETER,
                    f"{key} is not a valid date: {raw}. Use YYYY-MM-DD (UTC)",
                )
            if dates_only is not None and not _DATE_ONLY.fullmatch(raw):
                raise TwilioApiError(
                    400,
                    INVALID_PARAMETER,
                    f"{key} is not a valid date: {raw}. {dates_only} takes a date only, "
                    "YYYY-MM-DD (UTC), as Twilio answers a date-time there with 400 Bad "
                    "Request; pass a date (twilio-python: date_created=date(2026, 1, 1))",
                )
            filters.append(DateFilter(field_name, op, parsed))
    return filters

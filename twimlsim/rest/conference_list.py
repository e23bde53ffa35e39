"""The Conferences list: ``GET /Conferences.json``, newest first, filtered by
``FriendlyName``, ``Status`` and ``DateCreated``/``DateUpdated`` (with ``<``/``>``, as
``YYYY-MM-DD`` only: Twilio answers a date-time there with 400 since its 2019 "Voice
Conference API Improvements"), paged. The resource's other requests are in
``conferences.py``."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from twimlsim.model.conference import ConferenceStatus

from .conferences import conference_json
from .date_filters import parse_date_filters
from .paging import list_response, status_filter

if TYPE_CHECKING:
    from werkzeug.wrappers import Response

    from .app import Context

__all__ = ["list_conferences"]

#: From this day Twilio lists only ``in-progress`` rooms unless ``Status`` is given.
_IN_PROGRESS_BY_DEFAULT = datetime(2026, 9, 30, tzinfo=UTC)


def list_conferences(ctx: Context, args: dict[str, str]) -> Response:
    """``GET /Conferences.json``: newest first, filtered, paged."""
    query = ctx.request.args
    name = query.get("FriendlyName") or None
    status = status_filter(query, [value.value for value in ConferenceStatus])
    if status is None and ctx.now >= _IN_PROGRESS_BY_DEFAULT:
        status = ConferenceStatus.IN_PROGRESS.value
    dates = parse_date_filters(
        query,
        (("start_time", "DateCreated"), ("end_time", "DateUpdated")),
        dates_only="The Conferences list",
    )
    rooms = [
        record
        for record in reversed(ctx.account.conferences.values())
        if (name is None or record.friendly_name == name)
        and (status is None or record.status.value == status)
        and all(
            f.matches(
                record.created_at
                if f.field == "start_time"
                else record.updated_at or record.created_at
            )
            for f in dates
        )
    ]
    return list_response(
        ctx,
        rooms,
        "Conferences.json",
        key="conferences",
        render=conference_json,
    )

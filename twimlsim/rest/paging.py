"""Twilio's list envelope: ``PageSize``, ``Page``, ``PageToken`` and the page URIs.

Next-page tokens are ``PA`` + the last SID of the page, previous-page tokens ``PB`` + the
first SID (reference §1.5). A token whose SID is gone (deleted meanwhile) falls back to
``Page`` × ``PageSize``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol, TypeVar
from urllib.parse import urlencode

from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from twimlsim.errors import TwilioApiError

from .params import INVALID_PARAMETER
from .render import json_response
from .serialize import account_path

if TYPE_CHECKING:
    from .app import Context

__all__ = ["DEFAULT_PAGE_SIZE", "MAX_PAGE_SIZE", "list_response", "page_size", "paginate"]


class HasSid(Protocol):
    """A resource with a SID (pages are keyed by the SIDs of their first and last items)."""

    @property
    def sid(self) -> str: ...


T = TypeVar("T", bound=HasSid)

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 1000
_PAGING_KEYS = frozenset({"PageSize", "Page", "PageToken"})
_TOKEN = re.compile(r"^P[AB][A-Z]{2}[0-9a-fA-F]{32}$")


def _int_arg(args: MultiDict[str, str], key: str, default: int) -> int:
    raw = args.get(key)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise TwilioApiError(
            400, INVALID_PARAMETER, f"{key} is not a valid integer: {raw}"
        ) from None


def _offset(items: Sequence[T], token: str, fallback: int, size: int) -> int:
    if not _TOKEN.match(token):
        raise TwilioApiError(400, 21481, f"PageToken is not valid: {token}")
    sid = token[2:]
    for index, item in enumerate(items):
        if item.sid == sid:
            return index + 1 if token.startswith("PA") else max(index - size, 0)
    return fallback


def page_size(args: MultiDict[str, str]) -> int:
    """The request's ``PageSize`` (default 50), or Twilio's error for one out of range."""
    size = _int_arg(args, "PageSize", DEFAULT_PAGE_SIZE)
    if size > MAX_PAGE_SIZE:
        raise TwilioApiError(
            400,
            20007,
            f"Page size too large: PageSize {size} is more than the maximum of {MAX_PAGE_SIZE}",
        )
    if size < 1:
        raise TwilioApiError(
            400, INVALID_PARAMETER, f"PageSize must be between 1 and {MAX_PAGE_SIZE}: {size}"
        )
    return size


def paginate(
    items: Sequence[T],
    *,
    args: MultiDict[str, str],
    path: str,
    key: str,
    render: Callable[[T], object],
) -> dict[str, object]:
    """One page of ``items`` (already filtered and ordered) in Twilio's envelope."""
    size = page_size(args)
    page = _int_arg(args, "Page", 0)
    if page < 0:
        raise TwilioApiError(400, INVALID_PARAMETER, f"Page must be 0 or more: {page}")
    token = args.get("PageToken") or None
    offset = page * size
    if token is not None:
        offset = _offset(items, token, offset, size)
    chunk = items[offset : offset + size]
    filters = [(k, v) for k, v in args.items(multi=True) if k not in _PAGING_KEYS]

    def uri(page_number: int, page_token: str | None) -> str:
        query = [*filters, ("PageSize", str(size)), ("Page", str(page_number))]
        if page_token is not None:
            query.append(("PageToken", page_token))
        return f"{path}?{urlencode(query)}"

    has_next = offset + size < len(items)
    return {
        key: [render(item) for item in chunk],
        "end": offset + len(chunk) - 1 if chunk else offset,
        "first_page_uri": uri(0, None),
        "next_page_uri": uri(page + 1, "PA" + chunk[-1].sid) if has_next and chunk else None,
        "page": page,
        "page_size": size,
        "previous_page_uri": (uri(page - 1, "PB" + chunk[0].sid) if page > 0 and chunk else None),
        "start": offset,
        "uri": uri(page, token),
    }


def list_response(
    ctx: Context,
    items: Sequence[T],
    resource: str,
    *,
    key: str,
    render: Callable[[T], object],
) -> Response:
    """The 200 answer to a list request: the page of ``items`` the request's paging
    arguments ask for, under the account's ``resource`` path (``"Calls.json"``)."""
    body = paginate(
        items,
        args=ctx.request.args,
        path=f"{account_path(ctx.account.sid)}/{resource}",
        key=key,
        render=render,
    )
    return json_response(body, 200)

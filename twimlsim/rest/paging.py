"""Twilio's list envelope: ``PageSize``, ``Page``, ``PageToken`` and the page URIs.

Next-page tokens are ``PA`` + the last SID of the page, previous-page tokens ``PB`` + the
first SID (reference §1.5). A token whose SID is gone (deleted meanwhile) falls back to
``Page`` × ``PageSize``.

``Page`` is "simply for client state" (Twilio's OpenAPI description): the token says where
a page starts. A ``Page`` above 0 without a ``PageToken`` (absolute paging, which Twilio
retired in 2015) is refused as Twilio refuses it, 400/20001 "PageToken is required for
paging." (observed on Messages: twilio-python#395; "Paged requests must include a
PageToken" on Accounts: twilio-php#507). Unconfirmed, chosen: a ``Page`` outside 0 to
2,147,483,647 (a 32-bit integer, the spec gives no wider format) is 400/20422, whatever
``PageToken`` says.

A list's ``Status`` filter takes the values of the resource's status enumeration in
Twilio's OpenAPI description (``status_filter``); another value is 400/20422 naming them,
rather than the empty page a plain comparison would give (UNCONFIRMED: Twilio's answer to
a value outside the enumeration is not documented; 20422 is its "Invalid Parameter").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol, TypeVar
from urllib.parse import urlencode

from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from twimlsim.errors import TwilioApiError
from twimlsim.integers import saturated_int

from .params import INVALID_PARAMETER
from .render import json_response
from .serialize import account_path

if TYPE_CHECKING:
    from .app import Context

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "MAX_PAGE_SIZE",
    "list_response",
    "page_number",
    "page_size",
    "paginate",
    "status_filter",
]


class HasSid(Protocol):
    """A resource with a SID (pages are keyed by the SIDs of their first and last items)."""

    @property
    def sid(self) -> str: ...


T = TypeVar("T", bound=HasSid)

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 1000
#: The largest ``Page`` (a signed 32-bit integer): beyond it Twilio's parser cannot hold it.
MAX_PAGE = 2**31 - 1
#: Twilio's answer to ``Page`` > 0 without a ``PageToken``.
PAGE_TOKEN_REQUIRED = 20001
_PAGING_KEYS = frozenset({"PageSize", "Page", "PageToken"})
_TOKEN = re.compile(r"^P[AB][A-Z]{2}[0-9a-fA-F]{32}$")
_INTEGER = re.compile(r"[+-]?[0-9]+")


def _int_arg(args: MultiDict[str, str], key: str, default: int) -> int:
    raw = args.get(key)
    if raw is None or raw == "":
        return default
    # ASCII digits only, as in every other integer parameter: int() would also take "１"
    # and "1_0", which Twilio refuses
    text = raw.strip()
    if not _INTEGER.fullmatch(text):
        raise TwilioApiError(400, INVALID_PARAMETER, f"{key} is not a valid integer: {raw}")
    return saturated_int(text)


def status_filter(args: MultiDict[str, str], choices: Sequence[str]) -> str | None:
    """The list's ``Status`` filter, one of ``choices`` (None when not given or empty);
    another value is refused with 400/20422 naming the values it takes."""
    status = args.get("Status") or None
    if status is not None and status not in choices:
        raise TwilioApiError(
            400,
            INVALID_PARAMETER,
            f"Status is not valid: {status}. Use one of {', '.join(choices)} (as written, "
            "lower-case)",
        )
    return status


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
            f"Page size too large: PageSize {args.get('PageSize', '').strip()} is more than "
            f"the maximum of {MAX_PAGE_SIZE}",
        )
    if size < 1:
        raise TwilioApiError(
            400,
            INVALID_PARAMETER,
            f"PageSize must be between 1 and {MAX_PAGE_SIZE}: {args.get('PageSize', '').strip()}",
        )
    return size


def page_number(args: MultiDict[str, str]) -> int:
    """The request's ``Page`` (default 0), or Twilio's error for one out of range or sent
    without the ``PageToken`` that places it."""
    page = _int_arg(args, "Page", 0)
    if not 0 <= page <= MAX_PAGE:
        raise TwilioApiError(
            400,
            INVALID_PARAMETER,
            f"Page must be between 0 and {MAX_PAGE}: {args.get('Page', '').strip()}",
        )
    if page > 0 and not args.get("PageToken"):
        raise TwilioApiError(400, PAGE_TOKEN_REQUIRED, "PageToken is required for paging.")
    return page


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
    page = page_number(args)
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

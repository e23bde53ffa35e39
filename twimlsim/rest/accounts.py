"""Accounts (the account and its subaccounts) and Keys (API keys): the credentials side.

Subaccounts get their own SIDs, auth tokens and call pacing (1 CPS unless
``sim.subaccount(cps=...)`` says otherwise). A parent's credentials reach its
subaccounts' resources; a subaccount's never reach its parent's.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from werkzeug.wrappers import Response

from twimlsim.errors import TwilioApiError
from twimlsim.model.credentials import ApiKey
from twimlsim.model.store import Account

from .paging import list_response, paginate, status_filter
from .params import INVALID_PARAMETER, Param, apply_params
from .render import found, json_response, no_content
from .serialize import account_path, date

if TYPE_CHECKING:
    from .app import Context

__all__ = [
    "account_json",
    "create_account",
    "create_key",
    "delete_key",
    "fetch_account",
    "fetch_key",
    "list_accounts",
    "list_keys",
    "update_account",
    "update_key",
]

_FRIENDLY_NAME = (Param("FriendlyName", "friendly_name", "text", high=64),)
_STATUSES = ("active", "suspended", "closed")
_ACCOUNT_SUBRESOURCES = (
    ("addresses", "Addresses"),
    ("conferences", "Conferences"),
    ("signing_keys", "SigningKeys"),
    ("transcriptions", "Transcriptions"),
    ("connect_apps", "ConnectApps"),
    ("sip", "SIP"),
    ("authorized_connect_apps", "AuthorizedConnectApps"),
    ("usage", "Usage"),
    ("keys", "Keys"),
    ("applications", "Applications"),
    ("recordings", "Recordings"),
    ("short_codes", "SMS/ShortCodes"),
    ("calls", "Calls"),
    ("notifications", "Notifications"),
    ("incoming_phone_numbers", "IncomingPhoneNumbers"),
    ("queues", "Queues"),
    ("messages", "Messages"),
    ("outgoing_caller_ids", "OutgoingCallerIds"),
    ("available_phone_numbers", "AvailablePhoneNumbers"),
    ("balance", "Balance"),
)


def account_json(account: Account, created: datetime) -> dict[str, object]:
    """The Account resource (``type`` ``Trial`` for a trial account, else ``Full``)."""
    base = account_path(account.sid)
    at = account.created_at or created
    return {
        "auth_token": account.auth_token,
        "date_created": date(at),
        "date_updated": date(account.updated_at or at),
        "friendly_name": account.friendly_name,
        "owner_account_sid": account.owner_sid or account.sid,
        "sid": account.sid,
        "status": account.status,
        "subresource_uris": {key: f"{base}/{name}.json" for key, name in _ACCOUNT_SUBRESOURCES},
        "type": "Trial" if account.trial else "Full",
        "uri": f"{base}.json",
    }


def _caller(ctx: Context) -> Account:
    assert ctx.principal is not None
    return ctx.principal.account


def list_accounts(ctx: Context, args: dict[str, str]) -> Response:
    """``GET /Accounts.json``: the caller's account and its subaccounts."""
    caller = _caller(ctx)
    query = ctx.request.args
    name = query.get("FriendlyName") or None
    status = status_filter(query, ("active", "suspended", "closed"))
    found = [caller, *ctx.store.subaccounts(caller)]
    found = [
        account
        for account in found
        if (name is None or account.friendly_name == name)
        and (status is None or account.status == status)
    ]
    start = ctx.engine.clock.start
    body = paginate(
        found,
        args=query,
        path="/2010-04-01/Accounts.json",
        key="accounts",
        render=lambda account: account_json(account, start),
    )
    return json_response(body, 200)


def create_account(ctx: Context, args: dict[str, str]) -> Response:
    """``POST /Accounts.json``: open a subaccount (a subaccount cannot open one)."""
    caller = _caller(ctx)
    if caller.is_subaccount:
        raise TwilioApiError(
            403, 20403, f"Subaccount {caller.sid} cannot create subaccounts; use its parent"
        )
    name = apply_params(ctx.form, _FRIENDLY_NAME).get("friendly_name")
    account = ctx.store.create_account(
        friendly_name=None if name is None else str(name),
        owner=caller,
        created_at=ctx.now,
        trial=caller.trial,
    )
    return json_response(account_json(account, ctx.now), 201)


def fetch_account(ctx: Context, args: dict[str, str]) -> Response:
    """``GET /Accounts/{Sid}.json``."""
    return json_response(account_json(ctx.account, ctx.engine.clock.start), 200)


def update_account(ctx: Context, args: dict[str, str]) -> Response:
    """``POST /Accounts/{Sid}.json``: rename, suspend, reactivate or close (for good)."""
    account = ctx.account
    form = ctx.form
    status = form.get("Status") or None
    if status is not None:
        if status not in _STATUSES:
            raise TwilioApiError(
                400,
                INVALID_PARAMETER,
                f"Status is not valid: {status}. Use one of active, suspended, closed",
            )
        if account.status == "closed" and status != "closed":
            raise TwilioApiError(
                400, INVALID_PARAMETER, f"Account {account.sid} is closed and cannot be reopened"
            )
        if not account.is_subaccount and status != account.status:
            raise TwilioApiError(
                400,
                INVALID_PARAMETER,
                f"Account {account.sid} is a main account; only subaccounts change Status here",
            )
        account.status = status
    name = apply_params(form, _FRIENDLY_NAME).get("friendly_name")
    if name is not None:
        account.friendly_name = str(name)
    account.updated_at = ctx.now
    return json_response(account_json(account, ctx.engine.clock.start), 200)


def key_json(key: ApiKey, created: datetime, *, with_secret: bool = False) -> dict[str, object]:
    """The Key resource; the secret appears only in the create response, as on Twilio."""
    at = key.created_at or created
    body: dict[str, object] = {
        "date_created": date(at),
        "date_updated": date(key.updated_at or at),
        "friendly_name": key.friendly_name,
        "sid": key.sid,
    }
    if with_secret:
        body["secret"] = key.secret
    return body


def _key(ctx: Context, args: dict[str, str]) -> ApiKey:
    return found(ctx.account.api_keys, args["sid"], ctx.request.path)


def list_keys(ctx: Context, args: dict[str, str]) -> Response:
    """``GET /Keys.json``."""
    start = ctx.engine.clock.start
    return list_response(
        ctx,
        list(ctx.account.api_keys.values()),
        "Keys.json",
        key="keys",
        render=lambda key: key_json(key, start),
    )


def create_key(ctx: Context, args: dict[str, str]) -> Response:
    """``POST /Keys.json``: a new Standard key; the response carries its secret once."""
    name = apply_params(ctx.form, _FRIENDLY_NAME).get("friendly_name")
    key = ctx.store.create_api_key(ctx.account, None if name is None else str(name), at=ctx.now)
    return json_response(key_json(key, ctx.now, with_secret=True), 201)


def fetch_key(ctx: Context, args: dict[str, str]) -> Response:
    """``GET /Keys/{Sid}.json``."""
    return json_response(key_json(_key(ctx, args), ctx.engine.clock.start), 200)


def update_key(ctx: Context, args: dict[str, str]) -> Response:
    """``POST /Keys/{Sid}.json``: rename it."""
    key = _key(ctx, args)
    name = apply_params(ctx.form, _FRIENDLY_NAME).get("friendly_name")
    if name is not None:
        key.friendly_name = str(name)
        key.updated_at = ctx.now
    return json_response(key_json(key, ctx.engine.clock.start), 200)


def delete_key(ctx: Context, args: dict[str, str]) -> Response:
    """``DELETE /Keys/{Sid}.json``: revoke it; it no longer authenticates."""
    ctx.store.remove_api_key(_key(ctx, args))
    return no_content()

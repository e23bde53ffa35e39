"""``pytest --twimlsim``: the accounts and API keys a suite's own credentials name, opened
on their first request.

An account presented with its auth token keeps that token, which then signs its webhooks.
An account named only by the path of a request an API key made (``Client(key, secret,
account_sid)``, as Twilio recommends) has no token to keep: Twilio signs webhooks with the
account's auth token, which the app validates with and never sends. It takes
``TWILIO_AUTH_TOKEN`` from the environment, where twilio-python's conventions (and a
``.env`` the app loads) keep it, unless ``TWILIO_ACCOUNT_SID`` there names another account;
otherwise twimlsim makes one up, and a refused webhook's hint says how to give it.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from twimlsim.model.store import AccountStore

__all__ = ["adopt"]


def adopt(store: AccountStore, username: str, password: str, account_sid: str | None) -> None:
    """Open what a suite's own credentials name: an API key (``SK...``) of the account in
    the path, or an account."""
    if username.startswith("SK") and account_sid is not None:
        account = store.accounts.get(account_sid)
        if account is None:
            token = _environment_token(account_sid)
            account = store.adopt_account(
                account_sid,
                token or store.sids.hex(f"adopted-token:{account_sid}"),
                opened_by_key=username,
                token_from_environment=token is not None,
            )
        store.adopt_api_key(account, username, password)
    else:
        store.adopt_account(username, password)


def _environment_token(account_sid: str) -> str | None:
    """``TWILIO_AUTH_TOKEN`` when set and not another account's (``TWILIO_ACCOUNT_SID``)."""
    token = os.environ.get("TWILIO_AUTH_TOKEN")
    if not token or os.environ.get("TWILIO_ACCOUNT_SID", account_sid) not in ("", account_sid):
        return None
    return token

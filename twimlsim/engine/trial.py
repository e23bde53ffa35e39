"""What a trial account may not do once a call runs (the REST refusal of an unverified
``To``, 21219, is in ``rest/params.py``).

- A trial call lasts at most ``TRIAL_TIME_LIMIT`` seconds (Twilio's warning 13805, "Trial
  account call duration exceeded 10 minute limit"): twimlsim ends it ``completed`` there and
  records the warning.
- A ``<Dial>`` to a phone number that is not one of the account's verified caller IDs is
  not placed (Twilio's warning 14111, "'To' field must be a validated caller ID while in
  Trial mode"): the leg ends ``failed`` at once (fidelity choice: Twilio documents only the
  warning). ``client:`` and SIP targets are dialled.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from twimlsim.model.call import Call
    from twimlsim.model.store import AccountStore

__all__ = ["TRIAL_TIME_LIMIT", "dial_refused", "ended_by_trial_limit", "time_limit"]

#: The longest call a trial account may make, in seconds (10 minutes).
TRIAL_TIME_LIMIT = 600


def _trial(store: AccountStore, record: Call) -> bool:
    account = store.accounts.get(record.account_sid)
    return account is not None and account.trial


def time_limit(store: AccountStore, record: Call) -> int:
    """The call's time limit, at most 10 minutes on a trial account."""
    if _trial(store, record):
        return min(record.time_limit, TRIAL_TIME_LIMIT)
    return record.time_limit


def ended_by_trial_limit(store: AccountStore, record: Call) -> bool:
    """Whether a call its time limit ended was cut by the trial limit (warning 13805): a
    trial account's call whose limit is the trial's (a paid account's ``TimeLimit=600``
    is the app's own limit)."""
    return record.time_limit == TRIAL_TIME_LIMIT and _trial(store, record)


def dial_refused(store: AccountStore, record: Call) -> bool:
    """True when ``record`` (a ``<Dial>`` leg) calls a number a trial account may not."""
    if not _trial(store, record) or not record.to.startswith("+"):
        return False
    return not store.accounts[record.account_sid].is_verified(record.to)

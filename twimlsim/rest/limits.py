"""Twilio's refusals that protect its platform, as the fake API answers them.

- 22005 "Call Queue Full": a call that would not be placed within 24 hours of the account's
  queue is refused (Twilio's error dictionary; at 1 call per second, 86,400 queued calls).
  Fidelity choice (the dictionary gives no HTTP status): 400, like Twilio's other refusals
  of a call create.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from twimlsim.engine.limits import queue_full_message, queue_wait_micros
from twimlsim.errors import TwilioApiError

if TYPE_CHECKING:
    from twimlsim.engine.engine import Engine
    from twimlsim.model.store import Account

__all__ = ["QUEUE_FULL", "check_queue_room"]

QUEUE_FULL = 22005


def check_queue_room(account: Account, engine: Engine) -> None:
    """Refuse (22005) a call that would wait 24 hours or more in the account's queue."""
    message = queue_full_message(account, queue_wait_micros(account, engine.clock.micros))
    if message is not None:
        raise TwilioApiError(400, QUEUE_FULL, message)

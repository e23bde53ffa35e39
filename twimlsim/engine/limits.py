"""Bounds that keep a runaway app from running the simulator forever.

Twilio's own bound is its call queue: it refuses a call that would not be placed within 24
hours (error 22005, "Call Queue Full": at 1 call per second, 86,400 queued calls). That
keeps a queue finite but not a run: an app whose every call places more calls keeps the
queue full and the calls going for ever. ``run_bounded`` therefore stops a run once
``max_new_calls`` calls have been created while it ran (twimlsim's bound, not Twilio's:
real Twilio would bill those calls), and returns the failure that names the cause.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from twimlsim.errors import CallFailure

if TYPE_CHECKING:
    from twimlsim.model.store import Account

    from .engine import Engine

__all__ = [
    "MAX_CALLS_PER_RUN",
    "QUEUE_LIMIT_SECONDS",
    "queue_full_message",
    "queue_wait_micros",
    "run_bounded",
]

#: Twilio refuses a call that would wait this long or longer in the account's queue.
QUEUE_LIMIT_SECONDS = 24 * 3600
#: Calls one run may create before twimlsim stops it.
MAX_CALLS_PER_RUN = 5_000


def queue_wait_micros(account: Account, now_us: int) -> int:
    """How long a call created now would wait in ``account``'s queue."""
    return max(now_us, account.next_slot_us) - now_us


def queue_full_message(account: Account, wait_us: int) -> str | None:
    """Twilio's refusal (22005) of a call that would wait ``wait_us``, or None."""
    if wait_us < QUEUE_LIMIT_SECONDS * 1_000_000:
        return None
    queued = math.ceil(QUEUE_LIMIT_SECONDS * account.cps)
    return (
        f"Call Queue Full: there are more than 24 hours of calls in the call queue of "
        f"account {account.sid} (at {account.cps:g} calls per second, {queued:,} calls); "
        "calls are not accepted until the queue shortens. Place fewer calls at once, or "
        "raise the account's CPS"
    )


def run_bounded(engine: Engine, max_new_calls: int) -> CallFailure | None:
    """Run events until none is left or ``max_new_calls`` calls were created meanwhile.

    When stopped, the failure is recorded in ``engine.failures`` and returned.
    """
    scheduler = engine.scheduler
    engine.give_input_scripted_since()
    first = engine.calls_created
    ceiling = first + max_new_calls
    while scheduler.run_next():
        if engine.calls_created > ceiling:
            break
    else:
        return None
    newest = next(reversed(engine.calls))
    live = sum(not call.ended for call in engine.calls.values())
    links = engine._app_links
    why = "does each call place another?"
    if links is not None and links.live():
        why = (
            "does each call place another? calls to the simulation's own numbers reach "
            "their apps: do two of them dial each other, or one itself?"
        )
    failure = CallFailure(
        newest,
        None,
        f"run stopped after {max_new_calls:,} calls were created while it ran "
        f"({live:,} calls are still queued or live): the app's webhooks keep placing calls "
        f"({why}). Fix the app, or allow more with Simulator(max_calls_per_run=...)",
    )
    engine.failures.append(failure)
    return failure

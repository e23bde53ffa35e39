"""Twilio's read timeout for apps called in process.

Over HTTP the transport applies Twilio's 15 s read timeout itself. In process the app runs
on the test's own thread and cannot be interrupted, so ``WallTimeLimit`` lets it finish,
measures how long it took on the machine's monotonic clock, and fails the webhook as Twilio
would have (11200: no answer within the read timeout) when it took longer than the limit.
The answer that came too late is not used, as on Twilio.

This is the one place the in-process simulator reads a wall clock, and it never waits on
it. The clock read is ``CLOCK_MONOTONIC`` through ``time.clock_gettime``, which freezegun
does not patch (it patches ``time.monotonic``), so frozen app time never hides a slow app.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable

from twimlsim.defaults import DEFAULT_WEBHOOK_TIMEOUT

from .base import Transport, WebhookDeliveryError, WebhookRequest, WebhookResponse

__all__ = [
    "DEFAULT_WEBHOOK_TIMEOUT",
    "LIFT_THE_LIMIT",
    "WallTimeLimit",
    "read_deadline",
    "reading_until",
    "swap_read_deadline",
    "too_late",
    "wall_seconds",
]


#: What ends an 11200 read timeout of an app called in process: the limit is wall time, so
#: a breakpoint in the app's view (or an app slow only under test) runs it out.
LIFT_THE_LIMIT = (
    "if the time went by at a debugger breakpoint, or the app is slow only under test, lift "
    "the limit: Simulator(webhook_timeout=None), @pytest.mark.twimlsim(webhook_timeout=None), "
    "the ini option twimlsim_webhook_timeout = none, or twimlsim_options = "
    '{"webhook_timeout": None} on a TwimlsimMixin test (or give it more seconds)'
)


def _monotonic() -> Callable[[], float]:
    clock_gettime = getattr(time, "clock_gettime", None)
    if clock_gettime is not None:
        # a partial, not a lambda: no Python frame per read
        return functools.partial(clock_gettime, time.CLOCK_MONOTONIC)
    real = time.monotonic  # pragma: no cover - platforms without clock_gettime (Windows)
    return lambda: real()  # pragma: no cover


#: Seconds on the machine's monotonic clock (never frozen).
wall_seconds = _monotonic()

#: The ``wall_seconds`` instant by which the answer being delivered must have been read,
#: while a ``WallTimeLimit`` delivers one; None otherwise.
_read_deadline: float | None = None


def read_deadline() -> float | None:
    """When the answer being read must be complete (``wall_seconds``), or None: an answer
    that streams past it (an endless or slow body) fails there, as Twilio's read timeout
    would end it, instead of holding the test."""
    return _read_deadline


class reading_until:  # noqa: N801 - used as a function: ``with reading_until(t):``
    """While inside, ``read_deadline()`` is ``deadline`` (a ``wall_seconds`` instant, or
    None for no deadline).

    A class rather than a generator-made context: every webhook enters one, and this costs
    a fraction of what ``contextlib.contextmanager`` does."""

    __slots__ = ("deadline", "outer")

    def __init__(self, deadline: float | None) -> None:
        self.deadline = deadline
        self.outer: float | None = None

    def __enter__(self) -> None:
        global _read_deadline
        self.outer, _read_deadline = _read_deadline, self.deadline

    def __exit__(self, *exc_info: object) -> None:
        global _read_deadline
        _read_deadline = self.outer


def swap_read_deadline(deadline: float | None) -> float | None:
    """Make ``deadline`` the read deadline (``read_deadline()``) and return the one it
    replaces, to be put back: ``reading_until`` in two calls, for the in-process
    transport's every webhook."""
    global _read_deadline
    outer, _read_deadline = _read_deadline, deadline
    return outer


def too_late(url: str, elapsed: float, limit: float) -> WebhookDeliveryError:
    """The 11200 of an answer to ``url`` that took ``elapsed`` wall seconds, more than
    ``limit``."""
    waits = (
        f"Twilio waits at most {limit:g} s (its read timeout)"
        if limit == DEFAULT_WEBHOOK_TIMEOUT
        else f"the simulator waits at most {limit:g} s (webhook_timeout; Twilio's "
        f"read timeout is {DEFAULT_WEBHOOK_TIMEOUT:g} s)"
    )
    return WebhookDeliveryError(
        11200,
        f"the app took {elapsed:.1f} s of wall time to answer {url}; {waits} "
        "and then gives up on the request. Make the webhook answer sooner (move slow "
        "work out of the request, to a thread or a job queue, and answer the TwiML at "
        f"once); {LIFT_THE_LIMIT}",
        read_timeout=limit,
    )


class WallTimeLimit:
    """A transport that fails webhooks whose answer took more than ``limit`` wall seconds.

    ``limit=None`` measures nothing and lets every answer through.
    """

    def __init__(
        self,
        transport: Transport,
        limit: float | None = DEFAULT_WEBHOOK_TIMEOUT,
        *,
        clock: Callable[[], float] = wall_seconds,
    ) -> None:
        self.transport = transport
        self.limit = limit
        self._clock = clock
        #: ``send_within(request, limit, clock)`` of a transport that checks the limit as
        #: it delivers (the in-process one), or None.
        self._within: Callable[[WebhookRequest, float, Callable[[], float]], WebhookResponse] | None
        self._within = getattr(transport, "send_within", None)

    def send(self, request: WebhookRequest) -> WebhookResponse:
        """Deliver ``request``; raise 11200 when the answer came after the limit."""
        if self.limit is None:
            return self.transport.send(request)
        within = self._within
        if within is not None:  # the transport checks the limit itself, in one step
            return within(request, self.limit, self._clock)
        started = self._clock()
        with reading_until(started + self.limit):
            response = self.transport.send(request)
        elapsed = self._clock() - started
        if elapsed > self.limit:
            raise too_late(request.url, elapsed, self.limit)
        return response

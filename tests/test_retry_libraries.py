"""Retry libraries that give up after a time (tenacity's ``stop_after_delay``, stamina's
``timeout``, backoff's ``max_time``, retrying's ``stop_max_delay``) and waits with a
timeout (polling2's ``poll``, waiting's ``wait``) keep the wall clock while the app's is
frozen: a webhook whose call to a service that is down is retried gives up after its real
delay, as on a server, while the app's own code reads virtual time.

On the frozen clock the delay never passed, so the webhook (which runs on the test's
thread) retried for ever. Each test runs the simulation in a thread and waits a bounded
time for it, so a regression fails instead of hanging the suite.
"""

from __future__ import annotations

import asyncio
import importlib
import sys
import threading
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import backoff
import opnieuw
import polling2
import pytest
import retrying
import stamina
import tenacity
import waiting

from tests.support import called_in
from twimlsim import Simulator

#: Each attempt takes this long (real seconds) and the retry gives up after LIMIT: the
#: first attempt ends before it, the second after. tenacity, stamina, retrying, polling2
#: and waiting read the time after an attempt, and stop after the second; backoff reads it
#: before one, and gives up after a third (begun 0.5 s in, before the limit).
ATTEMPT = 0.5
LIMIT = 0.8
#: When the simulation starts: the first webhook is asked for then.
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


class ServiceDown(ConnectionError):
    """What each attempt raises: the service the webhook calls is down."""


class GaveUpWaiting(Exception):
    """Raised by an attempt once the test stopped waiting (not retried by the libraries)."""


def with_tenacity(attempt: Callable[[], None]) -> Callable[[], None]:
    return tenacity.retry(
        stop=tenacity.stop_after_delay(LIMIT),
        retry=tenacity.retry_if_exception_type(ServiceDown),
        reraise=True,
    )(attempt)


def with_stamina(attempt: Callable[[], None]) -> Callable[[], None]:
    return stamina.retry(
        on=ServiceDown, attempts=None, timeout=LIMIT, wait_initial=0, wait_max=0, wait_jitter=0
    )(attempt)


def with_backoff(attempt: Callable[[], None]) -> Callable[[], None]:
    decorate = backoff.on_exception(
        backoff.constant, ServiceDown, max_time=LIMIT, interval=0, jitter=None
    )
    return decorate(attempt)  # type: ignore[no-any-return]


def with_retrying(attempt: Callable[[], None]) -> Callable[[], None]:
    decorate = retrying.retry(
        stop_max_delay=int(LIMIT * 1000),
        wait_fixed=0,
        retry_on_exception=lambda error: isinstance(error, ServiceDown),
    )
    return decorate(attempt)  # type: ignore[no-any-return]


def with_polling2(attempt: Callable[[], None]) -> Callable[[], None]:
    def poll() -> None:
        try:
            polling2.poll(attempt, step=0, timeout=LIMIT, ignore_exceptions=(ServiceDown,))
        except polling2.TimeoutException:
            raise ServiceDown("timed out") from None

    return poll


def with_waiting(attempt: Callable[[], None]) -> Callable[[], None]:
    def wait() -> None:
        try:
            waiting.wait(
                attempt, timeout_seconds=LIMIT, sleep_seconds=0, expected_exceptions=ServiceDown
            )
        except waiting.TimeoutExpired:
            raise ServiceDown("timed out") from None

    return wait


def looks_up_the_caller(look_up_caller: Callable[[], None]) -> Callable[..., list[bytes]]:
    """A WSGI app whose webhook looks the caller up with ``look_up_caller`` and says whether
    it could."""

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        try:
            look_up_caller()
            words = "Welcome back."
        except ServiceDown:
            words = "Our records are unavailable."
        start_response("200 OK", [("Content-Type", "text/xml")])
        return [f"<Response><Say>{words}</Say></Response>".encode()]

    return app


def called_within_bounds(
    app: Any, attempts: list[datetime], waited: threading.Event
) -> tuple[Simulator, float]:
    """The simulator of a call to ``app``, run in a thread and waited for a bounded time,
    and the real seconds it took: a retry that never gives up fails the test (``waited``
    set lets the app's next attempt end it) instead of hanging the suite."""
    ran: list[Any] = []
    runner = threading.Thread(target=lambda: ran.append(called_in(app, start=START)), daemon=True)
    started = time.monotonic()
    runner.start()
    runner.join(timeout=5)
    if runner.is_alive():  # retried for ever: let the app's next attempt end it, then fail
        waited.set()
        runner.join(timeout=15)
        pytest.fail(f"the retry never gave up ({len(attempts)} attempts in 5 s)")
    (sim,) = ran
    return sim, time.monotonic() - started


@pytest.mark.parametrize(
    ("retried", "tries"),
    [
        (with_tenacity, 2),
        (with_stamina, 2),
        (with_backoff, 3),
        (with_retrying, 2),
        (with_polling2, 2),
        (with_waiting, 2),
    ],
)
def test_a_webhooks_retry_gives_up_after_its_real_delay_and_the_app_reads_virtual_time(
    retried: Callable[[Callable[[], None]], Callable[[], None]], tries: int
) -> None:
    attempts: list[datetime] = []
    waited = threading.Event()

    def call_the_crm() -> None:
        attempts.append(datetime.now(UTC))  # the app's own clock: virtual time
        if waited.is_set():
            raise GaveUpWaiting
        time.sleep(ATTEMPT)
        raise ServiceDown("crm.example.com is down")

    app = looks_up_the_caller(retried(call_the_crm))
    sim, took = called_within_bounds(app, attempts, waited)
    (call,) = sim.calls.values()
    assert (sim.failures, call.said) == ([], ["Our records are unavailable."])
    assert attempts == [START] * tries
    assert tries * ATTEMPT <= took < 5


def test_opnieuws_retry_window_is_used_up_on_the_wall_clock() -> None:
    """opnieuw stops at its call count or when its window is used up: with a window of
    none, the first call that takes any time uses it up (on the frozen clock it was never
    used up, and every call of ``max_calls_total`` was made)."""
    attempts: list[datetime] = []

    @opnieuw.retry(
        retry_on_exceptions=ServiceDown,
        max_calls_total=3,
        retry_window_after_first_call_in_seconds=0,
    )
    def call_the_crm() -> None:
        attempts.append(datetime.now(UTC))
        time.sleep(0.01)
        raise ServiceDown("crm.example.com is down")

    sim = called_in(looks_up_the_caller(call_the_crm), start=START)
    (call,) = sim.calls.values()
    assert (sim.failures, call.said, attempts) == ([], ["Our records are unavailable."], [START])


def async_with_tenacity(attempt: Callable[[], Awaitable[None]]) -> Callable[[], Awaitable[None]]:
    return tenacity.retry(
        stop=tenacity.stop_after_delay(LIMIT),
        retry=tenacity.retry_if_exception_type(ServiceDown),
        reraise=True,
    )(attempt)


def async_with_stamina(attempt: Callable[[], Awaitable[None]]) -> Callable[[], Awaitable[None]]:
    return stamina.retry(
        on=ServiceDown, attempts=None, timeout=LIMIT, wait_initial=0, wait_max=0, wait_jitter=0
    )(attempt)


def async_with_backoff(attempt: Callable[[], Awaitable[None]]) -> Callable[[], Awaitable[None]]:
    decorate = backoff.on_exception(
        backoff.constant, ServiceDown, max_time=LIMIT, interval=0, jitter=None
    )
    return decorate(attempt)  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("retried", "tries"),
    [(async_with_tenacity, 2), (async_with_stamina, 2), (async_with_backoff, 3)],
)
def test_an_async_webhooks_retry_gives_up_after_its_real_delay(
    retried: Callable[[Callable[[], Awaitable[None]]], Callable[[], Awaitable[None]]], tries: int
) -> None:
    """The same in an ASGI app's webhook, awaiting between attempts on its event loop."""
    attempts: list[datetime] = []
    waited = threading.Event()

    async def call_the_crm() -> None:
        attempts.append(datetime.now(UTC))
        if waited.is_set():
            raise GaveUpWaiting
        await asyncio.sleep(ATTEMPT)
        raise ServiceDown("crm.example.com is down")

    look_up_caller = retried(call_the_crm)

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        try:
            await look_up_caller()
            words = "Welcome back."
        except ServiceDown:
            words = "Our records are unavailable."
        headers = [(b"content-type", b"text/xml")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        body = f"<Response><Say>{words}</Say></Response>".encode()
        await send({"type": "http.response.body", "body": body})

    sim, took = called_within_bounds(app, attempts, waited)
    (call,) = sim.calls.values()
    assert (sim.failures, call.said) == ([], ["Our records are unavailable."])
    assert attempts == [START] * tries
    assert tries * ATTEMPT <= took < 5


def test_a_retry_library_first_imported_inside_the_webhook_keeps_the_wall_clock(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """tenacity imported where the webhook retries, while the app's time is frozen, gets
    its wall clock as its import ends (it read the frozen clock and retried for ever), and
    its own clock module back, with no finder left on ``sys.meta_path``, once it stops."""
    for name in [name for name in sys.modules if name.partition(".")[0] == "tenacity"]:
        monkeypatch.delitem(sys.modules, name)
    meta_path = list(sys.meta_path)
    attempts: list[datetime] = []
    waited = threading.Event()

    def call_the_crm() -> None:
        attempts.append(datetime.now(UTC))
        if waited.is_set():
            raise GaveUpWaiting
        time.sleep(ATTEMPT)
        raise ServiceDown("crm.example.com is down")

    def look_up_caller() -> None:
        fresh = importlib.import_module("tenacity")
        assert fresh is not tenacity
        imported.append(fresh)
        fresh.retry(
            stop=fresh.stop_after_delay(LIMIT),
            retry=fresh.retry_if_exception_type(ServiceDown),
            reraise=True,
        )(call_the_crm)()

    imported: list[Any] = []
    sim, took = called_within_bounds(looks_up_the_caller(look_up_caller), attempts, waited)
    (call,) = sim.calls.values()
    assert (sim.failures, call.said) == ([], ["Our records are unavailable."])
    assert attempts == [START] * 2
    assert 2 * ATTEMPT <= took < 5
    assert imported[0].time is time
    assert sys.meta_path == meta_path

"""An ASGI app whose endpoint sleeps (``await asyncio.sleep(...)``) under a freezegun freeze
the test started itself, before the simulator (``freezer`` listed first, ``with
freeze_time(...)`` around it) or after it was made (``@freeze_time`` with the fixture):
freezegun's default (``real_asyncio=False``) froze the event loop's clock, so the sleep
never ended and the webhook hung for ever, past any ``webhook_timeout``."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any

import pytest
from freezegun import freeze_time

from twimlsim import Simulator


async def sleepy(scope: dict[str, Any], receive: Any, send: Any) -> None:
    assert scope["type"] == "http"
    await asyncio.sleep(0.01)
    await send(
        {"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/xml")]}
    )
    await send({"type": "http.response.body", "body": b"<Response><Say>Hello.</Say></Response>"})


def _call(sim: Simulator) -> list[str]:
    sim.route("https://app.test", sleepy)
    sim.number("+15005550006", voice_url="https://app.test/voice")
    call = sim.incoming_call(from_="+15558675310", to="+15005550006")
    sim.run()
    return [str(said) for said in call.said]


def _frozen_first() -> list[str]:
    with freeze_time("2026-03-01 12:00:00"), Simulator(webhook_timeout=5) as sim:
        return _call(sim)


def _frozen_after_the_simulator_was_made() -> list[str]:
    with Simulator(webhook_timeout=5) as sim, freeze_time("2026-03-01 12:00:00"):
        return _call(sim)


@pytest.mark.parametrize("frozen", [_frozen_first, _frozen_after_the_simulator_was_made])
def test_an_asgi_apps_sleep_ends_under_the_tests_own_freeze(
    frozen: Callable[[], list[str]],
) -> None:
    said: list[list[str]] = []
    running = threading.Thread(target=lambda: said.append(frozen()), daemon=True)
    running.start()
    running.join(timeout=30)  # it hung for ever
    assert not running.is_alive()
    assert said == [["Hello."]]

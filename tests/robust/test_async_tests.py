"""An async test that runs calls (``sim.run()`` inside its event loop, as a pytest-asyncio
or anyio test does): a WSGI app answers as on a server's thread, where no loop runs, so a
view's ``asyncio.run()``, asgiref's ``async_to_sync`` and Django's async-unsafe guard
behave as on Twilio, and the test's loop is its own again once the run is over."""

from __future__ import annotations

import asyncio

from asgiref.sync import async_to_sync
from django.utils.asyncio import async_unsafe

from fixtures.twiml_app import TwimlApp
from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim import Simulator


async def greeting(name: str) -> str:
    await asyncio.sleep(0)
    return f"Hello {name}"


@async_unsafe
def database_query() -> str:  # as Django's ORM guards its queries
    return "3 orders"


def view(form: dict[str, str]) -> str:
    said = asyncio.run(greeting(form["From"]))
    again = async_to_sync(greeting)("again")
    orders = database_query()
    return f"<Response><Say>{said}</Say><Say>{again}</Say><Say>{orders}</Say></Response>"


def test_a_webhook_run_from_an_async_test_answers_outside_the_tests_loop() -> None:
    async def test_body() -> tuple[list[str], bool, bool]:
        loop = asyncio.get_running_loop()
        with Simulator() as sim:
            sim.route(APP_URL, TwimlApp({"/voice": view}))
            sim.number(CALLER_ID, voice_url=f"{APP_URL}/voice")
            call = sim.incoming_call(from_=CALLEE, to=CALLER_ID)
            sim.run()
        await asyncio.sleep(0)  # the test's loop still runs its awaits
        return (
            call.said,
            asyncio.get_running_loop() is loop,
            asyncio.get_event_loop_policy().get_event_loop() is loop,
        )

    assert asyncio.run(test_body()) == (
        ["Hello +15558675310", "Hello again", "3 orders"],
        True,
        True,
    )

"""A 403 from a Sanic app served over ASGI says Sanic builds its URLs with http:// there
and how to give it its public base URL (checked by hand with Sanic 25.12: its
request.url read http://app.test/voice, and app.config.SERVER_NAME made the check pass)."""

from __future__ import annotations

from typing import Any

from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim import Simulator

#: What the hint adds for a Sanic app.
SANIC_OVER_ASGI = (
    ". A Sanic app served over ASGI, as here and under uvicorn, builds request.url with "
    "http:// whatever the scheme Twilio used (it reads no TLS from an ASGI scope): give it "
    "its public base URL, app.config.SERVER_NAME = 'https://app.test' (the routed one), and "
    "request.url is the URL Twilio signed"
)


class RefusingApp:
    """An ASGI app that refuses every webhook with 403, as a failing signature check does."""

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        await receive()
        await send({"type": "http.response.start", "status": 403, "headers": []})
        await send({"type": "http.response.body", "body": b""})


class SanicLike(RefusingApp):
    """Stands in for a ``sanic.Sanic`` app: the hint knows it by its module."""

    __module__ = "sanic.app"


def refusal_of(app: Any) -> str:
    """The message of the 403 ``app`` answers a call's first webhook with, up to what the
    call did next."""
    with Simulator(strict=False) as sim:
        sim.route(APP_URL, app)
        sim.number(CALLER_ID)
        sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice")
        sim.run()
    (failure,) = sim.failures
    return failure.message.split("; twimlsim then played")[0]


def test_a_403_from_a_sanic_app_says_its_urls_read_http() -> None:
    assert refusal_of(SanicLike()) == refusal_of(RefusingApp()) + SANIC_OVER_ASGI


def test_a_403_from_another_asgi_app_ends_with_the_token_advice() -> None:
    assert refusal_of(RefusingApp()).endswith(
        "patch it where the app keeps it "
        "(monkeypatch.setattr('django_twilio.decorators.TWILIO_AUTH_TOKEN', sim.auth_token))"
    )

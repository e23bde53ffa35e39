"""A Sanic app object routed in one test after another starts again in each.

Sanic starts an app object once per process: a second lifespan startup of the same object
fails ("Cannot finalize router more than once.") unless ``Sanic.test_mode`` is set, which
Sanic's own test clients set. A suite routes its module's one app in every test. The app
here is a stand-in with that rule (a module named ``sanic`` with its ``Sanic`` class), so
that the suite needs no Sanic."""

from __future__ import annotations

import sys
import types
from typing import Any, ClassVar

import pytest

from twimlsim import Simulator

TWIML = b'<?xml version="1.0" encoding="UTF-8"?><Response><Say>Hi from Sanic.</Say></Response>'


class Sanic:
    """Sanic's startup rule: one lifespan startup per object unless ``test_mode``."""

    test_mode: ClassVar[bool] = False

    def __init__(self) -> None:
        self.finalized = False

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    if self.finalized and not Sanic.test_mode:
                        reason = "Cannot finalize router more than once."
                        await send({"type": "lifespan.startup.failed", "message": reason})
                        continue
                    self.finalized = True
                    await send({"type": "lifespan.startup.complete"})
                else:
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        await receive()
        headers = [(b"content-type", b"text/xml")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": TWIML})


@pytest.fixture
def sanic(monkeypatch: pytest.MonkeyPatch) -> type[Sanic]:
    module = types.ModuleType("sanic")
    module.Sanic = Sanic  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "sanic", module)
    monkeypatch.setattr(Sanic, "test_mode", False)
    return Sanic


def said_by(app: object) -> list[str]:
    with Simulator() as sim:
        sim.route("https://myapp.test", app)
        sim.number("+15005550006")
        call = sim.client().calls.create(
            to="+15558675310", from_="+15005550006", url="https://myapp.test/voice"
        )
        sim.run()
        return list(sim.calls[call.sid].said)


def test_a_sanic_app_routed_by_one_simulator_after_another_answers_each(
    sanic: type[Sanic],
) -> None:
    app = sanic()
    assert [said_by(app), said_by(app)] == [["Hi from Sanic."], ["Hi from Sanic."]]
    assert sanic.test_mode is True


class Lookalike:
    """An ASGI app of another framework, answering as the Sanic stand-in does."""

    __call__ = Sanic.__call__

    def __init__(self) -> None:
        self.finalized = False


def test_an_app_of_another_framework_leaves_sanics_test_mode_alone(sanic: type[Sanic]) -> None:
    assert said_by(Lookalike()) == ["Hi from Sanic."]
    assert sanic.test_mode is False

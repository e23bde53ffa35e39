"""One ``twimlsim serve`` subprocess and one IVR app for the package's tests, the server
reset before each test that uses it (nothing here imports twimlsim)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.serve.client import ServeProcess, WebhookApp
from tests.serve.ivr import CALLER_ID, ROUTES


@pytest.fixture(scope="package")
def app() -> Iterator[WebhookApp]:
    """The IVR on a real local port."""
    served = WebhookApp(ROUTES)
    yield served
    served.stop()


@pytest.fixture(scope="package")
def server() -> Iterator[ServeProcess]:
    """``twimlsim serve --clock manual`` owning ``CALLER_ID``."""
    process = ServeProcess("--clock", "manual", "--number", CALLER_ID, "--log-level", "warning")
    yield process
    process.kill()


@pytest.fixture
def serve(server: ServeProcess, app: WebhookApp) -> ServeProcess:
    """The package's server, reset: no call, script, extra number or failure left over."""
    server.post("reset")
    app.app.seen.clear()
    return server

"""``sim.route`` given a framework's test client in place of its app names the app the
client wraps, where the client keeps one (Starlette's and FastAPI's ``TestClient``)."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from twimlsim import Simulator

ADVICE = (
    "sim.route('https://app.test', ...): app must be a WSGI or ASGI application (a Flask, "
    "Django or FastAPI app object, a callable), got {client!r} (TestClient); a test client is "
    "no app: route the app it sends its requests to (the one given to TestClient(app), the "
    "Flask or Quart app of app.test_client(), Django's get_wsgi_application() for its "
    "Client), and keep the client for the test's own requests"
)


def test_a_starlette_test_client_is_told_the_app_it_wraps() -> None:
    app = Starlette()
    client = TestClient(app)
    with Simulator() as sim, pytest.raises(TypeError) as raised:
        sim.route("https://app.test", client)
    assert str(raised.value) == (
        ADVICE.format(client=client) + f": this one's is client.app, {app!r}"
    )

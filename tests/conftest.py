"""Shared fixtures: the example Flask app, a started simulator routed to it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fixtures import flask_app
from tests.support import APP_URL, CALLER_ID
from twimlsim import Simulator


@pytest.fixture
def example_app() -> Iterator[object]:
    """The example Flask app with its logs emptied."""
    flask_app.STATUS_LOG.clear()
    flask_app.SEEN_AT.clear()
    yield flask_app.app
    flask_app.STATUS_LOG.clear()
    flask_app.SEEN_AT.clear()


@pytest.fixture
def sim(example_app: object) -> Iterator[Simulator]:
    """A started strict simulator that owns CALLER_ID and routes APP_URL to the example app."""
    with Simulator() as simulator:
        simulator.route(APP_URL, example_app)  # type: ignore[arg-type]
        simulator.number(CALLER_ID)
        yield simulator

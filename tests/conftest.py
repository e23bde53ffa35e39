"""Shared fixtures: the example Flask app, a started simulator routed to it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fixtures import flask_app
from tests.support import APP_URL, CALLER_ID
from twimlsim import Simulator

#: Plugins installed for the adoption tests that act on every test once loaded; a pytest
#: run inside a test starts without them too, unless its arguments name them (``-p
#: randomly``), as pyproject's addopts keep them off this suite's own run.
PLUGINS_OFF = "-p no:randomly -p no:pytest-responses -p no:django"


@pytest.fixture
def pytester(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """pytest's ``pytester``, its runs without the plugins of ``PLUGINS_OFF`` and as off a
    CI machine (where golden files are not written), wherever this suite runs."""
    monkeypatch.setenv("PYTEST_ADDOPTS", PLUGINS_OFF)
    for variable in ("CI", "TF_BUILD", "JENKINS_URL"):
        monkeypatch.delenv(variable, raising=False)
    return pytester


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

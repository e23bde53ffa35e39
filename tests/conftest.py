"""Shared fixtures: the example Flask app, a started simulator routed to it; and how the
suite runs: its long tests first under pytest-xdist, what collection built out of the
garbage collector's way."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from hypothesis import settings

from fixtures import flask_app
from tests.support import APP_URL, CALLER_ID
from twimlsim import Simulator
from twimlsim.golden import CI_VARIABLES

# The suite runs on shared machines under load, where Hypothesis's 200 ms deadline fails
# examples that are merely slow (a timing flake, not a defect); the examples stay as many.
settings.register_profile("suite", deadline=None)
settings.load_profile("suite")

#: Plugins installed for the adoption tests that act on every test once loaded; a pytest
#: run inside a test starts without them too, unless its arguments name them (``-p
#: randomly``), as pyproject's addopts keep them off this suite's own run.
PLUGINS_OFF = "-p no:randomly -p no:pytest-responses -p no:django"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under pytest-xdist, the tests marked ``install`` (the longest, about half a minute)
    start first, so that no worker is left running them alone at the end."""
    if hasattr(config, "workerinput"):
        items.sort(key=lambda item: item.get_closest_marker("install") is None)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Move what collection built (modules, test items: most of what the run keeps) out
    of the collector's way: each full collection then walks only what the tests made since.
    Garbage is collected first, so nothing left for the collector is kept forever."""
    gc.collect()
    gc.freeze()


@pytest.fixture
def pytester(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """pytest's ``pytester``, its runs without the plugins of ``PLUGINS_OFF`` and as off a
    CI machine (where golden files are not written), wherever this suite runs."""
    monkeypatch.setenv("PYTEST_ADDOPTS", PLUGINS_OFF)
    for variable in CI_VARIABLES:
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


@pytest.fixture
def asks_unsimulated(sim: Simulator) -> None:
    """``sim`` in a test that asks for what twimlsim does not simulate on purpose: its 501s
    do not fail the strict check at teardown (``allow_codes=[20500]``)."""
    sim.allow_codes = sim.allow_codes | {20500}

"""The pytest plugin: the ``twimlsim`` fixture and marker. Wiring only; the logic lives in
``Simulator``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from .simulator import Simulator

__all__ = ["twimlsim"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "twimlsim(**kwargs): Simulator keyword arguments for the twimlsim fixture "
        "(cps, seed, strict, freeze_time, start)",
    )


def _marker_kwargs(request: pytest.FixtureRequest) -> dict[str, Any]:
    kwargs: dict[str, Any] = {}
    for marker in reversed(list(request.node.iter_markers("twimlsim"))):
        if marker.args:
            raise pytest.UsageError(
                "@pytest.mark.twimlsim takes keyword arguments only, "
                f"e.g. @pytest.mark.twimlsim(cps=5); got positional {marker.args!r}"
            )
        kwargs.update(marker.kwargs)
    return kwargs


@pytest.fixture
def twimlsim(request: pytest.FixtureRequest) -> Iterator[Simulator]:
    """A started ``Simulator``; strict problems fail the test at teardown."""
    __tracebackhide__ = True
    sim = Simulator(**_marker_kwargs(request))
    with sim:
        yield sim

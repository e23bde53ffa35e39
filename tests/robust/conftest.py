"""What the robustness tests of ``twimlsim serve``'s control API share."""

from __future__ import annotations

import argparse
from collections.abc import Iterator

import pytest

from twimlsim import serve


@pytest.fixture(scope="module")
def served() -> Iterator[serve.Served]:
    """A ``twimlsim serve`` on a manual clock, for the module's tests (a module may define
    its own with other options)."""
    parser = argparse.ArgumentParser()
    serve.add_arguments(parser)
    running = serve.start(parser.parse_args(["--clock", "manual", "--log-level", "warning"]))
    yield running
    running.stop()

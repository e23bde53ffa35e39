"""The simulator the WebSocket tests share: lenient, its number's voice URL on the app."""

from __future__ import annotations

from collections.abc import Generator

import pytest

from twimlsim import Simulator

from .calls import APP, NUMBER


@pytest.fixture
def sim() -> Generator[Simulator, None, None]:
    with Simulator(strict=False) as simulator:
        simulator.number(NUMBER, voice_url=f"{APP}/voice")
        yield simulator

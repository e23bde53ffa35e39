"""twimlsim serve's log: the engine's warnings in the server's own form."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from twimlsim import serve


@pytest.fixture
def restored_loggers() -> Iterator[None]:
    """Give back the loggers configure_logging changes."""
    names = ("twimlsim.serve", "twimlsim.engine", "werkzeug")
    saved = [
        (logger, logger.handlers[:], logger.level, logger.propagate)
        for logger in map(logging.getLogger, names)
    ]
    yield
    for logger, handlers, level, propagate in saved:
        logger.handlers[:] = handlers
        logger.setLevel(level)
        logger.propagate = propagate


@pytest.mark.usefixtures("restored_loggers")
@pytest.mark.parametrize("level", ["warning", "info", "debug"])
def test_an_engine_warning_is_logged_as_the_servers_lines_are(
    level: str, capsys: pytest.CaptureFixture[str]
) -> None:
    serve.configure_logging(level)
    logging.getLogger("twimlsim.engine").warning("call CA1: the AMD callback answered TwiML")
    assert capsys.readouterr().err == (
        "twimlsim WARNING call CA1: the AMD callback answered TwiML\n"
    )

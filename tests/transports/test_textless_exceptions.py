"""An exception raised without text (``raise ValueError``) is named by its type alone in
every message that names what the app raised: no "ValueError: " with nothing after it."""

from __future__ import annotations

import asyncio

from flask import Flask

from tests.transports.test_app_errors import ERRORS, failure_of
from twimlsim.arguments import raised_text


def raising_app() -> Flask:
    app = Flask("voice")

    @app.post("/voice")
    def voice() -> str:
        raise ValueError

    return app


def test_raised_text_names_the_type_and_any_text() -> None:
    assert raised_text(ValueError()) == "ValueError"
    assert raised_text(asyncio.CancelledError()) == "CancelledError"
    assert raised_text(KeyError("Digits")) == "KeyError: 'Digits'"
    assert raised_text(RuntimeError("no transcriber")) == "RuntimeError: no transcriber"


def test_a_500_of_an_exception_without_text_names_its_type_alone() -> None:
    message, _ = failure_of(raising_app())
    assert message == (
        "https://app.test/voice: the app answered HTTP 500 to POST; it raised ValueError; its "
        "body: '500 Internal Server Error Internal Server Error The server encountered an "
        "internal error and was unable to complete your request. Either the server is "
        f"overloaded or there is an error in the application.'{ERRORS}"
    )

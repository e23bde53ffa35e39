"""A Google Cloud Functions function (functions-framework's, taking the request alone)
given to sim.route is refused with the Flask app to route instead."""

from __future__ import annotations

import functools
import sys
import types
from collections.abc import Callable
from typing import Any

import pytest

from twimlsim import Simulator

#: A function module as a Cloud Functions project writes it, compiled as its main.py.
MAIN_PY = """
import functions_framework


@functions_framework.http
def voice(request):
    return "<Response><Say>Hello</Say></Response>", 200, {"Content-Type": "text/xml"}
"""


def http(function: Callable[..., Any]) -> Callable[..., Any]:
    """Stands in for functions-framework's ``http`` decorator, which registers the function
    and returns a wrapper of it (functools.wraps)."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return function(*args, **kwargs)

    return wrapper


@pytest.fixture
def cloud_function(monkeypatch: pytest.MonkeyPatch) -> Any:
    """The ``voice`` function of MAIN_PY, with functions_framework imported."""
    framework = types.ModuleType("functions_framework")
    framework.http = http  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "functions_framework", framework)
    namespace: dict[str, Any] = {"__name__": "main"}
    exec(compile(MAIN_PY, "main.py", "exec"), namespace)
    return namespace["voice"]


def test_a_cloud_function_is_refused_with_the_flask_app_to_route(cloud_function: Any) -> None:
    with Simulator() as sim, pytest.raises(TypeError) as refused:
        sim.route("https://us-central1-proj.cloudfunctions.net/voice", cloud_function)
    assert str(refused.value) == (
        "sim.route('https://us-central1-proj.cloudfunctions.net/voice', ...): the function "
        "voice takes (request), as a Google Cloud Functions function does: it is neither a "
        "WSGI app (called with environ and start_response) nor an ASGI app; route the Flask app "
        "functions-framework serves it with, functions_framework.create_app(target='voice', "
        "source='main.py'), at the function's host alone "
        "(https://REGION-PROJECT.cloudfunctions.net): every path there reaches the function"
    )


def test_a_view_of_a_module_without_functions_framework_keeps_the_general_advice(
    cloud_function: Any,
) -> None:
    """functions-framework imported (by the fixture), yet this module does not use it."""

    def voice(request: object) -> str:
        return "<Response/>"

    with Simulator() as sim, pytest.raises(TypeError) as refused:
        sim.route("https://app.test", voice)
    assert str(refused.value).endswith(
        "it takes (request); pass the WSGI or ASGI application object itself (Flask's app, "
        "Django's get_wsgi_application(), FastAPI's app)"
    )

"""An Azure Functions app routed in process is refused at ``sim.route`` with how to drive
it: the Functions host serves it, which speaks neither WSGI nor ASGI."""

from __future__ import annotations

import sys

import pytest

from twimlsim import Simulator


class FunctionApp:
    """Stands in for Azure Functions' ``func.FunctionApp``: not callable."""

    __module__ = "azure.functions.decorators.function_app"

    def __repr__(self) -> str:
        return "<FunctionApp 0x1>"


class FunctionBuilder:
    """Stands in for what ``@app.route`` of a ``FunctionApp`` makes of a function: callable
    with any arguments, so it was taken for a WSGI app."""

    __module__ = "azure.functions.decorators.function_app"

    def __call__(self, *args: object, **kwargs: object) -> object:
        return None

    def __repr__(self) -> str:
        return "<FunctionBuilder 0x1>"


AZURE_ADVICE = (
    "run it with `func start` and drive it over HTTP with `twimlsim call "
    "http://localhost:7071/api/voice` or `twimlsim serve`, or route a few lines of WSGI that "
    "build an azure.functions.HttpRequest (method, url, headers, params, body) from the "
    "request, call the function with it and answer its HttpResponse (status_code, its "
    "mimetype as the Content-Type, headers, get_body()) (README: Running a Twilio sample app)"
)


@pytest.mark.parametrize(
    ("app", "named"),
    [
        (FunctionApp(), "<FunctionApp 0x1> (FunctionApp)"),
        (FunctionBuilder(), "<FunctionBuilder 0x1> (FunctionBuilder)"),
    ],
)
def test_an_azure_functions_app_is_told_how_to_drive_it(app: object, named: str) -> None:
    # the FunctionApp was refused as "pass the app itself, not its name or module", and a
    # function it decorated was routed, every webhook then failing with 11200
    with Simulator() as sim, pytest.raises(TypeError) as refused:
        sim.route("https://voice.azurewebsites.net/api", app)
    assert str(refused.value) == (
        f"sim.route('https://voice.azurewebsites.net/api', ...): {named} is an Azure "
        "Functions app, served by the Functions host: it is neither a WSGI app (called with "
        f"environ and start_response) nor an ASGI app; {AZURE_ADVICE}"
    )


def test_an_azure_function_of_the_request_is_told_how_to_drive_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the v1 programming model: main(req: func.HttpRequest) -> func.HttpResponse
    monkeypatch.setitem(sys.modules, "azure.functions", type(sys)("azure.functions"))

    def main(req: func.HttpRequest) -> func.HttpResponse:  # type: ignore[name-defined]  # noqa: F821
        raise AssertionError("not called")

    with Simulator() as sim, pytest.raises(TypeError) as refused:
        sim.route("https://voice.azurewebsites.net/api", main)
    assert str(refused.value) == (
        "sim.route('https://voice.azurewebsites.net/api', ...): the function "
        "test_an_azure_function_of_the_request_is_told_how_to_drive_it.<locals>.main is "
        "neither a WSGI app (called with environ and start_response) nor an ASGI app (an "
        "async callable of scope, receive and send): it takes (req); an Azure Functions "
        f"function is served by the Functions host: {AZURE_ADVICE}"
    )


def azure_wrapper(name: str) -> object:
    """Stands in for Azure Functions' wrapper of a WSGI or ASGI app (not callable, as
    ``AsgiFunctionApp`` is not; ``AsgiMiddleware`` answers ``handle(req, context)``)."""
    return type(
        name,
        (),
        {
            "__module__": "azure.functions.decorators.function_app",
            "__repr__": lambda self: f"<{name} 0x1>",
        },
    )()


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("AsgiFunctionApp", "ASGI"),
        ("WsgiFunctionApp", "WSGI"),
        ("AsgiMiddleware", "ASGI"),
        ("WsgiMiddleware", "WSGI"),
    ],
)
def test_an_azure_wrapper_of_an_app_is_told_to_route_the_app_it_wraps(name: str, kind: str) -> None:
    # func.AsgiFunctionApp(app=fastapi_app) was told to run func start or write WSGI lines
    # building an HttpRequest, where routing the FastAPI app it wraps is all it takes
    app = azure_wrapper(name)
    with Simulator() as sim, pytest.raises(TypeError) as refused:
        sim.route("https://voice.azurewebsites.net/api", app)
    assert str(refused.value) == (
        f"sim.route('https://voice.azurewebsites.net/api', ...): <{name} 0x1> ({name}) is an Azure "
        "Functions app, served by the Functions host: it is neither a WSGI app (called with "
        f"environ and start_response) nor an ASGI app; it wraps the {kind} app given to "
        f"{name}(...) for the Functions host: route that app itself (sim.route(base_url, "
        f"app), with the app you pass to {name}), which takes Twilio's webhooks as the "
        "Functions host hands them on"
    )

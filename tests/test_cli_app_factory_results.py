"""``--app`` naming a function that takes no arguments: an async one is refused before it
is called (no coroutine left unawaited, no RuntimeWarning after the error line), and one
that returns no app says it was called and what it returned."""

from __future__ import annotations

import pytest

from twimlsim.cli import main


async def async_factory() -> None:
    """An async def taking nothing: no ASGI app, and --app does not await it."""


def number_factory() -> int:
    return 1


def none_factory() -> None:
    return None


@pytest.mark.filterwarnings("error::RuntimeWarning")
def test_an_async_function_is_refused_in_one_line_without_being_called(
    capsys: pytest.CaptureFixture[str],
) -> None:
    spec = "tests.test_cli_app_factory_results:async_factory"
    assert main(["call", "https://app.test/voice", "--app", spec]) == 2
    assert capsys.readouterr().err == (
        f"twimlsim call: error: --app {spec}: async_factory() is an async function, which "
        "--app does not await as an app factory; name the app object itself (--app "
        "tests.test_cli_app_factory_results:NAME) or a plain (not async) factory that "
        "returns it\n"
    )


@pytest.mark.parametrize(
    ("name", "returned"), [("number_factory", "1 (int)"), ("none_factory", "None (NoneType)")]
)
def test_a_factory_that_returns_no_app_is_named_as_called(
    capsys: pytest.CaptureFixture[str], name: str, returned: str
) -> None:
    spec = f"tests.test_cli_app_factory_results:{name}"
    assert main(["call", "https://app.test/voice", "--app", spec]) == 2
    assert capsys.readouterr().err == (
        f"twimlsim call: error: --app {spec}: {name}() was called as an app factory (it takes "
        f"no arguments) and returned {returned}, not a WSGI or ASGI app; name the app object "
        "itself (--app tests.test_cli_app_factory_results:NAME) or a factory that returns it\n"
    )

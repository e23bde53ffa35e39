"""Which of a test's markers speaks for it (its own, then its class's, then its module's),
the fixture's options given any other way than the marker, and what the simulator refuses
of the twimlsim_app and twimlsim_base_url fixtures."""

from __future__ import annotations

import pytest

from tests.plugin.test_plugin import assert_usage_error

pytest_plugins = ["pytester"]

CPS = "twimlsim.store.accounts[twimlsim.account_sid].cps"

CLOSEST = f"""
import pytest

pytestmark = pytest.mark.no_twimlsim


@pytest.mark.twimlsim(cps=5)
class TestMarked:
    @pytest.mark.no_twimlsim
    def test_opts_out_of_its_class(self, request):
        assert "twimlsim" not in request.fixturenames

    def test_the_class_marker(self, twimlsim):
        assert {CPS} == 5


@pytest.mark.twimlsim(cps=2)
def test_own_marker_in_an_opted_out_module(twimlsim):
    assert {CPS} == 2


def test_the_module_opts_out(request):
    assert "twimlsim" not in request.fixturenames
"""


@pytest.mark.parametrize("option", [[], ["--twimlsim"]])
def test_the_closest_of_the_marker_and_the_opt_out_decides(
    pytester: pytest.Pytester, option: list[str]
) -> None:
    pytester.makepyfile(CLOSEST)
    pytester.runpytest("-p", "no:randomly", *option).assert_outcomes(passed=4)


def test_a_test_that_opts_out_of_its_marked_class_and_asks_for_the_fixture_is_refused(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        """
import pytest

@pytest.mark.twimlsim(cps=5)
class TestMarked:
    @pytest.mark.no_twimlsim
    def test_asks(self, twimlsim):
        pass
"""
    )
    assert_usage_error(
        pytester.runpytest(),
        "test_a_test_that_opts_out_of_its_marked_class_and_asks_for_the_fixture_is_refused.py"
        "::TestMarked::test_asks is marked no_twimlsim but uses the twimlsim fixture; "
        "remove the no_twimlsim marker or stop asking for the fixture",
    )


def test_an_indirect_parameter_of_the_fixture_is_refused_not_dropped(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        """
import pytest

@pytest.mark.parametrize("twimlsim", [{"cps": 5}], indirect=True)
def test_indirect(twimlsim):
    pass
"""
    )
    assert_usage_error(
        pytester.runpytest(),
        "test_an_indirect_parameter_of_the_fixture_is_refused_not_dropped.py"
        "::test_indirect[twimlsim0] parametrizes the twimlsim fixture indirectly "
        "(parameter {'cps': 5}), which the fixture does not read; give simulator options "
        "with @pytest.mark.twimlsim(...), one parametrized case each with "
        "pytest.param(..., marks=pytest.mark.twimlsim(cps=5))",
    )


def test_a_parametrized_case_takes_its_options_from_its_own_marks(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        f"""
import pytest

@pytest.mark.parametrize(
    "cps", [pytest.param(5, marks=pytest.mark.twimlsim(cps=5)), pytest.param(1)]
)
def test_case(twimlsim, cps):
    assert {CPS} == cps
"""
    )
    pytester.runpytest().assert_outcomes(passed=2)


@pytest.mark.parametrize(
    ("fixtures", "message"),
    [
        (
            "@pytest.fixture\ndef twimlsim_app():\n    return app\n\n"
            "@pytest.fixture\ndef twimlsim_base_url():\n    return 'app.test'\n",
            "sim.route('app.test', ...): base_url 'app.test' is not an absolute http(s) URL "
            "with a host; give the app's base URL, such as 'https://app.test'",
        ),
        (
            "@pytest.fixture\ndef twimlsim_app():\n    return 'voice:app'\n",
            "sim.route('https://app.test', ...): app must be a WSGI or ASGI application (a "
            "Flask, Django or FastAPI app object, a callable), got 'voice:app'; pass the app "
            "itself, not its name or module",
        ),
    ],
)
def test_an_app_or_base_url_fixture_the_simulator_refuses_is_a_usage_error(
    pytester: pytest.Pytester, fixtures: str, message: str
) -> None:
    # the refusal came with the simulator's own frames, sim.route and check_base_url
    pytester.makepyfile(
        "import pytest\nfrom flask import Flask\n\napp = Flask(__name__)\n\n"
        f"{fixtures}\n\ndef test_it(twimlsim):\n    pass\n"
    )
    assert_usage_error(
        pytester.runpytest(),
        "the twimlsim_app and twimlsim_base_url fixtures, which the twimlsim fixture routes: "
        + message,
    )

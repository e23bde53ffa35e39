"""What the plugin costs a run as pytest loads it: pytest's assertion rewriting keeps to
the plugin's own modules, so the simulator is imported from its ``.pyc`` as in any other
process (a rewritten module is parsed and compiled again on every run that cannot keep
pytest's own cache of it)."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

# pytest marks every package of a distribution that installs a plugin (a regular install
# of twimlsim: the whole ``twimlsim`` package); an editable install, as this suite's, marks
# less, so this plugin marks the package as a regular install does, first.
MARKED_AS_INSTALLED = """
def pytest_addoption(parser, pluginmanager):
    pluginmanager.rewrite_hook.mark_rewrite("twimlsim", "marked_elsewhere")
"""

LOADERS = """
import sys


def loader(name):
    return type(sys.modules[name].__spec__.loader).__name__


def test_loaders():
    import marked_elsewhere
    import twimlsim.errors
    import twimlsim.twiml.problems

    assert [loader("twimlsim.errors"), loader("twimlsim.twiml.problems")] == [
        "SourceFileLoader",
        "SourceFileLoader",
    ]
    assert loader("marked_elsewhere") == "AssertionRewritingHook"
"""


def test_the_simulator_is_not_assertion_rewritten(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makepyfile(
        marked_as_installed=MARKED_AS_INSTALLED,
        marked_elsewhere="VALUE = 1",
        test_loaders=LOADERS,
    )
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")  # the dev extra's plugins
    monkeypatch.delenv("PYTEST_ADDOPTS")
    result = pytester.runpytest_subprocess(
        "-p", "marked_as_installed", "-p", "twimlsim.pytest_plugin", "-p", "no:cacheprovider"
    )
    result.assert_outcomes(passed=1)

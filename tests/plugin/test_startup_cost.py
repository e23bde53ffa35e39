"""What the plugin costs a run as pytest loads it: pytest's assertion rewriting keeps to
the plugin's own modules, so the simulator is imported from its ``.pyc`` as in any other
process (a rewritten module is parsed and compiled again on every run that cannot keep
pytest's own cache of it); a suite that does not use twimlsim imports only the plugin; and
its hooks call nothing in a test that starts no simulator."""

from __future__ import annotations

import json

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


#: A suite that never uses twimlsim: passing, failing, skipped, parametrized and class
#: tests, whose conftest writes which modules the run imported, once the session ends.
UNUSED_SUITE = {
    "conftest": """
import sys


def pytest_unconfigure(config):
    with open("imported.txt", "w") as file:
        file.write(" ".join(sorted(sys.modules)))
""",
    "test_plain": """
import json

import pytest


def test_passes():
    assert 1 + 1 == 2


def test_fails():
    assert 1 + 1 == 3


@pytest.mark.skip(reason="not today")
def test_skipped():
    pass


@pytest.mark.parametrize("n", [1, 2])
def test_parametrized(n):
    assert n


class TestGrouped:
    def test_method(self):
        assert True
""",
}
#: What the simulator imports: a run whose tests do not use it should import none of them.
SIMULATOR_LIBRARIES = (
    "lxml",
    "werkzeug",
    "responses",
    "requests",
    "urllib3",
    "yaml",
    "freezegun",
    "phonenumbers",
    "asyncio",
    "twilio",
)


def _imported(pytester: pytest.Pytester, *args: str) -> tuple[list[str], list[str]]:
    """twimlsim's modules and the simulator's libraries a run of the unused suite imported."""
    pytester.runpytest_subprocess("-p", "twimlsim.pytest_plugin", "-p", "no:cacheprovider", *args)
    names = (pytester.path / "imported.txt").read_text().split()
    return (
        [name for name in names if name.split(".")[0] == "twimlsim"],
        [name for name in SIMULATOR_LIBRARIES if name in names],
    )


def test_a_suite_that_does_not_use_twimlsim_imports_only_the_plugin(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makepyfile(**UNUSED_SUITE)
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")  # the dev extra's plugins
    monkeypatch.delenv("PYTEST_ADDOPTS", raising=False)
    plugin_only = ["twimlsim", "twimlsim.pytest_plugin", "twimlsim.pytest_seeing", "twimlsim.watch"]
    assert _imported(pytester) == (plugin_only, [])
    assert _imported(pytester, "--co") == (plugin_only, [])
    assert _imported(pytester, "-p", "no:twimlsim-seeing") == (plugin_only, [])
    # the same suite under --twimlsim gets a simulator in every test: the check sees them
    twimlsim_modules, libraries = _imported(pytester, "--twimlsim")
    assert "twimlsim.simulator" in twimlsim_modules
    assert {"lxml", "werkzeug", "responses", "requests"} <= set(libraries)


#: Counts, while each test runs, the Python functions of twimlsim that run and the Python
#: functions they call (``sys.setprofile``: a generator's resumption counts as a call).
COUNTING_CONFTEST = """
import collections
import importlib.util
import json
import os
import sys

import pytest

CALLS = collections.Counter()
# the package's own directory: a checkout is often named twimlsim too, and holds the
# virtual environment whose pytest would count as twimlsim's
PACKAGE = os.path.dirname(importlib.util.find_spec("twimlsim").origin) + os.sep


def _count(frame, event, arg):
    if event != "call":
        return
    if frame.f_code.co_filename.startswith(PACKAGE):
        CALLS[frame.f_code.co_name] += 1
    caller = frame.f_back
    if caller is not None and caller.f_code.co_filename.startswith(PACKAGE):
        CALLS[f"{caller.f_code.co_name} -> {frame.f_code.co_name}"] += 1


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_protocol(item, nextitem):
    sys.setprofile(_count)
    try:
        return (yield)
    finally:
        sys.setprofile(None)


def pytest_unconfigure(config):
    with open("calls.json", "w") as file:
        json.dump(CALLS, file, sort_keys=True)
"""


def test_the_plugins_hooks_call_nothing_in_a_test_that_starts_no_simulator(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makeconftest(COUNTING_CONFTEST)
    pytester.makepyfile(test_plain="def test_a():\n    pass\n\n\ndef test_b():\n    pass\n")
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    monkeypatch.delenv("PYTEST_ADDOPTS", raising=False)
    pytester.runpytest_subprocess(
        "-p", "twimlsim.pytest_plugin", "-p", "no:cacheprovider"
    ).assert_outcomes(passed=2)
    # per test: the protocol's and the call's wrappers (each called, then resumed) and the
    # teardown hook; the reports' hook waits for a simulator to start
    assert json.loads((pytester.path / "calls.json").read_text()) == {
        "pytest_runtest_call": 4,
        "pytest_runtest_protocol": 4,
        "pytest_runtest_teardown": 2,
    }


def test_collection_asks_each_parent_node_once_for_the_markers(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    counting = COUNTING_CONFTEST.replace(
        "def pytest_runtest_protocol(item, nextitem):",
        "def pytest_collection_modifyitems(config, items):",
    )
    pytester.makeconftest(counting)
    pytester.makepyfile(
        test_plain="""
import pytest


def test_a():
    pass


@pytest.mark.parametrize("n", [1, 2])
def test_b(n):
    pass


class TestGrouped:
    def test_c(self):
        pass

    @pytest.mark.twimlsim(seed=1)
    def test_d(self, twimlsim):
        pass
"""
    )
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    monkeypatch.delenv("PYTEST_ADDOPTS", raising=False)
    pytester.runpytest_subprocess(
        "-p", "twimlsim.pytest_plugin", "-p", "no:cacheprovider", "--co"
    ).assert_outcomes()
    # five tests, two parents (the module, the class): each parent asked once
    assert json.loads((pytester.path / "calls.json").read_text()) == {
        "_closest_marker": 5,
        "_closest_marker -> get_closest_marker": 2,
        "_has_its_own_simulator": 1,  # the marked test: is it a TwimlsimMixin's?
        "_has_its_own_simulator -> cls": 1,
        "pytest_collection_modifyitems": 1,
        "pytest_collection_modifyitems -> _closest_marker": 5,
        "pytest_collection_modifyitems -> _has_its_own_simulator": 1,
        "pytest_collection_modifyitems -> getoption": 1,
    }

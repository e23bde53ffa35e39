"""The pytest plugin: the ``twimlsim`` fixture and marker, ini options, ``--twimlsim``.

Wiring only; the logic lives in ``Simulator``. One vocabulary everywhere: the marker's
keyword arguments, the ini options (``twimlsim_<name>``) and ``Simulator(...)`` take the same
names, and the marker wins over the ini file.
"""

from __future__ import annotations

import sys
from collections.abc import Generator, Iterator
from typing import TYPE_CHECKING, Any

import pytest

from twimlsim import pytest_seeing as seeing

if TYPE_CHECKING:
    from twimlsim.golden import Golden
    from twimlsim.simulator import Simulator

__all__ = ["twimlsim", "twimlsim_app", "twimlsim_base_url", "twimlsim_golden"]

_SEEING = "twimlsim-seeing"

_INI_OPTIONS: dict[str, tuple[str, Any]] = {
    "cps": ("Calls per second each simulated account releases from its queue", float),
    "seed": ("Seed of the SIDs and tokens the simulator generates (a number or text)", str),
    "strict": ("Fail tests on invalid TwiML, failing webhooks and unused far-end steps", bool),
    "freeze_time": ("Make datetime.now() in the app follow the virtual clock", bool),
    "allow_codes": ("Twilio codes that do not fail strict tests (e.g. 12200 13322)", frozenset),
    "delete_silent_recordings": ("Behave as an account that deletes silent recordings", bool),
    "trial": ("Simulate a trial account (calls only to verified caller IDs)", bool),
    "accept_any_credentials": (
        "Open an account for any credentials the app presents (a client made at import)",
        bool,
    ),
    "start": ("When each test's simulation starts: ISO 8601, e.g. 2026-01-05T14:00 (UTC)", str),
    "webhook_timeout": (
        "Seconds an app may take to answer a webhook (Twilio: 15; none: no limit)",
        float,
    ),
}
#: The simulator options of the ini file, read once per run.
_INI_KWARGS = pytest.StashKey[dict[str, Any]]()
#: Why a TwimlsimMixin test marked with simulator options is refused (the mixin reads its
#: class's ``twimlsim_options``: a marker would be read under pytest only).
_MARKED_MIXIN = pytest.StashKey[str]()
#: Under ``--twimlsim``, a test marked ``no_twimlsim``: it may reach Twilio's hosts.
_OPTED_OUT = pytest.StashKey[bool]()
_OFFLINE = "twimlsim-offline"
#: What a number-valued ini option takes, for its error.
_INI_NUMBERS = {
    "cps": "a number of calls per second such as 5",
    "webhook_timeout": "a number of seconds such as 15 (or none for no limit)",
}
_OPT_OUT = "no_twimlsim"
_PACKAGE = __name__.partition(".")[0]
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def pytest_addoption(parser: pytest.Parser, pluginmanager: pytest.PytestPluginManager) -> None:
    _rewrite_only_the_plugin(pluginmanager)
    _hold_both_names(pluginmanager)
    group = parser.getgroup("twimlsim", "offline Twilio Programmable Voice simulator")
    for name, (help_text, _) in _INI_OPTIONS.items():
        parser.addini(f"twimlsim_{name}", help_text, default=None)
    group.addoption(
        "--twimlsim",
        action="store_true",
        default=False,
        help="Run every test inside a simulator: Twilio's API answers offline, any credentials",
    )
    seeing.add_options(group)


def _rewrite_only_the_plugin(pluginmanager: pytest.PytestPluginManager) -> None:
    """Keep pytest's assertion rewriting to this plugin's own modules, as imported already.

    pytest marks every package of a distribution that installs a plugin for rewriting, so
    that the plugin's asserts report like a test's; for twimlsim that would be the whole
    simulator, some 140 modules whose asserts are internal invariants. A marked module is
    not loaded from its ``.pyc``: pytest parses, rewrites and compiles it again on each run
    that cannot keep its own cache (``PYTHONDONTWRITEBYTECODE``, read-only site-packages),
    and on the first run after an install, CI's usual case; about 0.4 s of CPU on the first
    test that uses the simulator. Called as the plugin registers (``pytest_addoption``),
    before the simulator is imported. ``_must_rewrite`` is pytest's own set of marked names
    (unchanged from pytest 3 to 9); without it, nothing changes.
    """
    marked = getattr(getattr(pluginmanager, "rewrite_hook", None), "_must_rewrite", None)
    if isinstance(marked, set):
        marked.discard(_PACKAGE)


#: The names this module is loaded by: the entry point's (autoload, ``-p twimlsim``) and
#: its own (``-p twimlsim.pytest_plugin``, ``pytest_plugins = [...]`` in a conftest.py).
_NAMES = (_PACKAGE, __name__)


class _LoadedAs:
    """What holds this plugin's other name once it is loaded by one of them."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"<{__name__} loaded as {self.name!r}>"


def _hold_both_names(pluginmanager: pytest.PytestPluginManager) -> None:
    """Hold this plugin's other name once it is loaded by one (called as it registers).

    pytest skips a plugin it is asked for by a name already registered, but refuses a
    module registered a second time under another name ("Plugin already registered under a
    different name"): with autoload on, the entry point registers this module as
    ``twimlsim``, and a conftest.py's ``pytest_plugins = ["twimlsim.pytest_plugin"]`` (or
    ``-p twimlsim.pytest_plugin`` before the entry point) failed every run. Holding the
    other name makes the second request the no-op it means to be."""
    loaded_as = pluginmanager.get_name(sys.modules[__name__])
    if loaded_as is None:
        return
    for name in _NAMES:
        free = not pluginmanager.is_blocked(name) and pluginmanager.get_plugin(name) is None
        if name != loaded_as and free:
            pluginmanager.register(_LoadedAs(loaded_as), name)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "twimlsim(**kwargs): run the test with a started Simulator(**kwargs) as the "
        "twimlsim fixture (cps, seed, strict, freeze_time, start, accept_any_credentials, "
        "allow_codes, delete_silent_recordings, trial, webhook_timeout, max_calls_per_run)",
    )
    if config.pluginmanager.is_blocked(_SEEING):  # -p no:twimlsim-seeing
        config.pluginmanager.register(seeing.RunningTests(), f"{_SEEING}-blocked")
    else:
        config.pluginmanager.register(seeing.SeeingPlugin(config), _SEEING)
    config.addinivalue_line(
        "markers",
        f"{_OPT_OUT}: under pytest --twimlsim, run this test without a simulator "
        "(its requests to Twilio's API are its own to mock)",
    )
    if config.getoption("--twimlsim"):
        from twimlsim.transports import left_behind

        left_behind.refuse_everywhere()
        config.pluginmanager.register(_Offline(), _OFFLINE)


def _running_test() -> pytest.Item:
    """The test being run now (the innermost, under pytester)."""
    __tracebackhide__ = True
    if not seeing.RUNNING:
        raise RuntimeError("no test is running: the twimlsim fixture runs only inside tests")
    return seeing.RUNNING[-1]


class _Offline:
    """Under ``--twimlsim``, nothing outside the tests' simulators reaches Twilio's hosts
    (``left_behind.refuse_everywhere``), but a test marked ``no_twimlsim`` may."""

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item) -> Generator[None, object, object]:
        from twimlsim.transports import left_behind

        with left_behind.refusing(not item.stash.get(_OPTED_OUT, False)):
            return (yield)


def pytest_unconfigure(config: pytest.Config) -> None:
    if config.pluginmanager.has_plugin(_OFFLINE):
        from twimlsim.transports import left_behind

        left_behind.refuse_no_more()
    plugin = config.pluginmanager.get_plugin(_SEEING)
    if isinstance(plugin, seeing.SeeingPlugin):
        plugin.unconfigure()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    every_test = config.getoption("--twimlsim")
    refused = False
    marked: dict[int, pytest.Mark | None] = {}  # by parent node: the run's tests share them
    opted_out: dict[int, pytest.Mark | None] = {}
    for item in items:
        marker = _closest_marker(item, "twimlsim", marked)
        # a test's own marker is its closest: only one it takes from its class or module
        # may be overruled by an opt-out closer to it
        inherited = marker is not None and marker not in item.own_markers
        opt_out = _closest_marker(item, _OPT_OUT, opted_out) if inherited or every_test else None
        if inherited and opt_out is not None and _opted_out_closer(item):
            marker = None  # a test of a marked class or module that opts out itself
        wants = marker is not None or (every_test and opt_out is None)
        if every_test and opt_out is not None and marker is None:
            item.stash[_OPTED_OUT] = True
        if wants and _has_its_own_simulator(item):
            if marker is not None and marker.kwargs:
                item.stash[_MARKED_MIXIN] = (
                    f"{item.nodeid} is a TwimlsimMixin test marked "
                    f"twimlsim({', '.join(f'{k}={v!r}' for k, v in marker.kwargs.items())}): "
                    "the mixin makes its own simulator from the class's twimlsim_options, "
                    "under pytest and python -m unittest alike; move the marker's keywords "
                    f"there: twimlsim_options = {marker.kwargs!r}"
                )
                refused = True
            continue
        fixturenames = getattr(item, "fixturenames", None)
        if wants and fixturenames is not None and "twimlsim" not in fixturenames:
            fixturenames.insert(0, "twimlsim")
            if marker is None:
                item.stash[seeing.ADDED_BY_OPTION] = True
    if refused and not config.pluginmanager.has_plugin(_REFUSING):
        config.pluginmanager.register(_RefuseMarkedMixins(), _REFUSING)


def _opted_out_closer(item: pytest.Item) -> bool:
    """Whether the test's closest of the ``twimlsim`` and opt-out markers is the opt-out
    (pytest's rule for markers: the test's own, then its class's, then its module's)."""
    for mark in item.iter_markers():
        if mark.name in ("twimlsim", _OPT_OUT):
            return mark.name == _OPT_OUT
    return False


def _closest_marker(
    item: pytest.Item, name: str, by_parent: dict[int, pytest.Mark | None]
) -> pytest.Mark | None:
    """``item.get_closest_marker(name)``, its parents' answer looked up once per parent in
    ``by_parent``: collection asks it of every test of the run, most of which share their
    module (``get_closest_marker`` walks the whole chain of nodes each time)."""
    for mark in item.own_markers:
        if mark.name == name:
            return mark
    parent = item.parent
    if parent is None:
        return None
    key = id(parent)  # not the node: hashing a node hashes its nodeid, in Python
    if key not in by_parent:
        by_parent[key] = parent.get_closest_marker(name)
    return by_parent[key]


_REFUSING = "twimlsim-marked-mixins"


class _RefuseMarkedMixins:
    """Errors each ``TwimlsimMixin`` test marked with simulator options as it is set up;
    registered only in a session that collected one, so that no other test runs its hook."""

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        if _MARKED_MIXIN in item.stash:
            raise pytest.UsageError(item.stash[_MARKED_MIXIN])


def _has_its_own_simulator(item: pytest.Item) -> bool:
    """A ``TwimlsimMixin`` test: it starts its own simulator (``self.twimlsim``)."""
    testcase = sys.modules.get("twimlsim.testcase")  # only a suite that imported it has one
    cls = getattr(item, "cls", None)
    return testcase is not None and cls is not None and issubclass(cls, testcase.TwimlsimMixin)


def _ini_kwargs(config: pytest.Config) -> dict[str, Any]:
    """The simulator options of the ini file (a new dict; read once per run)."""
    __tracebackhide__ = True  # a bad option is the user's to fix: its message, not our code
    known = config.stash.get(_INI_KWARGS, None)
    if known is None:
        known = config.stash[_INI_KWARGS] = _read_ini_kwargs(config)
    return dict(known)


def _read_ini_kwargs(config: pytest.Config) -> dict[str, Any]:
    __tracebackhide__ = True
    kwargs: dict[str, Any] = {}
    for name, (_, kind) in _INI_OPTIONS.items():
        raw = config.getini(f"twimlsim_{name}")
        if raw is None or raw == "":
            continue
        # pyproject.toml's [tool.pytest.ini_options] gives a TOML list as a list
        text = " ".join(map(str, raw)) if isinstance(raw, list) else str(raw).strip()
        if kind is bool:
            if text.lower() not in _TRUE | _FALSE:
                raise pytest.UsageError(
                    f"ini option twimlsim_{name} takes true or false, got {text!r}"
                )
            kwargs[name] = text.lower() in _TRUE
        elif kind is frozenset:
            codes = text.replace(",", " ").split()
            if not all(code.isdigit() for code in codes):
                raise pytest.UsageError(
                    f"ini option twimlsim_{name} takes Twilio codes separated by spaces "
                    f"or commas, e.g. 12200 13322 (in pyproject.toml also a list, [12200, "
                    f"13322]); got {text!r}"
                )
            kwargs[name] = frozenset(int(code) for code in codes)
        elif name == "webhook_timeout" and text.lower() == "none":
            kwargs[name] = None  # no limit: a webhook stepped through in a debugger
        elif name == "seed":  # Simulator(seed=...) takes an int or a str, as the ini may
            kwargs[name] = int(text) if text.lstrip("+-").isdigit() else text
        elif name == "start":
            from twimlsim.start_time import parse_start

            try:
                kwargs[name] = parse_start(text)
            except ValueError as error:
                raise pytest.UsageError(f"ini option twimlsim_start: {error}") from None
        else:
            try:
                kwargs[name] = kind(text)
            except ValueError:
                raise pytest.UsageError(
                    f"ini option twimlsim_{name} takes {_INI_NUMBERS.get(name, 'a number')}, "
                    f"got {text!r}"
                ) from None
    return kwargs


def _twimlsim_markers(test: pytest.Item) -> list[pytest.Mark]:
    """The test's ``twimlsim`` markers, closest first, or a ``UsageError`` for a test whose
    closest say is the opt-out marker (one pass over the markers)."""
    __tracebackhide__ = True
    _refuse_indirect_parameters(test)
    markers = []
    for marker in test.iter_markers():
        if marker.name == "twimlsim":
            markers.append(marker)
        elif marker.name == _OPT_OUT and not markers:
            raise pytest.UsageError(
                f"{test.nodeid} is marked {_OPT_OUT} but uses the twimlsim fixture; "
                f"remove the {_OPT_OUT} marker or stop asking for the fixture"
            )
    return markers


def _refuse_indirect_parameters(test: pytest.Item) -> None:
    """A ``UsageError`` for a test that parametrizes the fixture indirectly: the fixture takes
    its options from the marker, so the parameter would be dropped without a word."""
    __tracebackhide__ = True
    callspec = getattr(test, "callspec", None)
    params = getattr(callspec, "params", None)
    if isinstance(params, dict) and "twimlsim" in params:
        raise pytest.UsageError(
            f"{test.nodeid} parametrizes the twimlsim fixture indirectly "
            f"(parameter {params['twimlsim']!r}), which the fixture does not read; give "
            "simulator options with @pytest.mark.twimlsim(...), one parametrized case each "
            "with pytest.param(..., marks=pytest.mark.twimlsim(cps=5))"
        )


def _marker_kwargs(markers: list[pytest.Mark]) -> dict[str, Any]:
    __tracebackhide__ = True
    kwargs: dict[str, Any] = {}
    for marker in reversed(markers):
        if marker.args:
            raise pytest.UsageError(
                "@pytest.mark.twimlsim takes keyword arguments only, "
                f"e.g. @pytest.mark.twimlsim(cps=5); got positional {marker.args!r}"
            )
        kwargs.update(marker.kwargs)
    return kwargs


# The defaults are session-scoped: pytest makes them once, not for every test (an
# override in a conftest, module or class, of any scope, still wins).
@pytest.fixture(scope="session")
def twimlsim_app() -> Any:
    """The app under test (WSGI or ASGI) that ``twimlsim`` routes webhooks to: None here.

    Override it in a ``conftest.py`` to route every test's webhooks to your app::

        @pytest.fixture
        def twimlsim_app():
            return my_flask_app
    """
    return None


@pytest.fixture(scope="session")
def twimlsim_base_url() -> str:
    """The base URL ``twimlsim_app`` is routed under (override it with your app's own)."""
    # defaults.FIXTURE_BASE_URL, written out: a suite that never uses the simulator imports
    # only the plugin's own modules (tests/robust/test_webhook_urls.py keeps them equal)
    return "https://app.test"


@pytest.fixture
def twimlsim(twimlsim_app: Any, twimlsim_base_url: str) -> Iterator[Simulator]:
    """A started ``Simulator``; in strict mode, leftover problems fail the test at teardown.

    Configure it with ``@pytest.mark.twimlsim(**kwargs)`` or ``twimlsim_*`` ini options;
    override ``twimlsim_app`` (and ``twimlsim_base_url``) to route webhooks to your app.
    Under ``pytest --twimlsim`` every test gets one, and the fake API accepts any account
    credentials, so an existing suite runs offline unchanged.
    """
    __tracebackhide__ = True  # pytest shows the test's frames, not twimlsim's
    from twimlsim.arguments import keyword_error_text
    from twimlsim.simulator import Simulator  # here, so that unused the plugin costs nothing

    # The test is found without asking for pytest's ``request`` fixture: pytest makes a
    # new fixture definition (and inspects a signature) each time ``request`` is asked for.
    test = _running_test()
    markers = _twimlsim_markers(test)
    kwargs = _ini_kwargs(test.config)
    if test.config.getoption("--twimlsim"):  # the command line wins over the ini file
        kwargs["accept_any_credentials"] = True
    kwargs.update(_marker_kwargs(markers))
    from twimlsim.errors import ConfigurationError

    try:
        sim = Simulator(**kwargs)
    except TypeError as error:
        raise pytest.UsageError(
            f"twimlsim marker or ini option: {keyword_error_text(error, Simulator)}"
        ) from None
    except (ConfigurationError, ValueError) as error:  # a value out of range (cps = 0, a
        # start that is no date), as a wrong type is
        raise pytest.UsageError(f"twimlsim marker or ini option: {error}") from None
    sim.start()
    try:
        if twimlsim_app is not None:
            _route_the_app(sim, twimlsim_base_url, twimlsim_app)
        yield sim
    finally:
        sim._end()
    if test.stash.get(seeing.CALL_PASSED, False):
        sim.check()


def _route_the_app(sim: Simulator, base_url: str, app: Any) -> None:
    """``sim.route(base_url, app)`` for the ``twimlsim_app`` and ``twimlsim_base_url``
    fixtures; what it refuses is a ``UsageError`` naming them, without the simulator's
    frames (the test never called ``sim.route`` itself)."""
    __tracebackhide__ = True
    try:
        sim.route(base_url, app)
    except (TypeError, ValueError) as error:
        if type(error) not in (TypeError, ValueError):  # the app's own, from its startup
            raise
        raise pytest.UsageError(
            "the twimlsim_app and twimlsim_base_url fixtures, which the twimlsim fixture "
            f"routes: {error}"
        ) from None


@pytest.fixture
def twimlsim_golden(request: pytest.FixtureRequest) -> Golden:
    """Compare a call's whole log with a golden file beside the test.

    ``twimlsim_golden(sim_or_call)`` writes ``golden/<module>/<test>.txt`` next to the test
    module on the first run, and afterwards fails with a diff when the log differs;
    ``pytest --twimlsim-golden-update`` rewrites the files that differ.
    """
    plugin = request.config.pluginmanager.get_plugin(_SEEING)
    assert isinstance(plugin, seeing.SeeingPlugin)
    return plugin.golden_for(request)

"""The freezegun bridge: what it patches, what it leaves alone, what it gives back."""

from __future__ import annotations

import asyncio
import importlib
import importlib.machinery
import os
import sys
import sysconfig
import time
import types
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import _pytest.timing
import freezegun
import freezegun.config
import pytest
from freezegun import api

from twimlsim.freeze import FreezeBridge
from twimlsim.outer_clock import controlled_by_test, time_set_by_test

AT = datetime(2030, 5, 1, 12, 0, 0, tzinfo=UTC)
# The real functions are read from freezegun's module (a global of this module bound to one
# would be patched while time is frozen, as any module's is).


@pytest.fixture
def module() -> Iterator[types.ModuleType]:
    """A loaded module that bound ``time`` and ``datetime`` the usual way."""
    made = types.ModuleType("twimlsim_freeze_probe")
    exec("from time import time\nfrom datetime import datetime\n", made.__dict__)
    sys.modules[made.__name__] = made
    yield made
    del sys.modules[made.__name__]


@pytest.fixture
def bridge() -> Iterator[FreezeBridge]:
    made = FreezeBridge()
    yield made
    made.stop()


def test_module_bindings_follow_the_virtual_clock_and_come_back(
    module: types.ModuleType, bridge: FreezeBridge
) -> None:
    bridge.start(AT)
    assert module.time() == AT.timestamp()
    assert module.datetime.now(UTC) == AT
    bridge.move(AT + timedelta(seconds=90))
    assert module.datetime.now(UTC) == AT + timedelta(seconds=90)
    bridge.stop()
    assert module.time is api.real_time and module.datetime is api.real_datetime
    assert time.time is api.real_time and api.freeze_factories == []


def test_pytest_timing_keeps_the_real_clock(bridge: FreezeBridge) -> None:
    bridge.start(AT)
    assert time.time() == AT.timestamp()
    assert _pytest.timing.time is api.real_time
    assert _pytest.timing.perf_counter is api.real_perf_counter


@pytest.mark.parametrize("name", ["robot.running.statusreporter", "behave.reporter.junit"])
def test_other_test_runners_keep_the_real_clock(
    name: str, bridge: FreezeBridge, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = types.ModuleType(name)  # Robot Framework's output.xml times, behave's JUnit
    exec("from time import time\nfrom datetime import datetime\n", runner.__dict__)
    monkeypatch.setitem(sys.modules, name, runner)
    bridge.start(AT)
    assert time.time() == AT.timestamp()
    assert (runner.time, runner.datetime) == (api.real_time, api.real_datetime)


@pytest.mark.parametrize("package", ["robot", "behave"])
def test_an_apps_own_package_named_as_a_test_runner_reads_virtual_time(
    package: str, bridge: FreezeBridge, monkeypatch: pytest.MonkeyPatch, tmp_path: os.PathLike[str]
) -> None:
    """Only Robot Framework's and behave's modules keep the real clock: an app's own package
    that happens to share the name (a robocall app's ``robot/dialer.py``) is the app's."""
    top = types.ModuleType(package)
    top.__file__ = os.path.join(tmp_path, package, "__init__.py")  # the app's, not installed
    dialer = types.ModuleType(f"{package}.dialer")
    dialer.__file__ = os.path.join(tmp_path, package, "dialer.py")
    exec("from time import time\nfrom datetime import datetime\n", dialer.__dict__)
    monkeypatch.setitem(sys.modules, package, top)
    monkeypatch.setitem(sys.modules, dialer.__name__, dialer)
    bridge.start(AT)
    assert dialer.time() == AT.timestamp()
    assert dialer.datetime.now(UTC) == AT


@pytest.mark.parametrize(
    "name",
    [
        "behave.model",  # times each step with time.time()
        "robot.libraries.BuiltIn",  # Sleep, Wait Until Keyword Succeeds: hung for ever
        "robot.running.bodyrunner",  # a WHILE loop's limit
        "robot.running.timeouts.timeout",  # a test's [Timeout]
        "robot.running.timeouts.windows",
    ],
)
def test_a_runners_timer_reads_the_wall_clock_while_the_app_reads_virtual_time(
    name: str, bridge: FreezeBridge, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = types.ModuleType(name)
    exec("import time\n", model.__dict__)
    monkeypatch.setitem(sys.modules, name, model)
    bridge.start(AT)
    assert time.time() == AT.timestamp()  # the app's (and this module's)
    assert model.time is not time and model.time.time is api.real_time
    assert (model.time.perf_counter, model.time.sleep) == (api.real_perf_counter, time.sleep)
    assert abs(model.time.time() - api.real_time()) < 60
    bridge.stop()
    assert model.time is time


def test_twimlsims_own_modules_keep_the_real_functions(bridge: FreezeBridge) -> None:
    import twimlsim.clock
    import twimlsim.model.call

    bridge.start(AT)
    assert time.time() == AT.timestamp()  # this module's are patched
    assert (twimlsim.clock.datetime, twimlsim.model.call.datetime) == (
        api.real_datetime,
        api.real_datetime,
    )


def test_the_twilio_clients_generated_resources_keep_their_type_hints_real(
    bridge: FreezeBridge,
) -> None:
    import twilio.rest.api.v2010.account.call as calls  # binds datetime for type hints

    bridge.start(AT)
    assert time.time() == AT.timestamp()
    assert calls.datetime is api.real_datetime
    late = types.ModuleType("twilio.rest.twimlsim_probe")  # imported while frozen
    exec("from datetime import datetime\n", late.__dict__)
    sys.modules[late.__name__] = late
    try:
        assert late.datetime is api.FakeDatetime
        bridge.stop()
        assert (late.datetime, calls.datetime) == (api.real_datetime, api.real_datetime)
    finally:
        del sys.modules[late.__name__]


def test_built_in_modules_are_not_watched() -> None:
    from twimlsim.freeze_index import _watched

    assert not _watched(sys) and not _watched(time)
    made = types.ModuleType("twimlsim_freeze_made_probe")  # no file, no spec: watched
    assert _watched(made) and _watched(types.ModuleType("__main__"))


def test_a_name_bound_after_the_first_freeze_is_patched_at_the_next(
    module: types.ModuleType,
) -> None:
    first = FreezeBridge()
    first.start(AT)
    first.stop()
    module.clock = time.monotonic  # the module's namespace grew: it is read again
    second = FreezeBridge()
    second.start(AT)
    try:
        assert module.clock is api.fake_monotonic
    finally:
        second.stop()
    assert module.clock is api.real_monotonic


@pytest.mark.parametrize(
    ("file", "seen"),
    [
        ("/srv/app/billing.py", True),  # the app's (or a test's) module
        (None, True),  # a module made in memory
        (os.path.join(sysconfig.get_paths()["purelib"], "somelib.py"), False),  # installed
        (os.path.join(sysconfig.get_paths()["stdlib"], "somestd.py"), False),  # stdlib
    ],
)
def test_which_modules_are_watched_for_a_time_function_bound_later(
    file: str | None, seen: bool
) -> None:
    late = types.ModuleType("twimlsim_freeze_watched_probe")
    if file is not None:
        late.__file__ = file
    sys.modules[late.__name__] = late
    try:
        first = FreezeBridge()
        first.start(AT)
        first.stop()
        late.clock = time.time  # a new global, long after the module was indexed
        second = FreezeBridge()
        second.start(AT)
        try:
            assert late.clock is (api.fake_time if seen else api.real_time)
        finally:
            second.stop()
        assert late.clock is api.real_time
    finally:
        del sys.modules[late.__name__]


@pytest.mark.parametrize(
    ("file", "seen"),
    [
        ("/srv/app/billing.py", True),  # the app's (or a test's) module
        (os.path.join(sysconfig.get_paths()["purelib"], "somelib.py"), False),  # installed
    ],
)
def test_which_modules_are_watched_when_put_in_place_of_another(file: str, seen: bool) -> None:
    name = "twimlsim_freeze_replaced_probe"
    first_module = types.ModuleType(name)
    first_module.__file__ = file
    sys.modules[name] = first_module
    try:
        first = FreezeBridge()
        first.start(AT)
        first.stop()
        fake = types.ModuleType(name)  # a test's stand-in, under the same name
        fake.__file__ = file
        exec("from time import time\n", fake.__dict__)
        sys.modules[name] = fake
        second = FreezeBridge()
        second.start(AT)
        try:
            assert fake.time is (api.fake_time if seen else api.real_time)
        finally:
            second.stop()
        assert fake.time is api.real_time
    finally:
        del sys.modules[name]


def test_a_name_rebound_to_another_time_function_is_patched_with_its_own_fake(
    module: types.ModuleType,
) -> None:
    module.clock = time.time
    first = FreezeBridge()
    first.start(AT)
    first.stop()
    module.clock = time.monotonic  # same names, same size: the plan read before is stale
    module.time = "not a clock"
    second = FreezeBridge()
    second.start(AT)
    try:
        assert (module.clock, module.time, module.datetime) == (
            api.fake_monotonic,
            "not a clock",
            api.FakeDatetime,
        )
    finally:
        second.stop()
    assert (module.clock, module.time, module.datetime) == (
        api.real_monotonic,
        "not a clock",
        api.real_datetime,
    )


def test_a_name_the_app_rebinds_while_frozen_is_left_as_the_app_set_it(
    module: types.ModuleType, bridge: FreezeBridge
) -> None:
    bridge.start(AT)
    assert module.time is api.fake_time
    module.time = len
    bridge.stop()
    assert (module.time, module.datetime) == (len, api.real_datetime)


def test_a_module_loaded_under_two_names_is_patched_and_given_back_once_each_way(
    module: types.ModuleType,
) -> None:
    sys.modules["twimlsim_freeze_probe_alias"] = module  # as os.path and posixpath are
    try:
        for _ in range(2):  # the first freeze reads the modules, the second uses its plan
            bridge = FreezeBridge()
            bridge.start(AT)
            try:
                assert (module.time, module.datetime) == (api.fake_time, api.FakeDatetime)
            finally:
                bridge.stop()
            assert (module.time, module.datetime) == (api.real_time, api.real_datetime)
    finally:
        del sys.modules["twimlsim_freeze_probe_alias"]


def test_a_name_rebound_while_frozen_in_a_later_freeze_is_left_as_the_app_set_it(
    module: types.ModuleType,
) -> None:
    warm = FreezeBridge()  # the next freeze then applies the plan as read
    warm.start(AT)
    warm.stop()
    bridge = FreezeBridge()
    bridge.start(AT)
    try:
        assert (module.time, module.datetime) == (api.fake_time, api.FakeDatetime)
        module.datetime = str
    finally:
        bridge.stop()
    assert (module.time, module.datetime) == (api.real_time, str)


def test_a_module_imported_while_another_went_away_gets_the_real_functions_back(
    module: types.ModuleType, bridge: FreezeBridge
) -> None:
    bridge.start(AT)
    del sys.modules[module.__name__]  # as many modules as when the freeze began
    late = types.ModuleType("twimlsim_freeze_late_too")
    exec("from time import time\n", late.__dict__)
    sys.modules[late.__name__] = late
    try:
        assert late.time is api.fake_time
        bridge.stop()
        assert (late.time, module.time) == (api.real_time, api.real_time)
    finally:
        del sys.modules[late.__name__]
        sys.modules[module.__name__] = module


def test_a_module_imported_while_frozen_gets_the_real_functions_back(
    bridge: FreezeBridge,
) -> None:
    bridge.start(AT)
    late = types.ModuleType("twimlsim_freeze_late")
    exec("from time import time\n", late.__dict__)
    sys.modules[late.__name__] = late
    try:
        assert late.time is api.fake_time
        bridge.stop()
        assert late.time is api.real_time
    finally:
        del sys.modules[late.__name__]


def test_inside_a_tests_own_freeze_only_the_innermost_time_changes(
    module: types.ModuleType, bridge: FreezeBridge
) -> None:
    with freezegun.freeze_time("2031-02-03 04:05:06"):
        assert time_set_by_test() == datetime(2031, 2, 3, 4, 5, 6, tzinfo=UTC)
        bridge.start(AT)
        assert module.datetime.now(UTC) == AT
        assert time_set_by_test() == datetime(2031, 2, 3, 4, 5, 6, tzinfo=UTC)
        bridge.stop()
        assert module.datetime.now(UTC) == datetime(2031, 2, 3, 4, 5, 6, tzinfo=UTC)
        assert len(api.freeze_factories) == 1
    assert module.datetime is api.real_datetime and api.freeze_factories == []


def test_inside_a_tests_own_freeze_its_tz_offset_is_kept(
    module: types.ModuleType, bridge: FreezeBridge
) -> None:
    # the app's datetime.now() was UTC while calls ran, the test's local time outside
    with freezegun.freeze_time("2031-02-03 02:00", tz_offset=-5):
        bridge.start(AT)
        now = module.datetime.now()
        bridge.stop()
        assert now == AT.replace(tzinfo=None) - timedelta(hours=5)
        assert module.datetime.now() == datetime(2031, 2, 2, 21, 0)
    bridge.start(AT)  # with no freeze of the test's: UTC, as freezegun's default
    assert module.datetime.now() == AT.replace(tzinfo=None)


def test_the_bridges_own_freeze_is_not_the_tests(bridge: FreezeBridge) -> None:
    assert not controlled_by_test() and time_set_by_test() is None
    bridge.start(AT)
    assert not controlled_by_test() and time_set_by_test() is None


def test_event_loops_keep_real_time(bridge: FreezeBridge) -> None:
    bridge.start(AT)
    loop = asyncio.new_event_loop()
    try:
        assert abs(loop.time() - api.real_monotonic()) < 60
        assert loop.run_until_complete(asyncio.sleep(0.001, result="slept")) == "slept"
    finally:
        loop.close()
    bridge.stop()
    assert "time" not in type(loop).__dict__


def test_freezeguns_ignore_list_is_honoured(bridge: FreezeBridge) -> None:
    ignored = types.ModuleType("twimlsim_ignored_probe")
    exec("from time import time\n", ignored.__dict__)
    sys.modules[ignored.__name__] = ignored
    saved = list(freezegun.config.settings.default_ignore_list)
    freezegun.configure(extend_ignore_list=["twimlsim_ignored_"])
    try:
        bridge.start(AT)
        assert ignored.time is api.real_time
        assert time.time() == AT.timestamp()
    finally:
        freezegun.config.settings.default_ignore_list = saved
        del sys.modules[ignored.__name__]


class _ImportsWhenCollected:
    """A garbage cycle whose finalizer imports a module and leaves another such cycle, as
    an unclosed aiohttp session does: its ResourceWarning's formatting imports."""

    left = 0

    def __init__(self) -> None:
        self.cycle = self

    def __del__(self) -> None:
        if _ImportsWhenCollected.left > 0:
            _ImportsWhenCollected.left -= 1
            name = f"twimlsim_imported_while_collecting_{_ImportsWhenCollected.left}"
            sys.modules[name] = types.ModuleType(name)
            _ImportsWhenCollected()


def test_a_module_imported_by_a_finalizer_while_the_modules_are_read(
    bridge: FreezeBridge, module: types.ModuleType
) -> None:
    """The garbage collector may run a finalizer at any allocation, while the bridge lists
    ``sys.modules`` too: a finalizer that imports (a ResourceWarning being formatted) must
    not fail the freeze with 'dictionary changed size during iteration'."""
    import gc

    module.__dict__["later"] = 1  # the namespace grew: the bridge reads the modules again
    threshold = gc.get_threshold()
    _ImportsWhenCollected.left = 200
    _ImportsWhenCollected()
    gc.set_threshold(1)  # a collection at nearly every allocation
    try:
        bridge.start(AT)
        bridge.stop()
    finally:
        gc.set_threshold(*threshold)
        _ImportsWhenCollected.left = 0
        gc.collect()
        for name in [name for name in sys.modules if "_imported_while_collecting_" in name]:
            del sys.modules[name]
    assert module.time is api.real_time


def test_kombu_keeps_the_wall_clock_for_its_polling_timeouts(bridge: FreezeBridge) -> None:
    """A Celery worker thread polls kombu's in-memory broker with a monotonic timeout: on
    the frozen clock it never times out, and the worker never stops."""
    broker = types.ModuleType("kombu.transport.twimlsim_probe")
    exec("import time\nfrom time import monotonic\n", broker.__dict__)
    exec("def through_the_module():\n    return time.monotonic()\n", broker.__dict__)
    app = types.ModuleType("twimlsim_app_probe")
    exec("from time import monotonic\n", app.__dict__)
    sys.modules[broker.__name__] = broker
    sys.modules[app.__name__] = app
    try:
        bridge.start(AT)
        assert broker.monotonic is api.real_monotonic
        before = api.real_monotonic()
        assert before <= broker.through_the_module() <= api.real_monotonic()
        assert app.monotonic is api.fake_monotonic
        assert app.monotonic() == app.monotonic()  # frozen
    finally:
        bridge.stop()
        del sys.modules[broker.__name__], sys.modules[app.__name__]


def test_subprocess_timeouts_keep_the_wall_clock(bridge: FreezeBridge) -> None:
    """subprocess reads its timeouts off a monotonic clock it bound when imported: frozen,
    a webhook's subprocess.run(..., timeout=...) waited for the child however long it took,
    and for ever for a child that hangs (an encoder waiting on stdin)."""
    import subprocess

    bridge.start(AT)
    assert subprocess._time is api.real_monotonic  # type: ignore[attr-defined]
    started = api.real_monotonic()
    with pytest.raises(subprocess.TimeoutExpired):
        subprocess.run([sys.executable, "-c", "import time; time.sleep(5)"], timeout=0.2)
    assert api.real_monotonic() - started < 4


def test_a_simulator_freezes_with_a_freezegun_imported_afresh(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A suite that takes modules out of ``sys.modules`` between runs (pytester does) has
    freezegun imported afresh: a simulator made then freezes with that freezegun, inside
    the test's own freeze_time, as it does with the first."""
    from tests.support import called_in
    from twimlsim import Simulator

    with Simulator() as sim:  # the bridge and freezegun are loaded
        assert sim.now.year == 2026
    for name in [name for name in sys.modules if name.split(".")[0] == "freezegun"]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.delitem(sys.modules, "twimlsim.freeze")
    fresh = __import__("freezegun")
    assert fresh is not freezegun
    seen: list[str] = []

    def app(environ: dict[str, object], start_response: object) -> list[bytes]:
        seen.append(datetime.now(UTC).isoformat())
        start_response("200 OK", [("Content-Type", "text/xml")])  # type: ignore[operator]
        return [b"<Response><Say>Hi</Say></Response>"]

    with fresh.freeze_time("2030-05-01 12:00:00"):
        sim = called_in(app)
    assert (sim.failures, seen) == ([], ["2030-05-01T12:00:00+00:00"])


def test_an_apps_module_whose_name_begins_with_subprocess_reads_virtual_time(
    bridge: FreezeBridge, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only the subprocess module keeps the wall clock: an app's ``subprocess_jobs.py`` (a
    module that shells out to ffmpeg) reads virtual time, called or bound."""
    jobs = types.ModuleType("subprocess_jobs")
    jobs.__file__ = "/srv/app/subprocess_jobs.py"
    exec(
        "import time\nfrom datetime import datetime\n"
        "def stamp():\n    return datetime.now(), time.time()\n",
        jobs.__dict__,
    )
    monkeypatch.setitem(sys.modules, jobs.__name__, jobs)
    bridge.start(AT)
    assert jobs.stamp() == (AT.replace(tzinfo=None), AT.timestamp())


@pytest.mark.parametrize("name", ["queues", "gift_line", "github_hooks", "selenium_helpers"])
def test_an_apps_module_named_like_a_library_freezegun_ignores_reads_virtual_time(
    name: str, bridge: FreezeBridge, monkeypatch: pytest.MonkeyPatch
) -> None:
    """freezegun's own ignore list names packages (queue, gi, selenium, ...) that it reads
    as name prefixes: the app's ``queues.py`` (a call-queue app's) or ``gift_line.py`` is
    the app's, and reads virtual time; the packages themselves keep the real clock."""
    app = types.ModuleType(name)
    app.__file__ = f"/srv/app/{name}.py"
    exec(
        "import time\nfrom datetime import datetime\n"
        "def stamp():\n    return datetime.now(), time.time()\n",
        app.__dict__,
    )
    library = types.ModuleType("gi.repository")  # PyGObject's, as freezegun leaves it
    exec("from time import time\n", library.__dict__)
    monkeypatch.setitem(sys.modules, name, app)
    monkeypatch.setitem(sys.modules, library.__name__, library)
    bridge.start(AT)
    assert app.stamp() == (AT.replace(tzinfo=None), AT.timestamp())
    assert library.time is api.real_time


@pytest.mark.parametrize(
    ("name", "clock"),
    [
        ("tenacity", "time"),  # stop_after_delay, and stamina's timeout through it
        ("retrying", "time"),  # stop_max_delay
        ("backoff._sync", "datetime"),  # max_time
        ("backoff._async", "datetime"),
        ("polling2", "time"),  # poll's timeout
        ("waiting.deadlines", "time_module"),  # wait's timeout_seconds
        ("opnieuw.clock", "time"),  # retry_window_after_first_call_in_seconds
    ],
)
def test_retry_libraries_read_the_wall_clock_for_their_delays(
    name: str, clock: str, bridge: FreezeBridge
) -> None:
    import importlib

    library = importlib.import_module(name)
    module = getattr(library, clock)
    bridge.start(AT)
    view = getattr(library, clock)
    assert view is not module and view.__name__ == module.__name__
    if module is time:
        assert (view.monotonic, view.time, view.sleep) == (
            api.real_monotonic,
            api.real_time,
            time.sleep,
        )
        assert time.monotonic() == time.monotonic()  # the app's: frozen
    else:
        assert (view.datetime, view.date, view.timedelta) == (
            api.real_datetime,
            api.real_date,
            timedelta,
        )
        assert abs(view.datetime.now(UTC) - datetime.now(UTC)) > timedelta(days=365)
    bridge.stop()
    assert getattr(library, clock) is module


def test_an_apps_own_module_named_as_a_retry_library_reads_virtual_time(
    bridge: FreezeBridge, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An app's own ``retrying.py`` (its helper to retry the CRM) is the app's."""
    helper = types.ModuleType("retrying")
    helper.__file__ = "/srv/app/retrying.py"
    exec("import time\ndef stamp():\n    return time.time()\n", helper.__dict__)
    monkeypatch.setitem(sys.modules, helper.__name__, helper)
    bridge.start(AT)
    assert (helper.time, helper.stamp()) == (time, AT.timestamp())


def test_a_freeze_started_inside_another_keeps_the_fakes_when_the_first_stops_first(
    module: types.ModuleType, bridge: FreezeBridge
) -> None:
    """Two simulators at once, the first started stopped first: the second's app went on
    reading the wall clock (2026 where its calls ran in 2030), the fakes given back."""
    import tenacity

    later = FreezeBridge()
    bridge.start(AT)
    later.start(AT + timedelta(days=1))
    bridge.stop()
    try:
        assert module.datetime.now(UTC) == AT + timedelta(days=1)
        assert module.time() == (AT + timedelta(days=1)).timestamp()
        assert tenacity.time.time is api.real_time  # the retry library keeps the wall clock
        later.move(AT + timedelta(days=2))
        assert module.datetime.now(UTC) == AT + timedelta(days=2)
    finally:
        later.stop()
    assert (module.datetime, module.time, tenacity.time) == (api.real_datetime, api.real_time, time)
    assert api.freeze_factories == []


def test_freezes_stopped_in_the_order_they_started_in_reverse_give_the_fakes_back_once(
    module: types.ModuleType, bridge: FreezeBridge
) -> None:
    later = FreezeBridge()
    bridge.start(AT)
    later.start(AT + timedelta(days=1))
    later.stop()
    assert module.datetime.now(UTC) == AT
    bridge.stop()
    assert (module.datetime, module.time) == (api.real_datetime, api.real_time)


@pytest.mark.parametrize(
    "file",
    [
        "/home/ana/.local/lib/python3.11/site-packages/retrying.py",  # pip install --user
        "/usr/lib/python3/dist-packages/retrying.py",  # the system's, under a venv
    ],
)
def test_a_retry_library_installed_outside_the_environment_reads_the_wall_clock(
    file: str, bridge: FreezeBridge, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Taken for the app's own, its delay never passed on the frozen clock."""
    library = types.ModuleType("retrying")
    library.__file__ = file
    exec("import time\n", library.__dict__)
    monkeypatch.setitem(sys.modules, library.__name__, library)
    bridge.start(AT)
    assert library.time is not time
    assert (library.time.time, library.time.monotonic) == (api.real_time, api.real_monotonic)
    bridge.stop()
    assert library.time is time


def test_a_test_runner_installed_in_the_users_site_keeps_the_real_clock(
    bridge: FreezeBridge, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = types.ModuleType("behave")
    runner.__file__ = "/home/ana/.local/lib/python3.11/site-packages/behave/__init__.py"
    exec("from time import time\n", runner.__dict__)
    monkeypatch.setitem(sys.modules, runner.__name__, runner)
    bridge.start(AT)
    assert runner.time is api.real_time


class _LoadModuleOnly:
    """A finder whose loader predates PEP 451: ``load_module()`` and no ``exec_module()``."""

    def find_spec(
        self, fullname: str, path: object, target: object = None
    ) -> importlib.machinery.ModuleSpec | None:
        return importlib.machinery.ModuleSpec(fullname, self) if fullname == "polling2" else None

    def load_module(self, fullname: str) -> types.ModuleType:
        made = types.ModuleType(fullname)
        exec("import time\n", made.__dict__)
        sys.modules[fullname] = made
        return made


def test_a_retry_library_a_load_module_loader_loads_while_frozen_imports(
    bridge: FreezeBridge, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The finder that gives such a library its wall clock wrapped the loader, and the
    import that works unfrozen raised AttributeError ('create_module')."""
    monkeypatch.delitem(sys.modules, "polling2", raising=False)
    monkeypatch.setattr(sys, "meta_path", [_LoadModuleOnly(), *sys.meta_path])
    bridge.start(AT)
    with pytest.warns(ImportWarning, match="exec_module"):
        library = importlib.import_module("polling2")
    assert (library.time, type(sys.modules["polling2"].__loader__)) == (time, _LoadModuleOnly)

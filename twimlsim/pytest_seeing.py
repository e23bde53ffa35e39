"""The pytest side of seeing calls: each test's simulators, the call log of a failing test
(a report section), timeline pages (``--twimlsim-report``), golden logs and IVR coverage.

Wired in by ``pytest_plugin.py``; nothing here is imported until pytest configures.
"""

from __future__ import annotations

import sys
from collections.abc import Generator
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

import pytest

from . import watch

if TYPE_CHECKING:
    from .coverage import Coverage
    from .golden import Golden
    from .simulator import Simulator

__all__ = [
    "ADDED_BY_OPTION",
    "CALL_PASSED",
    "RUNNING",
    "SECTION",
    "RunningTests",
    "SeeingPlugin",
    "add_options",
]

#: The title of the report section that carries a failing test's calls.
SECTION = "twimlsim calls"
#: How many of a test's simulators it shows, the last ones (a hypothesis test makes one
#: per example, and the failing example is replayed last).
SHOWN_SIMULATORS = 3

#: The key of what this plugin sends from a pytest-xdist worker to the controller.
_WORKER_OUTPUT = "twimlsim_seeing"
#: What each failed phase of a test raised (pytest's crash message), for its timeline page.
_WHY_FAILED = pytest.StashKey[list[str]]()
#: The outcome of each test's call phase: the fixture checks the simulator at teardown
#: only after a test that passed, so a failing test reports one failure, its own.
CALL_PASSED = pytest.StashKey[bool]()
#: The tests running now, innermost last (a pytester run nests inside a test).
RUNNING: list[pytest.Item] = []
#: Set on a test that got its simulator only from ``pytest --twimlsim`` (it asked for no
#: ``twimlsim`` fixture nor marker): a test of an existing suite, which never runs calls.
ADDED_BY_OPTION = pytest.StashKey[bool]()


def add_options(group: Any) -> None:
    """The command-line options of this module (``group`` is the plugin's option group)."""
    group.addoption(
        "--twimlsim-report",
        metavar="DIR",
        default=None,
        help="write an HTML timeline of each failing test's calls into DIR (and the IVR "
        "coverage, with --twimlsim-coverage)",
    )
    group.addoption(
        "--twimlsim-report-all",
        action="store_true",
        default=False,
        help="with --twimlsim-report: write a timeline for every test, passing ones too",
    )
    group.addoption(
        "--twimlsim-golden-update",
        action="store_true",
        default=False,
        help="rewrite golden call logs that differ from this run (twimlsim_golden fixture)",
    )
    group.addoption(
        "--twimlsim-coverage",
        action="store_true",
        default=False,
        help="print which TwiML documents, Gather choices and Dial outcomes the session "
        "reached, and the verbs that never ran",
    )


class RunningTests:
    """What the ``twimlsim`` fixture reads of each test: the test running now (``RUNNING``)
    and whether its call phase passed (``CALL_PASSED``). ``SeeingPlugin`` keeps both in its
    own hooks; this plugin is registered instead when that one is blocked (``-p
    no:twimlsim-seeing``)."""

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item) -> Generator[None, object, object]:
        RUNNING.append(item)
        try:
            return (yield)
        finally:
            RUNNING.pop()

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
        report = yield
        if report.when == "call":
            item.stash[CALL_PASSED] = report.outcome == "passed"
        return report


class SeeingPlugin:
    """Collects each test's simulators and shows what their calls did; keeps what
    ``RunningTests`` keeps."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        report = config.getoption("--twimlsim-report")
        if report is not None and not report.strip():
            raise pytest.UsageError(
                f"--twimlsim-report={report}: the folder is empty, so no timeline page would "
                "be written (an environment variable in the option that is not set?); give a "
                "folder for the timeline pages, such as --twimlsim-report=twimlsim-report"
            )
        self.report_dir = Path(report) if report else None
        if (
            self.report_dir is not None
            and self.report_dir.exists()
            and not self.report_dir.is_dir()
        ):
            raise pytest.UsageError(
                f"--twimlsim-report={report}: {report} is a file; give a folder for the "
                "timeline pages (it is created when missing)"
            )
        self.report_all = bool(config.getoption("--twimlsim-report-all"))
        self.coverage: Coverage | None = None
        if config.getoption("--twimlsim-coverage"):
            from .coverage import Coverage

            self.coverage = Coverage()
        self.pages: list[tuple[str, Path]] = []
        #: Each timeline page's name this session (in lower case), and whose test it is.
        self.page_names: dict[str, str] = {}
        #: Timeline pages that could not be written: (test, why).
        self.page_errors: list[tuple[str, str]] = []
        self.goldens: list[Golden] = []
        #: Each golden file compared this session, and whose log it is (``Golden.claimed``).
        self.golden_files: dict[Path, tuple[Path, str]] = {}
        #: Golden files pytest-xdist workers created or refreshed.
        self.worker_goldens: list[tuple[str, Path]] = []
        # What the plugin keeps of the test running now (``pytest_runtest_protocol`` sets
        # them back as it ends): plain attributes, read at C speed by the hooks every test
        # runs, most of which never start a simulator.
        self._item: pytest.Item | None = None
        self._in_call = False
        #: The simulators the running test started, its fixtures' included.
        self._simulators: list[Simulator] = []
        #: Those its own body started (not a fixture): each must be stopped by the time the
        #: test ends, or it answers Twilio's API and holds the app's clock in later tests.
        self._started_by_the_test: list[Simulator] = []
        #: Whether a phase of the running test failed (its calls are shown once).
        self._failed = False
        #: Whether its call phase did not pass (a failure, a skip, an xfail).
        self._call_failed = False
        #: The reports' hook, registered when the session's first simulator starts.
        self._reports: _Reports | None = None
        watch.ON_START.append(self._started)

    def unconfigure(self) -> None:
        """Stop watching simulators."""
        if self._started in watch.ON_START:
            watch.ON_START.remove(self._started)

    def _started(self, simulator: Simulator) -> None:
        if watch.ON_START[-1] != self._started:
            return  # a pytest run inside this one (pytester) watches its own tests
        if self._item is not None:
            if self._reports is None:
                self._reports = _Reports(self)
                self.config.pluginmanager.register(self._reports, _REPORTS)
            self._simulators.append(simulator)
            if self._in_call and not _in_fixture_setup():
                self._started_by_the_test.append(simulator)

    # Every hook here runs for every test of the session, most of which never start a
    # simulator: few hook implementations (the reports' hook, three calls a test, is
    # registered only once a simulator has started), plain functions where a wrapper is
    # not needed (a wrapper costs pluggy a generator), and no Python-level call on the way
    # of a test that started none (attributes, not the item's stash).

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_call(self, item: pytest.Item) -> Generator[None, object, object]:
        self._in_call = True
        try:
            return (yield)
        finally:
            self._in_call = False

    @pytest.hookimpl(trylast=True)
    def pytest_runtest_teardown(self, item: pytest.Item) -> None:
        """Once the test's fixtures are torn down (pytest's own teardown runs first), stop a
        simulator the test started and left running; after a passing test, fail its
        teardown saying so (a failing test may simply not have reached its stop())."""
        if not self._started_by_the_test:
            return
        # the failure's traceback keeps this frame: no simulator in its locals
        if _stop_running(self._started_by_the_test) and not self._call_failed:
            pytest.fail(
                f"{item.nodeid} started a Simulator and left it running (started, never "
                "stopped): it would go on answering Twilio's API and holding the app's clock "
                "in every later test, so twimlsim stopped it; use `with Simulator() as sim:` "
                "or the twimlsim fixture, or call sim.stop() in a finally",
                pytrace=False,
            )

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item) -> Generator[None, object, object]:
        self._item = item
        RUNNING.append(item)
        try:
            return (yield)
        finally:
            RUNNING.pop()
            self._item = None
            self._in_call = self._failed = self._call_failed = False
            if self._simulators:  # the calls are reported: let them go
                self._simulators = []
            if self._started_by_the_test:
                self._started_by_the_test = []

    def report(self, item: pytest.Item, report: pytest.TestReport) -> None:
        """Note what a phase of the running test did (``_Reports``): why it failed, whether
        its call passed, and the calls of its simulators in the report of a failing one."""
        failed = report.outcome == "failed"
        if failed:
            _note_why(item, report)
        if report.when == "call":
            passed = report.outcome == "passed"
            item.stash[CALL_PASSED] = passed
            # read from the report: a unittest TestCase's failure is not raised by the call
            self._call_failed = not passed
        simulators = self._simulators
        if not simulators:
            return
        if failed and not self._failed:
            self._failed = True
            if not item.stash.get(ADDED_BY_OPTION, False) or len(simulators) > 1:
                report.sections.append((SECTION, _calls_text(simulators)))
            elif simulators[0].calls or simulators[0].api_requests:
                # a test of an existing suite: shown only when it reached Twilio's API
                text = _calls_text(simulators, by_option=True)
                adopted = _adopted_note(simulators[0]) + _magic_note(simulators[0])
                report.sections.append((SECTION, _ANSWERED_BY_OPTION + adopted + text))
        if report.when == "teardown":
            self._after_test(item, simulators, report)

    def _after_test(
        self, item: pytest.Item, simulators: list[Simulator], report: pytest.TestReport
    ) -> None:
        failed = self._failed
        if self.coverage is not None:
            for simulator in simulators:
                self.coverage.add(simulator.calls.values())
        if self.report_dir is not None and (failed or self.report_all):
            from .timeline import write_page

            calls = [call for simulator in simulators for call in simulator.calls.values()]
            rooms = [room for simulator in simulators for room in simulator.conferences.values()]
            name = _file_name(item.nodeid, self.page_names)
            path = (self.report_dir / f"{name}.html").resolve()
            problems = _page_problems(item.stash.get(_WHY_FAILED, []), simulators)
            try:
                write_page(path, calls, title=item.nodeid, conferences=rooms, problems=problems)
            except OSError as error:
                # the test's own outcome stands; the summary tells why its page is missing
                self.page_errors.append((item.nodeid, f"could not write {path}: {error.strerror}"))
                return
            self.pages.append((item.nodeid, path))
            report.sections.append(("twimlsim timeline", str(path)))

    # -- pytest-xdist: workers send what they saw, the controller prints it ---------------

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        output = getattr(session.config, "workeroutput", None)
        if output is None:
            return
        output[_WORKER_OUTPUT] = {
            "pages": [[nodeid, str(path)] for nodeid, path in self.pages],
            "page_errors": [[nodeid, why] for nodeid, why in self.page_errors],
            "goldens": [
                [outcome, str(path)] for golden in self.goldens for outcome, path in golden.outcomes
            ],
            "coverage": self.coverage.to_data() if self.coverage is not None else None,
        }

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: object) -> None:
        sent = getattr(node, "workeroutput", {}).get(_WORKER_OUTPUT)
        if sent is None:
            return
        self.pages += [(nodeid, Path(path)) for nodeid, path in sent["pages"]]
        self.page_errors += [(nodeid, why) for nodeid, why in sent.get("page_errors", ())]
        self.worker_goldens += [(outcome, Path(path)) for outcome, path in sent["goldens"]]
        if self.coverage is not None and sent["coverage"] is not None:
            self.coverage.merge(sent["coverage"])

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        write = terminalreporter.write_line
        outcomes: list[tuple[str, Path]] = [
            outcome for golden in self.goldens for outcome in golden.outcomes
        ]
        outcomes += self.worker_goldens
        if outcomes:
            terminalreporter.section("twimlsim golden logs")
            for outcome, path in outcomes:
                write(f"{outcome} {path}")
        if self.pages or self.page_errors:
            terminalreporter.section("twimlsim timelines")
            for nodeid, path in self.pages:
                write(f"{nodeid}: {path}")
            for nodeid, why in self.page_errors:
                write(f"{nodeid}: {why}")
        if self.coverage is not None:
            terminalreporter.section("twimlsim IVR coverage")
            write(self.coverage.table())
            if self.report_dir is not None:
                try:
                    path = self.coverage.write(self.report_dir.resolve())
                except OSError as error:
                    write(f"could not write it to {self.report_dir}: {error.strerror}")
                else:
                    write(f"written to {path}")

    def golden_for(self, request: pytest.FixtureRequest) -> Golden:
        """The ``twimlsim_golden`` of the requesting test."""
        from .golden import GOLDEN_DIR, Golden, on_ci

        test_file = Path(str(request.node.path))
        stem = request.node.nodeid.split("::", 1)[-1].replace("::", ".")
        golden = Golden(
            folder=test_file.parent / GOLDEN_DIR / test_file.stem,
            stem=stem,
            origin=request.node.nodeid,
            update=bool(self.config.getoption("--twimlsim-golden-update")),
            missing_fails=on_ci(),
            claimed=self.golden_files,
        )
        self.goldens.append(golden)
        return golden


#: The name ``SeeingPlugin`` registers its ``_Reports`` under.
_REPORTS = "twimlsim-seeing-reports"


class _Reports:
    """The reports' hook of ``SeeingPlugin``: registered when the session's first simulator
    starts (before that, no test had calls to report, nor a fixture to read its outcome),
    so that a suite that never starts one does not run it, three times a test."""

    def __init__(self, seeing: SeeingPlugin) -> None:
        self.seeing = seeing

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
        report = yield
        self.seeing.report(item, report)
        return report


def _in_fixture_setup() -> bool:
    """Whether pytest is setting a fixture up now: in a test's call, one its body asked for
    with ``request.getfixturevalue()``, whose simulator is the fixture's to stop (a module or
    session one's outlives the test). Read only as a simulator starts, from the stack."""
    frame: FrameType | None = sys._getframe(1)
    while frame is not None:
        if (
            frame.f_code.co_name == "pytest_fixture_setup"
            and frame.f_globals.get("__name__") == "_pytest.fixtures"
        ):
            return True
        frame = frame.f_back
    return False


def _stop_running(simulators: list[Simulator]) -> bool:
    """Stop those of ``simulators`` still running; whether there were any."""
    left = [sim for sim in simulators if sim.running]
    for sim in left:
        sim._end()
    return bool(left)


def _calls_text(simulators: list[Simulator], *, by_option: bool = False) -> str:
    from .report import SHOWN_CALLS, SHOWN_ENTRIES, app_clock_note, format_simulator

    shown = simulators[-SHOWN_SIMULATORS:]
    texts = []
    for simulator in shown:
        first = "" if by_option else _never_ran(simulator) + app_clock_note(simulator)
        calls = format_simulator(simulator, limit=SHOWN_CALLS, max_entries=SHOWN_ENTRIES)
        texts.append(first + (calls or "(no calls)") if first else calls)
    text = "\n\n".join(text for text in texts if text) or "(no calls)"
    earlier = len(simulators) - len(shown)
    if earlier:
        text = (
            f"({earlier} earlier simulators of this test are not shown, such as hypothesis's "
            f"examples before the failing one; the last {len(shown)}:)\n\n{text}"
        )
    return text


#: The first lines of the section of a test that got its simulator from ``--twimlsim``.
_ANSWERED_BY_OPTION = (
    "pytest --twimlsim answered this test's requests to Twilio's API with a simulator (the "
    "test asks for no twimlsim fixture, so nothing runs the calls it placed: they stay "
    "queued; a test that asks for it gets this same simulator and runs them with "
    "twimlsim.run()). A test that expects a Twilio request to fail (its own mock refusing a URL it "
    "did not register, to play an outage) registers that failure (responses: rsps.post(url, "
    "body=requests.ConnectionError()); requests-mock: requests_mock.post(url, "
    "exc=requests.ConnectionError)), or is marked @pytest.mark.no_twimlsim.\n\n"
)


def _adopted_note(simulator: Simulator) -> str:
    """What a failing test of an existing suite is told about the accounts its own
    credentials opened: they start empty, without the real account's resources."""
    sids = [sid for sid, account in simulator.store.accounts.items() if account.any_caller_id]
    if not sids:
        return ""
    named = ", ".join(sids)
    return (
        f"The test's credentials opened {named} in the simulator, empty at first: the numbers, "
        "calls, recordings, messages and applications of the real account are not there, "
        "so a list of them holds only what the test created (a test that counts the real "
        "account's numbers buys them first, or is marked @pytest.mark.no_twimlsim).\n\n"
    )


#: Twilio's magic test numbers that answer test credentials with an error (its "Test
#: Credentials" page: +15005550001 to 0004 and 0007 to 0009; 0000, a number not for sale);
#: +15005550006 answers as any number does, and is left out.
_MAGIC = frozenset(f"+1500555000{digit}" for digit in "01234789")
#: The creates whose magic ``To``, ``From`` or ``PhoneNumber`` test credentials refuse.
_MAGIC_KINDS = frozenset({"calls.create", "messages.create", "numbers.create"})


def _magic_note(simulator: Simulator) -> str:
    """What a test of an existing suite that expects a magic number's error is told: the
    account ``pytest --twimlsim`` opened is live, so no magic number was refused."""
    used: dict[str, None] = {}
    for request in simulator.api_requests:
        if request.kind in _MAGIC_KINDS and request.status < 400:
            params = request.params
            for name in ("To", "From", "PhoneNumber"):
                if params.get(name) in _MAGIC:
                    used.setdefault(params[name])
    if not used:
        return ""
    return (
        f"The test used Twilio's magic test numbers ({', '.join(used)}), which answer with "
        "their errors only to test credentials: pytest --twimlsim cannot tell the suite's "
        "test credentials from live ones, so the account they opened is live and none was "
        "refused. A test of the magic numbers gives its client the simulator's test "
        "credentials (the twimlsim fixture's account_sid and test_auth_token), or is marked "
        "@pytest.mark.no_twimlsim.\n\n"
    )


def _never_ran(simulator: Simulator) -> str:
    """A first line for a simulator whose calls were made and never run (the usual
    reason a test finds ``said`` empty: no ``sim.run()``)."""
    if not simulator._no_call_has_run():  # the strict check's own test of it
        return ""
    return (
        "No call has run: the test ended before any sim.run() (which runs every call to its "
        "end) or call.run() (one call, until it waits for input).\n\n"
    )


def _file_name(nodeid: str, claimed: dict[str, str]) -> str:
    """A test's timeline page name: its id with what a file name cannot hold replaced,
    and a digest of the id after it where that could make two tests' names one (a
    parametrized id holding such characters, ``test_x[https://app.test/voice]`` and
    ``test_x[https:/app.test/voice]``; under pytest-xdist each worker names its own
    pages), or where ``claimed`` (the session's names, in lower case, as macOS and
    Windows compare them) has it for another test; one page overwrote the other."""
    import hashlib
    import re

    from .file_names import file_stem

    stem = file_stem(nodeid, unsafe=r"[^\w.-]+", replacement="_").strip("_")
    parameters = nodeid.partition("[")[2][:-1]
    if re.search(r"[^\w.-]", parameters) or claimed.get(stem.lower(), nodeid) != nodeid:
        digest = hashlib.sha256(nodeid.encode("utf-8", "surrogatepass")).hexdigest()
        stem = f"{stem}-{digest[:16]}"
    claimed[stem.lower()] = nodeid
    return stem


def _note_why(item: pytest.Item, report: pytest.TestReport) -> None:
    """Keep what a failed phase raised, for the test's timeline page."""
    crash = getattr(report.longrepr, "reprcrash", None)
    message = getattr(crash, "message", None)
    text = message if isinstance(message, str) else str(report.longrepr)
    where = "" if report.when == "call" else f"at {report.when}: "
    item.stash.setdefault(_WHY_FAILED, []).append(where + text)


def _page_problems(why_failed: list[str], simulators: list[Simulator]) -> list[str]:
    """A timeline page's problems: why the test failed, then what Twilio would log that
    the failure does not already say (a strict=False test's call problems)."""
    logged = [
        str(failure)
        for simulator in simulators
        for failure in simulator.failures
        if not any(str(failure) in why for why in why_failed)
    ]
    return why_failed + logged

"""Golden request logs: a call's whole log (transcript, webhooks, the app's REST requests)
compared with a text file kept beside the test.

The simulator is deterministic (seeded SIDs, virtual time), so the same test writes the same
log on every run and machine. The file is ``format_call``'s plain text, one call after
another, readable in a code review. A missing file is created (the test passes); a
different log fails the test with a unified diff; ``pytest --twimlsim-golden-update``
rewrites files that differ.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal, cast

from .arguments import describe
from .engine.session import SimCall
from .file_names import file_stem
from .report import format_calls, format_simulator

if TYPE_CHECKING:
    from .simulator import Simulator

__all__ = ["GOLDEN_DIR", "Golden", "UPDATE_FLAG", "golden_text"]

#: The folder, beside the test module, that holds its golden logs.
GOLDEN_DIR = "golden"
#: The pytest option that rewrites golden logs that differ.
UPDATE_FLAG = "--twimlsim-golden-update"

Outcome = Literal["created", "matched", "refreshed"]


def golden_text(source: Simulator | SimCall | Iterable[SimCall]) -> str:
    """The log a golden file holds: ``format_call`` of each call (a call: it and the legs
    it dialled; a simulator: every call in creation order, then each conference room's
    status callbacks, which are about the room and no call, then the app's REST requests
    about no call), a blank line between."""
    from .simulator import Simulator  # here: the simulator module imports much more

    if isinstance(source, Simulator):
        return format_simulator(source) + "\n"
    given: object = source  # checked as whatever a test passed
    calls: list[object] | None = None
    if isinstance(given, SimCall):
        calls = list(_with_children(given))
    elif isinstance(given, Iterable) and not isinstance(given, str | bytes):
        calls = list(given)
    if calls is None or not all(isinstance(call, SimCall) for call in calls):
        hint = f" (a call SID: pass sim.calls[{given!r}])" if isinstance(given, str) else ""
        raise TypeError(
            "twimlsim_golden() takes the simulator, one of its calls (sim.calls[sid]) or a "
            f"list of calls; got {repr(given) + hint if hint else describe(given)}"
        )
    return format_calls(cast("list[SimCall]", calls)) + "\n"


def _with_children(call: SimCall) -> Iterable[SimCall]:
    yield call
    for child in call.children:
        yield from _with_children(child)


def _comparable(text: str) -> list[str]:
    """The lines that count: the header comments say where the file came from, no more."""
    return [line for line in text.splitlines() if not line.startswith("#")]


@dataclass(repr=False)
class Golden:
    """Compares logs with golden files for one test (the ``twimlsim_golden`` fixture).

    ``folder`` holds the files, ``stem`` names them (the test's name), ``update`` rewrites
    a file that differs, ``origin`` is written in the file's header. ``outcomes`` keeps
    what happened to each file, for the end-of-session summary.
    """

    folder: Path
    stem: str
    origin: str
    update: bool = False
    #: A missing file fails the test instead of being written (on a CI machine, where a
    #: written file would be lost and the check would never compare anything).
    missing_fails: bool = False
    #: Each golden file the session has compared (by its name in lower case), the file
    #: and whose log it is: shared by every test's ``Golden``, so that two tests whose
    #: names make the same file name (they differ only in characters a file name cannot
    #: hold, or in letter case, which macOS and Windows do not tell apart) do not
    #: overwrite each other.
    claimed: dict[Path, tuple[Path, str]] = field(default_factory=dict)
    outcomes: list[tuple[Outcome, Path]] = field(default_factory=list)

    def __repr__(self) -> str:
        return f"<twimlsim_golden {self.path()}>"

    def path(self, name: str = "") -> Path:
        """The golden file of this test (``name`` tells several apart)."""
        stem = f"{self.stem}.{name}" if name else self.stem
        return self.folder / f"{_safe(stem)}.txt"

    def __call__(self, source: Simulator | SimCall | Iterable[SimCall], name: str = "") -> Outcome:
        """Compare ``source``'s log with the golden file; create it when missing, rewrite
        it when it differs and updating; else fail with a diff."""
        __tracebackhide__ = True
        return self.check(golden_text(source), name)

    def check(self, text: str, name: str = "") -> Outcome:
        """Compare ``text`` (a log) with the golden file ``name``."""
        __tracebackhide__ = True
        path = self.path(name)
        owner = self.origin if not name else f"{self.origin} (name {name!r})"
        claimed_path, claimed_by = self.claimed.setdefault(
            path.with_name(path.name.casefold()), (path, owner)
        )
        if claimed_by != owner:
            why = (
                "the two tests' names differ only in characters a file name cannot hold"
                if claimed_path == path
                else f"{claimed_path.name} and {path.name} differ only in letter case, and "
                "on macOS and Windows, whose file systems do not tell case apart, they are "
                "one file"
            )
            raise AssertionError(
                f"the golden file {path} is already the golden file of {claimed_by} ({why}): "
                "give this test's log its own name, twimlsim_golden(sim, name='...'), or "
                "rename one of the tests"
            )
        content = self._header() + text
        if not path.exists():
            if self.missing_fails and not self.update:
                raise AssertionError(
                    f"the golden file {path} is missing, and this run is on a CI machine "
                    f"({_ci_variable()} is set), where a file written now would be lost and "
                    "the log would never be compared: run the test where you work to create "
                    f"the file and commit it (or run pytest {UPDATE_FLAG} here to write it "
                    "anyway)"
                )
            return self._write("created", path, content)
        if path.is_dir():
            raise AssertionError(
                f"the golden file {path} is a folder: remove it, or give this test's log "
                "another name, twimlsim_golden(sim, name='...')"
            )
        try:
            stored = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as error:  # an editor saved it in UTF-16, a binary file...
            if self.update:
                return self._write("refreshed", path, content)
            raise AssertionError(
                f"the golden file {path} is not UTF-8 text ({error}), as twimlsim writes it: "
                f"run pytest {UPDATE_FLAG} to write this run's log there, then review the "
                "file's diff"
            ) from None
        if _comparable(stored) == _comparable(content):
            return "matched"
        if self.update:
            return self._write("refreshed", path, content)
        diff = difflib.unified_diff(
            stored.splitlines(),
            content.splitlines(),
            fromfile=f"{path} (golden)",
            tofile="this run",
            n=2,
            lineterm="",
        )
        raise AssertionError(
            f"the call log differs from the golden file {path}; "
            + (
                self._written_by(stored)
                or f"if the change is intended, run pytest {UPDATE_FLAG} and review the file's diff"
            )
            + "\n"
            + "\n".join(diff)
        )

    def _written_by(self, stored: str) -> str:
        """Says so when ``stored`` is, by its header, the golden log of another test whose
        name makes the same file name, run by another pytest-xdist worker (each keeps its
        own ``claimed``); or ""."""
        first = stored.partition("\n")[0]
        marker = "# twimlsim golden log of "
        if not first.startswith(marker):
            return ""
        writer = first.removeprefix(marker)
        stem = writer.split("::", 1)[-1].replace("::", ".")  # as the plugin makes stems
        if stem == self.stem or _safe(stem) != _safe(self.stem):
            return ""  # this test's own file, or one it took over (a test renamed since)
        return (
            f"the file was written for {writer}, whose name makes the same file name (the "
            "two tests' names differ only in characters a file name cannot hold, and "
            "pytest-xdist ran them in two workers): give this test's log its own name, "
            "twimlsim_golden(sim, name='...'), or rename one of the tests"
        )

    def _header(self) -> str:
        return f"# twimlsim golden log of {self.origin}\n# refresh: pytest {UPDATE_FLAG}\n\n"

    def _write(self, outcome: Outcome, path: Path, content: str) -> Outcome:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
        self.outcomes.append((outcome, path))
        return outcome


#: Environment variables CI services set (``CI`` by GitHub Actions, GitLab, CircleCI,
#: Travis, Buildkite, Bitbucket and others; ``TF_BUILD`` by Azure Pipelines; ``BUILD_ID``
#: with ``JENKINS_URL`` by Jenkins; ``TEAMCITY_VERSION`` by TeamCity and
#: ``CODEBUILD_BUILD_ARN`` by AWS CodeBuild, which set no ``CI``).
CI_VARIABLES = ("CI", "TF_BUILD", "JENKINS_URL", "TEAMCITY_VERSION", "CODEBUILD_BUILD_ARN")


def _ci_variable() -> str | None:
    """The variable saying this run is on a CI machine, or None (``CI=false`` and
    ``CI=0`` say it is not)."""
    for name in CI_VARIABLES:
        value = os.environ.get(name, "").strip().lower()
        if value and value not in ("0", "false", "no"):
            return name
    return None


def on_ci() -> bool:
    """Whether this run is on a CI machine (one of ``CI_VARIABLES`` set),
    where missing golden files fail rather than being written, as jest treats missing
    snapshots under CI."""
    return _ci_variable() is not None


def _safe(name: str) -> str:
    """A file name from a test name (``test_x[1-a]`` -> ``test_x-1-a-``)."""
    return file_stem(name)

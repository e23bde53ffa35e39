"""``--twimlsim-report=DIR`` that names a file, or a folder that cannot be written, says so
instead of crashing pytest with an INTERNALERROR."""

from __future__ import annotations

import pytest

from .pytester_support import CONFTEST, FAST

pytest_plugins = ["pytester"]


def test_a_report_folder_that_is_a_file_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_x="def test_x(call):\n    pass\n")
    pytester.path.joinpath("out").write_text("", encoding="utf-8")
    result = pytester.runpytest(*FAST, "--twimlsim-report=out")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert result.stderr.lines[0] == (
        "ERROR: --twimlsim-report=out: out is a file; give a folder for the timeline pages "
        "(it is created when missing)"
    )


def test_a_page_that_cannot_be_written_is_told_beside_the_test(
    pytester: pytest.Pytester,
) -> None:
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_x="def test_x(call):\n    assert False\n")
    blocker = pytester.path / "blocker"
    blocker.write_text("", encoding="utf-8")  # a file where the report's folder would go
    result = pytester.runpytest(*FAST, f"--twimlsim-report={blocker}/out")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    assert "INTERNALERROR" not in result.stdout.str()
    result.stdout.fnmatch_lines(
        [
            "*= twimlsim timelines =*",
            f"test_x.py::test_x: could not write {blocker}/out/test_x.py_test_x.html: Not a "
            "directory",
        ]
    )


def test_an_empty_report_folder_is_a_usage_error(pytester: pytest.Pytester) -> None:
    """``--twimlsim-report=$REPORT_DIR`` with the variable unset in CI wrote no page, and
    said nothing: the failing tests' timelines were lost without a word."""
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_x="def test_x(call):\n    assert False\n")
    result = pytester.runpytest(*FAST, "--twimlsim-report=")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert result.stderr.lines[0] == (
        "ERROR: --twimlsim-report=: the folder is empty, so no timeline page would be "
        "written (an environment variable in the option that is not set?); give a folder for "
        "the timeline pages, such as --twimlsim-report=twimlsim-report"
    )


def test_under_xdist_a_page_a_worker_could_not_write_is_told_too(
    pytester: pytest.Pytester,
) -> None:
    """A worker kept the reason to itself: the controller's summary had no word of the
    missing page."""
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_x="def test_x(call):\n    assert False\n")
    blocker = pytester.path / "blocker"
    blocker.write_text("", encoding="utf-8")
    result = pytester.runpytest(*FAST, "-n", "1", f"--twimlsim-report={blocker}/out")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(
        [
            "*= twimlsim timelines =*",
            f"test_x.py::test_x: could not write {blocker}/out/test_x.py_test_x.html: Not a "
            "directory",
        ]
    )

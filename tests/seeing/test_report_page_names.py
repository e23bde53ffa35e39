"""Each test's timeline page has a file of its own: two tests whose ids differ only in
characters a file name cannot hold, or in letter case, wrote one file, the second page
over the first, while the summary named that file for both."""

from __future__ import annotations

import hashlib

import pytest

pytest_plugins = ["pytester"]

TESTS = """
import pytest

@pytest.mark.parametrize("url", ["https://app.test/voice", "https:/app.test/voice"])
def test_url(twimlsim, url):
    pass

@pytest.mark.parametrize("name", ["Menu", "menu", "plain_id"])
def test_name(twimlsim, name):
    pass
"""


def test_under_xdist_a_parameter_a_file_name_cannot_hold_still_makes_two_pages(
    pytester: pytest.Pytester,
) -> None:
    # each worker names its own pages: the digest is the id's, whoever writes the page
    pytester.makepyfile(test_pages=TESTS.split('@pytest.mark.parametrize("name"')[0])
    result = pytester.runpytest_subprocess(
        "--twimlsim-report=out", "--twimlsim-report-all", "-n", "2"
    )
    result.assert_outcomes(passed=2)
    url = "test_pages.py_test_url_https_app.test_voice"
    assert sorted(path.name for path in (pytester.path / "out").iterdir()) == sorted(
        [
            f"{url}-{digest('test_pages.py::test_url[https://app.test/voice]')}.html",
            f"{url}-{digest('test_pages.py::test_url[https:/app.test/voice]')}.html",
        ]
    )


def digest(nodeid: str) -> str:
    return hashlib.sha256(nodeid.encode()).hexdigest()[:16]


def test_two_tests_whose_names_make_one_file_name_get_two_pages(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(test_pages=TESTS)
    result = pytester.runpytest(
        "-p", "no:randomly", "--twimlsim-report=out", "--twimlsim-report-all"
    )
    result.assert_outcomes(passed=5)
    module = "test_pages.py"
    url = "test_pages.py_test_url_https_app.test_voice"
    names = sorted(path.name for path in (pytester.path / "out").iterdir())
    assert names == sorted(
        [
            f"{module}_test_name_Menu.html",  # macOS and Windows take menu for Menu
            f"{module}_test_name_menu-{digest(f'{module}::test_name[menu]')}.html",
            f"{module}_test_name_plain_id.html",
            f"{url}-{digest(f'{module}::test_url[https://app.test/voice]')}.html",
            f"{url}-{digest(f'{module}::test_url[https:/app.test/voice]')}.html",
        ]
    )

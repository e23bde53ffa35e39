"""What the pytester tests of reports, assertions and golden logs share."""

from __future__ import annotations

import re

import pytest
import twilio.rest  # noqa: F401  (imported once here, not afresh by every inline run)

import fixtures.menus_app  # noqa: F401
import twimlsim.assertions  # noqa: F401

#: A conftest for pytester runs: the two-menu fixture app, and a call through both menus
#: (2 for support, then 1 for billing).
CONFTEST = """
import pytest
from fixtures.menus_app import app


@pytest.fixture
def twimlsim_app():
    return app


@pytest.fixture
def call(twimlsim):
    twimlsim.number("+15005550006")
    twimlsim.phone("+15558675310").presses("2").presses("1")
    created = twimlsim.client().calls.create(
        to="+15558675310", from_="+15005550006",
        url="https://app.test/menus/main", status_callback="https://app.test/menus/status")
    twimlsim.run()
    return twimlsim.calls[created.sid]
"""

#: The SID the call of ``CONFTEST`` gets (the simulator is seeded: the same every run).
CALL_SID = "CAee4a56ad3092da64d5ba892549669298"
ACCOUNT_SID = "ACd45321710a9937d57a6f595c7099cd0b"


def failure_lines(result: pytest.RunResult, test: str) -> list[str]:
    """The ``E`` lines pytest printed for the failure of ``test``, without the prefix."""
    text = result.stdout.str()
    start = re.search(rf"^_+ {re.escape(test)} _+$", text, re.MULTILINE)
    assert start is not None, text
    rest = text[start.end() :]
    end = re.search(r"^(_{3,} \S+ _{3,}|=+ .* =+)$", rest, re.MULTILINE)
    block = rest[: end.start()] if end else rest
    return [line[8:] for line in block.splitlines() if line.startswith("E ")]


#: Options that keep an inline pytester run quick: no cache, no hypothesis statistics, and
#: no assertion rewriting of the modules a run imports afresh (the helpers under test raise
#: their own messages).
FAST = ("-p", "no:cacheprovider", "-p", "no:hypothesispytest", "--assert=plain")

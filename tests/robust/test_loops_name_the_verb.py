"""A call stopped for looping names the verb that asked for its document again, with its
line, when that verb is in the very document it asked for (a <Redirect> to itself, an
empty <Redirect>, a Gather's action); a loop between two documents names none, since the
document fetched last is not the one whose verb asked for it."""

from __future__ import annotations

import pytest

from fixtures.twiml_app import TwimlApp
from tests.support import APP_URL, CALLEE, CALLER_ID
from twimlsim import Simulator


def loop_failure(routes: dict[str, str]) -> tuple[str | None, str | None, int | None, str]:
    with Simulator(strict=False) as sim:
        sim.route(APP_URL, TwimlApp(routes))
        sim.number(CALLER_ID)
        sim.client().calls.create(to=CALLEE, from_=CALLER_ID, url=f"{APP_URL}/voice")
        sim.run()
    (failure,) = sim.failures
    assert failure.code is None
    return failure.url, failure.element, failure.line, failure.message


@pytest.mark.parametrize(
    ("voice", "element", "line"),
    [
        ("<Response>\n  <Say>Hi</Say>\n  <Redirect></Redirect>\n</Response>", "Redirect", 3),
        (
            '<Response>\n<Gather action="/voice" actionOnEmptyResult="true" timeout="1">\n'
            "  <Say>Menu</Say>\n</Gather>\n</Response>",
            "Gather",
            2,
        ),
    ],
)
def test_a_document_that_asks_for_itself_names_the_verb_and_its_line(
    voice: str, element: str, line: int
) -> None:
    url, named, at, message = loop_failure({"/voice": voice})
    assert (url, named, at) == (f"{APP_URL}/voice", element, line)
    assert message.endswith("twimlsim ended the call")


def test_a_loop_between_two_documents_names_no_verb() -> None:
    routes = {
        "/voice": "<Response><Redirect>/other</Redirect></Response>",
        "/other": "<Response><Redirect>/voice</Redirect></Response>",
    }
    assert loop_failure(routes) == (
        f"{APP_URL}/voice",
        None,
        None,
        "100 documents fetched without virtual time passing (a <Redirect> loop?); twimlsim "
        "ended the call",
    )

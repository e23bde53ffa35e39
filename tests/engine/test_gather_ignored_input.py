"""Input a ``<Gather>`` does not take (speech at ``input="dtmf"``, keys at
``input="speech"``) is ignored, as on Twilio: the Gather times out. The ``Gathered`` event
keeps what was ignored, and its transcript line says so, so that a scripted test whose
caller went the wrong way finds out why in its failure report."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.engine.helpers import place, response, simulator
from tests.support import CALLEE
from twimlsim.engine.events import Gathered
from twimlsim.report import transcript_line

PROMPT = "<Say>Choose</Say>"  # 1 word: 1 second, then the Gather's 5 s timeout


@pytest.mark.parametrize(
    ("kind", "given", "ignored", "line"),
    [
        (
            "dtmf",
            ("says", "sales"),
            {"ignored_speech": "sales"},
            "ignored the speech 'sales': this Gather takes keys only (input=\"dtmf\"), as on "
            "Twilio",
        ),
        (
            "speech",
            ("presses", "1"),
            {"ignored_digits": "1"},
            "ignored the keys '1': this Gather takes speech only (input=\"speech\"), as on Twilio",
        ),
    ],
)
def test_scripted_input_the_gather_does_not_take_is_kept_on_its_event(
    kind: str, given: tuple[str, str], ignored: dict[str, str], line: str
) -> None:
    body = f'<Gather input="{kind}" action="/got">{PROMPT}</Gather><Say>Nothing?</Say>'
    with simulator({"/voice": response(body)}) as (sim, _):
        step, value = given
        getattr(sim.phone(CALLEE), step)(value)
        call = place(sim)
        sim.run()
    assert sim.failures == []  # Twilio logs nothing: a caller may well speak at a keypad menu
    assert len(call.requests) == 1  # the Gather timed out: no action
    [gathered] = [event for event in call.transcript if isinstance(event, Gathered)]
    at = sim.clock.at(6_000_000)  # the prompt (1 s), then the timeout (5 s)
    assert gathered == Gathered(at, "", None, None, "", True, **ignored)
    assert transcript_line(gathered) == (
        "  09:00:06  gathered digits='', speech=None, confidence=None, finished_on_key='', "
        f"timed_out=True; {line}"
    )
    assert str(call.said[-1]) == "Nothing?"


def test_input_the_gather_takes_leaves_nothing_ignored() -> None:
    body = f'<Gather input="dtmf" numDigits="1" action="/got">{PROMPT}</Gather>'
    routes = {"/voice": response(body), "/got": response("")}
    with simulator(routes) as (sim, _):
        sim.phone(CALLEE).presses("1")
        call = place(sim)
        sim.run()
    [gathered] = [event for event in call.transcript if isinstance(event, Gathered)]
    assert (gathered.ignored_digits, gathered.ignored_speech) == ("", None)
    assert transcript_line(gathered) == (
        "  09:00:01  gathered digits='1', speech=None, confidence=None, finished_on_key='', "
        "timed_out=False"
    )


def test_the_timeline_marks_the_ignored_input() -> None:
    from twimlsim.timeline import _describe

    at = datetime(2026, 1, 1, 9, tzinfo=UTC)
    speech = Gathered(at, "", None, None, "", True, ignored_speech="sales")
    keys = Gathered(at, "", None, None, "", True, ignored_digits="1")
    assert _describe(speech) == ("no input: ignored the speech 'sales' (keys only)", "#f28e2b")
    assert _describe(keys) == ("no input: ignored the keys '1' (speech only)", "#f28e2b")
    assert _describe(Gathered(at, "", None, None, "", True)) == ("no input", "#f28e2b")

"""The coverage counter and the timeline page, without pytest around them."""

from __future__ import annotations

import re

import pytest

from fixtures.pictures import menu_call
from twimlsim import Simulator, parse_twiml
from twimlsim.coverage import Coverage, announced_choices
from twimlsim.timeline import _seconds_label, _tick_step, render_page, render_svg
from twimlsim.twiml import nodes


def gather(xml: str) -> nodes.Gather:
    document = parse_twiml(f"<Response>{xml}</Response>".encode(), "text/xml").document
    assert document is not None
    found = document.children[0]
    assert isinstance(found, nodes.Gather)
    return found


@pytest.mark.parametrize(
    ("prompt", "announced"),
    [
        (
            "<Say>Press 1 for sales, 2 for support.</Say>",
            {"1": "Press 1 for sales, 2 for support", "2": "Press 1 for sales, 2 for support"},
        ),
        (
            "<Say>For billing, press 1. Otherwise dial 0!</Say><Pause/><Say>Or press star</Say>",
            {"0": "Otherwise dial 0", "1": "For billing, press 1"},
        ),
        ("<Say>To repeat, press the # key.</Say>", {"#": "To repeat, press the # key"}),
        ("<Say>Enter your 4 digit PIN. Press 10 for nothing.</Say>", {}),
        (
            "<Say>Press 1 to confirm, 2 to talk to us, or 3 to leave a message.</Say>",
            dict.fromkeys("123", "Press 1 to confirm, 2 to talk to us, or 3 to leave a message"),
        ),
        ("<Say>Call us back in 2, 3 to 4 hours.</Say>", {}),
        ("<Play>https://media.test/menu.mp3</Play>", {}),
    ],
)
def test_announced_choices_come_from_the_gathers_prompts(
    prompt: str, announced: dict[str, str]
) -> None:
    assert announced_choices(gather(f"<Gather>{prompt}</Gather>")) == announced


def test_coverage_counts_no_input_and_each_document_variant() -> None:
    covered = Coverage()
    with Simulator() as sim:
        sim.number("+15005550006")
        sim.client().calls.create(
            to="+15558675310",
            from_="+15005550006",
            twiml="<Response><Gather numDigits='1' action='https://app.test/x'><Say>Press 1."
            "</Say></Gather><Say>Bye</Say></Response>",
        )
        sim.run()
        covered.add(sim.calls.values())
    assert covered.table().splitlines()[2:] == [
        "document [verbs]             served  verbs never run",
        "(inline TwiML) [Gather Say]  1       -",
        "",
        "menu (Gather) -> action  choices made  announced, never made",
        "(inline TwiML) #1 -> /x  no input x1   1 ('Press 1')",
    ]


def test_coverage_names_twilios_application_error_message_apart_from_inline_twiml() -> None:
    covered = Coverage()
    with Simulator(strict=False) as sim:
        sim.number("+15005550006")
        sim.client().calls.create(
            to="+15558675310", from_="+15005550006", url="https://unrouted.test/voice"
        )
        sim.run()
        covered.add(sim.calls.values())
    assert covered.table().splitlines()[2:] == [
        "document [verbs]                                   served  verbs never run",
        "(Twilio's application-error message) [Say Hangup]  1       -",
    ]


def test_lanes_put_dialled_legs_under_their_parent_in_any_order() -> None:
    calls = menu_call(["1"])
    forward = render_svg(calls)
    assert forward == render_svg(list(reversed(calls)))
    assert re.findall(r'data-call="(CA\w+)"', forward) == [call.sid for call in calls]


def test_the_page_escapes_what_the_app_said() -> None:
    with Simulator() as sim:
        sim.number("+15005550006")
        sim.client().calls.create(
            to="+15558675310",
            from_="+15005550006",
            twiml="<Response><Say>a &lt;b&gt; &amp; c</Say></Response>",
        )
        sim.run()
        page = render_page(sim.calls.values(), title="<t>")
    assert "<b>" not in page and "<t>" not in page
    assert "said: a &lt;b&gt; &amp; c" in page
    assert "<title>&lt;t&gt; - twimlsim timeline</title>" in page


def test_axis_ticks_are_round_and_few() -> None:
    assert [_tick_step(s) for s in (1, 9, 23, 95, 14400, 200000)] == [
        1.0,
        1.0,
        5.0,
        10.0,
        1800.0,
        21600.0,
    ]
    assert [_seconds_label(s) for s in (0, 59, 60, 3599, 3600, 14400)] == [
        "0s",
        "59s",
        "1m00s",
        "59m59s",
        "1h00m",
        "4h00m",
    ]


def test_no_calls_draw_an_empty_picture() -> None:
    assert render_svg([]) == (
        '<svg class="timeline" xmlns="http://www.w3.org/2000/svg" width="0" height="0"/>'
    )


def test_a_verb_run_inside_another_is_drawn_a_row_lower() -> None:
    from datetime import UTC, datetime, timedelta

    from twimlsim.engine.trace import ServedDocument, VerbRun
    from twimlsim.timeline import _depths

    start = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
    document = parse_twiml(b"<Response><Enqueue>q</Enqueue><Pause/></Response>", None).document
    assert document is not None
    served = ServedDocument(None, start, document)

    def run(begin: int, end: int | None) -> VerbRun:
        ended = start + timedelta(seconds=end) if end is not None else None
        return VerbRun(served, 0, start + timedelta(seconds=begin), 0, ended)

    # an Enqueue from 0 to 30 whose wait document pauses 0-10 and 10-20, then a verb at 30,
    # then one still running at the end
    runs = [run(0, 30), run(0, 10), run(10, 20), run(30, 31), run(31, None)]
    assert _depths(runs, start + timedelta(seconds=40)) == [0, 1, 1, 0, 0]


def test_a_coverage_cell_lists_eight_choices_then_counts_the_rest() -> None:
    from collections import Counter

    from twimlsim.coverage import _counted

    assert _counted(Counter("1223456789#")) == (
        "# x1, 1 x1, 2 x2, 3 x1, 4 x1, 5 x1, 6 x1, 7 x1, and 2 more"
    )
    assert _counted(Counter()) == "none"


def test_an_enqueue_that_joined_no_queue_is_labelled_so_on_the_timeline() -> None:
    # a nameless <Enqueue> (14204) leaves queue "", which read "left : error"
    from datetime import UTC, datetime

    from twimlsim.engine.events import LeftQueue
    from twimlsim.timeline import _describe

    at = datetime(2026, 1, 1, tzinfo=UTC)
    assert _describe(LeftQueue(at, "", "error", 0)) == ("joined no queue: error", "#edc948")
    assert _describe(LeftQueue(at, "support", "leave", 4)) == ("left support: leave", "#edc948")

"""A conference room's status callbacks are about the room, so no call's webhooks list
them: a failing test's report, a simulator's golden log and the timeline page show each
room that sent any after the calls."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from tests.test_cli_conference import ARGS, room_app
from twimlsim import Simulator
from twimlsim.cli import main
from twimlsim.golden import golden_text
from twimlsim.report import format_call, format_conference, format_simulator
from twimlsim.timeline import render_page, render_svg

from .pytester_support import CALL_SID, FAST

pytest_plugins = ["pytester"]

ROOM_SID = "CFe263cff7ca40be8c167c001d20b0d9cb"

#: What ``format_conference`` prints of the room of ``room_app`` (a caller who hangs up
#: after 30 seconds alone in it): the parameters the header gives are left out, the
#: participant's CallSid shown.
ROOM_TEXT = f"""Conference 'Support' {ROOM_SID}: completed

Webhooks (3):
  09:00:00  conference POST https://app.test/room -> 204
      SequenceNumber=0, StatusCallbackEvent=participant-join, Timestamp=Thu, 01 Jan 2026 \
09:00:00 +0000, CallSid={CALL_SID}, Coaching=false, EndConferenceOnExit=false, Hold=false, \
Muted=false, StartConferenceOnEnter=true
  09:00:30  conference POST https://app.test/room -> 204
      SequenceNumber=1, StatusCallbackEvent=participant-leave, Timestamp=Thu, 01 Jan 2026 \
09:00:30 +0000, CallSid={CALL_SID}, Coaching=false, EndConferenceOnExit=false, Hold=false, \
Muted=false, StartConferenceOnEnter=true, ParticipantCallStatus=completed, \
ReasonParticipantLeft=participant_hung_up
  09:00:30  conference POST https://app.test/room -> 204
      SequenceNumber=2, StatusCallbackEvent=conference-end, Timestamp=Thu, 01 Jan 2026 \
09:00:30 +0000, ReasonConferenceEnded=last-participant-left, \
CallSidEndingConference={CALL_SID}, Reason=Last participant left the conference"""


def room_call(sim: Simulator) -> None:
    sim.route("https://app.test", room_app)
    sim.number("+15005550006")
    sim.phone("+15558675310").hangs_up(after=30)
    sim.client().calls.create(to="+15558675310", from_="+15005550006", url="https://app.test/voice")
    sim.run()


def test_a_simulators_report_and_golden_log_show_the_rooms_callbacks_after_the_calls() -> None:
    with Simulator() as sim:
        room_call(sim)
    (call,) = sim.calls.values()
    room = sim.conferences["Support"]
    assert format_conference(room) == ROOM_TEXT
    assert format_simulator(sim) == f"{format_call(call)}\n\n{ROOM_TEXT}"
    assert golden_text(sim) == f"{format_call(call)}\n\n{ROOM_TEXT}\n"
    assert format_simulator(sim, limit=0) == (
        "... and 1 more calls (--twimlsim-report shows all)\n\n"
        "... and 1 more conference room (--twimlsim-report shows all)"
    )


def test_a_room_without_status_callbacks_is_left_out() -> None:
    with Simulator() as sim:
        sim.number("+15005550006")
        sim.phone("+15558675310").hangs_up(after=5)
        sim.client().calls.create(
            to="+15558675310",
            from_="+15005550006",
            twiml="<Response><Dial><Conference>Quiet</Conference></Dial></Response>",
        )
        sim.run()
    (call,) = sim.calls.values()
    assert sim.conferences["Quiet"].requests == []
    assert format_simulator(sim) == format_call(call)
    assert 'class="lane conference"' not in render_svg([call], sim.conferences.values())


def test_the_timeline_draws_a_lane_per_room_under_the_calls() -> None:
    with Simulator() as sim:
        room_call(sim)
    calls = list(sim.calls.values())
    svg = render_svg(calls, sim.conferences.values())
    assert re.findall(r'data-(call|conference)="(\w+)"', svg) == [
        ("call", CALL_SID),
        ("conference", ROOM_SID),
    ]
    lane = svg[svg.index('data-conference="') :]
    assert re.findall(r'class="event-label"[^>]*>([^<]*)<', lane) == [
        "participant-join",
        "participant-leave",
        "conference-end",
    ]
    assert re.findall(r'class="webhook-label"[^>]*>([^<]*)<', lane) == ["conference 204"] * 3
    assert f"<title>09:00:30 participant-leave ({CALL_SID})</title>" in lane
    assert 'aria-label="timeline of 1 call legs and 1 conference rooms"' in svg
    page = render_page(calls, title="room", conferences=sim.conferences.values())
    sections = re.findall(r"<section><h2>(\w+)</h2><pre>(.*?)</pre></section>", page, re.DOTALL)
    assert [(sid, html.unescape(text)) for sid, text in sections] == [
        (CALL_SID, format_call(calls[0])),
        (ROOM_SID, ROOM_TEXT),
    ]
    assert "a lane for each conference room that sent status callbacks" in page


def test_twimlsim_call_html_has_the_rooms_lane(tmp_path: Path) -> None:
    page = tmp_path / "call.html"
    assert main([*ARGS, "--html", str(page)]) == 0
    text = page.read_text(encoding="utf-8")
    assert text.count('<g class="lane conference" data-conference=') == 1
    sections = re.findall(r"<section><h2>(\w+)</h2><pre>(.*?)</pre></section>", text, re.DOTALL)
    assert [(sid, html.unescape(room)) for sid, room in sections[1:]] == [(ROOM_SID, ROOM_TEXT)]


FAILING_ROOM_TEST = """
from tests.test_cli_conference import room_app

def test_room(twimlsim):
    twimlsim.route("https://app.test", room_app)
    twimlsim.number("+15005550006")
    twimlsim.phone("+15558675310").hangs_up(after=30)
    twimlsim.client().calls.create(
        to="+15558675310", from_="+15005550006", url="https://app.test/voice")
    twimlsim.run()
    assert twimlsim.conferences["Support"].requests == []
"""


def test_a_failing_tests_report_and_page_show_the_rooms_callbacks(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(test_rooms=FAILING_ROOM_TEST)
    result = pytester.runpytest(*FAST, "--twimlsim-report=out")
    result.assert_outcomes(failed=1)
    out = result.stdout.str()
    section = out[out.index("- twimlsim calls -") : out.index("= twimlsim timelines =")]
    assert f"\n{ROOM_TEXT}\n" in section
    assert section.index(f"Call {CALL_SID}") < section.index("Conference 'Support'")
    page = (pytester.path / "out" / "test_rooms.py_test_room.html").read_text(encoding="utf-8")
    assert page.count('<g class="lane conference" data-conference=') == 1


def test_a_room_is_a_source_of_the_assertions_named_in_their_failure() -> None:
    from twimlsim.assertions import Match, assert_requests, assert_webhook_count

    with Simulator() as sim:
        room_call(sim)
    room = sim.conferences["Support"]
    assert_webhook_count(room, "conference", 3)
    with pytest.raises(AssertionError) as failed:
        assert_requests(
            room, [Match("conference", "/room", StatusCallbackEvent="conference-start")]
        )
    assert str(failed.value).splitlines()[0] == (
        f"1 of 1 expected requests not received (in order) on conference 'Support' {ROOM_SID}"
    )


def test_a_transcript_names_an_event_of_two_words_in_two_words() -> None:
    from datetime import UTC, datetime

    from twimlsim.engine.events import DigitsSent, JoinedConference, LeftConference, LeftQueue
    from twimlsim.report import transcript_line

    at = datetime(2026, 1, 1, 9, 0, 5, tzinfo=UTC)
    lines = [
        transcript_line(JoinedConference(at, "Support", ROOM_SID)),
        transcript_line(LeftConference(at, "Support", ROOM_SID, "hangup")),
        transcript_line(LeftQueue(at, "support", "hangup", 12)),
        transcript_line(DigitsSent(at, "1234")),
    ]
    assert lines == [
        f"  09:00:05  joined conference name='Support', conference_sid='{ROOM_SID}'",
        f"  09:00:05  left conference name='Support', conference_sid='{ROOM_SID}', "
        "how='hangup', code=None",
        "  09:00:05  left queue queue='support', result='hangup', seconds=12",
        "  09:00:05  digits sent digits='1234'",
    ]

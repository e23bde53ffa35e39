"""How a failing test's report and a golden file write each transcript event."""

from __future__ import annotations

from twimlsim import Simulator
from twimlsim.report import format_call

CALLER = "+15558675310"


def _transcript(twiml: str, hangs_up_after: float) -> str:
    with Simulator() as sim:
        sim.number("+15005550006")
        sim.phone(CALLER).hangs_up(after=hangs_up_after)
        call = sim.client().calls.create(to=CALLER, from_="+15005550006", twiml=twiml)
        sim.run()
        text = format_call(sim.calls[call.sid], params=False)
    return text.split("\n\nWebhooks")[0]


def test_a_say_and_a_pause_cut_short_read_cut_off() -> None:
    text = _transcript(
        "<Response><Say>Your appointment is on Tuesday.</Say><Pause length='10'/></Response>",
        hangs_up_after=4,
    )
    assert text.splitlines()[3:] == [
        "  09:00:00  answered",
        "  09:00:00  said 'Your appointment is on Tuesday.'",
        "  09:00:02  paused 10s (cut off)",
        "  09:00:04  hung up by caller: completed",
    ]


def test_a_say_heard_in_part_reads_cut_off_after_its_loops() -> None:
    text = _transcript(
        "<Response><Say loop='3'>Your appointment is on Tuesday.</Say></Response>",
        hangs_up_after=1,
    )
    assert text.splitlines()[3:] == [
        "  09:00:00  answered",
        "  09:00:00  said 'Your appointment is on Tuesday.' x3 (cut off)",
        "  09:00:01  hung up by caller: completed",
    ]

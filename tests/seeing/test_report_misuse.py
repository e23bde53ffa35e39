"""The report functions (``twimlsim.report``) refuse what they cannot honour, saying what
they take: ``max_entries='5'`` was a raw "'<=' not supported", a negative one printed
"... 2 more REST requests ...", ``params='no'`` showed every parameter (the text is true),
``format_call(None)`` an AttributeError."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from twimlsim import Simulator
from twimlsim.engine.session import SimCall
from twimlsim.report import format_call, format_calls, format_simulator


def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
    start_response("200 OK", [("Content-Type", "text/xml")])
    return [b"<Response><Say>Hi</Say></Response>"]


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    with Simulator(freeze_time=False) as made:
        made.route("https://app.test", app)
        made.number("+15005550006", voice_url="https://app.test/voice")
        made.incoming_call(from_="+15558675310", to="+15005550006")
        made.run()
        yield made


def first(sim: Simulator) -> SimCall:
    return next(iter(sim.calls.values()))


@pytest.mark.parametrize(
    ("report", "message"),
    [
        (
            lambda sim: format_call(first(sim), max_entries="5"),
            "format_call(): max_entries must be a whole number of entries, 1 or more (or "
            "None for all); got '5'",
        ),
        (
            lambda sim: format_call(first(sim), max_entries=-1),
            "format_call(): max_entries must be a whole number of entries, 1 or more (or "
            "None for all); got -1 (int)",
        ),
        (
            lambda sim: format_calls(sim.calls.values(), max_entries=True),
            "format_calls(): max_entries must be a whole number of entries, 1 or more (or "
            "None for all); got True (bool)",
        ),
        (
            lambda sim: format_call(first(sim), params="no"),
            "format_call(): params must be True or False; got 'no'",
        ),
        (
            lambda sim: format_simulator(sim, limit=-1),
            "format_simulator(): limit must be a whole number of calls, 0 or more (or None "
            "for all); got -1 (int)",
        ),
        (
            lambda sim: format_call(None),  # type: ignore[arg-type]
            "format_call() takes a call (sim.calls[sid]); got None (NoneType)",
        ),
        (
            lambda sim: format_simulator(first(sim)),  # type: ignore[arg-type]
            "format_simulator() takes the Simulator; got a SimCall: format_call(call) "
            "formats one call",
        ),
    ],
)
def test_a_report_given_what_it_cannot_honour_is_a_type_error(
    sim: Simulator, report: Callable[[Simulator], str], message: str
) -> None:
    with pytest.raises(TypeError) as refused:
        report(sim)
    assert str(refused.value) == message


def test_the_right_uses_still_report(sim: Simulator) -> None:
    call = first(sim)
    assert format_call(call, params=False, max_entries=1) == (
        f"Call {call.sid} inbound +15558675310 -> +15005550006: completed, 1s\n\n"
        "Transcript:\n  09:00:00  answered\n  ... 2 more events ...\n\n"
        "Webhooks (1):\n  09:00:00  voice     POST https://app.test/voice -> 200"
    )
    assert format_simulator(sim, limit=1, max_entries=None) == format_call(call, max_entries=None)

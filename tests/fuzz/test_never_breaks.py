"""Property tests: no input, however odd, breaks the parser or the engine.

The parser returns problems for any bytes under any Content-Type; the engine runs any
document made of TwiML's voice elements and attributes (valid or not) to a final status,
on a bounded amount of virtual time, without an exception escaping.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from twimlsim import SimulationError, Simulator
from twimlsim.twiml import parse_twiml
from twimlsim.twiml.schema import ELEMENTS

#: A quick sweep in the suite; set TWIMLSIM_FUZZ_EXAMPLES for a longer hunt.
FUZZ = settings(
    max_examples=int(os.environ.get("TWIMLSIM_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
)

CONTENT_TYPES = st.sampled_from(
    [
        None,
        "text/xml",
        "application/xml; charset=utf-8",
        "text/html",
        "text/plain",
        "audio/mpeg",
        "application/json",
        "",
        "TEXT/XML",
    ]
)


@FUZZ
@given(body=st.binary(max_size=2000), content_type=CONTENT_TYPES)
def test_parser_answers_any_bytes_with_problems_not_exceptions(
    body: bytes, content_type: str | None
) -> None:
    parsed = parse_twiml(body, content_type, source_url="https://app.test/x")
    assert (parsed.document is None) == (parsed.fatal is not None)
    assert all(problem.code > 0 for problem in parsed.problems)


VERBS = sorted(set(ELEMENTS["Response"].children.values()))
ATTRIBUTE_VALUES = st.sampled_from(
    [
        "",
        "0",
        "1",
        "2",
        "-1",
        "5",
        "true",
        "false",
        "auto",
        "#",
        "*",
        "POST",
        "GET",
        "x",
        "/next",
        "https://app.test/next",
        "dtmf speech",
        "record-from-answer",
        "+15551230000",
    ]
)
TEXTS = st.sampled_from(["", "Hello there", "+15551230000", "/next", "https://app.test/a.mp3"])


def _element(tag: str, attributes: dict[str, str], text: str, children: Iterable[str]) -> str:
    attrs = "".join(f' {name}="{value}"' for name, value in attributes.items())
    return f"<{tag}{attrs}>{text}{''.join(children)}</{tag}>"


@st.composite
def elements(draw: st.DrawFn, name: str, depth: int = 0) -> str:
    element = ELEMENTS[name]
    names = [attr.wire for attr in element.attrs]
    attributes: dict[str, str] = {}
    if names:
        attributes = draw(st.dictionaries(st.sampled_from(names), ATTRIBUTE_VALUES, max_size=4))
    children: list[str] = []
    if element.children and depth < 2:
        child_names = sorted(set(element.children.values()))
        for child in draw(st.lists(st.sampled_from(child_names), max_size=2)):
            children.append(draw(elements(child, depth + 1)))
    return _element(element.tag, attributes, draw(TEXTS), children)


@st.composite
def documents(draw: st.DrawFn) -> str:
    verbs = draw(st.lists(st.sampled_from(VERBS), max_size=4))
    return "<Response>" + "".join(draw(elements(verb)) for verb in verbs) + "</Response>"


@FUZZ
@given(first=documents(), second=documents())
def test_engine_runs_any_document_to_an_end(first: str, second: str) -> None:
    def app(environ: dict[str, object], start_response: object) -> list[bytes]:
        body = first if environ["PATH_INFO"] == "/voice" else second
        start_response("200 OK", [("Content-Type", "text/xml")])  # type: ignore[operator]
        return [body.encode()]

    with Simulator(strict=False) as sim:
        sim.route("https://app.test", app)
        sim.number("+15005550006")
        sim.phone("+15558675310").answers().hangs_up(after=600)
        sid = (
            sim.client()
            .calls.create(to="+15558675310", from_="+15005550006", url="https://app.test/voice")
            .sid
        )
        sim.run()
    call = sim.calls[sid]
    assert call.ended
    assert call.duration is not None and call.duration <= 600
    assert all(child.ended for child in sim.calls.values())


HALF_SECONDS = st.integers(min_value=0, max_value=40).map(lambda n: n / 2)


@FUZZ
@given(
    first=documents(),
    second=documents(),
    caller_hangs_up=HALF_SECONDS,
    dialled_answers=HALF_SECONDS,
    dialled_hangs_up=HALF_SECONDS,
)
def test_far_ends_hanging_up_at_random_moments_raise_only_simulation_errors(
    first: str,
    second: str,
    caller_hangs_up: float,
    dialled_answers: float,
    dialled_hangs_up: float,
) -> None:
    """A caller hangs up by hand at a random moment, a dialled party after a random time:
    strict mode may report problems (``SimulationError``), nothing else escapes."""

    def app(environ: dict[str, object], start_response: object) -> list[bytes]:
        body = first if environ["PATH_INFO"] == "/voice" else second
        start_response("200 OK", [("Content-Type", "text/xml")])  # type: ignore[operator]
        return [body.encode()]

    sim = Simulator(strict=True, freeze_time=False).start()
    try:
        sim.route("https://app.test", app)
        sim.number("+15005550006", voice_url="https://app.test/voice")
        sim.phone("+15551230000").answers(after=dialled_answers).hangs_up(after=dialled_hangs_up)
        call = sim.incoming_call(from_="+15558675310", to="+15005550006")
        with contextlib.suppress(SimulationError):
            sim.advance(caller_hangs_up)
        if not call.ended:
            call.hangup()
        with contextlib.suppress(SimulationError):
            sim.run()
    finally:
        sim.stop()
    assert call.ended
    assert all(leg.ended for leg in sim.calls.values())
    if not call.answered:
        assert call.status in {"canceled", "busy", "no-answer"}

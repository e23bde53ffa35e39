"""Text written in a verb that takes none (``<Pause>5</Pause>``, words in ``<Hangup>``) is
a schema warning (12200) that says what to write instead, and the warning for text where
only elements go gives the line the text is on, not the line of the element holding it."""

from __future__ import annotations

import pytest

from twimlsim.twiml import parse_twiml

SKIPPED = "Twilio logs a schema warning and skips it"


def problems(body: str) -> list[tuple[int, str, str | None, int | None]]:
    parsed = parse_twiml(body.encode(), "text/xml", source_url="https://app.test/voice")
    return [(p.code, p.message, p.element, p.line) for p in parsed.problems]


@pytest.mark.parametrize(
    ("verb", "text", "advice"),
    [
        ("Pause", "5", 'give the seconds as its length attribute: <Pause length="5"/>'),
        ("Pause", "soon", "put words to speak in a <Say> before the <Pause>"),
        ("Hangup", "Goodbye", "put words to speak in a <Say> before the <Hangup>"),
        ("Reject", "busy", 'give it as its reason attribute: <Reject reason="busy"/>'),
        ("Reject", "Go away", "put words to speak in a <Say> before the <Reject>"),
        ("Leave", "Bye", "put words to speak in a <Say> before the <Leave>"),
        ("Record", "Speak now", "put words to speak in a <Say> before the <Record>"),
        ("Echo", "testing", "put words to speak in a <Say> before the <Echo>"),
    ],
)
def test_text_in_a_verb_that_takes_none_is_a_schema_warning(
    verb: str, text: str, advice: str
) -> None:
    assert problems(f"<Response>\n<Say>Hi</Say>\n<{verb}>{text}</{verb}>\n</Response>") == [
        (
            12200,
            f"<{verb}> holds text, {text!r}, where Twilio's schema takes none: {SKIPPED}; {advice}",
            verb,
            3,
        )
    ]


def test_a_pause_with_text_still_pauses_its_length() -> None:
    parsed = parse_twiml(b'<Response><Pause length="2">5</Pause></Response>', "text/xml")
    assert parsed.document is not None
    assert [(type(v).__name__, getattr(v, "length", None)) for v in parsed.document.children] == [
        ("Pause", 2)
    ]


def test_empty_and_blank_verbs_are_no_text() -> None:
    assert problems("<Response><Pause>\n  </Pause><Hangup></Hangup><Leave/></Response>") == []


def test_the_line_is_the_text_s_after_a_multi_line_verb() -> None:
    body = "<Response>\n<Say>one\ntwo</Say>\n\n  stray words\n</Response>"
    assert problems(body) == [
        (
            12200,
            f"<Response> holds text, 'stray words', where Twilio's schema takes elements only: "
            f"{SKIPPED}; put words to speak in a <Say> inside the <Response>",
            "Response",
            5,
        )
    ]


def test_the_line_is_the_text_s_after_a_comment_spanning_lines() -> None:
    body = "<Response>\n<!-- one\ntwo\nthree -->\n  words\n<Say>x</Say></Response>"
    assert [p[3] for p in problems(body)] == [5]


def test_the_line_is_the_text_s_in_a_gather_whose_tag_spans_lines() -> None:
    body = '<Response>\n<Gather\n  numDigits="1">\nPress 1</Gather></Response>'
    assert [p[3] for p in problems(body)] == [4]


def test_text_after_the_last_verb_of_a_nested_block() -> None:
    body = "<Response>\n<Gather>\n<Say>a</Say>\n<Pause/>\n</Gather>\n\nlast words</Response>"
    assert [p[3] for p in problems(body)] == [7]

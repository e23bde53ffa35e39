"""The line a problem names is the line its element's start tag begins on, also when the
tag's attributes span lines, as templates write them (libxml2 reports the line the start
tag ends on)."""

from __future__ import annotations

from twimlsim.twiml import parse_twiml
from twimlsim.twiml.nodes import Gather, Record

TEMPLATE = b"""<?xml version="1.0" encoding="UTF-8"?>
<Response>
  <Gather
      input="dtmf"
      numDigits="1"
      action="/menu">
    <Say>Press 1.</Say>
    <Sya>typo</Sya>
  </Gather>
  <Record
    maxLength="120"
    recordingTrack="both_tracks"
  /><Record
    timeout="5"/>
</Response>
"""


def test_a_start_tag_over_several_lines_is_named_by_its_first_line() -> None:
    parsed = parse_twiml(TEMPLATE, "text/xml")
    assert [(p.element, p.attribute, p.line) for p in parsed.problems] == [
        ("Sya", None, 8),
        ("Record", "recordingTrack", 10),
    ]
    assert parsed.document is not None
    gather, first, second = parsed.document.children
    assert isinstance(gather, Gather) and isinstance(first, Record)
    assert isinstance(second, Record)
    assert (gather.line, first.line, second.line) == (3, 10, 13)


def test_a_root_that_is_not_response_is_named_by_its_first_line() -> None:
    parsed = parse_twiml(b'<?xml version="1.0"?>\n<Respons\n  a="1">\n</Respons>', "text/xml")
    assert [(p.code, p.line) for p in parsed.problems] == [(12102, 2)]

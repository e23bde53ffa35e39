"""Hostile documents: each is refused with 12100, fast, in bounded memory, reading nothing."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest

from twimlsim.twiml import MAX_DEPTH, parse_twiml
from twimlsim.twiml import parser as parser_module

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<Response><Say>&lol9;</Say></Response>
"""


def refuse_quickly(body: bytes) -> str:
    """Parse `body`; assert 12100 within a second and under 10 MB; return the whole result."""
    tracemalloc.start()
    started = time.perf_counter()
    parsed = parse_twiml(body, "text/xml")
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert parsed.document is None
    assert [(p.code, p.level) for p in parsed.problems] == [(12100, "error")]
    assert elapsed < 1.0
    assert peak < 10 * 1024 * 1024
    return repr(parsed)


def test_billion_laughs_is_refused() -> None:
    result = refuse_quickly(BILLION_LAUGHS)
    assert "message='Document parse failure: " in result
    assert "lollol" not in result


@pytest.mark.parametrize("body", [BILLION_LAUGHS, b"\xef\xbb\xbf<!-- a -->" + BILLION_LAUGHS[22:]])
def test_a_doctype_is_named_whatever_the_parser_stopped_at(body: bytes) -> None:
    """lxml stops a billion-laughs document at its entity amplification limit, before the
    DOCTYPE is refused: the message still says what to change (no DOCTYPE)."""
    parsed = parse_twiml(body, "text/xml")
    assert [(p.code, p.message, p.line) for p in parsed.problems] == [
        (
            12100,
            "Document parse failure: a DOCTYPE declaration is not allowed in TwiML (entities "
            "and DTDs are never processed)",
            1,
        )
    ]


@pytest.mark.parametrize("kind", ["SYSTEM", "PUBLIC"])
def test_external_entity_does_not_read_the_file(tmp_path: Path, kind: str) -> None:
    secret = "twimlsim-secret-7f3c9a51e2"
    target = tmp_path / "secret.txt"
    target.write_text(secret)
    public = '"-//X//Y//EN" ' if kind == "PUBLIC" else ""
    body = (
        f'<?xml version="1.0"?>\n<!DOCTYPE Response [<!ENTITY xxe {kind} {public}'
        f'"file://{target}">]>\n<Response><Say>&xxe;</Say></Response>'
    ).encode()
    before = target.stat().st_atime_ns
    result = refuse_quickly(body)
    assert secret not in result
    assert target.stat().st_atime_ns == before


def test_external_dtd_is_not_loaded(tmp_path: Path) -> None:
    dtd = tmp_path / "evil.dtd"
    dtd.write_text('<!ENTITY secret "twimlsim-dtd-secret">')
    body = (
        f'<?xml version="1.0"?>\n<!DOCTYPE Response SYSTEM "file://{dtd}">\n'
        "<Response><Say>&secret;</Say></Response>"
    ).encode()
    assert "twimlsim-dtd-secret" not in refuse_quickly(body)


DEEP = b"<Response>" + b"<Say>" * 100_000 + b"</Say>" * 100_000 + b"</Response>"


def test_deep_nesting_within_the_size_limit_is_refused() -> None:
    refuse_quickly(DEEP[:60_000])  # about 12,000 levels: far past every bound


def test_100000_deep_document_is_refused_by_size_first() -> None:
    # 100,000 levels need at least 700 kB, so the 64 kB check (11750) answers first.
    parsed = parse_twiml(DEEP)
    assert [(p.code, p.level) for p in parsed.problems] == [(11750, "error")]


def test_100000_deep_document_is_a_parse_failure_without_the_size_check() -> None:
    started = time.perf_counter()
    parsed = parser_module._parse_xml(DEEP)
    assert time.perf_counter() - started < 1.0
    assert [(p.code, p.level) for p in parsed.problems] == [(12100, "error")]


def test_nesting_just_past_the_bound_is_refused_with_a_clear_message() -> None:
    depth = MAX_DEPTH
    body = b"<Response>" + b"<Foo>" * depth + b"</Foo>" * depth + b"</Response>"
    parsed = parse_twiml(body)
    assert [(p.code, p.message) for p in parsed.problems] == [
        (12100, f"Document parse failure: elements are nested more than {MAX_DEPTH} levels deep")
    ]


def test_nesting_at_the_bound_is_accepted() -> None:
    depth = MAX_DEPTH - 1
    body = b"<Response>" + b"<Foo>" * depth + b"</Foo>" * depth + b"</Response>"
    parsed = parse_twiml(body)
    assert [p.code for p in parsed.problems] == [12200]


def test_a_long_run_of_processing_instructions_before_an_error_is_refused_quickly() -> None:
    """The DOCTYPE check of a document lxml refused looks past the prolog's processing
    instructions without trying every way to split them."""
    result = refuse_quickly(b"<?a?>" * 12_000 + b"<Response><")
    assert "StartTag: invalid element name" in result


@pytest.mark.parametrize("run", [b"/" * 60_000, b"https://a.test/" * 4_000])
def test_a_failure_in_a_body_of_many_slashes_is_named_quickly(run: bytes) -> None:
    """The placeholder hint looks for a URL holding a <placeholder> once through the body:
    a body of many '//' (each could start a URL) just under 64 kB is not read again from
    each of them, which took seconds."""
    body = b"<Response><Say>" + run + b"</Sy></Response>"
    refuse_quickly(body)
    assert [p.message for p in parse_twiml(body, "text/xml").problems] == [
        "Document parse failure: Opening and ending tag mismatch: Say line 1 and Sy, line 1, "
        f"column {len(run) + 21}"
    ]

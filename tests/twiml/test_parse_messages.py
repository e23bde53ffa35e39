"""Parse failures as one line each, with advice for a body in UTF-16 without its byte
order mark (every other byte a NUL, which XML reads as UTF-8 and stops at)."""

from __future__ import annotations

from pathlib import Path

import pytest
from twilio.twiml.voice_response import Say, VoiceResponse

from twimlsim.cli import main
from twimlsim.twiml import parse_twiml
from twimlsim.twiml.parse_hints import libxml2_reason

DOCUMENT = "<Response><Say>Hi</Say></Response>"
UTF16_HINT = (
    "; the body looks like UTF-16 without a byte order mark, which is read as UTF-8: answer "
    "in UTF-8 (or begin the UTF-16 with its byte order mark)"
)


def messages(body: bytes) -> list[tuple[int, str, int | None]]:
    parsed = parse_twiml(body, "text/xml", source_url="https://app.test/voice")
    return [(p.code, p.message, p.line) for p in parsed.problems]


def test_a_nul_in_the_text_is_one_line_naming_line_and_column() -> None:
    assert messages(b"<Response><Say>a\x00b</Say></Response>") == [
        (
            12100,
            "Document parse failure: Invalid character: Char 0x0 out of allowed range, "
            "line 1, column 17",
            1,
        )
    ]


@pytest.mark.parametrize(
    ("encoding", "stop"),
    [
        ("utf-16-le", "Invalid character: Char 0x0 out of allowed range, line 1, column 2"),
        ("utf-16-be", "Document is empty, line 1, column 1"),
    ],
)
def test_utf16_without_its_byte_order_mark_is_told_to_answer_utf8(encoding: str, stop: str) -> None:
    assert messages(DOCUMENT.encode(encoding)) == [
        (12100, f"Document parse failure: {stop}{UTF16_HINT}", 1)
    ]


def test_utf16_with_its_byte_order_mark_is_read() -> None:
    assert messages(DOCUMENT.encode("utf-16")) == []


def test_lint_prints_the_failure_on_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    twiml = tmp_path / "voice.xml"
    twiml.write_bytes(DOCUMENT.encode("utf-16-le"))
    assert main(["lint", str(twiml)]) == 1
    assert capsys.readouterr().out == (
        f"{twiml}:1: error 12100 Document parse failure: Invalid character: Char 0x0 out of "
        f"allowed range, line 1, column 2{UTF16_HINT}\n"
    )


def test_a_long_invalid_value_is_shown_cut_to_80_characters() -> None:
    # a 30 kB value was written out whole, once per problem, in every report
    body = (
        b'<Response><Pause length="' + b"9" * 30_000 + b'x"/>\n'
        b'<Say voice="' + b"v" * 30_000 + b'">Hi</Say></Response>'
    )
    assert messages(body) == [
        (
            13910,
            f"<Pause> length='{'9' * 76}... is invalid: expected a positive integer; using 1",
            1,
        ),
        (
            13511,
            f"<Say> voice='{'v' * 76}... is invalid: expected man, woman, alice, or a "
            "provider voice such as Polly.Joanna or Google.en-US-Neural2-A; using 'man'",
            2,
        ),
    ]


def test_an_encoding_xml_does_not_know_by_that_name_says_what_to_write() -> None:
    # Python's name for ISO-8859-1 ('latin-1', as ElementTree writes what it was given)
    body = b'<?xml version="1.0" encoding="latin-1"?><Response><Say>Hi</Say></Response>'
    assert messages(body) == [
        (
            12100,
            "Document parse failure: Unsupported encoding: latin-1, line 1, column 39; the XML "
            "declaration names an encoding XML parsers do not know by that name: write its "
            "registered name (ISO-8859-1, windows-1252, UTF-8), or answer UTF-8 and leave "
            "the encoding out",
            1,
        )
    ]


@pytest.mark.parametrize(
    ("encoding", "stop"),
    [
        ("UTF-16", "Blank needed here, line 1, column 38"),
        ("UTF-32", "Invalid bytes in character encoding, line 1, column 38"),
    ],
)
def test_a_wide_encoding_declared_over_8_bit_text_says_the_body_is_not_in_it(
    encoding: str, stop: str
) -> None:
    body = f'<?xml version="1.0" encoding="{encoding}"?>{DOCUMENT}'.encode()
    assert messages(body) == [
        (
            12100,
            f"Document parse failure: {stop}; the XML declaration names {encoding}, but the "
            "body is not in it (it has no NUL bytes, as 8-bit text): declare the encoding the "
            "body is in, such as UTF-8, or leave the encoding out",
            1,
        )
    ]


def test_a_gzip_body_without_its_content_encoding_says_so() -> None:
    # the app compressed its answer itself (or a proxy dropped the header): Twilio reads
    # the compressed bytes as the document
    import gzip

    assert messages(gzip.compress(DOCUMENT.encode())) == [
        (
            12100,
            "Document parse failure: Start tag expected, '<' not found, line 1, column 1; "
            "the body is gzip-compressed (it begins with gzip's bytes 1f 8b) but its "
            "answer has no Content-Encoding: gzip saying so: add that header, or answer "
            "uncompressed",
            1,
        )
    ]


@pytest.mark.parametrize(
    ("older", "message"),
    [
        (
            "Char 0x0 out of allowed range, line 1, column 17",
            "Invalid character: Char 0x0 out of allowed range, line 1, column 17",
        ),
        (
            "Input is not proper UTF-8, indicate encoding !\nBytes: 0xE9 0x3C 0x2F 0x53, line 1, "
            "column 19",
            "Invalid bytes in character encoding, line 1, column 19",
        ),
        (
            "switching encoding: encoder error, line 1, column 38",
            "Invalid bytes in character encoding, line 1, column 38",
        ),
        (
            "Invalid character: Char 0x0 out of allowed range, line 1, column 2",
            "Invalid character: Char 0x0 out of allowed range, line 1, column 2",
        ),
    ],
)
def test_older_libxml2_wording_is_given_in_the_words_of_2_13(older: str, message: str) -> None:
    """lxml before 5.4 bundles libxml2 2.12, which words these failures otherwise: the
    message is the same whichever lxml is installed."""
    assert libxml2_reason(older) == message


DECLARATION_ADVICE = (
    "which must be the document's first: remove them (a template's first line, such as "
    "Django's {% load %} or Jinja's {% set %}, leaves a line break: put the tag on the "
    "declaration's line, or strip the body) or leave the declaration out"
)


@pytest.mark.parametrize(
    ("before", "line", "shown"),
    [
        ("\n", 2, "1 character before its <?xml ...?> declaration ('\\n')"),
        ("  \n\n", 3, "4 characters before its <?xml ...?> declaration ('  \\n\\n')"),
        (" " * 25, 1, f"25 characters before its <?xml ...?> declaration ('{' ' * 20}'...)"),
    ],
)
def test_text_before_the_xml_declaration_is_told_to_go(before: str, line: int, shown: str) -> None:
    # a Django or Jinja template whose first line is a tag ({% load i18n %}) renders a line
    # break before <?xml: Twilio's 12100 page names "an empty line, before the XML type header"
    body = f'{before}<?xml version="1.0" encoding="UTF-8"?>{DOCUMENT}'.encode()
    column = len(before.rsplit("\n", 1)[-1]) + 6
    assert messages(body) == [
        (
            12100,
            "Document parse failure: XML declaration allowed only at the start of the "
            f"document, line {line}, column {column}; the body has {shown}, {DECLARATION_ADVICE}",
            line,
        )
    ]


def test_a_blank_line_before_the_response_without_a_declaration_is_read() -> None:
    assert messages(f"\n\n  {DOCUMENT}".encode()) == []


def test_a_declaration_inside_the_document_says_to_build_the_part_without_it() -> None:
    # a template wrapping str(Say("Hi")) in its own <Response>
    inner = str(Say("Hi"))
    assert inner == '<?xml version="1.0" encoding="UTF-8"?><Say>Hi</Say>'
    assert messages(f"<Response>{inner}</Response>".encode()) == [
        (
            12100,
            "Document parse failure: XML declaration allowed only at the start of the "
            "document, line 1, column 16; an XML declaration stands inside the document, "
            "after its start: a helper library's verb or document put into it "
            "(str(Say('Hi')) and str(VoiceResponse()) begin with <?xml ...?>, written into a "
            "template): build that part without it, Say('Hi').to_xml(xml_declaration=False)",
            1,
        )
    ]
    fixed = f"<Response>{Say('Hi').to_xml(xml_declaration=False)}</Response>"
    assert messages(fixed.encode()) == []


INSIDE_ADVICE = (
    "an XML declaration stands inside the document, after its start: a helper library's "
    "verb or document put into it (str(Say('Hi')) and str(VoiceResponse()) begin with "
    "<?xml ...?>, written into a template): build that part without it, "
    "Say('Hi').to_xml(xml_declaration=False)"
)


@pytest.mark.parametrize(
    ("opening", "line", "column"),
    [("", 2, 16), ("\ufeff", 2, 16)],
    ids=["declaration", "bom-and-declaration"],
)
def test_a_declaration_inside_a_document_with_its_own_names_the_inner_one(
    opening: str, line: int, column: int
) -> None:
    # the template has its own declaration, then {{ say|safe }} of str(Say("Hi")): the
    # misplaced declaration is the inner one, not the template's first line
    inner = str(Say("Hi"))
    body = f'{opening}<?xml version="1.0" encoding="UTF-8"?>\n<Response>{inner}</Response>'
    assert messages(body.encode()) == [
        (
            12100,
            "Document parse failure: XML declaration allowed only at the start of the "
            f"document, line {line}, column {column}; {INSIDE_ADVICE}",
            line,
        )
    ]


ESCAPED_ADVICE = (
    "it reads as TwiML escaped as text: a template escaped a document it inserted (Jinja's "
    "or Django's {{ twiml }}): insert it unescaped ({{ twiml|safe }}, markupsafe.Markup)"
)


def test_a_body_escaped_whole_says_to_insert_it_unescaped() -> None:
    # a template whose whole body is {{ twiml }}, autoescaped
    response = VoiceResponse()
    response.say("Hi")
    body = str(response).replace("<", "&lt;").replace(">", "&gt;")
    assert messages(body.encode()) == [
        (
            12100,
            "Document parse failure: Start tag expected, '<' not found, line 1, column 1; the "
            f"body begins with &lt;, not <: {ESCAPED_ADVICE}",
            1,
        )
    ]


@pytest.mark.parametrize(
    ("inside", "advice"),
    [
        (
            "&lt;Say&gt;Hi&lt;/Say&gt;",
            "'<Say>Hi</Say>', where Twilio's schema takes elements only: Twilio logs a schema "
            f"warning and skips it; {ESCAPED_ADVICE}, and build a verb put inside this "
            "<Response> without its XML declaration (Say('Hi').to_xml(xml_declaration=False) is "
            "<Say>Hi</Say>)",
        ),
        (
            "Thanks for calling\n  ",
            "'Thanks for calling', where Twilio's schema takes elements only: Twilio logs a "
            "schema warning and skips it; put words to speak in a <Say> inside the <Response>",
        ),
    ],
    ids=["escaped-verb", "bare-words"],
)
def test_text_inside_the_response_is_a_schema_warning(inside: str, advice: str) -> None:
    # the line is the text's, not the <Response>'s
    body = f"<Response>\n  {inside}<Pause/>\n</Response>"
    assert messages(body.encode()) == [(12200, f"<Response> holds text, {advice}", 2)]


def test_whitespace_and_comments_inside_the_response_are_no_text() -> None:
    assert messages(b"<Response>\n  <!-- menu -->\n  <Say>Hi</Say>\n</Response>") == []


def test_text_inside_a_gather_is_a_schema_warning() -> None:
    # the prompt written without its <Say>: the caller would hear silence while it listens
    assert messages(b'<Response>\n<Gather numDigits="1">Press 1 for sales</Gather></Response>') == [
        (
            12200,
            "<Gather> holds text, 'Press 1 for sales', where Twilio's schema takes elements "
            "only: Twilio logs a schema warning and skips it; put words to speak in a <Say> "
            "inside the <Gather>",
            2,
        )
    ]


def test_a_template_s_tags_inside_the_response_say_to_check_the_rendered_twiml() -> None:
    body = b"<Response>\n{% if open %}<Say>Hello</Say>{% endif %}\n</Response>"
    assert messages(body) == [
        (
            12200,
            "<Response> holds text, '{% if open %}{% endif %}', where Twilio's schema takes "
            "elements only: Twilio logs a schema warning and skips it; it holds a template's "
            "tags, as a template file does before it is rendered: check the TwiML the app "
            "answers (twimlsim lint reads rendered TwiML)",
            2,
        )
    ]

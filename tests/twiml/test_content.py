"""Content types (§5.1), the shared TwiML examples, and the schema/nodes agreement."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from twilio.twiml.voice_response import VoiceResponse

from twimlsim.twiml import MAX_BYTES, ParsedTwiml, parse_twiml
from twimlsim.twiml._gen_nodes import annotation, default
from twimlsim.twiml.nodes import NODE_CLASSES, Dial, Gather, Play, Record, Response, Say
from twimlsim.twiml.schema import ELEMENTS

#: Twilio's own TwiML examples, third-party data kept in ``../shared`` beside the repository.
EXAMPLES = Path(__file__).resolve().parents[3] / "shared" / "data" / "twiml-examples"

TWIML = b"<Response><Say>Hi</Say></Response>"


@pytest.mark.parametrize(
    "content_type",
    [None, "text/xml", "application/xml", "text/html", "TEXT/XML; charset=utf-8"],
)
def test_xml_types_parse_as_twiml(content_type: str | None) -> None:
    parsed = parse_twiml(TWIML, content_type)
    assert parsed.problems == ()
    assert parsed.document == Response(line=1, children=(Say(line=1, text="Hi", spoken_text="Hi"),))


def test_plain_text_twiml_is_run_as_twiml_and_flagged() -> None:
    """Twilio's TwiML changelog: "If your application returns a content-type of text/plain
    but returns valid TwiML, Twilio will parse this appropriately"."""
    parsed = parse_twiml(TWIML, "text/plain; charset=utf-8")
    assert parsed == ParsedTwiml(
        Response(line=1, children=(Say(line=1, text="Hi", spoken_text="Hi"),)),
        plain_text_twiml=True,
    )


def test_plain_text_that_is_not_valid_twiml_is_read_aloud() -> None:
    parsed = parse_twiml(b"<Hello>there</Hello>", "text/plain")
    text = "<Hello>there</Hello>"
    assert parsed == ParsedTwiml(
        Response(line=0, children=(Say(line=0, text=text, spoken_text=text),))
    )


def test_plain_text_is_read_aloud() -> None:
    parsed = parse_twiml(b"  Thanks for\n calling!  ", "text/plain")
    assert (parsed.problems, parsed.plain_text_twiml) == ((), False)
    assert parsed.document == Response(
        line=0,
        children=(Say(line=0, text="Thanks for calling!", spoken_text="Thanks for calling!"),),
    )


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/plain; charset=iso-8859-1", "Café de l'Opéra".encode("latin-1")),
        ('text/plain; charset="ISO-8859-1"', "Café de l'Opéra".encode("latin-1")),
        ("text/plain;charset=utf-16", "Café de l'Opéra".encode("utf-16")),
        ("text/plain; charset=windows-1252", "Café de l'Opéra".encode("cp1252")),
        ("text/plain", "Café de l'Opéra".encode()),
        ("text/plain", b"\xef\xbb\xbf" + "Café de l'Opéra".encode()),  # a BOM is not read
        ("text/plain; charset=no-such-charset", "Café de l'Opéra".encode()),  # as UTF-8
        # a byte order mark decides, whatever the charset (UTF-16's was read as UTF-8:
        # the text said was its bytes, NULs and all)
        ("text/plain", "Café de l'Opéra".encode("utf-16")),
        ("text/plain; charset=utf-8", b"\xfe\xff" + "Café de l'Opéra".encode("utf-16-be")),
        ("text/plain; charset=iso-8859-1", "Café de l'Opéra".encode("utf-32")),
        ("text/plain; charset=iso-8859-1", b"\xef\xbb\xbf" + "Café de l'Opéra".encode()),
    ],
)
def test_plain_text_is_decoded_by_its_charset(content_type: str, body: bytes) -> None:
    parsed = parse_twiml(body, content_type)
    assert parsed == ParsedTwiml(
        Response(
            line=0,
            children=(Say(line=0, text="Café de l'Opéra", spoken_text="Café de l'Opéra"),),
        )
    )


def test_plain_text_not_in_its_charset_has_its_bad_bytes_replaced() -> None:
    parsed = parse_twiml("Café".encode("latin-1"), "text/plain; charset=utf-8")
    assert parsed.document == Response(
        line=0, children=(Say(line=0, text="Caf\ufffd", spoken_text="Caf\ufffd"),)
    )


@pytest.mark.parametrize("content_type", ["audio/mpeg", "audio/x-wav", "Audio/WAV; rate=8000"])
def test_audio_is_played_then_the_document_ends(content_type: str) -> None:
    parsed = parse_twiml(b"ID3\x00\x01binary", content_type, source_url="https://a.test/x.mp3")
    assert parsed.problems == ()
    assert parsed.document == Response(
        line=0, children=(Play(line=0, text="https://a.test/x.mp3"),)
    )
    play = parsed.document.children[0]
    assert isinstance(play, Play)
    assert (play.url, play.loop) == ("https://a.test/x.mp3", 1)


@pytest.mark.parametrize(
    "content_type", ["application/json", "image/png", "video/mp4", "application/twiml+xml", ""]
)
def test_other_types_are_12300(content_type: str) -> None:
    parsed = parse_twiml(TWIML, content_type)
    assert parsed.document is None
    assert [str(p) for p in parsed.problems] == [
        f"line ?: error 12300: Content-Type {content_type!r} is not TwiML (text/xml, "
        "application/xml, text/html), text/plain or an audio type; answer TwiML with "
        "Content-Type: text/xml (https://www.twilio.com/docs/errors/12300)"
    ]


def test_twiml_sent_as_a_json_string_is_named_as_such() -> None:
    parsed = parse_twiml(b'"<?xml version=\\"1.0\\"?><Response/>"', "application/json")
    assert [problem.message for problem in parsed.problems] == [
        "Content-Type 'application/json' is not TwiML (text/xml, application/xml, text/html), "
        "text/plain or an audio type; the body is TwiML written as a JSON string, as FastAPI "
        "answers an endpoint that returns a str (return Response(twiml, "
        "media_type='application/xml')), Django REST framework's Response renders one and a "
        "Django Ninja operation returns one (return HttpResponse(twiml, "
        "content_type='text/xml')) and a Flask-RESTful or Flask-RESTX Resource or a "
        "Flask-smorest view under @blp.response returns one (return flask.Response(twiml, "
        "mimetype='text/xml'))"
    ]


@pytest.mark.parametrize("body", [b"", b"  \n\t"])
def test_empty_body_is_11770(body: bytes) -> None:
    assert [str(p) for p in parse_twiml(body, "text/xml").problems] == [
        "line ?: error 11770: TwiML response body is empty (as a 204 No Content answer is): "
        "answer the TwiML the call is to run next, or <Response/> to end it "
        "(https://www.twilio.com/docs/errors/11770)"
    ]


def test_size_limit_is_inclusive() -> None:
    filler = b"<Response><Say>" + b"a" * 100 + b"</Say></Response>"
    body = filler + b" " * (MAX_BYTES - len(filler))
    assert parse_twiml(body).problems == ()
    assert [str(p) for p in parse_twiml(body + b" ").problems] == [
        "line ?: error 11750: TwiML response body is more than 65,536 bytes (64 kB), the most "
        "Twilio reads; keep the document under 64 kB (https://www.twilio.com/docs/errors/11750)"
    ]


def test_body_must_be_bytes() -> None:
    with pytest.raises(TypeError) as raised:
        parse_twiml("<Response/>")  # type: ignore[arg-type]
    assert str(raised.value) == (
        "parse_twiml() needs the body as bytes, not str (encode a str first: body.encode())"
    )


def test_the_content_type_must_be_text() -> None:
    with pytest.raises(TypeError) as raised:
        parse_twiml(b"<Response/>", 5)  # type: ignore[arg-type]
    assert str(raised.value) == (
        "parse_twiml() takes the Content-Type as a string such as 'text/xml' (or None for "
        "XML), not int"
    )


def test_defaults_and_conveniences() -> None:
    parsed = parse_twiml(
        b"<Response><Gather/><Record/><Dial record='true'>+15551234567</Dial>"
        b"<Dial><Client><Identity>bob</Identity></Client><Sip><Uri>sip:a@b.c</Uri></Sip></Dial>"
        b"<Redirect>/next</Redirect></Response>"
    )
    assert parsed.problems == ()
    assert parsed.document is not None
    gather, record, dial, dial2, redirect = parsed.document.children
    assert isinstance(gather, Gather)
    assert (gather.input, gather.finish_on_key, gather.num_digits, gather.speech_timeout) == (
        ("dtmf",),
        "#",
        None,
        5,
    )
    assert isinstance(record, Record)
    assert (record.finish_on_key, record.max_length, record.method) == (
        "1234567890*#",
        3600,
        "POST",
    )
    assert isinstance(dial, Dial)
    assert (dial.number, dial.record, dial.time_limit, dial.timeout) == (
        "+15551234567",
        "record-from-answer",
        14400,
        30,
    )
    assert isinstance(dial2, Dial)
    client, sip = dial2.nouns
    assert (client.identity, sip.uri) == ("bob", "sip:a@b.c")  # type: ignore[attr-defined]
    assert redirect.url == "/next"  # type: ignore[attr-defined]


def test_ssml_spoken_text_and_xml_lang() -> None:
    parsed = parse_twiml(
        b'<Response><Say>Hello <lang xml:lang="fr-FR">bonjour</lang>,  <break/>'
        b"<emphasis>world</emphasis>!</Say></Response>"
    )
    assert parsed.problems == ()
    assert parsed.document is not None
    say = parsed.document.children[0]
    assert isinstance(say, Say)
    assert (say.text, say.spoken_text) == ("Hello ,  !", "Hello bonjour, world!")
    assert say.children[0].xml_lang == "fr-FR"  # type: ignore[attr-defined]


def test_unknown_element_becomes_unknown_and_is_skipped() -> None:
    parsed = parse_twiml(b'<Response><Foo a="1"><Bar/></Foo><Hangup/></Response>')
    assert [(p.code, p.level, p.element) for p in parsed.problems] == [(12200, "warning", "Foo")]
    assert parsed.document is not None
    unknown = parsed.document.children[0]
    assert (type(unknown).__name__, unknown.tag_name, dict(unknown.attributes)) == (  # type: ignore[attr-defined]
        "Unknown",
        "Foo",
        {"a": "1"},
    )


def example_files() -> list[Path]:
    if not EXAMPLES.is_dir():
        return []
    manifest = json.loads((EXAMPLES / "MANIFEST.json").read_text())
    return [EXAMPLES / entry["file"] for entry in manifest["files"]]


def test_examples_folder_is_present() -> None:
    if not EXAMPLES.is_dir():
        pytest.skip(f"shared TwiML examples not found at {EXAMPLES} (third-party data)")
    assert len(example_files()) == 165


@pytest.mark.parametrize("path", example_files(), ids=lambda p: p.name)
def test_shared_example_has_no_error(path: Path) -> None:
    parsed = parse_twiml(path.read_bytes(), "text/xml")
    assert parsed.errors == ()
    assert parsed.document is not None


def test_node_classes_match_the_schema() -> None:
    assert list(NODE_CLASSES) == list(ELEMENTS)
    for name, element in ELEMENTS.items():
        cls = NODE_CLASSES[name]
        assert cls.tag == element.tag
        fields = {f.name: f for f in dataclasses.fields(cls)}
        for attr in element.attrs:
            node_field = fields[attr.field_name]
            assert str(node_field.type).replace("'", '"') == annotation(attr), (name, attr.wire)
            assert node_field.default == default(element, attr), (name, attr.wire)
        extra = set(fields) - {a.field_name for a in element.attrs}
        assert extra == {"line", "text", "children", "attributes"} | (
            {"spoken_text", "written_text"} if name == "Say" else set()
        )


def test_ssml_written_by_the_builder_reads_as_separate_words() -> None:
    response = VoiceResponse()
    say = response.say("Hi", voice="Polly.Joanna")
    say.break_(strength="x-weak", time="100ms")
    say.emphasis("Words to emphasize", level="moderate")
    say.p("A paragraph")
    say.append("then")
    say.prosody("slowly", rate="85%")
    say.say_as("12345", interpret_as="spell-out")
    say.append("!")
    (parsed,) = parse_twiml(str(response).encode()).document.children
    assert isinstance(parsed, Say)
    assert parsed.spoken_text == "Hi Words to emphasize A paragraph then slowly 12345!"


@pytest.mark.parametrize(
    ("inner", "spoken"),
    [
        ("un<emphasis>believ</emphasis>able", "un believ able"),
        ("one<break/>two", "one two"),
        ("end.<s>Next</s>", "end. Next"),
        ("(<emphasis>aside</emphasis>)", "(aside)"),
        ("<p><s>One</s><s>Two</s></p><p>Three</p>", "One Two Three"),
    ],
)
def test_ssml_element_edges_between_words_are_word_boundaries(inner: str, spoken: str) -> None:
    (parsed,) = parse_twiml(f"<Response><Say>{inner}</Say></Response>".encode()).document.children
    assert isinstance(parsed, Say) and parsed.spoken_text == spoken


@pytest.mark.parametrize(
    ("voice", "inner", "spoken", "written"),
    [
        # a voice that reads SSML speaks the alias (Twilio's schema: "Substitute a different
        # word (or pronunciation) for selected text such as an acronym or abbreviation")
        (
            "Polly.Joanna",
            'Visit the <sub alias="World Wide Web">WWW</sub> site.',
            "Visit the World Wide Web site.",
            "Visit the WWW site.",
        ),
        (
            "Google.en-US-Neural2-A",
            'Element<sub alias="Mercury">Hg</sub>!',
            "Element Mercury!",
            "Element Hg!",
        ),
        # basic voices read no SSML: the text as written
        ("man", 'Visit <sub alias="World Wide Web">WWW</sub> now.', "Visit WWW now.", None),
        ("alice", '<sub alias="Mercury">Hg</sub>', "Hg", None),
        # nothing to substitute
        ("Polly.Joanna", '<sub alias="  ">WWW</sub> site', "WWW site", None),
        ("Polly.Joanna", "<sub>WWW</sub> site", "WWW site", None),
        ("Polly.Joanna", "<emphasis>WWW</emphasis> site", "WWW site", None),
    ],
)
def test_a_sub_alias_is_spoken_by_voices_that_read_ssml(
    voice: str, inner: str, spoken: str, written: str | None
) -> None:
    parsed = parse_twiml(f'<Response><Say voice="{voice}">{inner}</Say></Response>'.encode())
    assert parsed.problems == ()
    (say,) = parsed.document.children
    assert isinstance(say, Say)
    assert (say.spoken_text, say.written_text) == (spoken, written)


def test_a_sub_alias_is_spoken_by_a_voice_given_by_the_builder() -> None:
    response = VoiceResponse()
    say = response.say("Call", voice="Polly.Matthew-Neural")
    say.sub("IBM", alias="International Business Machines")
    say.append("today")
    (parsed,) = parse_twiml(str(response).encode()).document.children
    assert isinstance(parsed, Say)
    assert (parsed.spoken_text, parsed.written_text) == (
        "Call International Business Machines today",
        "Call IBM today",
    )


HTML_HINT = (
    "; the answer is an HTML page{title}, not TwiML: check that the URL reaches the view "
    "that answers TwiML (a login redirect or an error page answers HTML)"
)


@pytest.mark.parametrize(
    ("body", "code", "message"),
    [
        (
            b"<!DOCTYPE html>\n<html><head><title>Log in |\n Admin</title></head></html>",
            12100,
            "Document parse failure: a DOCTYPE declaration is not allowed in TwiML (entities "
            "and DTDs are never processed)" + HTML_HINT.format(title=" ('Log in | Admin')"),
        ),
        (
            b"<html><body><p>Server Error</p></body></html>",
            12102,
            "The root element must be <Response>, not <html>" + HTML_HINT.format(title=""),
        ),
        (
            b"<HTML><head><meta charset=utf-8><TITLE>Oops</TITLE></head></HTML>",
            12100,
            "Document parse failure: AttValue: \" or ' expected, line 1, column 27"
            + HTML_HINT.format(title=" ('Oops')"),
        ),
    ],
    ids=["doctype", "no-doctype", "not-well-formed"],
)
def test_an_html_page_is_named_as_one(body: bytes, code: int, message: str) -> None:
    parsed = parse_twiml(body, "text/html; charset=utf-8")
    assert [(p.code, p.message) for p in parsed.problems] == [(code, message)]


def test_xml_that_is_not_html_has_no_html_hint() -> None:
    parsed = parse_twiml(b"<Responses><html/></Responses>", "text/xml")
    assert [p.message for p in parsed.problems] == [
        "The root element must be <Response>, not <Responses>"
    ]


def test_a_verb_answered_alone_names_the_builder_that_returned_it() -> None:
    """A call-centre sample's view answered str(VoiceResponse().dial().conference(name)):
    twilio-python's builders return the element they add, so the document was the
    <Conference> alone."""
    body = str(VoiceResponse().dial().conference("CA0123")).encode()
    parsed = parse_twiml(body, "application/xml")
    assert [(p.code, p.line, p.message) for p in parsed.problems] == [
        (
            12102,
            1,
            "The root element must be <Response>, not <Conference>; the document is a "
            "<Conference> alone, and every verb goes inside <Response>: the helper libraries' "
            "builders return the element they add (VoiceResponse().dial().conference(...) is "
            "the <Conference>; str() of it writes that element alone), so keep the "
            "VoiceResponse and answer it whole (response = VoiceResponse(); "
            "response.dial().conference(...); str(response))",
        )
    ]


def test_an_xml_body_in_the_charset_of_its_header_but_undeclared_says_what_to_do() -> None:
    body = "<Response><Say>Café</Say></Response>".encode("latin-1")
    parsed = parse_twiml(body, "text/xml; charset=ISO-8859-1")
    assert [(p.code, p.message) for p in parsed.problems] == [
        (
            12100,
            "Document parse failure: Invalid bytes in character encoding, line 1, column 19; "
            "the Content-Type names charset=ISO-8859-1, but a document without an encoding "
            'declaration is read as UTF-8: declare it (<?xml version="1.0" '
            'encoding="ISO-8859-1"?>) or answer in UTF-8',
        )
    ]


NOT_UTF8 = (
    "is not UTF-8, which the body is read as (it declares no other encoding): text the app "
    "encoded as Latin-1 or Windows-1252 (str.encode('latin-1')); answer in UTF-8 "
    "(twiml.encode('utf-8')), or declare the encoding the body is in "
    '(<?xml version="1.0" encoding="windows-1252"?>)'
)


@pytest.mark.parametrize("content_type", [None, "text/xml", "application/xml; charset=utf-8"])
def test_an_xml_body_not_in_utf8_without_a_charset_names_the_byte_and_what_to_do(
    content_type: str | None,
) -> None:
    body = "<Response><Say>Café</Say></Response>".encode("latin-1")
    parsed = parse_twiml(body, content_type)
    assert [(p.code, p.message, p.line) for p in parsed.problems] == [
        (
            12100,
            "Document parse failure: Invalid bytes in character encoding, line 1, column 19; "
            rf"byte 0xe9 at offset 18 (near esponse><Say>Caf\xe9</Say></Respons) {NOT_UTF8}",
            1,
        )
    ]


def test_an_xml_body_declared_utf8_and_not_names_the_byte() -> None:
    body = '<?xml version="1.0" encoding="utf-8"?>\n<Response>\n<Say>Ol\u00e1</Say></Response>'
    parsed = parse_twiml(body.encode("cp1252"), "text/xml")
    assert [p.message for p in parsed.problems] == [
        "Document parse failure: Invalid bytes in character encoding, line 3, column 8; "
        rf"byte 0xe1 at offset 57 (near esponse> <Say>Ol\xe1</Say></Respons) {NOT_UTF8}"
    ]


def test_the_same_body_with_its_encoding_declared_is_read() -> None:
    body = '<?xml version="1.0" encoding="ISO-8859-1"?><Response><Say>Café</Say></Response>'
    parsed = parse_twiml(body.encode("latin-1"), "text/xml; charset=ISO-8859-1")
    assert parsed.problems == ()
    assert parsed.document == Response(
        line=1, children=(Say(line=1, text="Café", spoken_text="Café"),)
    )


ESCAPE_ADVICE = (
    "escape what the app puts in (xml.sax.saxutils.escape), have its template engine escape "
    "it (Jinja escapes only with autoescaping on: Flask's render_template turns it on for "
    "templates named .html, .htm, .xml, .xhtml or .svg, not .xml.j2 or .twiml, and "
    "select_autoescape() for .html, .htm and .xml; Django's templates escape unless told "
    "not to), or build the TwiML with a helper library (VoiceResponse), which escapes it"
)
AMP_HINT = (
    "; a bare & in text or an attribute (a value such as 'Bob & Sons' or a URL's query put "
    f"into the TwiML) must be written &amp;: {ESCAPE_ADVICE}"
)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            b"<Response>\n<Say>Bob & Sons is on the line</Say></Response>",
            "Document parse failure: xmlParseEntityRef: no name, line 2, column 11" + AMP_HINT,
        ),
        (
            b"<Response><Redirect>/next?a=1&b=2</Redirect></Response>",
            "Document parse failure: EntityRef: expecting ';', line 1, column 32" + AMP_HINT,
        ),
        (
            b"<Response><Say>Hi&nbsp;there</Say></Response>",
            "Document parse failure: Entity 'nbsp' not defined, line 1, column 24; XML knows "
            "only the entities &amp; &lt; &gt; &quot; &apos;: write the character itself or "
            "its number (&#160; for &nbsp;)",
        ),
    ],
    ids=["bare-amp-in-text", "bare-amp-in-url", "html-entity"],
)
def test_an_unescaped_ampersand_or_html_entity_says_how_to_write_it(
    body: bytes, message: str
) -> None:
    """TwiML written with f-strings fails on a value holding "&" (Twilio: 12100); the
    message says how to escape it."""
    parsed = parse_twiml(body, "text/xml")
    assert [(p.code, p.message) for p in parsed.problems] == [(12100, message)]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            # a Jinja template rendered without autoescaping (Flask's voice.xml.j2)
            b"<Response><Say>Hello <friend>!</Say></Response>",
            "Document parse failure: Opening and ending tag mismatch: friend line 1 and Say, "
            "line 1, column 37; <friend> is no TwiML element and is never closed: text with "
            "a '<' in it put into the TwiML (a word in angle brackets such as '<friend>') "
            "opens a tag there; write it &lt;: " + ESCAPE_ADVICE,
        ),
        (
            b"<Response><Say>Your balance is < 5 dollars</Say></Response>",
            "Document parse failure: StartTag: invalid element name, line 1, column 33; a '<' "
            "that starts no element (text such as 'a < b' put into the TwiML) must be written "
            "&lt;: " + ESCAPE_ADVICE,
        ),
        (
            # a misspelt end tag is no stray text: libxml2's words alone
            b"<Response><Say>Hi</say></Response>",
            "Document parse failure: Opening and ending tag mismatch: Say line 1 and say, "
            "line 1, column 24",
        ),
        (
            b"<Response><Gather><say>Hi</Say></Gather></Response>",
            "Document parse failure: Opening and ending tag mismatch: say line 1 and Say, "
            "line 1, column 32",
        ),
    ],
    ids=["stray-tag", "stray-less-than", "misspelt-end-tag", "misspelt-start-tag"],
)
def test_an_unescaped_less_than_in_text_says_how_to_write_it(body: bytes, message: str) -> None:
    parsed = parse_twiml(body, "text/xml")
    assert [(p.code, p.message) for p in parsed.problems] == [(12100, message)]


PLACEHOLDER_FIX = (
    "which XML reads as a tag: write the real address there (the app's public one, for its "
    "own URLs)"
)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            # a Flask IVR sample's f-string TwiML, its README's placeholder left in
            b'<Response><Say>Press 1.</Say>\n<Gather action="https://<your-host>/ivr/handle-input" '
            b'numDigits="1"/></Response>',
            "Document parse failure: Unescaped '<' not allowed in attributes values, line 2, "
            "column 25; the TwiML holds the URL https://<your-host>/ivr/handle-input, whose "
            "<your-host> is a placeholder left in it, " + PLACEHOLDER_FIX,
        ),
        (
            b"<Response><Redirect>https://<YOUR_NGROK_URL>/voice</Redirect></Response>",
            "Document parse failure: Opening and ending tag mismatch: YOUR_NGROK_URL line 1 and "
            "Redirect, line 1, column 62; the TwiML holds the URL "
            "https://<YOUR_NGROK_URL>/voice, whose <YOUR_NGROK_URL> is a placeholder left in "
            "it, " + PLACEHOLDER_FIX,
        ),
        (
            # a placeholder for the route, after a real host
            b'<Response><Gather action="https://myapp.ngrok.io/<route>"/></Response>',
            "Document parse failure: Unescaped '<' not allowed in attributes values, line 1, "
            "column 50; the TwiML holds the URL https://myapp.ngrok.io/<route>, whose <route> "
            "is a placeholder left in it, " + PLACEHOLDER_FIX,
        ),
    ],
)
def test_a_placeholder_left_in_a_url_is_named(body: bytes, message: str) -> None:
    parsed = parse_twiml(body, "text/xml")
    assert [(p.code, p.message) for p in parsed.problems] == [(12100, message)]


def test_a_tag_that_is_no_url_s_placeholder_gets_no_placeholder_hint() -> None:
    # the stray text's hint, not the placeholder's
    parsed = parse_twiml(b"<Response><Say>a <b> c</Say></Response>", "text/xml")
    assert [(p.code, p.message) for p in parsed.problems] == [
        (
            12100,
            "Document parse failure: Opening and ending tag mismatch: b line 1 and Say, line 1, "
            "column 29; <b> is no TwiML element and is never closed: text with a '<' in it put "
            "into the TwiML (a word in angle brackets such as '<friend>') opens a tag there; "
            "write it &lt;: " + ESCAPE_ADVICE,
        )
    ]

"""What a 12100 (Document parse failure) adds to libxml2's words about the usual causes:
something before the XML declaration, a body in UTF-16 without its byte order mark, an
entity XML does not know or a bare ``&``, an encoding declaration XML cannot use, a
compressed body its answer does not say is compressed, and a README's placeholder left in
a URL (``https://<your-host>/menu``); and libxml2's words themselves, on one line and in
one version's wording.
Called on the failure path only."""

from __future__ import annotations

import re

from .schema import KNOWN_TAGS

__all__ = [
    "ESCAPED_TWIML_ADVICE",
    "compressed_hint",
    "declaration_position_hint",
    "declared_encoding_hint",
    "entity_hint",
    "escaped_body_hint",
    "failure_hints",
    "libxml2_reason",
    "lone_element_hint",
    "markup_hint",
    "not_utf8_hint",
    "placeholder_hint",
    "utf16_hint",
]


#: libxml2 before 2.13 (bundled with lxml before 5.4) words some failures otherwise: they
#: are given in 2.13's words, so that a message does not change with the lxml installed.
_OLDER_WORDING = (
    (re.compile(r"^Char 0x([0-9A-Fa-f]+) out of allowed range"), r"Invalid character: \g<0>"),
    (
        re.compile(r"^Input is not proper UTF-8, indicate encoding ! Bytes:(?: 0x[0-9A-F]{2})*"),
        "Invalid bytes in character encoding",
    ),
    (re.compile(r"^switching encoding: encoder error"), "Invalid bytes in character encoding"),
)


def libxml2_reason(message: str) -> str:
    """libxml2's message on one line (some carry a newline before their ``, line N``), in
    the words of libxml2 2.13 and later."""
    text = re.sub(r"\s*\n\s*", " ", message).replace(" ,", ",").strip()
    for older, newer in _OLDER_WORDING:
        text = older.sub(newer, text, count=1)
    return text


#: How much of what stands before a misplaced XML declaration a message shows.
_SHOWN_BEFORE = 20
#: An XML declaration (not a processing instruction such as ``<?xml-stylesheet``).
_DECLARATION = re.compile(rb"<\?xml[\s?]")
_UTF8_BOM = b"\xef\xbb\xbf"


def declaration_position_hint(reason: str, data: bytes) -> str:
    """What to do about text before the XML declaration (a blank line, the line a
    template's ``{% load %}`` or ``{% set %}`` tag leaves), which must open the
    document: Twilio's 12100 page names "a leading space, or an empty line, before the
    XML type header" as a cause; or a declaration inside the document, where a template
    wrapped a helper library's whole document. The declaration meant is the first one
    not at the start (after a byte order mark): a body that opens with its own
    declaration has the misplaced one further on."""
    if not reason.startswith("XML declaration allowed only at the start"):
        return ""
    start = len(_UTF8_BOM) if data.startswith(_UTF8_BOM) else 0
    found = _DECLARATION.search(data, start)
    if found is not None and found.start() == start:  # the document's own, in its place
        found = _DECLARATION.search(data, start + 1)
    if found is None:
        return ""
    before = data[start : found.start()].decode("utf-8", "replace")
    if "<" in before:  # a whole document's text put inside another
        return (
            "; an XML declaration stands inside the document, after its start: a helper "
            "library's verb or document put into it (str(Say('Hi')) and str(VoiceResponse()) "
            "begin with <?xml ...?>, written into a template): build that part without it, "
            "Say('Hi').to_xml(xml_declaration=False)"
        )
    shown = repr(before[:_SHOWN_BEFORE]) + ("..." if len(before) > _SHOWN_BEFORE else "")
    count = f"{len(before)} character{'s' if len(before) > 1 else ''}"
    return (
        f"; the body has {count} before its <?xml ...?> declaration ({shown}), which must "
        "be the document's first: remove them (a template's first line, such as Django's "
        "{% load %} or Jinja's {% set %}, leaves a line break: put the tag on the "
        "declaration's line, or strip the body) or leave the declaration out"
    )


def utf16_hint(data: bytes) -> str:
    """What to do about a body in UTF-16 without a byte order mark (every other byte a
    NUL), which XML can only read as UTF-8."""
    if b"\x00\x00" not in (data[0:4:2], data[1:4:2]) or data[:4].count(b"\x00") != 2:
        return ""
    return (
        "; the body looks like UTF-16 without a byte order mark, which is read as UTF-8: "
        "answer in UTF-8 (or begin the UTF-16 with its byte order mark)"
    )


def not_utf8_hint(data: bytes) -> str:
    """What to do about a body read as UTF-8 (it declares no other encoding, and the
    Content-Type names none) that is not UTF-8: the first byte that is not, and where."""
    declared = _DECLARED_NAME.match(data)
    if declared is not None and declared.group(1).upper().replace(b"-", b"") != b"UTF8":
        return ""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as failed:
        at = failed.start
        near = data[max(0, at - 16) : at + 16].decode("utf-8", "backslashreplace")
        return (
            f"; byte 0x{data[at]:02x} at offset {at} (near {' '.join(near.split())}) is not "
            "UTF-8, which the body is read as (it declares no other encoding): text the app "
            "encoded as Latin-1 or Windows-1252 (str.encode('latin-1')); answer in UTF-8 "
            "(twiml.encode('utf-8')), or declare the encoding the body is in "
            '(<?xml version="1.0" encoding="windows-1252"?>)'
        )
    return ""


#: The encoding a leading XML declaration names (after a UTF-8 byte order mark).
_DECLARED_NAME = re.compile(rb"""\A(?:\xef\xbb\xbf)?<\?xml\s[^>]*?\bencoding\s*=\s*["']([^"']*)""")
_WIDE = ("UTF16", "UTF32", "UCS2", "UCS4")


def declared_encoding_hint(reason: str, data: bytes) -> str:
    """What to do about an encoding the XML declaration names that XML parsers do not know
    (``latin-1``, Python's name), or a 16- or 32-bit one over 8-bit text (no NUL bytes)."""
    if reason.startswith("Unsupported encoding"):
        return (
            "; the XML declaration names an encoding XML parsers do not know by that name: "
            "write its registered name (ISO-8859-1, windows-1252, UTF-8), or answer UTF-8 "
            "and leave the encoding out"
        )
    declared = _DECLARED_NAME.match(data)
    if declared is None or b"\x00" in data[:64]:
        return ""
    name = declared.group(1).decode("ascii", "replace")
    if not name.upper().replace("-", "").replace("_", "").startswith(_WIDE):
        return ""
    return (
        f"; the XML declaration names {name}, but the body is not in it (it has no NUL "
        "bytes, as 8-bit text): declare the encoding the body is in, such as UTF-8, or "
        "leave the encoding out"
    )


_XML_ENTITIES = "&amp; &lt; &gt; &quot; &apos;"


#: How text the app puts into a document gets escaped: each hint about an unescaped
#: ``&`` or ``<`` ends with it.
_ESCAPE_ADVICE = (
    "escape what the app puts in (xml.sax.saxutils.escape), have its template engine "
    "escape it (Jinja escapes only with autoescaping on: Flask's render_template turns "
    "it on for templates named .html, .htm, .xml, .xhtml or .svg, not .xml.j2 or .twiml, "
    "and select_autoescape() for .html, .htm and .xml; Django's templates escape "
    "unless told not to), or build the TwiML with a helper library (VoiceResponse), "
    "which escapes it"
)


def entity_hint(message: str) -> str:
    """What to do about a bare ``&`` (a name such as "Bob & Sons" or a URL's query written
    into the TwiML unescaped) or an HTML entity XML does not know (``&nbsp;``)."""
    if message.startswith(("xmlParseEntityRef", "EntityRef")):
        return (
            "; a bare & in text or an attribute (a value such as 'Bob & Sons' or a URL's "
            f"query put into the TwiML) must be written &amp;: {_ESCAPE_ADVICE}"
        )
    if message.startswith("Entity '") and " not defined" in message:
        return (
            f"; XML knows only the entities {_XML_ENTITIES}: write the character itself "
            "or its number (&#160; for &nbsp;)"
        )
    return ""


#: Advice for TwiML a template escaped as text (``{{ twiml }}`` of a helper library's
#: document): the whole body (a 12100 here), or text inside ``<Response>`` (a 12200).
ESCAPED_TWIML_ADVICE = (
    "it reads as TwiML escaped as text: a template escaped a document it inserted "
    "(Jinja's or Django's {{ twiml }}): insert it unescaped ({{ twiml|safe }}, "
    "markupsafe.Markup)"
)


def escaped_body_hint(data: bytes) -> str:
    """What to do about a body that is TwiML escaped as text (``&lt;Response&gt;``)."""
    if not data.lstrip().startswith(b"&lt;"):
        return ""
    return f"; the body begins with &lt;, not <: {ESCAPED_TWIML_ADVICE}"


#: libxml2's words for a tag closed by another's end tag, naming the one left open.
_MISMATCH = re.compile(r"^Opening and ending tag mismatch: ([^\s]+) line")
_TWIML_TAGS = frozenset(tag.lower() for tag in KNOWN_TAGS)


def markup_hint(message: str) -> str:
    """What to do about a ``<`` in text put into the TwiML unescaped (a caller's name
    ``<friend>``, ``a < b``): XML reads it as the start of a tag, which then is no
    element, or one never closed (a misspelt TwiML end tag, ``</say>``, is not this)."""
    if message.startswith("StartTag: invalid element name"):
        return (
            "; a '<' that starts no element (text such as 'a < b' put into the TwiML) must "
            f"be written &lt;: {_ESCAPE_ADVICE}"
        )
    mismatch = _MISMATCH.match(message)
    if mismatch is None or mismatch.group(1).lower() in _TWIML_TAGS:
        return ""
    return (
        f"; <{mismatch.group(1)}> is no TwiML element and is never closed: text with a '<' "
        "in it put into the TwiML (a word in angle brackets such as '<friend>') opens a tag "
        f"there; write it &lt;: {_ESCAPE_ADVICE}"
    )


def failure_hints(reason: str, data: bytes) -> str:
    """Every hint that applies to a parse failure with libxml2's ``reason`` over ``data``;
    a placeholder left in a URL explains a tag mismatch better than stray text does."""
    placeholder = placeholder_hint(data)
    return (
        f"{escaped_body_hint(data)}{entity_hint(reason)}"
        f"{'' if placeholder else markup_hint(reason)}"
        f"{utf16_hint(data)}{declared_encoding_hint(reason, data)}{compressed_hint(data)}"
        f"{declaration_position_hint(reason, data)}{placeholder}"
    )


def compressed_hint(data: bytes) -> str:
    """What to do about a gzip-compressed body whose answer has no ``Content-Encoding``
    (one with it is decoded before it is parsed)."""
    if not data.startswith(b"\x1f\x8b"):
        return ""
    return (
        "; the body is gzip-compressed (it begins with gzip's bytes 1f 8b) but its answer "
        "has no Content-Encoding: gzip saying so: add that header, or answer uncompressed"
    )


#: A placeholder written in a URL, where its host or a part of its path goes, as sample
#: apps and their READMEs write one for the developer to fill in: ``https://<your-host>/``,
#: ``https://<YOUR_NGROK_URL>/voice``, ``https://example.com/<route>``. Read in three steps,
#: each from where the last stopped, so that a body of many ``//`` is read once (one
#: pattern searched for the whole would read the rest of the run again from each ``//``).
_URL_START = re.compile(rb"(?:https?:)?//")
_URL_RUN = re.compile(rb"[^\s\"'<>]*")
_PLACEHOLDER = re.compile(rb"<[A-Za-z_][\w .-]{0,40}>[^\s\"'<]*")


def placeholder_hint(data: bytes) -> str:
    """What to do about a placeholder left in a URL of the TwiML, which XML reads as the
    start of a tag (libxml2 then speaks of an unescaped '<' in an attribute, or of a tag
    mismatch naming the placeholder)."""
    at = 0
    while (start := _URL_START.search(data, at)) is not None:
        run = _URL_RUN.match(data, start.end())
        end = run.end() if run is not None else start.end()
        found = _PLACEHOLDER.match(data, end)
        if found is not None:
            url = data[start.start() : found.end()].decode("utf-8", "replace")
            placeholder = data[end : data.index(b">", end) + 1].decode("utf-8", "replace")
            return (
                f"; the TwiML holds the URL {url}, whose {placeholder} is a placeholder left "
                "in it, which XML reads as a tag: write the real address there (the app's "
                "public one, for its own URLs)"
            )
        at = end
    return ""


def lone_element_hint(tag: str) -> str:
    """For a 12102 whose root is a TwiML verb or noun (``<Conference>``, ``<Say>``): the
    helper libraries' builders return the element they add, so an app that answers what
    ``VoiceResponse().dial().conference(...)`` returns answers that element alone (a
    call-centre sample's view did); '' for another root."""
    if tag not in KNOWN_TAGS or tag == "Response":
        return ""
    return (
        f"; the document is a <{tag}> alone, and every verb goes inside <Response>: the "
        "helper libraries' builders return the element they add "
        "(VoiceResponse().dial().conference(...) is the <Conference>; str() of it writes "
        "that element alone), so keep the VoiceResponse and answer it whole (response = "
        "VoiceResponse(); response.dial().conference(...); str(response))"
    )

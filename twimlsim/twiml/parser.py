"""`parse_twiml`: bytes and Content-Type in, typed nodes and Twilio-coded problems out.

Safety: the lxml parser never expands entities, never loads a DTD or anything over the
network, and any DOCTYPE is refused (12100), so billion-laughs and external-entity documents
read nothing. Bodies over 64 kB are refused before parsing (11750), and elements nested more
than `MAX_DEPTH` levels are refused (12100) while building, with recursion bounded by that
depth; libxml2 itself stops at 256 levels, so a 100,000-deep document fails at once.

Fidelity choices (the reference leaves them open):

- A body that is empty or only whitespace is 11770 (Twilio's "empty response body").
- A body of exactly 64 kB (65,536 bytes) is accepted; one byte more is 11750.
- `text/plain` is read aloud by one `<Say>` of its text (Twilio's "Your Response" MIME
  table), decoded by the Content-Type's ``charset`` (UTF-8 without one, or for a charset
  Python does not know; a leading byte order mark, UTF-8, UTF-16 or UTF-32, decides
  instead and is dropped; bytes not in the charset replaced),
  as any HTTP client decodes text, unless it is valid TwiML: that is run as
  TwiML, as Twilio's TwiML changelog says ("If your application returns a content-type of
  text/plain but returns valid TwiML, Twilio will parse this appropriately"), and flagged
  (`ParsedTwiml.plain_text_twiml`).
- No Content-Type (`content_type=None`) parses the body as XML, for `twimlsim lint`; the
  engine itself refuses a webhook answer without one (12300), as Twilio does.
- An audio type becomes one `<Play>` of `source_url`; the document then ends, so the call
  hangs up. Synthesized nodes carry line 0.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import re
import threading
from collections.abc import Mapping
from types import MappingProxyType
from typing import cast

from lxml import etree

from twimlsim.arguments import shown

from .content_type import charset_of, codec_of, media_type, plain_text
from .kinds import InvalidValue, Level
from .nodes import NODE_CLASSES, Node, Play, Response, Say, Unknown
from .parse_hints import failure_hints, libxml2_reason, lone_element_hint, not_utf8_hint, utf16_hint
from .problems import FATAL_CODES, ParsedTwiml, Problem
from .schema import ELEMENTS, KNOWN_TAGS, MISPLACED_ATTRIBUTES, ROOT, Attr, Element
from .spoken_text import own_text, spoken_text
from .validate import BASIC_VOICES, RULES, TEXTLESS, stray_text

MAX_BYTES = 64 * 1024
"""Largest body Twilio reads (11750 above it)."""

MAX_DEPTH = 32
"""Deepest element nesting accepted (TwiML needs about 6 levels); deeper is 12100."""

XML_TYPES: frozenset[str] = frozenset({"text/xml", "application/xml", "text/html"})
"""Content types parsed as TwiML."""

AUDIO_TYPES: frozenset[str] = frozenset(
    {
        "audio/mpeg",
        "audio/wav",
        "audio/wave",
        "audio/x-wav",
        "audio/aiff",
        "audio/x-aifc",
        "audio/x-aiff",
        "audio/x-gsm",
        "audio/gsm",
        "audio/ulaw",
    }
)
"""Content types `<Play>` accepts (twilio-reference §5.5); as a response, played then hang up."""

_XML_NS = "{http://www.w3.org/XML/1998/namespace}"
_LOWER_TAGS = {tag.lower(): tag for tag in KNOWN_TAGS}


def _written(value: object) -> str:
    """A default as TwiML writes it: a list of values (``input``, ``statusCallbackEvent``)
    space-separated, ``'dtmf speech'``, not a Python tuple; a boolean ``'false'``."""
    if isinstance(value, tuple):
        return repr(" ".join(str(item) for item in value))
    if isinstance(value, bool):
        return repr(str(value).lower())
    return repr(value)


def _nearest(name: str, known: list[str]) -> str | None:
    """The known name ``name`` was most likely meant to be: the same letters in another case,
    else the closest spelling (a typo such as ``numDigit`` or ``Sya``), else None."""
    for candidate in known:
        if candidate.lower() == name.lower():
            return candidate
    close = difflib.get_close_matches(name, known, n=1)
    return close[0] if close else None


_ATTRS: Mapping[str, Mapping[str, Attr]] = {
    name: {attr.wire: attr for attr in element.attrs} for name, element in ELEMENTS.items()
}
_DEFAULT_FROM: Mapping[str, tuple[tuple[Attr, Attr], ...]] = {
    name: tuple(
        (attr, other)
        for attr in element.attrs
        if attr.default_from is not None and (other := element.attr(attr.default_from))
    )
    for name, element in ELEMENTS.items()
}
_DEFAULTS: Mapping[str, Mapping[str, object]] = {
    name: {a.field_name: a.default for a in element.attrs if a.default_from is None}
    for name, element in ELEMENTS.items()
}
_local = threading.local()


class _TooDeep(Exception):
    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


def _xml_parser() -> etree.XMLParser:
    # lxml parsers must not be shared between threads.
    parser: etree.XMLParser | None = getattr(_local, "parser", None)
    if parser is None:
        parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        )
        _local.parser = parser
    return parser


def parse_twiml(
    body: bytes, content_type: str | None = None, *, source_url: str | None = None
) -> ParsedTwiml:
    """Parse and validate a TwiML response body as Twilio would, Content-Type included.

    `content_type` is the response's Content-Type header (None: treat as XML);
    `source_url` is the URL the body came from (used for audio responses). Content problems
    are returned as `Problem`s, never raised.
    """
    if not isinstance(body, bytes | bytearray | memoryview):
        raise TypeError(
            f"parse_twiml() needs the body as bytes, not {type(body).__name__}"
            + (" (encode a str first: body.encode())" if isinstance(body, str) else "")
        )
    if content_type is not None and not isinstance(content_type, str):
        raise TypeError(
            "parse_twiml() takes the Content-Type as a string such as 'text/xml' (or None "
            f"for XML), not {type(content_type).__name__}"
        )
    data = bytes(body)
    media = media_type(content_type)
    if len(data) > MAX_BYTES:
        return _fatal(
            11750,
            f"TwiML response body is more than {MAX_BYTES:,} bytes (64 kB), the most Twilio "
            "reads; keep the document under 64 kB",
        )
    if not data.strip():
        return _fatal(
            11770,
            "TwiML response body is empty (as a 204 No Content answer is): answer the TwiML "
            "the call is to run next, or <Response/> to end it",
        )
    if media is None or media in XML_TYPES:
        return _with_charset_hint(_parse_xml(data), data, content_type)
    if media == "text/plain":
        as_xml = _parse_xml(data)
        if as_xml.document is not None:
            return ParsedTwiml(as_xml.document, as_xml.problems, plain_text_twiml=True)
        text = " ".join(plain_text(data, content_type).split())
        return ParsedTwiml(Response(line=0, children=(Say(line=0, text=text, spoken_text=text),)))
    if media in AUDIO_TYPES:
        return ParsedTwiml(Response(line=0, children=(Play(line=0, text=source_url or ""),)))
    hint = "; answer TwiML with Content-Type: text/xml"
    if media == "application/json" and data.lstrip()[:2] == b'"<':
        hint = (
            "; the body is TwiML written as a JSON string, as FastAPI answers an endpoint "
            "that returns a str (return Response(twiml, media_type='application/xml')), "
            "Django REST framework's Response renders one and a Django Ninja operation "
            "returns one (return HttpResponse(twiml, content_type='text/xml')) and a "
            "Flask-RESTful or Flask-RESTX Resource or a Flask-smorest view under "
            "@blp.response returns one (return flask.Response(twiml, mimetype='text/xml'))"
        )
    return _fatal(
        12300,
        f"Content-Type {content_type!r} is not TwiML (text/xml, application/xml, text/html), "
        f"text/plain or an audio type{hint}",
    )


_ENCODING_DECLARED = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*<\?xml[^>]*\sencoding=")


def _with_charset_hint(parsed: ParsedTwiml, data: bytes, content_type: str | None) -> ParsedTwiml:
    """``parsed``, its encoding failure told what to do: when the Content-Type names a
    charset the document does not declare (XML is read by its own declaration, UTF-8
    without one; whether Twilio reads the header's charset instead is not documented),
    or, read as UTF-8, which byte is not."""
    charset = charset_of(content_type)
    if parsed.document is not None or not any(
        "encoding" in p.message or "UTF-8" in p.message for p in parsed.problems
    ):
        return parsed
    first, *rest = parsed.problems
    if charset is None or codec_of(charset) == "utf-8" or _ENCODING_DECLARED.match(data):
        hint = "" if utf16_hint(data) else not_utf8_hint(data)
        if not hint:
            return parsed
    else:
        hint = (
            f"; the Content-Type names charset={charset}, but a document without an encoding "
            f'declaration is read as UTF-8: declare it (<?xml version="1.0" '
            f'encoding="{charset}"?>) or answer in UTF-8'
        )
    told = dataclasses.replace(first, message=first.message + hint)
    return ParsedTwiml(None, (told, *rest))


def _fatal(code: int, message: str, line: int | None = None) -> ParsedTwiml:
    return ParsedTwiml(None, (Problem(code, "error", message, line=line),))


#: A document whose prolog (after a BOM, an XML declaration, comments and processing
#: instructions) has a DOCTYPE. Each of those is matched atomically (``(?>...)``): a
#: hostile run of them cannot make the search backtrack through every way to split it.
_DOCTYPE_FIRST = re.compile(
    rb"\A(?:\xef\xbb\xbf)?\s*(?>(?:<\?.*?\?>|<!--.*?-->)\s*)*<!DOCTYPE", re.DOTALL | re.IGNORECASE
)


def _doctype_refused(data: bytes) -> ParsedTwiml:
    return _fatal(
        12100,
        "Document parse failure: a DOCTYPE declaration is not allowed in TwiML "
        f"(entities and DTDs are never processed){_html_hint(data)}",
        1,
    )


@functools.lru_cache(maxsize=256)
def _parse_xml(data: bytes) -> ParsedTwiml:
    """Parse XML TwiML. Results are immutable, so a document an app serves again and again
    (every call of a test suite hitting the same webhook) is parsed once."""
    try:
        root = etree.fromstring(data, _xml_parser())
    except etree.XMLSyntaxError as exc:
        if _DOCTYPE_FIRST.match(data):  # stopped in it (an entity amplification limit)
            return _doctype_refused(data)
        reason = libxml2_reason(exc.msg)
        message = f"Document parse failure: {reason}{failure_hints(reason, data)}"
        return _fatal(12100, message + _html_hint(data), cast(int, exc.lineno))
    docinfo = root.getroottree().docinfo
    if docinfo.internalDTD is not None or docinfo.externalDTD is not None or docinfo.doctype:
        return _doctype_refused(data)
    if root.tag != ROOT:
        namespace = _namespace(root)
        return _fatal(
            12102,
            f"The root element must be <Response>, not <{_tag_name(root)}>"
            + (f" in the XML namespace {namespace!r}; {_NO_NAMESPACE}" if namespace else "")
            + ("" if namespace else lone_element_hint(_tag_name(root)))
            + _html_hint(data),
            _start_lines(root, data).get(root, _line(root)),
        )
    builder = _Builder(_start_lines(root, data))
    try:
        document = builder.build(root, ELEMENTS[ROOT], None, 1)
    except _TooDeep as exc:
        return _fatal(
            12100,
            f"Document parse failure: elements are nested more than {MAX_DEPTH} levels deep",
            exc.line,
        )
    assert isinstance(document, Response)
    problems = sorted(builder.problems, key=lambda p: p.line or 0)
    for problem in problems:
        if problem.fatal:
            return ParsedTwiml(None, tuple(problems))
    return ParsedTwiml(document, tuple(problems))


_HTML_START = re.compile(rb"\A\s*(?:<!doctype\s+html|<html[\s>])", re.IGNORECASE)
_HTML_TITLE = re.compile(rb"<title[^>]*>(.*?)</title", re.IGNORECASE | re.DOTALL)


def _html_hint(data: bytes) -> str:
    """What to add to the failure of a body that is an HTML page (with its title): a
    login page a redirect led to, or a framework's error page answered with 200."""
    start = data.lstrip(b"\xef\xbb\xbf")
    if not _HTML_START.match(start):
        return ""
    found = _HTML_TITLE.search(start, 0, 4096)
    title = " ".join(found.group(1).decode("utf-8", "replace").split()) if found else ""
    return (
        f"; the answer is an HTML page{f' ({title!r})' if title else ''}, not TwiML: check "
        "that the URL reaches the view that answers TwiML (a login redirect or an error "
        "page answers HTML)"
    )


# lxml-stubs types these loosely (sourceline as Ellipsis, attributes as str | bytes).
def _line(el: etree._Element) -> int:
    line = cast(object, el.sourceline)
    return line if isinstance(line, int) else 0


#: What a start tag's ``<`` may open besides an element: comments, CDATA, the XML
#: declaration and processing instructions, whose text is not markup.
_MARKUP = re.compile(rb"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<[A-Za-z_]", re.DOTALL)


def _start_lines(root: etree._Element, data: bytes) -> dict[etree._Element, int]:
    """The line each element's start tag begins on, in document order.

    libxml2 gives the line a start tag *ends* on, which for a tag whose attributes span
    lines (templates write them so) is not the line of its ``<Record``. The start tags
    found in the text, skipping comments and CDATA, are the elements in document order;
    when they do not line up (never for a document lxml parsed), libxml2's lines stay."""
    starts: list[int] = []
    line, counted = 1, 0
    for found in _MARKUP.finditer(data):
        if found.group().startswith((b"<!", b"<?")):
            continue
        line += data.count(b"\n", counted, found.start())
        counted = found.start()
        starts.append(line)
    elements = list(root.iter(etree.Element))
    if len(elements) != len(starts):
        return {}
    return dict(zip(elements, starts, strict=True))


def _attrib(el: etree._Element) -> dict[str, str]:
    return {_attr_name(el, str(k)): str(v) for k, v in el.attrib.items()}


#: What a name in an XML namespace is told (where Twilio's behaviour is not documented,
#: twimlsim reads TwiML as its schema has it: elements and attributes in no namespace).
_NO_NAMESPACE = "TwiML elements are in no namespace: remove the xmlns declaration"


def _namespace(el: etree._Element) -> str | None:
    tag = str(el.tag)
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else None


def _tag_name(el: etree._Element) -> str:
    """The element's name as written: ``Say``, ``x:Say`` (lxml's tag is ``{urn:x}Say``)."""
    tag = str(el.tag)
    if not tag.startswith("{"):
        return tag
    local = tag.split("}", 1)[1]
    return f"{el.prefix}:{local}" if el.prefix else local


def _attr_name(el: etree._Element, key: str) -> str:
    """An attribute's name as written: ``xml:lang``, ``x:length``, not ``{urn:x}length``."""
    if key.startswith(_XML_NS):
        return "xml:" + key[len(_XML_NS) :]
    if key.startswith("{"):
        namespace, local = key[1:].split("}", 1)
        prefixes = [prefix for prefix, uri in el.nsmap.items() if uri == namespace and prefix]
        return f"{prefixes[0]}:{local}" if prefixes else key
    return key


class _Builder:
    """Turns an lxml tree into nodes, collecting problems as it goes."""

    def __init__(self, starts: dict[etree._Element, int]) -> None:
        self.problems: list[Problem] = []
        self._starts = starts

    def _line(self, el: etree._Element) -> int:
        return self._starts.get(el) or _line(el)

    def _report(
        self,
        code: int,
        level: Level,
        message: str,
        element: str | None,
        attribute: str | None,
        line: int,
    ) -> None:
        self.problems.append(Problem(code, level, message, element, attribute, line))

    def build(self, el: etree._Element, spec: Element, parent: str | None, depth: int) -> Node:
        line = self._line(el)
        raw = _attrib(el)
        kwargs = dict(_DEFAULTS[spec.name])
        attrs = _ATTRS[spec.name]
        for wire, value in raw.items():
            attr = attrs.get(wire)
            if attr is None:
                code, message = MISPLACED_ATTRIBUTES.get((spec.name, wire), (12200, ""))
                if not message:
                    meant = _nearest(wire, list(attrs))
                    hint = f"did you mean {meant!r}? " if meant is not None else ""
                    message = (
                        f"<{spec.tag}> has no attribute {wire!r} ({hint}names are "
                        "case-sensitive); Twilio ignores it"
                    )
                self._report(code, "warning", message, spec.tag, wire, line)
                continue
            try:
                kwargs[attr.field_name] = attr.kind.convert(value)
            except InvalidValue as exc:
                if attr.on_invalid is not None:
                    kwargs[attr.field_name] = attr.on_invalid
                fallback = kwargs.get(attr.field_name)
                code = exc.code or attr.parent_codes.get(parent or "", attr.code)
                if code in FATAL_CODES:
                    outcome = "the document does not run"
                elif attr.default_from is not None:
                    # a phrase, not a value: quoted, it read as the value used
                    outcome = f"using {attr.default_from}'s value, as when {wire} is not given"
                elif fallback is not None:
                    outcome = f"using {_written(fallback)}"
                else:
                    outcome = "ignored"
                self._report(
                    code,
                    attr.level,
                    f"<{spec.tag}> {wire}={shown(value)} is invalid: expected {exc.expected}; "
                    + outcome,
                    spec.tag,
                    wire,
                    line,
                )
        for attr, other in _DEFAULT_FROM[spec.name]:
            if attr.field_name not in kwargs:
                kwargs[attr.field_name] = kwargs[other.field_name]
        children: list[Node] = []
        for child in el:  # elements only: the parser drops comments and PIs
            if depth >= MAX_DEPTH:
                raise _TooDeep(self._line(child) or line)
            child_name = spec.children.get(child.tag)
            if child_name is None:
                self._misplaced(child, spec)
                children.append(self._unknown(child, depth + 1))
            else:
                children.append(self.build(child, ELEMENTS[child_name], spec.tag, depth + 1))
        if spec.name == "Say":
            kwargs["spoken_text"] = spoken_text(el, aliases=False)
            # Polly and Google voices read SSML: a <sub alias> speaks the alias
            if len(el) and kwargs["voice"] not in BASIC_VOICES and el.find(".//sub") is not None:
                spoken = spoken_text(el, aliases=True)
                if spoken != kwargs["spoken_text"]:
                    kwargs["written_text"] = kwargs["spoken_text"]
                    kwargs["spoken_text"] = spoken
        node = NODE_CLASSES[spec.name](
            line=line,
            text=own_text(el),
            children=tuple(children),
            attributes=MappingProxyType(raw),
            **kwargs,
        )
        if spec.name in TEXTLESS and node.text:
            self.problems.extend(stray_text(node, self._text_line(el)))
        rule = RULES.get(spec.name)
        if rule is not None:
            self.problems.extend(rule(node, parent))
        return node

    def _text_line(self, el: etree._Element) -> int:
        """The line the first text directly in ``el`` (its own, or a child's tail) is
        written on, counted back from the start tag after it where there is one, else on
        from the tag before it. The parser drops comments and the lines they span: a
        comment of several lines between the text and the tag counted from shifts it."""
        pieces: list[tuple[str, etree._Element | None, etree._Element | None]]
        pieces = [(el.text or "", None, el[0] if len(el) else None)]
        pieces += [
            (child.tail or "", child, child.getnext()) for child in el.iterchildren(etree.Element)
        ]
        for text, before, after in pieces:
            first = len(text) - len(text.lstrip())
            if first == len(text):
                continue
            if after is not None:
                return self._line(after) - text.count("\n", first)
            start = _line(el) if before is None else self._end_line(before)
            return start + text.count("\n", 0, first)
        return self._line(el)

    def _end_line(self, el: etree._Element) -> int:
        """The line ``el``'s end tag is on: its last start tag's, and the text after it."""
        if not len(el):
            return _line(el) + str(el.text or "").count("\n")
        last = el[-1]
        return self._end_line(last) + str(last.tail or "").count("\n")

    def _misplaced(self, child: etree._Element, spec: Element) -> None:
        tag = _tag_name(child)
        line = self._line(child)
        namespace = _namespace(child)
        # inside <Say> (or its SSML) the element's text is still said: the tag is ignored,
        # as speech engines ignore a tag they do not support (a choice, UNCONFIRMED)
        said = spec.name == "Say" or spec.name.startswith("Ssml")
        skips = "ignores the tag and says its text" if said else "skips it"
        if namespace is not None:
            self._report(
                12200,
                "warning",
                f"<{tag}> in the XML namespace {namespace!r} is not a TwiML voice element "
                f"({_NO_NAMESPACE}); Twilio logs a schema warning and {skips}",
                tag,
                None,
                line,
            )
            return
        if tag in KNOWN_TAGS:
            allowed = ", ".join(f"<{t}>" for t in spec.children) or "nothing"
            self._report(
                spec.nested_code,
                spec.nested_level,
                f"<{tag}> is not allowed inside <{spec.tag}> (allowed: {allowed}); "
                f"Twilio {skips}" + _where_it_goes(tag),
                tag,
                None,
                line,
            )
            return
        hint = ""
        if tag.lower() in _LOWER_TAGS:
            hint = f" (did you mean <{_LOWER_TAGS[tag.lower()]}>? names are case-sensitive)"
        else:  # a typo: the nearest element allowed here, else the nearest of all
            meant = _nearest(tag, list(spec.children)) or _nearest(tag, sorted(KNOWN_TAGS))
            hint = f" (did you mean <{meant}>?)" if meant is not None else ""
        self._report(
            12200,
            "warning",
            f"<{tag}> is not a TwiML voice element{hint}; Twilio logs a schema warning and {skips}",
            tag,
            None,
            line,
        )

    def _unknown(self, el: etree._Element, depth: int) -> Unknown:
        children: list[Node] = []
        for child in el:
            if depth >= MAX_DEPTH:
                raise _TooDeep(self._line(child))
            children.append(self._unknown(child, depth + 1))
        return Unknown(
            line=self._line(el),
            text=own_text(el),
            children=tuple(children),
            attributes=MappingProxyType(_attrib(el)),
            tag_name=_tag_name(el),
        )


def play_media_problem(play: Play, content_type: str | None, *, in_gather: bool) -> Problem | None:
    """The problem Twilio logs when a `<Play>` URL serves a non-audio type, or None.

    13420 for a top-level `<Play>`, 13325 inside `<Gather>` (both ERROR): for the engine,
    which knows the media's Content-Type; the document alone cannot show it.
    """
    media = media_type(content_type)
    if media in AUDIO_TYPES:
        return None
    code = 13325 if in_gather else 13420
    return Problem(
        code,
        "error",
        f"<Play> media {play.url!r} has Content-Type {content_type!r}, not an audio type "
        f"({', '.join(sorted(AUDIO_TYPES))})",
        "Play",
        None,
        play.line,
    )


@functools.cache
def _where_it_goes(tag: str) -> str:
    """Where ``tag`` may be written, for a misplaced one (a ``<Conference>`` straight under
    ``<Response>``, meant inside ``<Dial>``): ``"; <Conference> goes inside <Dial>"``, or
    nothing for an element allowed under ``<Response>`` (a verb in the wrong verb)."""
    parents = sorted({element.tag for element in ELEMENTS.values() if tag in element.children})
    if not parents or ROOT in parents:
        return ""
    inside = ", ".join(f"<{parent}>" for parent in parents)
    first = parents[0]
    return f"; <{tag}> goes inside {inside}: <{first}><{tag}>...</{tag}></{first}>"

"""TwiML parser (temporary minimal version)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from lxml import etree

from . import nodes


@dataclass(frozen=True, slots=True)
class Problem:
    code: int
    level: Literal["error", "warning"]
    message: str
    element: str | None = None
    attribute: str | None = None
    line: int | None = None


@dataclass(frozen=True, slots=True)
class ParsedTwiml:
    document: nodes.Response | None
    problems: tuple[Problem, ...] = ()

    @property
    def fatal(self) -> Problem | None:
        return None if self.document is not None else self.problems[0]


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def parse_twiml(
    body: bytes, content_type: str | None = None, *, source_url: str | None = None
) -> ParsedTwiml:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        return ParsedTwiml(None, (Problem(12100, "error", str(exc), line=exc.lineno),))
    if root.tag != "Response":
        return ParsedTwiml(
            None, (Problem(12102, "error", f"root is <{root.tag}>", element=str(root.tag)),)
        )
    children: list[nodes.Node] = []
    for el in root:
        if not isinstance(el.tag, str):
            continue
        line = int(el.sourceline or 0)  # type: ignore[arg-type]
        text = (el.text or "").strip()
        attrs = dict(el.attrib)
        if el.tag == "Say":
            children.append(nodes.Say(line, text, (), attrs, _int(attrs.get("loop"), 1)))
        elif el.tag == "Pause":
            children.append(nodes.Pause(line, text, (), attrs, _int(attrs.get("length"), 1)))
        elif el.tag == "Hangup":
            children.append(nodes.Hangup(line, text, (), attrs))
        elif el.tag == "Redirect":
            children.append(
                nodes.Redirect(line, text, (), attrs, attrs.get("method", "POST").upper())
            )
        else:
            children.append(nodes.Unknown(line, text, (), attrs, str(el.tag)))
    return ParsedTwiml(
        nodes.Response(
            int(root.sourceline or 0),  # type: ignore[arg-type]
            "",
            tuple(children),
        )
    )

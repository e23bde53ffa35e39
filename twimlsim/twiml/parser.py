"""TwiML parser (temporary minimal version)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

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

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.level == "error")


def _int(raw: str) -> int:
    return int(raw)


def _opt_int(raw: str) -> int | None:
    return int(raw)


def _bool(raw: str) -> bool:
    return raw.lower() == "true"


def _upper(raw: str) -> str:
    return raw.upper()


def _words(raw: str) -> tuple[str, ...]:
    return tuple(raw.split())


def _speech_timeout(raw: str) -> int | str:
    return raw if raw == "auto" else int(raw)


def _dial_record(raw: str) -> str:
    return {"true": "record-from-answer", "false": "do-not-record"}.get(raw, raw)


_COMMON_METHODS = {
    "method": _upper,
    "statusCallbackMethod": _upper,
    "recordingStatusCallbackMethod": _upper,
    "partialResultCallbackMethod": _upper,
}

#: Per tag: wire attribute -> converter; field name is the snake_case of the wire name.
_ATTRS: dict[str, dict[str, Callable[[str], Any]]] = {
    "Say": {"voice": str, "language": str, "loop": _int},
    "Play": {"loop": _int, "digits": str},
    "Pause": {"length": _int},
    "Gather": {
        "action": str,
        "input": _words,
        "timeout": _int,
        "speechTimeout": _speech_timeout,
        "finishOnKey": str,
        "numDigits": _opt_int,
        "partialResultCallback": str,
        "language": str,
        "actionOnEmptyResult": _bool,
    },
    "Record": {
        "action": str,
        "timeout": _int,
        "finishOnKey": str,
        "maxLength": _int,
        "playBeep": _bool,
        "trim": str,
        "recordingStatusCallback": str,
        "recordingStatusCallbackEvent": _words,
        "transcribe": _bool,
        "transcribeCallback": str,
    },
    "Dial": {
        "action": str,
        "timeout": _int,
        "hangupOnStar": _bool,
        "timeLimit": _int,
        "callerId": str,
        "record": _dial_record,
        "trim": str,
        "recordingStatusCallback": str,
        "recordingStatusCallbackEvent": _words,
        "answerOnBridge": _bool,
        "recordingTrack": str,
        "sequential": _bool,
    },
    "Number": {
        "sendDigits": str,
        "url": str,
        "statusCallbackEvent": _words,
        "statusCallback": str,
    },
    "Client": {"url": str, "statusCallbackEvent": _words, "statusCallback": str},
    "Sip": {
        "username": str,
        "password": str,
        "url": str,
        "statusCallbackEvent": _words,
        "statusCallback": str,
    },
    "Redirect": {},
    "Hangup": {},
    "Reject": {"reason": str},
    "Identity": {},
    "Uri": {},
}
_CLASSES: dict[str, type[nodes.Node]] = {
    "Say": nodes.Say,
    "Play": nodes.Play,
    "Pause": nodes.Pause,
    "Gather": nodes.Gather,
    "Record": nodes.Record,
    "Dial": nodes.Dial,
    "Number": nodes.Number,
    "Client": nodes.Client,
    "Sip": nodes.Sip,
    "Redirect": nodes.Redirect,
    "Hangup": nodes.Hangup,
    "Reject": nodes.Reject,
    "Identity": nodes.Identity,
    "Uri": nodes.SipUri,
}


def _snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name)


def _node(el: Any) -> nodes.Node:
    tag = str(el.tag)
    line = int(el.sourceline or 0)
    text = (el.text or "").strip()
    attrs = dict(el.attrib)
    children = tuple(_node(child) for child in el if isinstance(child.tag, str))
    cls = _CLASSES.get(tag)
    if cls is None:
        return nodes.Unknown(line=line, text=text, children=children, tag_name=tag)
    fields: dict[str, Any] = {}
    converters = {**_COMMON_METHODS, **_ATTRS[tag]}
    for name, raw in attrs.items():
        convert = converters.get(name)
        if convert is not None and _snake(name) in cls.__dataclass_fields__:
            with contextlib.suppress(ValueError):
                fields[_snake(name)] = convert(raw)
    if tag == "Gather" and "speech_timeout" not in fields:
        fields["speech_timeout"] = fields.get("timeout", 5)
    if tag == "Say":
        fields["spoken_text"] = " ".join("".join(el.itertext()).split())
    return cls(line=line, text=text, children=children, attributes=attrs, **fields)


def parse_twiml(
    body: bytes, content_type: str | None = None, *, source_url: str | None = None
) -> ParsedTwiml:
    if not body.strip():
        return ParsedTwiml(None, (Problem(11770, "error", "empty response body"),))
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        return ParsedTwiml(None, (Problem(12100, "error", str(exc), line=exc.lineno),))
    if root.tag != "Response":
        return ParsedTwiml(
            None, (Problem(12102, "error", f"root is <{root.tag}>", element=str(root.tag)),)
        )
    verbs = tuple(_node(el) for el in root if isinstance(el.tag, str))
    return ParsedTwiml(nodes.Response(line=root.sourceline or 0, children=verbs))  # type: ignore[arg-type]

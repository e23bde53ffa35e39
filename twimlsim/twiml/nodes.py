"""TwiML nodes (temporary minimal set, field names as the full parser's contract)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar, Literal


@dataclass(frozen=True, slots=True, kw_only=True)
class Node:
    line: int = 0
    text: str = ""
    children: tuple[Node, ...] = ()
    attributes: Mapping[str, str] = field(default_factory=dict)
    tag: ClassVar[str] = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Response(Node):
    tag: ClassVar[str] = "Response"


@dataclass(frozen=True, slots=True, kw_only=True)
class Say(Node):
    voice: str = "man"
    language: str = "en-US"
    loop: int = 1
    spoken_text: str = ""
    tag: ClassVar[str] = "Say"


@dataclass(frozen=True, slots=True, kw_only=True)
class Play(Node):
    loop: int = 1
    digits: str | None = None
    tag: ClassVar[str] = "Play"

    @property
    def url(self) -> str:
        return self.text


@dataclass(frozen=True, slots=True, kw_only=True)
class Pause(Node):
    length: int = 1
    tag: ClassVar[str] = "Pause"


@dataclass(frozen=True, slots=True, kw_only=True)
class Gather(Node):
    action: str | None = None
    method: str = "POST"
    input: tuple[str, ...] = ("dtmf",)
    timeout: int = 5
    speech_timeout: int | Literal["auto"] = 5
    finish_on_key: str = "#"
    num_digits: int | None = None
    partial_result_callback: str | None = None
    partial_result_callback_method: str = "POST"
    language: str = "en-US"
    action_on_empty_result: bool = False
    tag: ClassVar[str] = "Gather"


@dataclass(frozen=True, slots=True, kw_only=True)
class Record(Node):
    action: str | None = None
    method: str = "POST"
    timeout: int = 5
    finish_on_key: str = "1234567890*#"
    max_length: int = 3600
    play_beep: bool = True
    trim: str = "trim-silence"
    recording_status_callback: str | None = None
    recording_status_callback_method: str = "POST"
    recording_status_callback_event: tuple[str, ...] = ("completed",)
    transcribe: bool = False
    transcribe_callback: str | None = None
    tag: ClassVar[str] = "Record"


@dataclass(frozen=True, slots=True, kw_only=True)
class Dial(Node):
    action: str | None = None
    method: str = "POST"
    timeout: int = 30
    hangup_on_star: bool = False
    time_limit: int = 14400
    caller_id: str | None = None
    record: str = "do-not-record"
    trim: str = "do-not-trim"
    recording_status_callback: str | None = None
    recording_status_callback_method: str = "POST"
    recording_status_callback_event: tuple[str, ...] = ("completed",)
    answer_on_bridge: bool = False
    recording_track: str = "both"
    sequential: bool = False
    tag: ClassVar[str] = "Dial"

    @property
    def number(self) -> str | None:
        return self.text or None

    @property
    def nouns(self) -> tuple[Node, ...]:
        return tuple(child for child in self.children if not isinstance(child, Unknown))


@dataclass(frozen=True, slots=True, kw_only=True)
class Number(Node):
    send_digits: str | None = None
    url: str | None = None
    method: str = "POST"
    status_callback_event: tuple[str, ...] = ("completed",)
    status_callback: str | None = None
    status_callback_method: str = "POST"
    tag: ClassVar[str] = "Number"


@dataclass(frozen=True, slots=True, kw_only=True)
class Identity(Node):
    tag: ClassVar[str] = "Identity"


@dataclass(frozen=True, slots=True, kw_only=True)
class Client(Node):
    url: str | None = None
    method: str = "POST"
    status_callback_event: tuple[str, ...] = ()
    status_callback: str | None = None
    status_callback_method: str = "POST"
    tag: ClassVar[str] = "Client"

    @property
    def identity(self) -> str:
        if self.text:
            return self.text
        return next((c.text for c in self.children if isinstance(c, Identity)), "")


@dataclass(frozen=True, slots=True, kw_only=True)
class SipUri(Node):
    tag: ClassVar[str] = "Uri"


@dataclass(frozen=True, slots=True, kw_only=True)
class Sip(Node):
    username: str | None = None
    password: str | None = None
    url: str | None = None
    method: str = "POST"
    status_callback_event: tuple[str, ...] = ()
    status_callback: str | None = None
    status_callback_method: str = "POST"
    tag: ClassVar[str] = "Sip"

    @property
    def uri(self) -> str:
        if self.text:
            return self.text
        return next((c.text for c in self.children if isinstance(c, SipUri)), "")


@dataclass(frozen=True, slots=True, kw_only=True)
class Hangup(Node):
    tag: ClassVar[str] = "Hangup"


@dataclass(frozen=True, slots=True, kw_only=True)
class Redirect(Node):
    method: str = "POST"
    tag: ClassVar[str] = "Redirect"

    @property
    def url(self) -> str:
        return self.text


@dataclass(frozen=True, slots=True, kw_only=True)
class Reject(Node):
    reason: str = "rejected"
    tag: ClassVar[str] = "Reject"


@dataclass(frozen=True, slots=True, kw_only=True)
class Unknown(Node):
    tag_name: str = ""
    tag: ClassVar[str] = ""

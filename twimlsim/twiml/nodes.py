"""TwiML nodes (temporary minimal set)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar


@dataclass(frozen=True, slots=True)
class Node:
    line: int = 0
    text: str = ""
    children: tuple[Node, ...] = ()
    attributes: Mapping[str, str] = field(default_factory=dict)
    tag: ClassVar[str] = ""


@dataclass(frozen=True, slots=True)
class Response(Node):
    tag: ClassVar[str] = "Response"


@dataclass(frozen=True, slots=True)
class Say(Node):
    loop: int = 1
    voice: str = "man"
    language: str = "en-US"
    tag: ClassVar[str] = "Say"

    @property
    def spoken_text(self) -> str:
        return self.text


@dataclass(frozen=True, slots=True)
class Pause(Node):
    length: int = 1
    tag: ClassVar[str] = "Pause"


@dataclass(frozen=True, slots=True)
class Hangup(Node):
    tag: ClassVar[str] = "Hangup"


@dataclass(frozen=True, slots=True)
class Redirect(Node):
    method: str = "POST"
    tag: ClassVar[str] = "Redirect"

    @property
    def url(self) -> str:
        return self.text


@dataclass(frozen=True, slots=True)
class Unknown(Node):
    tag_name: str = ""
    tag: ClassVar[str] = ""

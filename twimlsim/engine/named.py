"""Finding a call's stream or real-time transcription by SID or by the name it was
given, as ``<Stop>`` and the REST API do."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Protocol, TypeVar

__all__ = ["Named", "find_by_sid_or_name"]


class Named(Protocol):
    """A resource of a live call that has a SID, may have a name, and may be stopped."""

    @property
    def sid(self) -> str: ...

    @property
    def name(self) -> str | None: ...

    @property
    def stopped_at(self) -> datetime | None: ...


NamedT = TypeVar("NamedT", bound=Named)


def find_by_sid_or_name(items: Iterable[NamedT], sid_or_name: str) -> NamedT | None:
    """The item with this SID, else the newest one in progress with this name (else the
    newest with it), else None: a name may be reused."""
    candidates = list(items)
    for item in candidates:
        if item.sid == sid_or_name:
            return item
    named = [item for item in candidates if item.name == sid_or_name]
    live = [item for item in named if item.stopped_at is None]
    chosen = live or named
    return chosen[-1] if chosen else None

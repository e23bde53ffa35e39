"""One of ``requests.Session``'s own methods replaced while any simulator runs.

``direct_answers`` (``send``) and ``environment_settings`` (``merge_environment_settings``)
each put a quicker method in place of requests' own for the requests a simulator answers.
The replacement goes in only over requests' own method (not over a test's mock or a
tracing library's wrapper), when the first simulator starts, and comes out when the last
one stops, unless something was patched on top of it since: that puts it back when it
stops, and the replacement then passes every call on (no simulator runs).
"""

from __future__ import annotations

from collections.abc import Callable
from types import FunctionType
from typing import Any

import requests

__all__ = ["TWILIO_PYTHON", "SessionMethodSwap", "is_requests_own"]

#: How twilio-python's User-Agent begins: "twilio-python/9.13.0 (Linux x86_64) Python/3.11.7".
TWILIO_PYTHON = "twilio-python/"

_Method = Callable[..., Any]


def is_requests_own(
    function: object, name: str, owner: str = "Session", module: str = "requests.sessions"
) -> bool:
    """Whether ``function`` is requests' own ``<owner>.<name>`` (``Session``'s by default),
    not a mock or a wrapper (``functools.wraps`` and wrapt leave ``__wrapped__`` on
    theirs)."""
    return (
        isinstance(function, FunctionType)
        and function.__module__ == module
        and function.__qualname__ == f"{owner}.{name}"
        and not hasattr(function, "__wrapped__")
    )


class SessionMethodSwap:
    """Puts ``replacement(original)`` in place of ``requests.Session.<name>`` while any
    simulator runs. ``running`` is the interceptors running now (the list
    ``transports/responses.py`` keeps): the method is taken away once it is empty."""

    def __init__(self, name: str, running: list[Any]) -> None:
        self._name = name
        self._running = running
        self._saved: _Method | None = None
        self._swapped: _Method | None = None

    def replacement(self, original: _Method) -> _Method:
        """The method to put in place of requests' own ``original``."""
        raise NotImplementedError

    def started(self) -> None:
        """An interceptor began intercepting (it is in ``running``)."""
        if self._swapped is not None:
            return
        current = requests.Session.__dict__.get(self._name)
        if current is None or not is_requests_own(current, self._name):
            return  # a mock or a wrapper is in place: requests go its way, as before
        self._saved = current
        self._swapped = self.replacement(current)
        setattr(requests.Session, self._name, self._swapped)

    def stopped(self) -> None:
        """An interceptor stopped intercepting (it left ``running``)."""
        if self._running or self._swapped is None:
            return
        if requests.Session.__dict__.get(self._name) is self._swapped:
            setattr(requests.Session, self._name, self._saved)
        self._swapped = self._saved = None

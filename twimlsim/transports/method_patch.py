"""Put functions in place of a library's methods while a simulator runs, and back.

Simulators may be nested and stopped in any order. Each set of patches wraps what it
found; stopped while another lies on top of it, it passes every request on to what it
wrapped until the one on top stops, and the chain is then unwound past it, so that the
library's own methods come back once the last simulator stops.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["MethodPatches", "PatchMaker"]

#: Makes the function put in place of a method from the one it wraps and the list that,
#: once it holds an item, tells the function to pass every request on.
PatchMaker = Callable[[Any, list[bool]], Any]

#: What each patch stopped while another lay on top of it had replaced.
_LEFT_IN_PLACE: dict[object, object] = {}


class MethodPatches:
    """The patches of one interceptor: ``start`` puts them in place, ``stop`` takes them
    back out (or leaves them passing on, when another patch lies on top)."""

    def __init__(self) -> None:
        #: (class, name, original, patched) of each method patched while started.
        self._patched: list[tuple[type[Any], str, Any, Any]] = []
        #: Set once stopped (a list, so that the patches do not hold the interceptor).
        self._passing_on: list[bool] = []

    def start(self, targets: Sequence[tuple[type[Any], str, PatchMaker]]) -> None:
        """Patch each ``(class, method name, maker)``; may be called again for more."""
        for cls, name, make in targets:
            original = cls.__dict__[name]
            patched = make(original, self._passing_on)
            setattr(cls, name, patched)
            self._patched.append((cls, name, original, patched))

    def stop(self) -> None:
        """Put back what was patched (or pass on, when another patch lies on top)."""
        for cls, name, original, patched in self._patched:
            if cls.__dict__.get(name) is patched:
                while original in _LEFT_IN_PLACE:  # stopped before this one, under it
                    original = _LEFT_IN_PLACE.pop(original)
                setattr(cls, name, original)
            else:  # a simulator started since patched on top: pass its requests on
                _LEFT_IN_PLACE[patched] = original
        self._passing_on.append(True)
        self._patched = []
        self._passing_on = []

"""``__repr__``, ``__eq__`` and ``__hash__`` for frozen dataclasses, shared by inheritance.

``@dataclass`` writes these three methods for each class it makes, with ``exec``: for the
66 TwiML node classes and the 20 transcript events that was about a third of the time it
takes to import them. A dataclass hierarchy whose base derives from ``ValueMethods``, each
class declared with ``repr=False, eq=False``, gets the same three methods, worked out once
per class from its fields when first used. They answer exactly what dataclass's own would:
the same text (``Say(line=3, text='Hi', ...)``, ``...`` for a value that contains itself),
equality only between instances of the same class comparing every field with
``compare=True`` in order, and the hash of the same tuple of fields.
"""

from __future__ import annotations

import dataclasses
import reprlib
from collections.abc import Callable
from operator import attrgetter
from typing import Any

__all__ = ["ValueMethods"]

#: Per class: (fields shown by repr, the compared fields' getter, the hashed fields' getter).
_PLANS: dict[type, tuple[tuple[str, ...], Callable[[Any], Any], Callable[[Any], Any]]] = {}


def _tuple_of(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """A function giving the tuple of ``names``' values of an object, as dataclass builds."""
    if len(names) > 1:
        return attrgetter(*names)
    if names:
        get = attrgetter(names[0])
        return lambda value: (get(value),)
    return lambda value: ()


def _plan(cls: type) -> tuple[tuple[str, ...], Callable[[Any], Any], Callable[[Any], Any]]:
    plan = _PLANS.get(cls)
    if plan is None:
        fields = dataclasses.fields(cls)
        shown = tuple(field.name for field in fields if field.repr)
        compared = tuple(field.name for field in fields if field.compare)
        hashed = tuple(
            field.name for field in fields if (field.compare if field.hash is None else field.hash)
        )
        plan = _PLANS[cls] = (shown, _tuple_of(compared), _tuple_of(hashed))
    return plan


class ValueMethods:
    """Base of frozen dataclasses declared with ``repr=False, eq=False``: dataclass's own
    ``__repr__``, ``__eq__`` and ``__hash__``, shared instead of generated per class."""

    __slots__ = ()

    @reprlib.recursive_repr()
    def __repr__(self) -> str:
        shown = _plan(self.__class__)[0]
        values = ", ".join(f"{name}={getattr(self, name)!r}" for name in shown)
        return f"{self.__class__.__qualname__}({values})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            compared = _plan(self.__class__)[1]
            return bool(compared(self) == compared(other))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(_plan(self.__class__)[2](self))

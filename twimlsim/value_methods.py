"""``__repr__``, ``__eq__`` and ``__hash__`` for frozen dataclasses, shared by inheritance;
and, for classes that also write their own ``__init__``, the rest of what ``frozen=True``
generates.

``@dataclass`` writes these three methods for each class it makes, with ``exec``: for the
66 TwiML node classes and the 20 transcript events that was about a third of the time it
takes to import them. A dataclass hierarchy whose base derives from ``ValueMethods``, each
class declared with ``repr=False, eq=False``, gets the same three methods, worked out once
per class from its fields when first used. They answer exactly what dataclass's own would:
the same text (``Say(line=3, text='Hi', ...)``, ``...`` for a value that contains itself),
equality only between instances of the same class comparing every field with
``compare=True`` in order, and the hash of the same tuple of fields.

``FrozenValueMethods`` goes one step further for generated code (the TwiML nodes): a class
declared with ``@frozen_value_class`` that derives from it and writes its ``__init__`` in
its own source, then is passed to ``mark_frozen``, is what ``@dataclass(frozen=True,
slots=True, kw_only=True, repr=False, eq=False)`` makes: the same fields, parameters,
refusal to assign or delete a field, and pickled state, with nothing left for ``exec`` at
import.
"""

from __future__ import annotations

import copy
import dataclasses
import reprlib
from collections.abc import Callable
from operator import attrgetter
from typing import Any, TypeVar, dataclass_transform

__all__ = ["FrozenValueMethods", "ValueMethods", "frozen_value_class", "mark_frozen"]

_Value = TypeVar("_Value")

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


class FrozenValueMethods(ValueMethods):
    """``ValueMethods`` and the methods ``frozen=True, slots=True`` adds: assigning or
    deleting a field raises ``FrozenInstanceError`` with dataclass's own message, and the
    pickled state is the list of the fields' values, as dataclass's.

    Assigning any other name raises ``FrozenInstanceError`` too. (Dataclass's own method
    means to, but on a class with ``slots=True`` it raises a ``TypeError`` from ``super()``
    instead, a CPython bug up to 3.13 at least; either way nothing is assigned.)"""

    __slots__ = ()

    def __setattr__(self, name: str, value: Any) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")

    def __getstate__(self) -> list[Any]:
        return [getattr(self, field.name) for field in dataclasses.fields(self)]  # type: ignore[arg-type]

    def __setstate__(self, state: list[Any]) -> None:
        for field, value in zip(dataclasses.fields(self), state, strict=False):  # type: ignore[arg-type]
            object.__setattr__(self, field.name, value)


@dataclass_transform(
    frozen_default=True, kw_only_default=True, field_specifiers=(dataclasses.field,)
)
def frozen_value_class(cls: type[_Value]) -> type[_Value]:
    """``@dataclass(slots=True, kw_only=True, repr=False, eq=False, init=False)``, which a
    type checker takes for the frozen class that ``mark_frozen`` makes of it."""
    return dataclasses.dataclass(slots=True, kw_only=True, repr=False, eq=False, init=False)(cls)


def mark_frozen(*classes: type) -> None:
    """Record ``classes`` (dataclasses derived from ``FrozenValueMethods``, declared with
    ``init=False`` and without ``frozen=True``, each writing its own ``__init__``) as
    dataclass records a frozen class with a generated ``__init__``: their parameters then
    say ``init=True, frozen=True``. Done once the whole hierarchy is declared (dataclass
    refuses a non-frozen subclass of a frozen base)."""
    for cls in classes:
        params = copy.copy(cls.__dataclass_params__)  # type: ignore[attr-defined]
        params.init = True
        params.frozen = True
        cls.__dataclass_params__ = params  # type: ignore[attr-defined]

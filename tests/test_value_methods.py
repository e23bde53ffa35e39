"""TwiML nodes and transcript events share ``__repr__``, ``__eq__`` and ``__hash__`` from
``ValueMethods``: each class answers exactly what dataclass's generated methods answer
(checked against a twin class that dataclass makes with the same fields)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Any

import pytest

from twimlsim.engine import events
from twimlsim.twiml import nodes
from twimlsim.value_methods import ValueMethods

NODE_CLASSES = [nodes.Node, nodes.Unknown, *nodes.NODE_CLASSES.values()]
EVENT_CLASSES = [
    value
    for value in vars(events).values()
    if isinstance(value, type) and issubclass(value, events.Event)
]


def _twin(cls: type) -> type:
    """The class dataclass would make of ``cls``'s fields with its own methods."""
    fields = []
    for field in dataclasses.fields(cls):
        options: dict[str, Any] = {"repr": field.repr, "hash": field.hash, "compare": field.compare}
        if field.default is not dataclasses.MISSING:
            options["default"] = field.default
        elif field.default_factory is not dataclasses.MISSING:
            options["default_factory"] = field.default_factory
        fields.append((field.name, field.type, dataclasses.field(**options)))
    twin = dataclasses.make_dataclass(cls.__name__, fields, frozen=True, kw_only=True)
    twin.__qualname__ = cls.__qualname__
    return twin


def _values(cls: type, variant: int) -> dict[str, Any]:
    """Field values for ``cls``: the required ones, and ``variant`` in the first field."""
    values: dict[str, Any] = {}
    for field in dataclasses.fields(cls):
        required = field.default is dataclasses.MISSING and (
            field.default_factory is dataclasses.MISSING
        )
        if field.name == "at":
            values["at"] = datetime(2026, 1, 1, 9, 0, variant, tzinfo=UTC)
        elif field.name == "line":
            values["line"] = variant
        elif required:
            values[field.name] = f"{field.name} value"
    return values


@pytest.mark.parametrize("cls", NODE_CLASSES + EVENT_CLASSES, ids=lambda cls: cls.__name__)
def test_repr_eq_and_hash_are_dataclasss_own(cls: type) -> None:
    assert issubclass(cls, ValueMethods)
    twin = _twin(cls)
    one, same, other = cls(**_values(cls, 1)), cls(**_values(cls, 1)), cls(**_values(cls, 2))
    twin_one, twin_other = twin(**_values(cls, 1)), twin(**_values(cls, 2))
    assert (repr(one), repr(other)) == (repr(twin_one), repr(twin_other))
    assert (hash(one), hash(other)) == (hash(twin_one), hash(twin_other))
    assert (one == same, one == other, one != same, one != other) == (True, False, False, True)
    assert one.__eq__(twin_one) is NotImplemented  # another class, even with equal fields
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(one, dataclasses.fields(cls)[0].name, 5)


def test_the_attributes_field_takes_no_part_in_a_nodes_hash_but_in_its_equality() -> None:
    plain, with_attributes = nodes.Say(text="Hi"), nodes.Say(text="Hi", attributes={"a": "b"})
    assert hash(plain) == hash(with_attributes)
    assert plain != with_attributes


def test_a_field_holding_an_unhashable_value_makes_the_node_unhashable_as_before() -> None:
    with pytest.raises(TypeError, match="unhashable type: 'list'"):
        hash(nodes.Say(text="Hi", children=[]))  # type: ignore[arg-type]

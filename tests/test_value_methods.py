"""TwiML nodes and transcript events share ``__repr__``, ``__eq__`` and ``__hash__`` from
``ValueMethods``: each class answers exactly what dataclass's generated methods answer
(checked against a twin class that dataclass makes with the same fields)."""

from __future__ import annotations

import dataclasses
import inspect
import pickle
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


def _frozen_twin(cls: type) -> type:
    """The class ``@dataclass(frozen=True, slots=True, kw_only=True)`` makes of ``cls``'s
    fields, on the same shared methods: what the generated nodes stand for."""
    fields = [(field.name, field.type, _field_options(field)) for field in dataclasses.fields(cls)]
    twin = dataclasses.make_dataclass(
        cls.__name__,
        fields,
        bases=(ValueMethods,),
        frozen=True,
        slots=True,
        kw_only=True,
        repr=False,
        eq=False,
    )
    twin.__qualname__ = cls.__qualname__
    return twin


def _field_options(field: dataclasses.Field[Any]) -> Any:
    options: dict[str, Any] = {"repr": field.repr, "hash": field.hash, "compare": field.compare}
    if field.default is not dataclasses.MISSING:
        options["default"] = field.default
    elif field.default_factory is not dataclasses.MISSING:
        options["default_factory"] = field.default_factory
    return dataclasses.field(**options)


def _described(field: dataclasses.Field[Any]) -> tuple[Any, ...]:
    return (
        field.name,
        field.type,
        field.default,
        field.default_factory,
        field.init,
        field.repr,
        field.hash,
        field.compare,
        dict(field.metadata),
        field.kw_only,
    )


@pytest.mark.parametrize("cls", NODE_CLASSES, ids=lambda cls: cls.__name__)
def test_a_node_class_is_what_a_frozen_dataclass_of_its_fields_is(cls: type) -> None:
    twin = _frozen_twin(cls)
    assert [_described(f) for f in dataclasses.fields(cls)] == [
        _described(f) for f in dataclasses.fields(twin)
    ]
    assert repr(cls.__dataclass_params__) == repr(twin.__dataclass_params__)  # type: ignore[attr-defined]
    assert cls.__match_args__ == twin.__match_args__  # type: ignore[attr-defined]
    ours, theirs = inspect.signature(cls).parameters, inspect.signature(twin).parameters
    assert [(p.name, p.kind, p.annotation, repr(p.default)) for p in ours.values()] == [
        (p.name, p.kind, p.annotation, repr(p.default)) for p in theirs.values()
    ]
    # Defaults: the same values, a fresh `attributes` mapping for each instance.
    plain, twin_plain = cls(), twin()
    assert plain.__getstate__() == twin_plain.__getstate__()
    assert plain.attributes == {} and plain.attributes is not cls().attributes
    given = _values(cls, 7) | {
        "text": "t",
        "children": (nodes.Pause(attributes={}),),
        "attributes": {"a": "b"},
    }
    one, twin_one = cls(**given), twin(**given)
    assert not hasattr(one, "__dict__")
    assert one.__getstate__() == twin_one.__getstate__()
    assert dataclasses.replace(one, line=9) == cls(**(given | {"line": 9}))
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        reduced, twin_reduced = one.__reduce_ex__(protocol), twin_one.__reduce_ex__(protocol)
        assert reduced[2:] == twin_reduced[2:]
        assert pickle.loads(pickle.dumps(one, protocol)) == one
    field = dataclasses.fields(cls)[-1].name
    for target in (one, twin_one):
        with pytest.raises(
            dataclasses.FrozenInstanceError, match=f"^cannot assign to field '{field}'$"
        ):
            setattr(target, field, 1)
        with pytest.raises(
            dataclasses.FrozenInstanceError, match=f"^cannot delete field '{field}'$"
        ):
            delattr(target, field)
        assert target.__getstate__() == one.__getstate__()


def test_no_other_name_can_be_assigned_on_a_node_or_a_plain_subclass_of_one() -> None:
    class Spoken(nodes.Say):
        pass

    for said in (nodes.Say(text="Hi"), Spoken(text="Hi")):
        with pytest.raises(
            dataclasses.FrozenInstanceError, match="^cannot assign to field 'note'$"
        ):
            said.note = "kept"  # type: ignore[attr-defined]
        with pytest.raises(dataclasses.FrozenInstanceError, match="^cannot delete field 'note'$"):
            del said.note  # type: ignore[attr-defined]
    # Nor on dataclass's own class; its method raises a TypeError there instead (its
    # super() bug with slots=True, up to Python 3.13 at least).
    twin_said = _frozen_twin(nodes.Say)(text="Hi")
    with pytest.raises((TypeError, dataclasses.FrozenInstanceError)):
        twin_said.note = "kept"
    assert not hasattr(twin_said, "note")


def test_a_frozen_dataclass_cannot_derive_from_a_node_without_being_frozen() -> None:
    with pytest.raises(TypeError, match="cannot inherit non-frozen dataclass from a frozen one"):

        @dataclasses.dataclass
        class Loud(nodes.Say):
            volume: int = 1

    @dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
    class Louder(nodes.Say):
        volume: int = 1

    assert Louder(text="Hi", volume=3).volume == 3

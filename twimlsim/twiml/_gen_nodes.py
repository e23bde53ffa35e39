"""Generates `nodes.py` from the schema table, so the typed nodes never drift from it.

Run `python -m twimlsim.twiml._gen_nodes > twimlsim/twiml/nodes.py && ruff format` after
changing `schema.py`; `tests/twiml/test_edges.py` checks that nodes.py is exactly the
formatted output.
"""

from __future__ import annotations

from .schema import ELEMENTS, Attr, Element

_HEADER = '''"""Typed, immutable TwiML nodes: one frozen dataclass per voice element.

GENERATED from `schema.py` by `_gen_nodes.py` (field names, types and Twilio defaults);
edit the schema and regenerate rather than editing the fields by hand.

Every node keeps its source `line`, its own stripped `text` (the direct text, not that of
its children), its `children` and its raw `attributes` as written. Each TwiML attribute is
a field named as twilio-python's keyword, holding the typed value, or Twilio's default when
the attribute is absent or invalid (the parser then reports a problem).

Each class is what `@dataclass(frozen=True, slots=True, kw_only=True)` makes (the same
fields, `dataclasses.replace`, pickling, and `FrozenInstanceError` on assignment), but
nothing is left for `exec` at import: each `__init__` is written out below, as dataclass
would generate it; `__repr__`, `__eq__`, `__hash__` and the frozen `__setattr__` and
`__delattr__` are shared from `FrozenValueMethods`; `mark_frozen` records the classes as
frozen at the end. That keeps importing them cheap.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from types import MappingProxyType
from typing import Any, ClassVar, Literal

from twimlsim.value_methods import FrozenValueMethods, frozen_value_class, mark_frozen

__all__ = [
    "Node",
    "Unknown",
    "NODE_CLASSES",
{all_names}]


def _no_attributes() -> Mapping[str, str]:
    return MappingProxyType({{}})


class _Factory:
    """The default shown for a field with a default factory, as dataclass shows it."""

    def __repr__(self) -> str:
        return "<factory>"


_FACTORY: Any = _Factory()
_set_field = object.__setattr__


@frozen_value_class
class Node(FrozenValueMethods):
    """Base of every TwiML node.

    `tag` is the TwiML tag name; `attributes` holds the attributes exactly as written (for
    diagnostics and round trips), while the typed fields of each subclass hold their values.
    """

    tag: ClassVar[str] = ""
    line: int = 0
    text: str = ""
    children: tuple[Node, ...] = ()
    attributes: Mapping[str, str] = field(default_factory=_no_attributes, hash=False)
{node_init}

@frozen_value_class
class Unknown(Node):
    """An element the schema does not know, or a known element placed where its parent does
    not allow it.

    Twilio logs a 12200 schema warning (or the parent's nesting code) for it. The engine skips
    it: twilio-reference Part II §II.6 finds field reports disagree on whether Twilio skips
    the element or ends the call, and recommends "log 12200 and skip the offending element"
    as the safest rule. Its descendants are kept as `Unknown` nodes too.
    """

    tag_name: str = ""
{unknown_init}'''

#: The fields every node has, from `Node`: name, annotation, default (as source).
_BASE_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("line", "int", "0"),
    ("text", "str", '""'),
    ("children", "tuple[Node, ...]", "()"),
    ("attributes", "Mapping[str, str]", "_FACTORY"),
)

#: Fields of a node that are not TwiML attributes: name, annotation, default, docstring.
_EXTRA_FIELDS: dict[str, tuple[tuple[str, str, str, str], ...]] = {
    "Say": (
        (
            "spoken_text",
            "str",
            '""',
            "The words spoken: SSML descendants' text too (a <sub>'s alias), spaces collapsed.",
        ),
        (
            "written_text",
            "str | None",
            "None",
            "The text as written where a <sub alias> changed spoken_text, else None (13521).",
        ),
    ),
}

_EXTRAS: dict[str, str] = {
    "Play": '''
    @property
    def url(self) -> str:
        """The media URL (the element's text; empty when only `digits` are sent)."""
        return self.text
''',
    "Redirect": '''
    @property
    def url(self) -> str:
        """The URL to fetch next (the element's text; may be relative)."""
        return self.text
''',
    "Dial": '''
    @property
    def number(self) -> str | None:
        """The bare number written as the Dial's text, or None when nouns are used."""
        return self.text or None

    @property
    def nouns(self) -> tuple[Node, ...]:
        """The noun children (Number, Client, Sip, ...), without skipped unknown elements."""
        return tuple(child for child in self.children if not isinstance(child, Unknown))
''',
    "Client": '''
    @property
    def identity(self) -> str:
        """The client identity: the text, or the text of a nested <Identity>."""
        if self.text:
            return self.text
        for child in self.children:
            if isinstance(child, Identity):
                return child.text
        return ""
''',
    "Sip": '''
    @property
    def uri(self) -> str:
        """The SIP URI: the text, or the text of the first nested <Uri>."""
        if self.text:
            return self.text
        for child in self.children:
            if isinstance(child, SipUri):
                return child.text
        return ""
''',
}


def annotation(attr: Attr) -> str:
    """The field annotation for one attribute."""
    if attr.default is None and attr.default_from is None:
        return f"{attr.kind.annotation} | None"
    return attr.kind.annotation


def default(element: Element, attr: Attr) -> object:
    """The dataclass default for one attribute (`default_from` follows the other attribute)."""
    if attr.default_from is not None:
        other = element.attr(attr.default_from)
        assert other is not None
        return other.default
    return attr.default


def render_init(fields: tuple[tuple[str, str, str], ...]) -> str:
    """The `__init__` dataclass would generate for a frozen, keyword-only class of `fields`
    (name, annotation, default as source), written out so that importing runs no `exec`."""
    params = "".join(f"        {name}: {kind} = {value},\n" for name, kind, value in fields)
    body = []
    for name, _kind, value in fields:
        given = name
        if value == "_FACTORY":
            given = f"_no_attributes() if {name} is _FACTORY else {name}"
        body.append(f"        _set_field(self, {name!r}, {given})\n")
    return (
        "\n    def __init__(\n        self,\n        *,\n"
        + params
        + "    ) -> None:\n"
        + "".join(body)
    )


def render_class(element: Element) -> str:
    """The source of one node class."""
    lines = [
        "",
        "",
        "@frozen_value_class",
        f"class {element.name}(Node):",
        f'    """<{element.tag}>: {element.doc}"""',
        "",
        f"    tag: ClassVar[str] = {element.tag!r}",
    ]
    fields = list(_BASE_FIELDS)
    for attr in element.attrs:
        kind, value = annotation(attr), repr(default(element, attr))
        lines.append(f"    {attr.field_name}: {kind} = {value}")
        fields.append((attr.field_name, kind, value))
    for name, kind, value, doc in _EXTRA_FIELDS.get(element.name, ()):
        lines += ["", f"    {name}: {kind} = {value}", f'    """{doc}"""']
        fields.append((name, kind, value))
    source = "\n".join(lines) + "\n" + render_init(tuple(fields))
    return source + _EXTRAS.get(element.name, "")


def render() -> str:
    """The full source of nodes.py (before formatting)."""
    names = "".join(f'    "{name}",\n' for name in ELEMENTS)
    body = "".join(render_class(element) for element in ELEMENTS.values())
    table = "".join(f"    {name!r}: {name},\n" for name in ELEMENTS)
    header = _HEADER.format(
        all_names=names,
        node_init=render_init(_BASE_FIELDS),
        unknown_init=render_init((*_BASE_FIELDS, ("tag_name", "str", '""'))),
    )
    return (
        header
        + body
        + "\n\nNODE_CLASSES: Mapping[str, type[Node]] = {\n"
        + table
        + "}\n"
        + '"""Every node class, keyed by class name (the schema\'s element names)."""\n'
        + "\nmark_frozen(Node, Unknown, *NODE_CLASSES.values())\n"
    )


if __name__ == "__main__":  # pragma: no cover - the regeneration command
    print(render(), end="")

"""A far-end script written as the line that makes it: ``sim.phone("+1...").presses("1")``.

``twimlsim call --phone LINE`` takes the line a test would write (and the line
``twimlsim.strategies`` prints for a failing caller), so a call can be tried from the
command line with the same script. The line is parsed, never run: only a chain of
``Phone`` methods with literal arguments is accepted.
"""

from __future__ import annotations

import ast
import difflib
from dataclasses import dataclass
from typing import Any

from .engine.caller import Phone

__all__ = ["PhoneScript", "parse_phone_script"]

_EXAMPLE = 'sim.phone("+15551230000").answers(after=2).hangs_up(after=30)'


@dataclass(frozen=True, slots=True)
class PhoneScript:
    """A number and the steps of its far end, each a ``Phone`` method and its arguments."""

    number: str
    steps: tuple[tuple[str, tuple[Any, ...], dict[str, Any]], ...]

    def apply(self, phone: Phone) -> Phone:
        """Give ``phone`` these steps, in order."""
        for name, args, kwargs in self.steps:
            getattr(phone, name)(*args, **kwargs)
        return phone


#: The most opening brackets a script line may hold: each step is one call, so about as
#: many steps. Python's own parser gives up somewhere past it, at a depth that differs from
#: one Python version to the next (3.11 at about 1,200 chained steps, 3.13 far later).
_MAX_BRACKETS = 1000


def parse_phone_script(text: str) -> PhoneScript:
    """Parse ``sim.phone(NUMBER).step(...)...``; ``ValueError`` says what is wrong."""
    too_deep = ValueError(
        f"the far-end script of {len(text):,} characters nests too deep to read; script "
        "at most a few hundred steps in one line"
    )
    if sum(text.count(bracket) for bracket in "([{") > _MAX_BRACKETS:
        raise too_deep
    try:
        node = ast.parse(text.strip(), mode="eval").body
    except SyntaxError:
        raise ValueError(f"{text!r} is not a far-end script; write it as {_EXAMPLE}") from None
    except (RecursionError, MemoryError):  # brackets nested too deep for this Python
        raise too_deep from None
    steps: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        name = node.func.attr
        args, kwargs = _literals(node, text)
        inner = node.func.value
        if name == "phone" and isinstance(inner, ast.Name) and inner.id == "sim":
            if len(args) != 1 or kwargs or not isinstance(args[0], str):
                raise ValueError(
                    f"sim.phone() takes the number as a string, in {text!r}; write it as {_EXAMPLE}"
                )
            _check_steps(steps, text, args[0])
            return PhoneScript(args[0], tuple(reversed(steps)))
        steps.append((name, args, kwargs))
        node = inner
    bare = _bare_step(node)
    if bare is not None:
        raise ValueError(
            f"in {text!r}: the step {bare!r} has no brackets; each step is a call, such as "
            ".answers(after=2) or .busy()"
        )
    raise ValueError(f"{text!r} does not start with sim.phone(NUMBER); write it as {_EXAMPLE}")


def _bare_step(node: ast.expr) -> str | None:
    """The name of a step written without its call (``sim.phone("+1...").busy``), which
    would otherwise be told the line does not start with ``sim.phone``, or None."""
    if not isinstance(node, ast.Attribute):
        return None
    inner = node.value
    while isinstance(inner, (ast.Attribute, ast.Call)):
        if isinstance(inner, ast.Attribute):
            inner = inner.value
            continue
        func = inner.func
        if (
            isinstance(func, ast.Attribute)
            and func.attr == "phone"
            and isinstance(func.value, ast.Name)
            and func.value.id == "sim"
        ):
            return node.attr
        inner = func
    return None


def _literals(call: ast.Call, text: str) -> tuple[tuple[Any, ...], dict[str, Any]]:
    refused = ValueError(
        f"the steps of {text!r} take literal values only, their keywords written out (after=2)"
    )
    if any(key.arg is None for key in call.keywords):  # **{...}: its keywords would be lost
        raise refused
    names = [str(key.arg) for key in call.keywords]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:  # Python refuses the line (a SyntaxError); one of the values would be lost
        raise ValueError(
            f"in {text!r}: the keyword {repeated[0]}= is given twice in one step; give it once"
        )
    try:
        args = tuple(ast.literal_eval(arg) for arg in call.args)
        kwargs = {str(key.arg): ast.literal_eval(key.value) for key in call.keywords}
    except (ValueError, TypeError, RecursionError, MemoryError):
        raise refused from None
    return args, kwargs


def _check_steps(
    steps: list[tuple[str, tuple[Any, ...], dict[str, Any]]], text: str, number: object
) -> None:
    known = sorted(
        name
        for name in dir(Phone)
        if not name.startswith(("_", "take_", "next_"))
        and name not in {"unused", "steps"}
        and callable(getattr(Phone, name))
    )
    for name, args, kwargs in steps:
        if name not in known:
            near = difflib.get_close_matches(name, known, n=1)
            guess = f" (did you mean {near[0]}?)" if near else ""
            raise ValueError(
                f"unknown far-end step {name!r} in {text!r}{guess}; one of {', '.join(known)}"
            )
        try:  # the phone's own checks, on a scratch phone, so that mistakes show here
            getattr(Phone(str(number)), name)(*args, **kwargs)
        except (TypeError, ValueError) as error:
            raise ValueError(f"in {text!r}: {error}") from None

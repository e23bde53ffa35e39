"""IVR path coverage: across a test session, which TwiML documents were served, which
``<Gather>`` choices were made, which ``<Dial>`` outcomes were reached, and which verbs of
the served documents never ran.

What it can know: only what the app served while the tests ran. A document is known once
some call fetched it; a menu's choices are known from its prompt (a ``<Say>`` inside the
``<Gather>`` that says "press 2" or "2 for ..."); an outcome is known once it happened.
What it cannot know: branches the app never served (code paths behind a choice no test
made are invisible unless a prompt announces them), choices a prompt does not announce,
and anything about the app's source. Documents are told apart by URL (query string aside)
and by their verbs, so one URL that serves different TwiML shows once per variant.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urljoin, urlsplit

from .engine import events
from .engine.interpreter import APPLICATION_ERROR_MESSAGE
from .engine.session import SimCall
from .engine.trace import ServedDocument, VerbRun
from .twiml import nodes

__all__ = ["Coverage", "announced_choices"]

_E = TypeVar("_E", bound=events.Event)

#: "press 2", "dial 0", "enter #": a key a prompt asks for.
_PRESS = re.compile(r"\b(?:press|dial|enter|push)\s+(?:the\s+)?([0-9*#])(?![0-9])", re.I)
#: "2 for support": a key a prompt lists.
_FOR = re.compile(r"(?:^|\s)([0-9*#])\s+for\b", re.I)
#: ", 2 to speak to us", "or 3 to leave a message": a key listed after a "press 1 to ...".
_LISTED = re.compile(r"(?:,|\bor\b|\band\b)\s*([0-9*#])\s+to\b", re.I)
_CLAUSES = re.compile(r"[.;!?]")

NOTE = (
    "Seen from the TwiML the app served: a branch no test reached is named only when a "
    "served prompt announces it ('press 2', '2 for ...', 'press 1 to ..., 2 to ...') or a "
    "served verb never ran."
)


def announced_choices(gather: nodes.Gather) -> dict[str, str]:
    """The keys the ``<Gather>``'s prompts announce, each with the clause announcing it."""
    found: dict[str, str] = {}
    for node in _walk(gather):
        if not isinstance(node, nodes.Say):
            continue
        for clause in _CLAUSES.split(node.text):
            clause = clause.strip()
            for pattern in (_PRESS, _FOR):
                for match in pattern.finditer(clause):
                    found.setdefault(match.group(1), clause)
            if _PRESS.search(clause):  # "press 1 to confirm, 2 to ..., or 3 to ..."
                for match in _LISTED.finditer(clause):
                    found.setdefault(match.group(1), clause)
    return dict(sorted(found.items()))


def _walk(node: nodes.Node) -> Iterable[nodes.Node]:
    for child in node.children:
        yield child
        yield from _walk(child)


@dataclass
class _Document:
    served: int = 0
    runs: Counter[int] = field(default_factory=Counter)
    verbs: tuple[str, ...] = ()


@dataclass
class _Gather:
    action: str
    announced: dict[str, str]
    pressed: Counter[str] = field(default_factory=Counter)


@dataclass
class _Dial:
    targets: str
    action: str | None
    outcomes: Counter[str] = field(default_factory=Counter)


class Coverage:
    """Collects what the session's calls ran; ``table()`` prints it."""

    def __init__(self) -> None:
        self.calls = 0
        self._documents: dict[tuple[str, tuple[str, ...]], _Document] = {}
        self._gathers: dict[tuple[str, int], _Gather] = {}
        self._dials: dict[tuple[str, int], _Dial] = {}

    def add(self, calls: Iterable[SimCall]) -> None:
        """Count the documents, choices and outcomes of ``calls`` (ended or not)."""
        for call in calls:
            self.calls += 1
            for served in call.served:
                self._document(served).served += 1
            for run in call.verb_runs:
                self._run(call, run)

    def _document(self, served: ServedDocument) -> _Document:
        verbs = tuple(f"{verb.tag}:{verb.line}" for verb in served.verbs)
        key = (_document_name(served), verbs)
        found = self._documents.get(key)
        if found is None:
            found = self._documents[key] = _Document(verbs=verbs)
        return found

    def _run(self, call: SimCall, run: VerbRun) -> None:
        self._document(run.served).runs[run.index] += 1
        verb = run.verb
        where = (_document_name(run.served), run.index)
        base = run.served.url
        if isinstance(verb, nodes.Gather):
            gather = self._gathers.get(where)
            if gather is None:
                action = _resolve(base, verb.action) or base
                gather = _Gather(_name(action), announced_choices(verb))
                self._gathers[where] = gather
            for event in _during(call, run, events.Gathered):
                gather.pressed[_choice(event)] += 1
        elif isinstance(verb, nodes.Dial):
            dial = self._dials.get(where)
            if dial is None:
                action = _resolve(base, verb.action)
                targets = verb.number or ", ".join(
                    f"<{child.tag}>{child.text}" for child in verb.children
                )
                dial = self._dials[where] = _Dial(targets, _name(action) if action else None)
            for dialed in _during(call, run, events.Dialed):
                dial.outcomes[dialed.status] += 1

    # -- output --------------------------------------------------------------------------

    def table(self) -> str:
        """The coverage as a short plain-text table."""
        lines = [f"{self.calls} call legs; {NOTE}", ""]
        rows: list[tuple[str, ...]] = [("document [verbs]", "served", "verbs never run")]
        for (name, verbs), document in sorted(self._documents.items()):
            never = [
                _verb_name(verb, index)
                for index, verb in enumerate(document.verbs)
                if document.runs[index] == 0
            ]
            tags = " ".join(verb.partition(":")[0] for verb in verbs)
            rows.append((f"{name} [{tags}]", str(document.served), ", ".join(never) or "-"))
        lines += _columns(rows)
        if self._gathers:
            lines.append("")
            rows = [("menu (Gather) -> action", "choices made", "announced, never made")]
            for (name, index), gather in sorted(self._gathers.items()):
                never = [
                    f"{key} ({clause!r})"
                    for key, clause in gather.announced.items()
                    if gather.pressed[key] == 0
                ]
                rows.append(
                    (
                        f"{name} #{index + 1} -> {gather.action}",
                        _counted(gather.pressed),
                        ", ".join(never) or "-",
                    )
                )
            lines += _columns(rows)
        if self._dials:
            lines.append("")
            rows = [("Dial -> action", "outcomes")]
            for (name, index), dial in sorted(self._dials.items()):
                action = f" -> {dial.action}" if dial.action else ""
                rows.append(
                    (f"{name} #{index + 1} {dial.targets}{action}", _counted(dial.outcomes))
                )
            lines += _columns(rows)
        return "\n".join(lines)

    # -- between processes (pytest-xdist workers) ----------------------------------------

    def to_data(self) -> dict[str, Any]:
        """The counts as plain lists and dicts (what a pytest-xdist worker sends)."""
        return {
            "calls": self.calls,
            "documents": [
                [name, list(verbs), doc.served, dict(doc.runs)]
                for (name, verbs), doc in self._documents.items()
            ],
            "gathers": [
                [name, index, gather.action, gather.announced, dict(gather.pressed)]
                for (name, index), gather in self._gathers.items()
            ],
            "dials": [
                [name, index, dial.targets, dial.action, dict(dial.outcomes)]
                for (name, index), dial in self._dials.items()
            ],
        }

    def merge(self, data: dict[str, Any]) -> None:
        """Add the counts of ``to_data()`` made by another process."""
        self.calls += data["calls"]
        for name, verbs, served, runs in data["documents"]:
            key = (name, tuple(verbs))
            document = self._documents.setdefault(key, _Document(verbs=tuple(verbs)))
            document.served += served
            document.runs.update({int(index): count for index, count in runs.items()})
        for name, index, action, announced, pressed in data["gathers"]:
            gather = self._gathers.setdefault((name, index), _Gather(action, dict(announced)))
            gather.pressed.update(pressed)
        for name, index, targets, action, outcomes in data["dials"]:
            dial = self._dials.setdefault((name, index), _Dial(targets, action))
            dial.outcomes.update(outcomes)

    def write(self, folder: Path | str) -> Path:
        """Write the table into ``folder`` as ``coverage.html`` (and ``coverage.txt``)."""
        target = Path(folder)
        target.mkdir(parents=True, exist_ok=True)
        text = self.table()
        (target / "coverage.txt").write_text(text + "\n", encoding="utf-8")
        page = target / "coverage.html"
        page.write_text(
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            "<title>twimlsim IVR coverage</title></head><body><h1>twimlsim IVR coverage</h1>"
            f"<pre>{html.escape(text)}</pre></body></html>\n",
            encoding="utf-8",
        )
        return page


def _during(call: SimCall, run: VerbRun, kind: type[_E]) -> list[_E]:
    """The events of ``kind`` the run produced."""
    produced = call.transcript[run.events_from : run.events_to]
    return [event for event in produced if isinstance(event, kind)]


def _resolve(base: str | None, url: str | None) -> str | None:
    if url is None:
        return None
    return urljoin(base, url) if base else url


def _choice(event: events.Gathered) -> str:
    if event.digits:
        return event.digits
    return f"said {event.speech!r}" if event.speech else "no input"


def _document_name(served: ServedDocument) -> str:
    """The document's name in the table: its path, or what it is when it has no URL."""
    if served.url is None and _is_application_error(served.verbs):
        return "(Twilio's application-error message)"
    return _name(served.url)


def _is_application_error(verbs: Sequence[nodes.Node]) -> bool:
    """Whether these are the verbs Twilio plays when the app gave no usable TwiML."""
    return (
        len(verbs) == 2
        and isinstance(verbs[0], nodes.Say)
        and verbs[0].spoken_text == APPLICATION_ERROR_MESSAGE
        and isinstance(verbs[1], nodes.Hangup)
    )


def _name(url: str | None) -> str:
    if url is None:
        return "(inline TwiML)"
    parts = urlsplit(url)
    return parts.path or url


def _verb_name(verb: str, index: int) -> str:
    tag, _, line = verb.partition(":")
    return f"#{index + 1} <{tag}> line {line}"


#: How many different choices or outcomes a cell lists before it says how many more.
SHOWN = 8


def _counted(counter: Counter[str]) -> str:
    items = sorted(counter.items())
    shown = ", ".join(f"{key} x{count}" for key, count in items[:SHOWN])
    if len(items) > SHOWN:
        shown += f", and {len(items) - SHOWN} more"
    return shown or "none"


def _columns(rows: Sequence[tuple[str, ...]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows]

"""Assertions that read like the call: which requests the app got, what the far end heard,
how many webhooks of a kind.

Each helper takes a *source*: a ``SimCall`` (its webhooks), a ``Simulator`` (every webhook
of every call), a ``SimConference`` (the room's status callbacks), or any list of requests
(``call.api_requests`` and ``sim.api_requests``, the app's own REST requests, work the same
way). On a mismatch it raises ``AssertionError`` with a short aligned table of expected
against received, naming the nearest request for each expectation nothing matched, then the
requests it had.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING, Any, Union
from urllib.parse import urlsplit

from .arguments import check_flag, describe, shown
from .engine.conferences import SimConference
from .engine.session import SimCall
from .engine.webhooks import WebhookRequest
from .model.api_log import ApiRequest

if TYPE_CHECKING:
    from .simulator import Simulator

__all__ = ["Match", "assert_heard", "assert_requests", "assert_webhook_count"]

AnyRequest = WebhookRequest | ApiRequest
Source = Union[SimCall, SimConference, "Simulator", Iterable[AnyRequest]]
#: What a parameter may be expected to be: its exact value, a pattern it must match whole,
#: or (for a repeated REST parameter such as ``StatusCallbackEvent``) every value in order.
Expected = str | re.Pattern[str] | Sequence[str]

#: How many received requests a failure lists before it says how many more there were.
LISTED = 30


class Match:
    """An expected request: its ``kind`` (``voice``, ``gather``, ``status``...; for REST
    requests ``calls.create``...), its ``path`` (the query string is ignored; a full
    ``https://host/path`` also checks the host; ``*`` is a wildcard in both), its ``method``
    and a subset of its parameters by wire name, given as keywords or as ``params``.

    A parameter's expected value is a string (equal), a compiled pattern (``fullmatch``)
    or, for a repeated REST parameter, a list of every value. Anything left as None is not
    checked: ``Match("status", CallStatus="completed")``.
    """

    __slots__ = ("kind", "method", "params", "path")

    def __init__(
        self,
        kind: str | None = None,
        path: str | None = None,
        *,
        method: str | None = None,
        params: Mapping[str, Expected] | None = None,
        **more_params: Expected,
    ) -> None:
        for name, value in (("kind", kind), ("path", path), ("method", method)):
            if value is not None and not isinstance(value, str):
                raise TypeError(
                    f"Match(...): {name} must be a string (or None: not checked), such as "
                    f"{_EXAMPLES[name]}; got {value!r} ({type(value).__name__})"
                )
        self.kind = kind
        self.path = path
        self.method = method.upper() if method is not None else None
        if params is not None and not isinstance(params, Mapping):
            raise TypeError(
                "Match(...): params must be a dict of parameter names to their expected "
                f"values, such as params={{'Digits': '1'}}; got {shown(params)} "
                f"({type(params).__name__})"
            )
        self.params: dict[str, Expected] = {**(params or {}), **more_params}
        for name, expected in self.params.items():
            _check_expected(name, expected)

    def __repr__(self) -> str:
        return f"Match({describe_match(self)})"

    def matches(self, request: AnyRequest) -> bool:
        """Whether ``request`` is what this expects."""
        return not self.differences(request)

    def differences(self, request: AnyRequest) -> list[str]:
        """How ``request`` differs from what this expects, one phrase each (empty: none)."""
        found: list[str] = []
        if self.kind is not None and not fnmatchcase(request.kind, self.kind):
            found.append(f"kind: expected {self.kind!r}, got {request.kind!r}")
        if self.method is not None and request.method != self.method:
            found.append(f"method: expected {self.method}, got {request.method}")
        if self.path is not None:
            where = _where(request.url, full="://" in self.path)
            if not fnmatchcase(where, self.path):
                found.append(f"path: expected {self.path!r}, got {where!r}")
        for name, expected in self.params.items():
            problem = _param_problem(request, name, expected)
            if problem is not None:
                found.append(problem)
        return found

    def score(self, request: AnyRequest) -> tuple[int, int, int, int]:
        """How near ``request`` comes (kind first, then path, method and parameters)."""
        kind = self.kind is None or fnmatchcase(request.kind, self.kind)
        path = self.path is None or fnmatchcase(
            _where(request.url, full="://" in self.path), self.path
        )
        method = self.method is None or request.method == self.method
        params = sum(
            _param_problem(request, name, value) is None for name, value in self.params.items()
        )
        return int(kind), int(path), int(method), params


_EXAMPLES = {"kind": "'gather'", "path": "'/menu'", "method": "'POST'"}


def _check_expected(name: str, expected: object) -> None:
    """A parameter's expectation: a string, a compiled pattern, or a list of strings."""
    if isinstance(expected, str | re.Pattern):
        return
    if isinstance(expected, list | tuple) and all(isinstance(v, str) for v in expected):
        return
    raise TypeError(
        f"Match(...): {name} must be a string, a compiled pattern or a list of strings "
        f"(Twilio sends every parameter as text), such as {name}={str(expected)!r}; got "
        f"{expected!r} ({type(expected).__name__})"
    )


def _where(url: str, *, full: bool) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}" if full else parts.path


def _param_problem(request: AnyRequest, name: str, expected: Expected) -> str | None:
    if isinstance(expected, str | re.Pattern):
        got = request.params.get(name)
        if got is None:
            return f"{name}: expected {_show(expected)}, missing"
        ok = expected == got if isinstance(expected, str) else expected.fullmatch(got)
        return None if ok else f"{name}: expected {_show(expected)}, got {got!r}"
    values = request.values(name) if isinstance(request, ApiRequest) else _all(request, name)
    wanted = list(expected)
    return None if values == wanted else f"{name}: expected {wanted!r}, got {values!r}"


def _all(request: WebhookRequest, name: str) -> list[str]:
    value = request.params.get(name)
    return [] if value is None else [value]


def _show(expected: str | re.Pattern[str]) -> str:
    return repr(expected) if isinstance(expected, str) else f"/{expected.pattern}/"


def describe_match(match: Match) -> str:
    """One line for an expectation: kind, method, path and the parameters it names."""
    parts = [match.kind or "*"]
    if match.method is not None:
        parts.append(match.method)
    parts.append(match.path or "*")
    parts += [f"{name}={_expected_text(value)}" for name, value in match.params.items()]
    return " ".join(parts)


def _expected_text(value: Expected) -> str:
    if isinstance(value, str | re.Pattern):
        return _show(value)
    return repr(list(value))


# -- sources -------------------------------------------------------------------------------


def _requests_of(source: Source) -> tuple[list[AnyRequest], str]:
    """The requests of ``source`` and the words that say whose they are."""
    if isinstance(source, SimCall):
        return list(source.requests), f" on call {source.sid}"
    if isinstance(source, SimConference):
        return list(source.requests), f" on conference {source.friendly_name!r} {source.sid}"
    if isinstance(source, Iterable):
        requests = list(source)
        wrong = [r for r in requests if not isinstance(r, WebhookRequest | ApiRequest)]
        if not wrong:
            return requests, ""
        raise TypeError(
            f"the source holds {wrong[0]!r}, not a request: give a call (sim.calls[sid]), "
            "a conference room (sim.conferences[name]), "
            "the simulator, or a list of its requests (call.requests, sim.api_requests)"
        )
    requests_of = getattr(source, "requests", None)
    if isinstance(requests_of, list):
        return list(requests_of), ""
    raise TypeError(
        f"the source must be a call (sim.calls[sid]), a conference room "
        f"(sim.conferences[name]), the simulator, or a list of requests "
        f"(call.requests, sim.api_requests); got {source!r} ({type(source).__name__})"
    )


def _named(expected: Sequence[Match], request: AnyRequest) -> list[str]:
    """The parameters the expectations of ``request``'s kind name (shown in a failure)."""
    names: dict[str, None] = {}
    for match in expected:
        if match.kind is None or fnmatchcase(request.kind, match.kind):
            names.update(dict.fromkeys(match.params))
    return list(names)


# -- the helpers ---------------------------------------------------------------------------


def assert_requests(
    source: Source,
    expected: Sequence[Match | str | tuple[Any, ...]],
    *,
    ordered: bool = True,
    complete: bool = False,
) -> list[AnyRequest]:
    """Assert that ``source`` received a request matching each of ``expected``.

    Each expectation is a ``Match``, a kind (``"status"``) or a tuple of ``Match``'s
    positional arguments (``("gather", "/menu")``). Each takes a different request;
    ``ordered`` (the default) wants them in the order given, other requests in between
    allowed; ``complete`` also fails on any request no expectation took. Returns the
    matched requests, in the order of ``expected``.
    """
    __tracebackhide__ = True
    check_flag("assert_requests()", "ordered", ordered)
    check_flag("assert_requests()", "complete", complete)
    if isinstance(expected, str | Match) or not isinstance(expected, Iterable):
        example = repr([expected]) if isinstance(expected, str | Match) else "['voice']"
        raise TypeError(
            f"assert_requests() takes a list of expectations, got {expected!r}: write "
            f"assert_requests(call, {example})"
        )
    if isinstance(expected, Mapping):
        raise TypeError(
            f"assert_requests() takes a list of expectations, got {describe(expected)}, "
            "whose keys would be read as kinds: write "
            "assert_requests(call, ['voice'])"
        )
    if ordered and isinstance(expected, AbstractSet):
        raise TypeError(
            "assert_requests() checks the expectations in the order given, and a set has "
            "none (its order changes from run to run): give a list, or ordered=False"
        )
    matches = [_as_match(item) for item in expected]
    requests, whose = _requests_of(source)
    taken: dict[int, int] = {}  # expectation index -> request index
    used: set[int] = set()
    cursor = 0
    for index, match in enumerate(matches):
        candidates = range(cursor, len(requests)) if ordered else range(len(requests))
        found = next((i for i in candidates if i not in used and match.matches(requests[i])), None)
        if found is not None:
            taken[index] = found
            used.add(found)
            if ordered:
                cursor = found + 1
    extras = [i for i in range(len(requests)) if i not in used] if complete else []
    if len(taken) == len(matches) and not extras:
        return [requests[taken[i]] for i in range(len(matches))]
    missing = len(matches) - len(taken)
    how = " (in order)" if ordered else ""
    if missing:
        head = f"{missing} of {len(matches)} expected requests not received{how}{whose}"
    else:
        head = f"{len(extras)} requests received that no expectation names{how}{whose}"
    if missing and extras:
        head += f"; {len(extras)} received that no expectation names"
    raise AssertionError(_request_report(head, matches, requests, taken, used, extras))


def _as_match(item: Match | str | tuple[Any, ...]) -> Match:
    if isinstance(item, Match):
        return item
    if isinstance(item, str):
        return Match(item)
    if isinstance(item, tuple):
        return Match(*item)
    raise TypeError(
        f"an expectation is a Match, a kind ('voice') or a tuple of Match's arguments "
        f"(('gather', '/menu')); got {item!r} ({type(item).__name__})"
    )


def _request_report(
    head: str,
    matches: list[Match],
    requests: list[AnyRequest],
    taken: dict[int, int],
    used: set[int],
    extras: list[int],
) -> str:
    signs: list[str] = []
    lefts: list[list[str]] = []
    rights: list[list[str]] = []
    for index, match in enumerate(matches):
        lefts.append(_match_fields(match))
        if index in taken:
            i = taken[index]
            signs.append(" ")
            rights.append(_request_fields(i, requests[i], match.params))
            continue
        signs.append("-")
        rights.append(_nearest(match, requests, used))
    for i in extras:
        signs.append("+")
        lefts.append([])
        rights.append(_request_fields(i, requests[i], _named(matches, requests[i])))
    left_text = _align([["expected"], *lefts])
    right_text = _align(rights)
    width = max(len(text) for text in left_text)
    lines = [head, f"  {left_text[0]:<{width}}  received".rstrip()]
    lines += [
        f"{sign} {left:<{width}}  {right}".rstrip()
        for sign, left, right in zip(signs, left_text[1:], right_text, strict=True)
    ]
    missed = dict.fromkeys(
        matches[index].kind for index in range(len(matches)) if index not in taken
    )
    notes = [_kind_note(kind, requests) for kind in missed if kind is not None]
    lines += [f"{note[0].upper()}{note[1:]}" for note in notes if note is not None]
    lines.append(f"Received ({len(requests)}):")
    lines += _listed(
        _align([_request_fields(i, r, _named(matches, r)) for i, r in enumerate(requests)])
    )
    return "\n".join(lines)


def _kind_note(kind: str, requests: Sequence[AnyRequest]) -> str | None:
    """Why no request can match ``kind`` when none has it: a near kind, the kinds received,
    and for ``status`` that Twilio sends status callbacks only where one was asked for.
    None when a request has the kind."""
    kinds = list(dict.fromkeys(request.kind for request in requests))
    if any(fnmatchcase(received, kind) for received in kinds):
        return None
    near = difflib.get_close_matches(kind, kinds, n=1)
    if near:
        return f"no request has the kind {kind!r}; did you mean {near[0]!r}?"
    received = ", ".join(repr(received) for received in kinds) or "none"
    note = f"no request has the kind {kind!r}; the kinds received: {received}"
    if kind == "status":
        note += (
            "; Twilio sends a call's status callbacks only to the StatusCallback it was given: "
            "calls.create(status_callback=...), or sim.number(..., status_callback=...) for "
            "calls to the number"
        )
    return note


def _match_fields(match: Match) -> list[str]:
    path = match.path or "*"
    return [
        match.kind or "*",
        f"{match.method} {path}" if match.method is not None else path,
        " ".join(f"{name}={_expected_text(value)}" for name, value in match.params.items()),
    ]


def _request_fields(index: int, request: AnyRequest, names: Iterable[str]) -> list[str]:
    return [
        f"#{index + 1}",
        request.kind,
        request.method,
        _where(request.url, full=False),
        " ".join(f"{name}={request.params[name]!r}" for name in names if name in request.params),
    ]


def _align(rows: list[list[str]]) -> list[str]:
    """Each row's fields joined by spaces, every field as wide as the widest in its column
    (a row's last field is not padded)."""
    widths: list[int] = []
    for row in rows:
        for column, field in enumerate(row[:-1]):
            if column == len(widths):
                widths.append(0)
            widths[column] = max(widths[column], len(field))
    aligned = []
    for row in rows:
        cells = [field.ljust(widths[column]) for column, field in enumerate(row[:-1])]
        aligned.append(" ".join([*cells, *row[-1:]]).rstrip())
    return aligned


def _nearest(match: Match, requests: list[AnyRequest], used: set[int]) -> list[str]:
    free = [i for i in range(len(requests)) if i not in used]
    if not free:
        return ["nothing left to match" if requests else "nothing received"]
    best = max(free, key=lambda i: (match.score(requests[i]), -i))
    why = "; ".join(match.differences(requests[best])) or "out of order"
    fields = _request_fields(best, requests[best], match.params)
    return [*fields[:-1], f"{fields[-1]} <- nearest ({why})".lstrip()]


def _listed(lines: list[str]) -> list[str]:
    shown = [f"  {line}" for line in lines[:LISTED]]
    if len(lines) > LISTED:
        shown.append(f"  ... and {len(lines) - LISTED} more")
    return shown


def assert_heard(source: SimCall, *expected: str | re.Pattern[str], ordered: bool = True) -> None:
    """Assert that the far end heard each of ``expected`` (``<Say>`` texts, in order
    unless ``ordered=False``): a string equals a whole text, a compiled pattern is searched
    for in one."""
    __tracebackhide__ = True
    if not isinstance(source, SimCall):
        raise TypeError(
            f"assert_heard() takes a call (sim.calls[sid]), got {source!r} "
            f"({type(source).__name__})"
        )
    if not expected:
        raise TypeError(
            f"assert_heard() names no text to check on call {source.sid}, so it can never "
            "fail: give the texts the far end must hear, assert_heard(call, 'Welcome.')"
        )
    wrong = [want for want in expected if not isinstance(want, str | re.Pattern)]
    if wrong:
        raise TypeError(
            f"assert_heard() takes texts (strings) or compiled patterns; got {wrong[0]!r} "
            f"({type(wrong[0]).__name__})"
        )
    check_flag("assert_heard()", "ordered", ordered)
    heard = source.said
    taken: dict[int, int] = {}
    cursor = 0
    for index, want in enumerate(expected):
        candidates = range(cursor, len(heard)) if ordered else range(len(heard))
        found = next(
            (i for i in candidates if i not in taken.values() and _heard(want, heard[i])), None
        )
        if found is not None:
            taken[index] = found
            if ordered:
                cursor = found + 1
    if len(taken) == len(expected):
        return
    how = " (in order)" if ordered else ""
    head = (
        f"{len(expected) - len(taken)} of {len(expected)} expected phrases not heard{how} "
        f"on call {source.sid}"
    )
    rows: list[tuple[str, str, str]] = []
    for index, want in enumerate(expected):
        shown = _show(want)
        if index in taken:
            rows.append((" ", shown, f"#{taken[index] + 1} {heard[taken[index]]!r}"))
        else:
            rows.append(("-", shown, _nearest_text(want, heard)))
    width = max(len("expected"), *(len(left) for _, left, _ in rows))
    lines = [head, f"  {'expected':<{width}}  heard"]
    lines += [f"{sign} {left:<{width}}  {right}".rstrip() for sign, left, right in rows]
    lines.append(f"Heard ({len(heard)}):")
    lines += _listed([f"#{i + 1} {text!r}" for i, text in enumerate(heard)])
    raise AssertionError("\n".join(lines))


def _heard(want: str | re.Pattern[str], text: str) -> bool:
    return want == text if isinstance(want, str) else want.search(text) is not None


def _nearest_text(want: str | re.Pattern[str], heard: Sequence[str]) -> str:
    if not heard:
        return "nothing heard"
    if isinstance(want, str) and want:
        holding = next((i for i, text in enumerate(heard) if want in text), None)
        if holding is not None:  # a part of a <Say>: the usual slip, say how to match it
            pattern = f"re.compile({want!r})"
            if re.escape(want) != want.replace(" ", "\\ "):
                pattern = f"re.compile(re.escape({want!r}))"
            return (
                f"nearest: #{holding + 1} {heard[holding]!r} (it holds the text, and a text "
                f"equals a whole <Say>: {pattern} searches for a part)"
            )
    target = want if isinstance(want, str) else want.pattern
    best = max(
        range(len(heard)),
        key=lambda i: (difflib.SequenceMatcher(None, target, heard[i]).ratio(), -i),
    )
    return f"nearest: #{best + 1} {heard[best]!r}"


def assert_webhook_count(
    source: Source, kind: str, count: int, *, path: str | None = None
) -> list[AnyRequest]:
    """Assert that ``source`` received exactly ``count`` requests of ``kind`` (to ``path``
    when given, the query string aside); return them."""
    __tracebackhide__ = True
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise TypeError(
            f"assert_webhook_count() takes the count as a whole number, 0 or more; got "
            f"{count!r} ({type(count).__name__})"
        )
    match = Match(kind, path)
    requests, whose = _requests_of(source)
    found = [(i, request) for i, request in enumerate(requests) if match.matches(request)]
    if len(found) == count:
        return [request for _, request in found]
    what = f"{kind!r} requests" + (f" to {path}" if path is not None else "")
    lines = [f"expected {count} {what}{whose}, received {len(found)}"]
    note = _kind_note(kind, requests)
    if note is not None:
        lines[0] += f" ({note})"
    if found:
        lines += _listed(_align([_request_fields(i, r, ()) for i, r in found]))
    else:
        lines.append(f"Received ({len(requests)}):")
        lines += _listed(_align([_request_fields(i, r, ()) for i, r in enumerate(requests)]))
    raise AssertionError("\n".join(lines))

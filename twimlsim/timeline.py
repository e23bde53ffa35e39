"""Timeline pages: one self-contained HTML file per test (or per ``twimlsim call``) with an
SVG of its calls on virtual time.

Each call leg is a lane (dialled legs under the leg that dialled them). A lane has three
rows: the top-level TwiML verbs as spans of virtual time (under them, a thin bar: ringing,
then in progress), what happened (what was said, the keys pressed, the hang-up...), and
every webhook with the status code the app answered. A conference room that sent status
callbacks (about the room, so on no call's lane) gets a lane of its own under the calls:
what happened in the room, then its callbacks with the app's status codes. Below the
picture, each call's transcript and webhooks as text (``format_call``), then each room's
callbacks (``format_conference``). The page has no script and loads
nothing: it opens from disk, offline, in any browser; hovering a mark shows its details.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .engine import events
from .engine.session import SimCall
from .engine.trace import VerbRun
from .engine.webhooks import WebhookRequest
from .report import format_call, format_conference, rooms_with_callbacks

if TYPE_CHECKING:
    from .engine.conferences import SimConference

__all__ = ["render_page", "render_svg", "write_page"]

WIDTH = 1100
LEFT = 200  # the lane titles
RIGHT = 24
TOP = 34  # the time axis
FONT = 11
#: A monospace glyph is 0.6em wide; a little more keeps estimates on the safe side.
CHAR = FONT * 0.62
ROW = 17
SPAN_HEIGHT = 20
LANE_GAP = 14
LABEL_CHARS = 44

_VERB_COLOURS = {
    "Say": "#4e79a7",
    "Play": "#76b7b2",
    "Pause": "#bab0ac",
    "Gather": "#f28e2b",
    "Record": "#e15759",
    "Dial": "#59a14f",
    "Redirect": "#b07aa1",
    "Hangup": "#9c755f",
    "Enqueue": "#edc948",
}
_DEFAULT_COLOUR = "#8c8c8c"

#: Virtual time to an x coordinate.
_Scale = Callable[[datetime], float]


@dataclass(frozen=True, slots=True)
class _Mark:
    """A point on a row: its time, its one-line label, its details, its colour."""

    at: datetime
    label: str
    title: str
    colour: str


def write_page(
    path: Path | str,
    calls: Iterable[SimCall],
    *,
    title: str,
    conferences: Iterable[SimConference] = (),
    problems: Sequence[str] = (),
) -> Path:
    """Write the timeline page of ``calls`` (and of the ``conferences`` rooms that sent
    status callbacks) to ``path`` (folders created); return it. ``problems`` (why a test
    failed, what Twilio would log) head the page."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    page = render_page(calls, title=title, conferences=conferences, problems=problems)
    target.write_text(page, encoding="utf-8")
    return target


def render_page(
    calls: Iterable[SimCall],
    *,
    title: str,
    conferences: Iterable[SimConference] = (),
    problems: Sequence[str] = (),
) -> str:
    """The HTML page: the ``problems`` (each a text, shown as written), the SVG timeline,
    then each call's transcript and webhooks, then the status callbacks of each of the
    ``conferences`` rooms that sent any."""
    ordered = _lanes(list(calls))
    rooms = rooms_with_callbacks(conferences)
    texts = "\n".join(
        [
            f"<section><h2>{html.escape(call.sid)}</h2><pre>{html.escape(format_call(call))}"
            "</pre></section>"
            for call in ordered
        ]
        + [
            f"<section><h2>{html.escape(room.sid)}</h2>"
            f"<pre>{html.escape(format_conference(room))}</pre></section>"
            for room in rooms
        ]
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{html.escape(title)} - twimlsim timeline</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 16px; color: #222; }}
h1 {{ font-size: 18px; }} h2 {{ font-size: 14px; font-family: monospace; }}
pre {{ font-size: 12px; background: #f6f6f6; padding: 8px; overflow-x: auto; }}
.problems pre {{ white-space: pre-wrap; background: #fdecea; }}
svg.timeline {{ display: block; max-width: 100%; height: auto; }}
svg.timeline text {{ font-family: monospace; font-size: {FONT}px; }}
</style>
</head>
<body>
<h1>{html.escape(title)}</h1>
{_problems_section(problems)}<p>Virtual time runs left to right, in seconds from the first
call's creation. Each lane is a call leg: TwiML verbs as spans, then what happened, then the
webhooks with the app's status codes{_ROOM_LANES if rooms else ""}. Hover a mark for its
details.</p>
{render_svg(ordered, rooms)}
{texts}
</body>
</html>
"""


def _problems_section(problems: Sequence[str]) -> str:
    """What went wrong, above the timeline: the reader opened the page to learn why."""
    if not problems:
        return ""
    items = "\n".join(f"<pre>{html.escape(problem)}</pre>" for problem in problems)
    return f'<section class="problems"><h2>What went wrong</h2>\n{items}\n</section>\n'


#: How the page's introduction goes on when it has conference lanes.
_ROOM_LANES = (
    "; under the calls, a lane for each conference room that sent status callbacks: what "
    "happened in the room, then its callbacks"
)


def render_svg(calls: Sequence[SimCall], conferences: Iterable[SimConference] = ()) -> str:
    """The SVG timeline of ``calls`` (one lane each, in the order given), then a lane for
    each of the ``conferences`` rooms that sent status callbacks."""
    lanes = _lanes(list(calls))
    rooms = rooms_with_callbacks(conferences)
    if not lanes and not rooms:
        return '<svg class="timeline" xmlns="http://www.w3.org/2000/svg" width="0" height="0"/>'
    origin = min(
        [call.record.created_at for call in lanes] + [_room_moments(room)[0] for room in rooms]
    )
    end = max([_last_moment(call) for call in lanes] + [_room_moments(room)[-1] for room in rooms])
    total = max((end - origin).total_seconds(), 1.0)
    plot = WIDTH - LEFT - RIGHT
    scale = plot / total

    def x(moment: datetime) -> float:
        return LEFT + (moment - origin).total_seconds() * scale

    parts: list[str] = []
    y = TOP
    for call in lanes:
        lane, height = _lane(call, y, x)
        parts.append(lane)
        y += height + LANE_GAP
    for room in rooms:
        lane, height = _room_lane(room, y, x)
        parts.append(lane)
        y += height + LANE_GAP
    height = y
    axis = _axis(total, scale, height)
    label = f"{len(lanes)} call legs" + (f" and {len(rooms)} conference rooms" if rooms else "")
    return (
        f'<svg class="timeline" xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" '
        f'height="{height}" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="timeline of {label}">'
        f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#fff"/>'
        f"{axis}{''.join(parts)}</svg>"
    )


def _lanes(calls: list[SimCall]) -> list[SimCall]:
    """Calls in lane order: each root in creation order, its dialled legs under it."""
    known = {call.sid for call in calls}
    ordered: list[SimCall] = []

    def visit(call: SimCall) -> None:
        ordered.append(call)
        for child in call.children:
            if child.sid in known:
                visit(child)

    for call in calls:
        if call.parent is None or call.parent.sid not in known:
            visit(call)
    return ordered


def _last_moment(call: SimCall) -> datetime:
    moments = [call.record.created_at]
    moments += [event.at for event in call.transcript]
    moments += [request.at for request in call.requests]
    moments += [run.ended or run.started for run in call.verb_runs]
    if call.record.end_time is not None:
        moments.append(call.record.end_time)
    return max(moments)


def _axis(total: float, scale: float, height: int) -> str:
    step = _tick_step(total)
    parts = []
    ticks = int(total // step)
    for index in range(ticks + 1):
        seconds = index * step
        tick_x = LEFT + seconds * scale
        label = _seconds_label(seconds)
        anchor = "end" if tick_x + len(label) * CHAR / 2 > WIDTH - 2 else "middle"
        parts.append(
            f'<line class="tick" x1="{tick_x:.1f}" y1="{TOP - 8}" x2="{tick_x:.1f}" '
            f'y2="{height - 4}" stroke="#e4e4e4"/>'
            f'<text class="axis" x="{tick_x:.1f}" y="{TOP - 12}" text-anchor="{anchor}" '
            f'fill="#666">{label}</text>'
        )
    return f'<g class="axis">{"".join(parts)}</g>'


def _tick_step(total: float) -> float:
    """A round step giving at most about ten ticks."""
    for step in (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600):
        if total / step <= 10:
            return float(step)
    return float(math.ceil(total / 10 / 3600) * 3600)


def _seconds_label(seconds: float) -> str:
    whole = int(seconds)
    if whole < 60:
        return f"{whole}s"
    minutes, secs = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes}m{secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"


def _lane(call: SimCall, top: int, x: _Scale) -> tuple[str, int]:
    """One call's lane at ``top``: its SVG and its height."""
    parts = [_title(call, top)]
    last = _last_moment(call)
    depths = _depths(call.verb_runs, last)
    for run, depth in zip(call.verb_runs, depths, strict=True):
        span_y = top + depth * (SPAN_HEIGHT + 2)
        ended = run.ended or last
        left = x(run.started)
        width = max(x(ended) - left, 3.0)
        colour = _VERB_COLOURS.get(run.tag, _DEFAULT_COLOUR)
        where = run.served.url or "inline TwiML"
        seconds = (ended - run.started).total_seconds()
        tip = f"<{run.tag}> line {run.verb.line} of {where}: {seconds:g}s"
        parts.append(
            f'<g class="verb"><title>{html.escape(tip)}</title>'
            f'<rect class="span verb-{run.tag}" x="{left:.1f}" y="{span_y}" '
            f'width="{width:.1f}" height="{SPAN_HEIGHT}" rx="3" fill="{colour}"/>'
        )
        label = _fit(run.tag, width - 6)
        if label:
            parts.append(
                f'<text class="span-label" x="{left + 3:.1f}" y="{span_y + 14}" '
                f'fill="#fff">{html.escape(label)}</text>'
            )
        parts.append("</g>")
    bar_y = top + (max(depths, default=0) + 1) * (SPAN_HEIGHT + 2) + 1
    parts += _status_bar(call, bar_y, x)
    y = _event_and_webhook_rows(parts, _event_marks(call), call.requests, bar_y + 8, x)
    return _lane_group(f'class="lane" data-call="{call.sid}"', parts, top, y)


def _depths(runs: Sequence[VerbRun], last: datetime) -> list[int]:
    """How deep each run is nested: a verb that starts while another still runs (a queue's
    wait document inside its ``<Enqueue>``) is drawn on the row under it."""
    open_ends: list[datetime] = []
    depths = []
    for run in runs:
        while open_ends and open_ends[-1] <= run.started:
            open_ends.pop()
        depths.append(len(open_ends))
        open_ends.append(run.ended or last)
    return depths


def _title(call: SimCall, top: int) -> str:
    record = call.record
    return _title_group(
        [
            call.sid,
            f"{record.from_} > {record.to}",
            f"{record.direction.value} {call.status}"
            + (f" {call.duration}s" if call.duration is not None else ""),
        ],
        top,
    )


def _title_group(lines: list[str], top: int) -> str:
    """A lane's title at ``top``: ``lines`` in the left margin (the first, its SID, darker),
    each clipped to the margin, and whole in the tooltip."""
    width = int((LEFT - 12) / CHAR)
    texts = "".join(
        f'<text class="lane-title" x="6" y="{top + 12 + index * 14}" '
        f'fill="{"#222" if index == 0 else "#555"}">{html.escape(_clip(line, width))}</text>'
        for index, line in enumerate(lines)
    )
    return f"<g><title>{html.escape(' | '.join(lines))}</title>{texts}</g>"


def _status_bar(call: SimCall, y: int, x: _Scale) -> list[str]:
    record = call.record
    start = record.start_time or record.created_at
    answered = record.answered_at
    end = record.end_time or _last_moment(call)
    parts = []
    ring_end = answered or end
    if ring_end > start:
        parts.append(
            f'<rect class="state ringing" x="{x(start):.1f}" y="{y}" '
            f'width="{max(x(ring_end) - x(start), 1.0):.1f}" height="4" fill="#d9d9d9">'
            "<title>ringing</title></rect>"
        )
    if answered is not None and end >= answered:
        parts.append(
            f'<rect class="state in-progress" x="{x(answered):.1f}" y="{y}" '
            f'width="{max(x(end) - x(answered), 1.0):.1f}" height="4" fill="#555">'
            "<title>in progress</title></rect>"
        )
    return parts


def _event_marks(call: SimCall) -> list[_Mark]:
    marks = []
    for event in call.transcript:
        described = _describe(event)
        if described is None:
            continue
        label, colour = described
        marks.append(_Mark(event.at, label, f"{event.at:%H:%M:%S} {label}", colour))
    return marks


def _describe(event: events.Event) -> tuple[str, str] | None:
    """An event's label and colour, or None for those the verb spans already show."""
    match event:
        case events.Said(text=text):
            return f"said: {text}", "#4e79a7"
        case events.Gathered(ignored_speech=str(ignored)):
            return f"no input: ignored the speech {ignored!r} (keys only)", "#f28e2b"
        case events.Gathered(ignored_digits=ignored) if ignored:
            return f"no input: ignored the keys {ignored!r} (speech only)", "#f28e2b"
        case events.Gathered(digits=digits, speech=speech):
            if speech:
                return f"caller said: {speech}", "#f28e2b"
            return (f"pressed {digits}" if digits else "no input"), "#f28e2b"
        case events.Played(url=url, digits=digits):
            return (f"sent digits {digits}" if digits else f"played {url}"), "#76b7b2"
        case events.DigitsSent(digits=digits):
            return f"sent digits {digits}", "#76b7b2"
        case events.Recorded(seconds=seconds, ended_by=ended_by):
            return f"recorded {seconds}s ({ended_by})", "#e15759"
        case events.Dialed(status=status, targets=targets):
            return f"dial {', '.join(targets)}: {status}", "#59a14f"
        case events.Invited(to=to):
            return f"invited {to}", "#59a14f"
        case events.Answered():
            return "answered", "#333"
        case events.HungUp(by=by, status=status):
            return f"ended ({by}): {status}", "#333"
        case events.WebhookFailed(code=code, url=url):
            return f"error {code} {url}", "#d62728"
        case events.Enqueued(queue=queue, position=position):
            return f"queued in {queue} at {position}", "#edc948"
        case events.Dequeued(queue=queue):
            return f"taken from {queue}", "#edc948"
        case events.LeftQueue(queue="", result=result):  # a nameless <Enqueue>
            return f"joined no queue: {result}", "#edc948"
        case events.LeftQueue(queue=queue, result=result):
            return f"left {queue}: {result}", "#edc948"
        case events.JoinedConference(name=name):
            return f"joined {name}", "#59a14f"
        case events.LeftConference(name=name, how=how):
            return f"left {name}: {how}", "#59a14f"
        case events.StreamConnected(url=url):
            return f"stream {url}", "#59a14f"
        case events.StreamClosed():
            return "stream closed", "#59a14f"
        case events.StreamStarted(url=url):
            return f"streaming to {url}", "#59a14f"
        case events.StreamStopped():
            return "stream stopped", "#59a14f"
        case events.PaymentInput(for_=step, entered=entered, error=error):
            return f"pay {step}: {entered or 'nothing'}" + (
                f" ({error})" if error else ""
            ), "#f28e2b"
        case events.PaymentEnded(result=result):
            return f"pay: {result}", "#f28e2b"
        case events.Redirected():
            return None
    return type(event).__name__.lower(), _DEFAULT_COLOUR


def _room_moments(room: SimConference) -> list[datetime]:
    """Every moment of the room's lane, in order: its events and its callbacks."""
    return sorted(
        [room.record.created_at]
        + [item.at for item in room.timeline]
        + [request.at for request in room.requests]
    )


def _room_lane(room: SimConference, top: int, x: _Scale) -> tuple[str, int]:
    """A conference room's lane at ``top`` (what happened in it, then its status
    callbacks): its SVG and its height."""
    parts = [_title_group([room.sid, f"conference {room.friendly_name}", room.status], top)]
    happened = [
        _Mark(
            item.at,
            item.event,
            f"{item.at:%H:%M:%S} {item.event}" + (f" ({item.call_sid})" if item.call_sid else ""),
            "#59a14f",
        )
        for item in room.timeline
    ]
    y = _event_and_webhook_rows(parts, happened, room.requests, top + 4, x)
    return _lane_group(f'class="lane conference" data-conference="{room.sid}"', parts, top, y)


def _event_and_webhook_rows(
    parts: list[str], events: list[_Mark], requests: Iterable[WebhookRequest], top: int, x: _Scale
) -> int:
    """Append to ``parts`` a lane's rows of ``events`` from ``top`` down, then its rows of
    ``requests`` (the webhooks); return where they end."""
    event_rows, event_svg = _row(events, top, x, "event")
    parts.append(event_svg)
    y = top + event_rows * ROW + 4
    hook_rows, hook_svg = _row(_webhook_marks(requests), y, x, "webhook")
    parts.append(hook_svg)
    return y + hook_rows * ROW


def _lane_group(attributes: str, parts: list[str], top: int, bottom: int) -> tuple[str, int]:
    """A lane's group (its ``parts`` from ``top`` down to ``bottom``, at least three rows
    high) with the rule under it, and its height."""
    height = max(bottom - top, 3 * ROW + 8)
    rule_y = top + height + LANE_GAP / 2
    return (
        f'<g {attributes}><line x1="0" y1="{rule_y:.1f}" x2="{WIDTH}" y2="{rule_y:.1f}" '
        f'stroke="#ddd"/>{"".join(parts)}</g>',
        height,
    )


def _webhook_marks(requests: Iterable[WebhookRequest]) -> list[_Mark]:
    marks = []
    for request in requests:
        status = request.response.status if request.response is not None else None
        shown = str(status) if status is not None else "no answer"
        ok = status is not None and status < 400
        marks.append(
            _Mark(
                request.at,
                f"{request.kind} {shown}",
                f"{request.at:%H:%M:%S} {request.kind} {request.method} {request.url} -> {shown}",
                "#2ca02c" if ok else "#d62728",
            )
        )
    return marks


def _row(marks: list[_Mark], top: int, x: _Scale, kind: str) -> tuple[int, str]:
    """Lay ``marks`` out on as many sub-rows as their labels need (none overlaps another);
    return the number of sub-rows and the SVG."""
    row_ends: list[float] = []
    parts = []
    for mark in marks:
        label = _clip(mark.label, LABEL_CHARS)
        mark_x = x(mark.at)
        width = len(label) * CHAR + 10
        left = mark_x
        if left + width > WIDTH - 2:  # near the right edge: the label ends at the mark
            left = mark_x - width
        left = max(left, float(LEFT))
        row = next((i for i, end in enumerate(row_ends) if end <= left), None)
        if row is None:
            row = len(row_ends)
            row_ends.append(0.0)
        row_ends[row] = left + width + 6
        y = top + row * ROW
        text_x = left + 8 if left == mark_x else left + 2
        parts.append(
            f'<g class="{kind}"><title>{html.escape(mark.title)}</title>'
            f'<circle class="mark" cx="{mark_x:.1f}" cy="{y + 6}" r="3.5" fill="{mark.colour}"/>'
            f'<text class="{kind}-label" x="{text_x:.1f}" y="{y + 10}" '
            f'fill="#333">{html.escape(label)}</text></g>'
        )
    return len(row_ends), "".join(parts)


def _fit(text: str, width: float) -> str:
    """``text``, shortened to fit ``width`` pixels, or empty when nothing fits."""
    chars = int(width // CHAR)
    if chars >= len(text):
        return text
    return text[: chars - 1] + "…" if chars >= 3 else ""


def _clip(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[: chars - 1] + "…"

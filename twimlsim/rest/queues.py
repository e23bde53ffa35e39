"""The Queues resource and its Members: call-centre dashboards and REST dequeues.

- Queues: create (``FriendlyName`` required, 1-64 characters; ``MaxSize`` 1-5000, default
  ``model.queue.DEFAULT_MAX_SIZE``), list (oldest first), fetch, update (``FriendlyName``,
  ``MaxSize``), delete (an empty queue only). ``current_size``, ``average_wait_time`` and
  ``max_size`` are JSON integers, computed at request time.
- Members: list (``queue_members``, front first), fetch by CallSid or ``Front``, and
  dequeue (``POST`` with ``Url``, ``Method``): the member's call leaves the queue at once
  and runs the TwiML at ``Url``, as a REST redirect of the call would (its ``<Enqueue>``
  action, if any, is requested with ``QueueResult=redirected`` and its TwiML not run).
  The answer is the member as it was when dequeued. ``position`` is 1 for the front;
  ``wait_time`` whole seconds.

A queue's name is its own within the account: Twilio's Queue REST page (docs/api/rest/queue,
an older edition; today's page names no rule) says "Each Queue needs to have a unique
friendly name within an account", the name ``<Enqueue>`` and ``<Dial><Queue>`` find it by.
Creating a queue with a name another queue of the account has, or renaming one to it, is
refused with 400/20002 "Invalid FriendlyName" (the code a choice: Twilio's answer is not
documented; its TaskRouter refuses a TaskQueue's name in use with a 400 too, code 20001
"Queue named ... already exists for workspace ...", as seen in nash-md/twilio-contact-center#23).

Fidelity choices (Twilio documents none of these): a missing
``FriendlyName`` is 400/20001 and a too long one 400/20002 "Invalid FriendlyName";
deleting a queue that still has members is 400/20409 (code invented); a ``Front`` of an
empty queue, or a member not in the queue, is 404/20404; a dequeue without ``Url`` (the
spec's required parameter) is 400/20001, as for any missing required parameter. A dequeue
by CallSid of a call not (or no longer) in the queue is 400, as Twilio's Member page says
of a second dequeue ("only the first request will succeed... A second request will fail
and return an appropriate 400 response code"); its code, 21220 (Twilio's "Invalid call
state"), is chosen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from werkzeug.wrappers import Response

from twimlsim.engine import control
from twimlsim.errors import TwilioApiError
from twimlsim.model.queue import Queue

from .paging import list_response
from .params import Param, apply_params, valid_url
from .render import found, json_response, missing_parameter, no_content, not_found
from .serialize import account_path, date

if TYPE_CHECKING:
    from .app import Context

__all__ = [
    "create",
    "delete",
    "dequeue_member",
    "fetch",
    "fetch_member",
    "list_members",
    "list_queues",
    "update",
]

#: Twilio's limits on a queue: name length, and the largest ``MaxSize``.
MAX_NAME = 64
MAX_QUEUE_SIZE = 5000

_MICROS = 1_000_000
_SIZE = (Param("MaxSize", "max_size", "int", low=1, high=MAX_QUEUE_SIZE),)
_METHOD = (Param("Method", "method", "method", 21209),)


def queue_json(ctx: Context, queue: Queue) -> dict[str, object]:
    """The Queue resource as Twilio returns it (numbers as JSON integers)."""
    return {
        "account_sid": queue.account_sid,
        "average_wait_time": queue.average_wait(ctx.engine.clock.micros),
        "current_size": queue.size,
        "date_created": date(queue.created_at),
        "date_updated": date(queue.updated_at or queue.created_at),
        "friendly_name": queue.name,
        "max_size": queue.max_size,
        "sid": queue.sid,
        "uri": f"{account_path(queue.account_sid)}/Queues/{queue.sid}.json",
    }


def member_json(ctx: Context, queue: Queue, call_sid: str) -> dict[str, object]:
    """One member of ``queue`` as Twilio returns it (``position`` 1 for the front)."""
    clock = ctx.engine.clock
    joined = queue.joined_at(call_sid)
    return {
        "queue_sid": queue.sid,
        "call_sid": call_sid,
        "date_enqueued": date(clock.at(joined)),
        "position": queue.position(call_sid),
        "uri": f"{account_path(queue.account_sid)}/Queues/{queue.sid}/Members/{call_sid}.json",
        "wait_time": (clock.micros - joined) // _MICROS,
    }


def _queue(ctx: Context, args: dict[str, str]) -> Queue:
    return found(ctx.account.queues_by_sid, args["queue_sid"], ctx.request.path)


def _name(ctx: Context, *, required: bool) -> str | None:
    name = ctx.form.get("FriendlyName")
    if not name:
        if required:
            raise missing_parameter("FriendlyName")
        return None
    if len(name) > MAX_NAME:
        raise TwilioApiError(
            400,
            20002,
            f"Invalid FriendlyName: a queue's FriendlyName must be 1 to {MAX_NAME} characters "
            f"long (got {len(name)})",
        )
    return name


def _check_unused(ctx: Context, name: str, queue: Queue | None = None) -> None:
    """400/20002 when another queue of the account than ``queue`` is called ``name``."""
    taken = next(
        (q for q in ctx.account.queues_by_sid.values() if q.name == name and q is not queue),
        None,
    )
    if taken is not None:
        raise TwilioApiError(
            400,
            20002,
            f"Invalid FriendlyName: queue {taken.sid} is already called {name!r}, and each "
            "queue of an account has a name of its own. Use that queue (GET /Queues.json "
            "lists them) or give this one another name",
        )


def create(ctx: Context, args: dict[str, str]) -> Response:
    """``POST /Queues.json``: a new, empty queue (201), named as no other queue is."""
    name = _name(ctx, required=True)
    assert name is not None
    _check_unused(ctx, name)
    size = apply_params(ctx.form, _SIZE).get("max_size")
    queue = Queue(ctx.engine.sids.new("QU"), ctx.account.sid, name, ctx.now)
    if isinstance(size, int):
        queue.max_size = size
    ctx.account.add_queue(queue)
    return json_response(queue_json(ctx, queue), 201)


def list_queues(ctx: Context, args: dict[str, str]) -> Response:
    """``GET /Queues.json``: every queue of the account, oldest first, paged."""
    return list_response(
        ctx,
        list(ctx.account.queues_by_sid.values()),
        "Queues.json",
        key="queues",
        render=lambda queue: queue_json(ctx, queue),
    )


def fetch(ctx: Context, args: dict[str, str]) -> Response:
    """``GET /Queues/{Sid}.json``."""
    return json_response(queue_json(ctx, _queue(ctx, args)), 200)


def update(ctx: Context, args: dict[str, str]) -> Response:
    """``POST /Queues/{Sid}.json``: rename it or change its ``MaxSize``."""
    queue = _queue(ctx, args)
    name = _name(ctx, required=False)
    if name is not None:
        _check_unused(ctx, name, queue)
    size = apply_params(ctx.form, _SIZE).get("max_size")
    if name is not None:
        ctx.account.rename_queue(queue, name)
    if isinstance(size, int):
        queue.max_size = size
    queue.updated_at = ctx.now
    return json_response(queue_json(ctx, queue), 200)


def delete(ctx: Context, args: dict[str, str]) -> Response:
    """``DELETE /Queues/{Sid}.json``: remove an empty queue (204)."""
    queue = _queue(ctx, args)
    if queue.size:
        raise TwilioApiError(
            400,
            20409,
            f"Queue {queue.sid} still has {queue.size} member(s); only an empty queue can be "
            "deleted. Dequeue or hang up its members first",
        )
    ctx.account.remove_queue(queue)
    return no_content()


def _member(ctx: Context, args: dict[str, str]) -> tuple[Queue, str]:
    queue = _queue(ctx, args)
    wanted = args["member"]
    call_sid = queue.front() if wanted == "Front" else wanted
    if call_sid is None or call_sid not in queue:
        raise not_found(ctx.request.path)
    return queue, call_sid


def list_members(ctx: Context, args: dict[str, str]) -> Response:
    """``GET /Queues/{Sid}/Members.json``: the callers waiting, front first, paged."""
    queue = _queue(ctx, args)
    members = [_Member(sid) for sid in queue.members]
    return list_response(
        ctx,
        members,
        f"Queues/{queue.sid}/Members.json",
        key="queue_members",
        render=lambda member: member_json(ctx, queue, member.sid),
    )


def fetch_member(ctx: Context, args: dict[str, str]) -> Response:
    """``GET /Queues/{Sid}/Members/{CallSid or Front}.json``."""
    queue, call_sid = _member(ctx, args)
    return json_response(member_json(ctx, queue, call_sid), 200)


def dequeue_member(ctx: Context, args: dict[str, str]) -> Response:
    """``POST /Queues/{Sid}/Members/{CallSid or Front}.json`` with ``Url``: the caller
    leaves the queue and runs the TwiML at ``Url``; a CallSid not in the queue is 400."""
    wanted = args["member"]
    if wanted != "Front":
        queue = _queue(ctx, args)
        if wanted not in queue:
            raise TwilioApiError(
                400,
                21220,
                f"Call {wanted} is not a member of queue {queue.sid}: it was dequeued, left "
                "or never joined it. Only the first dequeue of a member succeeds; list the "
                "queue's members (or dequeue Front) to find who is waiting",
            )
    queue, call_sid = _member(ctx, args)
    url = ctx.form.get("Url") or None
    if url is None:
        raise missing_parameter("Url", ": give the URL of the TwiML the member runs")
    if not valid_url(url):
        raise TwilioApiError(400, 21205, f"Url is not a valid URL: {url}")
    method = apply_params(ctx.form, _METHOD).get("method", "POST")
    body = member_json(ctx, queue, call_sid)
    engine = ctx.engine
    control.redirect(engine, engine.calls[call_sid], url=url, method=str(method), twiml=None)
    return json_response(body, 200)


class _Member:
    """A member as the pager sees it (keyed by its call SID)."""

    __slots__ = ("sid",)

    def __init__(self, sid: str) -> None:
        self.sid = sid

"""``POST /Calls/{Sid}/{Streams|Transcriptions}/{Sid or name}.json`` with
``Status=stopped``: the same update for both of a live call's stoppable resources."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from werkzeug.wrappers import Response

from .params import Param, apply_params
from .render import found, json_response, missing_parameter, not_found

if TYPE_CHECKING:
    from twimlsim.engine.services import Services
    from twimlsim.engine.session import SimCall

    from .app import Context

__all__ = ["stop_by_sid_or_name"]

_UPDATE_PARAMS: tuple[Param, ...] = (Param("Status", "status", "enum", choices=("stopped",)),)

T = TypeVar("T")


def stop_by_sid_or_name(
    ctx: Context,
    call_sid: str,
    sid_or_name: str,
    find: Callable[[SimCall, str], T | None],
    stop: Callable[[Services, SimCall, T], None],
    as_json: Callable[[T], dict[str, object]],
) -> Response:
    """Stop what ``find`` finds on the call (a 404 when nothing): ``Status=stopped`` is
    required (the spec's required parameter: 20001 without it); one already stopped is
    answered again, stopped."""
    record = found(ctx.account.calls, call_sid, ctx.request.path)
    call = ctx.engine.calls[record.sid]
    resource = find(call, sid_or_name)
    if resource is None:
        raise not_found(ctx.request.path)
    if apply_params(ctx.form, _UPDATE_PARAMS).get("status") is None:
        raise missing_parameter("Status", ": give stopped")
    stop(ctx.engine, call, resource)
    return json_response(as_json(resource), 200)

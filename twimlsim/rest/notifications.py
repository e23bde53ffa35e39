"""The Notifications resource (deprecated by Twilio for Alerts, still answered): the
errors and warnings Twilio logged while handling the account's calls, each a Twilio code.

``GET /Notifications.json`` lists the account's, ``GET /Calls/{CallSid}/Notifications.json``
one call's, both newest first and filtered by ``Log`` (``0`` errors, ``1`` warnings) and
``MessageDate`` (``=``, ``<``, ``>``, as the other date filters); ``GET .../{Sid}.json``
fetches one with the request Twilio made when it happened (``request_variables``,
``response_body``, ``response_headers``), which the list leaves out, as Twilio's page says.

Fidelity choices where the page is silent: a notification is each problem of
``sim.failures`` that has a Twilio code, on a call of the account (a problem twimlsim
reports without a code, such as a noun it does not simulate, is none); its SID is made
from its call's SID and its place among that call's notifications (stable over a run);
``message_text`` is form-encoded as in the spec's example: ``Msg`` (the problem's
message), ``ErrorCode``, ``LogLevel`` (``ERROR`` or ``WARN``) and, when it happened at a
URL, ``url``; the request is the call's last webhook to that URL at or before the
problem (``request_method`` null and the request fields empty when there is none, a
problem of the document's content at an inline ``Twiml`` for one).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from werkzeug.wrappers import Response

from twimlsim.engine.failure_log import FailureLog
from twimlsim.engine.webhooks import API_VERSION
from twimlsim.errors import TwilioApiError, more_info

from .date_filters import parse_date_filters
from .paging import list_response
from .render import found, json_response, not_found
from .serialize import account_path, date

if TYPE_CHECKING:
    from twimlsim.engine.engine import Engine
    from twimlsim.engine.webhooks import WebhookRequest
    from twimlsim.errors import CallFailure

    from .app import Context

__all__ = ["fetch", "fetch_for_call", "list_for_call", "list_notifications"]

_LOG_LEVELS = {"error": ("0", "ERROR"), "warning": ("1", "WARN")}


@dataclass(frozen=True, slots=True)
class _Notification:
    sid: str
    account_sid: str
    call_sid: str
    at: datetime
    failure: CallFailure
    request: WebhookRequest | None

    def json(self, *, full: bool, under_call: bool) -> dict[str, object]:
        code = self.failure.code
        assert code is not None
        log, level = _LOG_LEVELS.get(self.failure.level, _LOG_LEVELS["error"])
        text = [("Msg", self.failure.message), ("ErrorCode", str(code)), ("LogLevel", level)]
        if self.failure.url:
            text.append(("url", self.failure.url))
        parent = (
            f"{account_path(self.account_sid)}/Calls/{self.call_sid}"
            if under_call
            else account_path(self.account_sid)
        )
        request = self.request
        body: dict[str, object] = {
            "account_sid": self.account_sid,
            "api_version": API_VERSION,
            "call_sid": self.call_sid,
            "date_created": date(self.at),
            "date_updated": date(self.at),
            "error_code": str(code),
            "log": log,
            "message_date": date(self.at),
            "message_text": urlencode(text),
            "more_info": more_info(code),
            "request_method": request.method if request is not None else None,
            "request_url": request.url if request is not None else (self.failure.url or ""),
        }
        if full:
            answer = request.response if request is not None else None
            body["request_variables"] = urlencode(list(request.params.items())) if request else ""
            body["response_body"] = answer.text if answer is not None else ""
            body["response_headers"] = urlencode(list(answer.headers)) if answer else ""
        body["sid"] = self.sid
        body["uri"] = f"{parent}/Notifications/{self.sid}.json"
        return body


def _notifications(engine: Engine, account_sid: str, call_sid: str | None) -> list[_Notification]:
    """The account's notifications (one call's with ``call_sid``), newest first."""
    failures = engine.failures
    if not isinstance(failures, FailureLog):  # pragma: no cover - the engine's is one
        return []
    calls = engine.calls
    counts: dict[str, int] = {}
    made: list[_Notification] = []
    for failure, at in failures.timed():
        call = calls.get(failure.call_sid)
        if failure.code is None or call is None or call.record.account_sid != account_sid:
            continue
        ordinal = counts[failure.call_sid] = counts.get(failure.call_sid, 0) + 1
        if call_sid is not None and failure.call_sid != call_sid:
            continue
        digest = hashlib.sha256(f"{failure.call_sid}/{ordinal}".encode()).hexdigest()[:32]
        made.append(
            _Notification(
                f"NO{digest}",
                account_sid,
                call.sid,
                at,
                failure,
                _request(call.requests, failure, at),
            )
        )
    made.reverse()
    return made


def _request(
    requests: list[WebhookRequest], failure: CallFailure, at: datetime
) -> WebhookRequest | None:
    if not failure.url:
        return None
    for request in reversed(requests):
        if request.at <= at and request.url.split("?", 1)[0] == failure.url.split("?", 1)[0]:
            return request
    return None


def _filtered(ctx: Context, notifications: list[_Notification]) -> list[_Notification]:
    query = ctx.request.args
    dates = parse_date_filters(query, (("message_date", "MessageDate"),))
    log = query.get("Log")
    if log is not None and log.strip() not in ("0", "1"):
        raise TwilioApiError(400, 20422, f"Log is not valid: {log}. Use 0 (errors) or 1 (warnings)")
    wanted = None if log is None else log.strip()
    return [
        notification
        for notification in notifications
        if (wanted is None or _LOG_LEVELS.get(notification.failure.level, ("0",))[0] == wanted)
        and all(date_filter.matches(notification.at) for date_filter in dates)
    ]


def list_notifications(ctx: Context, args: dict[str, str]) -> Response:
    """``GET /Notifications.json``: the account's notifications, newest first."""
    notifications = _filtered(ctx, _notifications(ctx.engine, ctx.account.sid, None))
    return list_response(
        ctx,
        notifications,
        "Notifications.json",
        key="notifications",
        render=lambda item: item.json(full=False, under_call=False),
    )


def list_for_call(ctx: Context, args: dict[str, str]) -> Response:
    """``GET /Calls/{CallSid}/Notifications.json``: one call's notifications."""
    record = found(ctx.account.calls, args["call_sid"], ctx.request.path)
    notifications = _filtered(ctx, _notifications(ctx.engine, ctx.account.sid, record.sid))
    return list_response(
        ctx,
        notifications,
        f"Calls/{record.sid}/Notifications.json",
        key="notifications",
        render=lambda item: item.json(full=False, under_call=True),
    )


def fetch(ctx: Context, args: dict[str, str]) -> Response:
    """``GET /Notifications/{Sid}.json``: one notification with its request."""
    return _fetch(ctx, args, None)


def fetch_for_call(ctx: Context, args: dict[str, str]) -> Response:
    """``GET /Calls/{CallSid}/Notifications/{Sid}.json``: one of the call's notifications."""
    record = found(ctx.account.calls, args["call_sid"], ctx.request.path)
    return _fetch(ctx, args, record.sid)


def _fetch(ctx: Context, args: dict[str, str], call_sid: str | None) -> Response:
    for notification in _notifications(ctx.engine, ctx.account.sid, call_sid):
        if notification.sid == args["sid"]:
            body = notification.json(full=True, under_call=call_sid is not None)
            return json_response(body, 200)
    raise not_found(ctx.request.path)

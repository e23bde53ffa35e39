"""Turning one request to the fake REST API, and its answer, into an ``ApiRequest``."""

from __future__ import annotations

import json
import re
from datetime import datetime

from werkzeug.wrappers import Request, Response

from twimlsim.model.api_log import ApiRequest

from .params import parse_form

__all__ = ["ENDPOINT_KEY", "log_entry"]

#: Where ``RestApi`` leaves the endpoint it routed a request to (``calls.create``...).
ENDPOINT_KEY = "twimlsim.endpoint"
_CALL_IN_PATH = re.compile(r"/Calls/(CA[0-9a-fA-F]{32})")


def log_entry(request: Request, response: Response, at: datetime) -> ApiRequest:
    """The log entry of ``request`` answered with ``response`` at virtual time ``at``."""
    if request.method == "GET" or request.mimetype != "application/x-www-form-urlencoded":
        pairs = tuple(request.args.items(multi=True))
    else:
        pairs = tuple(parse_form(request.get_data()).items(multi=True))
    params: dict[str, str] = {}
    for name, value in pairs:
        params.setdefault(name, value)
    kind = str(request.environ.get(ENDPOINT_KEY, "unknown"))
    body = response.get_data()
    return ApiRequest(
        method=request.method,
        url=request.url,
        params=params,
        pairs=pairs,
        kind=kind,
        call_sid=_call_sid(request.path, kind, response.status_code, body),
        at=at,
        status=response.status_code,
        body=body,
    )


def _call_sid(path: str, kind: str, status: int, body: bytes) -> str | None:
    found = _CALL_IN_PATH.search(path)
    if found is not None:
        return found.group(1)
    if kind == "calls.create" and status == 201:
        try:
            sid = json.loads(body).get("sid")
        except (ValueError, AttributeError):
            return None
        return sid if isinstance(sid, str) else None
    return None

"""Turning one request to the fake REST API, and its answer, into an ``ApiRequest``."""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import quote

from werkzeug.wrappers import Request, Response

from twimlsim.model.api_log import ApiRequest

from .params import parse_form

__all__ = ["ENDPOINT_KEY", "log_entry"]

#: Where ``RestApi`` leaves the endpoint it routed a request to (``calls.create``...).
ENDPOINT_KEY = "twimlsim.endpoint"
_CALL_IN_PATH = re.compile(r"/(?:Calls|Participants)/(CA[0-9a-fA-F]{32})")
#: The created call's SID in the JSON the API answers a create with (no need to parse it):
#: ``sid`` of a Call, ``call_sid`` of a conference Participant.
_CREATED_SID = {
    "calls.create": re.compile(rb'"sid": "(CA[0-9a-fA-F]{32})"'),
    "participants.create": re.compile(rb'"call_sid": "(CA[0-9a-fA-F]{32})"'),
}


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
        url=_url(request),
        params=params,
        pairs=pairs,
        kind=kind,
        call_sid=_call_sid(request.path, kind, response.status_code, body),
        at=at,
        status=response.status_code,
        body=body,
    )


def _url(request: Request) -> str:
    """The URL requested, built from the environment (werkzeug's ``request.url`` converts
    it to an IRI, which costs more than the whole rest of the entry)."""
    environ = request.environ
    host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
    path = quote(
        environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", ""), safe="/:@!$&'()*+,;=-._~"
    )
    query = environ.get("QUERY_STRING", "")
    url = f"{environ.get('wsgi.url_scheme', 'https')}://{host}{path}"
    return f"{url}?{query}" if query else url


def _call_sid(path: str, kind: str, status: int, body: bytes) -> str | None:
    found = _CALL_IN_PATH.search(path)
    if found is not None:
        return found.group(1)
    pattern = _CREATED_SID.get(kind)
    if pattern is None or status != 201:
        return None
    created = pattern.search(body)
    return created.group(1).decode() if created is not None else None

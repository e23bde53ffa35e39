"""Turning one request to the fake REST API, and its answer, into an ``ApiRequest``."""

from __future__ import annotations

import dataclasses
import re
import sys
from collections.abc import Callable
from datetime import datetime
from urllib.parse import parse_qsl, quote

from werkzeug.wrappers import Request, Response

from twimlsim.engine.dates import rfc2822
from twimlsim.model.api_log import REBUILT, ApiRequest, BodyPacker, ParamPairs

from .audio import MediaResponse
from .params import parse_form
from .request_parts import FORM_TYPE

__all__ = ["ENDPOINT_KEY", "entry", "log_entry", "varying_values"]


#: Where ``RestApi`` leaves the endpoint it routed a request to (``calls.create``...).
ENDPOINT_KEY = "twimlsim.endpoint"
_CALL_IN_PATH = re.compile(r"/(?:Calls|Participants|Members)/(CA[0-9a-fA-F]{32})")
#: Requests about one queue member or room participant, which may name it otherwise than
#: by its call (``Members/Front``, a participant's label): the call is the ``call_sid`` of
#: the answer.
_ABOUT_ONE = frozenset(
    {"members.fetch", "members.dequeue", "participants.fetch", "participants.update"}
)
_ANSWERED_CALL = re.compile(rb'"call_sid": "(CA[0-9a-fA-F]{32})"')
#: The created call's SID in the JSON the API answers a create with (no need to parse it):
#: ``sid`` of a Call, ``call_sid`` of a conference Participant.
_CREATED_SID = {
    "calls.create": re.compile(rb'"sid": "(CA[0-9a-fA-F]{32})"'),
    "participants.create": re.compile(rb'"call_sid": "(CA[0-9a-fA-F]{32})"'),
}


def log_entry(
    request: Request,
    response: Response,
    at: datetime,
    packer: BodyPacker,
    shared_sid: Callable[[str], str],
) -> ApiRequest:
    """The log entry of ``request`` answered with ``response`` at virtual time ``at``.

    ``packer`` packs the answer's body; ``shared_sid`` gives the call's own copy of the
    SID the entry is about, when the call is known (one copy for the call and its log).
    """
    if request.method == "GET" or request.mimetype != FORM_TYPE:
        raw, parse = request.query_string, _query_pairs
    else:
        raw, parse = request.get_data(), _form_pairs
    media = response if isinstance(response, MediaResponse) else None
    logged = entry(
        method=request.method,
        url=_url(request),
        path=request.path,
        kind=str(request.environ.get(ENDPOINT_KEY, "unknown")),
        status=response.status_code,
        body=response.get_data() if media is None else b"",
        raw_params=raw,
        form=parse is _form_pairs,
        at=at,
        packer=packer,
        shared_sid=shared_sid,
    )
    if media is not None:  # the audio is built again when the entry's body is read
        return dataclasses.replace(logged, packed_body=REBUILT, dictionary=media.audio)
    return logged


def entry(
    *,
    method: str,
    url: str,
    path: str,
    kind: str,
    status: int,
    body: bytes,
    raw_params: bytes,
    form: bool,
    at: datetime,
    packer: BodyPacker,
    shared_sid: Callable[[str], str],
) -> ApiRequest:
    """The log entry of a request given by its parts: ``raw_params`` is the form body
    (``form``) or the query string; ``packer`` and ``shared_sid`` as for ``log_entry``."""
    call_sid = _call_sid(path, kind, status, body)
    if call_sid is not None:
        call_sid = shared_sid(call_sid)
    packed, dictionary = packer.pack(kind, body, _varying(call_sid, at))
    return ApiRequest(
        method=sys.intern(method),
        url=_shared(url),
        kind=kind,
        call_sid=call_sid,
        at=at,
        status=status,
        packed_body=packed,
        raw_params=_shared_bytes(raw_params),
        parse_params=_form_pairs if form else _query_pairs,
        dictionary=dictionary,
    )


#: Request bodies and query strings repeat (the same create, test after test): one copy of
#: each short one is kept for every entry that sent it.
_RAW_PARAMS: dict[bytes, bytes] = {}
_RAW_PARAMS_LIMIT = 1024
_RAW_PARAMS_SHORTER_THAN = 512


def _shared_bytes(raw: bytes) -> bytes:
    if len(raw) >= _RAW_PARAMS_SHORTER_THAN:
        return raw
    shared = _RAW_PARAMS.get(raw)
    if shared is None:
        if len(_RAW_PARAMS) >= _RAW_PARAMS_LIMIT:
            _RAW_PARAMS.clear()
        shared = _RAW_PARAMS[raw] = raw
    return shared


def _form_pairs(raw: bytes) -> ParamPairs:
    """A form body's pairs, as the API parsed them."""
    return tuple(parse_form(raw).items(multi=True))


def _query_pairs(raw: bytes) -> ParamPairs:
    """A query string's pairs, as werkzeug's ``request.args`` has them."""
    return tuple(parse_qsl(raw.decode(), keep_blank_values=True, errors="werkzeug.url_quote"))


def _shared(text: str) -> str:
    """``text``, one copy kept for the many entries with the same URL."""
    return sys.intern(text) if len(text) < 512 else text


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


def _varying(call_sid: str | None, at: datetime) -> tuple[bytes, ...]:
    """What varies between two answers to the same request: the call's SID and the time
    (the text of a new resource's dates)."""
    if call_sid is None:
        return ()
    return (call_sid.encode(), rfc2822(at).encode())


def varying_values(entry: ApiRequest) -> tuple[bytes, ...]:
    """The values of ``entry`` that vary from one request of its kind to the next, as its
    answer writes them (``BodyPacker``'s ``values_of``)."""
    return _varying(entry.call_sid, entry.at)


def _call_sid(path: str, kind: str, status: int, body: bytes) -> str | None:
    found = _CALL_IN_PATH.search(path)
    if found is not None:
        return found.group(1)
    if kind in _ABOUT_ONE:  # a member named Front, a participant by its label
        answered = _ANSWERED_CALL.search(body) if status == 200 else None
        return answered.group(1).decode() if answered is not None else None
    pattern = _CREATED_SID.get(kind)
    if pattern is None or status != 201:
        return None
    created = pattern.search(body)
    return created.group(1).decode() if created is not None else None

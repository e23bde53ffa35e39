"""requests' preparation of a twilio-python request, without the work that finds nothing.

Before each request the twilio client has its session prepare it
(``Session.prepare_request``): requests merges the session's cookies into three new cookie
jars and asks an empty one for a ``Cookie`` header, merges the session's headers, params,
auth and hooks through generic type checks, parses and re-quotes the URL, and encodes the
body. For a request the simulator answers, that costs about as much as the simulator's
whole answer to a ``calls.create``, and most of it finds nothing: the twilio client sends
no cookies, its session has none, and it asks for the same few URLs again and again.

While any simulator runs, ``prepare_request`` of a twilio-python request (its
``User-Agent``) for a Twilio URL takes requests' own steps with what would find nothing
left out, when nothing else is in play: a text method, no cookie on the request or the
session, no session auth or params, auth given as requests' basic-auth pair, a form body
(a ``dict``; not JSON, not files).

- The URL of a request without query parameters is prepared by requests' own
  ``prepare_url`` once per URL and kept (a pure function of the URL).
- The headers are merged as requests merges them (case, order and ``None`` removal
  included), each checked by requests' own validity check.
- The form body is encoded as requests' ``_encode_params`` encodes a dict, without its
  generic type checks.
- ``Content-Length``, ``Authorization`` and the hooks are requests' own steps.

The ``PreparedRequest`` is the very one requests would make, every attribute equal; the
cookie jar is a new empty one (requests' own has also been asked for a ``Cookie`` header,
which read the clock and found none). ``tests/transports/test_quick_preparation.py``
compares the two over generated requests. Any other request takes requests' own way.
Like ``direct_answers``, it is put in place only over requests' own method (not a test's
mock or a wrapper) and taken away when the last simulator stops; and it is taken only
while the ``PreparedRequest`` steps it leaves out or keeps (``prepare``, ``prepare_url``,
``prepare_headers``, ``prepare_cookies``, ``prepare_body``) are requests' own, so that a
test's spy or a library's wrapper on one of them sees it run.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlencode

import requests
import requests.sessions
import requests.utils
from requests.cookies import RequestsCookieJar
from requests.structures import CaseInsensitiveDict
from requests.utils import check_header_validity

from .session_methods import TWILIO_PYTHON, SessionMethodSwap, is_requests_own

__all__ = ["QuickPreparation"]

_Prepare = Callable[[requests.Session, requests.Request], requests.PreparedRequest]

#: Prepared URLs by the URL asked for (requests' ``prepare_url`` of it without params).
_prepared_urls: dict[str, str] = {}
#: Past this many URLs the kept ones are let go (a long run asks for many call SIDs).
_MOST_URLS_KEPT = 512

#: The steps of requests' ``PreparedRequest.prepare`` the quick preparation leaves out (or
#: keeps, as ``prepare_url``'s results): a wrapper on one of them takes requests' own way.
_LEFT_OUT_STEPS = ("prepare", "prepare_url", "prepare_headers", "prepare_cookies", "prepare_body")


def _own_steps() -> tuple[object, ...] | None:
    """Those steps as they are now, when each is requests' own function (not a mock, not a
    wrapper leaving ``__wrapped__``); else None."""
    steps = tuple(getattr(requests.PreparedRequest, name) for name in _LEFT_OUT_STEPS)
    for name, step in zip(_LEFT_OUT_STEPS, steps, strict=True):
        if not is_requests_own(step, name, "PreparedRequest", "requests.models"):
            return None
    return steps


#: requests' own steps, as they were when twimlsim was imported.
_OWN_STEPS = _own_steps()

# requests' own helpers (untyped in its stubs)
merge_hooks: Callable[[Any, Any], Any] = requests.sessions.merge_hooks
merge_setting: Callable[[Any, Any], Any] = requests.sessions.merge_setting
to_native_string: Callable[[Any], str] = requests.utils.to_native_string


class QuickPreparation(SessionMethodSwap):
    """Puts the quick ``prepare_request`` in place while any simulator runs (``started``
    and ``stopped`` are called as ``DirectAnswers``' are).

    ``is_twilio_url`` tells the URLs the simulator answers."""

    def __init__(self, running: list[Any], is_twilio_url: Callable[[str], object]) -> None:
        super().__init__("prepare_request", running)
        self._is_twilio_url = is_twilio_url

    def replacement(self, original: _Prepare) -> _Prepare:
        """The quick method, around requests' own ``original``."""
        running = self._running
        is_twilio_url = self._is_twilio_url

        def prepare_request(
            session: requests.Session, request: requests.Request
        ) -> requests.PreparedRequest:
            if not (running and _plain_twilio_request(session, request, is_twilio_url)):
                return original(session, request)
            return _prepared(session, request)

        return prepare_request


def _plain_twilio_request(
    session: requests.Session,
    request: requests.Request,
    is_twilio_url: Callable[[str], object],
) -> bool:
    """Whether ``request`` is twilio-python's, for a Twilio URL, with nothing in play that
    the quick preparation leaves out."""
    headers = request.headers
    auth = request.auth
    cookies = session.cookies
    return (
        type(request) is requests.Request
        # requests upper-cases it first: anything else is its own error there
        and type(request.method) is str
        and type(headers) is dict
        and str(headers.get("User-Agent", "")).startswith(TWILIO_PYTHON)
        and isinstance(request.url, str)
        and bool(is_twilio_url(request.url))
        and not request.cookies
        and not request.files
        and request.json is None
        # requests makes a request's missing data an empty list, its params an empty dict
        and (type(request.data) is dict or request.data == [])
        and type(request.params) is dict
        and type(auth) is tuple
        and len(auth) == 2
        and session.auth is None
        and not session.params
        # the jar's own dictionary: counting a jar walks it with a generator
        and type(cookies) is RequestsCookieJar
        and not cookies._cookies  # type: ignore[attr-defined]
        and isinstance(session.headers, Mapping)
        and _OWN_STEPS is not None
        and _steps_unchanged(_OWN_STEPS)
    )


def _steps_unchanged(own: tuple[object, ...]) -> bool:
    """Whether ``PreparedRequest``'s steps are still ``own`` (nothing patched over them)."""
    prepared = requests.PreparedRequest
    prepare, url, headers, cookies, body = own
    return (
        prepared.prepare is prepare
        and prepared.prepare_url is url
        and prepared.prepare_headers is headers
        and prepared.prepare_cookies is cookies
        and prepared.prepare_body is body
    )


def _prepared(session: requests.Session, request: requests.Request) -> requests.PreparedRequest:
    """requests' ``Session.prepare_request`` of a plain twilio-python request (see
    ``_plain_twilio_request``), step by step."""
    prepared = requests.PreparedRequest()
    prepared.prepare_method(request.method)
    params = request.params
    if params:  # a list's filters: requests' own merge and URL, every time
        prepared.prepare_url(request.url, merge_setting(params, session.params))
    else:
        prepared.url = _prepared_url(request.url)
    prepared.headers = _merged_headers(session.headers, request.headers)
    prepared._cookies = RequestsCookieJar()  # type: ignore[attr-defined]
    _prepare_form_body(prepared, request.data)
    prepared.prepare_auth(request.auth, request.url)
    prepared.prepare_hooks(merge_hooks(request.hooks, session.hooks))
    return prepared


def _prepare_form_body(
    prepared: requests.PreparedRequest, data: dict[str, Any] | list[Any]
) -> None:
    """requests' ``prepare_body`` of a form (``data`` a dict, or requests' empty list for
    none; no files, no JSON)."""
    if not data:
        prepared.prepare_content_length(None)
        prepared.body = None
        return
    body = _form(data)
    prepared.prepare_content_length(body)
    if "content-type" not in prepared.headers:
        prepared.headers["Content-Type"] = "application/x-www-form-urlencoded"
    prepared.body = body


def _form(data: Any) -> str:
    """requests' ``_encode_params`` of a dict: each value, or each item of an iterable
    value, that is not None, UTF-8 encoded where text, URL-encoded in order."""
    pairs: list[tuple[Any, Any]] = []
    for name, values in data.items():
        if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
            values = [values]
        key = name.encode("utf-8") if isinstance(name, str) else name
        for value in values:
            if value is not None:
                pairs.append((key, value.encode("utf-8") if isinstance(value, str) else value))
    return urlencode(pairs, doseq=True)


def _prepared_url(url: str) -> str:
    """requests' ``prepare_url`` of ``url`` without params, kept once made."""
    prepared = _prepared_urls.get(url)
    if prepared is None:
        preparing = requests.PreparedRequest()
        preparing.prepare_url(url, None)  # a bad URL raises requests' own error
        prepared = str(preparing.url)
        if len(_prepared_urls) >= _MOST_URLS_KEPT:
            _prepared_urls.clear()
        _prepared_urls[url] = prepared
    return prepared


def _merged_headers(
    session_headers: Mapping[str, Any], request_headers: Mapping[str, Any]
) -> CaseInsensitiveDict[Any]:
    """The session's headers updated with the request's, as requests merges and then
    prepares them: the session's order, a name's case as last written, a header whose
    value is None dropped, each checked as requests checks it."""
    merged: CaseInsensitiveDict[Any] = CaseInsensitiveDict(session_headers)
    merged.update(request_headers)
    prepared: CaseInsensitiveDict[Any] = CaseInsensitiveDict()
    for name, value in merged.items():
        if value is None:
            continue
        check_header_validity((name, value))
        prepared[to_native_string(name)] = value
    return prepared

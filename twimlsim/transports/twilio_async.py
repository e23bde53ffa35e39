"""Answer twilio's asynchronous client (``AsyncTwilioHttpClient``, aiohttp) with the fake API.

The sync client's transport is ``requests``, which ``responses`` intercepts; the async
client's is aiohttp. Rather than mock aiohttp (a dependency every user would carry), the
client's own seam is used: while a simulator runs, ``AsyncTwilioHttpClient.request`` sends
requests for Twilio's hosts to the fake API in process, with the same method, URL, query,
form body, headers and basic auth aiohttp would have sent, and returns twilio's own
``Response``; requests for any other host go to aiohttp as before. It logs and keeps
``_test_only_last_request``/``_test_only_last_response`` as the client does. A request
for which a running aioresponses mock has a response registered goes to aiohttp too, so
that the test's own stub answers it, and so does every request of a client whose aiohttp
session the test replaced with a mock (``mock.patch`` of the module's ``ClientSession``).

Nothing is imported until it is needed: the client's module (and so aiohttp) is patched
when it is already loaded, and otherwise at the moment it is first imported while the
simulator runs. Users who never use the async client pay nothing.
"""

from __future__ import annotations

import base64
import sys
from collections.abc import Mapping, Sequence
from types import ModuleType
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from .bodies import answer_bytes
from .import_watch import WhenImported
from .responses import TWILIO_URL, Answer

__all__ = ["ASYNC_CLIENT_MODULE", "AsyncClientInterceptor"]

ASYNC_CLIENT_MODULE = "twilio.http.async_http_client"

#: The patched ``request`` of each interceptor stopped while another lay on top of it, and
#: what it had replaced: it passes every request on until the one on top stops and the
#: chain is unwound past it.
_LEFT_IN_PLACE: dict[object, object] = {}


class AsyncClientInterceptor:
    """Routes ``AsyncTwilioHttpClient`` requests for Twilio's hosts to ``answer``."""

    def __init__(self, answer: Answer) -> None:
        self._answer = answer
        #: The patched class, its original ``request`` and the one put in its place.
        self._patched: tuple[type[Any], Any, Any] | None = None
        #: Set once stopped under another simulator's patch: every request then goes on to
        #: the original (a list, not an attribute, so the patch does not hold the
        #: interceptor: no reference cycle keeps a finished simulation alive).
        self._passing_on: list[bool] = []
        self._when_imported = WhenImported(ASYNC_CLIENT_MODULE)

    def start(self) -> None:
        """Patch the client now if its module is loaded, else when it is first imported."""
        self._when_imported.start(self._patch)

    def stop(self) -> None:
        """Restore the client and stop watching imports."""
        self._when_imported.stop()
        if self._patched is not None:
            cls, original, patched = self._patched
            if cls.request is patched:
                while original in _LEFT_IN_PLACE:  # stopped before this one, under it
                    original = _LEFT_IN_PLACE.pop(original)
                cls.request = original
            else:  # a simulator started since patched on top: pass its requests on
                self._passing_on.append(True)
                _LEFT_IN_PLACE[patched] = original
            self._patched = None

    def _patch(self, module: ModuleType) -> None:
        cls = getattr(module, "AsyncTwilioHttpClient", None)
        if cls is None or self._patched is not None:  # pragma: no cover - another twilio
            return
        original = cls.request
        answer = self._answer
        passing_on = self._passing_on

        async def request(
            client: Any,
            method: str,
            url: str,
            params: Mapping[str, object] | None = None,
            data: Mapping[str, object] | None = None,
            headers: Mapping[str, str] | None = None,
            auth: tuple[str, str] | None = None,
            timeout: float | None = None,
            allow_redirects: bool = False,
        ) -> Any:
            if passing_on or not TWILIO_URL.match(url) or _own_session(module, client):
                return await original(
                    client, method, url, params, data, headers, auth, timeout, allow_redirects
                )
            if timeout is not None and timeout <= 0:
                raise ValueError(timeout)  # as the client does
            from twilio.http.request import Request as TwilioRequest
            from twilio.http.response import Response as TwilioResponse

            kwargs = {
                "method": method.upper(),
                "url": url,
                "params": params,
                "data": data,
                "headers": headers,
                "auth": auth,
                "timeout": timeout,
                "allow_redirects": allow_redirects,
            }
            full_url, sent_headers, body = _wire_request(url, params, data, headers, auth)
            if _stubbed_by_aioresponses(method, full_url):  # the test's own stub wins
                return await original(
                    client, method, url, params, data, headers, auth, timeout, allow_redirects
                )
            client.log_request(kwargs)
            client._test_only_last_response = None
            client._test_only_last_request = TwilioRequest(**kwargs)
            status, answer_headers, content = answer(method.upper(), full_url, sent_headers, body)
            response = TwilioResponse(
                status, answer_bytes(content).decode("utf-8", "replace"), dict(answer_headers)
            )
            client.log_response(status, response)
            client._test_only_last_response = response
            return response

        cls.request = request
        self._patched = (cls, original, request)


def _own_session(module: ModuleType, client: Any) -> bool:
    """Whether the test replaced the client's aiohttp session with a mock of its own
    (``mock.patch("twilio.http.async_http_client.ClientSession")``, or a mock given to the
    client as its ``session``): that mock answers, as a patched sync client's does."""
    real = getattr(sys.modules.get("aiohttp.client"), "ClientSession", None)
    if real is None:  # pragma: no cover - the client's module imported aiohttp
        return False
    if getattr(module, "ClientSession", real) is not real:
        return True
    session = getattr(client, "session", None)
    if session is None:
        return False
    retry = getattr(sys.modules.get("aiohttp_retry"), "RetryClient", None)
    kinds = (real,) if retry is None else (real, retry)
    return not issubclass(type(session), kinds)


def _stubbed_by_aioresponses(method: str, url: str) -> bool:
    """Whether an aioresponses mock running now (it patches aiohttp's
    ``ClientSession._request``) has a response registered for this request: the test's own
    stub answers it, as a ``responses`` or requests-mock registration does for the sync
    client; a Twilio URL it did not register is answered by the simulator."""
    if "aioresponses" not in sys.modules:
        return False
    session = getattr(sys.modules.get("aiohttp.client"), "ClientSession", None)
    mock = getattr(
        getattr(getattr(session, "_request", None), "side_effect", None), "__self__", None
    )
    matches = getattr(mock, "_matches", None)
    if not isinstance(matches, dict) or not matches:
        return False
    try:
        from aioresponses.compat import URL, normalize_url

        target = normalize_url(URL(url))
        return any(matcher.match(method, target) for matcher in list(matches.values()))
    except Exception:  # another aioresponses than the one read here: the simulator answers
        return False


def _form(values: Mapping[str, object] | None) -> list[tuple[str, str]]:
    """``values`` as form pairs the way aiohttp and requests encode them: a list or tuple
    value repeats its key, None is left out."""
    pairs: list[tuple[str, str]] = []
    for key, value in (values or {}).items():
        items: Sequence[object] = value if isinstance(value, list | tuple) else [value]
        pairs += [(key, str(item)) for item in items if item is not None]
    return pairs


def _wire_request(
    url: str,
    params: Mapping[str, object] | None,
    data: Mapping[str, object] | None,
    headers: Mapping[str, str] | None,
    auth: tuple[str, str] | None,
) -> tuple[str, dict[str, str], bytes]:
    """The URL, headers and body aiohttp would send for the client's arguments."""
    query = urlencode(_form(params))
    if query:
        parts = urlsplit(url)
        joined = f"{parts.query}&{query}" if parts.query else query
        url = urlunsplit(parts._replace(query=joined))
    sent = dict(headers or {})
    body = urlencode(_form(data)).encode("ascii") if data else b""
    if data and not any(name.lower() == "content-type" for name in sent):
        sent["Content-Type"] = "application/x-www-form-urlencoded"
    if auth is not None:
        token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode("ascii")
        sent["Authorization"] = f"Basic {token}"
    return url, sent, body

"""Fetching a URL the way Twilio's webhook client does: like a browser.

It follows up to 10 redirects (301, 302, 303 become a GET without the call's parameters,
as browsers do; 307 and 308 repeat the method and parameters), keeps the cookies each call
receives, and signs every hop. A longer chain fails with 11215. Every request, each hop
included, is returned so that none is lost from the log. Documents Twilio hosts itself
(the hold-music twimlet, ``engine/hosted.py``) are answered without the transport.

A GET carries the call's parameters in its query string, so a redirect of a GET requests
the ``Location`` exactly as given, whatever the status: like a browser, Twilio does not
append its parameters a second time (the app's ``Location`` may already carry them).
The document's own URL (``FetchResult.final_url``: what relative URLs in it, and a
Gather's or Record's default action, resolve against) is the URL requested *without* the
parameters Twilio appended to a GET (fidelity choice: otherwise each default action of a
GET document would repeat the previous request's parameters in its query).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import CookieError, SimpleCookie
from urllib.parse import urljoin, urlsplit

from .hosted import twilio_hosted
from .webhooks import Transport, WebhookDeliveryError, WebhookRequest, WebhookResponse

__all__ = ["CookieJar", "FetchResult", "fetch"]

MAX_REDIRECTS = 10
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


@dataclass(slots=True)
class CookieJar:
    """Cookies one call has received, by host (Twilio keeps them for the call's lifetime)."""

    by_host: dict[str, dict[str, str]] = field(default_factory=dict)

    def store(self, url: str, response: WebhookResponse) -> None:
        """Keep the cookies ``response`` sets."""
        set_cookies = response.header_values("Set-Cookie")
        if not set_cookies:
            return
        host = urlsplit(url).hostname or ""
        for header in set_cookies:
            cookie: SimpleCookie = SimpleCookie()
            try:
                cookie.load(header)
            except CookieError:
                continue
            jar = self.by_host.setdefault(host, {})
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0":
                    jar.pop(name, None)
                else:
                    jar[name] = morsel.value

    def header_for(self, url: str) -> str | None:
        """The ``Cookie`` header to send to ``url``, or None."""
        if not self.by_host:
            return None
        jar = self.by_host.get(urlsplit(url).hostname or "")
        if not jar:
            return None
        return "; ".join(f"{name}={value}" for name, value in jar.items())


@dataclass(slots=True)
class FetchResult:
    """The requests made (each hop) and the final response, or the error that ended it."""

    requests: list[WebhookRequest]
    response: WebhookResponse | None = None
    error: WebhookDeliveryError | None = None
    #: Each hop's URL before Twilio appended a GET's parameters.
    hop_urls: list[str] = field(default_factory=list)

    @property
    def final_url(self) -> str:
        """The URL that answered (after redirects), without the parameters Twilio appended
        to a GET; relative TwiML URLs resolve against it."""
        return self.hop_urls[-1]


def fetch(
    transport: Transport,
    build: Callable[[str, str, bool], WebhookRequest],
    url: str,
    method: str,
    cookies: CookieJar,
) -> FetchResult:
    """Request ``url``, following redirects.

    ``build(url, method, with_params)`` makes the signed request for one hop.
    """
    result = FetchResult(requests=[])
    with_params = True
    for _ in range(MAX_REDIRECTS + 1):
        request = build(url, method, with_params)
        result.hop_urls.append(url)
        cookie = cookies.header_for(url)
        if cookie:
            request.headers["Cookie"] = cookie
        result.requests.append(request)
        try:
            response = twilio_hosted(request) or transport.send(request)
        except WebhookDeliveryError as error:
            result.error = error
            return result
        request.response = response
        cookies.store(url, response)
        location = response.header("Location")
        if response.status not in _REDIRECTS or not location:
            result.response = response
            return result
        url = urljoin(request.url, location)
        if method == "GET" or response.status in {301, 302, 303}:
            method, with_params = "GET", False
    result.error = WebhookDeliveryError(
        11215, f"more than {MAX_REDIRECTS} redirects, last to {url}; Twilio stops there"
    )
    return result

"""Deliver webhooks over real HTTP (``twimlsim serve``, apps running in other processes).

Uses ``requests`` directly: ``responses`` is not active in ``serve``. Redirects are left to
the engine's fetcher (it follows them the way Twilio does and logs every hop). Failures
map to Twilio's codes: nothing listening or a connect timeout 11205, a host name that
does not resolve 11210 (its page: "The DNS entry for the URL's host cannot be resolved"),
no answer in time or
another HTTP failure 11200, an unusable URL 11100, a failed TLS handshake 11220 and a
refused certificate 11235 (host name), 11236 (expired) or 11237 (any other). A webhook
to the public side of a tunnel (``--tunnel``, ``tunnels.py``) goes to its local side.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import ssl
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any
from urllib.parse import urlsplit

import requests
import urllib3

from twimlsim.arguments import shown
from twimlsim.defaults import DEFAULT_WEBHOOK_TIMEOUT
from twimlsim.twiml.url_mistakes import doubled_scheme

from .answer import read_answer, still_arriving
from .answer_deadline import answering_by
from .base import WebhookDeliveryError, WebhookRequest, WebhookResponse
from .raw_target import RawTargetAdapter, sending_target_of
from .timing import reading_until, wall_seconds
from .tunnels import Tunnel
from .unrouted import console_hosted, not_http

__all__ = ["HTTPTransport"]

#: Twilio waits at most 10 s to connect (11205), and 15 s for a webhook answer (11200).
CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = DEFAULT_WEBHOOK_TIMEOUT
#: A kept-alive connection that fails within this many seconds of the request was closed
#: by the app before it could read the request: the request goes again on a fresh one.
_STALE_WITHIN = 1.0
#: What ends an 11200 read timeout over HTTP (the limit is wall time).
_LIFT_THE_LIMIT = (
    " (the read timeout: Twilio's is 15 s); make the app answer sooner (move slow work out of the "
    "request); if it was stopped at a debugger breakpoint, or is slow only under test, give "
    "the command --webhook-timeout none (no limit) or more seconds"
)
#: The timeout's addition where no REST API is served to the app (``twimlsim call`` over
#: HTTP): an app that calls the API while it answers may be waiting on the real host.
_NO_API_HERE = (
    "; twimlsim call serves no REST API: a request the app sends Twilio's REST API while it "
    "answers (a calls.create placing an agent's leg, a call update) goes to the real "
    "api.twilio.com and fails there (a promise rejected without a handler leaves the "
    "webhook unanswered): run such an app against twimlsim serve, its Twilio client pointed "
    "there (README: twimlsim serve, Twilio's helper libraries)"
)
#: Bytes read from the socket at a time.
_CHUNK = 16 * 1024


#: Certificate failures Twilio reports with codes of their own (OpenSSL's verify codes:
#: 62 host name mismatch, 10 expired); any other refused certificate is 11237.
_CERTIFICATE_CODES = {62: 11235, 10: 11236}


def _ssl_error(exc: BaseException) -> ssl.SSLError | None:
    """The ``ssl`` error under the layers requests and urllib3 wrap it in, if any."""
    seen: list[object] = [exc]
    for cause in seen:
        if isinstance(cause, ssl.SSLError):
            return cause
        if isinstance(cause, BaseException) and len(seen) < 20:
            nested = (*cause.args, getattr(cause, "reason", None), cause.__cause__)
            seen.extend(item for item in nested if isinstance(item, BaseException))
    return None


def _closed_without_answer(exc: BaseException) -> bool:
    """Whether a connection was made and the app closed it before any answer."""
    seen: list[object] = [exc]
    for cause in seen:
        if isinstance(cause, http.client.RemoteDisconnected | ConnectionResetError):
            return True
        if isinstance(cause, BaseException) and len(seen) < 20:
            nested = (*cause.args, getattr(cause, "reason", None), cause.__cause__)
            seen.extend(item for item in nested if isinstance(item, BaseException))
    return False


#: urllib3 2's error for a name that did not resolve (1.26 has none: its gaierror is read).
_NAME_RESOLUTION_ERRORS: tuple[type[BaseException], ...] = tuple(
    error
    for error in (getattr(urllib3.exceptions, "NameResolutionError", None),)
    if isinstance(error, type)
)


def _scheme_outside_tunnel(url: str, public: str, tunnel: Tunnel) -> str:
    """The failure of ``url``, on the public host of ``tunnel`` under the other scheme: an
    app behind a tunnel that builds its URLs from its request's own scheme sees the local
    side's ``http`` and writes ``http://`` URLs for an ``https://`` tunnel."""
    scheme = urlsplit(url).scheme
    also = f"a tunnel that takes {scheme} too is given as --tunnel {public}={tunnel.local}"
    if scheme != "http":
        return (
            f"nothing answered at {url}: --tunnel takes {tunnel.public} only, and this URL "
            f"is {scheme}://; write {tunnel.public_scheme}:// URLs, or {also}"
        )
    return (
        f"nothing answered at {url}: --tunnel takes {tunnel.public} only, and this URL is "
        "http:// (an app behind a tunnel that builds its URLs from its request's own scheme "
        "sees the local side's http: Flask's url_for(_external=True) without werkzeug's "
        "ProxyFix, Express's req.protocol without trust proxy, as behind ngrok); have the "
        f"app read X-Forwarded-Proto, which the tunnel sends ({tunnel.public_scheme}), or "
        f"write {tunnel.public_scheme}:// URLs; {also}"
    )


def _unresolved(exc: BaseException) -> bool:
    """Whether the URL's host name did not resolve (a tunnel's public name, offline)."""
    seen: list[object] = [exc]
    for cause in seen:
        if isinstance(cause, (socket.gaierror, *_NAME_RESOLUTION_ERRORS)):
            return True
        if isinstance(cause, BaseException) and len(seen) < 20:
            # urllib3 1.26 raises its NewConnectionError while handling the gaierror
            nested = (
                *cause.args,
                getattr(cause, "reason", None),
                cause.__cause__,
                cause.__context__,
            )
            seen.extend(item for item in nested if isinstance(item, BaseException))
    return False


def _not_http(exc: BaseException) -> http.client.HTTPException | None:
    """The ``http.client`` error of an answer that is not HTTP (a status line of another
    protocol, a header line longer than 64 kB), if that is what ``exc`` wraps."""
    seen: list[object] = [exc]
    for cause in seen:
        if isinstance(cause, http.client.HTTPException) and not isinstance(
            cause, http.client.RemoteDisconnected
        ):
            return cause
        if isinstance(cause, BaseException) and len(seen) < 20:
            nested = (*cause.args, getattr(cause, "reason", None), cause.__cause__)
            seen.extend(item for item in nested if isinstance(item, BaseException))
    return None


def _tls_failure(url: str, exc: BaseException) -> tuple[int, str]:
    """11220 for a TLS handshake that failed, 11235-11237 for a certificate refused."""
    cause = _ssl_error(exc)
    if isinstance(cause, ssl.SSLCertVerificationError):
        return _CERTIFICATE_CODES.get(cause.verify_code, 11237), (
            f"the certificate of {url} was refused ({cause.verify_message}): Twilio accepts "
            "only a valid certificate from a public authority for that host name; serve one "
            "(a tunnel such as ngrok does), or give an http:// URL"
        )
    reason = getattr(cause, "reason", None) or type(exc).__name__
    host = urlsplit(url).netloc
    return 11220, (
        f"the TLS handshake with {url} failed ({reason}): the app may serve plain HTTP "
        "there; give an http:// URL, or serve HTTPS on that port; an app that builds its "
        "https:// URLs itself (from its Host, a public URL setting, a Twilio Function's "
        f"DOMAIN_NAME) is reached as through a tunnel with --tunnel https://{host}=http://{host}"
    )


def _local_side_of(url: str, message: str, tunnel: Tunnel) -> str:
    """The 11220 of an ``https://`` URL on ``tunnel``'s local side: the app built it from
    the Host of a request that reached it there (a page opened at the local address, not
    through the tunnel), a URL Twilio could not reach either."""
    handshake = message.split(": the app may serve plain HTTP", 1)[0]
    return (
        f"{handshake}: that is the local side of --tunnel {tunnel.public}={tunnel.local}, "
        "so the app built this URL from a request that reached it at its local address (a "
        f"page opened, or a request sent, at {tunnel.local} rather than at {tunnel.public}), "
        "which Twilio could not reach either: send that request through the tunnel's public "
        f"address (a browser at {tunnel.public}, or curl -H 'Host: {tunnel.public_host}' "
        f"{tunnel.local}/...)"
    )


#: Names of this machine a local side is given or reached by: the same app on a port.
_LOOPBACK = frozenset({"localhost", "127.0.0.1", "[::1]"})


def _same_place(netloc: str, other: str) -> bool:
    """Whether two ``host[:port]`` are one place, ``localhost``, ``127.0.0.1`` and ``[::1]``
    being one host (an app asked at one of them while the tunnel names another); a netloc
    without a port (the scheme's) is compared as it is written, as the Host an app builds
    its URLs from is."""
    host, port = _host_and_port(netloc)
    other_host, other_port = _host_and_port(other)
    if host in _LOOPBACK and other_host in _LOOPBACK:
        return port == other_port
    return netloc.lower() == other.lower()


def _host_and_port(netloc: str) -> tuple[str, str]:
    """``netloc``'s host (lowercased, an IPv6 one in brackets) and port ("" when none)."""
    host, colon, port = netloc.lower().rpartition(":")
    if not colon or "]" in port:  # no port: "localhost", "[::1]"
        return netloc.lower(), ""
    return host, port


class _Session(requests.Session):
    """A session that leaves a redirect's body on the socket.

    Even with ``allow_redirects=False``, ``requests`` reads a 3xx answer's body while it
    prepares the next hop, leaving none for the bounded reader: a redirect with a
    ``Content-Length`` then read as a truncated body (11200) instead of being followed.
    """

    def resolve_redirects(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
        """No hop here: the engine's fetcher follows redirects as Twilio does."""
        return iter(())


class HTTPTransport:
    """Sends each webhook with ``requests`` and returns the app's answer.

    ``unlocked`` is entered around the network wait: ``twimlsim serve`` uses it to let
    other threads (the app calling the REST API back while it answers) use the engine.
    ``api_served=False`` (``twimlsim call``, which serves no REST API to an app over HTTP)
    adds to a read timeout's 11200 that the app's own REST requests have nowhere to go.
    """

    #: The app's exceptions are in its own process's log: failures cannot quote them.
    app_in_another_process = True

    def __init__(
        self,
        *,
        connect_timeout: float = CONNECT_TIMEOUT,
        read_timeout: float | None = READ_TIMEOUT,
        unlocked: Callable[[], AbstractContextManager[object]] | None = None,
        tunnels: Sequence[Tunnel] = (),
        api_served: bool = True,
    ) -> None:
        self.timeout = (connect_timeout, read_timeout)
        #: Whether the app's REST requests have a simulated API to reach (False under
        #: ``twimlsim call`` over HTTP, whose read timeouts then say so).
        self.api_served = api_served
        self.tunnels = tuple(tunnels)
        self._unlocked = unlocked or contextlib.nullcontext
        self._session = _Session()
        self._session.trust_env = False  # never send the app's webhooks through a proxy
        for scheme in ("http://", "https://"):  # '[' and ']' sent as signed, not escaped
            self._session.mount(scheme, RawTargetAdapter())
        #: The (scheme, host) of each app a connection was left open to for the next webhook.
        self._kept_alive: set[tuple[str, str]] = set()

    def _destination(self, request: WebhookRequest) -> tuple[str, dict[str, str], str]:
        """The URL the request is sent to, its headers, and how a failure names the URL:
        through the first tunnel whose public side the URL is under, else as it is."""
        headers = request.headers
        for tunnel in self.tunnels:
            target = tunnel.target(request.url)
            if target is not None:
                headers["Host"] = tunnel.public_host
                headers["X-Forwarded-Proto"] = tunnel.public_scheme
                return target, headers, f"{target} (--tunnel's local side for {request.url})"
        return request.url, headers, request.url

    def _request(
        self, request: WebhookRequest, url: str, headers: dict[str, str]
    ) -> requests.Response:
        """Send the webhook; the answer's body is left on the socket for the bounded read."""
        with sending_target_of(url):
            return self._session.request(
                request.method,
                url,
                data=request.body if request.method != "GET" else None,
                headers=headers,
                timeout=self.timeout,
                allow_redirects=False,
                stream=True,  # read only as much of the body as Twilio would
            )

    def close(self) -> None:
        """Close the pooled connections."""
        self._session.close()

    def _failure(
        self, url: str, exc: requests.exceptions.RequestException, *, tunnelled: bool = False
    ) -> tuple[int, str]:
        """The Twilio code and message for a request that got no HTTP answer (``url`` as a
        failure names it; ``tunnelled`` when it went through ``--tunnel``)."""
        errors = requests.exceptions
        unusable = not_http(url)
        if unusable is not None:
            return 11100, unusable
        if isinstance(exc, errors.InvalidURL | errors.MissingSchema):
            return 11100, f"{url} is not a usable URL: {exc}"
        if isinstance(exc, errors.SSLError):
            code, message = _tls_failure(url, exc)
            tunnel = None if tunnelled else self._tunnel_whose_local_side_is(url)
            if code == 11220 and tunnel is not None:
                return code, _local_side_of(url, message, tunnel)
            return code, message
        if isinstance(exc, errors.ConnectTimeout):
            return 11205, f"connecting to {url} timed out after {self.timeout[0]:g} s"
        if isinstance(exc, errors.ConnectionError) and _closed_without_answer(exc):
            return 11205, (
                f"the app at {url} closed the connection without answering: its server's log "
                "says why (a crash, or a worker timeout shorter than Twilio's 15 s)"
            )
        garbled = _not_http(exc) if isinstance(exc, errors.ConnectionError) else None
        if garbled is not None:
            # something answered: not "nothing answered" (Twilio documents its 11206,
            # "HTTP protocol violation", for messaging only)
            return 11200, (
                f"what answered at {url} is not an HTTP response twimlsim can read "
                f"({type(garbled).__name__}: {shown(str(garbled))}): check that the app's "
                "server speaks HTTP on that port and that nothing on the way rewrites its "
                "answers"
            )
        if isinstance(exc, errors.ConnectionError):
            if not tunnelled and _unresolved(exc):
                # most often the public address of a tunnel the app's README sets up
                public = "{}://{}".format(*urlsplit(url)[:2])
                other_scheme = self._tunnel_of_other_scheme(url)
                if other_scheme is not None:
                    return 11210, _scheme_outside_tunnel(url, public, other_scheme)
                doubled = doubled_scheme(url)
                if doubled is not None:
                    return 11210, f"nothing answered at {url}: {doubled}"
                return 11210, (
                    f"nothing answered at {url} (its host name does not resolve): check the "
                    "URL's host; an app reached through a tunnel (ngrok) at that address is "
                    f"reached with --tunnel {public}=http://127.0.0.1:PORT (the port the app "
                    "listens on)"
                )
            return 11205, (
                f"nothing answered at {url} ({type(exc).__name__}): start the app, or check "
                "the URL's host and port"
            )
        if isinstance(exc, errors.Timeout):
            late = f"{url} sent no answer within {self.timeout[1]:g} s" + _LIFT_THE_LIMIT
            return 11200, late if self.api_served else late + _NO_API_HERE
        return 11200, f"HTTP request to {url} failed: {exc}"

    def _tunnel_whose_local_side_is(self, url: str) -> Tunnel | None:
        """The tunnel whose local side is ``url``'s host and port under another scheme (an
        ``https://`` URL an app built from the Host of a request sent to its local side)."""
        parts = urlsplit(url)
        for tunnel in self.tunnels:
            local = urlsplit(tunnel.local)
            if _same_place(local.netloc, parts.netloc) and local.scheme != parts.scheme:
                return tunnel
        return None

    def _tunnel_of_other_scheme(self, url: str) -> Tunnel | None:
        """The tunnel whose public side is ``url``'s host under the other scheme (an
        ``http://`` URL an app wrote for its ``https://`` tunnel), if any."""
        parts = urlsplit(url)
        for tunnel in self.tunnels:
            public = urlsplit(tunnel.public)
            if public.hostname == parts.hostname and public.scheme != parts.scheme:
                return tunnel
        return None

    def send(self, request: WebhookRequest) -> WebhookResponse:
        """Make the HTTP request; raise ``WebhookDeliveryError`` when there is no answer."""
        # Twilio's read timeout bounds the whole answer, not only each read of it: a body
        # that drips in slower is cut at the deadline (11200)
        limit = self.timeout[1]
        deadline = None if limit is None else wall_seconds() + limit
        url, headers, named = self._destination(request)
        hosted = console_hosted(url, over_http=True) if url == request.url else ""
        if hosted:  # Twilio's own content, not an app: sent on, it reached the fake API
            raise WebhookDeliveryError(11205, f"{url} is not an app's URL: {hosted}")
        with self._unlocked(), reading_until(deadline), answering_by(deadline):
            origin = urlsplit(url)[:2]
            sent_at = wall_seconds()
            try:
                try:
                    answer = self._request(request, url, headers)
                except requests.exceptions.ConnectionError as exc:
                    if (
                        origin not in self._kept_alive
                        or isinstance(exc, requests.exceptions.ConnectTimeout)
                        or wall_seconds() - sent_at > _STALE_WITHIN
                    ):
                        raise
                    # the kept-alive connection was closed by the app as it got the request
                    # (uvicorn closes one after an exception): Twilio's request goes on a
                    # fresh connection, so this one is sent again, once; one closed later
                    # was the app's own doing (a worker killed mid-request), not repeated
                    self._kept_alive.discard(origin)
                    answer = self._request(request, url, headers)
            except requests.exceptions.RequestException as exc:
                self._kept_alive.discard(origin)
                code, message = self._failure(named, exc, tunnelled=url != request.url)
                read_timeout = isinstance(exc, requests.exceptions.ReadTimeout)
                timed_out = self.timeout[1] if read_timeout and code == 11200 else None
                raise WebhookDeliveryError(code, message, read_timeout=timed_out) from exc
            reusable = False
            try:
                raw_headers = getattr(answer.raw, "headers", None)
                if raw_headers is not None and hasattr(raw_headers, "items"):
                    pairs = [(str(k), str(v)) for k, v in raw_headers.items()]
                else:  # pragma: no cover - requests always gives urllib3 headers
                    pairs = list(answer.headers.items())
                chunks = answer.raw.stream(_CHUNK, decode_content=False)
                read = read_answer(request.url, pairs, chunks)
                # read to its end: the connection may serve the next webhook
                reusable = not read.truncated and not answer.raw.read(1, decode_content=False)
            except urllib3.exceptions.HTTPError as exc:
                if deadline is not None and wall_seconds() >= deadline:  # a socket read cut
                    # at the deadline (a chunk's size line or trailers dripping in)
                    raise still_arriving(request.url) from exc
                message = f"reading the answer from {request.url} failed: {exc}"
                if _cut_short(exc):
                    message += (
                        ": the app's server closed the connection before the body's end (an "
                        "exception raised while a streamed body was sent, a server stopped "
                        "mid-answer; its log says which): answer the whole TwiML"
                    )
                raise WebhookDeliveryError(11200, message) from exc
            finally:
                if reusable:
                    answer.raw.release_conn()
                    self._kept_alive.add(origin)
                else:
                    self._kept_alive.discard(origin)
                    answer.close()  # a body left unread must not reach the next request
        return WebhookResponse(
            status=answer.status_code, headers=tuple(read.headers), body=read.body
        )


def _cut_short(exc: BaseException) -> bool:
    """Whether urllib3 failed reading a body that ended before its end (a chunked body's
    last chunk, or the bytes its Content-Length announces, never came; or the connection
    was reset under it)."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, urllib3.exceptions.IncompleteRead | ConnectionResetError):
            return True
        if "ended prematurely" in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False

"""Fetching a URL the way Twilio's webhook client does: like a browser.

It follows up to 10 redirects (after a POST, 301, 302 and 303 become a GET carrying the
POST's parameters in its query string; 307 repeats the method and parameters), keeps the
cookies each call receives, and signs every hop. A longer chain fails with 11215. Any
other 3xx answer (a 308, a 300, a 304), and a redirect without a ``Location``, is 11216
("HTTP invalid redirect": "Twilio will only follow redirects for status codes 301, 302,
303, and 307"). Every request, each hop included, is returned so that none is lost from
the log. Documents Twilio hosts itself (the hold-music twimlet, ``engine/hosted.py``) are
answered without the transport.

Each URL is requested as it goes on the wire (``twimlsim.engine.urls``: no fragment, no
credentials, percent-encoded). Credentials in a URL (``https://user:pass@host/...``,
Twilio's HTTP authentication) are sent as Twilio sends them: the first request goes
without them; when the app answers 401 with a ``WWW-Authenticate: Basic`` challenge the
same request is repeated with ``Authorization: Basic ...`` (both requests are logged),
and the call stays signed in to that site: its later requests there carry the header from
the start. Digest authentication (which Twilio also offers) is not simulated: its
challenge is the answer, an HTTP 401 (11200).

The query parameters of the URL redirected are kept on the ``Location``, as Twilio's
TwiML changelog says (2024.03.11: webhook requests "now use the same redirect behavior as
status callbacks and other webhooks. This means that query parameters received at the
initial URL will now be persisted to the redirected URL"): those the ``Location`` does
not name itself are added to its query (a choice where Twilio does not say how the two
merge), so a GET's parameters, which it carries in its query string, reach the redirected
URL once (a ``Location`` that already repeats them, as Django's ``APPEND_SLASH`` redirect
does, is requested as given). A POST's body is not part of its URL: a 301, 302 or 303
turns it into a GET that carries the POST's parameters in its query string, as Twilio sends
any GET webhook (fidelity choice: Twilio's TwiML changelog, 2024.07.09, says that when a
``<Gather>`` action answers a 3xx "Twilio follows this redirect and resends the Digits
parameter" (before, only Digits was missing), without naming the method; browsers would
drop the parameters). The document's own URL (``FetchResult.final_url``: what relative
URLs in it, and a Gather's or Record's default action, resolve against) is the URL
requested *without* the parameters Twilio appended to a GET (fidelity choice: otherwise
each default action of a GET document would repeat the previous request's parameters in
its query).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlsplit

from twimlsim.errors import shown_url
from twimlsim.integers import saturated_int

from .hosted import twilio_hosted
from .urls import basic_authorization, join_url, wire_url
from .webhooks import Transport, WebhookDeliveryError, WebhookRequest, WebhookResponse

__all__ = ["CookieJar", "FetchResult", "NoCookies", "fetch"]

MAX_REDIRECTS = 10
#: The redirects Twilio follows (its error 11216's page); another 3xx is that error.
_REDIRECTS = frozenset({301, 302, 303, 307})


@dataclass(slots=True)
class CookieJar:
    """Cookies one call has received, by host (Twilio keeps them for the call's lifetime)."""

    by_host: dict[str, dict[str, str]] = field(default_factory=dict)
    #: ``Authorization`` (Basic) for each site (``scheme://host:port``) whose credentials
    #: a URL of the call carried, and the sites the call has signed in to with them.
    credentials: dict[str, str] = field(default_factory=dict)
    signed_in: set[str] = field(default_factory=set)

    def store(self, url: str, response: WebhookResponse, at: datetime | None = None) -> None:
        """Keep the cookies ``response`` (answered at ``at``, virtual time) sets; one it
        sets with a ``Max-Age`` of 0 or less, or an ``Expires`` before ``at``, is deleted,
        as a browser deletes it (Express's ``res.clearCookie`` sends ``Expires`` alone, a
        date in 1970, and the cookie came back on every later request of the call)."""
        set_cookies = response.header_values("Set-Cookie")
        if not set_cookies:
            return
        host = urlsplit(url).hostname or ""
        for header in set_cookies:
            parsed = _set_cookie(header)
            if parsed is None:
                continue
            name, value, attributes = parsed
            jar = self.by_host.setdefault(host, {})
            if _expired(attributes.get("max-age", ""), attributes.get("expires", ""), at):
                jar.pop(name, None)
            else:
                jar[name] = value

    def header_for(self, url: str) -> str | None:
        """The ``Cookie`` header to send to ``url``, or None."""
        if not self.by_host:
            return None
        jar = self.by_host.get(urlsplit(url).hostname or "")
        if not jar:
            return None
        return "; ".join(f"{name}={value}" for name, value in jar.items())


class NoCookies(CookieJar):
    """The jar of a webhook that belongs to no call (a conference's callbacks, a caller
    ID verification's): it carries and keeps no cookies. A new one for each webhook: its
    credentials and sign-ins must not outlive it."""

    def header_for(self, url: str) -> str | None:
        """No ``Cookie`` header, ever."""
        return None

    def store(self, url: str, response: WebhookResponse, at: datetime | None = None) -> None:
        """Keep nothing."""
        return None


def _set_cookie(header: str) -> tuple[str, str, dict[str, str]] | None:
    """A ``Set-Cookie`` header's name, value and attributes (names in lower case), read as
    a browser reads it (RFC 6265, 5.2): the value is all up to the first ``;``, spaces,
    quotes and JSON included, and an attribute it does not know (``Partitioned``,
    ``Priority``) is ignored; None for a header that sets no cookie (no ``=``, no name).
    Python's ``SimpleCookie`` dropped such a cookie without a word, or took an unknown
    attribute for a second cookie."""
    pair, _, rest = header.partition(";")
    name, equals, value = pair.partition("=")
    name = name.strip(" \t")
    if not equals or not name:
        return None
    attributes: dict[str, str] = {}
    for attribute in rest.split(";"):
        key, _, given = attribute.partition("=")
        attributes[key.strip(" \t").lower()] = given.strip(" \t")
    return name, value.strip(" \t"), attributes


def _expired(max_age: str, expires: str, at: datetime | None) -> bool:
    """Whether a cookie set with these attributes is deleted at once: ``Max-Age`` wins
    over ``Expires`` (RFC 6265, 5.3); a value that cannot be read is ignored."""
    digits = max_age.removeprefix("-")
    if digits.isascii() and digits.isdigit():  # a Max-Age of 0 or less deletes it
        return max_age.startswith("-") or not digits.strip("0")
    if not expires or at is None:
        return False
    from email.utils import parsedate_to_datetime  # only a cookie with Expires needs it

    try:  # RFC 1123 dates, and the old Netscape form with dashes (01-Jan-1970)
        when = parsedate_to_datetime(expires.replace("-", " "))
    except (TypeError, ValueError, IndexError):
        return False
    return (when if when.tzinfo is not None else when.replace(tzinfo=UTC)) <= at


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
    *,
    resend: bool = True,
    result: FetchResult | None = None,
) -> FetchResult:
    """Request ``url``, following redirects.

    ``build(url, method, with_params)`` makes the signed request for one hop. With
    ``resend`` false, a request redirected by a 301, 302 or 303 is followed by a GET
    without its parameters, whether they went in a POST's body or a GET's query (only the
    queries of the URLs as written): a conference's callbacks, as Twilio's 16010 page says
    of them ("Twilio follows redirects, but it will not include the original parameters on
    the follow-up request").

    ``result``, when given, is filled and returned: a request whose answer raised what is
    not an ``Exception`` (the app's ``KeyboardInterrupt``) is in its ``requests`` as that
    passes on.
    """
    if result is None:
        result = FetchResult(requests=[])
    with_params = True
    kept = ""  # the query of the URL redirected, kept on the redirected one
    redirected: tuple[int, str, str] | None = None  # the last redirect: status, from, Location
    retries = None
    if "#" in url:
        invalid = _invalid_retry_policy(url)
        if invalid is not None:
            result.hop_urls.append(wire_url(url)[0])
            result.error = WebhookDeliveryError(11243, invalid)
            return result
        retries = _Retries.of(url)
    for _ in range(MAX_REDIRECTS + 1):
        url, credentials = wire_url(url)
        result.hop_urls.append(url)
        site = _site(url) if credentials or cookies.credentials else ""
        if credentials:
            cookies.credentials[site] = basic_authorization(credentials)
        authorization = cookies.credentials.get(site) if site else None
        signed_in = site in cookies.signed_in
        hop = _Hop(
            transport, build, _with_query(url, kept), method, with_params, cookies, result.requests
        )
        request, response, error = hop.send(authorization if signed_in else None)
        result.requests.append(request)
        if authorization is not None and not signed_in and _asks_for_basic(response):
            # Twilio sends the credentials only when challenged, then stays signed in to
            # the site for the rest of the call
            request, response, error = hop.send(authorization)
            result.requests.append(request)
            if response is not None and response.status != 401:
                cookies.signed_in.add(site)
        while response is not None and retries is not None and retries.wanted(response.status):
            # the URL's connection overrides ask for the request again on this answer
            request, response, error = hop.send(
                authorization if site in cookies.signed_in else None
            )
            result.requests.append(request)
        if response is None:
            result.error = error if redirected is None else _redirected_there(error, redirected)
            return result
        cookies.store(url, response, request.at)
        status = response.status
        if not 300 <= status < 400:  # the usual answer: no redirect to look for
            result.response = response
            return result
        location = response.header("Location")
        if location is not None:  # an HTTP client reads a field without the blanks around
            # it: blanks only are no Location (11216; UNCONFIRMED, Twilio's pages do not say)
            location = location.strip(" \t")
        if status not in _REDIRECTS or not location:
            result.error = _invalid_redirect(request, status, location)
            return result
        redirected = (status, hop.url, location)
        url = join_url(request.url, location)
        # a GET's request.url carries its parameters; hop.url is the URL as written
        kept = urlsplit(request.url if resend else hop.url).query
        if method == "GET":
            with_params = False  # they are in the query kept
        elif response.status != 307:
            method = "GET"  # carrying the POST's parameters in its query, as any GET does
            with_params = resend
    if len({hop.partition("?")[0] for hop in result.hop_urls}) == 1:
        result.error = WebhookDeliveryError(
            11215,
            f"more than {MAX_REDIRECTS} redirects, each back to "
            f"{result.hop_urls[0].partition('?')[0]} itself; Twilio stops there. {_SELF_REDIRECT}",
        )
        return result
    from .login_hints import login_redirect_hint  # only a redirect loop needs it

    result.error = WebhookDeliveryError(
        11215,
        f"more than {MAX_REDIRECTS} redirects, last to {shown_url(url)}; Twilio stops there"
        + login_redirect_hint(url),
    )
    return result


#: Why an app redirects a URL to itself: it sees plain http behind a TLS-terminating proxy.
_SELF_REDIRECT = (
    "An app that redirects plain http to https (Django's SECURE_SSL_REDIRECT, "
    "Flask-Talisman's force_https, Starlette's HTTPSRedirectMiddleware) does so without end "
    "when it is reached over plain HTTP behind a TLS-terminating proxy (sim.route(..., "
    "behind_proxy=True), --tunnel, Heroku's router) and does not read X-Forwarded-Proto: "
    "Django's SECURE_PROXY_SSL_HEADER = ('HTTP_X_FORWARDED_PROTO', 'https'), werkzeug's "
    "ProxyFix(app.wsgi_app, x_proto=1), uvicorn's --proxy-headers with "
    "--forwarded-allow-ips '*' (ProxyHeadersMiddleware(app, trusted_hosts='*') around an "
    "ASGI app: it trusts only 127.0.0.1 by default)"
)


def _redirected_there(
    error: WebhookDeliveryError | None, redirected: tuple[int, str, str]
) -> WebhookDeliveryError | None:
    """``error`` of a request a redirect of the app's led to, saying so: the URL that
    failed is the redirect's ``Location``, not one the app configured or wrote in TwiML.
    Where the app answered there and failed (11200: it raised, or answered too late), the
    redirect was not the fault and no other URL is advised. The error stays what it was
    otherwise: its cause (the app's exception) and its read timeout."""
    if error is None:
        return None
    status, origin, location = redirected
    advice = (
        ""
        if error.code == 11200
        else ": redirect to a URL the app answers, or answer the TwiML itself"
    )
    told = WebhookDeliveryError(
        error.code,
        f"{error.message} (the app's HTTP {status} answer to {shown_url(origin)} redirected "
        f"the request there, Location: {location!r}{advice})",
        read_timeout=error.read_timeout,
    )
    told.__cause__ = error.__cause__
    return told


def _invalid_redirect(
    request: WebhookRequest, status: int, location: str | None
) -> WebhookDeliveryError:
    """Error 11216 for a 3xx answer Twilio does not follow, saying what to answer instead."""
    said = f"the app answered HTTP {status} to {request.method}"
    if not location:
        return WebhookDeliveryError(
            11216,
            f"{said} without a Location header, so there is no URL to follow: give the "
            "redirect a Location (the URL of the TwiML) or answer the TwiML itself",
        )
    target = join_url(request.url, location)
    text = (
        f"{said}, to {target}: Twilio follows only 301, 302, 303 and 307 redirects; answer "
        "307 to have it repeat the request there, 303 for a GET, or the TwiML itself"
    )
    if status == 308 and target == request.url.split("?")[0] + "/":
        text += (
            " (Flask answers 308 when a route written with a trailing slash is requested "
            "without it: write the webhook URL with the slash)"
        )
    return WebhookDeliveryError(11216, text)


class _Hop:
    """One hop's request, sent once, or twice when the app asks for credentials."""

    def __init__(
        self,
        transport: Transport,
        build: Callable[[str, str, bool], WebhookRequest],
        url: str,
        method: str,
        with_params: bool,
        cookies: CookieJar,
        sent: list[WebhookRequest],
    ) -> None:
        self.transport = transport
        self.build = build
        self.url = url
        self.method = method
        self.with_params = with_params
        self.cookies = cookies
        #: Where a request whose answer raised what is not an ``Exception`` is logged.
        self.sent = sent

    def send(
        self, authorization: str | None
    ) -> tuple[WebhookRequest, WebhookResponse | None, WebhookDeliveryError | None]:
        request = self.build(self.url, self.method, self.with_params)
        cookie = self.cookies.header_for(self.url)
        if cookie:
            request.add_header("Cookie", cookie)
        if authorization is not None:
            request.add_header("Authorization", authorization)
        try:
            response = twilio_hosted(request) or self.transport.send(request)
        except WebhookDeliveryError as error:
            return request, None, error
        except BaseException:  # the app received it: it stays in the log
            self.sent.append(request)
            raise
        request.response = response
        return request, response, None


@dataclass(slots=True)
class _Retries:
    """The retries a webhook URL's connection overrides ask for (Twilio's "Webhooks
    connection overrides": ``#rc=2&rp=5xx`` in the URL's fragment): ``rc`` more requests
    at most (0 to 5; 1 when the fragment gives ``rp`` alone), on the answers ``rp`` names
    (``4xx``, ``5xx``, ``all``; ``ct`` and ``rt``, connection and read timeouts, do not
    happen to an app answering in process, and a timeout is not retried: a choice)."""

    left: int
    classes: frozenset[int]

    @classmethod
    def of(cls, url: str) -> _Retries | None:
        """The retries ``url``'s fragment asks for, or None."""
        overrides = dict(parse_qsl(url.partition("#")[2]))
        count, policy = overrides.get("rc"), overrides.get("rp")
        if policy is None:
            return None
        digits = count is not None and count.isascii() and count.isdigit()
        left = saturated_int(count) if count is not None and digits else 1
        names = {name.strip().lower() for name in policy.split(",")}
        classes = {4, 5} if "all" in names else {int(n[0]) for n in names & {"4xx", "5xx"}}
        if not classes or left == 0:
            return None
        return cls(min(left, _MAX_RETRIES), frozenset(classes))

    def wanted(self, status: int) -> bool:
        """Whether an answer of ``status`` is requested again (and count it)."""
        if self.left == 0 or status // 100 not in self.classes:
            return False
        self.left -= 1
        return True


#: The most retries a connection override may ask for.
_MAX_RETRIES = 5

#: The retry policies of Twilio's connection overrides (``rp``): on a 4xx or 5xx answer,
#: a connection timeout, a read timeout, or all of them.
_RETRY_POLICIES = ("4xx", "5xx", "ct", "rt", "all")


def _invalid_retry_policy(url: str) -> str | None:
    """What is wrong with ``url``'s ``rp`` connection override, or None.

    Twilio's 11243 ("HTTP retry policy is invalid": "One or more retry policies specified
    in the 'rp' parameter of your connection settings are invalid") is an error of the
    HTTP client, as the other connection-setting errors beside it are (11240, 11241: "an
    error connecting to the URL"): the webhook fails as a URL that cannot be reached does,
    and no request is sent (a choice, UNCONFIRMED: the page does not say whether Twilio
    requests the URL with its default settings). Names are read without regard to case,
    as the retries are."""
    policy = dict(parse_qsl(url.partition("#")[2], keep_blank_values=True)).get("rp")
    if policy is None:
        return None
    unknown = [name for name in policy.split(",") if name.strip().lower() not in _RETRY_POLICIES]
    if not unknown:
        return None
    names = ", ".join(repr(name) if name.strip() else "an empty name" for name in unknown)
    return (
        f"the URL's connection override rp={policy!r} names "
        f"{names}, which is no retry policy (Twilio's are {', '.join(_RETRY_POLICIES)}, "
        "separated by commas); Twilio fails the webhook with 11243, so twimlsim sent no "
        "request. Correct rp in the URL's fragment, e.g. #rc=2&rp=5xx"
    )


def _with_query(url: str, kept: str) -> str:
    """``url`` with the parameters of the query ``kept`` that its own query does not name
    (both as they go on the wire, percent-encoded), after its own."""
    if not kept:
        return url
    base, _, query = url.partition("?")
    own = [piece for piece in query.split("&") if piece]
    named = {piece.split("=", 1)[0] for piece in own}
    added = [piece for piece in kept.split("&") if piece and piece.split("=", 1)[0] not in named]
    if not added:
        return url
    return f"{base}?{'&'.join(own + added)}"


def _asks_for_basic(response: WebhookResponse | None) -> bool:
    """A 401 whose ``WWW-Authenticate`` offers Basic authentication."""
    if response is None or response.status != 401:
        return False
    challenges = response.header_values("WWW-Authenticate")
    return any(value.strip().lower().startswith("basic") for value in challenges)


def _site(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"

"""The hint for an app over HTTP whose answer is an error from its own request to the
real Twilio REST API: its client was not pointed at ``twimlsim serve`` (or the app runs
under ``twimlsim call``, which serves no REST API), and offline the real host's name does
not resolve, so the request failed and the app answered 500 with that failure in its body
(Node's ``getaddrinfo ENOTFOUND api.twilio.com`` on Express's error page, a Python
traceback's ``Failed to resolve 'api.twilio.com'``, Ruby's, Go's, PHP's, Java's, .NET's
words).

A failure is read with the address it names (after its words, as Node's, curl's, Java's
and urllib3's name it, or just before them, as Go's ``lookup HOST: no such host`` and
Ruby's ``HOST:443 (getaddrinfo: ...)`` do, an exception's dotted class name there being
no address; urllib3 1.x names it in its pool, ``HTTPSConnectionPool(host='HOST'``, far
before): one naming another host, ``localhost`` or a
local address (a client pointed at a server that is not listening) is not about the real
API, whatever Twilio URL the body quotes beside it. A failure naming no address, or the
API's public IP, is the API's when a Twilio API host is near it with no local address
between. A host of one label (docker compose's ``db``, ``redis``) is read where a failure
names it quoted or after Node's ``ENOTFOUND``; failure words in a class's name
(``NameResolutionError``) are left to its message's. An HTML page (Werkzeug's and
Django's debug pages, Express's) is read with its character references resolved, as its
reader sees it.
"""

from __future__ import annotations

import html
import ipaddress
import re

__all__ = ["real_api_hint"]

#: A Twilio API host (api.twilio.com, lookups.twilio.com, an edge or region's
#: api.sydney.au1.twilio.com).
_HOST = re.compile(r"(?<![\w.-])(?:api|lookups)(?:\.[\w-]+)*\.twilio\.com\b", re.IGNORECASE)
#: A resolver's or a connection's failure words.
_FAILED = re.compile(
    r"(?:getaddrinfo\s+)?(?:ENOTFOUND|EAI_AGAIN)|ECONNREFUSED|ETIMEDOUT|getaddrinfo|"
    r"NameResolution|[Ff]ailed to resolve|[Cc]ould not resolve(?: host)?|"
    r"[Nn]ame or service not known|[Nn]o such host|UnknownHost(?:Exception)?|"
    r"[Tt]emporary failure in name resolution|[Nn]ame does not resolve"
)
#: Words that end a failure's sentence, its address before them (Go's, Ruby's, PHP's).
_CLOSING = re.compile(
    r"(?:[Nn]ame or service not known|[Nn]o such host|[Tt]emporary failure in name "
    r"resolution|[Nn]ame does not resolve)$"
)
_ADDRESS = r"\[[0-9A-Fa-f:.]+\]|[0-9A-Fa-f]*::[0-9A-Fa-f:.]*|localhost|[\w-]+(?:\.[\w-]+)+"
#: The address a failure's words name after them (``ENOTFOUND HOST``, ``resolve 'HOST'``,
#: ``host: HOST``, ``getaddrinfo for HOST``, ``UnknownHostException: HOST``).
_NAMED_AFTER = re.compile(rf"[\s:'\"(]*(?:for\s+)?({_ADDRESS})")
#: How far after its words a failure's address is looked for: a host name is at most 253
#: characters. Unbounded, a body of failure words run into letters (``getaddrinfoX...``, a
#: minified script) had each failure's address tried against all the rest of the body.
_AFTER_SPAN = 300
#: A host of one label (a container's, ``db``, ``redis``), which ``_ADDRESS`` leaves out
#: (a stack's next words are no address): quoted after a failure's words (``Failed to
#: resolve 'db'``), or after Node's ``ENOTFOUND``/``EAI_AGAIN`` on their line.
_LABEL_QUOTED = re.compile(r"[ \t:]*(['\"])([A-Za-z][\w-]*)\1")
_LABEL_AFTER_NODE = re.compile(r"[ \t]+([A-Za-z][\w-]*)(?![\w.:-])")
#: The address named just before them (``lookup HOST on RESOLVER:53: no such host``,
#: ``HOST:443 (getaddrinfo``, ``HOST failed: Name or service not known``, urllib3's
#: ``'HOST' ([Errno -3] Temporary failure``), or a quoted host of one label.
_NAMED_BEFORE = re.compile(
    rf"(?:({_ADDRESS})|(['\"])[A-Za-z][\w-]*\2)(?:\s+on\s+(?:{_ADDRESS}))?(?::\d+)?"
    r"(?:\s+failed)?[\s:'\"(]*(?:\[Errno\s+-?\d+\]\s*)?$"
)
#: The host a client library's message names before the resolver's words, other words
#: between: aiohttp's ``Cannot connect to host HOST:443 ssl:default [Name or service not
#: known]``, redis-py's ``Error -2 connecting to HOST:6379. Name or service not known.``,
#: libpq's ``could not translate host name "HOST" to address: Name or service not known``.
_NAMED_IN_MESSAGE = re.compile(
    r"(?:Cannot connect to host (\[[^\]]*\]|[^\s\[]+?)(?::\d+)? ssl:\S+ \["
    r"|connecting to ([^\s:]+)(?::\d+)?\.\s+"
    r"|could not translate host name \"([^\"]+)\" to address:\s+)$"
)
#: An exception's dotted class name (.NET's ``System.Net.Http.HttpRequestException:``,
#: Java's, urllib3's), which stands where Go's and Ruby's failures name their address.
_CLASS_NAME = re.compile(r"(?:[\w-]+\.)+[A-Z]\w*(?:Exception|Error)")
#: The host urllib3's connection pool names, on the line before a failure naming none
#: (urllib3 1.x: ``HTTPSConnectionPool(host='api.twilio.com', port=443): Max retries
#: exceeded with url: ... Failed to establish a new connection: [Errno -3] Temporary
#: failure in name resolution``, the URL and the connection's repr between).
_POOL_HOST = re.compile(r"ConnectionPool\(host='([^']*)'(?:(?!ConnectionPool\(host=)[^\n])*$")
#: A local address: a request to it did not go to the real host.
_LOCAL = re.compile(
    r"\blocalhost\b|(?<![\w.])127\.\d+\.\d+\.\d+|\[?::1\]?(?![\w:])|(?<![\w.])0\.0\.0\.0\b"
)
#: What joins two failures' words into one.
_JOINED = re.compile(r"[\s:'\"(),-]{0,3}")
#: How far apart a failure naming no address and the host it is read as may be.
_NEAR = 200


def real_api_hint(body: str, *, api_served: bool = True) -> str | None:
    """The hint for a 5xx ``body`` that shows the app's request to the real Twilio API
    failing to connect, or None; ``api_served=False``: the app runs under ``twimlsim
    call``, which serves no REST API (else against ``twimlsim serve``, whose API its client
    was not pointed at)."""
    if "&" in body:  # an HTML error page's quotes (&#x27;db.internal&#x27;) hide its address
        body = html.unescape(body)
    for failure in _failures(body):
        host = _api_host_of(body, failure)
        if host is None:
            continue
        went = (
            f"the app's request to Twilio's REST API went to the real {host} and failed to "
            "connect, as its body says: "
        )
        if api_served:
            return went + (
                "point the app's Twilio client at twimlsim serve (README: Twilio's helper "
                "libraries: TWIMLSIM_URL and the Node preload, sitecustomize.py, ...)"
            )
        return went + (
            "run the app against twimlsim serve with its Twilio client pointed there "
            "(README: twimlsim serve, Twilio's helper libraries: TWIMLSIM_URL and the Node "
            "preload, sitecustomize.py, ...); twimlsim call serves no REST API"
        )
    return None


def _failures(body: str) -> list[tuple[int, int]]:
    """Where ``body``'s failures are, words only punctuation apart taken as one (Ruby's
    ``getaddrinfo: Name or service not known``)."""
    spans: list[tuple[int, int]] = []
    for found in _FAILED.finditer(body):
        if spans and _JOINED.fullmatch(body, spans[-1][1], found.start()):
            spans[-1] = (spans[-1][0], found.end())
        else:
            spans.append(found.span())
    return spans


def _api_host_of(body: str, failure: tuple[int, int]) -> str | None:
    """The Twilio API host the failure at ``failure`` is about, or None where it is about
    another."""
    closing = _CLOSING.search(body, failure[0], failure[1])
    after = None if closing else _NAMED_AFTER.match(body, failure[1], failure[1] + _AFTER_SPAN)
    before = _NAMED_BEFORE.search(body, max(0, failure[0] - 120), failure[0])
    if body.startswith(("Error", "Exception"), failure[1]):
        return None  # a class's name (NameResolutionError): its message's words are read
    if after is None and not closing and _one_label_after(body, failure):
        return None  # a container's host, db or redis, not the API's
    if before is None:
        message = _NAMED_IN_MESSAGE.search(body, max(0, failure[0] - 120), failure[0])
        if message is not None:
            address = next(group for group in message.groups() if group is not None)
            if _HOST.fullmatch(address):
                return address
            if not _public_ip(address):
                return None
    if before is not None and before.group(1) is None:
        return None  # urllib3's "Failed to resolve 'db' ([Errno -3] Temporary failure..."
    if before is not None and _CLASS_NAME.fullmatch(before.group(1)):
        before = None  # an exception's name, not an address
    named = after or before or _POOL_HOST.search(body, max(0, failure[0] - 1000), failure[0])
    if named is not None:
        address = named.group(1)
        if _HOST.fullmatch(address):
            return address
        if not _public_ip(address):
            return None  # another host, or a local address
    return _near_api_host(body, failure)


def _one_label_after(body: str, failure: tuple[int, int]) -> bool:
    """Whether the failure at ``failure`` names a host of one label after its words."""
    end = failure[1]
    if _LABEL_QUOTED.match(body, end, end + _AFTER_SPAN):
        return True
    words = body[failure[0] : end]
    return words.endswith(("ENOTFOUND", "EAI_AGAIN")) and bool(
        _LABEL_AFTER_NODE.match(body, end, end + _AFTER_SPAN)
    )


def _public_ip(address: str) -> bool:
    """Whether ``address`` is a global IP address (the real API's, once resolved). Node
    writes an IPv6 address with its port unbracketed (``::1:8080``): that port is left
    off first."""
    address = address.strip("[]")
    candidates = [address.rsplit(":", 1)[0], address] if "::" in address else [address]
    for candidate in candidates:
        try:
            return ipaddress.ip_address(candidate).is_global
        except ValueError:
            continue
    return False


def _near_api_host(body: str, failure: tuple[int, int]) -> str | None:
    """The Twilio API host nearest the failure at ``failure`` within ``_NEAR`` characters
    with no local address between them, or None."""
    start, end = max(0, failure[0] - _NEAR), failure[1] + _NEAR
    best: tuple[int, str] | None = None
    for host in _HOST.finditer(body, start, end):
        if host.end() <= failure[0]:
            between = body[host.end() : failure[0]]
        else:
            between = body[failure[1] : host.start()]
        if _LOCAL.search(between):
            continue
        distance = len(between)
        if best is None or distance < best[0]:
            best = (distance, host.group(0))
    return None if best is None else best[1]

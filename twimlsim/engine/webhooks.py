"""Webhook requests and responses as plain data, signed the way Twilio signs them.

Twilio's wire names (``CallSid``, ``CallStatus``...) are built here and in
``call_params`` (the parameters every request about a call carries), nowhere else in the
engine.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from itertools import compress
from operator import add, ne
from typing import Protocol, TypeVar
from urllib.parse import quote, quote_plus, urlsplit, urlunsplit

from twimlsim.engine.call_params import call_params
from twimlsim.engine.wire_order import name_order, wire_order
from twimlsim.signature import compute_signature, signature_of

__all__ = [
    "Transport",
    "WebhookDeliveryError",
    "WebhookRequest",
    "WebhookResponse",
    "call_params",
    "hop_signer",
    "sign_request",
]

#: Headers Twilio's webhook client sends (observed on real requests) besides the signature.
BASE_HEADERS: Mapping[str, str] = {
    "User-Agent": "TwilioProxy/1.1",
    "Accept": "*/*",
    "Accept-Encoding": "gzip",
}

#: Webhook parameters repeat endlessly (names, numbers, URLs, statuses, empty geo fields):
#: quoting each distinct string once makes encoding a request a few dictionary lookups.
#: Letters and digits alone (SIDs, statuses, most names) need no quoting and are not kept.
#: A POST body writes a space as ``%20``, not ``+``: raw bodies Twilio sent (status
#: callbacks captured in public code, ``Timestamp=Fri%2C%2012%20Mar%202021%2016%3A29%3A59
#: %20%2B0000``) quote it so, and every other character as ``quote`` does with nothing
#: kept safe.
_quote = functools.lru_cache(maxsize=2048)(functools.partial(quote, safe=""))


#: A GET's query is written otherwise: a Request URI Twilio's debugger showed for a GET
#: status callback (2023) reads ``Timestamp=Mon,+17+Jul+2023+18:58:55+%2B0000`` and
#: ``CallerState=Qu%C3%A9bec``: a space as ``+``, ``,`` and ``:`` as themselves. The
#: characters kept are those of a query parameter in RFC 3986 (sub-delimiters but ``&``,
#: ``=`` and ``+``, then ``:@/?``), the rule that fits; only ``,`` and ``:`` were seen.
_quote_query = functools.lru_cache(maxsize=2048)(functools.partial(quote_plus, safe="!$'()*,;:@/?"))


def _pair_encoder(quote: Callable[[str], str]) -> Callable[[str, str], str]:
    """What writes ``name=value``, each quoted by ``quote`` (letters and digits alone as
    they are)."""

    def encode(name: str, value: str) -> str:
        return (
            f"{name if name.isascii() and name.isalnum() else quote(name)}="
            f"{value if value.isascii() and value.isalnum() else quote(value)}"
        )

    return encode


#: ``name=value`` as a POST body (``form_encode``) and as a GET's query (``query_encode``).
_encode_pair = _pair_encoder(_quote)
_encode_query_pair = _pair_encoder(_quote_query)


def query_encode(params: Mapping[str, str]) -> str:
    """The query string Twilio adds to a GET webhook's URL for ``params``."""
    return "&".join(map(_encode_query_pair, params.keys(), params.values()))


def form_encode(params: Mapping[str, str]) -> str:
    """``application/x-www-form-urlencoded`` text of ``params`` as Twilio writes a POST
    body: as ``urlencode`` makes it, except that a space is ``%20``."""
    return _encode_pairs(params.items())


def _encode_pairs(pairs: Iterable[tuple[str, str]]) -> str:
    return "&".join([_encode_pair(name, value) for name, value in pairs])


_Shared = TypeVar("_Shared", bound=Hashable)
#: Each cache holds at most this many values, then starts afresh.
_SHARED_LIMIT = 1024
#: Answer bodies shorter than this are shared (a TwiML document, an empty 200).
_SHARED_BODY_UNDER = 1024
_ANSWER_HEADERS: dict[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]] = {}
_ANSWER_BODIES: dict[bytes, bytes] = {}


def _remember(cache: dict[_Shared, _Shared], value: _Shared) -> None:
    """Keep ``value`` in ``cache``, for the equal values that come after it."""
    if len(cache) >= _SHARED_LIMIT:
        cache.clear()
    cache[value] = value


@dataclass(frozen=True, slots=True)
class WebhookResponse:
    """What the app answered: status, headers (name/value pairs as sent), body bytes."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    #: The exception behind an error answer, when the app logged or raised one.
    app_error: BaseException | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        # a run keeps every answer: one copy of the headers and short bodies that repeat
        # (the same document served call after call)
        headers = self.headers
        if type(headers) is tuple:
            shared = _ANSWER_HEADERS.get(headers)
            if shared is None:
                _remember(_ANSWER_HEADERS, headers)
            elif shared is not headers:
                object.__setattr__(self, "headers", shared)
        body = self.body
        if type(body) is bytes and len(body) < _SHARED_BODY_UNDER:
            shared_body = _ANSWER_BODIES.get(body)
            if shared_body is None:
                _remember(_ANSWER_BODIES, body)
            elif shared_body is not body:
                object.__setattr__(self, "body", shared_body)

    def header(self, name: str) -> str | None:
        """The first value of header ``name`` (case-insensitive), or None."""
        wanted = name.lower()
        return next((value for key, value in self.headers if key.lower() == wanted), None)

    def header_values(self, name: str) -> list[str]:
        """Every value of header ``name`` (case-insensitive), in order."""
        wanted = name.lower()
        return [value for key, value in self.headers if key.lower() == wanted]

    @property
    def content_type(self) -> str | None:
        """The ``Content-Type`` header, if any."""
        return self.header("Content-Type")

    @property
    def text(self) -> str:
        """The body decoded as UTF-8 (undecodable bytes replaced)."""
        return self.body.decode("utf-8", "replace")


class _Layout:
    """The parameter and header names of requests that send the same names in the same
    order (most of a run's webhooks), and the parameter values last kept whole for them.

    A request keeps its parameter values as the differences from the base (``whole``),
    the values of an earlier request with this layout: the few that change from call to
    call (the call SID, a timestamp, a sequence number), at positions most requests share.
    """

    __slots__ = (
        "encoded",
        "header_names",
        "last_positions",
        "param_names",
        "positions",
        "rank",
        "signed",
        "whole",
    )

    def __init__(self, param_names: tuple[str, ...], header_names: tuple[str, ...]) -> None:
        self.param_names = param_names
        self.header_names = header_names
        #: The base values' ``name=value`` pieces of the form body, and ``name + value``
        #: pieces of the signed text (sorted by name), with the base they were made from:
        #: a request of this layout patches the few positions it changed and joins.
        self.encoded: tuple[tuple[str, ...], list[str]] | None = None
        self.signed: tuple[tuple[str, ...], list[str]] | None = None
        #: Each parameter position's rank when sorted by name (names are unique: a
        #: request's parameters are a mapping).
        order = sorted(range(len(param_names)), key=param_names.__getitem__)
        self.rank = [0] * len(order)
        for rank, position in enumerate(order):
            self.rank[position] = rank
        #: The base values, as a tuple and as a list to compare with (one attribute, so
        #: that a request always reads a matching pair).
        self.whole: tuple[tuple[str, ...], list[str]] | None = None
        #: The positions the last request kept as changes (the guess for the next one).
        self.last_positions: tuple[int, ...] = ()
        #: Tuples of changed positions, one shared object per distinct tuple.
        self.positions: dict[tuple[int, ...], tuple[int, ...]] = {}


_LAYOUTS: dict[tuple[tuple[str, ...], tuple[str, ...]], _Layout] = {}
_LAYOUTS_LIMIT = 4096
#: Past this many shared position tuples a layout starts afresh (bounded memory).
_POSITIONS_LIMIT = 256
_NOTHING_CHANGED: tuple[int, ...] = ()
_NO_VALUES: tuple[str, ...] = ()

#: ``compress`` over it yields the positions of the values that changed (it stops at the
#: shorter of the two: requests have far fewer values than this).
_POSITIONS = range(1 << 30)


class WebhookRequest:
    """One HTTP request Twilio makes to the app.

    ``url`` is exactly what was requested and signed (for GET it includes the query built
    from ``params``); ``params`` maps wire names to values; ``headers`` maps header names
    to values (``X-Twilio-Signature`` among them); ``kind`` says why it was sent
    (``voice``, ``status``, ``fallback``, ``redirect``, ...); ``at`` is the virtual time.

    A run keeps every request it made, so a request keeps its parameters and headers
    compactly: the names are shared with the requests that send the same names, the
    header values are a tuple, and the parameter values are kept as what differs from an
    earlier such request. ``params`` and ``headers`` give them as a new ``dict`` each time
    they are read.
    """

    __slots__ = (
        "_base",
        "_changed",
        "_header_values",
        "_layout",
        "_positions",
        "at",
        "call_sid",
        "kind",
        "method",
        "response",
        "url",
    )
    __match_args__ = ("method", "url", "params", "headers", "kind", "call_sid", "at")

    def __init__(
        self,
        method: str,
        url: str,
        params: Mapping[str, str],
        headers: Mapping[str, str],
        kind: str,
        call_sid: str,
        at: datetime,
        response: WebhookResponse | None = None,
    ) -> None:
        self.method = method
        self.url = url
        self.kind = kind
        self.call_sid = call_sid
        self.at = at
        self.response: WebhookResponse | None = response
        self._header_values = tuple(headers.values())
        self._keep(tuple(params), tuple(headers), tuple(params.values()))

    @classmethod
    def _sent(
        cls,
        method: str,
        url: str,
        param_names: tuple[str, ...],
        param_values: tuple[str, ...],
        header_names: tuple[str, ...],
        header_values: tuple[str, ...],
        kind: str,
        call_sid: str,
        at: datetime,
    ) -> WebhookRequest:
        """The request, from parameters and headers given as names and values (no dict to
        build)."""
        request = cls.__new__(cls)
        request.method = method
        request.url = url
        request.kind = kind
        request.call_sid = call_sid
        request.at = at
        request.response = None
        request._header_values = header_values
        request._keep(param_names, header_names, param_values)
        return request

    def _keep(
        self, param_names: tuple[str, ...], header_names: tuple[str, ...], values: tuple[str, ...]
    ) -> None:
        """Keep the parameter ``values`` as their differences from the layout's base."""
        key = (param_names, header_names)
        layout = _LAYOUTS.get(key)
        if layout is None:
            if len(_LAYOUTS) >= _LAYOUTS_LIMIT:
                _LAYOUTS.clear()
            layout = _LAYOUTS[key] = _Layout(param_names, header_names)
        self._layout = layout
        whole = layout.whole
        if whole is not None:
            base, base_list = whole
            # Most requests change the values the last one changed (SID, time, sequence
            # number): check that guess at C speed before comparing value by value.
            guess = layout.last_positions
            probe = list(values)
            any(map(probe.__setitem__, guess, map(base.__getitem__, guess)))
            if probe == base_list:
                shared = guess
            else:
                positions = tuple(compress(_POSITIONS, map(ne, values, base)))
                if 4 * len(positions) > len(values):
                    self._keep_whole(layout, values)
                    return
                known = layout.positions.get(positions)
                if known is None:
                    if len(layout.positions) >= _POSITIONS_LIMIT:
                        layout.positions.clear()
                    known = layout.positions[positions] = positions
                layout.last_positions = shared = known
            self._base = base
            self._positions = shared
            self._changed = tuple(map(values.__getitem__, shared))
            return
        self._keep_whole(layout, values)

    def _keep_whole(self, layout: _Layout, values: tuple[str, ...]) -> None:
        # the first request of its layout, or one too different: kept whole, the new base
        layout.whole = (values, list(values))
        self._base = values
        self._positions = _NOTHING_CHANGED
        self._changed = _NO_VALUES

    def _values(self) -> tuple[str, ...] | list[str]:
        """The parameter values, in order."""
        if not self._positions:
            return self._base
        values = list(self._base)
        any(map(values.__setitem__, self._positions, self._changed))  # all None: sets each
        return values

    @property
    def params(self) -> dict[str, str]:
        """The parameters by wire name, in the order sent."""
        # names and values come from one request, of one length (a strict zip costs more)
        return dict(zip(self._layout.param_names, self._values(), strict=False))

    @property
    def headers(self) -> dict[str, str]:
        """The headers by name, in the order sent (``X-Twilio-Signature`` among them)."""
        return dict(zip(self._layout.header_names, self._header_values, strict=False))

    def add_header(self, name: str, value: str) -> None:
        """Send header ``name`` too (a ``Cookie``, an ``Authorization``), replacing any
        value it had."""
        headers = self.headers
        headers[name] = value
        self._header_values = tuple(headers.values())
        self._keep(self._layout.param_names, tuple(headers), tuple(self._values()))

    @property
    def body(self) -> bytes:
        """The form-encoded body (empty for GET)."""
        if self.method == "GET":
            return b""
        layout = self._layout
        base = self._base
        made = layout.encoded
        if made is None or made[0] is not base:
            made = layout.encoded = (base, list(map(_encode_pair, layout.param_names, base)))
        return "&".join(self._patched(made[1], _encode_pair, None)).encode()

    def _signed_text(self) -> str:
        """What ``X-Twilio-Signature`` signs after the URL: each parameter's name and value,
        sorted by name (``compute_signature``'s text for a mapping)."""
        layout = self._layout
        base = self._base
        made = layout.signed
        if made is None or made[0] is not base:
            ranked = sorted(zip(layout.param_names, base, strict=False))
            made = layout.signed = (base, [name + value for name, value in ranked])
        return "".join(self._patched(made[1], add, layout.rank))

    def _patched(
        self, pieces: list[str], piece: Callable[[str, str], str], slots: list[int] | None
    ) -> list[str]:
        """The base's ``pieces`` with the piece of each value this request changed in
        place (at its position, or at ``slots[position]``): a copy, the base's stay."""
        if not self._positions:
            return pieces
        names = self._layout.param_names
        pieces = pieces.copy()
        for position, value in zip(self._positions, self._changed, strict=False):
            pieces[position if slots is None else slots[position]] = piece(names[position], value)
        return pieces

    def _compared(self) -> tuple[object, ...]:
        return (
            self.method,
            self.url,
            self._layout.param_names,
            tuple(self._values()),
            self.headers,
            self.kind,
            self.call_sid,
            self.at,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, WebhookRequest):
            return NotImplemented
        return self._compared() == other._compared()

    __hash__ = None  # type: ignore[assignment]  # mutable (its response is set later)

    def __repr__(self) -> str:
        return (
            f"WebhookRequest(method={self.method!r}, url={self.url!r}, params={self.params!r}, "
            f"headers={self.headers!r}, kind={self.kind!r}, call_sid={self.call_sid!r}, "
            f"at={self.at!r}, response={self.response!r})"
        )


class WebhookDeliveryError(Exception):
    """The request got no HTTP answer: the app raised, or nothing serves the URL.

    ``code`` is the Twilio error code the failure maps to (11200 app error, 11205 nothing
    listening, 11210 unknown host); ``read_timeout`` the seconds the app was given, when
    what failed is that it answered in none of them (Twilio's read timeout).
    """

    def __init__(self, code: int, message: str, *, read_timeout: float | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.read_timeout = read_timeout


class Transport(Protocol):
    """Moves one webhook request to the app and brings back its answer."""

    def send(self, request: WebhookRequest) -> WebhookResponse:
        """Deliver ``request``; raise ``WebhookDeliveryError`` when there is no answer."""
        ...


def with_query(url: str, params: Mapping[str, str]) -> str:
    """``url`` with ``params`` appended to its query string (GET webhooks)."""
    if not params:
        return url
    extra = query_encode(params)
    try:
        scheme, netloc, path, query, fragment = urlsplit(url)
    except ValueError:  # an unusable URL ("http://[::1"): the transport reports it (11205)
        return f"{url}{'&' if '?' in url else '?'}{extra}"
    query = f"{query}&{extra}" if query else extra
    return urlunsplit((scheme, netloc, path, query, fragment))


_BASE_VALUES = tuple(BASE_HEADERS.values())
_FORM = "application/x-www-form-urlencoded"
#: Twilio's Webhooks FAQ: "all webhooks will contain an HTTP header ``X-Home-Region``
#: containing the specific region" (``us1``, the home region of an account not moved to
#: another); captured requests carry it just before the signature.
HOME_REGION = "us1"
_GET_HEADER_NAMES = (
    *BASE_HEADERS,
    "I-Twilio-Idempotency-Token",
    "X-Home-Region",
    "X-Twilio-Signature",
)
_POST_HEADER_NAMES = (
    *BASE_HEADERS,
    "I-Twilio-Idempotency-Token",
    "Content-Type",
    "X-Home-Region",
    "X-Twilio-Signature",
)

#: The requests whose parameters Twilio is seen writing in its hash map's order
#: (``wire_order``): the TwiML requests of a call and its status, recording-status and
#: transcription callbacks. A ``<Dial>`` action's are sorted by name, as captured (2023
#: on). The others (``<Pay>``, ``<Refer>``, real-time transcription, conference
#: events...) keep the order of Twilio's pages, as no capture shows theirs.
HASH_ORDERED_KINDS = frozenset(
    {
        "voice",
        "fallback",
        "redirect",
        "update",
        "gather",
        "record",
        "enqueue",
        "wait",
        "queue",
        "whisper",
        "status",
        "recording-status",
        "transcription",
    }
)

_Order = Callable[[tuple[str, ...]], tuple[tuple[str, ...], tuple[int, ...] | None]]
#: How each kind of request orders its parameters (a kind not here: as given).
_ORDER_OF: dict[str, _Order] = dict.fromkeys(HASH_ORDERED_KINDS, wire_order)
_ORDER_OF["dial"] = name_order

#: The usual spellings of a method, to one shared string each (requests are kept in the log).
_METHODS = {name: name for name in ("GET", "POST")} | {"get": "GET", "post": "POST"}


def sign_request(
    *,
    method: str,
    url: str,
    params: Mapping[str, str],
    auth_token: str,
    kind: str,
    call_sid: str,
    at: datetime,
    idempotency_token: str,
) -> WebhookRequest:
    """Build the request Twilio sends: GET puts ``params`` in the URL, POST in the body,
    for the kinds of ``HASH_ORDERED_KINDS`` in the order Twilio writes them
    (``wire_order``), for a ``<Dial>`` action sorted by name, for the others in the order
    given."""
    method = _METHODS.get(method) or method.upper()
    param_values = tuple(params.values())
    order = _ORDER_OF.get(kind)
    if order is not None:
        names, positions = order(tuple(params))
        if positions is not None:
            param_values = tuple(map(param_values.__getitem__, positions))
    else:
        names = tuple(params)
    if method == "GET":
        full_url = with_query(url, dict(zip(names, param_values, strict=True)))
        values = (
            *_BASE_VALUES,
            idempotency_token,
            HOME_REGION,
            compute_signature(auth_token, full_url),
        )
        return WebhookRequest._sent(
            method, full_url, names, param_values, _GET_HEADER_NAMES, values, kind, call_sid, at
        )
    values = (*_BASE_VALUES, idempotency_token, _FORM, HOME_REGION, "")
    request = WebhookRequest._sent(
        method, url, names, param_values, _POST_HEADER_NAMES, values, kind, call_sid, at
    )
    # signed from the request's kept values: the sorted text is mostly the layout's, patched
    signature = signature_of(auth_token, url + request._signed_text())
    request._header_values = (*values[:-1], signature)
    return request


#: The first hex digit of a UUID's fourth group with the RFC 4122 variant bits (``10``).
_VARIANT = {digit: "89ab"[int(digit, 16) & 3] for digit in "0123456789abcdef"}


def hop_signer(
    *,
    params: Mapping[str, str],
    auth_token: str,
    kind: str,
    call_sid: str,
    at: datetime,
    idempotency_hex: Callable[[str], str],
) -> Callable[[str, str, bool], WebhookRequest]:
    """The ``build(hop_url, hop_method, with_params)`` that ``fetch`` calls for each hop of
    one webhook: the signed request, carrying ``params`` unless a redirect dropped them,
    and an ``I-Twilio-Idempotency-Token``, a version 4 UUID made from the 32 hex digits
    ``idempotency_hex(hop_url)`` returns."""

    def build(hop_url: str, hop_method: str, with_params: bool) -> WebhookRequest:
        token = idempotency_hex(hop_url)
        return sign_request(
            method=hop_method,
            url=hop_url,
            params=params if with_params else {},
            auth_token=auth_token,
            kind=kind,
            call_sid=call_sid,
            at=at,
            # a random UUID (version 4, RFC 4122 variant), as every captured token is
            idempotency_token=f"{token[:8]}-{token[8:12]}-4{token[13:16]}-"
            f"{_VARIANT[token[16]]}{token[17:20]}-{token[20:32]}",
        )

    return build

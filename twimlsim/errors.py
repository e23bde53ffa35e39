"""Errors twimlsim raises, and the Twilio error codes it speaks.

Exception tree::

    TwimlsimError                 base of everything twimlsim raises
    ├── TwilioApiError            a REST request Twilio would refuse (rendered as Twilio's JSON)
    ├── ConfigurationError        the simulator was used wrongly (says how to fix it)
    ├── NetworkEscapeError        a request to a Twilio host took a route the simulator
    │                             does not answer; it was stopped before any connection
    └── SimulationError           strict mode: one or more simulated calls went wrong
        │                         (``.failures`` holds one ``CallFailure`` each)
        └── RunawayCalls          a run stopped: calls kept placing calls (strict or not)

A ``CallFailure`` is data: the call SID, the Twilio error code, the URL and a message. The
simulated call still does what Twilio does (fallback URL, the application-error message,
hang up); strict mode then raises so that the test fails at the user's line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

__all__ = [
    "CallFailure",
    "ConfigurationError",
    "RunawayCalls",
    "NetworkEscapeError",
    "SimulationError",
    "TwilioApiError",
    "TwimlsimError",
    "describe_failures",
    "more_info",
    "shown_url",
]

#: Titles of the Twilio error codes twimlsim reports, from Twilio's error dictionary.
TWILIO_ERROR_TITLES: dict[int, str] = {
    11100: "Invalid URL format",
    11200: "HTTP retrieval failure",
    11205: "HTTP connection failure",
    11210: "HTTP bad host name",
    11215: "Too many HTTP redirects",
    11216: "HTTP invalid redirect",
    11220: "SSL/TLS Handshake Error",
    11235: "Certificate Invalid - Domain Mismatch",
    11236: "Certificate Invalid - Certificate Expired",
    11237: "Certificate Invalid - Could not find path to certificate",
    11243: "HTTP retry policy is invalid",
    11750: "TwiML response body too large",
    11770: "Empty response body",
    12100: "Document parse failure",
    12101: "Invalid Twilio Markup XML version",
    12102: "The root element must be Response",
    12200: "Schema validation warning",
    12300: "Invalid Content-Type",
    12400: "Internal failure",
    13201: "Dial: Cannot Dial out from a Dial Call Segment",
    13214: "Dial: Invalid callerId value",
    13224: "Dial: Twilio does not support calling this number or the number is invalid",
    13236: "Dial->Conference: Invalid Conference Sid",
    13259: "Invalid CallerDisplayName",
    13801: "Refer not allowed on non-SIP call legs",
    15003: "Call Progress: Warning Response to Callback URL",
    15004: "Action Callback URL must be absolute when updating in-progress calls",
    16011: "Conference Event: Error Response to Callback URL",
    20003: "Authentication Error",
    20404: "Not Found",
    31920: "Stream - WebSocket - Handshake Error",
    31922: "Stream - WebSocket - URL Schema Not Supported",
    31923: "Stream - WebSocket - Malformed URL",
    31924: "Stream - Websocket - Protocol Error",
    31931: "Stream - Media - Media Discarded",
    31941: "Stream - Invalid Track configuration",
    32015: "Call ended: exceeded max duration",
    32019: "Twiml and Voice URL are both set. Using Voice URL.",
    32220: "Specifying an edge is not allowed when dialing SIP registered endpoints",
    32223: "There is no username in the SIP URI when calling a SIP registered endpoint",
    64003: "Pay: Invalid charge amount",
    64016: "Pay: Invalid Action URL",
    64020: "Pay: Invalid Parameter Value",
}


def more_info(code: int) -> str:
    """The documentation URL Twilio puts in ``more_info`` for an error code."""
    return f"https://www.twilio.com/docs/errors/{code}"


class TwimlsimError(Exception):
    """Base class of every error twimlsim raises."""


class ConfigurationError(TwimlsimError):
    """The simulator was configured or called in a way it cannot honour."""


class NetworkEscapeError(TwimlsimError):
    """A request to a Twilio host did not go through a transport the simulator answers
    (a custom HTTP client, a raw socket): it was blocked before any connection was opened.
    The message says how to route it."""


class TwilioApiError(TwimlsimError):
    """A REST request that Twilio answers with an error body.

    ``status`` is the HTTP status, ``code`` Twilio's error code; ``rest/`` renders it as
    ``{"code", "message", "more_info", "status"}``.
    """

    def __init__(self, status: int, code: int, message: str) -> None:
        super().__init__(f"HTTP {status}, Twilio error {code}: {message}")
        self.status = status
        self.code = code
        self.message = message

    def __reduce__(self) -> tuple[Any, ...]:
        # pickled by its parts (a parallel test runner sends a test's error to its parent)
        return (type(self), (self.status, self.code, self.message), self.__dict__)

    @property
    def more_info(self) -> str:
        """Twilio's documentation URL for ``code``."""
        return more_info(self.code)

    def to_json(self) -> dict[str, object]:
        """The body Twilio sends for this error."""
        return {
            "code": self.code,
            "message": self.message,
            "more_info": self.more_info,
            "status": self.status,
        }


@dataclass(frozen=True, slots=True)
class CallFailure:
    """Something that went wrong on one simulated call, as Twilio's debugger would log it."""

    call_sid: str
    code: int | None
    message: str
    url: str | None = None
    element: str | None = None
    line: int | None = None
    #: The exception the app raised, when that is what went wrong.
    cause: BaseException | None = field(default=None, compare=False, repr=False)
    #: ``"error"`` or ``"warning"``, the level Twilio's debugger logs it at.
    level: str = "error"

    @property
    def subject(self) -> str:
        """What the problem is about, in words: ``call CA...``, or ``conference CF...`` for
        a problem of a conference room itself (a callback about the room, such as its
        ``conference-end``, which no call's is)."""
        return f"{'conference' if self.call_sid.startswith('CF') else 'call'} {self.call_sid}"

    def __str__(self) -> str:
        where = f" at {shown_url(self.url)}" if self.url else ""
        element = ""
        if self.element:
            element = f" in <{self.element}>" + (f" (line {self.line})" if self.line else "")
        if self.code is None:
            return f"{self.subject}{where}{element}: {self.message}"
        title = TWILIO_ERROR_TITLES.get(self.code, "")
        # a message that opens with the title (a parse error's) says it once, not twice
        message = self.message.removeprefix(f"{title}: ") if title else self.message
        return (
            f"{self.subject}: Twilio {self.level} {self.code}"
            + (f" ({title})" if title else "")
            + f"{where}{element}: {message} [{more_info(self.code)}]"
        )


#: How much of a long query a message shows of a URL.
_QUERY_SHOWN = 200


def shown_url(url: str) -> str:
    """``url`` as a message shows it: a query that runs long (a login page's ?next= that
    quoted the URL it came from at each hop of a redirect loop, Twilio's parameters and
    all) cut to its first ``_QUERY_SHOWN`` characters, with its length; any other URL
    whole."""
    if len(url) <= _QUERY_SHOWN:
        return url
    base, _, query = url.partition("?")
    if len(query) <= _QUERY_SHOWN:
        return url
    return f"{base}?{query[:_QUERY_SHOWN]}... (a query of {len(query):,} characters)"


#: How many distinct problems an error message names before counting the rest.
MAX_PROBLEMS_SHOWN = 10
#: How many call SIDs a problem shared by many calls names before counting the rest.
MAX_CALLS_NAMED = 3


def describe_failures(
    failures: Sequence[CallFailure], *, limit: int | None = MAX_PROBLEMS_SHOWN
) -> list[str]:
    """One line per distinct problem: failures that differ only in their call (the same
    code, place and message on 300 calls of a loop) are one line naming a few of the calls
    and counting the others; after ``limit`` lines (``MAX_PROBLEMS_SHOWN``; ``None``: no
    limit) the rest are counted."""
    groups: dict[tuple[object, ...], list[CallFailure]] = {}
    for failure in failures:
        key = (failure.code, failure.level, failure.url, failure.element, failure.line)
        groups.setdefault(key + (failure.message,), []).append(failure)
    lines = []
    shown = list(groups.values())[:limit]
    for same in shown:
        text = str(same[0])
        if len(same) > 1:
            met_by = list(dict.fromkeys(failure.call_sid for failure in same))
            times = "" if len(met_by) == len(same) else f", {len(same)} times"
            if len(met_by) == 1:  # one call met it again and again (each of its webhooks)
                named = f"{same[0].subject} ({len(same)} times)"
            else:
                sids = ", ".join(met_by[:MAX_CALLS_NAMED])
                more = len(met_by) - MAX_CALLS_NAMED
                named = f"{len(met_by)} calls ({sids}" + (f" and {more} more" if more > 0 else "")
                named += times + ")"
            text = named + text.removeprefix(same[0].subject)
        lines.append(text)
    rest = list(groups.values())[len(shown) :]
    if rest:
        calls = sum(len(same) for same in rest)
        lines.append(
            f"... and {len(rest)} more problem{'s' if len(rest) > 1 else ''} "
            f"({calls} failure{'s' if calls > 1 else ''}): every one is in the error's "
            ".failures and in sim.failures"
        )
    return lines


class SimulationError(TwimlsimError):
    """Strict mode found problems on simulated calls; ``failures`` lists each one. The
    message names each distinct problem once (``describe_failures``)."""

    def __init__(self, failures: Sequence[CallFailure]) -> None:
        self.failures = tuple(failures)
        lines = describe_failures(self.failures)
        hint = (
            "Each problem says what the simulated call did about it; pass strict=False (or "
            "allow_codes={code, ...}) to let them pass and assert that behaviour instead."
        )
        if any(failure.code is None for failure in self.failures):
            hint += (
                " A problem without a Twilio code (one twimlsim does not simulate) passes "
                "only with strict=False."
            )
        count = len(self.failures)
        head = "1 simulated call problem" if count == 1 else f"{count} simulated call problems"
        super().__init__(head + ":\n  " + "\n  ".join(lines) + "\n" + hint)

    def __reduce__(self) -> tuple[Any, ...]:
        # A parallel test runner (Django's ``manage.py test --parallel``, multiprocessing)
        # pickles a test's error to send it to its parent: the failures travel without the
        # app's exceptions (which hold the app's objects), their text says what they were.
        return (type(self), (tuple(replace(f, cause=None) for f in self.failures),))


class RunawayCalls(SimulationError):
    """A run was stopped because calls kept creating calls (strict or not).

    ``failures`` holds the run's failures, the stop last.
    """

    def __init__(self, failures: Sequence[CallFailure]) -> None:
        # not SimulationError's message: the stop, last, is always named on its own
        self.failures = tuple(failures)
        named = [*describe_failures(self.failures[:-1]), *map(str, self.failures[-1:])]
        lines = "\n  ".join(named)
        TwimlsimError.__init__(self, f"the run was stopped:\n  {lines}")

    def __str__(self) -> str:
        return str(self.args[0])


def live_view_refused(what: str, keep: str) -> TypeError:
    """Why ``what``, part of a running simulation, cannot be pickled or deep-copied (its
    copy would drag the whole simulation along, threads and patched clocks included), and
    ``keep``, the plain values to keep instead."""
    return TypeError(
        f"{what} cannot be pickled or copied: it is part of a running simulation (its "
        f"engine, threads and interceptors); keep the plain values you need instead: {keep}"
    )

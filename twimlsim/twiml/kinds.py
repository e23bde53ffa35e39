"""Attribute value kinds: how a raw TwiML attribute string becomes a typed value.

Each ``Kind`` names its Python type (for the generated node classes) and converts a raw
value, raising ``InvalidValue`` (with what was expected, and the Twilio code when it is
not the attribute's own) for a value Twilio rejects.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from twimlsim.integers import saturated_int

Level = Literal["error", "warning"]


class InvalidValue(ValueError):
    """Raised by a value kind when a raw attribute value is not acceptable."""

    def __init__(self, expected: str, code: int | None = None) -> None:
        super().__init__(expected)
        self.expected = expected
        self.code = code
        """A more specific Twilio code than the attribute's own (Gather finishOnKey: 13311)."""


@dataclass(frozen=True, slots=True)
class Kind:
    """How one attribute's raw string becomes a typed value.

    `annotation` is the Python type of the node field (text used by the node generator);
    `convert` returns the typed value or raises `InvalidValue` naming what was expected;
    `values` lists the accepted words of an enumeration (empty for open kinds).
    """

    annotation: str
    convert: Callable[[str], object]
    values: tuple[str, ...] = ()


def _text(raw: str) -> str:
    return raw


def _bool(raw: str) -> bool:
    low = raw.strip().lower()
    if low == "true":
        return True
    if low == "false":
        return False
    raise InvalidValue("true or false")


def _method(raw: str) -> str:
    up = raw.strip().upper()
    if up in ("GET", "POST"):
        return up
    raise InvalidValue("GET or POST")


_INT_RE = re.compile(r"\s*\+?[0-9]+\s*")


def integer(minimum: int, maximum: int | None = None) -> Kind:
    """An integer from ``minimum`` (to ``maximum``, when given; both inclusive)."""
    if maximum is not None:
        expected = f"an integer from {minimum} to {maximum}"
    elif minimum == 1:
        expected = "a positive integer"
    else:
        expected = f"an integer >= {minimum}"

    def convert(raw: str) -> int:
        if not _INT_RE.fullmatch(raw):
            raise InvalidValue(expected)
        value = saturated_int(raw)
        if value < minimum or (maximum is not None and value > maximum):
            raise InvalidValue(expected)
        return value

    return Kind("int", convert)


def enum(*values: str) -> Kind:
    """One of a fixed set of strings (case-sensitive)."""
    allowed = frozenset(values)
    expected = "one of " + ", ".join(values)

    def convert(raw: str) -> str:
        value = raw.strip()
        if value not in allowed:
            raise InvalidValue(expected)
        return value

    return Kind("str", convert, values)


def words(*values: str) -> Kind:
    """A space-separated list; when `values` is given every word must be one of them."""
    allowed = frozenset(values)
    expected = "space-separated values from: " + ", ".join(values)

    def convert(raw: str) -> tuple[str, ...]:
        items = tuple(raw.split())
        if allowed and (not items or not allowed.issuperset(items)):
            raise InvalidValue(expected + _list_repr_hint(raw))
        return items

    return Kind("tuple[str, ...]", convert, values)


_QUOTED = re.compile(r"'([^']*)'|\"([^\"]*)\"")


def _list_repr_hint(raw: str) -> str:
    """What to write instead of a Python list's repr, which twilio-python's TwiML builder
    writes for a list value (``input=["speech", "dtmf"]`` becomes ``"['speech', 'dtmf']"``;
    its REST client, not its TwiML, takes lists), or "" for any other value."""
    text = raw.strip()
    if not (text.startswith("[") and text.endswith("]")):
        return ""
    words = " ".join(a or b for a, b in _QUOTED.findall(text))
    return (
        " (this is a Python list written as its repr, as twilio-python's TwiML builder "
        f"writes a list; give one space-separated string instead: {words!r})"
    )


def pattern(regex: str, expected: str) -> Kind:
    """A string that must match `regex` in full."""
    compiled = re.compile(regex)

    def convert(raw: str) -> str:
        if not compiled.fullmatch(raw):
            raise InvalidValue(expected)
        return raw

    return Kind("str", convert)


def url(*schemes: str) -> Kind:
    """An absolute or relative URL; an absolute one must use one of `schemes`."""
    allowed = schemes or ("http", "https")
    expected = "an absolute or relative " + "/".join(allowed) + " URL without spaces"

    def convert(raw: str) -> str:
        value = raw.strip()
        if any(ch.isspace() for ch in value):
            raise InvalidValue(expected)
        scheme, sep, _ = value.partition(":")
        is_scheme = sep and re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*", scheme)
        if is_scheme and scheme.lower() not in allowed:
            raise InvalidValue(expected)
        return value

    return Kind("str", convert)


def _speech_timeout(raw: str) -> int | str:
    if raw.strip() == "auto":
        return "auto"
    seconds = saturated_int(raw) if _INT_RE.fullmatch(raw) else 0
    if seconds < 1:
        raise InvalidValue('a positive integer or "auto"')
    return seconds


def aliased(names: dict[str, str], expected: str) -> Kind:
    """One of ``names``' keys, read as its value (``true`` and ``false`` stand for two of
    the names, as Twilio takes them); anything else is invalid (``expected``)."""

    def convert(raw: str) -> str:
        value = names.get(raw.strip())
        if value is None:
            raise InvalidValue(expected)
        return value

    return Kind("str", convert, tuple(names))


#: ``<Dial record>``: ``true`` is ``record-from-answer``, ``false`` ``do-not-record``.
DIAL_RECORD = aliased(
    {
        "true": "record-from-answer",
        "false": "do-not-record",
        "do-not-record": "do-not-record",
        "record-from-answer": "record-from-answer",
        "record-from-ringing": "record-from-ringing",
        "record-from-answer-dual": "record-from-answer-dual",
        "record-from-ringing-dual": "record-from-ringing-dual",
    },
    "one of do-not-record, record-from-answer, record-from-ringing, "
    "record-from-answer-dual, record-from-ringing-dual, true, false",
)
#: ``<Conference trim>``, Twilio's 13239 page: "Acceptable values are trim-silence,
#: do-not-trim, true and false" (``true`` read as ``trim-silence``, ``false`` as
#: ``do-not-trim``).
CONFERENCE_TRIM = aliased(
    {
        "true": "trim-silence",
        "false": "do-not-trim",
        "trim-silence": "trim-silence",
        "do-not-trim": "do-not-trim",
    },
    "one of trim-silence, do-not-trim, true, false",
)
#: ``<Conference record>``: ``record-from-start`` or ``do-not-record``; ``true`` and
#: ``false`` read as those two, as the Participants API's ``ConferenceRecord`` takes them
#: (twilio-python writes ``conference(..., record=True)`` as ``record="true"``).
#: UNCONFIRMED for TwiML: the <Conference> page lists only the two names, and Twilio has
#: no warning code for an invalid ``record``, as it has for every other attribute it checks.
CONFERENCE_RECORD = aliased(
    {
        "true": "record-from-start",
        "false": "do-not-record",
        "record-from-start": "record-from-start",
        "do-not-record": "do-not-record",
    },
    "one of do-not-record, record-from-start, true, false",
)


def _gather_finish_on_key(raw: str) -> str:
    if len(raw) > 1:
        raise InvalidValue("a single character from 0123456789#* (or empty)", 13311)
    if raw and raw not in "0123456789#*":
        raise InvalidValue("one of 0123456789#* (or empty)")
    return raw


def _gather_hints(raw: str) -> str:
    hints = [h.strip() for h in raw.split(",")]
    if len(hints) > 500 or any(len(h) > 100 for h in hints):
        raise InvalidValue("at most 500 comma-separated hints of at most 100 characters")
    return raw


#: Twilio's 13259 page: a ``callerDisplayName`` holds, "after you trim leading and trailing
#: spaces", 2-255 printable characters and no control characters.
CALLER_DISPLAY_NAME_LENGTHS = (2, 255)


def caller_display_name(raw: str) -> str:
    """``raw`` with its leading and trailing spaces trimmed, when it is a display name
    Twilio takes (``callerDisplayName`` in TwiML, ``CallerDisplayName`` on a Participants
    create); else ``InvalidValue``. Printable is Python's ``str.isprintable``: a tab, a
    line break or any other control character (and a space other than U+0020) is not."""
    name = raw.strip(" ")
    low, high = CALLER_DISPLAY_NAME_LENGTHS
    if not low <= len(name) <= high or not name.isprintable():
        raise InvalidValue(
            f"{low} to {high} printable characters once leading and trailing spaces are "
            "trimmed, with no control character (tab, line break)"
        )
    return name


TEXT = Kind("str", _text)
CALLER_DISPLAY_NAME = Kind("str", caller_display_name)
BOOL = Kind("bool", _bool)
METHOD = Kind("str", _method)
SPEECH_TIMEOUT = Kind('int | Literal["auto"]', _speech_timeout)
GATHER_FINISH_ON_KEY = Kind("str", _gather_finish_on_key)
GATHER_HINTS = Kind("str", _gather_hints)
DIGITS = pattern(r"[0-9A-D#*wW]+", "DTMF digits from 0-9, A-D, #, * and the pauses w, W")
RECORD_FINISH_ON_KEY = pattern(r"[0-9#*]*", "any of the keys 0123456789#*")
LANGUAGE = pattern(
    r"[a-zA-Z]{2,3}([-_][a-zA-Z0-9]{2,8})*", "a language tag such as en-US, en-GB or es"
)
#: ``<Gather language>``: a language tag, or Deepgram's ``multi``. Whether the tag may leave
#: out its region (``en``) depends on ``speechModel``, so that is checked with the whole
#: ``<Gather>`` (twiml/validate.py, Twilio's 13331).
SPEECH_LANGUAGE = pattern(
    r"multi|[a-zA-Z]{2,3}([-_][a-zA-Z0-9]{2,8})*",
    "a language tag such as en-US or es-MX",
)
#: ``<Gather speechModel>``: the generic and Google STT V2 models of Twilio's ``<Gather>``
#: page, and any Deepgram model, which the page writes ``deepgram_nova-2{-model}`` ("This
#: attribute accepts the values for all Deepgram models": ``deepgram_nova-3``,
#: ``deepgram_nova-2-phonecall``, ``deepgram_nova-3-medical``).
SPEECH_MODEL = pattern(
    r"default|numbers_and_commands|phone_call|experimental_conversations"
    r"|experimental_utterances|googlev2_long|googlev2_short|googlev2_telephony"
    r"|googlev2_telephony_short|deepgram_[a-z0-9]+([-.][a-z0-9]+)*",
    "one of default, numbers_and_commands, phone_call, experimental_conversations, "
    "experimental_utterances, googlev2_long, googlev2_short, googlev2_telephony, "
    "googlev2_telephony_short, or deepgram_ and a Deepgram model (deepgram_nova-3, "
    "deepgram_nova-2-phonecall)",
)
VOICE = pattern(
    r"man|woman|alice|[A-Za-z][A-Za-z0-9]*\.[A-Za-z0-9._-]+",
    "man, woman, alice, or a provider voice such as Polly.Joanna or Google.en-US-Neural2-A",
)
HTTP_URL = url()
WS_URL = url("ws", "wss")
TRACKS = enum("inbound_track", "outbound_track", "both_tracks")
TRIM = enum("trim-silence", "do-not-trim")
RECORDING_EVENTS = words("in-progress", "completed", "absent")
CALL_EVENTS = words("initiated", "ringing", "answered", "completed")

_CALLER_ID = re.compile(r"[A-Za-z0-9+_.:@-]+")
_PLUS_AS_SPACE = re.compile(r" [0-9]{7,15}")


def _caller_id(raw: str) -> str:
    if _CALLER_ID.fullmatch(raw):
        return raw
    if _PLUS_AS_SPACE.fullmatch(raw):
        # a form decoder reads an unescaped '+' of a query string as a space, so the
        # number an app took from its own URL (?callerId=+1415...) arrives without it
        raise InvalidValue(
            "a phone number, client:name or SIP user (a space then digits is a number "
            "whose '+' was written unescaped in a URL's query string, which a form decoder "
            f"reads as a space: write it %2B there, %2B{raw[1:]})"
        )
    raise InvalidValue("a phone number, client:name or SIP user")


#: ``<Dial callerId>``: a phone number, ``client:name`` or a SIP user. A space and digits
#: is invalid like any other space, its message naming the ``+`` a form decoder read as a
#: space (a choice: whether Twilio trims the space and reads the number is not documented).
CALLER_ID = Kind("str", _caller_id)

"""Checks of the Python API's arguments, so that a misuse fails where it is made.

A wrong type or value given to ``Simulator``, ``sim.phone(...)`` and the other public
calls would otherwise surface later, deep in the engine, as a bare ``TypeError`` or as a
script that never matches a call. Each check raises at once with the call, the value
given, what was expected and an example: ``TypeError`` for a wrong type, and the caller's
own error class (``ValueError`` or ``ConfigurationError``) for a wrong value.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

from .errors import ConfigurationError

__all__ = [
    "allowed_codes",
    "answered_by_twimlsim",
    "CONTROL_CHARACTER",
    "LOCALHOST",
    "check_base_url",
    "check_confidence",
    "check_keys",
    "check_method",
    "clipped",
    "check_seconds",
    "check_speech",
    "check_text",
    "check_unicode",
    "check_unicode_items",
    "describe",
    "environment_key",
    "keyword_error_text",
    "literal",
    "raised_text",
    "shown",
    "to_float",
    "underscored_host",
]

#: C0 and C1 control characters (a newline and a tab included).
CONTROL_CHARACTER = re.compile("[\x00-\x1f\x7f-\x9f]")
#: Integers longer than this are shown by their size: Python refuses to write an integer
#: of more than 4,300 digits as text (``repr`` raises ``ValueError``).
_SHOWN_DIGITS = 80


def literal(value: object) -> str:
    """``value``'s repr for an error message; an integer too long to write out (Python
    refuses more than 4,300 digits) is shown by its number of digits."""
    if isinstance(value, int) and value.bit_length() > _SHOWN_DIGITS * 3.33:
        digits = int(value.bit_length() * math.log10(2)) + 1
        return f"a{' negative' if value < 0 else 'n'} integer of about {digits:,} digits"
    try:
        return repr(value)
    except ValueError:  # a container holding such an integer
        return f"a {type(value).__name__} holding an integer too long to write out"


def shown(value: object) -> str:
    """``literal(value)`` cut to 80 characters."""
    return clipped(literal(value))


def clipped(text: str, limit: int = 80) -> str:
    """``text`` as it is when it has at most ``limit`` characters, else cut to fit with
    ``...`` at the end (what an error message quotes of a long input)."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def describe(value: object) -> str:
    """``value`` as an error message shows it: its repr and, unless obvious, its type."""
    if isinstance(value, str):
        return shown(value)
    return f"{shown(value)} ({type(value).__name__})"


def raised_text(error: BaseException) -> str:
    """An exception as a message names it: its type, then its text when it has one
    (``raise ValueError`` or a ``CancelledError`` has none: no "ValueError: " with nothing
    after it)."""
    text = str(error)
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


#: Where os.environ[...] raises its KeyError: the frozen module, or its file.
_OS_FILES = ("<frozen os>", os.__file__)


def environment_key(error: BaseException | None) -> str | None:
    """The variable a ``KeyError`` raised by ``os.environ[...]`` names, or None."""
    if not isinstance(error, KeyError) or len(error.args) != 1:
        return None
    traceback = error.__traceback__
    while traceback is not None and traceback.tb_next is not None:
        traceback = traceback.tb_next
    # os is frozen from Python 3.11 on ("<frozen os>"), its file otherwise (-X frozen_modules=off)
    if traceback is None or traceback.tb_frame.f_code.co_filename not in _OS_FILES:
        return None
    return str(error.args[0])


def to_float(value: float) -> float:
    """``value`` as a float; an integer beyond the floats' range (``float()`` raises
    ``OverflowError`` from about 1.8e308) as an infinity of its sign."""
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def check_text(
    where: str, name: str, value: object, example: str, *, error: type[Exception] = ValueError
) -> str:
    """``value`` if it is a string, else a ``TypeError`` naming ``where`` and ``name``; a
    string that is not whole Unicode characters is ``error`` (``check_unicode``)."""
    if not isinstance(value, str):
        raise TypeError(
            f"{where}: {name} must be a string such as {example}; got {describe(value)}"
        )
    if not value.isascii():
        check_unicode(where, name, value, error=error)
    return value


def check_flag(where: str, name: str, value: object) -> bool:
    """``value`` if it is True or False, else a ``TypeError`` naming ``where`` and ``name``
    (a truthy ``'no'`` or ``'false'`` would otherwise count as True)."""
    if not isinstance(value, bool):
        raise TypeError(f"{where}: {name} must be True or False; got {describe(value)}")
    return value


def check_unicode(
    where: str, name: str, value: str, *, error: type[Exception] = ValueError
) -> None:
    """``error`` when ``value`` holds a lone surrogate (``'\\ud800'``, what a JSON
    ``"\\ud800"`` escape or a bad decode gives): it has no UTF-8 form, so no webhook or
    answer could carry it."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as failed:
        raise error(
            f"{where}: {name} {shown(value)} holds a lone surrogate "
            f"({value[failed.start]!r} at position {failed.start}), which is not a character "
            "and cannot be sent as UTF-8; give text of whole characters"
        ) from None


def check_unicode_items(
    where: str, name: str, items: Iterable[tuple[str, str]], *, error: type[Exception] = ValueError
) -> None:
    """``check_unicode`` on each name and value of ``items`` (a dict's ``.items()``)."""
    for key, value in items:
        if not (key.isascii() and value.isascii()):
            check_unicode(where, f"{name} name", key, error=error)
            check_unicode(where, f"{name}[{key!r}]", value, error=error)


def check_text_mapping(
    where: str, name: str, value: object, what: str, example: str
) -> Mapping[str, str]:
    """``value`` if it is a mapping of text to text, else a ``TypeError`` naming ``where``
    and ``name``: ``what`` says what its keys are (``header names``), ``example`` shows
    one (``{'X-Agent': 'bob'}``)."""
    if not (
        isinstance(value, Mapping)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())
    ):
        raise TypeError(
            f"{where}: {name} must be a dict of {what} to text such as {example}; "
            f"got {describe(value)}"
        )
    return value


def check_speech(where: str, text: object, silence: str) -> str:
    """Words a far end says: text with at least one character that is not a space (Twilio
    never recognises empty speech: the far end was silent, ``silence`` says how)."""
    words = check_text(where, "text", text, "'sales'")
    if not words.strip():
        raise ValueError(
            f"{where}: text {words!r} has no words, and Twilio recognises no speech in "
            f"silence; for a far end that says nothing, use {silence}"
        )
    control = CONTROL_CHARACTER.search(words)
    if control is not None:  # it would reach the app as SpeechResult, as no recognizer gives
        raise ValueError(
            f"{where}: text {shown(words)} holds the control character "
            f"U+{ord(control.group()):04X} at position {control.start()}, which no speech "
            "recognition gives: give the words as Twilio would write them, on one line, such "
            "as 'sales'"
        )
    return words


def check_seconds(
    where: str,
    name: str,
    value: object,
    *,
    positive: bool = False,
    error: type[Exception] = ValueError,
) -> float:
    """``value`` as float seconds: a real number (not a bool), finite, at least zero (above
    zero with ``positive``); else ``TypeError``, or ``error`` for a wrong value."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(
            f"{where}: {name} must be a number of seconds such as 2 or 0.5; got {describe(value)}"
        )
    seconds = to_float(value)
    if math.isnan(seconds) or (math.isinf(seconds) and not isinstance(value, int)):
        raise error(f"{where}: {name} must be a finite number of seconds; got {shown(value)}")
    if seconds < 0 or (positive and seconds == 0):
        least = "more than 0" if positive else "0 or more"
        raise error(f"{where}: {name} must be {least} seconds; got {shown(value)}")
    if math.isinf(seconds):  # an integer beyond the floats
        raise error(
            f"{where}: {name} is {shown(value)}, more seconds than can be counted; give a "
            "number of seconds such as 2 or 0.5"
        )
    return seconds


def check_method(
    where: str, name: str, value: object, *, error: type[Exception] = ValueError
) -> str:
    """``value`` as ``GET`` or ``POST`` (any case), the methods Twilio requests webhooks with."""
    text = check_text(where, name, value, "'POST'")
    method = text.upper()
    if method not in {"GET", "POST"}:
        raise error(
            f"{where}: {name} must be 'GET' or 'POST' (Twilio's webhook methods); got {text!r}"
        )
    return method


def check_base_url(
    where: str,
    value: object,
    *,
    error: type[Exception] = ValueError,
    sockets: bool = False,
) -> str:
    """A route's base URL: absolute http(s) (ws(s) too with ``sockets``: an ASGI app's
    WebSocket routes) with a host Twilio takes in a webhook URL (not ``localhost``, nor one
    with an underscore), a port that is a number, and no query or fragment (a base is a
    prefix of the URLs it serves)."""
    text = check_text(where, "base_url", value, "'https://app.test'")
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - parsing the port refuses one that is not a number
    except ValueError as exc:
        raise error(
            f"{where}: base_url {text!r} is not a usable URL ({exc}); give the app's base "
            "URL, such as 'https://app.test'"
        ) from None
    underscored = underscored_host(text)
    if underscored is not None:
        raise error(
            f"{where}: base_url {text!r} has an underscore in its host {underscored!r}, which "
            "is not a valid host name: Twilio refuses webhook URLs on it (21205 as a REST "
            "Url), so no webhook would reach this route; give a host without one, such as "
            f"{underscored.replace('_', '-')!r}"
        )
    if (parts.hostname or "").lower() == LOCALHOST:
        raise error(
            f"{where}: base_url {text!r} is on localhost, which Twilio cannot reach and "
            "refuses in a webhook URL (calls.create answers 21205 'Url is not a valid URL'), "
            "so a test routed there would pass where Twilio refuses the call; route the app "
            "at a host it would have on the internet, such as 'https://app.test', and have "
            "it build its webhook URLs from that host (its base URL setting, or a test "
            "client's base_url); a live server (Django's LiveServerTestCase, pytest-django's "
            "live_server) keeps its localhost URL for the test's own requests, its app "
            "routed at that host"
        )
    if parts.hostname and not _dns_encodable(parts.hostname):
        raise error(
            f"{where}: base_url {text!r} has a host no request can be sent to (a label empty "
            "or longer than 63 characters); give the app's host, such as 'https://app.test'"
        )
    schemes = {"http", "https", "ws", "wss"} if sockets else {"http", "https"}
    if parts.scheme.lower() not in schemes or not parts.netloc:
        raise error(
            f"{where}: base_url {text!r} is not an absolute http(s) URL with a host; give "
            "the app's base URL, such as 'https://app.test'"
        )
    if parts.query or parts.fragment or text.endswith(("?", "#")):
        raise error(
            f"{where}: base_url {text!r} has a query or fragment; a base URL is the start of "
            "the URLs the app serves, such as 'https://app.test' or 'https://app.test/ivr'"
        )
    answered = answered_by_twimlsim((parts.hostname or "").lower().rstrip("."))
    if answered:
        raise error(
            f"{where}: base_url {text!r} is on {answered}: twimlsim answers that host itself, "
            "so an app routed there would never be reached; route the app at its own host, "
            "such as 'https://app.test', and give Twilio URLs on that host"
        )
    return text


#: Twilio's hosts a test cannot route: twimlsim answers them itself.
_BUILT_IN_HOSTS = {
    "demo.twilio.com": "demo.twilio.com, whose demo documents are built in",
    "twimlets.com": "twimlets.com, whose twimlets are built in",
    "www.twimlets.com": "www.twimlets.com, whose twimlets are built in",
}
_API_HOST = re.compile(r"(api|lookups)(\.[a-z0-9-]+){0,2}\.twilio\.com")


def answered_by_twimlsim(host: str) -> str:
    """What a host twimlsim answers itself is (the REST API's, Lookup's, one of the
    documents it serves built in), or "" for any other (``handler.twilio.com``, a TwiML
    Bin's, is routed: a test stands a bin in with an app at the bin's URL)."""
    if host in _BUILT_IN_HOSTS:
        return _BUILT_IN_HOSTS[host]
    found = _API_HOST.fullmatch(host)
    if found is None:
        return ""
    api = "REST API" if found[1] == "api" else "Lookup API"
    return f"{host}, Twilio's {api} host, whose requests the twilio client sends to twimlsim"


#: The host name Twilio refuses in a webhook URL (``Url is not a valid url:
#: http://localhost:3000/...``, 21205, as observed on calls.create). Only this name: whether
#: Twilio also refuses a loopback address (``127.0.0.1``) is not known, so one is routed.
LOCALHOST = "localhost"


def underscored_host(url: str) -> str | None:
    """The host of ``url`` when it has an underscore (``your_domain.ngrok.app``, a sample
    app's placeholder), which no valid host name has; None otherwise."""
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return host if host is not None and "_" in host else None


def check_keys(where: str, keys: object) -> str:
    """``keys`` as DTMF a far end can press: ``0``-``9``, ``*``, ``#``, ``A``-``D``, and the
    pauses ``w`` and ``W``."""
    text = check_text(where, "the keys", keys, "'1' or '123#'")
    if not text or any(c not in "0123456789*#ABCDwW" for c in text):
        raise ValueError(f"{where}: digits must be keys 0-9, *, #, A-D (w/W pause); got {keys!r}")
    if not text.strip("wW"):
        raise ValueError(
            f"{where}: {keys!r} presses no key: w and W are pauses between keys; give at least "
            "one key (0-9, *, #, A-D), or script silence for a far end that presses nothing"
        )
    return text


def check_confidence(where: str, confidence: object) -> float:
    """A speech recognition confidence: a number from 0.0 to 1.0."""
    if isinstance(confidence, bool) or not isinstance(confidence, int | float):
        raise TypeError(
            f"{where}: confidence must be a number between 0.0 and 1.0 such as 0.9; "
            f"got {describe(confidence)}"
        )
    if not 0.0 <= confidence <= 1.0:
        raise ValueError(
            f"{where}: confidence must be between 0.0 and 1.0, got {shown(confidence)}"
        )
    return float(confidence)


def _dns_encodable(host: str) -> bool:
    """``host`` can go in a request: IDNA encodes it (labels of 1 to 63 characters)."""
    try:
        host.encode("idna")
    except UnicodeError:
        return False
    return True


def keyword_error_text(error: TypeError, simulator: type) -> str:
    """``error`` (a keyword ``Simulator`` does not take: a typo in a marker or a mixin's
    ``twimlsim_options``) with the nearest keyword it takes, and every one it takes.

    Python 3.13 adds a suggestion of its own (``. Did you mean 'strict'?``), nearest by
    another measure: it is left out, so that one suggestion is given on every Python."""
    import difflib
    import inspect

    text = re.sub(r"\. Did you mean '\w+'\?$", "", str(error))
    unexpected = re.search(r"unexpected keyword argument '(\w+)'", text)
    if unexpected is None:
        return text
    taken = [name for name in inspect.signature(simulator).parameters if name != "self"]
    near = difflib.get_close_matches(unexpected.group(1), taken, n=1)
    meant = f"did you mean {near[0]!r}? " if near else ""
    return f"{text} ({meant}Simulator takes {', '.join(taken)})"


def allowed_codes(codes: Iterable[int]) -> frozenset[int]:
    """``Simulator(allow_codes=...)`` as a set of ints, or a ``ConfigurationError`` naming
    the bad value."""
    given: object = codes
    if isinstance(given, str | int) and not isinstance(given, bool):
        given = [given]
    if not isinstance(given, Iterable) or isinstance(given, bytes | bytearray):
        raise ConfigurationError(
            "allow_codes takes Twilio error codes such as {12200, 13322} (or one code); got "
            f"{describe(given)}"
        )
    allowed: set[int] = set()
    for code in given:
        try:
            number = int(code) if not isinstance(code, bool | float) else 0
        except (TypeError, ValueError):
            number = 0
        if number <= 0:  # Twilio's codes are positive whole numbers
            raise ConfigurationError(
                f"allow_codes takes Twilio error codes such as 12200; got {code!r}"
            ) from None
        if not 10_000 <= number <= 99_999:  # a typo: it would match no problem
            digits = f", which has {len(str(number))} digits" if number < 10**80 else ""
            raise ConfigurationError(
                f"allow_codes takes Twilio error codes such as 12200; got {literal(code)}"
                f"{digits}: Twilio's codes have five"
            )
        allowed.add(number)
    return frozenset(allowed)

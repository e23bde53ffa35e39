"""Reading the control API's request bodies: JSON objects or form fields, checked field by
field with errors that say what is allowed (``rest/control.py``)."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import parse_qsl

from werkzeug.wrappers import Request

from twimlsim.arguments import clipped, shown, to_float
from twimlsim.errors import TwilioApiError

from .guard import whole_form
from .params import INVALID_PARAMETER
from .request_parts import FORM_TYPE

__all__ = [
    "Kind",
    "advance_seconds",
    "coerce",
    "fields",
    "invalid",
    "json_kind",
    "listed",
    "read_body",
]

#: A field's type: what JSON gives, and how a form value (always text) is read.
Kind = type[str] | type[float] | type[bool] | type[dict[str, str]]


def read_body(request: Request) -> dict[str, Any]:
    """The control request's fields: its JSON object or its form, with the fields of its
    query string; a body that is neither, text that is not UTF-8, a field given twice
    with two values are refused with a 400 that says what to send."""
    encoding = request.headers.get("Content-Encoding", "identity").strip().lower()
    if encoding not in {"", "identity"} and request.get_data(cache=True):
        raise invalid(
            f"the body was not read: it is {shown(encoding)}-encoded (Content-Encoding), "
            "which the control API does not decode; send it uncompressed"
        )
    mimetype = request.mimetype
    if mimetype in _JSON_TYPES:
        body = _json_object(_utf8(request.get_data(cache=True), "body"))
    elif mimetype == FORM_TYPE:
        body = _form_fields(_utf8(request.get_data(cache=True), "body"), "form body")
    elif mimetype == "multipart/form-data":
        body = _multipart_fields(request)
    elif request.get_data(cache=True):
        raise invalid(
            f"the body was not read: its Content-Type is {mimetype or 'not given'}; send JSON "
            "(Content-Type: application/json) or a form (application/x-www-form-urlencoded)"
        )
    else:
        body = {}
    query = request.environ.get("QUERY_STRING", "")
    if not query:
        return body
    # PEP 3333 hands the query string over as latin-1 text of its bytes
    asked = _form_fields(_utf8(query.encode("latin-1"), "query string"), "query string")
    for name, value in asked.items():
        if name in body and body[name] != value:
            raise invalid(
                f"{name} is given twice, {shown(value)} in the query string and "
                f"{shown(body[name])} in the body; give it once"
            )
        body.setdefault(name, value)
    return body


def _multipart_fields(request: Request) -> dict[str, Any]:
    """The fields of a ``multipart/form-data`` body; one whose parts werkzeug cannot find
    (no boundary, another boundary) or that sends files is refused, not read as empty."""
    raw = whole_form(request).get_data(cache=True)  # before .form: it is parsed from these
    if request.files:
        names = listed(request.files)
        for upload in request.files.values():
            upload.close()  # werkzeug spools each to a temporary file
        raise invalid(
            f"the multipart body sends file(s) ({names}); the control API "
            "takes text fields: send JSON (Content-Type: application/json)"
        )
    if raw and not request.form:
        raise invalid(
            f"the multipart body could not be read as fields (Content-Type "
            f"{shown(request.content_type)}): its parts do not use the boundary it names; "
            "send JSON (Content-Type: application/json) or a form "
            "(application/x-www-form-urlencoded)"
        )
    return _unique_pairs(request.form.items(multi=True), "multipart body")


def _utf8(raw: bytes, what: str) -> str:
    """``raw`` as UTF-8 text (JSON and forms are UTF-8): other bytes are refused, not
    replaced by U+FFFD, which would reach the app's webhooks as another URL or number."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as failed:
        byte = raw[failed.start : failed.start + 1]
        raise invalid(
            f"the request's {what} is not UTF-8 text: byte 0x{byte.hex()} at offset "
            f"{failed.start} ({_near(raw[max(0, failed.start - 20) : failed.start + 20])}); "
            "send UTF-8, whatever charset the Content-Type names"
        ) from None


def _near(raw: bytes) -> str:
    """Bytes that are not all UTF-8 as text, the others written ``\\xe9``."""
    text = raw.decode("utf-8", "backslashreplace")
    return f"near {text[:80]}"


def _json_object(raw: str) -> dict[str, Any]:
    """The JSON object of a body's text; a leading byte order mark is ignored, as RFC 8259
    lets a parser do (Windows tools, PowerShell's among them, write one before UTF-8)."""
    raw = raw.removeprefix("\ufeff")
    try:
        body = json.loads(raw, object_pairs_hook=_unique_names) if raw.strip() else {}
    except ValueError as error:
        if "integer string conversion" in str(error):  # Python's 4,300-digit limit
            raise invalid(
                "the body's JSON has an integer of more than 4,300 digits, which cannot "
                "be read; send a smaller number"
            ) from None
        raise invalid(f"the body is not valid JSON ({error}); send a JSON object") from None
    except _NamedTwice as twice:
        raise invalid(
            f"the body's JSON gives {twice.name} twice in one object ({shown(twice.first)} and "
            f"{shown(twice.second)}); give it once"
        ) from None
    except RecursionError:
        raise invalid(
            "the body's JSON nests too deep to read; send a flat JSON object such as "
            '{"number": "+15558675310", "steps": [{"action": "presses", "digits": "1"}]}'
        ) from None
    if not isinstance(body, dict):
        raise invalid(
            f"the body must be a JSON object of the request's fields, got "
            f'{json_kind(body)}; send one such as {{"number": "+15558675310"}}, or {{}} (or '
            "no body) for a request without fields, such as POST /twimlsim/run"
        )
    if "\\u" in raw:
        _check_whole_characters(body)
    return body


class _NamedTwice(Exception):
    """A JSON object with a name given twice, with two values."""

    def __init__(self, name: str, first: object, second: object) -> None:
        super().__init__(name)
        self.name, self.first, self.second = name, first, second


def _unique_names(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object's pairs as a dict; a name given twice with two values is
    ``_NamedTwice`` (``json`` would keep the last one silently)."""
    fields: dict[str, Any] = {}
    for name, value in pairs:
        if name in fields and fields[name] != value:
            raise _NamedTwice(name, fields[name], value)
        fields[name] = value
    return fields


def _form_fields(text: str, where: str) -> dict[str, Any]:
    """The fields of form-encoded ``text``; a name given twice is refused (which value
    was meant?), as is an escape (``%E9``) of bytes that are not UTF-8."""
    try:
        pairs = parse_qsl(text, keep_blank_values=True, errors="strict")
    except UnicodeDecodeError as failed:
        raise invalid(
            f"the request's {where} has a %-escape of bytes that are not UTF-8 "
            f"({_near(failed.object)}); escape the UTF-8 bytes of each character "
            "(é is %C3%A9)"
        ) from None
    return _unique_pairs(pairs, where)


def _unique_pairs(pairs: Iterable[tuple[str, str]], where: str) -> dict[str, Any]:
    """Form fields by name; a name given twice with two values is refused (which one was
    meant?)."""
    fields: dict[str, Any] = {}
    for name, value in pairs:
        if name in fields and fields[name] != value:
            raise invalid(
                f"{name} is given twice in the {where} ({shown(fields[name])} and "
                f"{shown(value)}); give it once"
            )
        fields[name] = value
    return fields


def listed(names: Iterable[str]) -> str:
    """``names`` sorted, for an error message: the first ten, then how many more."""
    ordered = sorted(names)
    more = len(ordered) - _LISTED
    return ", ".join(ordered[:_LISTED]) + (f" and {more:,} more" if more > 0 else "")


#: How many unknown fields an error message names.
_LISTED = 10


def json_kind(value: object) -> str:
    """``value`` as the client wrote it: JSON (``null``, ``true``, ``[1]``), not Python's
    ``None``, ``True``; text quoted; cut to 80 characters."""
    if isinstance(value, str):
        return shown(value)
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):  # not from JSON: a form's field is text
        return shown(value)
    return clipped(text)


#: Content types read as JSON.
_JSON_TYPES = frozenset({"application/json", "text/json"})


def _check_whole_characters(body: dict[str, Any]) -> None:
    """A JSON ``\\ud800`` escape alone is no character: refused here, before the text
    reaches a webhook that could not encode it."""
    try:
        json.dumps(body, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as failed:
        lone = failed.object[failed.start]
        raise invalid(
            f"the body's JSON has a lone surrogate escape (\\u{ord(lone):04x}), which is "
            "no character; send whole characters (UTF-8 text, or an escaped pair such as "
            "\\ud83d\\ude00)"
        ) from None


def invalid(message: str) -> TwilioApiError:
    """The 400 a bad control request gets, in Twilio's error shape (code 20422)."""
    return TwilioApiError(400, INVALID_PARAMETER, message)


def advance_seconds(body: Mapping[str, Any]) -> float:
    """The ``seconds`` of an advance's body: a number 0 or more, finite."""
    unknown = set(body) - {"seconds"}
    if unknown:
        raise invalid(f"advance: unknown field(s) {listed(unknown)}; allowed: seconds")
    raw = body.get("seconds", "")
    if isinstance(raw, bool):
        raise _not_seconds("true" if raw else "false")  # as JSON wrote it
    too_far = invalid(
        f"virtual time cannot reach {shown(raw)} s after now; advance by a smaller number "
        "of seconds"
    )
    try:
        seconds = float(raw)
    except (TypeError, ValueError):
        seconds = -1.0
    except OverflowError:  # a JSON integer beyond the floats
        if raw > 0:
            raise too_far from None
        seconds = -1.0
    if seconds == math.inf and isinstance(raw, str) and raw.strip().lstrip("+").isdigit():
        raise too_far  # digits beyond the floats, sent as a form
    if not 0 <= seconds < math.inf:
        raise _not_seconds(shown(raw))
    return seconds


def _not_seconds(given: str) -> TwilioApiError:
    """The refusal of an advance whose ``seconds`` is not 0 or more."""
    return invalid(
        f"advance: seconds is not a number of seconds (0 or more): {given}; send one such as "
        '{"seconds": 30}'
    )


def coerce(name: str, value: object, kind: Kind) -> object:
    """``value`` as ``kind``; form text is read as a number or boolean where one is due."""
    if kind is float:
        if isinstance(value, str):
            try:
                value = float(value)
            except ValueError:
                raise invalid(f"{name} must be a number, got {value!r}") from None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise invalid(f"{name} must be a number, got {json_kind(value)}")
        number = to_float(value)  # a JSON integer beyond the floats is infinite
        if not math.isfinite(number):
            raise invalid(f"{name} must be a finite number, got {shown(value)}")
        return number
    if kind is bool:
        if isinstance(value, str) and value.lower() in {"true", "false"}:
            return value.lower() == "true"
        if not isinstance(value, bool):
            raise invalid(f"{name} must be true or false, got {json_kind(value)}")
        return value
    if kind is dict:
        if isinstance(value, str):  # a form field: forms hold no objects
            raise invalid(
                f"{name} must be a JSON object of text values such as "
                f'{{"CallerName": "Jane"}}; a form field cannot hold one: send the body as '
                f"JSON (Content-Type: application/json); got {shown(value)}"
            )
        if not isinstance(value, dict) or not all(
            isinstance(key, str) and isinstance(item, str) for key, item in value.items()
        ):
            raise invalid(f"{name} must be an object of text values, got {json_kind(value)}")
        return value
    if not isinstance(value, str):
        raise invalid(f"{name} must be text, got {json_kind(value)}")
    if name in _PHONE_NUMBER_FIELDS and value != value.strip():
        raise invalid(
            f"{name} {value!r} starts or ends with a space: a '+' sent form-encoded must be "
            "written %2B (curl --data-urlencode), or send JSON"
        )
    return value


#: Fields that hold a phone number (where a stray space is a form-encoded '+').
_PHONE_NUMBER_FIELDS = frozenset({"number", "from", "to"})


def fields(
    body: Mapping[str, Any],
    where: str,
    kinds: Mapping[str, Kind],
    required: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """The fields of ``body`` checked against ``kinds``: unknown and missing ones are errors
    that name what is allowed (``null`` counts as not given)."""
    unknown = set(body) - set(kinds)
    if unknown:
        allowed = ", ".join(kinds) or "none"
        raise invalid(f"{where}: unknown field(s) {listed(unknown)}; allowed: {allowed}")
    given = {name: value for name, value in body.items() if value is not None}
    missing = sorted(required - set(given))
    if missing:
        raise invalid(f"{where}: missing required field(s) {', '.join(missing)}")
    return {name: coerce(name, value, kinds[name]) for name, value in given.items()}
